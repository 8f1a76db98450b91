"""`adaptwise wizard` (and `adaptwise` alone): the Textual wizard, imported only when it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli.arguments import Command, CommandParser, add_session_options

if TYPE_CHECKING:
    from adaptwise.cli.sources import Gathered
    from adaptwise.domain.model import Tree
    from adaptwise.files.trees import LoadedTree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    add_session_options(parser, output=False)


def run(given: Gathered) -> int:
    return open_wizard(given.loaded, given.answers)


def open_wizard(loaded: LoadedTree, answers: dict[str, str]) -> int:
    from adaptwise.tui.app import run_wizard  # Textual is imported only here

    return run_wizard(loaded, answers or None)


COMMAND = Command(
    name="wizard",
    description="Open the wizard. With answers, they are filled in and it opens on the review.",
    epilog=None,
    define=define,
    run_with_answers=run,
)
