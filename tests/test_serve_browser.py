"""The served wizard in a real browser: Debian's Chromium, driven by Playwright, on loopback.

One walk goes from the welcome screen to the recommendation with the keyboard, as a person
would, and downloads the report; two browsers at once never see each other's answers.
Nothing is written on the server's disk. `ADAPTWISE_SCREENSHOT=PATH` saves the README's
picture of the served wizard.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from serving import files_under, serving

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    pytest.skip(
        f"NO BROWSER: {CHROMIUM} is missing, so the served wizard is NOT tested in a browser here. "
        "Install Debian's chromium (`apt-get install chromium`; .ci/run does) to run these tests.",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

#: No sandbox (CI runs as root), no GPU, and nothing that would reach past loopback.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Every screen's title bar says where the walk is: "adaptwise — Question 3 of about 9".
WHERE = r"adaptwise — (Welcome|Question (\d+) of|Review|Recommendation)"

#: The terminal is drawn on a canvas; this keeps the text the server sends, escapes removed.
RECORD_SCREEN = r"""
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screen = "";
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__screen += decoder.decode(event.data, {stream: true})
          .replace(/\x1b\[[0-9;?$<>=]*[ -\/]*[@-~]/g, "").replace(/\x1b\][^\x07]*\x07/g, "");
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
})();
"""

STEP_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def server(cli_env, tmp_path_factory):
    with serving(cli_env, tmp_path_factory.mktemp("served")) as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


def open_page(browser: Browser, url: str) -> Page:
    """A browser session of its own (its own cookies and storage), its page loaded."""
    context = browser.new_context(viewport={"width": 880, "height": 560}, accept_downloads=True)
    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())  # loopback only
    context.add_init_script(RECORD_SCREEN)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    page.goto(url)
    return page


def welcomed(page: Page) -> Page:
    """Wait for the welcome screen, and type into the terminal from now on."""
    wait_for_screen(page, 0, "Welcome")
    page.focus("textarea.xterm-helper-textarea")  # where a click on the terminal puts the keys
    return page


def shown(page: Page) -> int:
    """How much the page has been sent so far: what a key changes comes after it."""
    return int(page.evaluate("window.__screen.length"))


def wait_for_screen(page: Page, since: int, *wanted: str, leaving: str = "") -> str:
    """Wait until a screen named in `wanted` ('Question' for any question), other than
    `leaving`, is drawn after `since`; return where it is ("Question 3 of", "Review")."""
    handle = page.wait_for_function(
        """([since, where, wanted, leaving]) => {
             const found = [...window.__screen.slice(since).matchAll(new RegExp(where, "g"))];
             const last = found.length ? found[found.length - 1][1] : null;
             const name = last && (last.startsWith("Question ") ? "Question" : last);
             return name && last !== leaving && wanted.includes(name) ? last : null;
           }""",
        arg=[since, WHERE, list(wanted), leaving],
    )
    return str(handle.json_value())


def press(page: Page, key: str, *wanted: str, leaving: str = "") -> str:
    """Press `key` on the screen `leaving`, and wait for the next screen (a repaint of the
    one being left is not the next)."""
    since = shown(page)
    page.keyboard.press(key)
    return wait_for_screen(page, since, *wanted, leaving=leaving)


def walk_to_recommendation(page: Page, initiative: str) -> int:
    """Start, name the initiative, then Enter on every question's highlighted answer; returns
    where the recommendation's screen begins in what the page was sent."""
    where = press(page, "Enter", "Question", leaving="Welcome")
    assert where == "Question 1 of"
    page.keyboard.type(initiative)
    for _ in range(30):  # the shipped tree asks at most 14
        where = press(page, "Enter", "Question", "Review", leaving=where)
        if where == "Review":
            break
    assert where == "Review"
    since = shown(page)
    press(page, "Enter", "Recommendation", leaving="Review")
    return since


def test_a_walk_to_the_recommendation_downloads_the_report_to_the_browser(server, browser):
    page = welcomed(open_page(browser, server.url))
    since = walk_to_recommendation(page, "Claims triage")
    if os.environ.get("ADAPTWISE_SCREENSHOT"):  # the README's picture, once the footer is drawn too
        page.wait_for_function("since => window.__screen.slice(since).includes('palette')", arg=since)
        page.screenshot(path=os.environ["ADAPTWISE_SCREENSHOT"])

    with page.expect_download() as downloading:  # from the single-use URL textual-serve opens
        page.keyboard.press("Control+s")
    download = downloading.value
    assert re.fullmatch(r"adaptwise-claims-triage-\d{4}-\d{2}-\d{2}\.md", download.suggested_filename)
    report = Path(download.path()).read_text(encoding="utf-8")
    assert report.startswith("# ") and "Claims triage" in report.splitlines()[0]
    assert "Recommendation:" in report
    assert "## Reproducibility" in report or "sha256" in report
    page.wait_for_function("window.__screen.includes('Your browser is downloading')")

    # The file went to the browser: nothing on the server's disk, no session to resume.
    assert files_under(server.state_dir) == []
    assert files_under(server.state_dir.parent / "server-cwd") == []
    page.context.close()


def test_two_browser_sessions_never_see_each_others_answers(server, browser):
    alpha, bravo = open_page(browser, server.url), open_page(browser, server.url)  # at once
    for page, name in ((welcomed(alpha), "Alpha secret project"), (welcomed(bravo), "Bravo secret project")):
        press(page, "Enter", "Question", leaving="Welcome")
        page.keyboard.type(name)
        press(page, "Enter", "Question", leaving="Question 1 of")
    press(alpha, "Escape", "Question", leaving="Question 2 of")  # back on the name, which alpha sees again
    alpha.wait_for_function("window.__screen.includes('Alpha secret project')")

    # A third browser starts afresh: nobody's session is offered to it.
    third = welcomed(open_page(browser, server.url))
    third_screen = third.evaluate("window.__screen")
    assert "Resume" not in third_screen and "unfinished session" not in third_screen

    alpha_screen, bravo_screen = alpha.evaluate("window.__screen"), bravo.evaluate("window.__screen")
    assert "Alpha" in alpha_screen and "Bravo" not in alpha_screen
    assert "Bravo" in bravo_screen and "Alpha" not in bravo_screen
    assert "Alpha" not in third_screen and "Bravo" not in third_screen
    assert files_under(server.state_dir) == []
    for page in (alpha, bravo, third):
        page.context.close()
