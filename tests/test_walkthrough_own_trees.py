"""The walkthrough's state machine on a tree the test declares (tests/treebuilder.py):
forward, back, edit from the review, answers kept while still on the path and dropped
once not, several answers at once. Nothing here reads the shipped decision_tree.yaml.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, option, outcome, question, route

from adaptwise.domain.engine import walk
from adaptwise.domain.walkthrough import Stage, Then, Walkthrough

#: task → tone (text) or columns (records) → budget → decide.
TREE = {
    "questions": [
        question("task", ["text", option("records", next="columns")], next="tone"),
        question("tone", ["plain", "formal"], next="budget"),
        question("columns", ["few", "many"], next="budget"),
        question("budget", ["small", "large"], next="decide"),
    ],
    "routes": [
        route(
            "decide",
            [({"task": "records"}, "classic"), ({"budget": "large"}, "tune")],
            otherwise="prompting",
        )
    ],
    "outcomes": [
        outcome("prompting"),
        outcome("tune", approach="fine_tuning"),
        outcome("classic", approach="training"),
    ],
}

SEVERAL = {
    "questions": [
        question(
            "gaps",
            [
                option("untested", alone=True, unsure=True, caveat="Test base models first."),
                option("style", next="style_q"),
                option("skill", next="skill_q"),
            ],
            select="many",
            next="decide",
        ),
        question("style_q", ["yes", "no"], next="decide"),
        question("skill_q", ["yes", "no"], next="decide"),
    ],
    "routes": [route("decide", [({"gaps": "skill"}, "train")], otherwise="prompting")],
    "outcomes": [outcome("prompting"), outcome("train", approach="training")],
}


@pytest.fixture(scope="module")
def tree():
    return build_tree(TREE)


@pytest.fixture(scope="module")
def several():
    return build_tree(SEVERAL)


def ids(questions) -> list[str]:
    return [q.id for q in questions]


def asked(state: Walkthrough) -> str | None:
    """The id of the question the walkthrough asks, None when it asks none."""
    return None if state.question is None else state.question.id


def walked_to_review(tree, *values: str) -> Walkthrough:
    state = Walkthrough.fresh(tree)
    for value in values:
        state = state.answer(value)
    return state


def test_forward_asks_the_path_in_order_then_reviews(tree):
    state = Walkthrough.fresh(tree)
    seen = []
    for value in ("text", "formal", "small"):
        assert state.stage is Stage.QUESTION and state.question is not None
        seen.append(state.question.id)
        state = state.answer(value)
    assert seen == ["task", "tone", "budget"]
    assert state.stage is Stage.REVIEW and state.complete
    assert state.confirm().stage is Stage.RECOMMENDATION


def test_back_returns_to_the_previous_question_with_its_answer(tree):
    state = walked_to_review(tree, "text", "formal")
    assert asked(state) == "budget"
    back = state.back()
    assert asked(back) == "tone" and back.current == "formal"
    assert asked(back.back()) == "task"
    assert back.back().back().stage is Stage.START


def test_answering_again_after_back_steps_through_the_later_answers(tree):
    state = walked_to_review(tree, "text", "formal", "large")
    back = state.back()  # from the review: the last question
    assert asked(back) == "budget"
    at_task = back.back().back()
    assert asked(at_task) == "task"
    forward = at_task.answer("text")  # the same answer: the later ones stand
    assert asked(forward) == "tone" and forward.current == "formal"
    assert dict(forward.answers) == {"task": "text", "tone": "formal", "budget": "large"}


def test_changing_an_answer_drops_only_those_no_longer_on_the_path(tree):
    state = walked_to_review(tree, "text", "formal", "large")
    edited = state.edit("task").answer("records")
    assert [(d.question.id, d.value) for d in edited.dropped] == [("tone", "formal")]
    assert asked(edited) == "columns"  # the new path needs it, before the review
    assert edited.answers == {"task": "records", "budget": "large"}  # the budget is still on the path
    done = edited.answer("many")
    assert done.stage is Stage.REVIEW
    assert ids(done.path) == ["task", "columns", "budget"]
    assert dict(done.answers) == {"task": "records", "columns": "many", "budget": "large"}


def test_an_edit_that_changes_nothing_else_returns_to_the_review(tree):
    state = walked_to_review(tree, "text", "formal", "small")
    edited = state.edit("budget").answer("large")
    assert edited.stage is Stage.REVIEW and edited.dropped == ()
    assert edited.answers["budget"] == "large"
    # From the recommendation, an edit goes back there.
    offered = state.confirm().edit("budget", then=Then.RECOMMENDATION).answer("large")
    assert offered.stage is Stage.RECOMMENDATION


def test_back_from_an_edit_leaves_it_as_it_was(tree):
    state = walked_to_review(tree, "text", "formal", "small")
    assert state.edit("tone").back().stage is Stage.REVIEW


def test_only_questions_on_the_path_can_be_edited(tree):
    state = walked_to_review(tree, "text", "formal", "small")
    with pytest.raises(ValueError, match="not on the path"):
        state.edit("columns")
    with pytest.raises(ValueError):
        state.edit("task", then=Then.NEXT_QUESTION)


def test_answers_given_up_front_ask_only_what_is_missing(tree):
    state = Walkthrough.with_answers(tree, {"task": "records", "budget": "small"})
    assert asked(state) == "columns"
    assert state.answer("few").stage is Stage.REVIEW


def test_progress_counts_along_the_path_with_defaults_for_the_rest(tree):
    state = Walkthrough.fresh(tree)
    assert (state.progress().position, state.progress().estimated_total) == (1, 3)
    state = state.answer("records")
    assert state.progress().position == 2


def test_an_option_that_is_not_one_is_refused(tree):
    with pytest.raises(ValueError):
        Walkthrough.fresh(tree).answer("spreadsheets")


# --- several answers ---------------------------------------------------------------------------


def test_several_answers_are_kept_in_option_order_and_follow_the_first_that_leads_somewhere(several):
    state = Walkthrough.fresh(several).answer("skill,style")
    assert state.answers == {"gaps": "style,skill"}
    assert asked(state) == "style_q"


def test_an_alone_option_is_refused_in_a_combination(several):
    state = Walkthrough.fresh(several)
    with pytest.raises(ValueError):
        state.answer("untested,style")
    assert state.answer("untested").stage is Stage.REVIEW


def test_changing_several_answers_drops_the_follow_up_of_the_one_taken_away(several):
    state = Walkthrough.fresh(several).answer("skill").answer("yes")
    assert state.stage is Stage.REVIEW
    edited = state.edit("gaps").answer("style,skill")
    assert [d.question.id for d in edited.dropped] == ["skill_q"]
    assert asked(edited) == "style_q"


# --- a property -----------------------------------------------------------------------------------

_TREE = build_tree(TREE)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["answer", "back", "edit"]), max_size=12), st.data())
def test_answers_kept_are_always_on_the_path_or_reachable(steps, data):
    """Whatever the person does, every answer kept is on the path or could still be."""
    state = Walkthrough.fresh(_TREE)
    for step in steps:
        if step == "answer" and state.stage is Stage.QUESTION:
            assert state.question is not None
            state = state.answer(data.draw(st.sampled_from(state.question.values)))
        elif step == "back":
            state = state.back()
        elif step == "edit" and state.stage is Stage.REVIEW:
            state = state.edit(data.draw(st.sampled_from(ids(state.path))))
        if state.stage is Stage.REVIEW:
            assert set(state.answers) == set(walk(_TREE, state.answers).answers)
        if state.stage is Stage.QUESTION:
            assert state.question in state.path or state.question == state.pending
