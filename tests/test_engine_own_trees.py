"""The engine's rules, each on a tree the test declares (tests/treebuilder.py).

Routing by the first rule that holds, `otherwise`, an option's own `next` over its
question's, a combined answer following the first of its options that leads somewhere,
`alone` options, defaults, "Not sure" caveats and the cost of a retrieval index: none of
it reads the shipped decision_tree.yaml, so editing that tree's words breaks nothing here.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, option, outcome, question, route

from adaptwise.domain.costs import CostContext, estimate
from adaptwise.domain.engine import (
    Answers,
    IncompleteAnswers,
    decide,
    missing_questions,
    next_question,
    walk,
    with_defaults,
)
from adaptwise.domain.model import Tree


def next_id(tree: Tree, answers: Answers) -> str | None:
    """The id of the question next_question asks, None when it asks none."""
    question = next_question(tree, answers)
    return None if question is None else question.id


# --- routing ----------------------------------------------------------------------------------

ROUTING = {
    "questions": [
        question("size", ["small", "medium", "large"], next="team"),
        question("team", ["small", "big"], next="decide"),
    ],
    "routes": [
        route(
            "decide",
            [({"size": ["medium", "large"]}, "middling"), ({"team": "big"}, "ambitious")],
            otherwise="modest",
        )
    ],
    "outcomes": [
        outcome("modest"),
        outcome("middling", approach="fine_tuning"),
        outcome("ambitious", approach="training"),
    ],
}


@pytest.fixture(scope="module")
def routing():
    return build_tree(ROUTING)


def test_the_first_rule_that_holds_decides_even_when_a_later_one_holds_too(routing):
    decision = decide(routing, {"size": "large", "team": "big"})
    assert decision.outcome == "middling"  # the second rule also holds; the first wins
    rule = walk(routing, {"size": "large", "team": "big"}).rule
    assert rule is not None and rule.then == "middling"


def test_a_rule_that_holds_alone_routes_there(routing):
    assert decide(routing, {"size": "medium", "team": "small"}).outcome == "middling"
    assert decide(routing, {"size": "small", "team": "big"}).outcome == "ambitious"


def test_otherwise_is_taken_when_no_rule_holds(routing):
    walked = walk(routing, {"size": "small", "team": "small"})
    assert walked.outcome is not None and walked.outcome.id == "modest"
    assert walked.rule is None  # the route fell through
    assert decide(routing, {"size": "small", "team": "small"}).approach == "prompt_engineering"


def test_the_rule_s_questions_are_decisive_on_the_path(routing):
    size, team = decide(routing, {"size": "medium", "team": "big"}).path
    assert size.decisive and not team.decisive  # the rule taken reads only the size
    size, team = decide(routing, {"size": "small", "team": "small"}).path
    assert not size.decisive and not team.decisive  # `otherwise` reads no question


# --- where an answer leads ----------------------------------------------------------------

LEADS = {
    "questions": [
        question("task", ["text", option("records", next="columns")], next="tone"),
        question("tone", ["plain", "formal"], next="decide"),
        question("columns", ["few", "many"], next="decide"),
    ],
    "routes": [route("decide", [({"task": "records"}, "classic")], otherwise="prompting")],
    "outcomes": [outcome("prompting"), outcome("classic", approach="training")],
}


@pytest.fixture(scope="module")
def leads():
    return build_tree(LEADS)


def test_an_option_s_own_next_wins_over_its_question_s(leads):
    assert next_id(leads, {"task": "records"}) == "columns"
    assert [q.id for q in walk(leads, {"task": "records", "columns": "few"}).asked] == ["task", "columns"]


def test_an_option_without_a_next_follows_its_question_s(leads):
    assert next_id(leads, {"task": "text"}) == "tone"
    assert [q.id for q in walk(leads, {"task": "text", "tone": "plain"}).asked] == ["task", "tone"]


def test_answers_off_the_path_are_left_out_and_named_as_unused(leads):
    decision = decide(leads, {"task": "text", "tone": "formal", "columns": "many"})
    assert decision.answers == {"task": "text", "tone": "formal"}
    assert decision.unused_answers == {"columns": "many"}


def test_missing_questions_follow_every_option_of_an_unanswered_question(leads):
    assert [q.id for q in missing_questions(leads, {})] == ["task", "tone", "columns"]
    assert [q.id for q in missing_questions(leads, {"task": "records"})] == ["columns"]
    assert missing_questions(leads, {"task": "records", "columns": "few"}) == []


def test_deciding_before_the_path_is_answered_names_what_is_missing(leads):
    with pytest.raises(IncompleteAnswers) as raised:
        decide(leads, {"task": "text"})
    assert [q.id for q in raised.value.missing] == ["tone"]


def test_defaults_fill_only_the_path(leads):
    assert with_defaults(leads, {}) == {"task": "text", "tone": "plain"}
    assert with_defaults(leads, {"task": "records"}) == {"task": "records", "columns": "few"}
    walked = walk(leads, {"task": "records"}, fill_defaults=True)
    assert walked.defaulted == {"columns": "few"}
    assert walked.outcome is not None and walked.outcome.id == "classic"


def test_a_declared_default_is_taken_rather_than_the_first_option():
    tree = build_tree(
        {
            "questions": [question("size", ["small", "large"], default="large", next="decide")],
            "routes": [route("decide", [({"size": "large"}, "big")], otherwise="small")],
            "outcomes": [outcome("small"), outcome("big", approach="fine_tuning")],
        }
    )
    assert with_defaults(tree, {}) == {"size": "large"}
    assert decide(tree, with_defaults(tree, {})).outcome == "big"


# --- several answers at once (`select: many`) ---------------------------------------------

SEVERAL = {
    "questions": [
        question(
            "gaps",
            [
                option("untested", alone=True, unsure=True, caveat="Test the base models first."),
                option("facts"),
                option("style", next="style_q"),
                option("skill", next="skill_q"),
            ],
            select="many",
            next="plain_q",
        ),
        question("plain_q", ["yes", "no"], next="decide"),
        question("style_q", ["yes", "no"], next="decide"),
        question("skill_q", ["yes", "no"], next="decide"),
    ],
    "routes": [
        route(
            "decide",
            [({"gaps": "untested"}, "evaluate"), ({"gaps": "skill"}, "train")],
            otherwise="prompting",
        )
    ],
    "outcomes": [
        outcome("evaluate"),
        outcome("prompting"),
        outcome("train", approach="training"),
    ],
}


@pytest.fixture(scope="module")
def several():
    return build_tree(SEVERAL)


def test_a_combined_answer_follows_the_first_option_that_leads_somewhere(several):
    """`style` and `skill` both have their own `next`; `style` comes first in option order."""
    gaps = several.question_by_id["gaps"]
    assert gaps.leads_to("style,skill") == "style_q"
    assert next_id(several, {"gaps": "style,skill"}) == "style_q"
    assert next_id(several, {"gaps": "facts,style,skill"}) == "style_q"
    # The order the values are given in does not matter: the combination is in option order.
    assert gaps.combine(["skill", "style"]) == "style,skill"
    walked = walk(several, {"gaps": gaps.combine(["skill", "style"]), "style_q": "yes", "skill_q": "no"})
    assert [q.id for q in walked.asked] == ["gaps", "style_q"]


def test_a_combined_answer_with_one_option_that_leads_somewhere_follows_it(several):
    assert next_id(several, {"gaps": "facts,skill"}) == "skill_q"
    assert next_id(several, {"gaps": "facts,style"}) == "style_q"


def test_a_combined_answer_whose_options_lead_nowhere_follows_the_question(several):
    assert next_id(several, {"gaps": "facts"}) == "plain_q"


def test_a_rule_naming_one_value_holds_for_every_combination_with_it(several):
    assert decide(several, {"gaps": "facts,skill", "skill_q": "no"}).outcome == "train"
    assert decide(several, {"gaps": "style,skill", "style_q": "no"}).outcome == "train"
    assert decide(several, {"gaps": "facts,style", "style_q": "no"}).outcome == "prompting"


def test_an_alone_option_is_never_combined(several):
    gaps = several.question_by_id["gaps"]
    assert gaps.combinable == ("facts", "style", "skill")
    assert "untested" in gaps.answer_values
    assert not any("untested" in value and "," in value for value in gaps.answer_values)
    assert len(gaps.answer_values) == 4 + 4  # the options, then the 3 pairs and the triple


# --- "Not sure" -----------------------------------------------------------------------------


def test_a_not_sure_answer_adds_its_caveat(several):
    decision = decide(several, with_defaults(several, {"gaps": "untested"}))
    assert decision.outcome == "evaluate"
    assert decision.caveats == ("Test the base models first.",)
    assert decide(several, with_defaults(several, {"gaps": "facts"})).caveats == ()


def test_each_option_of_a_combination_adds_its_caveat():
    tree = build_tree(
        {
            "questions": [
                question(
                    "gaps",
                    [option("a", caveat="Caveat of a."), option("b"), option("c", caveat="Caveat of c.")],
                    select="many",
                    next="done",
                )
            ],
            "outcomes": [outcome("done")],
        }
    )
    assert decide(tree, {"gaps": "a,b,c"}).caveats == ("Caveat of a.", "Caveat of c.")
    assert decide(tree, {"gaps": "b"}).caveats == ()


# --- properties over every answer set -------------------------------------------------------


@st.composite
def answer_sets(draw, tree):
    """Any answer (or none) to each question, whether or not the path asks it."""
    answers = {}
    for q in tree.questions:
        value = draw(st.none() | st.sampled_from(q.answer_values))
        if value is not None:
            answers[q.id] = value
    return answers


def reached_by(tree, answers) -> list[str]:
    """The questions the answers lead through, by following `leads_to` (these trees have
    no route between two questions)."""
    node, reached = tree.start, []
    while node in tree.question_by_id and node in answers:
        reached.append(node)
        node = tree.question_by_id[node].leads_to(answers[node])
    return reached


@pytest.mark.parametrize("spec", [LEADS, SEVERAL, ROUTING], ids=["leads", "several", "routing"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_walk_only_asks_questions_the_answers_lead_to(spec, data):
    tree = _built(spec)
    answers = data.draw(answer_sets(tree))
    walked = walk(tree, answers)
    asked = [q.id for q in walked.asked]
    assert asked == reached_by(tree, answers)
    assert walked.answers == {key: answers[key] for key in asked}
    if walked.pending is not None:
        assert walked.pending.id not in answers
        assert walked.pending.id == (
            tree.question_by_id[asked[-1]].leads_to(answers[asked[-1]]) if asked else tree.start
        )
    else:
        complete = with_defaults(tree, answers)
        assert decide(tree, complete).unused_answers == {k: v for k, v in complete.items() if k not in asked}


@pytest.mark.parametrize("spec", [LEADS, SEVERAL, ROUTING], ids=["leads", "several", "routing"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_answers_off_the_path_never_change_the_decision(spec, data):
    tree = _built(spec)
    answers = with_defaults(tree, data.draw(answer_sets(tree)))
    on_path = walk(tree, answers).answers
    assert decide(tree, answers).outcome == decide(tree, on_path).outcome


_BUILT: dict[int, object] = {}


def _built(spec):
    if id(spec) not in _BUILT:
        _BUILT[id(spec)] = build_tree(spec)
    return _BUILT[id(spec)]


# --- costs: self-hosted prompting with retrieval pays for the index ---------------------------


def _figure(assumption_id: str, value: float, unit: str = "x") -> dict[str, object]:
    return {"id": assumption_id, "about": f"{assumption_id} for tests", "unit": unit, "range": [value, value]}


COSTED = {
    "questions": [question("hosting", ["api", "own"], next="decide")],
    "routes": [route("decide", [({"hosting": "own"}, "self_hosted")], otherwise="prompting")],
    "outcomes": [outcome("prompting", techniques=["retrieval"]), outcome("self_hosted", techniques=["retrieval"])],
    "assumptions": [
        _figure("running_months", 12),
        _figure("gpu_hour_usd", 2),
        _figure("hosting_gpu_hours_per_month", 100),
        _figure("retrieval_index_usd_per_month", 50),
        _figure("prompting_people_days", 10),
        _figure("prompting_weeks", 2),
        _figure("person_day_usd", 500),
        _figure("tokens_per_request", 1000),
        _figure("retrieval_tokens_per_request", 500),
        _figure("requests_per_month", 1000),
        _figure("usd_per_million_tokens", 10),
        _figure("fine_tuning_params_billion", 1),
        _figure("mfu", 1),
        _figure("gpu_peak_tflops", 1),
        _figure("tuning_runs", 1),
        _figure("training_examples", 1),
        _figure("tokens_per_example", 1),
        _figure("epochs", 1),
        _figure("fine_tuning_weeks", 1),
        _figure("fine_tuning_people_days", 1),
        _figure("writing_minutes_per_example", 1),
        _figure("reviewed_examples_cap", 1),
        _figure("peft_memory_gb_per_billion", 1),
        _figure("classic_people_days", 10),
        _figure("classic_weeks", 2),
        _figure("classic_compute_usd", 100),
    ],
    "cost_rules": [
        {"id": "self_hosted", "approach": "prompt_engineering", "model": "self_hosted_prompting_with_retrieval"},
        {"id": "tuning", "approach": "fine_tuning", "model": "peft"},
        {"id": "classic", "approach": "training", "model": "classic_model"},
    ],
}


def test_self_hosted_prompting_with_retrieval_pays_for_the_index(tmp_path):
    """Serving is 100 GPU-hours × $2 × 12 months; the index adds $50 × 12 months."""
    tree = build_tree(COSTED, tmp_path)
    context = CostContext({"hosting": "own"}, ("retrieval",), "prompt_engineering")
    found = estimate(tree, context, "prompt_engineering", {})
    assert found.compute_usd == (100 * 2 * 12 + 50 * 12, 100 * 2 * 12 + 50 * 12)
    assert "retrieval_index_usd_per_month" in found.assumptions
    # A dearer index raises the compute by exactly its cost over the running months.
    dearer = estimate(tree, context, "prompt_engineering", {"retrieval_index_usd_per_month": (80.0, 80.0)})
    assert dearer.compute_usd[0] - found.compute_usd[0] == pytest.approx(30 * 12)
