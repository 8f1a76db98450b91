"""The wizard: a Textual application over the decision tree.

Deliberately empty so that importing `adaptwise.tui.app` is the only thing that loads Textual.
"""
