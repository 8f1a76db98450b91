"""What every dialog of the wizard is: a modal screen that closes once, and only itself."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import ModalScreen

Result = TypeVar("Result")


class Dialog(ModalScreen[Result], Generic[Result]):
    """A modal screen whose `close` ends it only while it is the screen on top.

    Textual's `dismiss` pops whichever screen is on top. Two Enters in one read queue two
    button presses (or two submissions) on the same dialog; the second must not close the
    screen beneath it, or, when the dialog was the last, fail because the stack is empty.
    """

    def close(self, result: Result) -> None:
        if self.is_active:
            self.dismiss(result)
