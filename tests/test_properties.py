"""Properties over the whole answers contract: hypothesis for decisions and reports, plus
exhaustive checks of the principles over every complete answer set (walk-level, cheap)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from adaptwise.domain.answers import check_answers
from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide, walk
from adaptwise.domain.errors import InputError
from adaptwise.domain.model import Tree
from adaptwise.domain.report import decision_dict, render_json, render_markdown

APPROACHES = ("prompt_engineering", "fine_tuning", "training")
RANK = {approach: rank for rank, approach in enumerate(APPROACHES)}
WEIGHT_TECHNIQUES = {"peft", "full_fine_tuning", "continued_pretraining", "pretraining"}
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Answers to the "means" questions, from least to most (a "Not sure" ranks lowest; a
#: provider's managed fine-tuning is more than an API and less than GPUs of your own).
LADDERS = {
    "proprietary_data": ["none", "documents", "few_examples", "curated_examples", "large_labeled", "massive"],
    "data_quality": ["unknown", "unreviewed", "reviewed"],
    "budget": ["unknown", "under_10k", "10k_to_100k", "100k_to_1m", "over_1m"],
    "infrastructure": ["none", "hosted_api", "managed_tuning", "cloud", "own_gpus", "gpu_cluster"],
    "expertise": ["none", "ml_engineers", "research_team"],
    "timeline": ["weeks", "months", "year_plus"],
}
#: What changing weights needs, whatever the approach (fine-tuning, distilling, training).
WEIGHT_DATA = ("curated_examples", "large_labeled", "massive")
WEIGHT_INFRASTRUCTURE = ("managed_tuning", "cloud", "own_gpus", "gpu_cluster")


def gaps(answers) -> set[str]:
    """The options of the base_models answer (several gaps at once are one answer)."""
    return set(answers.get("base_models", "").split(","))


def training_from_scratch_holds(answers) -> bool:
    """v1's six conditions (its principle 6), and no open-weights model to adapt instead."""
    return (
        "capability_gap" in gaps(answers)
        and answers.get("proprietary_data") == "massive"
        and answers.get("budget") == "over_1m"
        and answers.get("infrastructure") == "gpu_cluster"
        and answers.get("expertise") == "research_team"
        and answers.get("timeline") == "year_plus"
        and answers.get("open_base_model") == "none_suitable"
    )


def markdown_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def checked_free_text(tree, question_id: str):
    """Text as `check_answers` accepts it (and normalises it), or None if it refuses it."""

    def check(text: str) -> str | None:
        try:
            return check_answers(tree, {question_id: text})[question_id]
        except InputError:
            return None

    return check


def contract_answers(tree, data, *, free_text: bool = True) -> dict[str, str]:
    """A value for every contract question (on the path or not), and maybe free text."""
    answers: dict[str, str] = {}
    for question in tree.questions:
        if question.is_text:
            if free_text:
                checked = st.text(max_size=question.max_length + 10).map(checked_free_text(tree, question.id))
                text = data.draw(st.none() | checked.filter(lambda value: value is not None), label=question.id)
                if text is not None:
                    answers[question.id] = text
        else:
            answers[question.id] = data.draw(st.sampled_from(question.answer_values), label=question.id)
    return answers


# --- hypothesis: decisions --------------------------------------------------------------------


def assert_the_decision_is_complete(tree: Tree, answers: dict[str, str], decision: Decision) -> None:
    """The outcome, approach and techniques are the tree's, the decision says why and on what
    sources, and every answer is kept, used or not (free text left empty on the path aside)."""
    on_path = walk(tree, answers).answers
    assert decision.outcome in tree.outcome_by_id
    assert decision.approach in APPROACHES
    assert decision.approach == tree.outcome_by_id[decision.outcome].approach
    assert set(decision.techniques) <= set(tree.technique_by_id)
    assert len(decision.techniques) == len(set(decision.techniques))
    assert decision.rationale and decision.headline
    assert decision.sources
    assert {**decision.answers, **decision.unused_answers}.keys() == answers.keys() - {
        key for key, value in on_path.items() if value == ""
    }


def assert_training_is_earned(answers: dict[str, str], approach: str, techniques: Collection[str]) -> None:
    """Training only for tabular prediction or under v1's six conditions; pretraining only when
    no open-weights model is suitable."""
    if approach == "training":
        assert answers["task"] == "tabular_prediction" or training_from_scratch_holds(answers), answers
    if "pretraining" in techniques:
        assert answers["open_base_model"] == "none_suitable", answers


def assert_the_gap_decides_the_decision(answers: dict[str, str], decision: Decision) -> None:
    """For a language task, what the base models lack decides the approach and techniques."""
    if answers["base_models"] == "not_evaluated":
        assert decision.approach == "prompt_engineering"
        assert "evaluation_first" in decision.techniques
    if "knowledge_gap" in gaps(answers):  # alone, or with other gaps: retrieval either way
        assert "retrieval" in decision.techniques
    if answers["base_models"] == "knowledge_gap":
        assert decision.approach == "prompt_engineering"
        assert not WEIGHT_TECHNIQUES & set(decision.techniques)
    if answers["base_models"] == "sufficient":
        # Good enough answers change weights only to distil a smaller model, for cost or speed.
        assert decision.approach != "training"
        if decision.approach == "fine_tuning":
            assert "distillation" in decision.techniques
            assert answers["motivation"] in ("cost_at_scale", "latency"), answers


def assert_managed_tuning_only_fine_tunes(answers: dict[str, str], techniques: Collection[str]) -> None:
    """A provider's managed tuning fine-tunes; it neither pretrains nor updates every weight."""
    if answers["infrastructure"] == "managed_tuning":
        assert not {"continued_pretraining", "pretraining", "full_fine_tuning"} & set(techniques), answers


def assert_weight_techniques_follow_the_approach(decision: Decision) -> None:
    """Changing weights brings hyperparameter tuning; prompting changes no weights."""
    if decision.approach in ("fine_tuning", "training"):
        assert "hyperparameter_tuning" in decision.techniques
    else:
        assert not WEIGHT_TECHNIQUES & set(decision.techniques)


def assert_on_premises_data_is_self_hosted(answers: dict[str, str], decision: Decision) -> None:
    if answers["data_residency"] == "on_premises":
        assert "self_hosted" in decision.techniques


def assert_the_plan_answers_its_three_questions(answers: dict[str, str], decision: Decision) -> None:
    """Data, infrastructure and budget, each answered, open exactly when it has notes; the
    budget stays open without an owner or a figure."""
    assert [plan.id for plan in decision.plan] == ["data", "infrastructure", "budget"]
    for plan in decision.plan:
        assert plan.answer() and plan.open == bool(plan.notes)
    budget = decision.plan[2]
    if not answers.get("budget_owner"):
        assert budget.open and any("budget owner" in note for note in budget.notes)
    if answers["budget"] == "unknown":
        assert budget.open


@PROPERTY
@given(data=st.data())
def test_every_combination_yields_one_sound_decision(tree, data):
    answers = contract_answers(tree, data)
    decision = decide(tree, answers)
    assert_the_decision_is_complete(tree, answers, decision)
    assert_training_is_earned(answers, decision.approach, decision.techniques)
    if answers["task"] != "tabular_prediction":
        assert_the_gap_decides_the_decision(answers, decision)
    assert_managed_tuning_only_fine_tunes(answers, decision.techniques)
    assert_weight_techniques_follow_the_approach(decision)
    assert_on_premises_data_is_self_hosted(answers, decision)
    assert_the_plan_answers_its_three_questions(answers, decision)


@PROPERTY
@given(data=st.data())
def test_decisions_are_deterministic_and_ignore_off_path_answers(tree, data):
    answers = contract_answers(tree, data)
    decision = decide(tree, answers)
    assert decide(tree, dict(reversed(list(answers.items())))) == decision
    on_path_only = decide(tree, {**decision.answers, **{k: v for k, v in answers.items() if v == ""}})
    assert replace(on_path_only, unused_answers={}) == replace(decision, unused_answers={})


@PROPERTY
@given(data=st.data())
def test_more_means_never_lower_the_approach(tree, data):
    """Principle 9 read backwards: one more piece of means never lowers the approach."""
    answers = contract_answers(tree, data, free_text=False)
    question = data.draw(st.sampled_from(sorted(LADDERS)), label="improve")
    ladder = LADDERS[question]
    position = ladder.index(answers[question])
    if position + 1 == len(ladder):
        return
    better = {**answers, question: ladder[position + 1]}
    before = walk(tree, answers).outcome
    after = walk(tree, better).outcome
    assert before is not None and after is not None
    assert RANK[after.approach] >= RANK[before.approach], (question, answers)


# --- hypothesis: the report ---------------------------------------------------------------------


def yaml_fence(tokens: list[Token]) -> str:
    fences = [token for token in tokens if token.type == "fence" and token.info.strip() == "yaml"]
    assert len(fences) == 1
    return fences[0].content


@PROPERTY
@given(data=st.data())
def test_report_has_one_title_a_verdict_and_a_replayable_footer(tree, loaded_tree, data):
    answers = contract_answers(tree, data)
    decision = decide(tree, answers)
    markdown = render_markdown(decision, tree, sha256=loaded_tree.sha256, today=date(2024, 2, 29))
    tokens = markdown_parser().parse(markdown)

    headings = [token for token in tokens if token.type == "heading_open"]
    assert [token.tag for token in headings].count("h1") == 1
    assert headings[0].tag == "h1"
    assert "2024-02-29" in tokens[tokens.index(headings[0]) + 1].content
    assert f"Recommendation: {decision.approach_label}" in markdown.splitlines()
    # The only HTML is the report's own collapsible blocks, never anything from user text.
    assert all(
        re.fullmatch(r"<details>|</details>|<summary>[^<>]*</summary>", line)
        for token in _walk(tokens)
        if token.type == "html_block"
        for line in token.content.splitlines()
    )
    assert not any(token.type in ("html_inline", "image") for token in _walk(tokens))
    # The one table is the cost table, which holds no user text.
    assert [token.type for token in tokens].count("table_open") == 1
    assert loaded_tree.sha256 in markdown and tree.version in markdown

    replayed_answers = yaml.safe_load(yaml_fence(tokens))
    assert replayed_answers == tree.answers_data(decision.answers)  # several answers as a list
    assert check_answers(tree, replayed_answers) == decision.answers
    replay = decide(tree, check_answers(tree, replayed_answers))
    assert replay.outcome == decision.outcome
    assert replay.techniques == decision.techniques
    assert replay.caveats == decision.caveats
    assert replay.plan == decision.plan
    assert replay.shortfalls == decision.shortfalls
    assert replay.answers == decision.answers


@PROPERTY
@given(data=st.data())
def test_json_report_is_the_decision(tree, loaded_tree, data):
    import json

    answers = contract_answers(tree, data)
    decision = decide(tree, answers)
    parsed = json.loads(render_json(decision, tree, sha256=loaded_tree.sha256))
    assert parsed == json.loads(json.dumps(decision_dict(decision, tree, sha256=loaded_tree.sha256)))
    assert parsed["approach"] == decision.approach
    assert parsed["techniques"] == list(decision.techniques)
    assert parsed["answers"] == tree.answers_data(decision.answers)  # several answers as a list
    assert [step["question"] for step in parsed["path"]] == [step.question.id for step in decision.path]
    assert set(parsed["questions"]) == {"data", "infrastructure", "budget"}
    assert parsed["tree"] == {"version": tree.version, "sha256": loaded_tree.sha256}


def _walk(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


# --- exhaustive, at the outcome level -------------------------------------------------------------


def assert_tabular_training_needs_labels(answers: dict[str, str], approach: str, techniques: set[str]) -> None:
    """Tabular prediction trains a classic model exactly when there are labelled data."""
    labelled = answers["proprietary_data"] not in ("none", "documents")
    assert (approach == "training") == labelled, answers
    if approach == "training":
        assert "classic_ml" in techniques


def assert_the_gap_decides_the_outcome(answers: dict[str, str], approach: str, techniques: set[str]) -> None:
    """For a language task, what the base models lack decides the approach."""
    gap = answers["base_models"]
    if gap == "not_evaluated":
        assert approach == "prompt_engineering" and "evaluation_first" in techniques, answers
    if gap == "knowledge_gap":
        assert approach == "prompt_engineering" and "retrieval" in techniques, answers
    if gap == "sufficient":
        assert_sufficient_models_change_weights_only_to_distil(answers, approach, techniques)


def assert_sufficient_models_change_weights_only_to_distil(
    answers: dict[str, str], approach: str, techniques: set[str]
) -> None:
    """Base models suffice: weights change only to distil a smaller model at volume."""
    assert approach == "prompt_engineering" or techniques >= {"distillation", "peft"}, answers
    if approach != "prompt_engineering":
        assert answers["motivation"] in ("cost_at_scale", "latency"), answers
        assert answers["request_volume"] in ("100k_to_10m", "over_10m"), answers
        assert answers["current_solution"] == "prompted" or answers["proprietary_data"] in WEIGHT_DATA, answers


def assert_weights_change_only_with_the_means(answers: dict[str, str], approach: str) -> None:
    """Principles 4, 5 and 9: weights change only with data, people, GPUs and money."""
    if approach == "prompt_engineering":
        return
    gap = answers["base_models"]
    assert gaps(answers) & {"behavior_gap", "capability_gap"} or gap == "sufficient", answers
    if gap != "sufficient":
        assert answers["proprietary_data"] in WEIGHT_DATA, answers
    assert answers["expertise"] != "none", answers
    assert answers["infrastructure"] in WEIGHT_INFRASTRUCTURE, answers
    assert answers["budget"] not in ("unknown", "under_10k"), answers


def assert_examples_are_reviewed_before_tuning(answers: dict[str, str], approach: str) -> None:
    """Curated examples are reviewed first; larger sets hold a reviewed sample out instead."""
    if gaps(answers) & {"behavior_gap", "capability_gap"} and approach != "prompt_engineering":
        assert answers.get("data_quality", "reviewed") == "reviewed", answers


def test_principles_hold_for_every_complete_answer_set(contract_space):
    for answers, outcome in contract_space:
        approach = outcome.approach
        techniques = set(outcome.techniques)
        assert_training_is_earned(answers, approach, techniques)
        if answers["task"] == "tabular_prediction":
            assert_tabular_training_needs_labels(answers, approach, techniques)
            continue
        assert_the_gap_decides_the_outcome(answers, approach, techniques)
        assert_weights_change_only_with_the_means(answers, approach)
        assert_managed_tuning_only_fine_tunes(answers, techniques)
        assert_examples_are_reviewed_before_tuning(answers, approach)
        if "classic_ml" in techniques:
            pytest.fail(f"a classic model for a language task: {answers}")


def test_unknown_data_quality_decides_like_unreviewed(tree, contract_space):
    """The 'Not sure' option says 'treated as unreviewed': it must decide so, everywhere."""
    differ = []
    for answers, outcome in contract_space:
        if answers.get("data_quality") == "unknown":
            other = walk(tree, {**answers, "data_quality": "unreviewed"}).outcome
            assert other is not None
            if other.id != outcome.id:
                differ.append((answers, outcome.id, other.id))
    assert differ == [], f"{len(differ)} differ, e.g. {differ[:1]}"


def test_unknown_budget_decides_like_the_smallest(tree, contract_space):
    """The budget's 'Not sure' says 'treated as the smallest': it must decide so."""
    for answers, outcome in contract_space:
        if answers["budget"] == "unknown":
            smallest = walk(tree, {**answers, "budget": "under_10k"}).outcome
            assert smallest is not None
            assert smallest.id == outcome.id, answers
