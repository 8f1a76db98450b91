"""`adaptwise batch`: decide a portfolio of answers files, folders of them, or CSV files."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option
from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree

#: Below this many initiatives the run is over before a bar would help.
PROGRESS_FROM = 200


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="an answers file, a folder of them, or a CSV file")
    parser.add_argument("--defaults", action="store_true", help="answer unanswered questions with their defaults")
    parser.add_argument(
        "--format", choices=("markdown", "csv", "json"), default="markdown", help="summary format (default: markdown)"
    )
    parser.add_argument(
        "--out", metavar="PATH", default="-", help="where to write the summary; '-' is stdout (default)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    add_tree_option(parser, "a custom decision tree (default: the shipped one)")


def run(options: argparse.Namespace) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.cli.progress import TerminalProgress
    from adaptwise.domain import portfolio
    from adaptwise.files.portfolio_inputs import initiatives
    from adaptwise.files.trees import load_tree

    loaded = load_tree(options.tree)
    items = initiatives(options.paths)
    if not items:
        raise InputError(
            Problem(
                "no answers files found in " + ", ".join(options.paths),
                expected="answers files (*.yaml, *.yml, *.json), folders of them, or CSV files",
            )
        )
    # A bar only where a person watches, and only when the wait is noticeable.
    progress = TerminalProgress() if sys.stderr.isatty() and len(items) >= PROGRESS_FROM else None
    result = portfolio.decide_all(loaded.tree, items, defaults=options.defaults, progress=progress)
    if options.format == "json":
        text = portfolio.render_json(result, loaded.tree, loaded.sha256, loaded.bases)
    elif options.format == "csv":
        text = portfolio.render_csv(result)
    else:
        text = portfolio.render_markdown(result, loaded.tree, loaded.sha256, loaded.bases)
    write_result(text, options.out, options.force)
    return exits.CHANGED if result.invalid else exits.OK


COMMAND = Command(
    name="batch",
    description=(
        "Decide a portfolio: answers files (YAML or JSON), folders of them (*.yaml, *.yml, "
        "*.json), or CSV files with one initiative per row and a column per question id "
        "(an empty cell is unanswered). The summary has one row per initiative (name, "
        "approach, techniques, budget owner or 'not named', open questions), the counts "
        "per approach, and every invalid initiative with its error; an invalid one never "
        "stops the rest. CSV output has the rows only (invalid ones with their error)."
    ),
    epilog=(
        "Exit codes: 0 every initiative decided; 1 some were invalid (the summary lists "
        "them, the rest are decided); 2 bad input (nothing to decide, bad tree or --out)."
    ),
    define=define,
    run=run,
)
