"""The CLI's output boundary: whatever a command writes to stdout and stderr passes here.

`OutputBoundary` wraps `sys.stdout` and `sys.stderr` for the length of a run. Every text
written has each unsafe character escaped (`domain.text.escape_for_output`), so no command,
present or future, can pass an escape sequence or a bidi override from its input (an
answer, a CSV cell, a file name, a report's footer) to a terminal or a log. Files the CLI
writes get the same treatment in `files.output.write_output`.

A stream that fails stops taking text, and the run goes on to its end: a closed pipe
(EPIPE, `| head`) quietly, anything else (ENOSPC on `> /dev/full`, EIO) is said in one
line on stderr, if stderr still works, and the exit is non-zero.

The full-screen wizard alone runs `unfiltered()`: Textual owns the terminal and writes its
own escape sequences (its crash report too), and shows the tree's text as literal text.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO, cast

from adaptwise.cli import exits
from adaptwise.domain.text import escape_for_output

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from types import TracebackType


class SafeStream:
    """A text stream that escapes unsafe characters and records, rather than raises, a failure."""

    def __init__(self, stream: TextIO, name: str) -> None:
        self.stream = stream
        self.name = name
        self.failure: OSError | None = None
        """The first error other than a closed pipe; the boundary reports it."""
        self.gone = False
        """Nothing more is written: the stream failed, or its reader went away."""

    @property
    def unfiltered(self) -> TextIO:
        """The stream itself, for adaptwise's own control characters (the progress bar's CR)."""
        return self.stream

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self.stream.write(escape_for_output(text))
            except OSError as error:
                self._failed(error)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except OSError as error:
                self._failed(error)

    def _failed(self, error: OSError) -> None:
        from adaptwise.files.output import silence

        self.gone = True
        if not isinstance(error, BrokenPipeError) and self.failure is None:
            self.failure = error
        silence(self.stream)  # so the interpreter's last flush finds devnull, not the error

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, buffer, encoding ...
        return getattr(self.stream, name)


class _Nowhere:
    """Where stderr's text goes when the process was started without one: nowhere."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


class OutputBoundary:
    """`with OutputBoundary() as boundary: ... return boundary.close(code)`."""

    def __init__(self) -> None:
        self.saved = (sys.stdout, sys.stderr)
        self.stdout = SafeStream(sys.stdout, "standard output") if sys.stdout is not None else None
        # Started with stderr closed (`2>&-`), print(file=sys.stderr) would write to stdout.
        self.stderr = SafeStream(sys.stderr if sys.stderr is not None else cast(TextIO, _Nowhere()), "standard error")

    def __enter__(self) -> OutputBoundary:
        if self.stdout is not None:
            sys.stdout = cast(TextIO, self.stdout)
        if self.stderr is not None:
            sys.stderr = cast(TextIO, self.stderr)
        return self

    def close(self, code: int) -> int:
        """Flush both streams; the exit code, made non-zero if either failed."""
        from adaptwise.domain.errors import os_problem

        failed = False
        for stream in (self.stdout, self.stderr):
            if stream is None:
                continue
            stream.flush()
            if stream.failure is not None:
                failed = True
                if stream is not self.stderr:
                    self.stderr.write(f"adaptwise: error: {os_problem(stream.failure, stream.name, 'write')}\n")
                    self.stderr.flush()
        if failed and code in (exits.OK, exits.CHANGED):
            return exits.BAD_INPUT
        return code

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        sys.stdout, sys.stderr = self.saved


def unfiltered() -> AbstractContextManager[None]:
    """The streams as they were, for the length of a `with`: only for the full-screen wizard."""
    from contextlib import contextmanager

    @contextmanager
    def suspended() -> Iterator[None]:
        filtered = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = (stream.stream if isinstance(stream, SafeStream) else stream for stream in filtered)
        try:
            yield
        finally:
            sys.stdout, sys.stderr = filtered

    return suspended()
