"""`adaptwise tree show`: the tree in force as one YAML file, a company tree merged with
the trees it extends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("action", choices=("show",), help="show: print the merged tree as YAML")
    add_tree_option(parser, "the tree to show (default: the tree in force, see --version)")
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write it; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")


def run(options: argparse.Namespace) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.domain.treedata import tree_data
    from adaptwise.files.trees import load_tree
    from adaptwise.files.yamlout import dump_yaml

    loaded = load_tree(options.tree)
    chain = "".join(f", extending {base.source} (version {base.version})" for base in loaded.bases)
    header = (
        f"# {loaded.source} (version {loaded.tree.version}){chain}, merged by `adaptwise tree show`.\n"
        f"# Generated: edit {loaded.source} rather than this.\n"
    )
    write_result(header + dump_yaml(tree_data(loaded.tree)), options.out, options.force)
    return exits.OK


COMMAND = Command(
    name="tree",
    description=(
        "Show the decision tree in force (--tree, ADAPTWISE_TREE, the config file, or the "
        "shipped one) as one YAML file: a company tree merged with every tree it extends, "
        "in a stable order, which loads back to the same tree."
    ),
    epilog="Exit codes: 0 shown; 2 the tree has problems or bad input.",
    define=define,
    run=run,
)
