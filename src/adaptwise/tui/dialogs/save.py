"""Save a text (the report, or the answers file) to a path the person confirms.

Writes only through the core's atomic writer; an existing file asks before it is
replaced, and any error (missing folder, read-only file) is shown here, in the dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

from adaptwise.domain.errors import InputError
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.path_dialog import PathDialog


class SaveFileDialog(PathDialog[Path]):
    """Returns the path written, or None if the person cancelled."""

    def __init__(self, title: str, label: str, text: str, suggestion: str):
        super().__init__(title, label, "Save", value=suggestion)
        self.text = text

    def attempt(self, force: bool = False) -> None:
        destination = self.typed_path()
        if not destination:
            self.show_error("Type a file name.")
            return
        if not force and os.path.isfile(destination):

            def chosen(replace: bool | None) -> None:
                if replace:
                    self.attempt(force=True)
                else:
                    self.query_one("#path").focus()

            question = f"{destination} already exists. Replace it?"
            self.app.push_screen(ConfirmDialog("Replace the file?", question, yes="Replace", no="Cancel"), chosen)
            return
        from adaptwise.files.output import write_output

        try:
            written = write_output(self.text, destination, force=force)
        except InputError as error:
            self.show_error(error.render())
            return
        self.dismiss(written)
