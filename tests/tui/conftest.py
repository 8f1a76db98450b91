"""Shared fixtures for the wizard's pilot and snapshot tests.

Tests of the wizard's behaviour run on the fixture tree beside this file (`wizard_tree`,
`make_wizard_app`): its words are the tests' own, and its screens are small. The few tests
about the shipped tree's content or walks use `loaded` and `make_app`.

Every test gets its own state and cache folders under tmp_path, so nothing touches the
real home directory, and the report date is frozen so the screens are stable. Every pilot
run has a deadline: a wizard that hangs fails its test instead of stalling the suite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.message import Message
from textual.notifications import Notify

from adaptwise.domain.engine import next_question, walk
from adaptwise.domain.model import Tree
from adaptwise.domain.questions import Question
from adaptwise.files.trees import load_tree
from adaptwise.tui.app import AdaptwiseApp, create_app
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.widgets.answer_inputs import AnswerChecklist

#: A platform team's small tree with each thing the wizard shows (its header says what).
WIZARD_TREE = Path(__file__).with_name("wizard_tree.yaml")
TODAY = date(2026, 3, 14)
SIZE = (80, 24)
#: Far above the slowest pilot test (20 s on a busy 2-core machine): a hang, not a slow run.
PILOT_SECONDS = 120


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path, monkeypatch):
    monkeypatch.setenv("ADAPTWISE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _bounded_pilots(monkeypatch):
    """`app.run_test()` with a deadline: a pilot still running after PILOT_SECONDS is
    cancelled, so a wizard stuck waiting (a screen that never comes, a walk that never ends)
    fails with TimeoutError rather than hanging the run."""

    @asynccontextmanager
    async def run_test(app, *args, **kwargs):
        try:
            async with asyncio.timeout(PILOT_SECONDS), App.run_test(app, *args, **kwargs) as pilot:
                yield pilot
        except TimeoutError:
            raise TimeoutError(f"the pilot was still running after {PILOT_SECONDS} s") from None

    monkeypatch.setattr(AdaptwiseApp, "run_test", run_test)


@pytest.fixture(scope="session")
def loaded():
    """The shipped tree, for the tests about its content and its walks."""
    return load_tree()


@pytest.fixture
def make_app(loaded):
    """A wizard on the shipped tree, built with run_wizard's own factory."""

    def make(answers=None) -> AdaptwiseApp:
        return create_app(loaded, answers, today=TODAY)

    return make


@pytest.fixture(scope="session")
def wizard_tree():
    """The fixture tree (wizard_tree.yaml), validated as `check` validates it, loaded once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")  # no cache entry outlives the run
        return load_tree(WIZARD_TREE)


@pytest.fixture
def make_wizard_app(wizard_tree):
    """A wizard on the fixture tree, built with run_wizard's own factory."""

    def make(answers=None) -> AdaptwiseApp:
        return create_app(wizard_tree, answers, today=TODAY)

    return make


class Notices(list[str]):
    """The notifications an app posts, collected through `run_test(message_hook=...)`."""

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification.message)


def default_answer(question: Question) -> str:
    """What a walk told nothing answers: a choice question's default, free text left empty."""
    if question.is_text:
        return ""
    assert question.default is not None, f"{question.id} has no default"
    return question.default


def asked(tree: Tree, answers: Mapping[str, str]) -> Question:
    """The question the wizard asks next with `answers` (there must be one, not a decision)."""
    question = next_question(tree, answers)
    assert question is not None, f"no question is left to ask after {dict(answers)}"
    return question


async def choose(pilot, app: AdaptwiseApp, value: str) -> None:
    """Answer the question on screen by moving the highlight with the keys, then Enter."""
    from textual.widgets import Input, OptionList

    screen = app.screen
    assert isinstance(screen, QuestionScreen), type(screen)
    question = screen.question
    if question.is_text:
        field = screen.query_one(Input)
        field.value = ""
        if value:
            await pilot.press(*value)
        await pilot.press("enter")
    elif question.is_multiple:  # tick what `value` is made of (Space), untick the rest, Enter
        checklist = screen.query_one(AnswerChecklist)
        wanted = set(question.parts(value))
        for target, option in enumerate(question.options):
            if (option.value in checklist.selected) != (option.value in wanted):
                await highlight(pilot, checklist, target)
                await pilot.press("space")
        assert question.combine(checklist.selected) == value, checklist.selected
        await pilot.press("enter")
    else:
        options = screen.query_one(OptionList)
        await highlight(pilot, options, question.values.index(value))
        await pilot.press("enter")
    await pilot.pause()


async def press_to_quit(pilot, *keys: str) -> None:
    """Press `keys`, the last of which quits, and wait for the app to exit. Not `pilot.press`:
    once the app has gone, its wait for the screen to settle can wait forever."""
    from textual import events

    app = pilot.app
    for key in keys[:-1]:
        await pilot.press(key)
    app.post_message(events.Key(keys[-1], keys[-1] if len(keys[-1]) == 1 else None))
    while app.return_code is None:
        await asyncio.sleep(0.01)


async def highlight(pilot, options, target: int) -> None:
    """Move the highlight of an option list to `target` with the arrow keys."""
    while options.highlighted != target:
        await pilot.press("down" if options.highlighted < target else "up")


async def walk_wizard(pilot, app: AdaptwiseApp, answers: dict[str, str], *, until: str | None = None) -> None:
    """From the welcome screen, answer every question the engine asks (default if not given),
    to the review, or only until question `until` is on screen."""
    await pilot.press("enter")  # Start
    await pilot.pause()
    for _ in app.decision_tree.questions:  # each question at most once
        if not isinstance(app.screen, QuestionScreen) or app.screen.question.id == until:
            break
        question = app.screen.question
        assert asked(app.decision_tree, app.answers).id == question.id
        await choose(pilot, app, answers.get(question.id, default_answer(question)))
    if until is not None:
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == until, app.answers
    else:
        assert not isinstance(app.screen, QuestionScreen), app.answers


def complete_answers(loaded, answers: dict[str, str] | None = None) -> dict[str, str]:
    """`answers` completed along the path (free text empty): a wizard given them opens on
    the review, one Enter from the recommendation."""
    filled = dict(answers or {})
    while (pending := walk(loaded.tree, filled, ask_optional=True).pending) is not None:
        filled[pending.id] = default_answer(pending)
    return filled


async def open_recommendation(pilot, app: AdaptwiseApp) -> None:
    """From the review a prefilled wizard opens on, Enter to the recommendation."""
    from adaptwise.tui.screens.recommendation import RecommendationScreen
    from adaptwise.tui.screens.review import ReviewScreen

    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen), type(app.screen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, RecommendationScreen), type(app.screen)
