"""The wizard opens only where it can be drawn: with TERM=dumb (or no terminal) it says so in
one line, points to `adaptwise ask`, and exits 2 before any full-screen drawing."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from adaptwise.cli.wizard import terminal_refusal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_dumb_terminal_is_refused_with_a_pointer_to_ask():
    for term in ("dumb", "DUMB", " dumb"):
        refusal = terminal_refusal({"TERM": term}, Terminal(), Terminal())
        assert refusal is not None and "TERM=dumb" in refusal and "adaptwise ask" in refusal, term
        assert "\n" not in refusal
    assert terminal_refusal({"TERM": "xterm-256color"}, Terminal(), Terminal()) is None
    assert terminal_refusal({}, Terminal(), Terminal()) is None
    refusal = terminal_refusal({"TERM": "xterm"}, io.StringIO(), Terminal())
    assert refusal is not None and "adaptwise ask" in refusal
    refusal = terminal_refusal({"TERM": "xterm"}, None, Terminal())
    assert refusal is not None and "adaptwise ask" in refusal


def test_the_wizard_in_a_dumb_terminal_exits_2_without_drawing(cli_env, tmp_path):
    import pty

    primary, secondary = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "adaptwise"],
            stdin=secondary,
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            timeout=20,
            env={**cli_env, "TERM": "dumb", "ADAPTWISE_STATE_DIR": str(tmp_path / "state")},
        )
        os.set_blocking(primary, False)
        try:
            drawn = os.read(primary, 65536)
        except BlockingIOError:
            drawn = b""
    finally:
        os.close(primary)
        os.close(secondary)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "TERM=dumb" in run.stderr and "adaptwise ask" in run.stderr
    assert b"\x1b" not in drawn  # no alternate screen, no cursor moves: nothing drawn
