"""`adaptwise completion SHELL` prints the hook; `complete` answers the hook's requests.

Both read the one parser (`parser.build_complete_parser`), so Tab offers exactly the
commands, options and answers a run accepts. argcomplete is imported only here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser

if TYPE_CHECKING:
    import argparse

    from adaptwise.domain.model import Tree

SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument("shell", nargs="?", choices=SHELLS, default="bash", help="the shell (default: bash)")


def run(options: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    from adaptwise.cli.output import write_result

    write_result(shellcode(["adaptwise"], shell=options.shell), "-", False)
    return exits.OK


def complete() -> NoReturn:
    """Answer the shell's completion request and exit (argcomplete is imported only here)."""
    import argcomplete

    argcomplete.autocomplete(_completion_parser(), always_complete_options="long")
    sys.exit(exits.OK)  # only reached when argcomplete did not take over


_SWITCHES = {"--defaults", "--force", "--help", "-h"}


def _completion_parser() -> argparse.ArgumentParser:
    """Every command with its options, and each question flag with its answers."""
    import argparse

    from adaptwise.domain.errors import InputError
    from adaptwise.files.trees import load_tree

    tree: Tree | None
    try:
        tree = load_tree(None).tree
    except InputError:
        tree = None
    parser = argparse.ArgumentParser(prog="adaptwise")
    parser.add_argument("--version", action="store_true")
    commands = parser.add_subparsers(dest="command")
    file_options = ("--answers", "--out", "--tree")
    shapes: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], bool]] = {
        # command: (options taking a value or none, options with fixed choices, answers flags)
        "recommend": (file_options + ("--defaults", "--force"), {"--format": ("markdown", "json")}, True),
        "wizard": (("--answers", "--tree"), {}, True),
        "ask": (("--answers", "--tree", "--out", "--force"), {}, True),
        "check": (("--emit-tests", "--run-tests", "--force"), {}, False),
        "replay": (("--tree",), {"--format": ("text", "json")}, False),
        "batch": (("--defaults", "--out", "--force", "--tree"), {"--format": ("markdown", "csv", "json")}, False),
        "schema": (("--tree", "--out", "--force"), {}, False),
        "graph": (("--tree", "--out", "--force", "--readme"), {"--format": ("mermaid", "dot")}, False),
        "completion": ((), {}, False),
    }
    for name, (plain, fixed, answers) in shapes.items():
        command = commands.add_parser(name)
        for option in plain:
            if option in _SWITCHES:
                command.add_argument(option, action="store_true")
            else:
                command.add_argument(option)
        for option, choices in fixed.items():
            command.add_argument(option, choices=choices)
        if answers and tree is not None:
            for question in tree.questions:
                if question.is_text:
                    command.add_argument(f"--{question.id}")
                else:
                    command.add_argument(f"--{question.id}", choices=question.values)
        if name in ("check", "replay", "batch"):
            command.add_argument("paths", nargs="*")
        elif name == "schema":
            command.add_argument("kind", nargs="?", choices=("tree", "answers"))
        elif name == "completion":
            command.add_argument("shell", nargs="?", choices=SHELLS)
    return parser


COMMAND = Command(
    name="completion",
    description=(
        "Print the shell code that makes Tab complete adaptwise's commands, options and "
        "answers (via argcomplete). Add to ~/.bashrc: eval \"$(adaptwise completion bash)\""
    ),
    epilog="Exit codes: 0 printed, 2 bad input.",
    define=define,
    run=run,
)
