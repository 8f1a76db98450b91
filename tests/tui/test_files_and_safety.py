"""Pilot tests: export, resume after an interruption, hostile free text.

Saving the answers file is tested in test_bursts (on the recommendation it opens anyway),
and errors in the export dialog in test_dialog_errors. All on the fixture tree
(wizard_tree.yaml)."""

from __future__ import annotations

import re

import pytest
from textual.content import Content
from textual.widgets import Button, Input, OptionList

from adaptwise.files.session import Session, load_session, save_session, session_file
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.save import SaveFileDialog
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.screens.welcome import WelcomeScreen

from .conftest import SIZE, complete_answers, walk_wizard

#: Markup alone (a closing tag with no opening one breaks a markup parser), then every
#: kind at once: an action link, a terminal title escape, markup and a colour escape.
HOSTILE = ["[/foo]", "[@click=app.quit]x[/] \x1b]2;pwned\x07 [b]bold[/b] \x1b[31mred"]


@pytest.fixture
def make_complete_app(make_wizard_app, wizard_tree):
    """A wizard whose answers are complete: it opens on the review. The keyboard walks that
    get there are tested in test_walks."""

    def make(answers=None):
        return make_wizard_app(complete_answers(wizard_tree, answers))

    return make


async def test_export_saves_the_report_and_asks_before_replacing(make_complete_app, tmp_path):
    """From the review, where the report is complete, so no recommendation screen is laid out
    (ctrl+s on the recommendation is pressed in test_bursts)."""
    app = make_complete_app({"initiative": "Claims triage"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        assert isinstance(app.screen, SaveFileDialog)
        assert app.screen.query_one(Input).value == "adaptwise-claims-triage-2026-03-14.md"
        await pilot.press("enter")
        await pilot.pause()
        target = tmp_path / "adaptwise-claims-triage-2026-03-14.md"
        assert target.read_text(encoding="utf-8") == app.report()
        assert isinstance(app.screen, ReviewScreen)

        target.write_text("old")
        app.action_export()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep the old file
        await pilot.pause()
        assert isinstance(app.screen, SaveFileDialog)
        assert target.read_text() == "old"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert target.read_text(encoding="utf-8") == app.report()


async def test_resume_after_an_interruption(make_wizard_app, wizard_tree):
    given = {"initiative": "Claims", "task": "sort", "baseline": "missing_facts"}
    first = make_wizard_app()
    async with first.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, first, given, until="freshness")
        interrupted = dict(first.answers)
        assert interrupted.items() >= given.items()
        # The terminal dies here: no quit, no cleanup.
    assert session_file(wizard_tree.sha256).exists()

    second = make_wizard_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, WelcomeScreen)
        assert str(second.screen.query_one("#resume", Button).label) == "Resume"
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        assert isinstance(second.screen, QuestionScreen)
        assert second.screen.question.id == "freshness"
        assert second.answers == interrupted


async def test_start_over_from_welcome_forgets_the_session(make_wizard_app, wizard_tree):
    save_session(Session(wizard_tree.sha256, {"task": "sort"}, "baseline"), wizard_tree.tree)
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.answers == {}
        assert app.screen.question.id == "initiative"
    session = load_session(wizard_tree.tree, wizard_tree.sha256)
    assert session is not None
    assert session.answers == {}


async def test_resume_on_the_recommendation(make_wizard_app, wizard_tree):
    from adaptwise.domain.engine import with_defaults

    answers = with_defaults(wizard_tree.tree, {"initiative": "", "owner": ""})
    save_session(Session(wizard_tree.sha256, answers, "recommendation"), wizard_tree.tree)
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)


async def test_a_sigterm_saves_and_exits_143(make_wizard_app, wizard_tree):
    import signal

    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "down", "enter")
        await pilot.pause()
        app.signal_exit(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    session = load_session(wizard_tree.tree, wizard_tree.sha256)
    assert session is not None
    assert session.answers["task"] == "sort"  # the second answer


@pytest.mark.parametrize("text", HOSTILE)
async def test_hostile_free_text_is_shown_literally(make_wizard_app, wizard_tree, text):
    """Typed into the initiative, then on the review, the recommendation and the export name."""
    app = make_wizard_app({k: v for k, v in complete_answers(wizard_tree).items() if k != "initiative"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "initiative"
        app.screen.query_one(Input).value = text
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running, text
        stored = app.answers["initiative"]
        assert "\x1b" not in stored and "\x07" not in stored
        assert isinstance(app.screen, ReviewScreen)
        shown = app.screen.query_one("#answers", OptionList).get_option_at_index(0).prompt
        assert isinstance(shown, Content), type(shown)
        assert stored in shown.plain  # literally, markup characters and all
        assert not any(span.style and "@click" in str(span.style) for span in shown.spans)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        svg = app.export_screenshot()
        assert "pwned\x07" not in svg and "\x1b" not in svg
        assert app.is_running
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveFileDialog), repr(text)
        name = app.screen.query_one(Input).value
        assert re.fullmatch(r"adaptwise-[a-z0-9-]*-?2026-03-14\.md", name), name
