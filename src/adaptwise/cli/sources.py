"""Options and answers from every source, in the documented precedence (README,
"adaptwise recommend"): a flag on the command line, then flags files (a later one wins),
then an answers file; the question's default comes last, and only with `--defaults`
(the engine's `decide_with_defaults`; without it, `decide_or_refuse`).

`@FILE` arguments are the ones argparse leaves over that start with `@`: argparse knows
which options take a value, so in `--initiative @home` the `@home` stays a value.

A flags file may name the tree (`--tree=PATH`, relative to the current folder like every
other path value). The question flags depend on the tree, so the parser is then rebuilt
for it and the arguments parsed again.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, NamedTuple

from adaptwise.cli.arguments import ANSWER_PREFIX, Command, CommandParser, UsageError
from adaptwise.domain.answers import Locate, Origin
from adaptwise.domain.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from adaptwise.files.flags import Flag
    from adaptwise.files.trees import LoadedTree

#: Enough for a flags file to name the tree once; more means the trees keep disagreeing.
_MAX_REBUILDS = 2


class CommandInputs(NamedTuple):
    """What an answer-taking command runs with: the tree, its options and its answers."""

    loaded: LoadedTree
    options: dict[str, Any]
    """The command's options that were given (a flags file's, overridden by the command line's)."""
    answers: dict[str, str]
    """Checked answers from every source, the highest precedence winning."""


class _Layer:
    """One `@FILE` (with the files it includes), parsed."""

    def __init__(self, name: str, flags: list[Flag], namespace: argparse.Namespace, extras: list[str]) -> None:
        self.name = name
        self.flags = flags
        self.namespace = namespace
        self.extras = extras
        self.origins: dict[str, Origin] = {}
        """For each option's dest, the line that set it last."""


def gather(command: Command, parser: CommandParser, namespace: argparse.Namespace, extras: list[str]) -> CommandInputs:
    """Read the `@FILE`s among `extras`, settle the tree, and combine every source."""
    from adaptwise.cli.parser import command_parser

    read: dict[str, list[Flag]] = {}
    for _ in range(_MAX_REBUILDS + 1):
        bound = parser.questions_from
        assert bound is not None, "answer-taking commands are parsed with a tree"
        tokens = [token for token in extras if token.startswith("@")]
        try:
            layers = [_parse_layer(parser, token, read) for token in tokens]
        except InputError:
            # A flag this tree does not know may be one of the tree a flags file names.
            path, origin = _tree_named_in_full(namespace, [read[token] for token in tokens if token in read])
            if path == bound.path:
                raise
        else:
            path, origin = _tree_wanted(namespace, layers)
            if path == bound.path:
                return _combine(parser, bound.loaded, namespace, extras, layers)
        arguments = parser.arguments
        parser = command_parser(command, _load_tree(path, origin), path)
        parser.arguments = arguments
        namespace, extras = parser.parse_known_args(arguments)
    raise InputError(Problem("the flags files keep naming different trees", hint="name the tree with --tree"))


def _parse_layer(parser: CommandParser, token: str, read: dict[str, list[Flag]]) -> _Layer:
    from adaptwise.files.flags import read_flags

    if token not in read:
        read[token] = read_flags([token])
    flags = read[token]
    try:
        namespace, extras = parser.parse_known_args([flag.text for flag in flags])
    except UsageError as error:
        raise _located(parser, token[1:], flags, error) from None
    layer = _Layer(token[1:], flags, namespace, extras)
    # Which option each line sets depends on its name alone: one parse per name, not per line.
    dests: dict[str, list[str]] = {}
    for flag in flags:
        name = flag.text.split("=", 1)[0]
        if name not in dests:
            one, _ = parser.parse_known_args([flag.text])
            dests[name] = list(vars(one))
        for dest in dests[name]:
            layer.origins[dest] = Origin(flag.file, flag.line, flag.column)
    return layer


def _located(parser: CommandParser, name: str, flags: list[Flag], error: UsageError) -> InputError:
    """argparse's complaint about a flags file, at the line it is about."""
    for flag in flags:
        try:
            parser.parse_known_args([flag.text])
        except UsageError as one:
            return InputError(Problem(one.message, file=flag.file, line=flag.line, column=flag.column))
    return InputError(Problem(error.message, file=name))


def _tree_wanted(namespace: argparse.Namespace, layers: list[_Layer]) -> tuple[str | None, Origin | None]:
    """The tree the sources name, and where a flags file named it (the command line wins)."""
    if "tree" in vars(namespace):
        return namespace.tree, None
    for layer in reversed(layers):
        if "tree" in vars(layer.namespace):
            return layer.namespace.tree, layer.origins.get("tree")
    return None, None


def _tree_named_in_full(namespace: argparse.Namespace, layers: list[list[Flag]]) -> tuple[str | None, Origin | None]:
    """`_tree_wanted` for flags files that do not parse: their `--tree PATH` spelt in full."""
    from adaptwise.cli.arguments import tree_on_command_line

    if "tree" in vars(namespace):
        return namespace.tree, None
    for flags in reversed(layers):
        for flag in reversed(flags):
            if flag.text.startswith("--tree") and (path := tree_on_command_line([flag.text])) is not None:
                return path, Origin(flag.file, flag.line, flag.column)
    return None, None


def _load_tree(path: str | None, origin: Origin | None) -> LoadedTree:
    from adaptwise.files.trees import load_tree

    try:
        return load_tree(path)
    except InputError as error:
        if origin is None:
            raise
        here = Problem(f"--tree {path}: the tree named here cannot be used", origin.file, origin.line, origin.column)
        raise InputError([here, *error.problems], error.summary) from None


def _combine(
    parser: CommandParser,
    loaded: LoadedTree,
    namespace: argparse.Namespace,
    extras: list[str],
    layers: list[_Layer],
) -> CommandInputs:
    from adaptwise.domain.answers import check_answers
    from adaptwise.files.answers_file import load_answers_file

    tree = loaded.tree
    options: dict[str, Any] = {}
    layered: list[dict[str, str]] = []
    for layer in layers:
        _refuse_unknown(parser, layer.extras, layer)
        _merge(options, _options(layer.namespace))
        layered.append(check_answers(tree, _raw_answers(layer.namespace), _locator(layer)))
    _refuse_unknown(parser, [token for token in extras if not token.startswith("@")])
    _merge(options, _options(namespace))
    command_line = check_answers(tree, _raw_answers(namespace), lambda _key, _of_key: Origin("command line"))

    answers: dict[str, str] = {}
    if options.get("answers"):
        answers.update(load_answers_file(options["answers"], tree))
    for layer_answers in layered:
        answers.update(layer_answers)
    answers.update(command_line)
    return CommandInputs(loaded, options, answers)


def _merge(options: dict[str, Any], higher: dict[str, Any]) -> None:
    """A higher source's options over a lower's; a repeatable option (`--assume`) adds to the
    lower's list rather than replacing it, so no flags file's entry is silently dropped
    (for the same assumption the later entry still wins, as `recommend` reads them in order)."""
    for key, value in higher.items():
        lower = options.get(key)
        options[key] = lower + value if isinstance(value, list) and isinstance(lower, list) else value


def _locator(layer: _Layer) -> Locate:
    """Where a flags file set each answer; the file alone for what no single line set."""
    fallback = Origin(layer.name)
    return lambda key, _of_key: layer.origins.get(ANSWER_PREFIX + key, fallback)


def _options(namespace: argparse.Namespace) -> dict[str, Any]:
    return {key: value for key, value in vars(namespace).items() if not key.startswith(ANSWER_PREFIX)}


def _raw_answers(namespace: argparse.Namespace) -> dict[str, str]:
    return {
        key.removeprefix(ANSWER_PREFIX): value
        for key, value in vars(namespace).items()
        if key.startswith(ANSWER_PREFIX)
    }


def _refuse_unknown(parser: CommandParser, extras: list[str], layer: _Layer | None = None) -> None:
    """Arguments argparse did not take: unknown options and stray words, each placed."""
    if not extras:
        return
    unplaced: dict[str, list[Flag]] = {}  # the lines of each text, in order, still to be placed
    for flag in reversed(layer.flags if layer is not None else []):
        unplaced.setdefault(flag.text, []).append(flag)
    problems = []
    for item in extras:
        name = item.split("=", 1)[0]
        lines = unplaced.get(item)
        where = lines.pop() if lines else None
        problems.append(
            Problem(
                f"unknown option '{name}'" if item.startswith("-") else f"unexpected argument '{item}'",
                file=where.file if where else (layer.name if layer else None),
                line=where.line if where else None,
                column=where.column if where else None,
                hint=did_you_mean(name, parser.option_strings) if item.startswith("-") else None,
            )
        )
    raise InputError(problems)
