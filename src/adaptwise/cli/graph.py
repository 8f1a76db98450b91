"""`adaptwise graph`: the whole tree as a Mermaid or Graphviz picture, or a README's refreshed."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option
from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree

#: A README is prose; more than this is not one.
MAX_README_BYTES = 4 << 20


def define(parser: CommandParser, _tree: Tree | None) -> None:
    add_tree_option(parser, "the tree to draw (default: the shipped one)")
    parser.add_argument(
        "--format", choices=("mermaid", "dot"), default="mermaid", help="picture format (default: mermaid)"
    )
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write it; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument(
        "--readme",
        metavar="FILE",
        help="instead of printing, replace the Mermaid picture between the adaptwise graph markers in FILE",
    )


def run(options: argparse.Namespace) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.domain import graph
    from adaptwise.files.trees import load_tree

    tree = load_tree(options.tree).tree
    if options.readme:
        return _update_readme(options.readme, tree)
    text = graph.dot(tree) if options.format == "dot" else graph.mermaid(tree)
    write_result(text, options.out, options.force)
    return exits.OK


def _update_readme(path: str, tree: Tree) -> int:
    from adaptwise.domain import graph
    from adaptwise.files.output import write_output
    from adaptwise.files.textfiles import read_text_file

    text = read_text_file(path, max_bytes=MAX_README_BYTES, what="README")
    if graph.README_BEGIN not in text or graph.README_END not in text:
        raise InputError(
            Problem(
                "has no generated picture to replace",
                file=path,
                expected=f"the lines {graph.README_BEGIN} and {graph.README_END}",
            )
        )
    updated = graph.replace_readme_block(text, tree)
    if updated != text:
        # The README is the person's own text (an emoji's zero-width joiner stays); only the
        # picture is ours, drawn from a tree whose text was checked for unsafe characters.
        write_output(updated, path, force=True, verbatim=True)
    print(f"{path}: picture {'updated' if updated != text else 'already current'}", file=sys.stderr)
    return exits.OK


COMMAND = Command(
    name="graph",
    description=(
        "Print the whole tree as a picture: every question, option edge (options leading to the "
        "same node share one edge), route rule, and outcome. Mermaid renders on GitHub; dot "
        "renders with Graphviz (`dot -Tsvg`)."
    ),
    epilog="Exit codes: 0 printed, 2 bad input.",
    define=define,
    run=run,
)
