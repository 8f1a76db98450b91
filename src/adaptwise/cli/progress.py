"""Progress on the terminal for long batch runs."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalProgress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        # The bar's own carriage returns must reach the terminal, so it writes past the
        # output boundary's filter (cli/streams.py); everything it writes is its own.
        chosen = stream or getattr(sys.stderr, "unfiltered", sys.stderr)
        assert chosen is not None, "the bar is only shown on a terminal"
        self.stream: TextIO = chosen
        self.width = width
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        filled = self.width * done // total
        self.stream.write(f"\rdeciding [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
        self.stream.flush()
