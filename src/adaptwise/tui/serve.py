"""`adaptwise serve`: the wizard in a browser, through textual-serve, one process per session.

textual-serve starts `command` for each browser connection (its own process, so its own
memory and state) and relays the terminal over a websocket. This adds what a shared server
needs: at most `max_sessions` at once (a page that says so past that), and a session with
no input for `idle_timeout` seconds is closed, with the reason shown in the page. It loads
no Textual: the sessions do.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
from textual_serve.server import Server

if TYPE_CHECKING:
    from textual_serve.app_service import AppService

#: textual-serve's page, made to load nothing from third parties and to show why a session closed.
PAGE_FOLDER = Path(__file__).with_name("serve_page")

#: The close code of a session the server ended (4000-4999 are the application's own).
CLOSED_IDLE = 4000


class WizardServer(Server):
    """textual-serve's server with a cap on sessions and an idle timeout."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        max_sessions: int,
        idle_timeout: float,
        public_url: str | None = None,
    ) -> None:
        super().__init__(
            command, host=host, port=port, title="adaptwise", public_url=public_url, templates_path=PAGE_FOLDER
        )
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.sessions = 0
        """Browser sessions open now (each with its wizard process)."""

    def full(self) -> bool:
        return self.sessions >= self.max_sessions

    async def handle_index(self, request: web.Request) -> Any:
        if self.full():
            return busy_response(self.max_sessions)
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> Any:
        # A page opened while there was room may connect after the last place went.
        if self.full():
            return busy_response(self.max_sessions)
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's relay, noting when the person last typed (or moved the mouse)."""
        last_input = time.monotonic()
        watchdog = asyncio.create_task(self._close_when_idle(websocket, lambda: last_input))
        try:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = message.json()
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    last_input = time.monotonic()
                    await app_service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await app_service.set_terminal_size(int(data["width"]), int(data["height"]))
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
        finally:
            watchdog.cancel()

    async def _close_when_idle(self, websocket: web.WebSocketResponse, last_input: Any) -> None:
        while not websocket.closed:
            remaining = last_input() + self.idle_timeout - time.monotonic()
            if remaining <= 0:
                reason = (
                    f"Closed after {duration(self.idle_timeout)} without input. Nothing was kept on the "
                    "server: reload to start again."
                )
                await websocket.close(code=CLOSED_IDLE, message=reason.encode("utf-8"))
                return
            await asyncio.sleep(remaining)

    def initialize_logging(self) -> None:
        # One plain line per request on stderr (textual-serve's own is a Rich panel on stdout).
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its logo here, before it listens; `serve` says when it does."""

    def serve(self, debug: bool = False) -> None:
        """textual-serve's `serve`, saying on stdout once it listens (and not before)."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, self.request_exit)

        def listening(_banner: str) -> None:
            print(f"adaptwise: serving the wizard on {self.public_url} (Ctrl+C stops it)", flush=True)

        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop, print=listening)


def duration(seconds: float) -> str:
    """900 -> '15 minutes', 1 -> '1 second'."""
    amount, unit = (seconds / 60, "minute") if seconds >= 60 else (seconds, "second")
    return f"{amount:g} {unit}{'' if amount == 1 else 's'}"


def busy_response(max_sessions: int) -> web.Response:
    """503 with a page a person understands, and when to try again."""
    text = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>adaptwise is busy</title>'
        '<meta http-equiv="refresh" content="30"></head>'
        '<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">'
        "<h1>adaptwise is busy</h1>"
        f'<p id="busy">All {html.escape(str(max_sessions))} sessions of this server are in use. '
        "This page tries again every 30 seconds; your place is not kept.</p>"
        "</body></html>\n"
    )
    return web.Response(status=503, text=text, content_type="text/html", headers={"Retry-After": "30"})


def serve_wizard(
    command: str,
    *,
    host: str,
    port: int,
    max_sessions: int,
    idle_timeout: float,
    public_url: str | None = None,
) -> int:
    """Serve until Ctrl+C or SIGTERM; returns the exit code."""
    server = WizardServer(
        command, host=host, port=port, max_sessions=max_sessions, idle_timeout=idle_timeout, public_url=public_url
    )
    server.serve()
    return 0
