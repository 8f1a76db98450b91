"""Pilot tests: walking the wizard with the keyboard, back navigation, review, agreement."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Markdown, OptionList, Static

from adaptwise.domain.engine import decide, walk, with_defaults
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.screens.welcome import WelcomeScreen
from adaptwise.tui.widgets.answer_inputs import AnswerChecklist
from adaptwise.tui.widgets.path_tree import DecisionPathTree

from .conftest import SIZE, Notices, asked, choose, complete_answers, default_answer, press_to_quit, walk_wizard

FINE_TUNING = {
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "reviewed",
    "budget": "10k_to_100k",
    "infrastructure": "cloud",
    "expertise": "ml_engineers",
}
CLASSIC_TRAINING = {"task": "tabular_prediction", "proprietary_data": "large_labeled"}
FROM_SCRATCH = {
    "initiative": "Domain LLM",
    "base_models": "capability_gap",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "expertise": "research_team",
    "timeline": "year_plus",
    "open_base_model": "none_suitable",  # with a suitable open model (or not sure), it is adapted instead
}
SAMPLES = {
    "defaults": {},
    "knowledge": {"base_models": "knowledge_gap", "knowledge_freshness": "static"},
    "sufficient": {"initiative": "Claims triage", "base_models": "sufficient", "budget_owner": "Ops"},
    "fine_tuning": FINE_TUNING,
    "classic_training": CLASSIC_TRAINING,
    "from_scratch": FROM_SCRATCH,
    "capability_no_means": {"base_models": "capability_gap", "proprietary_data": "few_examples"},
    "tabular_no_history": {"task": "tabular_prediction"},
    "on_premises": {**FINE_TUNING, "data_residency": "on_premises", "infrastructure": "own_gpus"},
    # A choose-all-that-apply answer, ticked with Space: both gaps, so retrieval and fine-tuning.
    "two_gaps": {**FINE_TUNING, "base_models": "knowledge_gap,behavior_gap"},
}


#: One keyboard walk per approach (Enter alone, just below, is prompt engineering), fine-tuning
#: through a several-answer question, each with the approach it must reach; the other profiles
#: are walked through the app's methods.
BY_KEYBOARD = {"two_gaps": "fine_tuning", "classic_training": "training", "from_scratch": "training"}


def engine_decision(loaded, answers):
    scripted = decide(loaded.tree, with_defaults(loaded.tree, answers))
    return scripted.outcome, scripted.approach, scripted.techniques


async def test_a_fresh_walk_by_enter_alone_reaches_a_recommendation(make_app, loaded):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        for _ in range(30):
            if isinstance(app.screen, RecommendationScreen):
                break
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        line = app.screen.query_one("#recommendation-line", Static)
        assert str(line.render()) == "Recommendation: Prompt engineering"
        assert app.screen.query_one(Markdown).source == app.report(collapsible=False)  # <details> as paragraphs
        shown = app.screen.decision
        assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(loaded, {})


@pytest.mark.parametrize("name", BY_KEYBOARD)
async def test_a_keyboard_walk_reaches_the_engines_decision(make_app, loaded, name):
    """Arrow keys, Space and Enter through every question the engine asks (fine-tuning with
    two answers to one question, and both kinds of training). The recommendation screen shows
    what the app decided: that is checked once here, for fine-tuning, and for prompt
    engineering above (each mount of the report costs over a second)."""
    answers = SAMPLES[name]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, app, answers)
        assert isinstance(app.screen, ReviewScreen)
        decided = app.exports().decision()
        assert (decided.outcome, decided.approach, decided.techniques) == engine_decision(loaded, answers)
        assert decided.approach == BY_KEYBOARD[name]
        if name != "two_gaps":
            return
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        shown = app.screen.decision
        assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(loaded, answers)
        assert shown.answers == decide(loaded.tree, with_defaults(loaded.tree, answers)).answers
        assert shown.answers["base_models"] == "knowledge_gap,behavior_gap"
        line = app.screen.query_one("#recommendation-line", Static)
        assert str(line.render()) == f"Recommendation: {shown.approach_label}"
        assert app.screen.query_one(Markdown).source == app.report(collapsible=False)  # <details> as paragraphs
        # The decision path gives each of several answers a line of its own.
        path = app.screen.query_one(DecisionPathTree)
        node = next(node for node in path.root.children if node.data == "base_models")
        assert str(node.children[0].label) == "Answers:"
        labels = [str(leaf.label) for leaf in node.children[0].children]
        question = loaded.tree.question_by_id["base_models"]
        assert labels == [option.label for option in question.options_of(shown.answers["base_models"])]


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - {*BY_KEYBOARD, "defaults"}))
async def test_the_wizard_asks_what_the_engine_asks_and_agrees(make_app, loaded, name):
    """The other profiles, answered through the app's own `answer`, one screen at a time."""
    answers = SAMPLES[name]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # Start
        await pilot.pause()
        while isinstance(app.screen, QuestionScreen):
            question = app.screen.question
            assert asked(loaded.tree, app.answers).id == question.id
            app.answer(question.id, answers.get(question.id, default_answer(question)))
            await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        shown = app.exports().decision()
    assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(loaded, answers)


async def test_back_changes_an_earlier_answer_and_says_what_no_longer_applies(make_app, loaded):
    given = {"base_models": "knowledge_gap", "knowledge_freshness": "static", "proprietary_data": "curated_examples"}
    app = make_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await walk_wizard(pilot, app, given, until="data_quality")
        # Escape back along the path to base_models, through the knowledge gap's own question.
        path = [question.id for question in walk(loaded.tree, app.answers, ask_optional=True).asked]
        expected = path[path.index("base_models") :][::-1]
        assert expected[:2] == ["proprietary_data", "knowledge_freshness"], path
        for question_id in expected:
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.question.id == question_id
        # The current answer is ticked and highlighted, not the default.
        checklist = app.screen.query_one(AnswerChecklist)
        assert checklist.selected == ["knowledge_gap"]
        assert app.screen.question.options[checklist.highlighted].value == "knowledge_gap"
        earlier = {key: value for key, value in app.answers.items() if key not in given}
        await choose(pilot, app, "behavior_gap")
        assert app.last_dropped == {"knowledge_freshness": "static"}
        assert "knowledge_freshness" not in app.answers
        # Later answers still on the path are kept, and the walk steps forward through them.
        assert app.answers["proprietary_data"] == "curated_examples"
        assert app.answers.items() >= earlier.items() and app.answers["task"] == "text_generation"
        assert app.screen.question.id == "proprietary_data"
        options = app.screen.query_one(OptionList)
        assert app.screen.question.options[options.highlighted].value == "curated_examples"
        assert any("May" not in n and "How often do the facts" in n for n in notices)


async def test_escape_on_the_first_question_returns_to_welcome(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_jump_to_edit_from_review_returns_to_review(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, app, {})
        assert isinstance(app.screen, ReviewScreen)
        answers = app.screen.query_one(OptionList)
        ids = [answers.get_option_at_index(i).id for i in range(answers.option_count)]
        for _ in range(ids.index("budget")):
            await pilot.press("down")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "budget"
        await choose(pilot, app, "over_1m")
        assert isinstance(app.screen, ReviewScreen)
        assert app.answers["budget"] == "over_1m"
        # A change that opens a new branch asks the new question first, then reviews.
        answers = app.screen.query_one(OptionList)
        answers.highlighted = ids.index("proprietary_data")
        await pilot.press("e")
        await pilot.pause()
        await choose(pilot, app, "curated_examples")
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "data_quality"
        await choose(pilot, app, "reviewed")
        assert isinstance(app.screen, ReviewScreen), (app.screen.question.id, app.answers)
        # Escape while editing from the review goes back to the review, unchanged.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_editing_the_first_answer_from_the_review_is_question_1(make_app, loaded):
    """The number counts along the path, as in plain mode (not "Question 11 of about 11")."""
    app = make_app(complete_answers(loaded))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        path = app.walkthrough.path
        app.edit(path[0].id)
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question == path[0]
        assert str(app.screen.query_one("#progress-label", Label).render()) == f"Question 1 of about {len(path)}"


async def test_clicking_an_answer_in_the_review_edits_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, app, {})
        await pilot.click(OptionList, offset=(6, 3))
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "task"


async def test_prefilled_answers_open_on_the_review(make_app, loaded):
    answers = complete_answers(loaded, {**FINE_TUNING, "initiative": "Claims", "task": "text_generation"})
    app = make_app(answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.answers == answers
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        assert app.screen.decision.approach == "fine_tuning"


async def test_an_edit_keeps_answers_given_up_front_for_questions_not_yet_asked(make_app, loaded):
    """An answers file may answer questions the path reaches only later (expertise, once the
    data and budget allow fine-tuning): changing another answer keeps them, silently."""
    waiting = {"expertise": "ml_engineers", "timeline": "months"}
    answers = complete_answers(
        loaded,
        {
            "base_models": "behavior_gap",
            "proprietary_data": "curated_examples",
            "data_quality": "unknown",
            "budget": "unknown",
        },
    )
    assert not waiting.keys() & answers.keys()  # not on this path
    app = make_app({**answers, **waiting})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        app.edit("data_quality")
        await pilot.pause()
        await choose(pilot, app, "reviewed")
        assert isinstance(app.screen, ReviewScreen)
        assert app.last_dropped == {} and app.answers.items() >= waiting.items()


async def test_prefilled_answers_ask_what_is_missing_first(make_app):
    app = make_app({"task": "text_generation", "base_models": "sufficient"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "initiative"
        for _ in range(15):
            if not isinstance(app.screen, QuestionScreen):
                break
            assert app.screen.question.id not in ("task", "base_models")
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_help_shows_the_question_help_and_glossary(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")  # to the first choice question
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from adaptwise.tui.dialogs.help import HelpDialog

        assert isinstance(app.screen, HelpDialog)
        source = app.screen.query_one(Markdown).source
        assert "What should the model do?" in source and "## Glossary" in source
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)


async def test_ctrl_c_asks_and_keeps_the_answers(make_app, loaded):
    from adaptwise.files.session import load_session

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "down", "enter")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        from adaptwise.tui.dialogs.confirm import ConfirmDialog

        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await press_to_quit(pilot, "ctrl+c", "y")
    session = load_session(loaded.tree, loaded.sha256)
    assert session is not None and session.answers["task"] == "extraction_classification"


async def test_typed_text_is_kept_on_the_input(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"Claims triage", "enter")
        await pilot.pause()
        assert app.answers["initiative"] == "Claims triage"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Claims triage"
        assert app.export_name() == "adaptwise-claims-triage-2026-03-14.md"
