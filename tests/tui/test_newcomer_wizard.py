"""Pilot tests for the wizard's words: a session outlives an export, and a file that is not
replaced says so. All on the fixture tree (wizard_tree.yaml)."""

from __future__ import annotations

from textual.widgets import Input, Static

from adaptwise.files.session import load_session, session_file
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.save import SaveFileDialog
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.screens.welcome import WelcomeScreen

from .conftest import SIZE, Notices, complete_answers

NAME = "adaptwise-claims-triage-2026-03-14.md"


async def export(pilot, app) -> None:
    app.action_export()
    await pilot.pause()
    assert isinstance(app.screen, SaveFileDialog)
    await pilot.press("enter")
    await pilot.pause()


async def test_quitting_after_an_export_keeps_the_session(make_wizard_app, wizard_tree, tmp_path):
    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims triage"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await export(pilot, app)
        assert (tmp_path / NAME).is_file() and isinstance(app.screen, ReviewScreen)
        answers = dict(app.answers)
        await pilot.press("ctrl+q")
    assert session_file(wizard_tree.sha256).is_file()
    kept = load_session(wizard_tree.tree, wizard_tree.sha256)
    assert kept is not None
    assert kept.answers == answers
    again = make_wizard_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, WelcomeScreen) and again.screen.session is not None


async def test_the_quit_question_after_an_export_says_the_session_is_kept(make_wizard_app, wizard_tree):
    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims triage"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await export(pilot, app)
        app.action_request_quit()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "kept" in app.screen.message and "forgotten" not in app.screen.message


async def test_keeping_the_old_file_says_it_was_not_replaced(make_wizard_app, wizard_tree, tmp_path):
    (tmp_path / NAME).write_text("old")
    notices = Notices()
    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims triage"}))
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        await export(pilot, app)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # the safe choice has the focus: keep the old file
        await pilot.pause()
        assert isinstance(app.screen, SaveFileDialog)
        assert app.screen.query_one(Input).value == NAME
        shown = str(app.screen.query_one("#error", Static).render())
        assert "Not replaced" in shown and NAME in shown
        assert any("Not replaced" in notice for notice in notices)
    assert (tmp_path / NAME).read_text() == "old"


async def test_the_resume_banner_is_worded_by_where_the_session_stopped(make_wizard_app, wizard_tree):
    from adaptwise.files.session import Session, save_session

    answers = complete_answers(wizard_tree, {"initiative": "Claims triage"})
    for position, says, never in [
        ("recommendation", "a session from", "unfinished"),
        ("review", "every question answered", "unfinished"),
        (wizard_tree.tree.questions[1].id, "unfinished session", "reached"),
    ]:
        save_session(Session(wizard_tree.sha256, answers, position), wizard_tree.tree)
        app = make_wizard_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            note = str(app.screen.query_one("#session-note", Static).render())
            assert says in note and never not in note, (position, note)


async def test_f1_on_a_question_explains_each_of_its_answers(make_wizard_app, wizard_tree):
    from textual.widgets import Markdown

    from adaptwise.tui.dialogs.help import HelpDialog
    from adaptwise.tui.screens.question import QuestionScreen

    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")  # Start, then skip the initiative's name
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        question = app.screen.question
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        shown = app.screen.query_one(Markdown).source
        for option in question.options:
            assert f"- **{option.label}**: {option.explanation}" in shown


async def test_after_a_change_the_review_keeps_the_changed_row_highlighted(make_wizard_app, wizard_tree):
    from textual.widgets import OptionList

    from adaptwise.tui.screens.question import QuestionScreen

    from .conftest import choose, highlight

    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims triage"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        row = 3
        question = app.screen.asked[row]
        await highlight(pilot, app.screen.query_one(OptionList), row)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question == question
        await choose(pilot, app, app.answers[question.id])  # the same answer: the path stays
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(OptionList).highlighted == row
        await pilot.press("e", "escape")  # back from an edit, unchanged: still that row
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.query_one(OptionList).highlighted == row


async def test_the_decision_path_fits_80_columns(make_wizard_app, wizard_tree):
    from adaptwise.tui.screens.recommendation import RecommendationScreen
    from adaptwise.tui.widgets.path_tree import GUIDE, DecisionPathTree

    from .conftest import open_recommendation

    answers = complete_answers(
        wizard_tree,
        {
            "initiative": "Claims triage",
            "task": "write",
            "baseline": "wrong_format",
            "examples": "hundreds",
            "review": "checked",
        },
    )
    app = make_wizard_app(answers)
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        assert isinstance(app.screen, RecommendationScreen)
        await pilot.press("p")  # expand the decision path
        await pilot.pause()
        tree = app.screen.query_one(DecisionPathTree)
        text = []
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            assert node is not None
            text.append(str(node.label))
        shown = tree.size.width
        assert tree.virtual_size.width <= shown, (tree.virtual_size.width, shown)
        joined = " ".join(" ".join(line.split()) for line in text)
        path = app.exports().decision().path
        for step in path:
            assert " ".join(step.meant.split()) in joined or not step.meant
        # Not a path that fits anyway: a prompt and a meaning, indented by their guides, would run
        # past the edge unwrapped.
        assert any(len(f"{n}. {step.question.prompt}") + GUIDE > shown for n, step in enumerate(path, start=1))
        assert any(len(f"Meant: {step.meant}") + 2 * GUIDE > shown for step in path)


async def test_a_forgotten_session_stays_forgotten_when_quitting(make_wizard_app, wizard_tree):
    app = make_wizard_app(complete_answers(wizard_tree, {"initiative": "Claims triage"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert session_file(wizard_tree.sha256).is_file()  # saved as the review opened
        app.action_forget_session()
        await pilot.pause()
        assert not session_file(wizard_tree.sha256).exists()
        await pilot.press("ctrl+q")
    assert not session_file(wizard_tree.sha256).exists()
