"""Running the wizard in a terminal: one wizard per session, and what a crash leaves behind;
and one browser session's wizard for `adaptwise serve`.

The terminal itself is checked before Textual is imported (`cli.wizard`); a served
session's web driver likewise (`cli.serve`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from adaptwise.files.session import SessionInUse, SessionLock
from adaptwise.tui.app import create_app

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree

#: Textual's return code for an unhandled exception (its crash report is printed by then).
CRASHED = 1

#: Another wizard holds the session: as for bad input, nothing was done.
SESSION_IN_USE = 2


def run_wizard(loaded: LoadedTree, answers: Mapping[str, str] | None = None) -> int:
    """Run the wizard in this terminal, holding the tree's session; returns the exit code."""
    try:
        lock = SessionLock(loaded.sha256).acquire()
    except SessionInUse as busy:
        sys.stderr.write(f"adaptwise: {busy}.\n")
        return SESSION_IN_USE
    try:
        app = create_app(loaded, answers, handle_signals=True)
        try:
            app.run()
        finally:
            app.signal_exit.cancel()  # it has exited: a signalled exit needs no forcing
        if app.return_code == CRASHED:
            # The autosave is at most one step behind; make it none, unless the person had
            # not yet chosen what becomes of a saved session (then it stays as it was).
            kept = "Your answers were saved" if app.save_state() else "Any saved session was left as it was"
            sys.stderr.write(f"adaptwise hit a bug (above). {kept}: run adaptwise again to resume.\n")
        return app.return_code or 0
    finally:
        lock.release()


def run_served_wizard(loaded: LoadedTree) -> int:
    """Run one browser session's wizard under textual-serve's web driver; returns the exit code.

    Its state lives in this process, which lives as long as the browser session: no lock,
    no session file, nothing in the server's state folder for another browser to resume.
    """
    from adaptwise.tui.served import ServedApp

    app = ServedApp(loaded)
    app.run()
    if app.return_code == CRASHED:
        sys.stderr.write("adaptwise hit a bug in a served session (above); the session has ended.\n")
    return app.return_code or 0
