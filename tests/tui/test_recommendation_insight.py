"""Issue 4 in the wizard: the recommendation offers the decisive "Not sure" question, answering
it returns straight to the new recommendation, and the screen shows what-ifs and cost bars.

Update the snapshot deliberately with
`pytest tests/tui/test_recommendation_insight.py --snapshot-update`.
"""

from __future__ import annotations

from textual.widgets import Markdown, Static

from adaptwise.domain.engine import decide, next_question, with_defaults
from adaptwise.domain.insight import explain
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen

from .conftest import TODAY, choose, complete_answers, default_answer, open_recommendation

#: Ready to fine-tune a behaviour gap, but nobody knows the budget (so: prompt engineering).
#: Expertise and timeline are asked only once weights could change: here, once the budget is known.
UNKNOWN_BUDGET = {
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
#: Everything training from scratch needs, but nobody knows whether an open model would do
#: (so: adapt one, fine-tuning). The one "Not sure" of the v2 tree that alone decides.
OPEN_MODEL_UNSURE = {
    "initiative": "Domain LLM",
    "task": "text_generation",
    "base_models": "capability_gap",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "expertise": "research_team",
    "timeline": "year_plus",
    "open_base_model": "not_sure",
}
SIZE = (100, 40)


def unknown_budget(loaded, **changes: str) -> dict[str, str]:
    """UNKNOWN_BUDGET with `changes`, completed along its path with the defaults: a wizard
    given it opens on the review."""
    return complete_answers(loaded, {**UNKNOWN_BUDGET, **changes})


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


async def test_answering_the_decisive_question_returns_to_the_new_recommendation(make_app, loaded):
    app = make_app(complete_answers(loaded, OPEN_MODEL_UNSURE))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        assert verdict(app.screen) == "Recommendation: Fine-tuning"
        text = offer(app.screen)
        assert text is not None
        assert text.startswith("Your answer depends on whether an open model fits:")
        assert "then Fine-tuning" in text and "then Training" in text and "Press d to answer it now." in text
        # The same sentence opens the report shown below it, with the what-ifs and cost bars.
        source = app.screen.query_one("#report", Markdown).source
        assert source == app.report(collapsible=False)
        assert "Your answer depends on whether an open model fits" in source
        assert "## What would change" in source
        what_ifs = [line for line in source.splitlines() if line.startswith("- ") and "Training" in line]
        assert any("if no open-weights model were suitable" in line for line in what_ifs), what_ifs
        assert "## Cost and effort" in source
        bars = source.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
        assert sum("█" in line for line in bars) == 3
        assert next(line for line in bars if line.startswith("Fine-tuning ")).endswith(" ◀")

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "open_base_model"

        await choose(pilot, app, "none_suitable")
        # Straight back to the recommendation, not the review, with the new decision (after
        # any questions the answer newly puts on the path).
        await answer_new_questions(pilot, app)
        assert isinstance(app.screen, RecommendationScreen), type(app.screen)
        assert app.answers["open_base_model"] == "none_suitable"
        expected = decide(
            loaded.tree, with_defaults(loaded.tree, {**OPEN_MODEL_UNSURE, "open_base_model": "none_suitable"})
        )
        assert expected.approach == "training"
        assert app.screen.decision.approach == "training"
        assert app.screen.decision.outcome == expected.outcome
        assert verdict(app.screen) == "Recommendation: Training"
        # Nothing is unsure any more: no offer, and d does nothing.
        assert offer(app.screen) is None
        assert "Your answer depends on" not in app.screen.query_one("#report", Markdown).source
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)


def test_the_smallest_budget_keeps_prompt_engineering(loaded):
    """Answering the offer with the smallest budget: prompt engineering, and nothing left to
    offer. The screen's part (straight back to the recommendation, its offer line from
    `explain`) is the test above; this is the decision it would show."""
    answers = with_defaults(loaded.tree, {**UNKNOWN_BUDGET, "budget": "under_10k"})
    decision = decide(loaded.tree, answers)
    assert decision.approach == "prompt_engineering"
    assert explain(loaded.tree, decision).decisive is None


async def test_two_unknowns_are_answered_one_at_a_time(make_app, loaded):
    """Data quality narrows most, so it is offered first; once it is answered the budget is."""
    app = make_app(unknown_budget(loaded, data_quality="unknown"))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        # Fine-tuning needs both at once, and the offer says so; d asks the data quality first.
        first = offer(app.screen)
        assert first is not None and "the data had been reviewed" in first and "the budget were" in first, first
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.question.id == "data_quality"
        await choose(pilot, app, "reviewed")
        assert isinstance(app.screen, RecommendationScreen)
        # Expertise and timeline, given up front for when the budget is known, are kept for it.
        assert app.last_dropped == {} and app.answers["expertise"] == UNKNOWN_BUDGET["expertise"]
        depends = offer(app.screen)
        assert depends is not None and depends.startswith("Your answer depends on the budget:"), depends
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "budget"
        await choose(pilot, app, "over_1m")
        await answer_new_questions(pilot, app)
        assert isinstance(app.screen, RecommendationScreen)
        assert app.screen.decision.approach == "fine_tuning"
        assert offer(app.screen) is None


async def test_no_offer_without_an_unsure_answer_that_matters(make_app, loaded):
    app = make_app(unknown_budget(loaded, base_models="not_evaluated"))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        assert offer(app.screen) is None
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)


async def _show_what_if_and_bars(pilot) -> None:
    """Open the recommendation and scroll the report until the cost bars are in view, with
    the what-if list above them."""
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RecommendationScreen)
    fence = screen.query_one("#report", Markdown).query("MarkdownFence").first()
    screen.query_one("#report-scroll").scroll_to_widget(fence, animate=False)
    await pilot.pause()


def test_snapshot_of_what_if_and_cost_bars(snap_compare, loaded):
    from adaptwise.tui.app import create_app

    app = create_app(loaded, unknown_budget(loaded), today=TODAY)
    assert snap_compare(app, run_before=_show_what_if_and_bars, terminal_size=(120, 64))


async def test_leaving_the_offered_question_forgets_the_way_back(make_app, loaded):
    """Escape from the offered question leaves it unanswered. Later walks must end on the
    review as usual: after starting over, the offer's 'return to the recommendation' must
    not linger."""
    app = make_app(complete_answers(loaded, OPEN_MODEL_UNSURE))
    async with app.run_test(size=SIZE) as pilot:
        await open_recommendation(pilot, app)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "open_base_model"
        await pilot.press("escape")
        await pilot.pause()
        assert app.answers["open_base_model"] == "not_sure"
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
