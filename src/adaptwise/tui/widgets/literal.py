"""Show text literally: never as Rich/Textual markup, never with control characters.

Every string from a tree or a person goes through `literal` before it reaches a widget, so
`[/foo]` cannot crash a label, `[@click=...]` cannot become an action, and an escape
sequence cannot reach the terminal.
"""

from __future__ import annotations

from textual.content import Content

from adaptwise.domain.text import clean_text


def literal(text: str) -> Content:
    """A one-line text as a Content that is shown exactly as written (minus control characters)."""
    return Content(clean_text(text))


def literal_lines(text: str) -> Content:
    """Like `literal`, keeping line breaks (for multi-line messages such as errors)."""
    return Content("\n".join(clean_text(line) for line in text.splitlines()))
