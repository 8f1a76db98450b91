"""The scrolling frame of the report, restyled alone when it gains or loses focus."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ReportScroll(VerticalScroll):
    """A `VerticalScroll` whose focus restyles only itself.

    Textual restyles a widget and every descendant when its focus changes, in case a rule
    such as `X:focus Y` depends on it. The report holds hundreds of Markdown blocks and no
    rule styles them by the frame's focus, so that cascade cost a fifth of a second each
    time the recommendation gained or lost focus (on opening it, a dialog, or the path).
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
