"""The one error type for bad input: what went wrong, and exactly where.

Every layer raises `InputError` with one or more `Problem`s; the CLI prints them on one
screen and exits 2. Tracebacks are reserved for bugs.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, replace

#: How many lines of problems an error prints before summarising the rest: one screen.
MAX_LINES = 20


#: No line of a problem is longer than this. A backstop behind `text.echo`, the one way a
#: value from the input is repeated, for any message that still repeats one whole.
MAX_LINE = 1000


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as the input allows."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    question: str | None = None
    expected: str | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        """'file:line:col', as much of it as is known ('' when nothing is)."""
        if self.file is None and self.line is None:
            return ""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def at(self, file: str | None, line: int | None = None, column: int | None = None) -> Problem:
        """The same problem, placed in a file (keeps a position already known)."""
        return replace(
            self,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            column=self.column if self.column is not None else column,
        )

    def __str__(self) -> str:
        head = f"{self.location}: " if self.location else ""
        if self.question:
            head += f"question '{self.question}': "
        lines = [head + self.message]
        if self.expected:
            lines.append(f"    expected: {self.expected}")
        if self.hint:
            lines.append(f"    {self.hint}")
        return "\n".join(_capped(line) for text in lines for line in text.split("\n"))


def _capped(line: str) -> str:
    if len(line) <= MAX_LINE:
        return line
    return f"{line[:MAX_LINE]}… ({len(line):,} characters)"


def os_problem(error: OSError, file: str | None = None, doing: str = "use it") -> Problem:
    """An operating-system error as one Problem: the path and the cause, in the system's
    words ('No space left on device'). Every reader and writer says OSErrors this way, and
    the CLI's last resort too; `file` defaults to the path the error names.
    """
    if file is None and error.filename is not None:
        name = error.filename
        file = name.decode("utf-8", "surrogateescape") if isinstance(name, bytes) else str(name)
    cause = "permission denied" if error.errno == errno.EACCES else error.strerror or str(error)
    return Problem(f"cannot {doing} ({cause or type(error).__name__})", file=file)


class as_input_error:  # lower case: a context manager, named for the `with` line it makes
    """`with as_input_error(path, "list this folder"):` makes any OSError inside one InputError
    (`os_problem`), for the readers and writers whose calls are too many to wrap one by one."""

    def __init__(self, file: str | None, doing: str) -> None:
        self.file = file
        self.doing = doing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _traceback: object) -> None:
        if isinstance(error, OSError):
            raise InputError(os_problem(error, self.file, self.doing)) from None


class InputError(Exception):
    """Bad input from a user or a tree author. Never a bug in adaptwise."""

    def __init__(self, problems: Problem | Iterable[Problem], summary: str | None = None):
        self.problems: tuple[Problem, ...] = (problems,) if isinstance(problems, Problem) else tuple(problems)
        if not self.problems:
            raise ValueError("an InputError needs at least one problem")
        self.summary = summary
        super().__init__(self.render())

    def render(self) -> str:
        """The text shown to a person: a summary line, then each problem, on one screen."""
        shown: list[str] = []
        lines = 0
        for problem in self.problems:
            text = str(problem)
            lines += text.count("\n") + 1
            if lines > MAX_LINES and shown:
                break
            shown.append(text)
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"... and {hidden} more problem{'s' if hidden > 1 else ''}")
        return "\n".join(([self.summary] if self.summary else []) + shown)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelt id or value, or None if nothing is close."""
    import difflib  # only needed on the error path

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
