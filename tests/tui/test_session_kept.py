"""A saved session is never written over with less than it held: not by opening the wizard
and quitting, nor by a crash or a signal before the person chose, nor by a second wizard;
one that cannot be read is set aside and the welcome screen says where. On the fixture tree
(wizard_tree.yaml)."""

from __future__ import annotations

import signal

import pytest
from textual.widgets import Static

from adaptwise.files.session import Session, SessionLock, save_session, session_file
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.welcome import WelcomeScreen

from .conftest import SIZE, Notices, press_to_quit


def saved(wizard_tree) -> bytes:
    first, second = wizard_tree.tree.questions[:2]
    save_session(
        Session(wizard_tree.sha256, {first.id: "Claims", second.id: second.default}, second.id), wizard_tree.tree
    )
    return session_file(wizard_tree.sha256).read_bytes()


async def test_quitting_or_a_signal_on_the_welcome_screen_keeps_the_session(make_wizard_app, wizard_tree):
    before = saved(wizard_tree)
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen) and app.screen.session is not None
        app.signal_exit(signal.SIGHUP)  # a closed terminal, before Resume or Start
        await pilot.pause()
    assert session_file(wizard_tree.sha256).read_bytes() == before
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await press_to_quit(pilot, "ctrl+q")
    assert session_file(wizard_tree.sha256).read_bytes() == before


def test_a_crash_before_the_person_chose_leaves_the_session_and_says_so(wizard_tree, monkeypatch, capsys):
    """What `run_wizard` does after Textual's return code 1: save only a walk the person owns."""
    from adaptwise.tui.app import AdaptwiseApp
    from adaptwise.tui.run import CRASHED, run_wizard

    before = saved(wizard_tree)

    def crash(app: AdaptwiseApp) -> None:
        app.exit(return_code=CRASHED)  # as Textual's crash handler leaves it, the report printed

    monkeypatch.setattr(AdaptwiseApp, "run", crash)
    assert run_wizard(wizard_tree) == CRASHED
    assert session_file(wizard_tree.sha256).read_bytes() == before
    assert "Any saved session was left as it was" in capsys.readouterr().err


def test_a_second_wizard_on_the_session_is_refused_with_the_holders_pid(wizard_tree, monkeypatch, capsys):
    import os

    from adaptwise.tui.app import AdaptwiseApp
    from adaptwise.tui.run import run_wizard

    before = saved(wizard_tree)
    monkeypatch.setattr(AdaptwiseApp, "run", lambda app: (_ for _ in ()).throw(AssertionError("started")))
    with SessionLock(wizard_tree.sha256):
        assert run_wizard(wizard_tree) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"another adaptwise wizard is using this session (pid {os.getpid()})" in err
    assert session_file(wizard_tree.sha256).read_bytes() == before


async def test_a_corrupt_session_is_set_aside_and_the_welcome_says_where(make_wizard_app, wizard_tree):
    path = session_file(wizard_tree.sha256)
    path.parent.mkdir(parents=True)
    path.write_text('{"answers": {"initiative": "Claims"}, "saved_at": 1e308, "tree_sha256": "' + wizard_tree.sha256)
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen) and app.screen.session is None
        [kept] = path.parent.glob(f"{path.name}.corrupt-*")
        note = str(app.screen.query_one("#session-problem", Static).render())
        assert kept.name in note and "out of range (1e308)" in note
        await pilot.press("s")  # a fresh walk autosaves anew; what was set aside stays
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
    assert path.exists() and "Claims" in kept.read_text()


async def test_a_prefilled_wizard_says_a_session_was_set_aside(make_wizard_app, wizard_tree):
    path = session_file(wizard_tree.sha256)
    path.parent.mkdir(parents=True)
    path.write_text("[" * 100_000)
    notices = Notices()
    app = make_wizard_app({wizard_tree.tree.questions[0].id: "Claims"})
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
    [kept] = path.parent.glob(f"{path.name}.corrupt-*")
    assert any(kept.name in notice and "nests deeper" in notice for notice in notices)


async def test_a_crash_after_resuming_saves_the_answers_not_an_empty_walk(make_wizard_app, wizard_tree):
    import json

    from adaptwise.tui.run import CRASHED

    answers = json.loads(saved(wizard_tree))["answers"]
    app = make_wizard_app()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await pilot.pause()
            app.call_later(lambda: 1 / 0)  # a bug, as Textual meets it: report, exit 1
            await pilot.pause()
    assert app.return_code == CRASHED
    assert app.save_state()  # what run_wizard does next
    assert json.loads(session_file(wizard_tree.sha256).read_text())["answers"] == answers
