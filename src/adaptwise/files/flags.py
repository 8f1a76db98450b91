"""`@file` arguments: flags kept in a file, one per line, expanded before argparse runs.

argparse's own `fromfile_prefix_chars` recurses without limit (a file that includes
itself ends in RecursionError) and cannot say which line was wrong; this can.

A flags file holds, one per line:

    --initiative=Claims triage bot     # a value keeps its inner spaces
    --budget low                       # the same as --budget=low
    --defaults                         # a switch
    @common.flags                      # another flags file, relative to this one

Blank lines and lines starting with `#` are skipped. A `#` starts a trailing comment
only when whitespace comes before it and whitespace or the line's end after it, so
`--initiative=Team #1 bot` keeps its `#1`. Values are always passed on as
`--id=value`, so a value that starts with `-` or `@` is still a value.

As with argparse, every command-line argument that starts with `@` names a flags
file; a value starting with `@` must be written `--id=@value`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from adaptwise.domain.errors import InputError, Problem, os_problem
from adaptwise.domain.text import echo, find_unsafe_character
from adaptwise.files.textfiles import read_text_file

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Any


#: Deeper than this is a mistake, not an organisation of flags.
MAX_NESTING = 16


MAX_BYTES = 1 << 20


MAX_FILES = 256


#: A command has a few dozen options; more flags than this is a wrong file, and each costs
#: argparse a parse of its own (to say which line set what), so the cap keeps that bounded.
MAX_FLAGS = 1000


#: Stop collecting after this many bad lines: enough to fix a file, cheap for a megabyte of them.
_MAX_PROBLEMS = 100


_TRAILING_COMMENT = r"\s#(?:\s|$)"


@dataclass(frozen=True, slots=True)
class Flag:
    """One argument, and the flags-file line it came from (None for the command line)."""

    text: str
    file: str | None = None
    line: int | None = None
    column: int | None = None


def expand_flag_files(argv: Sequence[str], *, base: Path | None = None) -> list[str]:
    """`argv` with each `@file` replaced by the flags in it, in order, so later flags win.

    Relative `@file` paths in `argv` are taken from `base` (default: the current folder);
    inside a flags file, from that file's folder.
    """
    return [flag.text for flag in read_flags(argv, base=base)]


def read_flags(argv: Sequence[str], *, base: Path | None = None) -> list[Flag]:
    """Like `expand_flag_files`, keeping where each flag was written, for error messages."""
    expansion = _Expansion()
    for argument in argv:
        if argument.startswith("@"):
            name = os.path.expanduser(argument[1:])
            shown = os.path.join(base, name) if base is not None else name
            expansion.include(name, shown, base or Path(), including=None)
        else:
            expansion.flags.append(Flag(argument))
    if expansion.problems:
        count = len(expansion.problems)
        summary = f"{count} problems in flags files" if count > 1 else None
        raise InputError(expansion.problems, summary)
    return expansion.flags


class _Expansion:
    """The flags gathered so far, the problems found, and the files being read."""

    def __init__(self) -> None:
        self.flags: list[Flag] = []
        self.problems: list[Problem] = []
        # Files being read, outermost first: [real path, shown name, line of the @ being expanded]
        self.chain: list[list[Any]] = []
        self.files_read = 0

    def include(self, name: str, shown: str, folder: Path, including: tuple[str, int, int] | None) -> None:
        """Expand the flags file `name` (as written), found relative to `folder`.

        `including` is (file, line, column) of the `@` line that named it, if any, so
        errors point at that line rather than at a file the user never named directly.
        """

        def located(problem: Problem) -> Problem:
            if including is None:
                return replace(problem, file=shown)
            file, line, column = including
            return replace(problem, file=file, line=line, column=column, message=f"{shown}: {problem.message}")

        if not name.strip():
            self.problems.append(located(Problem("'@' must be followed by a flags file name", hint="e.g. @team.flags")))
            return
        path = folder / name
        try:
            real = os.path.realpath(path)
        except OSError as error:  # the current folder was removed, say
            self.problems.append(located(os_problem(error, None, "read this flags file")))
            return
        for index, (open_real, _shown, _line) in enumerate(self.chain):
            if open_real == real:
                raise InputError(self._cycle(index, shown))
        if len(self.chain) >= MAX_NESTING:
            raise InputError(located(Problem(f"flags files nest more than {MAX_NESTING} deep")))
        # Including the same files over and over grows exponentially without any cycle.
        self.files_read += 1
        if self.files_read > MAX_FILES:
            raise InputError(located(Problem(f"more than {MAX_FILES} flags files read; stopping here")))
        try:
            text = read_text_file(path, max_bytes=MAX_BYTES, what="flags file")
        except InputError as error:
            self.problems.extend(located(problem) for problem in error.problems)
            return
        self.chain.append([real, shown, 0])
        try:
            self._read_lines(text, shown, path.parent)
        finally:
            self.chain.pop()

    def _cycle(self, index: int, again: str) -> Problem:
        """A file that includes itself, reported at its own @ line that starts the loop.

        `again` is the name the file was included by this time (a symlink may differ).
        """
        _real, start, start_line = self.chain[index]
        via = [shown for _real, shown, _line in self.chain[index + 1 :]]
        if again != start:
            via.append(again)
        links = [f"{shown}:{line}" for _real, shown, line in self.chain[index:]]
        return Problem(
            f"includes itself via {', '.join(via)}" if via else "includes itself",
            file=start,
            line=start_line,
            hint="the loop: " + " → ".join([*links, again]),
        )

    def _read_lines(self, text: str, shown: str, folder: Path) -> None:
        for number, raw in enumerate(text.split("\n"), start=1):
            if len(self.problems) >= _MAX_PROBLEMS:
                return
            line = raw.removesuffix("\r")
            unsafe = find_unsafe_character(line)
            if unsafe is not None:
                index, character = unsafe
                self.problems.append(
                    Problem(
                        f"contains the unsafe character {character}",
                        file=shown,
                        line=number,
                        column=index + 1,
                        hint="control, bidirectional and zero-width characters can disguise "
                        "what a terminal shows; remove it",
                    )
                )
                continue
            comment = re.search(_TRAILING_COMMENT, line)
            if comment is not None:
                line = line[: comment.start()]
            indent = len(line) - len(line.lstrip())
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                self.chain[-1][2] = number  # so a loop can be reported at this line
                name = os.path.expanduser(line[1:].strip())
                nested_shown = os.path.normpath(os.path.join(os.path.dirname(shown), name))
                self.include(name, nested_shown, folder, including=(shown, number, indent + 1))
            elif line.startswith("--") and len(line) > 2 and not line[2].isspace():
                if len(self.flags) >= MAX_FLAGS:
                    raise InputError(
                        Problem(
                            f"more than {MAX_FLAGS:,} flags; stopping here",
                            file=shown,
                            line=number,
                            column=indent + 1,
                            hint="a flags file holds a command's options, a few dozen at most",
                        )
                    )
                self.flags.append(Flag(_as_one_argument(line), shown, number, indent + 1))
            else:
                self.problems.append(
                    Problem(
                        "expected --question=value",
                        file=shown,
                        line=number,
                        column=indent + 1,
                        hint=f"found '{echo(line)}'; each line holds one --flag, an @file, or a # comment",
                    )
                )


def _as_one_argument(line: str) -> str:
    """`--id=value`, `--id value` or `--switch` as the single argument argparse expects."""
    split = re.match(r"(\S+)\s+(.*)", line)  # `line` is already stripped
    if split is None:
        return line
    flag, value = split.groups()
    if "=" in flag:  # `--id=Claims triage bot`, or `--id= value`
        name, _equals, value = line.partition("=")
        return f"{name}={value.strip()}"
    return f"{flag}={value}"
