"""File permissions that really bind: a file nobody may read, a folder nobody may write in.

Root reads and writes past any mode, and CI runs as root, so each case runs in a forked
child that has dropped to an unprivileged user (`nobody`) when the suite runs as root.
The child calls the same reader and writer the commands use and sends back the one-line
problem they give, so the error path is the one a person without permission meets.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adaptwise.domain.errors import InputError
from adaptwise.files.output import write_output
from adaptwise.files.textfiles import read_text_file

NOBODY = 65534


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the unprivileged user may enter (pytest's own tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="adaptwise-permissions-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def problem_as_unprivileged_user(action: Callable[[], object]) -> str:
    """The InputError `action` raises, as text, run by a user file modes bind (forked and
    dropped to `nobody` when this process is root)."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports through the pipe
        outcome: tuple[str, str]
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            try:
                action()
                outcome = ("no problem", "")
            except InputError as error:
                outcome = ("problem", str(error))
            except BaseException as error:  # a bug: show it in the parent's assertion
                outcome = ("crashed", repr(error))
            os.write(write_end, pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(child, 0)
    kind, text = pickle.loads(data)
    assert kind == "problem", (kind, text)
    return str(text)


def test_a_file_the_user_may_not_read_is_one_line(shared_folder):
    answers = shared_folder / "answers.yaml"
    answers.write_text("a: 1\n")
    answers.chmod(0)
    text = problem_as_unprivileged_user(lambda: read_text_file(str(answers), max_bytes=100, what="answers file"))
    assert text == f"{answers}: cannot read this answers file (permission denied)"


def test_a_folder_the_user_may_not_write_in_is_one_line(shared_folder):
    locked = shared_folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    text = problem_as_unprivileged_user(lambda: write_output("x", str(locked / "report.md")))
    assert text == f"{locked / 'report.md'}: cannot write in folder {locked}{os.sep} (permission denied)"
    assert list(locked.iterdir()) == [], "nothing half-written is left behind"
