"""`adaptwise check`: a decision tree's mistakes, and regression answers for tree editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, Folders, complete_with
from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree
    from adaptwise.files.trees import LoadedTree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("tree", nargs="?", metavar="TREE", help="the tree to check (default: the shipped one)")
    complete_with(
        parser.add_argument(
            "--emit-tests", metavar="DIR", help="write regression answers files covering every edge into DIR"
        ),
        Folders(),
    )
    complete_with(
        parser.add_argument(
            "--run-tests", metavar="DIR", help="decide the answers files in DIR again and report what changed"
        ),
        Folders(),
    )
    parser.add_argument("--force", action="store_true", help="with --emit-tests, replace the cases already in DIR")
    parser.add_argument(
        "--paths",
        action="store_true",
        help="also measure the paths (questions asked: median and longest) and prove that every "
        "answer changes the recommendation somewhere",
    )


def run(options: argparse.Namespace) -> int:
    from adaptwise.files.trees import check_tree_file

    if options.emit_tests and options.run_tests:
        raise InputError(Problem("--emit-tests and --run-tests cannot be used together"))
    loaded, problems = check_tree_file(options.tree)
    if problems:
        count = len(problems)
        raise InputError(problems, f"{problems[0].file} has {count} problem{'s' if count > 1 else ''}")
    assert loaded is not None
    tree = loaded.tree
    extends = "".join(f", extends {base.source} (version {base.version})" for base in loaded.bases)
    print(
        f"{loaded.source}: OK. Version {tree.version}{extends}: {len(tree.questions)} questions, "
        f"{len(tree.routes)} route{'s' if len(tree.routes) != 1 else ''}, {len(tree.outcomes)} outcomes, "
        f"{len(tree.modifiers)} modifiers, {len(tree.requirements)} requirement sets."
    )
    if options.paths:
        _paths(loaded)
    if options.emit_tests:
        return _emit_tests(loaded, options.emit_tests, options.force)
    if options.run_tests:
        return _run_tests(loaded, options.run_tests)
    return exits.OK


def _paths(loaded: LoadedTree) -> None:
    """Path lengths, and the answers no path tells apart (as problems, at file:line:col)."""
    from adaptwise.domain import pathspace, sensitivity
    from adaptwise.files.trees import place_findings

    tree = loaded.tree
    space = pathspace.explore(tree)
    lengths = sensitivity.path_lengths(tree, space)
    print(
        f"Paths: {lengths.paths} ways through; questions asked: median {lengths.median:g}, "
        f"longest {lengths.longest} ({' → '.join(lengths.longest_path)})."
    )
    same = sensitivity.same_answers(tree, space)
    if same:
        problems = place_findings(loaded, list(sensitivity.sameness_findings(tree, same)))
        pairs = f"{len(same)} pair{'s' if len(same) > 1 else ''}"
        raise InputError(problems, f"{pairs} of answers never change the recommendation")
    choices = [question for question in tree.questions if not question.is_text]
    answers = sum(len(question.values) for question in choices)
    print(f"Every answer changes the recommendation somewhere: {answers} answers to {len(choices)} choice questions.")


def _emit_tests(loaded: LoadedTree, folder: str, force: bool) -> int:
    from adaptwise.domain.pathspace import describe_edge
    from adaptwise.files.regression_cases import emit

    coverage, written = emit(loaded.tree, loaded.sha256, folder, force=force)
    covered = len(coverage.edges) - len(coverage.uncoverable)
    print(f"wrote {len(written)} regression cases to {folder}, covering {covered} of {len(coverage.edges)} edges")
    for edge in coverage.uncoverable:
        print(f"  not coverable: {describe_edge(loaded.tree, edge)} (no answers take it)")
    return exits.OK


def _run_tests(loaded: LoadedTree, folder: str) -> int:
    from adaptwise.files.regression_cases import rerun

    results = rerun(loaded.tree, folder)
    changed = [result for result in results if result.changed]
    for result in results:
        if result.changes or result.notes:
            print(f"{result.file}: {'changed' if result.changed else 'unchanged'}")
        for line in (*result.changes, *result.notes):
            print(f"  {line}")
    noted = sum(1 for result in results if result.notes)
    print(
        f"{len(results)} regression case{'s' if len(results) != 1 else ''}: "
        + (f"{len(changed)} changed" if changed else "no decision changed")
        + (f"; {noted} decided new questions by their defaults" if noted else "")
    )
    return exits.CHANGED if changed else exits.OK


COMMAND = Command(
    name="check",
    description=(
        "Check a decision tree: schema errors, duplicate ids, dangling references, cycles, "
        "unreachable nodes, thin questions and outcomes, route rules and listed answers that "
        "earlier answers rule out, modifiers that can never apply, and outcomes no answers "
        "reach. With --paths, also how many questions each path asks, and whether every answer "
        "changes the recommendation somewhere. With --emit-tests, write answers files covering "
        "every edge of the tree; with "
        "--run-tests, decide them again and report every decision that changed."
    ),
    epilog=(
        "Exit codes: 0 the tree is clean (and, with --run-tests, no decision changed); "
        "1 with --run-tests, some decisions changed; 2 the tree has problems or bad input."
    ),
    define=define,
    run=run,
)
