"""Whatever reading or writing a typed path raises stays in the dialog: the app stays up, the
dialog stays open and says what went wrong, in one line of reasonable length.

Tests run as root, where permission bits do not bind, so the errors come from the paths
themselves: a name over 255 bytes, a path over the system's limit, a folder that is a file,
a loop of symbolic links, a device, a NUL. On the fixture tree (wizard_tree.yaml).
"""

from __future__ import annotations

import errno
import os

import pytest
from textual.widgets import Input, Static

from adaptwise.tui.dialogs.open_answers import OpenAnswersDialog
from adaptwise.tui.dialogs.save import SaveFileDialog

from .conftest import SIZE, complete_answers


@pytest.fixture
def hostile_paths(tmp_path) -> dict[str, str]:
    (tmp_path / "file.txt").write_text("a file, not a folder")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    return {
        "name over 255 bytes": "x" * 300 + ".md",
        "path over the limit": "/".join(["d" * 250] * 20) + "/x.md",
        "through a regular file": str(tmp_path / "file.txt" / "x.md"),
        "a loop of links": str(tmp_path / "loop"),
        "through a loop of links": str(tmp_path / "loop" / "x.md"),
        "a device": "/dev/full",
        "a NUL": "a\x00b.md",
        "a missing folder, named with an escape": str(tmp_path / "missing" / "\x1b]2;pwned\x07report.md"),
        "a folder named with markup": str(tmp_path / "[@click=app.quit]x[/]" / "report.md"),
    }


async def submit_each(pilot, dialog_type, paths: dict[str, str]) -> None:
    app = pilot.app
    for name, path in paths.items():
        assert isinstance(app.screen, dialog_type), name
        app.screen.query_one(Input).value = path
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running, name
        assert isinstance(app.screen, dialog_type), name
        error = app.screen.query_one("#error", Static)
        shown = str(error.render())
        assert error.display and shown.strip(), name
        assert len(shown) < 400, (name, shown)
        assert "\x1b" not in shown and "\x00" not in shown, name  # escapes shown, never sent


def raw_os_error(*args, **kwargs):
    """What a reader or writer that let an OSError through would raise (ENOSPC, as /dev/full)."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_the_export_dialog_shows_os_errors(make_wizard_app, wizard_tree, hostile_paths, monkeypatch, tmp_path):
    app = make_wizard_app(complete_answers(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_export()  # from the review: the report is complete, no need to render it
        await pilot.pause()
        await submit_each(pilot, SaveFileDialog, hostile_paths)
        monkeypatch.setattr("adaptwise.files.output.write_output", raw_os_error)
        await submit_each(pilot, SaveFileDialog, {"a raw OSError": "report.md"})
        assert "No space left on device" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, SaveFileDialog)
    written = {path.name for path in tmp_path.iterdir()} - {"state", "cache"}
    assert written == {"file.txt", "loop"}  # nothing was written, no folder made


async def test_the_open_dialog_shows_os_errors(make_wizard_app, tmp_path, hostile_paths, monkeypatch):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await submit_each(pilot, OpenAnswersDialog, {**hostile_paths, "a folder": str(tmp_path)})
        monkeypatch.setattr("adaptwise.files.answers_file.load_answers_file", raw_os_error)
        await submit_each(pilot, OpenAnswersDialog, {"a raw OSError": "answers.yaml"})
