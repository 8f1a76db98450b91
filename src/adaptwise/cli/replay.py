"""`adaptwise replay`: re-decide an exported report with today's tree and say what drifted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("report", metavar="REPORT.md", help="a report exported by adaptwise (Markdown)")
    add_tree_option(parser, "the tree to replay with (default: the shipped one)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def run(options: argparse.Namespace) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.domain.drift import as_dict, render_text, replay
    from adaptwise.files.footer import read_report
    from adaptwise.files.trees import load_tree

    recorded = read_report(options.report)
    loaded = load_tree(options.tree)
    drift = replay(loaded.tree, loaded.sha256, recorded, loaded.bases)
    if options.format == "json":
        import json

        text = json.dumps(as_dict(drift), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(drift, options.report, loaded.source)
    write_result(text, "-", False)
    return exits.CHANGED if drift.changed else exits.OK


COMMAND = Command(
    name="replay",
    description=(
        "Re-decide an exported Markdown report: read the answers and the tree's version and "
        "sha256 from its Reproducibility section, decide again with the current tree, and say "
        "what changed: answers that no longer exist or are no longer allowed, new questions "
        "(and what their defaults give), answers no longer asked, and whether the "
        "recommendation changed, from what to what."
    ),
    epilog=(
        "Exit codes: 0 same (every answer still valid, nothing new to answer, the same "
        "recommendation); 1 changed; 2 cannot replay (no readable footer, bad tree or input)."
    ),
    define=define,
    run=run,
)
