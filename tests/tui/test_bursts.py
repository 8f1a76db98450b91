"""Keys faster than screens: bursts that arrive in one read (key repeat, a paste without
bracketed paste, a laggy link) on every screen and dialog. The wizard stays up, and what it
shows is always the walkthrough's step, as the engine sees it.

Each burst is posted whole before the app runs again, as a terminal driver delivers one read.
Every test starts on the screen it is about, and exits right after its last burst, while
screens may still be changing (the moment a header used to crash the app on the way out).
All on the fixture tree (wizard_tree.yaml): what is tested is the wizard, not the tree.
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.command import CommandPalette
from textual.screen import ModalScreen
from textual.widgets import Input

from adaptwise.domain.engine import decide, next_question
from adaptwise.domain.walkthrough import Stage
from adaptwise.files.session import Session, load_session, save_session
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.help import HelpDialog
from adaptwise.tui.dialogs.open_answers import OpenAnswersDialog
from adaptwise.tui.dialogs.save import SaveFileDialog
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.screens.welcome import WelcomeScreen

from .conftest import SIZE, asked, complete_answers, default_answer

SCREEN_OF = {
    Stage.START: WelcomeScreen,
    Stage.QUESTION: QuestionScreen,
    Stage.REVIEW: ReviewScreen,
    Stage.RECOMMENDATION: RecommendationScreen,
}
CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " "}


async def burst(pilot, *keys: str) -> None:
    """Post `keys` all at once, as one read from the terminal, then let the app catch up."""
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))
    handled = asyncio.Event()
    app.call_later(handled.set)  # queued behind the keys: set once every key is handled
    while not handled.is_set() and app.is_running and app.return_code is None:  # not if it crashed
        await asyncio.sleep(0.01)
    await pilot.pause()
    assert_consistent(app)


async def close_dialogs(pilot) -> None:
    """Escape, one key at a time, out of whatever dialogs a burst left open."""
    while isinstance(pilot.app.screen, ModalScreen):
        await pilot.press("escape")
        await pilot.pause()
    assert_consistent(pilot.app)


def assert_consistent(app) -> None:
    """Up, with the welcome at the base, at most one step screen over it, dialogs only on top,
    and the step on screen the walkthrough's, on the engine's path."""
    assert app.is_running and app.return_code is None
    stack = app.screen_stack
    steps = [screen for screen in stack if isinstance(screen, StepScreen)]
    assert stack[: len(steps)] == steps and 1 <= len(steps) <= 2, stack
    assert all(isinstance(screen, ModalScreen) for screen in stack[len(steps) :]), stack
    walkthrough = app.walkthrough
    shown = steps[-1]
    assert shown.step is walkthrough
    assert type(shown) is SCREEN_OF[walkthrough.stage], (shown, walkthrough)
    if walkthrough.stage is Stage.QUESTION:
        assert shown.question == walkthrough.question
        assert walkthrough.question in walkthrough.path or walkthrough.question == walkthrough.pending
    elif walkthrough.stage is not Stage.START:
        assert next_question(app.decision_tree, walkthrough.answers) is None
    if walkthrough.stage is Stage.RECOMMENDATION:
        assert shown.decision.outcome == decide(app.decision_tree, walkthrough.answers).outcome


async def test_bursts_on_the_welcome_screen_and_each_kind_of_question(make_wizard_app):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "enter", "enter", "enter", "enter")  # one Start; the rest were for the welcome
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.is_text
        await burst(pilot, "enter", "enter", "enter")  # free text: skipped once
        assert isinstance(app.screen, QuestionScreen) and not app.screen.question.is_text
        first_choice = app.screen.question
        await burst(pilot, "down", "enter", "enter", "down", "enter")
        assert app.answers[first_choice.id] == first_choice.values[1]  # the first Enter only
        await burst(pilot, "escape", "escape", "escape")
        await burst(pilot, "enter", "f1", "enter", "escape", "question_mark")
        await burst(pilot, "escape", "escape", "escape", "enter")
        await burst(pilot, "escape", "enter", "escape", "escape", "enter", "s")
        await burst(pilot, "x", "space", "tab", "enter", "enter", "escape", "up", "enter")
        await burst(pilot, "ctrl+p", "ctrl+p", "ctrl+c", "ctrl+p", "n", "ctrl+p")  # one palette, ever
        assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1
        await close_dialogs(pilot)
        # Opened and closed before they mount: the help, then the palette run twice.
        await burst(pilot, "f1", "f1", "f1", "f1")
        await burst(pilot, "ctrl+p", "g", "l", "o", "enter", "enter", "x", "enter")
        await close_dialogs(pilot)


async def test_bursts_on_the_welcome_screen_with_a_session(make_wizard_app, wizard_tree):
    save_session(
        Session(wizard_tree.sha256, {next(iter(wizard_tree.tree.question_by_id)): "Claims"}, None), wizard_tree.tree
    )
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "r", "s", "enter", "o")
        for _ in range(len(wizard_tree.tree.questions)):  # back to the welcome, a burst at a time
            if isinstance(app.screen, WelcomeScreen):
                break
            await burst(pilot, "escape", "escape", "escape")
        assert isinstance(app.screen, WelcomeScreen)
        await burst(pilot, "s", "r", "r", "enter", "escape")


async def test_bursts_on_a_choose_all_that_apply_question(make_wizard_app, wizard_tree):
    """Space, arrows, clicks and Enter at once on a checklist: every answer taken is one the
    question allows (never an answer that goes alone with another), and none is taken twice."""
    question = next(question for question in wizard_tree.tree.questions if question.is_multiple)
    before: dict[str, str] = {}
    while (pending := asked(wizard_tree.tree, before)) != question:
        before[pending.id] = default_answer(pending)
    app = make_wizard_app(before)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.walkthrough.question == question
        await burst(pilot, "space", "enter", "enter", "space", "space")  # nothing ticked: Enter refused
        assert question.id not in app.answers and app.walkthrough.question == question
        await burst(pilot, "down", "space", "down", "space", "down", "space", "up", "space", "enter", "enter", "space")
        assert app.answers[question.id] in question.answer_values
        await burst(pilot, "escape", "space", "space", "end", "space", "home", "space", "enter", "escape", "enter")
        await burst(pilot, "escape", "escape", "space", "enter", "f1", "space", "escape", "down", "space", "enter")
        await close_dialogs(pilot)
        assert all(
            app.answers.get(q.id, q.default) in q.answer_values for q in wizard_tree.tree.questions if q.is_multiple
        )


async def test_bursts_on_the_review(make_wizard_app, wizard_tree):
    app = make_wizard_app(complete_answers(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await burst(pilot, "e", "e", "escape", "e")  # one edit; the rest were for the review
        assert isinstance(app.screen, QuestionScreen)
        await burst(pilot, "escape", "escape")  # back to the review as it was, once
        assert isinstance(app.screen, ReviewScreen)
        await burst(pilot, "down", "e", "escape", "escape")
        await burst(pilot, "escape", "escape", "escape", "e", "escape")
        await burst(pilot, "e", "e", "down", "escape")  # (Enter, and help, are other tests')


async def test_bursts_on_the_recommendation_and_its_dialogs(make_wizard_app, wizard_tree, tmp_path):
    from adaptwise.files.answers_file import load_answers_file

    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims"}))
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "enter", "enter", "enter")
        assert isinstance(app.screen, RecommendationScreen)
        await burst(pilot, "a")
        assert isinstance(app.screen, SaveFileDialog)
        assert app.screen.query_one(Input).value == "adaptwise-claims-answers.yaml"
        await burst(pilot, "enter", "enter", "enter")  # written once, and a file to replay
        replay = load_answers_file(tmp_path / "adaptwise-claims-answers.yaml", wizard_tree.tree)
        assert replay == {key: value for key, value in app.answers.items() if value != ""}
        assert isinstance(app.screen, RecommendationScreen)
        await burst(pilot, "ctrl+s", "enter", "enter", "enter")  # saved once; the rest were for the dialog
        assert isinstance(app.screen, RecommendationScreen)
        assert (tmp_path / app.export_name()).read_text(encoding="utf-8")
        await burst(pilot, "ctrl+s", "enter", "enter", "n")  # it exists now: asks, once
        await close_dialogs(pilot)
        assert isinstance(app.screen, RecommendationScreen)
        await burst(pilot, "n", "enter", "enter", "enter")  # Start over? Cancel (at most once)
        await close_dialogs(pilot)
        assert isinstance(app.screen, RecommendationScreen)
        await burst(pilot, "p", "a", "a", "escape", "escape", "escape")


async def test_a_burst_of_enters_in_the_open_dialog_loads_once(make_wizard_app, tmp_path):
    (tmp_path / "answers.yaml").write_text("initiative: Claims\n")
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "o")
        assert isinstance(app.screen, OpenAnswersDialog)
        app.screen.query_one(Input).value = "answers.yaml"
        await burst(pilot, "enter", "enter", "enter")  # used to pop the welcome too: an empty stack
        assert app.answers["initiative"] == "Claims"
        await burst(pilot, "ctrl+c", "n", "n", "enter", "escape")
        assert not isinstance(app.screen, ConfirmDialog | HelpDialog | SaveFileDialog)
    kept = load_session(app.decision_tree, app.loaded.sha256)
    assert kept is not None
    assert kept.answers == app.answers


async def test_screens_and_dialogs_replaced_or_closed_before_they_mount(make_wizard_app, wizard_tree):
    """The slowest terminal: each screen and dialog goes in the same turn that made it, before
    it has mounted; none looks for a widget it no longer holds."""
    app = make_wizard_app(complete_answers(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.walkthrough.path[0].id

        def there_and_back(*steps) -> None:
            for step in steps:
                step()

        def close_the_palette() -> None:
            app.screen.dismiss()  # the screen on top when it runs, the palette

        for steps in [
            (lambda: app.edit(first), app.back),  # a question, replaced by the review
            (app.show_recommendation, app.back),  # the recommendation, likewise
            (app.action_help, app.action_help),  # F1 twice
            (app.action_save_answers, lambda: app.screen.close(None)),
            (app.action_load_answers, lambda: app.screen.close(None)),
            (app.action_request_quit, lambda: app.screen.close(False)),
            (app.action_command_palette, close_the_palette),
        ]:
            app.call_later(there_and_back, *steps)
            await pilot.pause()
            await pilot.pause()
            assert_consistent(app)
            assert isinstance(app.screen, ReviewScreen)
