"""Issue 4 §1-2: what would change the recommendation, and what it depends on under "Not sure".

Every expectation here is computed independently of `adaptwise.insight`: by re-running the
engine (`decide` over `with_defaults`) with one answer changed, or with every known value
of each "Not sure" answer, exactly as issue 4 states the claims. A re-run keeps every other
answer given, off the path too: a change that opens a question already answered takes
that answer, not the question's default.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from itertools import product

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.insight import explain
from adaptwise.domain.model import APPROACH_LABELS, APPROACHES, Tree
from adaptwise.domain.report import decision_dict, render_markdown

from profiles import FT_READY, P6

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = date(2026, 3, 14)

#: Answers that make the ambitious approaches reachable, so "Not sure" answers matter.
AMBITIOUS = {
    "task": ["text_generation", "extraction_classification", "other", "tabular_prediction"],
    "base_models": ["behavior_gap", "capability_gap", "knowledge_gap,behavior_gap", "knowledge_gap,capability_gap"],
    "proprietary_data": ["curated_examples", "large_labeled", "massive"],
    "data_quality": ["reviewed", "unknown", "unknown"],
    "budget": ["unknown", "unknown", "10k_to_100k", "100k_to_1m", "over_1m"],
    "infrastructure": ["managed_tuning", "cloud", "own_gpus", "gpu_cluster"],
    "expertise": ["ml_engineers", "research_team"],
    "open_base_model": ["none_suitable", "not_sure"],  # training from scratch needs none to fit
}


def decision_for(tree, answers):
    return decide(tree, with_defaults(tree, answers))


def all_given(decision) -> dict[str, str]:
    """Every answer the decision was given: those on its path and those it did not use."""
    return {**decision.unused_answers, **decision.answers}


def choice_questions(tree):
    return [question for question in tree.questions if not question.is_text]


def draw_profile(tree, data, *, ambitious: bool = False) -> dict[str, str]:
    """Each contract question's whole answer drawn (several gaps too), or left to its default;
    the initiative sometimes named. `with_defaults` completes the path."""
    answers: dict[str, str] = {}
    if data.draw(st.booleans(), label="named"):
        answers["initiative"] = data.draw(st.sampled_from(["Claims triage", "Fraud scores", "Legal drafts"]))
    for question in choice_questions(tree):
        values = list(question.answer_values)
        if ambitious and question.id in AMBITIOUS:
            values = AMBITIOUS[question.id]
        value = data.draw(st.none() | st.sampled_from(values), label=question.id)
        if value is not None:
            answers[question.id] = value
    return with_defaults(tree, answers)


def profiles(tree, data) -> dict[str, str]:
    return draw_profile(tree, data, ambitious=data.draw(st.booleans(), label="ambitious"))


def tracked(tree) -> list[str]:
    """The techniques the tree says a what-if follows even when the approach holds."""
    return [technique.id for technique in tree.techniques if technique.in_what_ifs == "tracked"]


def notable_differ(tree, before, after) -> bool:
    """A change that matters, by the tree's own word: another approach, or a tracked
    technique gained or lost."""
    return before.approach != after.approach or any(
        (technique in before.techniques) != (technique in after.techniques) for technique in tracked(tree)
    )


def one_answer_changes(tree, decision) -> dict[tuple[str, str], tuple[str, tuple[str, ...], dict[str, str]]]:
    """{(question, answer): (approach, techniques, assumed)} for every one-answer change on the
    path that the engine decides differently in a way that matters (`notable_differ`)."""
    changes = {}
    for step in decision.path:
        if step.question.is_text:
            continue
        for value in other_answers(step.question, step.answer):
            changed = {**all_given(decision), step.question.id: value}
            completed = with_defaults(tree, changed)
            other = decide(tree, completed)
            if notable_differ(tree, decision, other):
                assumed = {key: completed[key] for key in completed.keys() - changed.keys()}
                changes[(step.question.id, value)] = (other.approach, other.techniques, assumed)
    return changes


def other_answers(question, answer: str) -> list[str]:
    """Every other option; for a question that takes several answers, also the answer with
    one value that combines added or taken away (a combination is its values, in option
    order, joined by commas)."""
    others = list(question.values)
    chosen = set(answer.split(",")) if question.is_multiple else {answer}
    if question.is_multiple and chosen <= set(question.combinable):
        for value in question.combinable:
            if changed := chosen ^ {value}:
                others.append(",".join(v for v in question.values if v in changed))
    return [value for value in dict.fromkeys(others) if value != answer]


def unsure_on_path(decision) -> list[str]:
    return [
        step.question.id
        for step in decision.path
        if any(option.unsure for option in step.question.options_of(step.answer))
    ]


def known_answers(question) -> list[str]:
    """Every answer without a "Not sure" in it, combinations too."""
    return [
        value for value in question.answer_values if not any(option.unsure for option in question.options_of(value))
    ]


def outcomes_under_uncertainty(tree, decision) -> dict[tuple[tuple[str, str], ...], str]:
    """The approach for every assignment of known values to the "Not sure" answers."""
    unsure = unsure_on_path(decision)
    known = {question_id: known_answers(tree.question_by_id[question_id]) for question_id in unsure}
    results = {}
    for values in product(*known.values()):
        assignment = tuple(zip(unsure, values, strict=True))
        results[assignment] = decide(tree, with_defaults(tree, {**all_given(decision), **dict(assignment)})).approach
    return results


# --- what_if: every entry true, and none missing ------------------------------------------------

#: Once missed: only distillation (a tracked technique) changes when base models fall short
#: on behaviour, so a hand-kept list of notable techniques without it expected no what-if.
DISTILLATION_ONLY = {
    "task": "other",
    "current_solution": "fine_tuned_retiring",
    "base_models": "sufficient",
    "motivation": "latency",
    "request_volume": "over_10m",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "data_residency": "on_premises",
    "expertise": "ml_engineers",
    "timeline": "months",
}


@cache
def _shipped() -> Tree:
    from adaptwise.files.trees import load_tree

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")
        return load_tree().tree


class _Drawing:
    """What `profiles` draws from (`data.draw`), inside a composite strategy: its `draw`."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw


@st.composite
def shipped_profiles(draw: st.DrawFn) -> dict[str, str]:
    """`profiles`, as a strategy of its own, so a profile can be given as an `@example`."""
    return profiles(_shipped(), _Drawing(draw))


def check_what_ifs(tree, decision):
    insight = explain(tree, decision)
    expected = one_answer_changes(tree, decision)

    listed = [(entry.question, entry.answer) for entry in insight.what_if]
    assert len(listed) == len(set(listed)), "a what-if is listed twice"
    assert set(listed) == set(expected), "what_if differs from the one-answer changes that matter"

    on_path = {step.question.id: step.answer for step in decision.path}
    for entry in insight.what_if:
        # The stated outcome is what the engine decides with that one answer changed.
        changed = {**all_given(decision), entry.question: entry.answer}
        completed = with_defaults(tree, changed)
        rerun = decide(tree, completed)
        assert (entry.approach, tuple(entry.techniques)) == (rerun.approach, rerun.techniques), entry
        assert entry.assumed == {key: completed[key] for key in completed.keys() - changed.keys()}, entry
        assert notable_differ(tree, decision, rerun), entry
        assert entry.question in on_path and entry.answer != on_path[entry.question]
        assert not tree.question_by_id[entry.question].is_text

        # The sentence is built from the tree's own words: each option's condition, the
        # outcome's label, each tracked technique gained or lost, each answer assumed.
        options = tree.question_by_id[entry.question].options_of(entry.answer)
        condition = " and ".join(option.if_chosen for option in options)
        assert entry.summary.startswith(f"If {condition} → {rerun.approach_label}"), entry.summary
        assert entry.summary.endswith(".")
        for technique in tracked(tree):
            if (technique in rerun.techniques) != (technique in decision.techniques):
                assert tree.technique_label(technique) in entry.summary, (technique, entry.summary)
        for key, value in entry.assumed.items():
            assert tree.question_by_id[key].option(value).if_chosen in entry.summary, entry.summary
    return insight


@PROPERTY
@given(answers=shipped_profiles())
@example(answers=DISTILLATION_ONLY)
def test_every_what_if_is_true_and_none_is_missing(tree, answers):
    check_what_ifs(tree, decide(tree, with_defaults(tree, answers)))


def test_a_what_if_that_only_changes_a_tracked_technique_is_listed(tree):
    """The profile a hand-kept list once got wrong: the approach holds, distillation goes."""
    decision = decision_for(tree, DISTILLATION_ONLY)
    insight = check_what_ifs(tree, decision)
    moved = [e for e in insight.what_if if e.approach == decision.approach]
    assert moved, "a change of a tracked technique alone is a what-if"
    assert any((t in e.techniques) != (t in decision.techniques) for e in moved for t in tracked(tree))


# --- possible approaches and the decisive question ---------------------------------------------


def check_uncertainty(tree, decision):
    insight = explain(tree, decision)
    unsure = unsure_on_path(decision)
    assert list(insight.unsure) == unsure

    outcomes = outcomes_under_uncertainty(tree, decision)
    possible = set(outcomes.values())
    if not unsure:
        assert insight.possible_approaches == (decision.approach,)
        assert insight.decisive is None
        return insight
    assert set(insight.possible_approaches) == possible
    assert list(insight.possible_approaches) == [a for a in APPROACHES if a in possible], "least ambitious first"
    assert len(insight.possible_approaches) == len(possible)
    assert decision.approach in possible, "the recommendation itself is one of the possibilities"

    if len(possible) == 1:
        assert insight.decisive is None
        return insight

    decisive = insight.decisive
    assert decisive is not None
    assert decisive.question in unsure

    def branches(question_id):
        """{value: approaches still possible once that question is answered with it}."""
        found: dict[str, set[str]] = {}
        for assignment, approach in outcomes.items():
            found.setdefault(dict(assignment)[question_id], set()).add(approach)
        return found

    mine = branches(decisive.question)
    assert [branch.answer for branch in decisive.branches] == list(mine), "one branch per known value, in order"
    for branch in decisive.branches:
        assert set(branch.approaches) == mine[branch.answer], branch
        assert branch.label == tree.answer_label(decisive.question, branch.answer)
    assert set().union(*(set(branch.approaches) for branch in decisive.branches)) == possible

    worst = {question_id: max(len(s) for s in branches(question_id).values()) for question_id in unsure}
    assert worst[decisive.question] == min(worst.values()), (worst, decisive.question)

    if together := deciding_together(unsure, outcomes):
        # Two approaches, and the higher one needs answers to several unknowns at once.
        lower, higher = (a for a in APPROACHES if a in possible)
        assert decisive.summary.startswith("If ") and decisive.summary.count(" *and* ") == len(together) - 1
        assert decisive.summary.endswith(f" → {APPROACH_LABELS[higher]}; otherwise → {APPROACH_LABELS[lower]}.")
        return insight
    question = tree.question_by_id[decisive.question]
    assert decisive.summary.startswith(f"Your answer depends on {question.topic}: if it is ")
    for branch in decisive.branches:
        for approach in branch.approaches:
            assert APPROACH_LABELS[approach] in decisive.summary
    return insight


def deciding_together(unsure, outcomes) -> list[str]:
    """Where two approaches remain and the higher one takes exactly 'these answers to one
    unknown *and* those to another', the unknowns that narrow it (else none)."""
    possible = [a for a in APPROACHES if a in set(outcomes.values())]
    if len(possible) != 2:
        return []
    winning = [dict(assignment) for assignment, approach in outcomes.items() if approach == possible[1]]
    every = {question_id: {dict(assignment)[question_id] for assignment in outcomes} for question_id in unsure}
    chosen = {question_id: {assignment[question_id] for assignment in winning} for question_id in unsure}
    size = 1
    for values in chosen.values():
        size *= len(values)
    narrowing = [question_id for question_id in unsure if chosen[question_id] != every[question_id]]
    return narrowing if size == len(winning) and len(narrowing) >= 2 else []


@PROPERTY
@given(data=st.data())
def test_possible_approaches_are_those_of_every_known_value(tree, data):
    check_uncertainty(tree, decide(tree, profiles(tree, data)))


@PROPERTY
@given(data=st.data())
def test_possible_approaches_with_both_unknowns(tree, data):
    """Both "Not sure" answers at once, on ambitious profiles, where they matter most."""
    answers = draw_profile(tree, data, ambitious=True)
    answers = with_defaults(tree, {**answers, "budget": "unknown", "data_quality": "unknown"})
    check_uncertainty(tree, decide(tree, answers))


def test_no_unsure_answer_means_one_possible_approach(tree):
    decision = decision_for(tree, FT_READY)
    insight = explain(tree, decision)
    assert insight.possible_approaches == ("fine_tuning",)
    assert insight.unsure == ()
    assert insight.decisive is None
    data = decision_dict(decision, tree, sha256="0" * 64)
    assert data["possible_approaches"] == ["fine_tuning"]
    assert data["decisive_question"] is None
    report = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    assert "Your answer depends on" not in report
    assert "could still be" not in report


def test_an_unsure_answer_that_changes_nothing_has_no_decisive_question(tree):
    """Base models not tested: prompt engineering whatever the budget turns out to be."""
    decision = decision_for(tree, {"base_models": "not_evaluated", "budget": "unknown"})
    insight = check_uncertainty(tree, decision)
    assert insight.unsure == ("budget",)
    assert insight.possible_approaches == ("prompt_engineering",)
    assert insight.decisive is None
    assert "Your answer depends on" not in render_markdown(decision, tree, sha256="0" * 64, today=TODAY)


# --- the examples --------------------------------------------------------------------


def test_what_if_names_a_notable_technique_lost_without_an_approach_change(tree):
    decision = decision_for(tree, {**FT_READY, "data_residency": "on_premises", "infrastructure": "own_gpus"})
    assert "self_hosted" in decision.techniques
    entry = next(e for e in explain(tree, decision).what_if if e.question == "data_residency")
    assert entry.approach == decision.approach == "fine_tuning"
    assert "self_hosted" not in entry.techniques
    assert "without" in entry.summary and tree.technique_label("self_hosted") in entry.summary


def test_no_blockers_when_the_most_ambitious_approach_is_recommended(tree):
    decision = decision_for(tree, P6)
    assert decision.approach == "training"
    assert decision_dict(decision, tree, sha256="0" * 64)["blockers"] == {}


# --- the JSON contract -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_json_shape_of_what_if_blockers_and_unknowns(tree, data):
    decision = decide(tree, profiles(tree, data))
    payload = decision_dict(decision, tree, sha256="0" * 64)
    payload = json.loads(json.dumps(payload))  # JSON-ready: survives a round trip unchanged

    for entry in payload["what_if"]:
        assert set(entry) == {"question", "answer", "approach", "techniques", "summary", "assumed"}
        assert isinstance(entry["question"], str)
        answer = entry["answer"]  # several answers at once are a list of two or more values
        assert isinstance(answer, str) or (len(answer) > 1 and all(isinstance(value, str) for value in answer))
        assert entry["approach"] in APPROACHES
        assert isinstance(entry["techniques"], list) and all(t in tree.technique_by_id for t in entry["techniques"])
        assert isinstance(entry["summary"], str) and entry["summary"]
        assert isinstance(entry["assumed"], dict)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in entry["assumed"].items())

    blockers = payload["blockers"]
    assert isinstance(blockers, dict)
    for approach, items in blockers.items():
        assert approach in APPROACHES
        assert isinstance(items, list) and items
        assert all(isinstance(item, str) and "(you have: " in item for item in items)

    possible = payload["possible_approaches"]
    assert possible and set(possible) <= set(APPROACHES)
    decisive = payload["decisive_question"]
    if len(possible) == 1:
        assert decisive is None
    else:
        assert set(decisive) == {"question", "prompt", "summary", "answers"}
        for item in decisive["answers"]:
            assert set(item) == {"answer", "label", "approaches"}
            assert set(item["approaches"]) <= set(possible)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_blockers_only_name_approaches_above_the_recommendation(tree, data):
    """'Blockers to the next approach up': never the recommended approach or one below it."""
    answers = {
        question.id: data.draw(st.sampled_from(question.answer_values), label=question.id)
        for question in tree.questions
        if not question.is_text
    }
    decision = decide(tree, with_defaults(tree, answers))
    blockers = decision_dict(decision, tree, sha256="x")["blockers"]
    rank = APPROACHES.index(decision.approach)
    assert all(APPROACHES.index(approach) > rank for approach in blockers), (decision.approach, blockers)
    assert all(blockers.values())
