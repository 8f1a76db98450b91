"""`adaptwise wizard` (and `adaptwise` alone): the Textual wizard, imported only when it opens."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from adaptwise.cli.arguments import Command, CommandParser, add_session_options
from adaptwise.cli.exits import BAD_INPUT

if TYPE_CHECKING:
    from adaptwise.cli.sources import CommandInputs
    from adaptwise.domain.model import Tree
    from adaptwise.files.trees import LoadedTree


def define(parser: CommandParser, _tree: Tree | None) -> None:
    add_session_options(parser, output=False)


def run(given: CommandInputs) -> int:
    return open_wizard(given.loaded, given.answers)


def terminal_refusal(environ: Mapping[str, str], stdin: TextIO | None, stdout: TextIO | None) -> str | None:
    """Why this terminal cannot show the full-screen wizard (one line), or None if it can."""
    if stdin is None or stdout is None or not (stdin.isatty() and stdout.isatty()):
        return (
            "the wizard needs a terminal. Use `adaptwise ask` for line-by-line prompts, "
            "or `adaptwise recommend --answers FILE` for scripts."
        )
    if environ.get("TERM", "").strip().lower() == "dumb":
        return (
            "this terminal (TERM=dumb) cannot show the full-screen wizard. Use `adaptwise ask` "
            "for the same questions as line-by-line prompts."
        )
    return None


def open_wizard(loaded: LoadedTree, answers: dict[str, str]) -> int:
    refusal = terminal_refusal(os.environ, sys.stdin, sys.stdout)
    if refusal is not None:
        sys.stderr.write(f"adaptwise: {refusal}\n")
        return BAD_INPUT
    from adaptwise.tui.run import run_wizard  # Textual is imported only here

    return run_wizard(loaded, answers or None)


COMMAND = Command(
    name="wizard",
    description="Open the wizard. With answers, they are filled in and it opens on the review.",
    epilog=None,
    define=define,
    run_with_answers=run,
)
