"""A dialog that asks for a file path and keeps any error inside itself, not in a crash."""

from __future__ import annotations

import os
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from adaptwise.tui.widgets.literal import literal, literal_lines

Result = TypeVar("Result")


class PathDialog(ModalScreen[Result | None], Generic[Result]):
    """Title, explanation, a path field, the error (if any), an action button and Cancel.

    Subclasses say what the action does with the path in `act`; None means cancelled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close the dialog."),
    ]

    def __init__(self, title: str, message: str, action: str, *, value: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text = title
        self.message = message
        self.action_label = action
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield Static(literal(self.message), classes="dialog-message")
            yield Input(self.value, placeholder=self.placeholder, id="path")
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.action_label, id="act", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "act":
            self.attempt()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(literal_lines(message))
        error.display = bool(message)
        self.query_one(Input).focus()

    def typed_path(self) -> str:
        return os.path.expanduser(self.query_one(Input).value.strip())

    def attempt(self) -> None:
        raise NotImplementedError
