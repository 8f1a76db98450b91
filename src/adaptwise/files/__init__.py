"""Reading and writing: the safe YAML loader, answers, flags, CSV, report footers,
sessions, tree loading with its validation and cache, and the one atomic writer.

Imports the domain only, never a front end.
"""
