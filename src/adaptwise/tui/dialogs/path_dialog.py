"""A dialog that asks for a file path and keeps any error inside itself, not in a crash."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from adaptwise.domain.errors import InputError, Problem, os_problem
from adaptwise.domain.text import escape_unsafe
from adaptwise.tui.dialogs.dialog import Dialog
from adaptwise.tui.widgets.literal import literal, literal_lines

Result = TypeVar("Result")

#: How much of a typed path an error repeats: enough to recognise it, never a screenful.
SHOWN_PATH = 60

#: No line of an error is longer than this: the dialog's buttons stay on an 80x24 screen.
SHOWN_LINE = 160


class PathDialog(Dialog[Result | None], Generic[Result]):
    """Title, explanation, a path field, the error (if any), an action button and Cancel.

    Subclasses say what the action does with the path in `act`, which `attempt` runs
    through `guarded`: the one place where what reading or writing a path raises (an
    InputError, or any OSError: a name too long, a folder that is a file, a loop of links, a
    full disk) becomes the dialog's error line. None means cancelled.
    """

    # Focused from the first frame, not looked up once mounted: a burst of keys can close
    # or replace this screen before it has mounted, and the lookup would then end the app.
    AUTO_FOCUS = "#path"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close the dialog."),
    ]

    #: What the error line says when the field is empty.
    EMPTY = "Type a file name."

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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.attempt()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "act":
            self.attempt()
        else:
            self.close(None)

    def action_cancel(self) -> None:
        self.close(None)

    def show_error(self, message: str) -> None:
        lines = [line if len(line) <= SHOWN_LINE else line[:SHOWN_LINE] + "…" for line in message.splitlines()]
        error = self.query_one("#error", Static)
        error.update(literal_lines("\n".join(lines)))
        error.display = bool(message)
        self.query_one(Input).focus()

    def typed_path(self) -> str:
        return os.path.expanduser(self.query_one(Input).value.strip())

    def attempt(self) -> None:
        """Act on the typed path, once: not again after closing, nor under a confirmation."""
        if not self.is_active:
            return
        path = self.typed_path()
        if not path:
            self.show_error(self.EMPTY)
            return
        self.guarded(self.act, path)

    def guarded(self, action: Callable[[str], object], path: str) -> None:
        """Run `action(path)`; what goes wrong is shown here, and the dialog stays open."""
        shown = shown_path(path)
        try:
            action(path)
        except InputError as error:
            self.show_error(InputError([_shortened(p, path, shown) for p in error.problems], error.summary).render())
        except OSError as error:
            self.show_error(InputError(os_problem(error, shown)).render())
        except ValueError as error:  # a NUL in a pasted path: the system calls refuse it
            self.show_error(f"{shown}: {error}")

    def act(self, path: str) -> None:
        """Do the dialog's work with `path`, closing with the result when it is done."""
        raise NotImplementedError


def shown_path(path: str) -> str:
    """A typed path as errors repeat it: unsafe characters escaped, and a long one cut in the
    middle, keeping its start and the end that names the file."""
    escaped = escape_unsafe(path)
    if len(escaped) <= SHOWN_PATH:
        return escaped
    return f"{escaped[: SHOWN_PATH // 4]}…{escaped[-(SHOWN_PATH - SHOWN_PATH // 4 - 1) :]} ({len(path):,} characters)"


def _shortened(problem: Problem, path: str, shown: str) -> Problem:
    """The problem, naming the typed path as the dialog shows it (never 4,000 characters of it)."""
    if problem.file == path:
        return replace(problem, file=shown)
    return problem
