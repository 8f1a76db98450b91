"""Save a text (the report, or the answers file) to a path the person confirms.

Writes only through the core's atomic writer; an existing file asks before it is
replaced, and any error (missing folder, read-only file) is shown here, in the dialog.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Static

from adaptwise.errors import InputError
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.widgets.literal import literal, literal_lines


class SaveFileDialog(ModalScreen[Path | None]):
    """Returns the path written, or None if the person cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, title: str, label: str, text: str, suggestion: str):
        super().__init__()
        self.title_text = title
        self.label = label
        self.text = text
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield Static(literal(self.label), classes="dialog-message")
            yield Input(self.suggestion, id="path")
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.attempt()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(literal_lines(message))
        error.display = bool(message)

    def attempt(self, force: bool = False) -> None:
        destination = os.path.expanduser(self.query_one(Input).value.strip())
        if not destination:
            self.show_error("Type a file name.")
            return
        if not force and os.path.isfile(destination):

            def chosen(replace: bool | None) -> None:
                if replace:
                    self.attempt(force=True)
                else:
                    self.query_one(Input).focus()

            self.app.push_screen(
                ConfirmDialog(
                    "Replace the file?",
                    f"{destination} already exists. Replace it?",
                    yes="Replace",
                    no="Cancel",
                ),
                chosen,
            )
            return
        from adaptwise.files import write_output

        try:
            written = write_output(self.text, destination, force=force)
        except InputError as error:
            self.show_error(error.render())
            self.query_one(Input).focus()
            return
        self.dismiss(written)
