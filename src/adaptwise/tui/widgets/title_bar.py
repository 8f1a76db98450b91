"""The title line at the top of every screen: "adaptwise — Question 3 of about 9".

It looks like Textual's `Header`, but it is told its text once and never looks it up again.
`Header` refreshes its title from a deferred callback that queries its own children; when a
burst of keys replaces a screen that has only just mounted, or the app quits at that moment,
the children are already gone and the query ends the app (`NoMatches: 'HeaderTitle'`).
A screen's title here never changes while it is shown, so nothing needs to be deferred.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.events import Click
from textual.widget import Widget
from textual.widgets import Static


class _Icon(Static):
    """The ⭘ at the left: a click opens the command palette, as in Textual's own header."""

    async def on_click(self, event: Click) -> None:
        event.stop()
        await self.run_action("app.command_palette")


class TitleBar(Widget):
    """The app's title and the screen's sub-title, centred, in one docked line."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    TitleBar > .title-icon {
        dock: left;
        padding: 0 1;
        width: 8;
        content-align: left middle;
    }
    TitleBar > .title-icon:hover {
        background: $foreground 10%;
    }
    TitleBar > .title-text {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        content-align: center middle;
        width: 100%;
    }
    TitleBar > .title-space {
        dock: right;
        width: 10;
        padding: 0 1;
    }
    """

    def __init__(self, title: str, sub_title: str) -> None:
        super().__init__()
        self.title_text = title
        self.sub_title_text = sub_title

    def compose(self) -> ComposeResult:
        yield _Icon("⭘", classes="title-icon")
        yield Static(self._text(), classes="title-text")
        yield Static(classes="title-space")

    def _text(self) -> Content:
        # The same words and styles as Textual's `App.format_title` gives its header.
        title = Content(self.title_text)
        if not self.sub_title_text:
            return title
        return Content.assemble(title, (" — ", "dim"), Content(self.sub_title_text).stylize("dim"))
