"""`adaptwise ask`: how the command line starts the plain prompts (the session is in `ask`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adaptwise.cli.arguments import Command, CommandParser, add_session_options

if TYPE_CHECKING:
    from adaptwise.cli.sources import CommandInputs
    from adaptwise.domain.model import Tree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    add_session_options(parser, output=True)


def run(given: CommandInputs) -> int:
    from adaptwise.cli.ask import run_plain

    options = given.options
    return run_plain(given.loaded, given.answers or None, out=options.get("out"), force=options.get("force", False))


COMMAND = Command(
    name="ask",
    description="The wizard as plain line-by-line prompts, for screen readers, dumb terminals and logs.",
    epilog=None,
    define=define,
    run_with_answers=run,
)
