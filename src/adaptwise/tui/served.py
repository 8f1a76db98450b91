"""The wizard as one browser session of `adaptwise serve`: files go to the browser, never
to the server's disk, and the walk is kept in this process's memory for the session's life."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ScreenStackError

from adaptwise.tui.app import AdaptwiseApp
from adaptwise.tui.autosave import MemoryAutosave

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree


class ServedApp(AdaptwiseApp):
    """The same wizard, under textual-serve's web driver (`tui.run.run_served_wizard`)."""

    def __init__(self, loaded: LoadedTree, answers: Mapping[str, str] | None = None, *, today: date | None = None):
        super().__init__(loaded, answers, today=today)
        self.autosave = MemoryAutosave(loaded.tree, loaded.sha256)

    def watch_app_focus(self, focus: bool) -> None:
        # Textual's web driver starts the app blurred, before the first screen could take its
        # AUTO_FOCUS: nothing would have focus, and Enter on the welcome screen would do nothing.
        if not focus:
            return
        try:
            screen = self.screen
        except ScreenStackError:
            return
        if screen.focused is None and screen.AUTO_FOCUS:
            for widget in screen.query(screen.AUTO_FOCUS):
                if widget.focusable:
                    screen.set_focus(widget, scroll_visible=False)
                    break

    def quit_note(self) -> str:
        return "This browser session ends, and its answers with it (nothing is kept on the server)."

    def action_export(self) -> None:
        if not self.has_decision():
            self.notify("Answer the questions first: the report comes at the end.", markup=False)
        elif self.deliver(self.report(), self.export_name(), "text/markdown"):
            self.finished = True

    def action_save_answers(self) -> None:
        if not any(value != "" for value in self.walkthrough.answers.values()):
            self.notify("There are no answers to save yet.", markup=False)
        elif self.deliver(self.exports().answers_file_text(), self.answers_name(), "application/yaml"):
            self.finished = self.has_decision()

    def action_copy_report(self) -> None:
        if not self.has_decision():
            self.notify("Answer the questions first: the report comes at the end.", markup=False)
            return
        self.copy_to_clipboard(self.report())
        # A browser may refuse the copy; the report in a tab of its own can always be copied.
        self.deliver(self.report(), self.export_name(), "text/plain", open_in_browser=True)

    def action_load_answers(self) -> None:
        # The path would name a file on the server, which is not the person's to read.
        self.notify(
            "In the browser, answers files cannot be loaded: run adaptwise on your own machine "
            "for that, or answer the questions here.",
            markup=False,
        )

    def deliver(self, text: str, name: str, mime_type: str, *, open_in_browser: bool = False) -> bool:
        """Hand `text` to the browser as the file `name`, never to the server's disk."""
        if not self.is_web:  # Textual would save it in the server's downloads folder instead
            self.notify("This session has no browser to send the file to.", severity="error", markup=False)
            return False
        self.deliver_text(
            io.StringIO(text),
            save_filename=name,
            mime_type=mime_type,
            encoding="utf-8",
            open_method="browser" if open_in_browser else "download",
        )
        if open_in_browser:
            self.notify(f"Copied the report (if your browser allows it) and opened {name} in a new tab.", markup=False)
        else:
            self.notify(f"Your browser is downloading {name}.", markup=False)
        return True
