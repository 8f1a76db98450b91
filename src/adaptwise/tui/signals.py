"""SIGTERM, SIGHUP and SIGINT in the wizard: save, restore the terminal, exit 128+signal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adaptwise.tui.app import AdaptwiseApp

#: How long a signalled exit may take (a closed terminal can block writes) before we force it.
GRACE_SECONDS = 3.0

SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class SignalExit:
    """Saves the session and exits the app with 128+signal; with `force`, ends the process
    after the grace period should the exit hang (`cancel` once the app has exited)."""

    def __init__(self, app: AdaptwiseApp, *, force: bool):
        self.app = app
        self.force = force
        self._timer: threading.Timer | None = None

    def install(self) -> None:
        """Handle the signals in the app's event loop (from its main thread only)."""
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):  # not the main thread
                loop.add_signal_handler(signum, self, signum)

    def __call__(self, signum: int) -> None:
        self.app.save_state()
        code = 128 + signum
        if self.force and self._timer is None:
            self._timer = threading.Timer(GRACE_SECONDS, os._exit, (code,))
            self._timer.daemon = True
            self._timer.start()
        self.app.exit(return_code=code)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
