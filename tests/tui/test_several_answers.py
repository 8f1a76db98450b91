"""A choose-all-that-apply question in the wizard (the fixture tree's baseline): a checklist
where Space (or a click) ticks, Enter accepts, an answer that goes alone never combines, and
the answer is the one canonical combination the engine decides on.

Each test opens the wizard on the question itself, from answers given up front; the walk
through the whole tree by keyboard with two answers ticked is test_walks' "two_gaps".
"""

from __future__ import annotations

from textual.widgets import OptionList, Static

from adaptwise.tui.app import AdaptwiseApp
from adaptwise.tui.screens.question import CHECKLIST_HINT, QuestionScreen
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.widgets.answer_inputs import AnswerChecklist

from .conftest import SIZE, asked, choose, complete_answers, default_answer

TWO_GAPS = "missing_facts,wrong_format"


def before(wizard_tree, question_id: str = "baseline") -> dict[str, str]:
    """Defaults up to `question_id`: a wizard given them opens on that question (then asks
    what is still unanswered, and reviews)."""
    filled: dict[str, str] = {}
    while (pending := asked(wizard_tree.tree, filled)).id != question_id:
        filled[pending.id] = default_answer(pending)
    return filled


def checklist(app: AdaptwiseApp) -> AnswerChecklist:
    assert isinstance(app.screen, QuestionScreen) and app.screen.question.is_multiple, app.screen
    return app.screen.query_one(AnswerChecklist)


def explanation(app: AdaptwiseApp) -> Static:
    return app.screen.query_one("#explanation", Static)


def shown(app) -> str:
    return str(explanation(app).render())


async def test_an_answer_that_goes_alone_unticks_the_others_and_says_so(make_wizard_app, wizard_tree):
    app = make_wizard_app(before(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        boxes = checklist(app)
        question = app.screen.question
        prompt = str(app.screen.query_one("#prompt", Static).render())
        assert prompt == f"{question.prompt} Choose all that apply. {CHECKLIST_HINT}"
        assert boxes.selected == [question.default] == ["untested"]  # no answer yet: the default
        assert boxes.highlighted == 0
        assert shown(app).endswith(" (default; never combined)")
        await pilot.press("down", "down", "space")  # a gap: the default, which goes alone, is unticked
        await pilot.pause()
        assert boxes.selected == ["missing_facts"]
        assert shown(app) == f"Unticked “{question.options[0].label}”, which is never combined."
        await pilot.press("down")  # the explanation follows the highlight again
        await pilot.pause()
        assert shown(app) == question.options[3].explanation
        await pilot.press("space")  # gaps combine
        await pilot.pause()
        assert boxes.selected == ["missing_facts", "wrong_format"]
        assert shown(app) == question.options[3].explanation
        await pilot.press("up", "up", "space")  # "it does the job" goes alone
        await pilot.pause()
        assert boxes.selected == ["good_enough"]
        assert shown(app) == f"“{question.options[1].label}” is never combined: the others were unticked."
        # A click ticks too (the list's first row is under its top border), and unticks what goes alone.
        await pilot.click(AnswerChecklist, offset=(10, 1 + question.values.index("wrong_format")))
        await pilot.pause()
        assert boxes.selected == ["wrong_format"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers["baseline"] == "wrong_format"


async def test_enter_with_nothing_ticked_stays_and_says_what_to_do(make_wizard_app, wizard_tree):
    app = make_wizard_app(before(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        boxes = checklist(app)
        await pilot.press("space", "enter")  # untick the default, then Enter
        await pilot.pause()
        assert boxes.selected == [] and app.screen.question.id == "baseline"
        assert "baseline" not in app.answers
        assert shown(app) == "Choose at least one answer: Space ticks the highlighted one."
        assert explanation(app).has_class("-warning")
        await pilot.press("space")
        await pilot.pause()
        assert boxes.selected == ["untested"] and not explanation(app).has_class("-warning")
        assert shown(app).startswith(app.screen.question.options[0].explanation)


async def test_back_and_an_edit_from_the_review_tick_the_current_answer(make_wizard_app, wizard_tree):
    app = make_wizard_app(before(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await choose(pilot, app, TWO_GAPS)
        assert app.answers["baseline"] == TWO_GAPS
        assert app.screen.question.id == "freshness"  # the first gap's own next question
        await pilot.press("escape")
        await pilot.pause()
        boxes = checklist(app)
        assert boxes.selected == ["missing_facts", "wrong_format"]
        assert app.screen.question.options[boxes.highlighted].value == "missing_facts"

    question = wizard_tree.tree.question_by_id["baseline"]
    app = make_wizard_app(complete_answers(wizard_tree, {"baseline": TWO_GAPS}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        rows = app.screen.query_one(OptionList)
        row = rows.get_option("baseline").prompt
        # Each answer on a line of its own, so a long combination never wraps under the number.
        assert str(row).splitlines()[1:] == [f"    • {option.label}" for option in question.options_of(TWO_GAPS)]
        rows.highlighted = rows.get_option_index("baseline")
        await pilot.press("e")
        await pilot.pause()
        assert checklist(app).selected == ["missing_facts", "wrong_format"]
        await pilot.press("escape")  # back to the review as it was
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.answers["baseline"] == TWO_GAPS
