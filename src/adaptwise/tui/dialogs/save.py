"""Save a text (the report, or the answers file) to a path the person confirms.

Writes only through the core's atomic writer; an existing file asks before it is
replaced, and any error (missing folder, read-only file) is shown here, in the dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.path_dialog import PathDialog, shown_path


class SaveFileDialog(PathDialog[Path]):
    """Returns the path written, or None if the person cancelled."""

    def __init__(self, title: str, label: str, text: str, suggestion: str):
        super().__init__(title, label, "Save", value=suggestion)
        self.text = text

    def act(self, path: str) -> None:
        if not os.path.isfile(path):
            self.write(path, force=False)
            return

        def chosen(replace: bool | None) -> None:
            if replace:
                self.guarded(lambda destination: self.write(destination, force=True), path)
                return
            # Said here and as a notice: back in this dialog, nothing else shows the outcome.
            kept = f"Not replaced: {shown_path(path)} is as it was. Type another name, or press Escape."
            self.show_error(kept)
            self.app.notify(kept, markup=False)

        question = f"{path} already exists. Replace it? (Enter keeps the old file.)"
        dialog = ConfirmDialog("Replace the file?", question, yes="Replace", no="Keep the old file")
        self.app.push_screen(dialog, chosen)

    def write(self, path: str, *, force: bool) -> None:
        from adaptwise.files.output import write_output

        # "-" is a file here: standard output belongs to the wizard's own screen.
        written = write_output(self.text, os.path.join(os.curdir, path) if path == "-" else path, force=force)
        self.close(written)
