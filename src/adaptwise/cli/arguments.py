"""The argparse pieces every command is built from.

Records are NamedTuples and plain classes, not dataclasses: each dataclass costs the
scripted path about half a millisecond to create.

`CommandParser` raises instead of exiting (so `main` decides what is printed and returned),
records the options it defines (for "did you mean" hints and for tests) and can define
them only when it is about to parse, so a run pays for its own command alone. Completers
are plain callables in argcomplete's protocol, so argcomplete itself is imported only when
the shell asks for completions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar, overload

from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    from adaptwise.cli.sources import CommandInputs
    from adaptwise.domain.model import Tree
    from adaptwise.files.trees import LoadedTree

_N = TypeVar("_N")

#: The namespace key of a question's answer: `answer:<question id>`.
ANSWER_PREFIX = "answer:"

#: Options of answer-taking commands default to SUPPRESS, so that only options actually
#: given override a lower source (a flags file, then the command line).
GIVEN_ONLY = argparse.SUPPRESS


#: The width of the formatter that only checks an argument as it is defined (never shown).
_CHECK_WIDTH = 80


class UsageError(Exception):
    """argparse refused the arguments. Shown as argparse shows it: the usage, then the error."""

    def __init__(self, parser: CommandParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message

    def show(self) -> None:
        self.parser.print_usage(sys.stderr)
        sys.stderr.write(f"{self.parser.prog}: error: {self.message}\n")


class ParserExit(Exception):
    """argparse is done early (after printing --help); `status` is the exit code."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class QuestionsFrom(NamedTuple):
    """The tree a parser's question options were generated from."""

    loaded: LoadedTree
    path: str | None
    """As given with `--tree`; None for the shipped tree."""


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that a paragraph of indented lines (the examples at
    the end of a command's help) is kept line by line instead of refilled."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(
            "\n".join(indent + line for line in paragraph.split("\n"))
            if paragraph.startswith(("  ", "Examples:"))
            else super(HelpFormatter, self)._fill_text(paragraph, width, indent)
            for paragraph in text.split("\n\n")
        )


def with_examples(epilog: str | None, examples: Sequence[str]) -> str | None:
    """A command's epilog with its examples after it, one command line each."""
    if not examples:
        return epilog
    shown = "Examples:\n" + "\n".join(f"  {example}" for example in examples)
    return f"{epilog}\n\n{shown}" if epilog else shown


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser that raises `UsageError` and `ParserExit` instead of exiting, and
    records every argument it defines (`actions`), its groups' too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        self.actions: list[argparse.Action] = []  # before super().__init__, which adds -h
        self.pending: Callable[[CommandParser, list[str]], None] | None = None
        self.questions_from: QuestionsFrom | None = None
        self.arguments: list[str] = []
        """What this parser was asked to parse when its options were defined (see `defer`)."""
        self.checking = False
        """True while `add_argument` runs (see `_get_formatter`)."""
        super().__init__(*args, **kwargs)

    @property
    def option_strings(self) -> list[str]:
        return [option for action in self.actions for option in action.option_strings]

    def add_argument(self, *name_or_flags: str, **kwargs: Any) -> argparse.Action:
        self.checking = True
        try:
            action = super().add_argument(*name_or_flags, **kwargs)
        finally:
            self.checking = False
        self.actions.append(action)
        return action

    def _get_formatter(self) -> argparse.HelpFormatter:
        if self.checking:
            # argparse builds a formatter for each argument only to check that its metavar
            # fits its nargs; the width is not read, so the terminal's is not asked for (that
            # imports shutil and asks the terminal once per option, on every run).
            return HelpFormatter(prog=self.prog, width=_CHECK_WIDTH)
        return super()._get_formatter()

    def add_group(self, title: str, description: str) -> ArgumentGroup:
        return ArgumentGroup(self, title, description)

    def defer(self, define: Callable[[CommandParser, list[str]], None]) -> None:
        """Define the options by `define(self, arguments)` just before the first parse."""
        self.pending = define

    @overload
    def parse_known_args(
        self, args: Iterable[str] | None = None, namespace: None = None
    ) -> tuple[argparse.Namespace, list[str]]: ...
    @overload
    def parse_known_args(self, args: Iterable[str] | None, namespace: _N) -> tuple[_N, list[str]]: ...
    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...
    def parse_known_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> tuple[Any, list[str]]:
        arguments = list(sys.argv[1:] if args is None else args)
        if self.pending is not None:
            define, self.pending = self.pending, None
            self.arguments = arguments
            define(self, arguments)
        return super().parse_known_args(arguments, namespace)

    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise ParserExit(status)


class ArgumentGroup:
    """A titled section of a parser's help whose options the parser still records."""

    def __init__(self, parser: CommandParser, title: str, description: str) -> None:
        self.parser = parser
        self.group = parser.add_argument_group(title, description)

    def add_argument(self, *name_or_flags: str, **kwargs: Any) -> argparse.Action:
        action = self.group.add_argument(*name_or_flags, **kwargs)
        self.parser.actions.append(action)
        return action


class Command(NamedTuple):
    """One `adaptwise COMMAND`: its help, how it defines its options, how it runs.

    Its line in `adaptwise --help` is in `parser.COMMANDS`, so that listing imports no command.
    """

    name: str
    description: str
    epilog: str | None
    define: Callable[[CommandParser, Tree | None], None]
    """Adds the command's own options; the tree is given to commands that take answers."""
    run: Callable[[argparse.Namespace], int] | None = None
    run_with_answers: Callable[[CommandInputs], int] | None = None
    """For commands that take answers (question flags, @FLAGS, --answers)."""

    @property
    def takes_answers(self) -> bool:
        return self.run_with_answers is not None


# --- what Tab offers -----------------------------------------------------------------------


class Offer:
    """Tab offers these values (argcomplete filters them by what is typed)."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = tuple(values)

    def __call__(self, **_context: object) -> tuple[str, ...]:
        return self.values


class OfferAnswers:
    """Tab offers a question's answers; for a question that takes several, typed separated by
    commas, the answer so far with each value that may still join it (never one that stands
    alone, nor one already typed)."""

    def __init__(self, values: Iterable[str], combinable: Iterable[str] = ()) -> None:
        self.values = tuple(values)
        self.combinable = tuple(combinable)

    def __call__(self, *, prefix: str = "", **_context: object) -> tuple[str, ...]:
        typed, comma, _ = prefix.rpartition(",")
        if not comma or not self.combinable:
            return self.values
        chosen = typed.split(",")
        if len(set(chosen)) < len(chosen) or not set(chosen) <= set(self.combinable):
            return ()
        return tuple(f"{typed},{value}" for value in self.combinable if value not in chosen)


class Folders:
    """Tab offers folders only."""

    def __call__(self, *, prefix: str, **_context: object) -> list[str]:
        from argcomplete.completers import DirectoriesCompleter

        return list(DirectoriesCompleter()(prefix))


def complete_with(action: argparse.Action, completer: Callable[..., Iterable[str]]) -> argparse.Action:
    action.completer = completer  # type: ignore[attr-defined]  # the attribute argcomplete reads
    return action


# --- options shared by several commands --------------------------------------------------


def add_tree_option(parser: CommandParser, help_text: str, *, default: str | None = None) -> argparse.Action:
    return parser.add_argument("--tree", metavar="PATH", default=default, help=help_text)


def add_session_options(parser: CommandParser, *, output: bool) -> None:
    """The options the wizard and `ask` share (the question flags come with the tree)."""
    parser.add_argument(
        "--answers", metavar="FILE", default=GIVEN_ONLY, help="start from the answers in this file (or pass @FLAGS)"
    )
    add_tree_option(parser, "a custom decision tree", default=GIVEN_ONLY)
    if output:
        parser.add_argument(
            "--out", metavar="PATH", default=GIVEN_ONLY, help="write the report here instead of printing it"
        )
        parser.add_argument("--force", action="store_true", default=GIVEN_ONLY, help="replace an existing --out file")


def tree_on_command_line(arguments: Sequence[str]) -> str | None:
    """The `--tree PATH` among `arguments`, spelt out in full, before the tree's own flags exist.

    An abbreviation (`--tre`) or a `--tree` in a flags file is found by the full parse;
    `sources.gather` then rebuilds the parser for that tree.
    """
    locator = CommandParser(add_help=False, allow_abbrev=False)
    add_tree_option(locator, "")
    try:
        found, _ = locator.parse_known_args(arguments)
    except UsageError:  # `--tree` without a path: the command's own parse says so
        return None
    path: str | None = found.tree
    return path


def add_question_options(parser: CommandParser, tree: Tree) -> None:
    """`--QUESTION VALUE` for every question of the tree, with both spellings of its id."""
    group = parser.add_group("answers", "One flag per question of the tree (from --tree, or the shipped one).")
    for question in tree.questions:
        names = [f"--{question.id}"]
        if "_" in question.id:
            names.append(f"--{question.id.replace('_', '-')}")
        if question.is_text:
            help_text = f"{question.prompt} Free text, optional."
        elif question.is_multiple:
            alone = [option.value for option in question.options if option.alone]
            help_text = f"{question.prompt} One or more of: {', '.join(question.combinable)}, separated by commas" + (
                f"; or one of: {', '.join(alone)}." if alone else "."
            )
        else:
            help_text = f"{question.prompt} One of: {', '.join(question.values)}."
        try:
            action = group.add_argument(
                *names, dest=ANSWER_PREFIX + question.id, metavar="VALUE", default=GIVEN_ONLY, help=help_text
            )
        except argparse.ArgumentError:
            raise InputError(
                Problem(
                    f"question '{question.id}' has the same flag as an option of {parser.prog}",
                    hint="rename the question in the tree",
                )
            ) from None
        complete_with(action, OfferAnswers(() if question.is_text else question.values, question.combinable))
