"""`adaptwise serve` from the command line, by subprocess: its help, the warning off loopback,
how a served session is told from an ordinary run, the page past --max-sessions and the
idle timeout. On loopback only; the browser tests are in test_serve_browser.py."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import aiohttp
import pytest

from adaptwise.cli.serve import WEB_DRIVER, is_loopback, session_command

from serving import files_under, serving


def test_serve_help_names_every_option_and_loads_no_server(run_cli):
    run = run_cli("serve", "--help")
    assert run.returncode == 0, run.stderr
    for option in ("--host", "--port", "--tree", "--max-sessions", "--idle-timeout", "--public-url"):
        assert option in run.stdout
    assert "127.0.0.1" in run.stdout and "reverse proxy" in run.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adaptwise.cli import main; main(['serve', '--help']); "
            "print([m for m in ('textual', 'textual_serve', 'aiohttp') if m in sys.modules], file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert probe.stderr.strip().splitlines()[-1] == "[]"


def test_recommend_never_imports_the_serve_stack(run_cli, cli_env):
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from adaptwise.cli import main; main(['recommend', '--defaults']); "
            "print([m for m in ('textual', 'textual_serve', 'aiohttp', 'jinja2') if m in sys.modules], file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env=cli_env,
    )
    assert probe.stderr.strip().splitlines()[-1] == "[]", probe.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("adaptwise.example.com", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_any_other_address_than_loopback_warns_and_points_to_the_reverse_proxy(run_cli, tmp_path):
    # A tree that cannot be read stops the run after the warning: nothing listens, on any address.
    run = run_cli("serve", "--host", "0.0.0.0", "--tree", tmp_path / "missing.yaml")
    assert run.returncode == 2
    warning = run.stderr.splitlines()[0]
    assert warning.startswith("adaptwise: warning: serving on 0.0.0.0")
    assert "reverse proxy" in warning and "single sign-on" in warning
    quiet = run_cli("serve", "--host", "127.0.0.1", "--tree", tmp_path / "missing.yaml")
    assert quiet.returncode == 2 and "warning" not in quiet.stderr


@pytest.mark.parametrize(
    "options",
    [["--port", "0"], ["--port", "70000"], ["--max-sessions", "0"], ["--idle-timeout", "0"], ["--idle-timeout", "nan"]],
)
def test_impossible_limits_are_refused(run_cli, options):
    run = run_cli("serve", *options)
    assert run.returncode == 2
    assert run.stderr.startswith("adaptwise: error:") and options[0] in run.stderr


def test_each_session_runs_a_known_command_with_the_tree_spelt_out(tmp_path):
    assert session_command(None).endswith(" -m adaptwise serve --session")
    tree = tmp_path / "my tree.yaml"
    assert session_command(str(tree)).endswith(f"--session --tree '{tree}'")


def test_a_session_outside_the_server_is_refused_and_the_terminal_check_stays(run_cli_process, tmp_path):
    # A process: the refusal reads the real stdin (not a tty), and were it to let the run
    # through, Textual would take over this one.
    run_cli = run_cli_process
    state = tmp_path / "state"
    session = run_cli("serve", "--session", env={"TEXTUAL_DRIVER": None, "ADAPTWISE_STATE_DIR": str(state)})
    assert session.returncode == 2
    assert session.stderr.count("\n") == 1 and "adaptwise serve" in session.stderr
    assert session.stdout == ""
    # The web driver's variable alone does not make an ordinary run a served one.
    for args in ([], ["wizard"]):
        plain = run_cli(*args, env={"TEXTUAL_DRIVER": WEB_DRIVER, "ADAPTWISE_STATE_DIR": str(state)})
        assert plain.returncode == 2 and "the wizard needs a terminal" in plain.stderr
    assert files_under(state) == []


def packet(kind: bytes, payload: bytes) -> bytes:
    """textual-serve's framing of what it writes to a session's stdin."""
    return kind + len(payload).to_bytes(4, "big") + payload


def test_a_session_under_the_web_driver_runs_on_pipes_and_writes_nothing(cli_env, tmp_path):
    state = tmp_path / "state"
    process = subprocess.Popen(
        [sys.executable, "-m", "adaptwise", "serve", "--session"],
        env={**cli_env, "TEXTUAL_DRIVER": WEB_DRIVER, "ADAPTWISE_STATE_DIR": str(state), "COLUMNS": "80", "ROWS": "24"},
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    try:
        assert process.stdout.readline() == b"__GANGLION__\n"  # textual-serve's sign of a Textual app
        process.stdin.write(packet(b"M", json.dumps({"type": "quit"}).encode()))
        process.stdin.flush()
        assert process.wait(timeout=20) == 0, process.stderr.read().decode()
    finally:
        if process.poll() is None:
            process.kill()
    assert files_under(state) == []
    assert files_under(tmp_path) == []


async def _connect(session: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    socket = await session.ws_connect(url.replace("http://", "ws://") + "ws?width=80&height=24")
    while True:  # the session's process is up once it draws
        message = await asyncio.wait_for(socket.receive(), 20)
        if message.type == aiohttp.WSMsgType.BINARY:
            return socket
        assert message.type == aiohttp.WSMsgType.TEXT, message


def test_past_max_sessions_a_page_says_the_server_is_busy(cli_env, tmp_path):
    async def check(url: str) -> None:
        async with aiohttp.ClientSession() as session:
            first = await _connect(session, url)
            async with session.get(url) as page:
                assert page.status == 503
                assert page.headers["Retry-After"] == "30"
                text = await page.text()
                assert "adaptwise is busy" in text and "All 1 sessions" in text
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(url.replace("http://", "ws://") + "ws")
            assert refused.value.status == 503
            await first.close()
            for _ in range(100):  # the place is free once the server has closed the first session
                async with session.get(url) as page:
                    if page.status == 200:
                        assert "adaptwise" in await page.text()
                        return
                await asyncio.sleep(0.1)
            raise AssertionError("the place of a closed session was never freed")

    with serving(cli_env, tmp_path, "--max-sessions", "1") as served:
        asyncio.run(check(served.url))


def test_a_session_without_input_is_closed_with_the_reason(cli_env, tmp_path):
    async def check(url: str) -> aiohttp.WSMessage:
        async with aiohttp.ClientSession() as session:
            # Not waiting for the first screen: on a busy machine the session may start slower
            # than the timeout, and its close is what this is about.
            socket = await session.ws_connect(url.replace("http://", "ws://") + "ws?width=80&height=24")
            while True:
                message = await asyncio.wait_for(socket.receive(), 20)
                if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return message

    with serving(cli_env, tmp_path, "--idle-timeout", "1") as served:
        closed = asyncio.run(check(served.url))
    assert closed.data == 4000
    assert closed.extra is not None and closed.extra.startswith("Closed after 1 second without input.")
    assert files_under(served.state_dir) == []
