"""A yes/no question, e.g. before replacing a file or quitting."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Static

from adaptwise.tui.dialogs.dialog import Dialog
from adaptwise.tui.widgets.literal import literal, literal_lines


class ConfirmDialog(Dialog[bool]):
    # The default button has the focus from the first frame. Focusing it once mounted left
    # the first button, "yes", focused meanwhile, and an Enter typed ahead took it (start over).
    AUTO_FOCUS = ".default-choice"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="yes", tooltip="Yes."),
        Binding("n,escape", "answer(False)", "No", id="no", tooltip="No."),
        Binding(
            "left",
            "app.focus_previous",
            "Previous button",
            id="previous_button",
            show=False,
            tooltip="Move to the previous button.",
        ),
        Binding(
            "right", "app.focus_next", "Next button", id="next_button", show=False, tooltip="Move to the next button."
        ),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str = "No", default_yes: bool = False):
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes = yes
        self.no = no
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield Static(literal_lines(self.message), classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.yes,
                    id="yes",
                    variant="warning" if not self.default_yes else "primary",
                    classes="default-choice" if self.default_yes else "",
                )
                yield Button(self.no, id="no", classes="" if self.default_yes else "default-choice")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.close(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.close(yes)
