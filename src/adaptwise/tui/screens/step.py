"""What every full screen of the wizard is: one step of the walkthrough, shown."""

from __future__ import annotations

from textual.screen import Screen

from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.widgets.title_bar import TitleBar


class StepScreen(Screen[None]):
    """Shows `step`, the walkthrough as it was when the app made this screen.

    Every message the screen posts names that step, and the app acts on it only while the
    step is still the walkthrough's and this screen is shown (see `tui.messages`).
    """

    def __init__(self, step: Walkthrough, sub_title: str):
        super().__init__()
        self.step = step
        self.sub_title = sub_title

    def title_bar(self) -> TitleBar:
        return TitleBar(self.app.title, self.sub_title or "")
