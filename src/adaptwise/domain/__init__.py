"""The domain: the tree model, the engine, insight, costs, checks and renderers.

Pure: no I/O, and nothing outside this package and the standard library (no yaml,
pydantic or textual).
"""
