"""What a decision records besides its outcome, on a tree declared here (tests/treebuilder.py).

Each shortfall names the question, the need and the label of the answer given; the questions
decided by their defaults are exactly the unanswered ones on the path; a plan answer's parts
carry their question's topic; a technique is shown by the label its tree gives it; the
initiative is named only where it was answered; and the "Question N of about M" counts a
pending free-text question after a choice.

Mutation testing found each of these unpinned: the report could have lost the answer behind a
shortfall, or listed the answered questions as defaulted, and no test would have said so.
"""

from __future__ import annotations

import pytest
from treebuilder import build_tree, option, outcome, question, route

from adaptwise.domain.decision import MissingNeed
from adaptwise.domain.engine import decide, decide_with_defaults, progress

TREE = {
    "questions": [
        question(
            "size",
            [option("small", label="A few hundred"), option("large", label="Millions")],
            next="team",
            topic="the data",
        ),
        question("team", [option("nobody", label="No one yet"), option("engineers")], next="budget"),
        question("budget", ["low", "high"], next="decide"),
    ],
    "routes": [route("decide", [({"size": "large", "team": "engineers"}, "tuning")], otherwise="prompting")],
    "outcomes": [
        outcome("prompting", short_of=["tuning_needs"], techniques=["few_shot"]),
        outcome("tuning", approach="fine_tuning"),
    ],
    "requirements": [
        {
            "id": "tuning_needs",
            "approach": "fine_tuning",
            "label": "Fine-tuning",
            "needs": [
                {"question": "size", "allowed": ["large"], "need": "a large set"},
                {"question": "team", "allowed": ["engineers"], "need": "people to run it"},
            ],
        }
    ],
    "plan_questions": [{"id": "data", "ask": "With what data?", "answered_from": ["size"]}],
    "techniques": [{"id": "few_shot", "label": "Few-shot examples", "meaning": "Show worked examples."}],
}


@pytest.fixture(scope="module")
def tree():
    return build_tree(TREE)


def test_a_shortfall_names_each_missing_need_and_the_answer_given(tree):
    decision = decide(tree, {"size": "small", "team": "nobody", "budget": "low"})
    (shortfall,) = decision.shortfalls
    assert shortfall.requirement == "tuning_needs" and shortfall.approach == "fine_tuning"
    assert shortfall.missing == (
        MissingNeed("size", "a large set", "A few hundred"),
        MissingNeed("team", "people to run it", "No one yet"),
    )
    # a need that is met is not listed; the label follows the answer, decision after decision
    (shortfall,) = decide(tree, {"size": "large", "team": "nobody", "budget": "low"}).shortfalls
    assert shortfall.missing == (MissingNeed("team", "people to run it", "No one yet"),)


def test_the_questions_decided_by_defaults_are_exactly_the_unanswered_ones(tree):
    completed = decide_with_defaults(tree, {"team": "engineers"})
    assert [question.id for question in completed.defaulted] == ["size", "budget"]
    assert completed.decision.answers == {"size": "small", "team": "engineers", "budget": "low"}
    answered = decide_with_defaults(tree, {"size": "large", "team": "engineers", "budget": "high"})
    assert answered.defaulted == ()


def test_a_plan_answer_carries_its_question_s_topic(tree):
    (plan,) = decide(tree, {"size": "large", "team": "engineers", "budget": "low"}).plan
    (part,) = plan.parts
    assert (part.question, part.text, part.free_text, part.topic) == ("size", "Millions", False, "the data")
    assert plan.answer() == "The data: millions."


def test_a_technique_is_shown_by_its_tree_s_label(tree):
    assert decide(tree, {"size": "small", "team": "nobody", "budget": "low"}).techniques == ("few_shot",)
    assert tree.technique_label("few_shot") == "Few-shot examples"
    assert tree.technique_label("not_declared") == "not declared"


def test_progress_counts_a_pending_free_text_question_after_a_choice():
    tree = build_tree(
        {
            "questions": [
                question("size", ["small", "large"], next="initiative"),
                {"id": "initiative", "type": "text", "prompt": "Its name?", "next": "prompting"},
            ],
            "outcomes": [outcome("prompting")],
            "roles": {"initiative": "initiative"},
        }
    )
    assert (progress(tree, {}).position, progress(tree, {}).estimated_total) == (1, 2)
    assert tree.initiative_name({"size": "large"}) == ""  # named by the role, not answered yet
    assert tree.initiative_name({"size": "large", "initiative": "Atlas"}) == "Atlas"
    after_choice = progress(tree, {"size": "large"})  # the name is asked next, as question 2
    assert (after_choice.position, after_choice.estimated_total) == (2, 2)
    named = progress(tree, {"size": "large", "initiative": "Atlas"})
    assert (named.position, named.estimated_total) == (2, 2)
