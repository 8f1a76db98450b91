"""The walkthrough state machine (`domain.walkthrough`), shared by the wizard and `ask`:
forward, back, edit from the review, the decisive question, position and dropped answers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptwise.domain.engine import next_question, off_path, progress, with_defaults
from adaptwise.domain.walkthrough import Stage, Then, Walkthrough

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXTS = ("", "Claims triage", "  spaced   out  ", "Ops\x1b]2;x\x07 lead")


def walk_along(walkthrough: Walkthrough, answers: dict[str, str]) -> Walkthrough:
    """Answer each question asked, from `answers` or by default, until it stops asking."""
    while walkthrough.stage is Stage.QUESTION:
        question = walkthrough.question
        assert question is not None
        walkthrough = walkthrough.answer(answers.get(question.id, "" if question.is_text else question.default))
    return walkthrough


@pytest.fixture(scope="module")
def reviewed(tree) -> Walkthrough:
    """A fresh walk answered by Enter alone, at the review."""
    return walk_along(Walkthrough.fresh(tree), {})


def position(walkthrough: Walkthrough) -> tuple[int, int]:
    where = walkthrough.progress()
    return where.position, where.estimated_total


# --- forward and back -------------------------------------------------------------------------


def test_a_fresh_walk_starts_at_the_first_question(tree):
    walkthrough = Walkthrough.fresh(tree)
    assert walkthrough.stage is Stage.QUESTION and walkthrough.question == next_question(tree, {})
    assert position(walkthrough) == (1, progress(tree, {}).estimated_total)
    assert walkthrough.where == walkthrough.question.id


def test_back_from_the_first_question_is_the_start_and_stays_there(tree):
    first = Walkthrough.fresh(tree)
    start = first.back()
    assert start.stage is Stage.START and start.question is None and start.where is None
    assert start.back().stage is Stage.START
    # ... also when the first question was already answered and reached by going back
    again = first.answer("Claims").back()
    assert again.question == first.question and again.current == "Claims"
    assert again.back().stage is Stage.START


def test_back_shows_the_previous_question_its_answer_and_its_number(tree):
    walkthrough = Walkthrough.fresh(tree).answer("Claims")
    second = walkthrough.question
    walkthrough = walkthrough.answer(second.options[1].value)
    assert position(walkthrough)[0] == 3
    back = walkthrough.back()
    assert back.question == second and back.current == second.options[1].value
    assert position(back) == (2, position(walkthrough)[1])
    first = back.back()
    assert position(first)[0] == 1 and first.current == "Claims"


def test_a_changed_answer_drops_what_no_longer_applies_and_keeps_the_rest(tree):
    walkthrough = walk_along(Walkthrough.fresh(tree), {"base_models": "knowledge_gap", "knowledge_freshness": "static"})
    assert walkthrough.stage is Stage.REVIEW
    walkthrough = walkthrough.back()  # the last question, then step back to base_models
    while walkthrough.question.id != "base_models":
        walkthrough = walkthrough.back()
    assert walkthrough.then is Then.NEXT_QUESTION
    changed = walkthrough.answer("behavior_gap")
    assert [(d.question.id, d.value, d.label) for d in changed.dropped] == [
        ("knowledge_freshness", "static", tree.answer_label("knowledge_freshness", "static"))
    ]
    assert "knowledge_freshness" not in changed.answers
    # Later answers still on the path are kept, and the walk steps through them.
    assert changed.question.id == "proprietary_data" and changed.current == walkthrough.answers["proprietary_data"]
    assert changed.answer(changed.current).dropped == ()


def test_answers_are_checked_and_free_text_is_cleaned(tree):
    first = Walkthrough.fresh(tree)
    assert first.answer("  Claims\x1b[31m   triage ").answers[first.question.id] == "Claims[31m triage"
    second = first.answer("")
    with pytest.raises(ValueError, match="not an option"):
        second.answer("no_such_option")
    with pytest.raises(ValueError, match="no question"):
        Walkthrough.begin(tree).answer("x")


# --- the review and the recommendation ------------------------------------------------------


def test_editing_from_the_review_returns_to_it(reviewed):
    assert reviewed.stage is Stage.REVIEW and reviewed.where == "review" and reviewed.complete
    first = reviewed.path[0]
    editing = reviewed.edit(first.id)
    assert editing.question == first and editing.then is Then.REVIEW
    assert position(editing) == (1, len(reviewed.path))  # not "11 of about 11"
    again = editing.answer("Renamed")
    assert again.stage is Stage.REVIEW and again.answers == {**reviewed.answers, first.id: "Renamed"}
    # Back while editing leaves the answer as it was, at the review.
    assert editing.back().stage is Stage.REVIEW and editing.back().answers == reviewed.answers


def test_an_edit_that_opens_a_branch_asks_the_new_question_then_reviews(reviewed, tree):
    editing = reviewed.edit("proprietary_data").answer("curated_examples")
    assert editing.stage is Stage.QUESTION and editing.question.id == "data_quality"
    assert editing.answer("reviewed").stage is Stage.REVIEW
    # Back from the new question goes to the edited one, along the path from there.
    back = editing.back()
    assert back.question.id == "proprietary_data" and back.then is Then.NEXT_QUESTION


def test_back_from_the_review_is_the_last_question_and_then_along(reviewed):
    back = reviewed.back()
    assert back.question == reviewed.path[-1] and back.then is Then.NEXT_QUESTION
    assert back.answer(back.current).stage is Stage.REVIEW


def test_the_recommendation_and_back(reviewed):
    shown = reviewed.confirm()
    assert shown.stage is Stage.RECOMMENDATION and shown.where == "recommendation"
    assert shown.back().stage is Stage.REVIEW


def test_the_decisive_question_returns_straight_to_the_recommendation(tree):
    answers = with_defaults(tree, {"initiative": "", "budget_owner": "", "budget": "unknown"})
    shown = Walkthrough.with_answers(tree, answers).confirm()
    offered = shown.edit("budget", then=Then.RECOMMENDATION)
    answered = offered.answer("over_1m")
    assert answered.stage is Stage.RECOMMENDATION and answered.answers["budget"] == "over_1m"
    # Leaving the offered question forgets the way back: it is the review, as after any edit.
    left = offered.back()
    assert left.stage is Stage.REVIEW and left.then is Then.REVIEW and left.answers == shown.answers
    with pytest.raises(ValueError):
        shown.edit("budget", then=Then.NEXT_QUESTION)


def test_an_offered_question_that_opens_a_branch_asks_it_before_returning(tree):
    answers = with_defaults(tree, {"initiative": "", "budget_owner": "", "proprietary_data": "none"})
    offered = Walkthrough.with_answers(tree, answers).confirm().edit("proprietary_data", then=Then.RECOMMENDATION)
    new = offered.answer("curated_examples")
    assert new.question.id == "data_quality"
    assert new.answer("reviewed").stage is Stage.RECOMMENDATION


def test_answers_up_front_to_questions_not_yet_on_the_path_wait_for_them(tree):
    """An answers file may answer questions the path reaches only later (expertise and timeline,
    once a budget makes fine-tuning possible). Answering another question keeps them and says
    nothing of them; the answer that puts them on the path finds them answered."""
    known = {
        "initiative": "",
        "budget_owner": "",
        "base_models": "behavior_gap",
        "proprietary_data": "curated_examples",
        "data_quality": "unknown",
        "budget": "unknown",
        "infrastructure": "cloud",
    }
    waiting = {"expertise": "ml_engineers", "timeline": "months"}
    answers = {**with_defaults(tree, known), **waiting}
    assert set(off_path(tree, answers)) == set(waiting)  # not on the path while the budget is unknown
    shown = Walkthrough.with_answers(tree, answers).confirm()
    reviewed = shown.edit("data_quality", then=Then.RECOMMENDATION).answer("reviewed")
    assert reviewed.stage is Stage.RECOMMENDATION and reviewed.dropped == ()
    assert reviewed.answers.items() >= waiting.items()
    funded = reviewed.edit("budget", then=Then.RECOMMENDATION).answer("10k_to_100k")
    assert {question.id for question in funded.path} >= set(waiting) and funded.dropped == ()
    assert funded.stage is Stage.RECOMMENDATION or funded.question.id not in waiting


def test_answers_up_front_ask_what_is_missing_then_review(tree):
    walkthrough = Walkthrough.with_answers(tree, {"task": "other", "initiative": "  Claims  "})
    assert walkthrough.answers["initiative"] == "Claims"
    assert walkthrough.question == next_question(tree, walkthrough.answers)
    assert walk_along(walkthrough, {}).stage is Stage.REVIEW
    with pytest.raises(ValueError, match="not on the path"):
        walkthrough.edit("knowledge_freshness")


# --- resume -----------------------------------------------------------------------------------


def test_resume_carries_on_where_the_answers_still_lead(reviewed, tree):
    answers = dict(reviewed.answers)
    assert Walkthrough.resume(tree, answers, "review").stage is Stage.REVIEW
    assert Walkthrough.resume(tree, answers, "recommendation").stage is Stage.RECOMMENDATION
    on_path = reviewed.path[2]
    resumed = Walkthrough.resume(tree, answers, on_path.id)
    assert resumed.question == on_path and resumed.then is Then.NEXT_QUESTION
    # A place the answers no longer lead to: the next question (or the review).
    assert Walkthrough.resume(tree, answers, "knowledge_freshness").stage is Stage.REVIEW
    partial = {key: answers[key] for key in list(answers)[:3]}
    assert Walkthrough.resume(tree, partial, "review").question == next_question(tree, partial)
    assert Walkthrough.resume(tree, {}, None).question == next_question(tree, {})


# --- properties over any sequence of steps ----------------------------------------------------


def steps(tree, data, count: int) -> Walkthrough:
    """A walkthrough after up to `count` random steps (answers, backs, edits, confirms)."""
    walkthrough = Walkthrough.fresh(tree)
    for _ in range(count):
        check_invariants(tree, walkthrough)
        moves = ["back"]
        if walkthrough.stage is Stage.QUESTION:
            moves += ["answer"] * 4
        if walkthrough.stage is Stage.REVIEW:
            moves += ["edit", "confirm"]
        if walkthrough.stage is Stage.RECOMMENDATION:
            moves += ["offer"]
        if walkthrough.stage is Stage.START:
            moves = ["fresh"]
        move = data.draw(st.sampled_from(moves), label="move")
        if move == "answer":
            walkthrough = walkthrough.answer(draw_answer(data, walkthrough))
        elif move == "back":
            walkthrough = walkthrough.back()
        elif move in ("edit", "offer"):
            question = data.draw(st.sampled_from(walkthrough.path), label="edit")
            then = Then.REVIEW if move == "edit" else Then.RECOMMENDATION
            walkthrough = walkthrough.edit(question.id, then=then)
        elif move == "confirm":
            walkthrough = walkthrough.confirm()
        else:
            walkthrough = Walkthrough.fresh(tree)
    check_invariants(tree, walkthrough)
    return walkthrough


def draw_answer(data, walkthrough: Walkthrough) -> str:
    question = walkthrough.question
    assert question is not None
    if question.is_text:
        return data.draw(st.sampled_from(TEXTS), label=question.id)
    return data.draw(st.sampled_from(question.values), label=question.id)


def check_invariants(tree, walkthrough: Walkthrough) -> None:
    assert off_path(tree, walkthrough.answers) == []
    assert not {d.question.id for d in walkthrough.dropped} & set(walkthrough.answers)
    if walkthrough.stage is Stage.QUESTION:
        question = walkthrough.question
        assert question in walkthrough.path or question == walkthrough.pending
        number, total = position(walkthrough)
        assert 1 <= number <= total
        if question in walkthrough.path:
            assert number == walkthrough.path.index(question) + 1
        if walkthrough.then is not Then.NEXT_QUESTION and question not in walkthrough.path:
            assert question == walkthrough.pending  # an edit only ever asks what is missing
    else:
        assert walkthrough.question is None
    if walkthrough.stage in (Stage.REVIEW, Stage.RECOMMENDATION):
        assert walkthrough.pending is None


@PROPERTY
@given(data=st.data())
def test_any_steps_keep_the_walkthrough_on_the_engines_path(tree, data):
    steps(tree, data, data.draw(st.integers(0, 30), label="count"))


@PROPERTY
@given(data=st.data())
def test_back_then_forward_returns_to_the_same_question_with_the_same_answers(tree, data):
    walkthrough = steps(tree, data, data.draw(st.integers(0, 25), label="count"))
    back = walkthrough.back()
    if walkthrough.stage is not Stage.QUESTION or back.stage is not Stage.QUESTION:
        return
    assert back.current is not None  # a question one back is always answered
    forward = back.answer(back.current)
    assert forward.stage is Stage.QUESTION
    assert forward.question == walkthrough.question
    assert forward.answers == walkthrough.answers
    assert forward.dropped == ()


@PROPERTY
@given(data=st.data())
def test_re_answering_an_edit_as_it_was_returns_to_the_review_unchanged(tree, data):
    walkthrough = steps(tree, data, data.draw(st.integers(0, 25), label="count"))
    if walkthrough.stage is not Stage.REVIEW:
        return
    question = data.draw(st.sampled_from(walkthrough.path), label="edit")
    editing = walkthrough.edit(question.id)
    again = editing.answer(editing.current)
    assert again.stage is Stage.REVIEW and again.answers == walkthrough.answers and again.dropped == ()
