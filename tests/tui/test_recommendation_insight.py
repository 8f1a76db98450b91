"""Issue 4 in the wizard: the recommendation offers the decisive "Not sure" question, answering
it returns straight to the new recommendation, and the screen shows what-ifs and cost bars.
On the fixture tree (wizard_tree.yaml), whose "Not sure" budget decides between prompt
engineering and fine-tuning; the what-ifs and cost bars on the shipped tree, which has costs.

Update the snapshot deliberately with
`pytest tests/tui/test_recommendation_insight.py --snapshot-update`.
"""

from __future__ import annotations

from textual.widgets import Markdown, Static

from adaptwise.domain.engine import decide, next_question, with_defaults
from adaptwise.domain.insight import explain
from adaptwise.domain.model import APPROACH_LABELS
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.files.trees import LoadedTree
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen

from .conftest import choose, complete_answers, default_answer, open_recommendation

#: Fixture-tree answers (wizard_tree.yaml): ready to fine-tune a format gap, but nobody knows
#: the budget (so: prompt engineering). The team is asked only once weights could change:
#: here, once the budget is known, so it is given up front.
UNKNOWN_BUDGET = {
    "initiative": "Release notes drafter",
    "task": "write",
    "baseline": "wrong_format",
    "examples": "hundreds",
    "review": "checked",
    "budget": "unknown",
    "owner": "",
    "team": "ml_engineers",
}
#: The same on the shipped tree, for the snapshot of its what-ifs and cost bars.
SHIPPED_UNKNOWN_BUDGET = {
    "initiative": "Claims triage assistant",
    "task": "text_generation",
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "reviewed",
    "budget": "unknown",
    "budget_owner": "",
    "infrastructure": "cloud",
    "expertise": "ml_engineers",
    "data_residency": "cloud_ok",
    "timeline": "months",
}
SIZE = (100, 40)


def unknown_budget(wizard_tree, **changes: str) -> dict[str, str]:
    """UNKNOWN_BUDGET with `changes`, completed along its path with the defaults: a wizard
    given it opens on the review."""
    return complete_answers(wizard_tree, {**UNKNOWN_BUDGET, **changes})


def if_chosen(wizard_tree: LoadedTree, question_id: str, value: str) -> str:
    """How the fixture tree says an answer in a sentence ('the budget were over $200k')."""
    return wizard_tree.tree.question_by_id[question_id].option_by_value[value].if_chosen


async def answer_new_questions(pilot, app) -> None:
    """Answer, with their defaults, the questions an offered answer newly puts on the path
    (the wizard asks them before it returns to the recommendation)."""
    while isinstance(app.screen, QuestionScreen):
        question = app.screen.question
        assert question == next_question(app.decision_tree, app.answers) and question.id not in app.answers
        await choose(pilot, app, default_answer(question))


def offer(screen) -> str | None:
    found = screen.query("#decisive-offer")
    return str(found.first(Static).render()) if found else None


def verdict(screen) -> str:
    return str(screen.query_one("#recommendation-line", Static).render())


async def test_answering_the_decisive_question_returns_to_the_new_recommendation(make_wizard_app, wizard_tree):
    app = make_wizard_app(unknown_budget(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        assert verdict(app.screen) == "Recommendation: Prompt engineering"
        text = offer(app.screen)
        assert text is not None
        assert text.startswith("Your answer depends on the budget:")
        assert "then Prompt engineering" in text and "then Fine-tuning" in text and "Press d to answer it now." in text
        # The same sentence opens the report shown below it, with the what-ifs.
        source = app.screen.query_one("#report", Markdown).source
        assert source == app.report(collapsible=False)
        assert "Your answer depends on the budget" in source
        assert "## What would change" in source
        what_ifs = [line for line in source.splitlines() if line.startswith("- ") and "Fine-tuning" in line]
        assert any(if_chosen(wizard_tree, "budget", "20k_to_200k") in line for line in what_ifs), what_ifs

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "budget"

        await choose(pilot, app, "over_200k")
        # Straight back to the recommendation, not the review, with the new decision (after
        # any questions the answer newly puts on the path).
        await answer_new_questions(pilot, app)
        assert isinstance(app.screen, RecommendationScreen), type(app.screen)
        assert app.answers["budget"] == "over_200k"
        tree = wizard_tree.tree
        expected = decide(tree, with_defaults(tree, {**UNKNOWN_BUDGET, "budget": "over_200k"}))
        assert expected.approach == "fine_tuning"
        assert app.screen.decision.approach == "fine_tuning"
        assert app.screen.decision.outcome == expected.outcome
        assert verdict(app.screen) == "Recommendation: Fine-tuning"
        # Nothing is unsure any more: no offer, and d does nothing.
        assert offer(app.screen) is None
        assert "Your answer depends on" not in app.screen.query_one("#report", Markdown).source
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)


def test_the_smallest_budget_keeps_prompt_engineering(wizard_tree):
    """Answering the offer with the smallest budget: prompt engineering, and nothing left to
    offer. The screen's part (straight back to the recommendation, its offer line from
    `explain`) is the test above; this is the decision it would show."""
    tree = wizard_tree.tree
    answers = with_defaults(tree, {**UNKNOWN_BUDGET, "budget": "under_20k"})
    decision = decide(tree, answers)
    assert decision.approach == "prompt_engineering"
    assert explain(tree, decision).decisive is None


async def test_two_unknowns_are_answered_one_at_a_time(make_wizard_app, wizard_tree):
    """Whether the examples were checked narrows most, so it is offered first; once it is
    answered the budget is."""
    app = make_wizard_app(unknown_budget(wizard_tree, review="unknown"))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        # Fine-tuning needs both at once, and the offer says so; d asks about the review first.
        first = offer(app.screen)
        assert first is not None, first
        assert f"{if_chosen(wizard_tree, 'review', 'checked')} *and* the budget were" in first, first
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.question.id == "review"
        await choose(pilot, app, "checked")
        assert isinstance(app.screen, RecommendationScreen)
        # The team, given up front for when the budget is known, is kept for it.
        assert app.last_dropped == {} and app.answers["team"] == UNKNOWN_BUDGET["team"]
        depends = offer(app.screen)
        assert depends is not None and depends.startswith("Your answer depends on the budget:"), depends
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "budget"
        await choose(pilot, app, "over_200k")
        await answer_new_questions(pilot, app)
        assert isinstance(app.screen, RecommendationScreen)
        assert app.screen.decision.approach == "fine_tuning"
        assert offer(app.screen) is None


async def test_no_offer_without_an_unsure_answer_that_matters(make_wizard_app, wizard_tree):
    """Nobody tried a prompted model, so whatever the budget it is tried first."""
    app = make_wizard_app(unknown_budget(wizard_tree, baseline="untested"))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        assert offer(app.screen) is None
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)


async def _show_what_if_and_bars(pilot) -> None:
    """Open the recommendation and scroll the report until the cost bars are in view, with
    the what-if list above them. The report shows the shipped tree's what-ifs and a bar for
    each approach, the recommended one marked (the fixture tree has no costs)."""
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RecommendationScreen)
    source = screen.query_one("#report", Markdown).source
    assert source == pilot.app.report(collapsible=False)
    assert "## What would change" in source and "## Cost and effort" in source
    bars = source.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert sum("█" in line for line in bars) == 3
    recommended = APPROACH_LABELS[screen.decision.approach]
    assert next(line for line in bars if line.startswith(f"{recommended} ")).endswith(" ◀")
    fence = screen.query_one("#report", Markdown).query("MarkdownFence").first()
    screen.query_one("#report-scroll").scroll_to_widget(fence, animate=False)
    await pilot.pause()


def test_snapshot_of_what_if_and_cost_bars(snap_compare, make_app, loaded):
    """On the shipped tree: its costs are the ones people read."""
    app = make_app(complete_answers(loaded, SHIPPED_UNKNOWN_BUDGET))
    assert snap_compare(app, run_before=_show_what_if_and_bars, terminal_size=(120, 64))


async def test_leaving_the_offered_question_forgets_the_way_back(make_wizard_app, wizard_tree):
    """Escape from the offered question leaves it unanswered. Later walks must end on the
    review as usual: after starting over, the offer's 'return to the recommendation' must
    not linger."""
    app = make_wizard_app(unknown_budget(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "budget"
        await pilot.press("escape")
        await pilot.pause()
        assert app.answers["budget"] == "unknown"
        assert isinstance(app.screen, ReviewScreen), type(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)

        await pilot.press("n")
        await pilot.pause()
        await pilot.press("y")  # confirm: start over
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "initiative"
        assert app.answers == {}
        # The walkthrough is all the app remembers of where it is: a fresh one walks to the
        # review (tests/test_walkthrough.py), so nothing of the offer can linger.
        assert app.walkthrough == Walkthrough.fresh(app.decision_tree)
