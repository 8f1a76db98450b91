"""`adaptwise schema`: the JSON Schema of a tree file, or of an answers file for a tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option
from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument(
        "kind", nargs="?", choices=("tree", "answers"), default="tree", help="which schema (default: tree)"
    )
    add_tree_option(parser, "with answers: the tree whose answers (default: the shipped one)")
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write it; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")


def run(options: argparse.Namespace) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.files.editor_schemas import answers_schema, as_text, tree_schema
    from adaptwise.files.trees import load_tree

    if options.kind == "answers":
        schema = answers_schema(load_tree(options.tree).tree)
    else:
        if options.tree:
            raise InputError(Problem("--tree applies to 'answers' only; a tree's schema is the same for every tree"))
        schema = tree_schema()
    write_result(as_text(schema), options.out, options.force)
    return exits.OK


COMMAND = Command(
    name="schema",
    description=(
        "Print a JSON Schema: of a decision-tree file (tree, the default; generated from the "
        "model, for editors), or of an answers file for a tree (answers: its question ids and "
        "allowed values)."
    ),
    epilog="Exit codes: 0 printed, 2 bad input.",
    define=define,
    run=run,
)
