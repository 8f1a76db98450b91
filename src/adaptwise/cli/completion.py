"""`adaptwise completion SHELL` prints the hook; `complete` answers the hook's requests.

Both read the one parser (`parser.build_complete_parser`), so Tab offers exactly the
commands, options and answers a run accepts. argcomplete is imported only here.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree
    from adaptwise.files.trees import LoadedTree

SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("shell", nargs="?", choices=SHELLS, default="bash", help="the shell (default: bash)")


def run(options: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    from adaptwise.cli.output import write_result

    write_result(shellcode(["adaptwise"], shell=options.shell), "-", False)
    return exits.OK


def complete(exit_method: Callable[[int], object] = os._exit) -> NoReturn:
    """Answer the shell's request for completions (in argcomplete's environment variables),
    then end the process with `exit_method`, as argcomplete does (tests end it another way)."""
    import argcomplete

    from adaptwise.cli.parser import build_complete_parser

    argcomplete.autocomplete(
        build_complete_parser(_tree_being_typed()).top, always_complete_options="long", exit_method=exit_method
    )
    sys.exit(exits.OK)  # only reached when argcomplete did not take over


def _tree_being_typed() -> LoadedTree | None:
    """The tree whose questions to offer: the `--tree` already typed, else the shipped one."""
    from argcomplete.lexers import split_line

    from adaptwise.cli.arguments import tree_on_command_line
    from adaptwise.domain.errors import InputError
    from adaptwise.files.trees import load_tree

    line = os.environ.get("COMP_LINE", "")
    try:
        point = int(os.environ.get("COMP_POINT", len(line)))
    except ValueError:
        point = len(line)
    words = split_line(line, point)[3]
    try:
        return load_tree(tree_on_command_line(words))
    except InputError:
        return None  # no question flags rather than another tree's


COMMAND = Command(
    name="completion",
    description=(
        "Print the shell code that makes Tab complete adaptwise's commands, options and "
        'answers (via argcomplete). Add to ~/.bashrc: eval "$(adaptwise completion bash)"'
    ),
    epilog="Exit codes: 0 printed, 2 bad input.",
    define=define,
    run=run,
)
