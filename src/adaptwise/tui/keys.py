"""The help screen's key table, made from the bindings themselves so it never falls behind.

Every binding has an id, a short description (the footer's) and a tooltip (the help's).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType

#: How keys read in the help (the footer keeps Textual's own short forms).
_KEY_NAMES = {
    "escape": "Escape",
    "enter": "Enter",
    "space": "Space",
    "question_mark": "?",
    "left": "←",
    "right": "→",
}


def key_name(key: str) -> str:
    """'escape' -> 'Escape', 'f1' -> 'F1', 'ctrl+s' stays as it is."""
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return _KEY_NAMES.get(key, key)


def scopes() -> list[tuple[str, list[list[BindingType]]]]:
    """Where each set of keys works, and the bindings that make them."""
    from adaptwise.tui.app import AdaptwiseApp
    from adaptwise.tui.screens.question import QuestionScreen
    from adaptwise.tui.screens.recommendation import RecommendationScreen
    from adaptwise.tui.screens.review import ReviewScreen
    from adaptwise.tui.screens.welcome import WelcomeScreen
    from adaptwise.tui.widgets.answer_inputs import AnswerChecklist, AnswerList, TextAnswer

    return [
        ("Everywhere", [AdaptwiseApp.BINDINGS]),
        ("On the welcome screen", [WelcomeScreen.BINDINGS]),
        (
            "On a question",
            [AnswerList.BINDINGS, AnswerChecklist.BINDINGS, TextAnswer.BINDINGS, QuestionScreen.BINDINGS],
        ),
        ("On the review", [ReviewScreen.BINDINGS]),
        ("On the recommendation", [RecommendationScreen.BINDINGS]),
    ]


def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do) per binding; keys bound together ('n,escape') share a row."""
    table: dict[str, tuple[list[str], str]] = {}
    for binding in Binding.make_bindings(bindings):
        what = binding.tooltip or binding.description
        keys, _ = table.setdefault(binding.id or binding.action, ([], what))
        keys.append(key_name(binding.key))
    return [(" or ".join(keys), what) for keys, what in table.values()]


def key_table() -> str:
    """The keys as Markdown: a heading per scope, then a table."""
    parts: list[str] = []
    for title, binding_lists in scopes():
        parts += [f"**{title}**", "", "| Key | What it does |", "| --- | --- |"]
        for bindings in binding_lists:
            parts += [f"| {_cell(keys)} | {_cell(what)} |" for keys, what in rows(bindings)]
        parts.append("")
    return "\n".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
