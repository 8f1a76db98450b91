"""`adaptwise serve`: the same wizard in a browser, one process and one state per browser session.

The server (`tui.serve`, on textual-serve) starts each session as `adaptwise serve
--session`, which runs the wizard under Textual's web driver: files go to the browser,
nothing is written on the server's disk, and nothing outlives the session. Neither this
module nor `--help` imports textual-serve; the server imports it when it starts.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import math
import os
import shlex
import sys
from typing import TYPE_CHECKING

from adaptwise.cli import exits
from adaptwise.cli.arguments import Command, CommandParser, add_tree_option
from adaptwise.domain.errors import InputError, Problem

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping

    from adaptwise.domain.model import Tree

#: The driver textual-serve starts each session's process with (`TEXTUAL_DRIVER`).
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 20
DEFAULT_IDLE_SECONDS = 15 * 60

EPILOG = (
    "It listens on the loopback address only unless --host says otherwise. To offer it to "
    "colleagues, put it behind your company's reverse proxy and single sign-on (README, "
    "'Serving the wizard') and give --public-url.\n\n"
    "Exit codes: 0 stopped (Ctrl+C or SIGTERM), 2 bad input or a port that cannot be had."
)


def define(parser: CommandParser, _tree: Tree | None) -> None:
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only; any other warns)",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})")
    add_tree_option(parser, "a custom decision tree (default: the shipped one)")
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"browser sessions at once; past that, a page says the server is busy (default: {DEFAULT_MAX_SESSIONS})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=DEFAULT_IDLE_SECONDS,
        metavar="SECONDS",
        help=f"close a session after this long without input (default: {DEFAULT_IDLE_SECONDS})",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when a reverse proxy stands in front (e.g. https://adaptwise.example.com)",
    )
    parser.add_argument(
        "--session",
        action="store_true",
        help="run one browser session's wizard; the server starts it under Textual's web driver, never a person",
    )


def run(options: argparse.Namespace) -> int:
    if options.session:
        return run_session(options.tree)
    _check(options)
    if not is_loopback(options.host):
        print(
            f"adaptwise: warning: serving on {options.host}, so anyone who can reach this address can use the "
            "wizard. Put it behind your reverse proxy and single sign-on (README, 'Serving the wizard').",
            file=sys.stderr,
        )
    from adaptwise.files.trees import load_tree

    load_tree(options.tree)  # a bad tree is said now, once, not in every browser
    if importlib.util.find_spec("textual_serve") is None:
        raise InputError(
            Problem(
                "`adaptwise serve` needs textual-serve, which is not installed",
                hint="install adaptwise with it: pip install 'adaptwise[serve]'",
            )
        )
    from adaptwise.tui.serve import serve_wizard

    return serve_wizard(
        session_command(options.tree),
        host=options.host,
        port=options.port,
        max_sessions=options.max_sessions,
        idle_timeout=options.idle_timeout,
        public_url=options.public_url,
    )


def session_command(tree: str | None) -> str:
    """The shell command textual-serve runs for each browser connection."""
    words = [sys.executable, "-m", "adaptwise", "serve", "--session"]
    if tree is not None:
        words += ["--tree", os.path.abspath(tree)]
    return shlex.join(words)


def served_refusal(environ: Mapping[str, str]) -> str | None:
    """Why `--session` may not run here (one line), or None under textual-serve's web driver."""
    if environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        return (
            "`adaptwise serve --session` runs one browser session for `adaptwise serve`. Run `adaptwise serve` "
            "and open the address it prints, or `adaptwise` for the wizard in this terminal."
        )
    return None


def run_session(tree: str | None) -> int:
    refusal = served_refusal(os.environ)
    if refusal is not None:
        sys.stderr.write(f"adaptwise: {refusal}\n")
        return exits.BAD_INPUT
    from adaptwise.cli.streams import unfiltered
    from adaptwise.files.trees import load_tree

    loaded = load_tree(tree)
    from adaptwise.tui.run import run_served_wizard

    with unfiltered():  # the web driver writes its own packets to stdout
        return run_served_wizard(loaded)


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def _check(options: argparse.Namespace) -> None:
    problems = []
    if not 1 <= options.port <= 65535:
        problems.append(Problem(f"--port {options.port} is not a port", expected="a number from 1 to 65535"))
    if options.max_sessions < 1:
        problems.append(Problem(f"--max-sessions {options.max_sessions} allows no session", expected="1 or more"))
    if not (math.isfinite(options.idle_timeout) and options.idle_timeout > 0):
        problems.append(
            Problem(
                f"--idle-timeout {options.idle_timeout:g} is not a time to wait", expected="a number of seconds above 0"
            )
        )
    if problems:
        raise InputError(problems)


COMMAND = Command(
    name="serve",
    description=(
        "Serve the wizard in the browser: each browser session gets its own process and state, and "
        "exports, answers and copies are delivered to the browser, never written on the server."
    ),
    epilog=EPILOG,
    define=define,
    run=run,
)
