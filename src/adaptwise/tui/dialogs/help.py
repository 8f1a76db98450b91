"""Help: the current question's help and what each of its answers means, the glossary,
and the keys, as Markdown."""

from __future__ import annotations

from importlib.resources import files
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Markdown

from adaptwise.domain.model import Tree
from adaptwise.domain.questions import Question
from adaptwise.tui.dialogs.dialog import Dialog

#: Where `help.md` takes the key table.
KEYS_MARKER = "<!-- keys: the table is made from the bindings, in tui/keys.py -->"


def help_markdown(tree: Tree, question: Question | None) -> str:
    from adaptwise.tui.keys import key_table

    parts: list[str] = []
    if question is not None:
        parts += [f"# {question.prompt}", "", question.help or "No extra help for this question.", ""]
        if question.options:  # what each answer means, not only the question's help again
            parts += ["## The answers", ""]
            parts += [
                f"- **{option.label}**" + (f": {option.explanation}" if option.explanation else "")
                for option in question.options
            ]
            parts.append("")
    if tree.glossary:
        parts += ["## Glossary", ""]
        for entry in tree.glossary:
            parts += [f"**{entry.term}**: {entry.meaning}", ""]
    page = files("adaptwise.tui").joinpath("help.md").read_text(encoding="utf-8")
    parts.append(page.replace(KEYS_MARKER, key_table().rstrip("\n")))
    return "\n".join(parts)


class HelpDialog(Dialog[None]):
    # Focused from the first frame, not looked up once mounted: a burst of keys can close
    # or replace this screen before it has mounted, and the lookup would then end the app.
    AUTO_FOCUS = "#help-scroll"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="close", tooltip="Close the help."),
        Binding("question_mark", "close", "Close", id="close_help", show=False, tooltip="Close the help."),
    ]

    def __init__(self, tree: Tree, question: Question | None):
        super().__init__()
        self.decision_tree = tree
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"), VerticalScroll(id="help-scroll"):
            yield Markdown(help_markdown(self.decision_tree, self.question), id="help")
        yield Footer()

    def action_close(self) -> None:
        self.close(None)
