"""The command line: `adaptwise.cli:main` is the console script, and `python -m adaptwise`.

One module per command, each named in `parser.COMMANDS` (`wizard`, `recommend`,
`ask_command`, `check`, `replay`, `batch`, `schema`, `graph`, `tree_command`, `serve`,
`completion`); `parser` builds the one argparse tree from them, `sources` applies the
precedence of answers and `exits` names the exit codes. Errors are printed on one screen
without a traceback, an OSError that no reader or writer turned into one too (the last
resort). Everything written to stdout and stderr passes the output
boundary (`streams`). `recommend` and `check` never import Textual; the wizard is imported
only when it opens.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from adaptwise.cli import exits
from adaptwise.cli.arguments import ParserExit, UsageError
from adaptwise.domain.errors import InputError

#: The command that takes over the terminal, and so runs past the output filter.
FULL_SCREEN = "wizard"


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and "_ARGCOMPLETE" in os.environ:  # the shell asks for completions
        from adaptwise.cli.completion import complete

        complete()
    args = list(sys.argv[1:] if argv is None else argv)
    from adaptwise.cli.streams import OutputBoundary

    with OutputBoundary() as boundary:
        return boundary.close(_guarded(args))


def _guarded(args: list[str]) -> int:
    try:
        return _run(args)
    except InputError as error:
        print_error(error)
        return exits.BAD_INPUT
    except UsageError as error:
        error.show()
        return exits.BAD_INPUT
    except ParserExit as done:
        return done.status
    except KeyboardInterrupt:
        return exits.INTERRUPTED
    except OSError as error:  # the last resort: still one line, never a traceback
        from adaptwise.domain.errors import os_problem

        print_error(InputError(os_problem(error, doing="go on")))
        return exits.BAD_INPUT


def print_error(error: InputError) -> None:
    first, _, rest = error.render().partition("\n")
    print(f"adaptwise: error: {first}" + (f"\n{rest}" if rest else ""), file=sys.stderr)


def _run(args: list[str]) -> int:
    from adaptwise.cli.parser import build_parser, load_command, refuse_unknown_command, version_text

    if not args:
        from adaptwise.cli.streams import unfiltered
        from adaptwise.cli.wizard import open_wizard
        from adaptwise.files.trees import load_tree

        loaded = load_tree()
        with unfiltered():  # Textual owns the terminal (cli/streams.py)
            return open_wizard(loaded, {})
    parsers = build_parser(args[0])
    refuse_unknown_command(args, parsers)
    namespace, extras = parsers.top.parse_known_args(args)
    if namespace.version:
        print(version_text())
        return exits.OK
    command = load_command(namespace.command)
    parser = parsers.commands[command.name]
    if command.run_with_answers is not None:
        from adaptwise.cli.sources import gather

        given = gather(command, parser, namespace, extras)
        if command.name == FULL_SCREEN:
            from adaptwise.cli.streams import unfiltered

            with unfiltered():  # Textual owns the terminal (cli/streams.py)
                return command.run_with_answers(given)
        return command.run_with_answers(given)
    if extras:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    assert command.run is not None
    return command.run(namespace)
