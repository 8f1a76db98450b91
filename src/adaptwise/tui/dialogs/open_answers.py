"""Load an answers file (YAML or JSON) from the welcome screen; errors stay in the dialog."""

from __future__ import annotations

import os
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from adaptwise.errors import InputError
from adaptwise.model import Tree
from adaptwise.tui.widgets.literal import literal, literal_lines


class OpenAnswersDialog(ModalScreen[dict[str, str] | None]):
    """Returns the checked answers, or None if the person cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, tree: Tree):
        super().__init__()
        self.decision_tree = tree

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal("Load an answers file"), classes="dialog-title")
            yield Static(
                literal("A YAML or JSON file of question ids and answers, e.g. one saved by adaptwise."),
                classes="dialog-message",
            )
            yield Input(placeholder="answers.yaml", id="path")
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Load", id="load", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "load":
            self.attempt()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def attempt(self) -> None:
        from adaptwise.answers import load_answers_file

        path = os.path.expanduser(self.query_one(Input).value.strip())
        error = self.query_one("#error", Static)
        if not path:
            error.update(literal("Type the path of an answers file."))
            error.display = True
            return
        try:
            answers = load_answers_file(path, self.decision_tree)
        except InputError as problem:
            error.update(literal_lines(problem.render()))
            error.display = True
            return
        self.dismiss(answers)
