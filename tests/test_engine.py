"""Engine units: question order, skipping, free text, off-path answers, progress, missing
questions, outcome coverage, "Not sure" caveats, determinism."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import advice_only_questions

from adaptwise.domain.engine import (
    Answers,
    IncompleteAnswers,
    decide,
    missing_questions,
    next_question,
    off_path,
    progress,
    walk,
    with_defaults,
)

APPROACHES_ALL = ("prompt_engineering", "fine_tuning", "training")
#: Asked on every path (the README's contract: "always").
PROFILE = ("proprietary_data", "budget", "infrastructure", "data_residency")


def contract(tree) -> dict[str, set[str]]:
    """Every whole answer of each choice question, read from the loaded tree (so editing
    a label or adding an option changes no expectation here)."""
    return {question.id: set(question.answer_values) for question in tree.questions if not question.is_text}


def asked_in_order(tree, script: dict[str, str]) -> list[str]:
    """Answer next_question from `script` until a decision; the ids asked, in order."""
    answers: dict[str, str] = {}
    order: list[str] = []
    while (question := next_question(tree, answers)) is not None:
        assert question.id not in order, f"{question.id} asked twice"
        order.append(question.id)
        default = "" if question.is_text else question.default
        assert default is not None, f"{question.id} has no default"
        answers[question.id] = script.get(question.id, default)
    return order


def next_id(tree, answers: Answers) -> str | None:
    """The id of the question next_question asks, None when it asks none."""
    question = next_question(tree, answers)
    return None if question is None else question.id


# --- the contract ---------------------------------------------------------------------------


def test_contract_questions_and_values(tree):
    """Each choice question's answers are its options, then every combination of two or more
    of those that combine (in option order); its default is one of its options."""
    from itertools import combinations

    for question_id, values in contract(tree).items():
        question = tree.question_by_id[question_id]
        combined = {",".join(chosen) for size in range(2, 99) for chosen in combinations(question.combinable, size)}
        assert values == {option.value for option in question.options} | combined, question_id
        assert question.default in question.values
        assert len(question.values) >= 2, question_id
    # The walk the contract space describes needs these: one several-answer question, two free texts.
    assert [question.id for question in tree.questions if question.is_multiple] == ["base_models"]
    for text_id in ("initiative", "budget_owner"):
        assert tree.question_by_id[text_id].is_text
    assert set(tree.question_by_id) == {*contract(tree), "initiative", "budget_owner"}


def test_every_technique_named_is_one_the_tree_explains(tree):
    named = {t for outcome in tree.outcomes for t in outcome.techniques}
    named |= {t for modifier in tree.modifiers for t in modifier.add_techniques}
    named |= {rule.if_technique for rule in tree.cost_rules if rule.if_technique}
    assert named <= set(tree.technique_by_id)
    assert all(technique.label.strip() and technique.meaning.strip() for technique in tree.techniques)


def test_outcome_approaches_are_the_three(tree):
    assert {outcome.approach for outcome in tree.outcomes} == {
        "prompt_engineering",
        "fine_tuning",
        "training",
    }


# --- next_question --------------------------------------------------------------------------


def test_next_question_order_on_the_knowledge_gap_path(tree):
    order = asked_in_order(
        tree, {"task": "text_generation", "base_models": "knowledge_gap", "proprietary_data": "curated_examples"}
    )
    # No budget and only an API: nothing can change weights, so no expertise or timeline.
    assert order == [
        "initiative",
        "task",
        "current_solution",
        "base_models",
        "knowledge_freshness",
        "proprietary_data",
        "data_quality",
        "budget",
        "budget_owner",
        "infrastructure",
        "data_residency",
    ]


def test_next_question_order_where_training_from_scratch_is_in_reach(tree):
    order = asked_in_order(
        tree,
        {
            "task": "text_generation",
            "base_models": "knowledge_gap,capability_gap",
            "proprietary_data": "massive",
            "budget": "over_1m",
            "infrastructure": "gpu_cluster",
            "expertise": "research_team",
            "timeline": "year_plus",
        },
    )
    assert order == [
        "initiative",
        "task",
        "current_solution",
        "base_models",
        "knowledge_freshness",
        "proprietary_data",
        "budget",
        "budget_owner",
        "infrastructure",
        "data_residency",
        "expertise",
        "timeline",
        "feedback_data",
        "open_base_model",
    ]


def test_next_question_order_when_base_models_suffice(tree):
    order = asked_in_order(
        tree,
        {
            "task": "extraction_classification",
            "current_solution": "prompted",
            "base_models": "sufficient",
            "motivation": "cost_at_scale",
            "request_volume": "over_10m",
            "budget": "10k_to_100k",
            "infrastructure": "cloud",
        },
    )
    assert order == [
        "initiative",
        "task",
        "current_solution",
        "base_models",
        "motivation",
        "request_volume",
        "proprietary_data",
        "budget",
        "budget_owner",
        "infrastructure",
        "data_residency",
        "expertise",
        "timeline",
    ]


def test_next_question_order_for_records(tree):
    order = asked_in_order(tree, {"task": "tabular_prediction", "proprietary_data": "large_labeled"})
    # A classic model is in reach: someone must own it, but the timeline does not matter.
    assert order == [
        "initiative",
        "task",
        "proprietary_data",
        "budget",
        "budget_owner",
        "infrastructure",
        "data_residency",
        "expertise",
    ]


def test_next_question_order_without_data(tree):
    order = asked_in_order(tree, {"task": "other", "base_models": "behavior_gap", "proprietary_data": "none"})
    assert order == [
        "initiative",
        "task",
        "current_solution",
        "base_models",
        "proprietary_data",
        "budget",
        "budget_owner",
        "infrastructure",
        "data_residency",
    ]


def test_next_question_is_none_once_decided(tree):
    answers = with_defaults(tree, {})
    answers.update(initiative="", budget_owner="")
    assert next_question(tree, answers) is None


def test_next_question_never_returns_an_answered_question(tree, contract_space):
    for answers, _ in contract_space[::997]:
        partial: dict[str, str] = {}
        for key, value in answers.items():
            question = next_question(tree, partial)
            assert question is not None and question.id not in partial
            partial[key] = value


# --- which questions are asked --------------------------------------------------------------


def test_knowledge_freshness_only_on_knowledge_gap(contract_space):
    for answers, _ in contract_space:
        gaps = answers.get("base_models", "").split(",")
        assert ("knowledge_freshness" in answers) == ("knowledge_gap" in gaps), answers


def test_base_models_not_asked_for_records(contract_space):
    for answers, _ in contract_space:
        assert ("base_models" in answers) == (answers["task"] != "tabular_prediction"), answers


def test_data_quality_only_for_curated_examples(contract_space):
    """Nobody hand-reviews 10,000+ examples, and there is nothing to review without examples."""
    for answers, _ in contract_space:
        assert ("data_quality" in answers) == (answers["proprietary_data"] == "curated_examples"), answers


def test_profile_questions_asked_on_every_path(contract_space):
    for answers, _ in contract_space:
        for question_id in ("task", *PROFILE):
            assert question_id in answers, (question_id, answers)


# The README's "asked when", written out independently of the tree's routes.
TUNING_INFRASTRUCTURE = {"managed_tuning", "cloud", "own_gpus", "gpu_cluster"}
TUNING_BUDGET = {"10k_to_100k", "100k_to_1m", "over_1m"}


def weights_in_reach(answers: dict[str, str]) -> bool:
    """Fine-tuning or distilling has the data, infrastructure and budget (expertise aside)."""
    if answers["infrastructure"] not in TUNING_INFRASTRUCTURE or answers["budget"] not in TUNING_BUDGET:
        return False
    data = answers["proprietary_data"]
    base_models = answers.get("base_models", "")
    if {"behavior_gap", "capability_gap"} & set(base_models.split(",")):
        return data in ("large_labeled", "massive") or (
            data == "curated_examples" and answers["data_quality"] == "reviewed"
        )
    return (
        base_models == "sufficient"
        and answers.get("motivation") in ("cost_at_scale", "latency")
        and answers.get("request_volume") in ("100k_to_10m", "over_10m")
        and (answers.get("current_solution") == "prompted" or data in ("curated_examples", "large_labeled", "massive"))
    )


def classic_model_in_reach(answers: dict[str, str]) -> bool:
    return answers["task"] == "tabular_prediction" and answers["proprietary_data"] not in ("none", "documents")


def fine_tuning_in_reach(answers: dict[str, str]) -> bool:
    gaps = set(answers.get("base_models", "").split(","))
    return (
        bool({"behavior_gap", "capability_gap"} & gaps) and weights_in_reach(answers) and answers["expertise"] != "none"
    )


def scratch_in_reach(answers: dict[str, str]) -> bool:
    return "capability_gap" in answers.get("base_models", "").split(",") and (
        answers["proprietary_data"],
        answers["budget"],
        answers["infrastructure"],
        answers["expertise"],
        answers["timeline"],
    ) == ("massive", "over_1m", "gpu_cluster", "research_team", "year_plus")


ASKED_WHEN = [
    ("task", lambda a: True),
    ("current_solution", lambda a: a["task"] != "tabular_prediction"),
    ("base_models", lambda a: a["task"] != "tabular_prediction"),
    ("knowledge_freshness", lambda a: "knowledge_gap" in a.get("base_models", "").split(",")),
    ("motivation", lambda a: a.get("base_models") == "sufficient"),
    ("request_volume", lambda a: a.get("motivation") in ("cost_at_scale", "latency")),
    ("proprietary_data", lambda a: True),
    ("data_quality", lambda a: a["proprietary_data"] == "curated_examples"),
    ("budget", lambda a: True),
    ("infrastructure", lambda a: True),
    ("data_residency", lambda a: True),
    ("expertise", lambda a: classic_model_in_reach(a) or weights_in_reach(a)),
    ("timeline", lambda a: "expertise" in a and a["task"] != "tabular_prediction"),
    ("feedback_data", lambda a: "timeline" in a and fine_tuning_in_reach(a)),
    ("open_base_model", lambda a: "feedback_data" in a and scratch_in_reach(a)),
]


def asked_by_the_contract(answers: dict[str, str]) -> list[str]:
    """The questions the README says these answers are asked, in the order they come."""
    seen: dict[str, str] = {}
    for question_id, asked in ASKED_WHEN:
        if question_id in answers and asked(seen):
            seen[question_id] = answers[question_id]
        elif asked(seen):
            return [*seen, question_id]  # asked, but not answered: the walk would not stop here
    return list(seen)


def test_each_question_is_asked_exactly_when_the_contract_says(contract_space):
    for answers, _ in contract_space:
        assert list(answers) == asked_by_the_contract(answers), answers


def by_the_contract(tree, advice_only) -> list[dict[str, str]]:
    """Every complete answer set the contract table allows, built without the tree: each
    question asked when the table says, with every answer (advice-only answers as '*')."""
    complete: list[dict[str, str]] = []
    answers_to = contract(tree)

    def extend(answers: dict[str, str], position: int) -> None:
        for index in range(position, len(ASKED_WHEN)):
            question_id, asked = ASKED_WHEN[index]
            if asked(answers):
                values = {"*"} if question_id in advice_only else answers_to[question_id]
                for value in sorted(values):
                    extend({**answers, question_id: value}, index + 1)
                return
        complete.append(answers)

    extend({}, 0)
    return complete


def test_contract_space_is_complete_and_exact(tree, contract_space):
    """The enumeration holds every combination the contract allows, once; each answer to a
    question that only adds advice meets every outcome that question is asked for."""
    keys = {tuple(sorted(answers.items())) for answers, _ in contract_space}
    assert len(keys) == len(contract_space)
    advice_only = advice_only_questions(tree)
    assert advice_only == {"knowledge_freshness", "data_residency", "feedback_data"}

    def masked(answers):
        return tuple(sorted((key, "*" if key in advice_only else value) for key, value in answers.items()))

    expected = by_the_contract(tree, advice_only)
    assert len(expected) == len(contract_space) > 50_000
    assert {masked(answers) for answers, _ in contract_space} == {masked(answers) for answers in expected}
    for question_id in advice_only:
        met: dict[str, set[str]] = {}
        for answers, outcome in contract_space:
            if question_id in answers:
                met.setdefault(outcome.id, set()).add(answers[question_id])
        assert met and all(values == contract(tree)[question_id] for values in met.values()), (question_id, met)


# --- free text ------------------------------------------------------------------------------


def test_free_text_is_optional_for_scripted_decisions(tree):
    answers = with_defaults(tree, {"task": "text_generation", "base_models": "sufficient"})
    assert "initiative" not in answers and "budget_owner" not in answers
    decision = decide(tree, answers)
    assert decision.approach == "prompt_engineering"
    assert "initiative" not in decision.answers


def test_next_question_asks_free_text(tree):
    assert next_id(tree, {}) == "initiative"
    assert next_id(tree, {"initiative": ""}) == "task"
    answers = {
        "initiative": "",
        "task": "text_generation",
        "current_solution": "none",
        "base_models": "sufficient",
        "motivation": "quality",
        "proprietary_data": "none",
        "budget": "under_10k",
    }
    assert next_id(tree, answers) == "budget_owner"
    assert next_id(tree, {**answers, "budget_owner": ""}) == "infrastructure"


def test_free_text_is_kept_in_the_decision(tree):
    answers = with_defaults(tree, {"initiative": "Claims bot", "budget_owner": "Head of Claims"})
    decision = decide(tree, answers)
    assert decision.answers["initiative"] == "Claims bot"
    assert decision.answers["budget_owner"] == "Head of Claims"
    budget = next(plan for plan in decision.plan if plan.id == "budget")
    assert "Head of Claims" in budget.answer()
    assert not any("budget owner" in note for note in budget.notes)


def test_skipped_free_text_is_left_out_of_the_replay_answers(tree):
    answers = with_defaults(tree, {"initiative": "", "budget_owner": ""})
    decision = decide(tree, answers)
    assert "initiative" not in decision.answers and "budget_owner" not in decision.answers
    replay = decide(tree, decision.answers)
    for field in ("outcome", "approach", "techniques", "caveats", "risks", "next_steps", "plan", "shortfalls"):
        assert getattr(replay, field) == getattr(decision, field), field


# --- off_path, unused answers ---------------------------------------------------------------


def test_off_path_after_changing_an_earlier_answer(tree):
    answers = {
        "initiative": "",
        "task": "text_generation",
        "base_models": "knowledge_gap",
        "knowledge_freshness": "static",
        "proprietary_data": "curated_examples",
        "data_quality": "reviewed",
    }
    assert off_path(tree, answers) == []
    answers["base_models"] = "behavior_gap"
    assert off_path(tree, answers) == ["knowledge_freshness"]
    answers["task"] = "tabular_prediction"
    assert set(off_path(tree, answers)) == {"base_models", "knowledge_freshness"}
    answers["proprietary_data"] = "none"
    assert set(off_path(tree, answers)) == {"base_models", "knowledge_freshness", "data_quality"}


def test_off_path_answers_do_not_change_the_decision(tree):
    base = with_defaults(tree, {"task": "tabular_prediction", "proprietary_data": "large_labeled"})
    noisy = {**base, "base_models": "capability_gap", "knowledge_freshness": "static"}
    decision = decide(tree, noisy)
    clean = decide(tree, base)
    assert decision.outcome == clean.outcome and decision.techniques == clean.techniques
    assert decision.unused_answers == {"base_models": "capability_gap", "knowledge_freshness": "static"}
    assert "base_models" not in decision.answers


# --- progress -------------------------------------------------------------------------------


def test_progress_numbers(tree):
    start = progress(tree, {})
    assert start.position == 1
    # The default path: initiative, task, current_solution, base_models, proprietary_data
    # (none), budget, budget_owner, infrastructure, data_residency. Nothing can change
    # weights, so neither expertise nor the timeline is asked.
    assert start.estimated_total == 9
    answers = {"initiative": "", "task": "text_generation"}
    assert progress(tree, answers).position == 3
    answers["current_solution"] = "none"
    answers["base_models"] = "knowledge_gap"
    assert progress(tree, answers).position == 5  # knowledge_freshness now comes next
    assert progress(tree, answers).estimated_total == 10  # knowledge_freshness joins the path
    # Records: initiative, task, proprietary_data, budget, budget_owner, infrastructure,
    # data_residency; labelled records bring a classic model in reach, and so expertise.
    records = progress(tree, {"initiative": "", "task": "tabular_prediction"})
    assert records.position == 3 and records.estimated_total == 7
    labelled = progress(tree, {"initiative": "", "task": "tabular_prediction", "proprietary_data": "large_labeled"})
    assert labelled.position == 4 and labelled.estimated_total == 8


def test_progress_along_every_step_of_a_path(tree):
    answers: dict[str, str] = {}
    seen = []
    while (question := next_question(tree, answers)) is not None:
        now = progress(tree, answers)
        seen.append(now.position)
        assert 1 <= now.position <= now.estimated_total
        answers[question.id] = "" if question.is_text else question.values[-1]
    assert seen == list(range(1, len(seen) + 1))
    final = progress(tree, answers)
    assert final.position == len(seen) == final.estimated_total


# --- missing_questions ----------------------------------------------------------------------


PARTIALS = [
    {},
    {"task": "tabular_prediction"},
    {"task": "text_generation"},
    {"task": "text_generation", "base_models": "sufficient"},
    {"task": "text_generation", "base_models": "knowledge_gap"},
    {"task": "other", "base_models": "behavior_gap", "proprietary_data": "none"},
    {"task": "extraction_classification", "budget": "over_1m", "timeline": "weeks"},
    {"proprietary_data": "massive", "data_quality": "reviewed"},
]


@pytest.mark.parametrize("partial", PARTIALS, ids=lambda p: ",".join(p.values()) or "nothing")
def test_missing_questions_lists_every_reachable_unanswered_question(tree, contract_space, partial):
    """Brute force: the questions some completion of `partial` asks that it does not answer."""
    reachable: set[str] = set()
    for answers, _ in contract_space:
        if all(answers.get(key, value) == value for key, value in partial.items()):
            # A completion may only use the partial's answers where the path asks them.
            reachable |= set(answers) - set(partial)
    listed = [question.id for question in missing_questions(tree, partial)]
    assert len(listed) == len(set(listed))
    assert set(listed) == reachable
    assert not any(tree.question_by_id[q].is_text for q in listed)


def test_missing_questions_is_empty_for_complete_answers(tree, contract_space):
    for answers, _ in contract_space[::501]:
        assert missing_questions(tree, answers) == []


def test_incomplete_answers_raise_with_the_missing_questions(tree):
    with pytest.raises(IncompleteAnswers) as caught:
        decide(tree, {"task": "text_generation", "base_models": "sufficient"})
    missing = {question.id for question in caught.value.missing}
    # Base models suffice: why change (and at what volume) may still lead to distilling, so
    # expertise and the timeline are reachable; feedback data and open models are not.
    assert missing == {
        "current_solution",
        "motivation",
        "request_volume",
        "proprietary_data",
        "data_quality",
        "budget",
        "infrastructure",
        "data_residency",
        "expertise",
        "timeline",
    }


# --- with_defaults --------------------------------------------------------------------------


def test_with_defaults_fills_only_the_path_and_keeps_given_answers(tree):
    filled = with_defaults(tree, {"task": "text_generation", "base_models": "knowledge_gap", "budget": "over_1m"})
    assert filled["budget"] == "over_1m"
    assert filled["knowledge_freshness"] == tree.question_by_id["knowledge_freshness"].default
    assert filled["proprietary_data"] == tree.question_by_id["proprietary_data"].default
    assert "data_quality" not in filled  # the default data is "none"
    assert walk(tree, filled).outcome is not None


def test_with_defaults_of_nothing_is_the_default_path(tree):
    filled = with_defaults(tree, {})
    on_the_default_path = (
        "task",
        "current_solution",
        "base_models",
        "proprietary_data",
        "budget",
        "infrastructure",
        "data_residency",
    )
    expected = {question_id: tree.question_by_id[question_id].default for question_id in on_the_default_path}
    assert filled == expected


# --- every outcome is reachable -------------------------------------------------------------


def test_every_outcome_is_reached(tree, contract_space):
    reached = Counter(outcome.id for _, outcome in contract_space)
    assert set(reached) == {outcome.id for outcome in tree.outcomes}


def test_every_outcome_is_reached_by_decide(tree, contract_space):
    """One answer set per outcome goes through decide, which agrees with walk."""
    first: dict[str, dict[str, str]] = {}
    for answers, outcome in contract_space:
        first.setdefault(outcome.id, answers)
    for outcome_id, answers in first.items():
        decision = decide(tree, answers)
        assert decision.outcome == outcome_id
        assert decision.approach == tree.outcome_by_id[outcome_id].approach


def test_every_modifier_fires_somewhere(tree, contract_space):
    """A modifier no contract answer set triggers is dead weight (or a typo in its `when`)."""
    fired: set[str] = set()
    wanted = {modifier.id for modifier in tree.modifiers}
    by_outcome: dict[str, list[dict[str, str]]] = {}
    for answers, outcome in contract_space:
        by_outcome.setdefault(outcome.id, []).append(answers)
    for answers_list in by_outcome.values():
        for answers in answers_list[:: max(1, len(answers_list) // 400)]:
            fired.update(decide(tree, answers).modifiers)
            if fired == wanted:
                return
    assert fired == wanted


# --- "Not sure" -----------------------------------------------------------------------------


def test_unknown_data_quality_gives_its_caveat(tree):
    option = tree.question_by_id["data_quality"].option("unknown")
    assert option.unsure and option.caveat
    decision = decide(
        tree,
        with_defaults(
            tree,
            {
                "task": "text_generation",
                "base_models": "behavior_gap",
                "proprietary_data": "curated_examples",
                "data_quality": "unknown",
            },
        ),
    )
    assert option.caveat in decision.caveats
    reviewed = decide(
        tree,
        with_defaults(
            tree,
            {
                "task": "text_generation",
                "base_models": "behavior_gap",
                "proprietary_data": "curated_examples",
                "data_quality": "reviewed",
            },
        ),
    )
    assert option.caveat not in reviewed.caveats


def test_unknown_budget_gives_its_caveat_and_an_open_budget(tree):
    option = tree.question_by_id["budget"].option("unknown")
    assert option.unsure and option.caveat
    decision = decide(tree, with_defaults(tree, {"budget": "unknown"}))
    assert option.caveat in decision.caveats
    budget = next(plan for plan in decision.plan if plan.id == "budget")
    assert budget.open


def test_every_unsure_answer_on_the_path_has_its_caveat(tree, contract_space):
    for answers, _ in contract_space[::211]:
        decision = decide(tree, answers)
        for question_id, value in answers.items():
            for option in tree.question_by_id[question_id].options_of(value):
                if option.unsure:
                    assert option.caveat in decision.caveats, (question_id, answers)


def test_unsure_budget_is_treated_as_the_smallest(tree):
    """Fine-tuning-ready except that nobody knows the budget: not fine-tuning."""
    ready = {
        "task": "text_generation",
        "base_models": "behavior_gap",
        "proprietary_data": "curated_examples",
        "data_quality": "reviewed",
        "infrastructure": "cloud",
        "expertise": "ml_engineers",
    }
    assert decide(tree, with_defaults(tree, {**ready, "budget": "10k_to_100k"})).approach == "fine_tuning"
    assert decide(tree, with_defaults(tree, {**ready, "budget": "unknown"})).approach == "prompt_engineering"
    assert (
        decide(tree, with_defaults(tree, {**ready, "budget": "unknown"})).outcome
        == decide(tree, with_defaults(tree, {**ready, "budget": "under_10k"})).outcome
    )


# --- the decision's shape -------------------------------------------------------------------


def test_path_lists_each_answer_with_its_meaning(tree):
    answers = with_defaults(tree, {"initiative": "X", "task": "text_generation", "base_models": "knowledge_gap"})
    decision = decide(tree, answers)
    assert [step.question.id for step in decision.path] == list(walk(tree, answers).answers)
    for step in decision.path:
        assert step.meant
        assert step.answer == answers[step.question.id]
    decisive = {step.question.id for step in decision.path if step.decisive}
    assert "base_models" in decisive
    assert "initiative" not in decisive


def test_plan_always_has_the_three_questions(tree, contract_space):
    for answers, _ in contract_space[::307]:
        decision = decide(tree, answers)
        assert [plan.id for plan in decision.plan] == ["data", "infrastructure", "budget"]
        for plan in decision.plan:
            assert plan.ask.endswith("?")
            assert plan.open == bool(plan.notes)


def test_missing_budget_owner_is_flagged(tree):
    decision = decide(tree, with_defaults(tree, {"budget": "under_10k"}))
    budget = next(plan for plan in decision.plan if plan.id == "budget")
    assert budget.open
    assert any("budget owner" in note.lower() for note in budget.notes)


def test_decisions_are_deterministic(tree, contract_space):
    for answers, _ in contract_space[::1009]:
        first = decide(tree, answers)
        assert decide(tree, dict(answers)) == first
        reordered = dict(reversed(list(answers.items())))
        again = decide(tree, reordered)
        assert again == first
        assert list(again.answers) == list(first.answers)


def test_decide_does_not_mutate_the_answers(tree):
    answers = with_defaults(tree, {"task": "text_generation", "base_models": "behavior_gap"})
    snapshot = dict(answers)
    decide(tree, answers)
    with_defaults(tree, answers)
    missing_questions(tree, answers)
    assert answers == snapshot


# --- outcome content the report relies on ----------------------------------------------------


def test_every_outcome_rejects_the_other_two_approaches_with_reasons(tree):
    for outcome in tree.outcomes:
        rejected = [item.approach for item in outcome.not_recommended]
        assert outcome.approach not in rejected, outcome.id
        assert sorted(rejected) == sorted(set(APPROACHES_ALL) - {outcome.approach}), outcome.id
        assert all(item.why.strip() for item in outcome.not_recommended), outcome.id


def test_every_outcome_cites_sources_that_exist(tree):
    for outcome in tree.outcomes:
        assert outcome.sources, outcome.id
        for source_id in outcome.sources:
            assert source_id in tree.source_by_id, (outcome.id, source_id)
    for source in tree.sources:
        if source.where.startswith("https://"):
            continue
        # A source without a link says in words where it was published (test_citations.py).
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", source.where), source.where


def test_off_path_keeps_answers_a_pending_question_could_lead_back_to(tree):
    """Changing an earlier answer keeps later answers still on some path, drops the rest."""
    answers = {
        "initiative": "",
        "task": "text_generation",
        "base_models": "knowledge_gap",
        "knowledge_freshness": "static",
        "proprietary_data": "none",
        "budget": "over_1m",
    }
    answers["proprietary_data"] = "curated_examples"  # data_quality is now pending
    assert off_path(tree, answers) == []  # the budget is still reachable past it
    answers["base_models"] = "behavior_gap"
    assert off_path(tree, answers) == ["knowledge_freshness"]
    answers["task"] = "tabular_prediction"
    assert off_path(tree, answers) == ["base_models", "knowledge_freshness"]
