"""Pilot tests: walking the wizard with the keyboard, back navigation, review, agreement.

All on the fixture tree (wizard_tree.yaml) but the agreement walks, which prove on the
shipped tree that the wizard asks what the engine asks, one walk per kind of path."""

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
from profiles import P6

#: Fixture-tree profiles (wizard_tree.yaml): the wizard's behaviour is tested on them.
FINE_TUNING = {
    "baseline": "wrong_format",
    "examples": "hundreds",
    "review": "checked",
    "budget": "20k_to_200k",
    "team": "ml_engineers",
}
SAMPLES = {
    # A choose-all-that-apply answer, ticked with Space: both gaps, so retrieval and fine-tuning.
    "two_gaps": {**FINE_TUNING, "baseline": "missing_facts,wrong_format"},
    "classic_training": {"task": "score", "examples": "hundreds"},
}
#: One keyboard walk per approach (Enter alone, just below, is prompt engineering), fine-tuning
#: through a several-answer question, each with the approach it must reach.
BY_KEYBOARD = {"two_gaps": "fine_tuning", "classic_training": "training"}

SHIPPED_FINE_TUNING = {
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "reviewed",
    "budget": "10k_to_100k",
    "infrastructure": "cloud",
    "expertise": "ml_engineers",
}
#: Shipped-tree profiles, one per kind of path its routes and branches make; between them
#: they ask every question of the shipped tree (see the agreement test).
SHIPPED_PATHS = {
    # Two answers to one question, the first's own next question (knowledge_freshness), an
    # option's own next (data_quality), and the guarded expertise, timeline and feedback_data.
    "two_gaps": {**SHIPPED_FINE_TUNING, "base_models": "knowledge_gap,behavior_gap"},
    "from_scratch": {"initiative": "Domain LLM", **P6},  # every guarded question, open_base_model last
    # The branch of an answer that goes alone (motivation) and its own (request_volume); no
    # route asks about expertise.
    "sufficient": {
        "initiative": "Claims triage",
        "base_models": "sufficient",
        "motivation": "latency",
        "budget_owner": "Ops",
    },
    # Records: base models never asked, expertise asked, the timeline not.
    "classic_training": {"task": "tabular_prediction", "proprietary_data": "large_labeled"},
}


def engine_decision(tree_loaded, answers):
    scripted = decide(tree_loaded.tree, with_defaults(tree_loaded.tree, answers))
    return scripted.outcome, scripted.approach, scripted.techniques


async def test_a_fresh_walk_by_enter_alone_reaches_a_recommendation(make_wizard_app, wizard_tree):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        for _ in range(len(wizard_tree.tree.questions) + 2):
            if isinstance(app.screen, RecommendationScreen):
                break
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        line = app.screen.query_one("#recommendation-line", Static)
        assert str(line.render()) == "Recommendation: Prompt engineering"
        assert app.screen.query_one(Markdown).source == app.report(collapsible=False)  # <details> as paragraphs
        shown = app.screen.decision
        assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(wizard_tree, {})


@pytest.mark.parametrize("name", BY_KEYBOARD)
async def test_a_keyboard_walk_reaches_the_engines_decision(make_wizard_app, wizard_tree, name):
    """Arrow keys, Space and Enter through every question the engine asks (fine-tuning with
    two answers to one question, and training). The recommendation screen shows what the app
    decided: that is checked once here, for fine-tuning, and for prompt engineering above."""
    answers = SAMPLES[name]
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, app, answers)
        assert isinstance(app.screen, ReviewScreen)
        decided = app.exports().decision()
        assert (decided.outcome, decided.approach, decided.techniques) == engine_decision(wizard_tree, answers)
        assert decided.approach == BY_KEYBOARD[name]
        if name != "two_gaps":
            return
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        shown = app.screen.decision
        assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(wizard_tree, answers)
        assert shown.answers == decide(wizard_tree.tree, with_defaults(wizard_tree.tree, answers)).answers
        assert shown.answers["baseline"] == "missing_facts,wrong_format"
        assert "retrieval" in shown.techniques  # the first gap's, beside the second's fine-tuning
        line = app.screen.query_one("#recommendation-line", Static)
        assert str(line.render()) == f"Recommendation: {shown.approach_label}"
        assert app.screen.query_one(Markdown).source == app.report(collapsible=False)  # <details> as paragraphs
        # The decision path gives each of several answers a line of its own.
        path = app.screen.query_one(DecisionPathTree)
        node = next(node for node in path.root.children if node.data == "baseline")
        assert str(node.children[0].label) == "Answers:"
        labels = [str(leaf.label) for leaf in node.children[0].children]
        question = wizard_tree.tree.question_by_id["baseline"]
        assert labels == [option.label for option in question.options_of(shown.answers["baseline"])]


@pytest.mark.parametrize("name", SHIPPED_PATHS)
async def test_the_wizard_asks_what_the_engine_asks_and_agrees(make_app, loaded, name):
    """On the shipped tree, the one people walk: at each screen the wizard asks the question
    the engine asks, and it decides as the engine does. One profile per kind of path, which
    together ask every question and take each way of each route that guards a question but
    feedback_check's `otherwise`; answered through the app's own `answer`, one screen at a
    time. How the keys and screens behave is tested on the fixture tree."""
    answers = SHIPPED_PATHS[name]
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
        assert app.answers.items() >= answers.items()  # every answer of the profile was asked for
        shown = app.exports().decision()
    assert (shown.outcome, shown.approach, shown.techniques) == engine_decision(loaded, answers)


def test_the_shipped_walks_ask_every_question_between_them(loaded):
    """What the agreement walks rest on: no question of the shipped tree goes unwalked."""
    tree = loaded.tree
    walked = {
        step.question.id
        for answers in SHIPPED_PATHS.values()
        for step in decide(tree, with_defaults(tree, answers)).path
    }
    assert walked == {question.id for question in tree.questions}


async def test_back_changes_an_earlier_answer_and_says_what_no_longer_applies(make_wizard_app, wizard_tree):
    given = {"baseline": "missing_facts", "freshness": "yearly", "examples": "hundreds"}
    app = make_wizard_app()
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await walk_wizard(pilot, app, given, until="review")
        # Escape back along the path to baseline, through the missing facts' own question.
        path = [question.id for question in walk(wizard_tree.tree, app.answers, ask_optional=True).asked]
        expected = path[path.index("baseline") :][::-1]
        assert expected[:2] == ["examples", "freshness"], path
        for question_id in expected:
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.question.id == question_id
        # The current answer is ticked and highlighted, not the default.
        checklist = app.screen.query_one(AnswerChecklist)
        assert checklist.selected == ["missing_facts"]
        assert app.screen.question.options[checklist.highlighted].value == "missing_facts"
        earlier = {key: value for key, value in app.answers.items() if key not in given}
        await choose(pilot, app, "wrong_format")
        assert app.last_dropped == {"freshness": "yearly"}
        assert "freshness" not in app.answers
        # Later answers still on the path are kept, and the walk steps forward through them.
        assert app.answers["examples"] == "hundreds"
        assert app.answers.items() >= earlier.items() and app.answers["task"] == "write"
        assert app.screen.question.id == "examples"
        options = app.screen.query_one(OptionList)
        assert app.screen.question.options[options.highlighted].value == "hundreds"
        dropped = wizard_tree.tree.question_by_id["freshness"]
        assert f"- {dropped.prompt} ({dropped.option_by_value['yearly'].label})" in notices  # that one alone


async def test_escape_on_the_first_question_returns_to_welcome(make_wizard_app):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_jump_to_edit_from_review_returns_to_review(make_wizard_app):
    app = make_wizard_app()
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
        await choose(pilot, app, "over_200k")
        assert isinstance(app.screen, ReviewScreen)
        assert app.answers["budget"] == "over_200k"
        # A change that opens a new branch asks the new question first, then reviews.
        answers = app.screen.query_one(OptionList)
        answers.highlighted = ids.index("examples")
        await pilot.press("e")
        await pilot.pause()
        await choose(pilot, app, "hundreds")
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.id == "review"
        await choose(pilot, app, "checked")
        assert isinstance(app.screen, ReviewScreen), (app.screen.question.id, app.answers)
        # Escape while editing from the review goes back to the review, unchanged.
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_editing_the_first_answer_from_the_review_is_question_1(make_wizard_app, wizard_tree):
    """The number counts along the path, as in plain mode (not "Question 11 of about 11")."""
    app = make_wizard_app(complete_answers(wizard_tree))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        path = app.walkthrough.path
        app.edit(path[0].id)
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question == path[0]
        assert str(app.screen.query_one("#progress-label", Label).render()) == f"Question 1 of about {len(path)}"


async def test_clicking_an_answer_in_the_review_edits_it(make_wizard_app):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await walk_wizard(pilot, app, {})
        await pilot.click(OptionList, offset=(6, 3))
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "task"


async def test_prefilled_answers_open_on_the_review(make_wizard_app, wizard_tree):
    answers = complete_answers(wizard_tree, {**FINE_TUNING, "initiative": "Claims", "task": "write"})
    app = make_wizard_app(answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.answers == answers
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RecommendationScreen)
        assert app.screen.decision.approach == "fine_tuning"


async def test_an_edit_keeps_answers_given_up_front_for_questions_not_yet_asked(make_wizard_app, wizard_tree):
    """An answers file may answer questions the path reaches only later (the team, once the
    examples and budget allow fine-tuning): changing another answer keeps them, silently."""
    waiting = {"team": "ml_engineers"}
    answers = complete_answers(
        wizard_tree,
        {"baseline": "wrong_format", "examples": "hundreds", "review": "unknown", "budget": "unknown"},
    )
    assert not waiting.keys() & answers.keys()  # not on this path
    app = make_wizard_app({**answers, **waiting})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        app.edit("review")
        await pilot.pause()
        await choose(pilot, app, "checked")
        assert isinstance(app.screen, ReviewScreen)
        assert app.last_dropped == {} and app.answers.items() >= waiting.items()


async def test_prefilled_answers_ask_what_is_missing_first(make_wizard_app, wizard_tree):
    app = make_wizard_app({"task": "write", "baseline": "good_enough"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "initiative"
        for _ in wizard_tree.tree.questions:
            if not isinstance(app.screen, QuestionScreen):
                break
            assert app.screen.question.id not in ("task", "baseline")
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_help_shows_the_question_help_and_glossary(make_wizard_app, wizard_tree):
    app = make_wizard_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter")  # to the first choice question
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        from adaptwise.tui.dialogs.help import HelpDialog

        assert isinstance(app.screen, HelpDialog)
        source = app.screen.query_one(Markdown).source
        first_choice = wizard_tree.tree.questions[1]
        assert first_choice.prompt in source and first_choice.help in source
        assert "## Glossary" in source and all(entry.term in source for entry in wizard_tree.tree.glossary)
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)


async def test_ctrl_c_asks_and_keeps_the_answers(make_wizard_app, wizard_tree):
    from adaptwise.files.session import load_session

    app = make_wizard_app()
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
    session = load_session(wizard_tree.tree, wizard_tree.sha256)
    assert session is not None and session.answers["task"] == "sort"  # the second answer


async def test_typed_text_is_kept_on_the_input(make_wizard_app):
    app = make_wizard_app()
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
