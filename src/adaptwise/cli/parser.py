"""The one argparse tree: `adaptwise` with a subparser per command.

Runs, `--help` and Tab completion all read it. For a run, a command's module is imported
and its options defined only when that command parses (`CommandParser.defer`), so
`adaptwise --help` loads no tree and `recommend` pays for its own parser alone (the
scripted path's start-up budget, see bench/bench_recommend.py). The question flags come
from the tree that `--tree` names, or the shipped one.
"""

from __future__ import annotations

import importlib
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from adaptwise import __version__
from adaptwise.cli.arguments import (
    Command,
    CommandParser,
    QuestionsFrom,
    add_question_options,
    tree_on_command_line,
    with_examples,
)
from adaptwise.domain.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable

    from adaptwise.files.trees import LoadedTree


class Entry(NamedTuple):
    name: str
    summary: str
    """Its line in `adaptwise --help`."""
    module: str
    """Where its `COMMAND` is."""


#: In the order `adaptwise --help` lists them.
COMMANDS: tuple[Entry, ...] = (
    Entry("wizard", "the interactive wizard (the default)", "adaptwise.cli.wizard"),
    Entry("recommend", "decide from answers given as flags or files, for scripts", "adaptwise.cli.recommend"),
    Entry("ask", "the wizard as plain line-by-line prompts (screen readers, logs)", "adaptwise.cli.ask_command"),
    Entry("check", "check a decision tree for mistakes; emit and run regression answers", "adaptwise.cli.check"),
    Entry("replay", "re-decide an exported report with the current tree and report the drift", "adaptwise.cli.replay"),
    Entry("batch", "decide a portfolio of answers files or a CSV, one row per initiative", "adaptwise.cli.batch"),
    Entry("schema", "print the JSON Schema of a tree file or of an answers file", "adaptwise.cli.schema"),
    Entry("graph", "print the whole tree as a Mermaid or Graphviz picture", "adaptwise.cli.graph"),
    Entry("tree", "show the tree in force, a company tree merged with those it extends", "adaptwise.cli.tree_command"),
    Entry("serve", "serve the wizard in the browser, one process per browser session", "adaptwise.cli.serve"),
    Entry("completion", "print the shell code for tab completion (bash, zsh, fish)", "adaptwise.cli.completion"),
)

COMMAND_NAMES = tuple(entry.name for entry in COMMANDS)

#: The last lines of each command's --help: an example or two to start from.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "wizard": ("adaptwise wizard", "adaptwise wizard --answers answers.yaml   # opens on the review"),
    "recommend": (
        "adaptwise recommend --answers answers.yaml --out review.md",
        "adaptwise recommend @team.flags --defaults --format json --out decision.json",
    ),
    "ask": ("adaptwise ask", "adaptwise ask --answers answers.yaml --out review.md"),
    "check": (
        "adaptwise check my_tree.yaml",
        "adaptwise check my_tree.yaml --emit-tests regression/   # then, after an edit: --run-tests regression/",
    ),
    "replay": ("adaptwise replay review.md", "adaptwise replay review.md --tree my_tree.yaml --format json"),
    "batch": ("adaptwise batch portfolio/", "adaptwise batch q3.csv --defaults --format csv --out q3-decisions.csv"),
    "schema": ("adaptwise schema", "adaptwise schema answers --tree my_tree.yaml"),
    "graph": ("adaptwise graph", "adaptwise graph --format dot | dot -Tsvg > tree.svg"),
    "tree": ("adaptwise tree show", "adaptwise tree show --tree acme_tree.yaml --out merged.yaml"),
    "serve": ("adaptwise serve", "adaptwise serve --port 8000"),
    "completion": ('eval "$(adaptwise completion bash)"   # in ~/.bashrc', "adaptwise completion zsh"),
}


class Parsers(NamedTuple):
    top: CommandParser
    commands: dict[str, CommandParser]


def load_command(name: str) -> Command:
    module = importlib.import_module(next(entry.module for entry in COMMANDS if entry.name == name))
    command = module.COMMAND
    assert isinstance(command, Command) and command.name == name, name
    return command


def build_parser(first: str | None = None) -> Parsers:
    """For a run: each command defines its options when, and only if, it parses.

    When `first` (the first argument) names a command, the tree has that command alone:
    a run needs no other, and each parser argparse builds costs about 0.15 ms.
    """
    entries = tuple(entry for entry in COMMANDS if entry.name == first) or COMMANDS
    return _build(lambda name, parser: parser.defer(partial(_define_when_parsing, name)), entries)


def build_complete_parser(loaded: LoadedTree | None) -> Parsers:
    """Every command's options at once, the question flags from `loaded` (none when None)."""
    return _build(lambda name, parser: _define(load_command(name), parser, loaded, None))


def command_parser(command: Command, loaded: LoadedTree, path: str | None) -> CommandParser:
    """A command's parser on its own, for the tree at `path` (see `sources.gather`)."""
    parser = CommandParser(prog=f"adaptwise {command.name}")
    _define(command, parser, loaded, path)
    return parser


def refuse_unknown_command(arguments: list[str], parsers: Parsers) -> None:
    """The first argument names a command or is one of adaptwise's own options."""
    first = arguments[0]
    if first in COMMAND_NAMES or first in parsers.top.option_strings:
        return
    if first.startswith(("-", "@")):  # `adaptwise --answers x`: the wizard's options, without its name
        raise InputError(
            Problem(
                f"'{first.partition('=')[0]}' is an option of a command; adaptwise alone takes no answers",
                hint="for the wizard, name it first: 'adaptwise wizard " + " ".join(arguments) + "'",
            )
        )
    raise InputError(
        Problem(
            f"unknown command '{first}'",
            expected="one of " + ", ".join(COMMAND_NAMES),
            hint=did_you_mean(first, COMMAND_NAMES) or "run 'adaptwise --help'",
        )
    )


def version_text() -> str:
    """adaptwise's version, then the tree in force: its version, where it is, and why."""
    from adaptwise.files.trees import load_tree, tree_in_force

    try:
        _, source, chosen_by = tree_in_force()
    except InputError as error:  # a config file that cannot be read
        return f"adaptwise {__version__}\ndecision tree: unreadable ({error.problems[0]})"
    try:
        loaded = load_tree()
    except InputError:
        return f"adaptwise {__version__} (decision tree unreadable)\ndecision tree: {source} ({chosen_by}), not valid"
    version = loaded.tree.version + "".join(f", extending {base.version}" for base in loaded.bases)
    why = "the shipped tree" if chosen_by == "shipped" else f"from {chosen_by}"
    extends = "".join(f", extending {base.source}" for base in loaded.bases)
    return f"adaptwise {__version__} (decision tree {version})\ndecision tree: {source}{extends} ({why})"


def _build(prepare: Callable[[str, CommandParser], None], entries: tuple[Entry, ...] = COMMANDS) -> Parsers:
    top = CommandParser(
        prog="adaptwise",
        description=(
            "Decide between prompt engineering, fine-tuning and training, with the reasons. "
            "With no command, opens the wizard."
        ),
        epilog=with_examples(
            "Run 'adaptwise COMMAND --help' for a command's options.",
            ("adaptwise", "adaptwise recommend --answers answers.yaml"),
        ),
    )
    top.add_argument("--version", action="store_true", help="show the version and the tree's version")
    # `prog` given: argparse would otherwise format a usage line (and ask the terminal its
    # width) to find the subcommands' prefix, which for a parser with no positionals is this.
    subparsers = top.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", parser_class=CommandParser, prog=top.prog
    )
    commands: dict[str, CommandParser] = {}
    for entry in entries:
        commands[entry.name] = parser = subparsers.add_parser(entry.name, help=entry.summary)
        prepare(entry.name, parser)
    return Parsers(top, commands)


def _define_when_parsing(name: str, parser: CommandParser, arguments: list[str]) -> None:
    command = load_command(name)
    loaded, path = None, None
    if command.takes_answers:
        from adaptwise.files.trees import load_tree

        path = tree_on_command_line(arguments)
        loaded = load_tree(path)
    _define(command, parser, loaded, path)


def _define(command: Command, parser: CommandParser, loaded: LoadedTree | None, path: str | None) -> None:
    parser.description = command.description
    parser.epilog = with_examples(command.epilog, EXAMPLES.get(command.name, ()))
    command.define(parser, loaded.tree if loaded is not None else None)
    if command.takes_answers and loaded is not None:
        add_question_options(parser, loaded.tree)
        parser.questions_from = QuestionsFrom(loaded, path)
