"""`adaptwise serve` under load: N browser sessions at once, on loopback, in Debian's Chromium.

Opens N pages at once (each a browser session of its own, so a wizard process of its own),
and reports the time from opening each page to its first screen (the welcome screen drawn
in the browser), the memory of the session processes (RSS, from /proc) and of the server,
then one more page, past --max-sessions, which must get the busy page. Bounded: N pages,
two minutes at most; the server and browser are stopped at the end.

    python bench/bench_serve.py [--sessions 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from serving import rss_bytes, serving, session_pids

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WELCOME = "fine-tuning or training?"
RECORD = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screen = "";
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") window.__screen += decoder.decode(event.data, {stream: true});
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""
DEADLINE = 120.0


async def load(url: str, sessions: int, server_pid: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:

            async def one() -> float:
                context = await browser.new_context(viewport={"width": 880, "height": 560})
                await context.add_init_script(RECORD)
                page = await context.new_page()
                start = time.perf_counter()
                await page.goto(url)
                await page.wait_for_function(f"window.__screen.includes({WELCOME!r})", timeout=DEADLINE * 1000)
                return time.perf_counter() - start

            started = time.perf_counter()
            tasks = [asyncio.ensure_future(one()) for _ in range(sessions)]
            done, pending = await asyncio.wait(tasks, timeout=DEADLINE)
            for task in pending:
                task.cancel()
            wall = time.perf_counter() - started
            failed = [task.exception() for task in done if task.exception() is not None]
            firsts = [task.result() for task in done if task.exception() is None]
            if pending or failed:
                print(
                    f"{len(firsts)} of {sessions} drew their first screen within {DEADLINE:.0f} s; "
                    f"{len(pending)} still waiting; failures: {failed[:3]}",
                    file=sys.stderr,
                )
            pids = session_pids(server_pid)  # while every page is open
            per_session = [rss_bytes(pid) / 2**20 for pid in pids]
            server = rss_bytes(server_pid) / 2**20
            extra = await browser.new_context()
            page = await extra.new_page()
            response = await page.goto(url)
            busy = response.status if response is not None else 0
            return {
                "firsts": firsts,
                "wall": wall,
                "busy_status": busy,
                "busy_text": await page.content(),
                "complete": not pending and not failed,
                "per_session": per_session,
                "server": server,
            }
        finally:
            await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory() as tmp,
        serving(dict(os.environ), Path(tmp), "--max-sessions", str(args.sessions)) as served,
    ):
        result = asyncio.run(load(served.url, args.sessions, served.process.pid))
    per_session: list[float] = result["per_session"]  # type: ignore[assignment]
    server = result["server"]
    firsts = sorted(result["firsts"])  # type: ignore[arg-type]
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{args.sessions} browser sessions at once on loopback ({os.cpu_count()} cores, load average {load_average})")
    print(
        f"  time to first screen: median {statistics.median(firsts):.2f} s, "
        f"slowest {firsts[-1]:.2f} s, fastest {firsts[0]:.2f} s; all {args.sessions} in {result['wall']:.2f} s"
    )
    if per_session:
        print(
            f"  memory per session (RSS of its wizard process): median {statistics.median(per_session):.0f} MiB, "
            f"max {max(per_session):.0f} MiB, {len(per_session)} processes, {sum(per_session):.0f} MiB in all"
        )
    print(f"  server (textual-serve, aiohttp): {server:.0f} MiB")
    busy = result["busy_status"] == 503 and "adaptwise is busy" in str(result["busy_text"])
    print(f"  session {args.sessions + 1}: {'the busy page (503)' if busy else 'NOT the busy page'}")
    return 0 if busy and result["complete"] and len(per_session) == args.sessions else 1


if __name__ == "__main__":
    raise SystemExit(main())
