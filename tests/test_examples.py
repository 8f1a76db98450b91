"""The public examples of issue 2, and more profiles built from its decision principles.

The public examples run through the engine (with_defaults over the given answers) and
through `adaptwise recommend --defaults --format json`. The other profiles apply one
principle (issue 2 §2, "Decision principles" 1-10, and REFERENCES.md) each, in-process.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.report import decision_dict, render_markdown

from profiles import FT_READY, P6, PUBLIC, SCRATCH_MEANS

P6_SHORT = {
    "base_models": "not_evaluated",
    "proprietary_data": "large_labeled",
    "budget": "100k_to_1m",
    "infrastructure": "own_gpus",
    "expertise": "ml_engineers",
    "timeline": "months",
}


def run(tree, loaded, answers: dict[str, str]):
    """(decision, JSON dict, Markdown) for answers completed with the defaults."""
    decision = decide(tree, with_defaults(tree, answers))
    data = decision_dict(decision, tree, sha256=loaded.sha256)
    markdown = render_markdown(decision, tree, sha256=loaded.sha256, today=date(2024, 1, 1))
    return decision, data, markdown


def blocker_questions(data: dict[str, Any], requirement: str) -> set[str]:
    shortfalls = {item["requirement"]: item for item in data["shortfalls"]}
    return {item["question"] for item in shortfalls.get(requirement, {}).get("missing", [])}


def section(markdown: str, heading: str) -> str:
    """The text of one `## heading` section of the report."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    assert match, f"no '## {heading}' section"
    return match.group(1)


def flags(answers: dict[str, str]) -> list[str]:
    return [f"--{key}={value}" for key, value in answers.items()]


# --- the public examples ---------------------------------------------------------------------


@pytest.mark.parametrize("example", PUBLIC, ids=lambda e: e.name)
def test_public_example_in_the_engine(tree, loaded_tree, example):
    decision, data, markdown = run(tree, loaded_tree, example.answers)
    assert decision.approach == example.approach
    assert example.techniques <= set(decision.techniques)
    assert not example.without & set(decision.techniques)
    for key, value in example.answers.items():
        # An answer the path never asks is kept apart: it cannot change the decision.
        assert (decision.unused_answers if key in example.unused else decision.answers)[key] == value
    assert set(decision.unused_answers) == example.unused
    assert f"Recommendation: {decision.approach_label}" in markdown


@pytest.mark.parametrize("example", PUBLIC, ids=lambda e: e.name)
def test_public_example_on_the_command_line(run_cli, tree, loaded_tree, example):
    result = run_cli("recommend", "--defaults", "--format", "json", *flags(example.answers))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["approach"] == example.approach
    assert example.techniques <= set(data["techniques"])
    assert not example.without & set(data["techniques"])
    for key, value in example.answers.items():
        assert data["unused_answers" if key in example.unused else "answers"][key] == value
    if example.unused:
        assert f"Not used on this path: {', '.join(sorted(example.unused))}" in result.stderr
    # The command line and the engine agree on everything.
    engine = decision_dict(decide(tree, with_defaults(tree, example.answers)), tree, sha256=loaded_tree.sha256)
    assert data == json.loads(json.dumps(engine))


def test_nothing_in_place_recommends_no_weight_changes(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, PUBLIC[-1].answers)
    assert not {"peft", "full_fine_tuning", "continued_pretraining", "pretraining"} & set(decision.techniques)
    assert blocker_questions(data, "fine_tune") >= {"base_models", "proprietary_data", "budget", "infrastructure"}
    # Expertise is asked only where weights could change: the needs above come first.
    assert decision.unused_answers == {"expertise": "none"}


def test_chatbot_report_says_why_fine_tuning_does_not_keep_facts_current(run_cli):
    result = run_cli("recommend", "--defaults", "--base_models=knowledge_gap", "--knowledge_freshness=changes_often")
    assert result.returncode == 0, result.stderr
    markdown = result.stdout
    assert "Recommendation: Prompt engineering" in markdown
    rejected = section(markdown, "Not recommended")
    fine_tuning = [line for line in rejected.splitlines() if line.startswith("- **Fine-tuning")]
    assert len(fine_tuning) == 1, rejected
    reason = fine_tuning[0].lower()
    assert "current" in reason or "up-to-date" in reason or "up to date" in reason
    assert "stale" in reason or "retrain" in reason or "training run" in reason
    assert "retrieval" in markdown.lower()


def test_public_examples_in_one_answers_file_each(run_cli, tmp_path):
    """The same examples written as YAML and JSON answers files decide the same way."""
    for number, example in enumerate(PUBLIC):
        yaml_file = tmp_path / f"{number}.yaml"
        yaml_file.write_text("".join(f"{k}: {v}\n" for k, v in example.answers.items()), encoding="utf-8")
        json_file = tmp_path / f"{number}.json"
        json_file.write_text(json.dumps(example.answers), encoding="utf-8")
        for path in (yaml_file, json_file):
            result = run_cli("recommend", "--defaults", "--format", "json", "--answers", path)
            assert result.returncode == 0, result.stderr
            assert json.loads(result.stdout)["approach"] == example.approach


# --- principle 6: training from scratch only when all six hold, and no open model fits ----------


@pytest.mark.parametrize("question", sorted(P6_SHORT))
def test_principle_6_one_condition_missing_is_named(tree, loaded_tree, question):
    """Reviewed data, five of six conditions: not training, and the missing one is named."""
    answers = {**P6, "data_quality": "reviewed", question: P6_SHORT[question]}
    decision, data, markdown = run(tree, loaded_tree, answers)
    assert decision.approach != "training"
    assert "pretraining" not in decision.techniques
    assert question in blocker_questions(data, "train_from_scratch"), data["blockers"]
    shortfall = next(item for item in data["shortfalls"] if item["requirement"] == "train_from_scratch")
    need = next(item["need"] for item in shortfall["missing"] if item["question"] == question)
    assert any(need in line for line in data["blockers"]["training"])
    assert need in section(markdown, "Not recommended")  # right below why training is not


@pytest.mark.parametrize("question", sorted(P6_SHORT))
def test_principle_6_one_condition_missing_with_the_defaults(tree, loaded_tree, question):
    """As the public principle-6 example, run with --defaults.

    (Once a disagreement: capability_prompting named only fine-tuning's needs, and
    continued pretraining refused 'unknown' quality that training from scratch accepted.
    v2 asks data quality only for curated examples: nobody reviews a corpus by hand.)
    """
    answers = {**P6, question: P6_SHORT[question]}
    decision, data, _ = run(tree, loaded_tree, answers)
    assert "data_quality" not in decision.answers
    assert decision.approach != "training"
    assert question in blocker_questions(data, "train_from_scratch"), data["blockers"]


def test_principle_6_without_checking_the_open_models_continues_pretraining(tree, loaded_tree):
    """All six conditions, but nobody has checked whether an open model fits ('Not sure', the
    default): adapt one with continued pretraining, and check first."""
    decision, data, _ = run(tree, loaded_tree, SCRATCH_MEANS)
    assert decision.answers["open_base_model"] == "not_sure"
    assert decision.approach == "fine_tuning"
    assert "continued_pretraining" in decision.techniques and "pretraining" not in decision.techniques
    assert blocker_questions(data, "train_from_scratch") == {"open_base_model"}
    assert any("open-weights model covers" in step for step in decision.next_steps)
    suitable, data, _ = run(tree, loaded_tree, {**SCRATCH_MEANS, "open_base_model": "suitable_exists"})
    assert suitable.outcome == decision.outcome
    assert blocker_questions(data, "train_from_scratch") == {"open_base_model"}


def test_principle_5_massive_corpus_without_a_year_still_adapts_weights(tree, loaded_tree):
    """Capability gap, a massive corpus, $1M+, a cluster and a research team, but months:
    principle 5 says adapt the weights (continued pretraining), principle 9 says one step
    lower than training, and 'Not sure' about quality is 'treated as unreviewed'."""
    decision, data, _ = run(tree, loaded_tree, {**P6, "timeline": "months"})
    assert decision.approach == "fine_tuning"
    assert "timeline" in blocker_questions(data, "train_from_scratch")


def test_principle_6_all_conditions_with_reviewed_data(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {**P6, "data_quality": "reviewed"})
    assert decision.approach == "training"
    assert {"pretraining", "hyperparameter_tuning"} <= set(decision.techniques)
    assert data["blockers"] == {} and data["shortfalls"] == []


def test_behaviour_gap_never_trains_from_scratch(tree, loaded_tree):
    """All of principle 6's means, but a behaviour gap: adapt the weights (principle 4), never
    train; at this scale v2 may continue pretraining. No open model is even asked about."""
    decision, _, _ = run(tree, loaded_tree, {**P6, "base_models": "behavior_gap", "data_quality": "reviewed"})
    assert decision.approach == "fine_tuning"
    assert {"peft", "full_fine_tuning", "continued_pretraining"} & set(decision.techniques)
    assert "pretraining" not in decision.techniques
    assert "open_base_model" in decision.unused_answers


def test_capability_gap_massive_but_weeks(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {**P6, "data_quality": "reviewed", "timeline": "weeks"})
    assert decision.approach == "fine_tuning"
    assert "pretraining" not in decision.techniques
    assert "timeline" in blocker_questions(data, "train_from_scratch")
    assert any("weeks" in caveat.lower() for caveat in decision.caveats)


# --- principle 4: behaviour gap ------------------------------------------------------------------


def test_behaviour_gap_ready_fine_tunes_with_peft(tree, loaded_tree):
    decision, _, _ = run(tree, loaded_tree, FT_READY)
    assert decision.approach == "fine_tuning"
    assert {"peft", "hyperparameter_tuning"} <= set(decision.techniques)
    assert "full_fine_tuning" not in decision.techniques


def test_behaviour_gap_with_few_examples(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {**FT_READY, "proprietary_data": "few_examples"})
    assert decision.approach == "prompt_engineering"
    assert {"few_shot", "data_collection"} <= set(decision.techniques)
    assert "proprietary_data" in blocker_questions(data, "fine_tune")


@pytest.mark.parametrize("quality", ["unreviewed", "unknown"])
def test_behaviour_gap_with_curated_but_unreviewed_examples(tree, loaded_tree, quality):
    decision, data, _ = run(tree, loaded_tree, {**FT_READY, "data_quality": quality})
    assert decision.approach == "prompt_engineering"
    assert {"few_shot", "data_collection"} <= set(decision.techniques)
    assert blocker_questions(data, "fine_tune") == {"data_quality"}
    assert any("review" in step.lower() for step in decision.next_steps)


@pytest.mark.parametrize(
    "question, value",
    [
        ("expertise", "none"),
        ("infrastructure", "hosted_api"),
        ("infrastructure", "none"),
        ("budget", "unknown"),
        ("budget", "under_10k"),
    ],
)
def test_behaviour_gap_missing_one_means(tree, loaded_tree, question, value):
    """Principle 9: the missing piece lowers the approach and is named."""
    decision, data, markdown = run(tree, loaded_tree, {**FT_READY, question: value})
    assert decision.approach == "prompt_engineering"
    assert "few_shot" in decision.techniques
    assert blocker_questions(data, "fine_tune") == {question}
    need = next(item for item in data["shortfalls"] if item["requirement"] == "fine_tune")["missing"][0]["need"]
    assert need in section(markdown, "Not recommended")  # right below why fine-tuning is not


def test_behaviour_gap_in_weeks_still_fine_tunes_with_a_caveat(tree, loaded_tree):
    decision, _, _ = run(tree, loaded_tree, {**FT_READY, "timeline": "weeks"})
    assert decision.approach == "fine_tuning"
    assert any("weeks" in caveat.lower() for caveat in decision.caveats)


def test_fine_tuning_never_assumes_a_hosted_fine_tuning_api(tree, loaded_tree):
    """REFERENCES.md: hosted fine-tuning is winding down. Tuning on GPUs of your own needs no
    word on it; tuning with a provider's managed service gets the dated caveat, once."""
    decision, _, _ = run(tree, loaded_tree, FT_READY)
    assert decision.approach == "fine_tuning"
    assert not any("fine-tuning" in caveat.lower() and "2026" in caveat for caveat in decision.caveats)
    managed, _, _ = run(tree, loaded_tree, {**FT_READY, "infrastructure": "managed_tuning"})
    assert managed.approach == "fine_tuning"
    dated = [caveat for caveat in managed.caveats if "As of 2026-11" in caveat]
    assert len(dated) == 1 and "winding down" in dated[0] and "still tune" in dated[0], managed.caveats


# --- principle 5: capability gap -------------------------------------------------------------


def test_capability_gap_with_curated_examples_uses_peft(tree, loaded_tree):
    decision, _, _ = run(tree, loaded_tree, {**FT_READY, "base_models": "capability_gap"})
    assert decision.approach == "fine_tuning"
    assert "peft" in decision.techniques


def test_capability_gap_with_a_large_corpus_continues_pretraining(tree, loaded_tree):
    answers = {
        **FT_READY,
        "base_models": "capability_gap",
        "proprietary_data": "massive",
        "budget": "100k_to_1m",
        "timeline": "months",
    }
    decision, data, _ = run(tree, loaded_tree, answers)
    assert decision.approach == "fine_tuning"
    assert "continued_pretraining" in decision.techniques
    assert "pretraining" not in decision.techniques
    assert {"budget", "infrastructure", "expertise", "timeline"} <= blocker_questions(data, "train_from_scratch")


def test_capability_gap_with_large_labelled_set_and_own_gpus(tree, loaded_tree):
    answers = {
        **FT_READY,
        "base_models": "capability_gap",
        "proprietary_data": "large_labeled",
        "budget": "100k_to_1m",
        "infrastructure": "own_gpus",
    }
    decision, _, _ = run(tree, loaded_tree, answers)
    assert decision.approach == "fine_tuning"
    assert decision.techniques[0] in {"full_fine_tuning", "peft"}


def test_capability_gap_without_the_means(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {"base_models": "capability_gap", "proprietary_data": "few_examples"})
    assert decision.approach == "prompt_engineering"
    assert {"few_shot", "data_collection"} <= set(decision.techniques)
    assert "proprietary_data" in blocker_questions(data, "fine_tune")


# --- principles 1-3 -----------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["text_generation", "extraction_classification", "other"])
def test_base_models_first_whatever_the_means(tree, loaded_tree, task):
    decision, data, _ = run(
        tree, loaded_tree, {**P6, "task": task, "data_quality": "reviewed", "base_models": "not_evaluated"}
    )
    assert decision.approach == "prompt_engineering"
    assert "evaluation_first" in decision.techniques
    assert "base_models" in blocker_questions(data, "train_from_scratch")


def test_sufficient_base_models_change_no_weights(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {**P6, "data_quality": "reviewed", "base_models": "sufficient"})
    assert decision.approach == "prompt_engineering"
    assert {item["approach"] for item in data["not_recommended"]} >= {"fine_tuning", "training"}


@pytest.mark.parametrize("freshness", ["static", "changes_often"])
def test_knowledge_gap_with_massive_data_and_money_is_still_retrieval(tree, loaded_tree, freshness):
    answers = {**P6, "base_models": "knowledge_gap", "knowledge_freshness": freshness, "data_quality": "reviewed"}
    decision, data, _ = run(tree, loaded_tree, answers)
    assert decision.approach == "prompt_engineering"
    assert "retrieval" in decision.techniques
    assert not {"peft", "full_fine_tuning", "continued_pretraining", "pretraining"} & set(decision.techniques)
    assert "fine_tuning" in {item["approach"] for item in data["not_recommended"]}


# --- principle 7: records --------------------------------------------------------------------


@pytest.mark.parametrize("budget", ["under_10k", "unknown", "over_1m"])
@pytest.mark.parametrize("expertise", ["none", "ml_engineers", "research_team"])
@pytest.mark.parametrize("data", ["few_examples", "curated_examples", "large_labeled", "massive"])
def test_records_train_a_classic_model_whatever_the_budget(tree, loaded_tree, budget, expertise, data):
    answers = {
        "task": "tabular_prediction",
        "proprietary_data": data,
        "budget": budget,
        "expertise": expertise,
        "infrastructure": "none",
    }
    decision, _, _ = run(tree, loaded_tree, answers)
    assert decision.approach == "training"
    assert {"classic_ml", "hyperparameter_tuning"} <= set(decision.techniques)
    assert not {"peft", "full_fine_tuning", "continued_pretraining", "pretraining", "retrieval"} & set(
        decision.techniques
    )
    assert "base_models" not in decision.answers


def test_records_without_history(tree, loaded_tree):
    decision, data, _ = run(tree, loaded_tree, {"task": "tabular_prediction", "proprietary_data": "none"})
    assert decision.approach == "prompt_engineering"
    assert "data_collection" in decision.techniques
    assert "proprietary_data" in blocker_questions(data, "classic_model")


def test_records_with_few_examples_collect_more(tree, loaded_tree):
    decision, _, _ = run(tree, loaded_tree, {"task": "tabular_prediction", "proprietary_data": "few_examples"})
    assert "data_collection" in decision.techniques


# --- principle 8: data that may not leave the premises ------------------------------------------


@pytest.mark.parametrize(
    "profile",
    [
        FT_READY,
        {"base_models": "sufficient"},
        {"base_models": "knowledge_gap"},
        {"task": "tabular_prediction", "proprietary_data": "large_labeled"},
    ],
    ids=["fine-tuning", "sufficient", "knowledge-gap", "records"],
)
def test_on_premises_adds_self_hosting(tree, loaded_tree, profile):
    cloud, _, _ = run(tree, loaded_tree, {**profile, "data_residency": "cloud_ok"})
    local, data, _ = run(tree, loaded_tree, {**profile, "data_residency": "on_premises"})
    assert "self_hosted" not in cloud.techniques
    assert "self_hosted" in local.techniques
    assert local.approach == cloud.approach


@pytest.mark.parametrize("infrastructure", ["none", "hosted_api"])
@pytest.mark.parametrize("task", ["text_generation", "tabular_prediction"])
def test_on_premises_without_infrastructure_is_flagged_open(tree, loaded_tree, infrastructure, task):
    answers = {
        "task": task,
        "proprietary_data": "large_labeled",
        "base_models": "sufficient",
        "data_residency": "on_premises",
        "infrastructure": infrastructure,
    }
    decision, data, markdown = run(tree, loaded_tree, answers)
    assert "self_hosted" in decision.techniques
    assert data["questions"]["infrastructure"]["open"]
    line = next(line for line in section(markdown, "The three questions").splitlines() if "infrastructure?" in line)
    assert "**Open:**" in line


def test_on_premises_with_own_gpus_is_not_flagged(tree, loaded_tree):
    _, data, _ = run(tree, loaded_tree, {**FT_READY, "infrastructure": "own_gpus", "data_residency": "on_premises"})
    assert not data["questions"]["infrastructure"]["open"]


def test_on_premises_fine_tuning_ready_but_only_an_api(tree, loaded_tree):
    decision, data, _ = run(
        tree, loaded_tree, {**FT_READY, "infrastructure": "hosted_api", "data_residency": "on_premises"}
    )
    assert decision.approach == "prompt_engineering"
    assert "self_hosted" in decision.techniques
    assert "infrastructure" in blocker_questions(data, "fine_tune")
    assert data["questions"]["infrastructure"]["open"]


# --- principle 10: tuning and monitoring come with every weight change ------------------------


def test_every_weight_changing_outcome_brings_hyperparameter_tuning(tree, contract_space):
    one_each: dict[str, dict[str, str]] = {}
    for answers, outcome in contract_space:
        if outcome.approach in ("fine_tuning", "training"):
            one_each.setdefault(outcome.id, answers)
    assert len(one_each) >= 5
    for outcome_id, answers in one_each.items():
        decision = decide(tree, answers)
        assert "hyperparameter_tuning" in decision.techniques, outcome_id
        assert any("monitor" in text.lower() for text in (*decision.next_steps, *decision.risks)), outcome_id
        assert any("validation" in text.lower() for text in decision.next_steps), outcome_id


# --- the same profiles kept as answers and flags files (tests/data/answers) ---------------------

ANSWERS_DIR = Path(__file__).parent / "data" / "answers"
#: JSON has no comments, so its expectations live here.
JSON_EXPECT = {"seed001_fraud.json": "training classic_ml hyperparameter_tuning"}


def expectation(path: Path) -> str | None:
    if path.name in JSON_EXPECT:
        return JSON_EXPECT[path.name]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            return line.split(":", 1)[1].strip()
    return None


EXPECTED_FILES = sorted(p.name for p in ANSWERS_DIR.iterdir() if expectation(p) is not None)


def test_every_answers_file_states_its_expectation():
    assert len(EXPECTED_FILES) >= 7
    assert {p.name for p in ANSWERS_DIR.iterdir()} - set(EXPECTED_FILES) == {"common.flags"}


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_answers_files_decide_as_stated(run_cli, name):
    path = ANSWERS_DIR / name
    expected = expectation(path)
    assert expected is not None
    approach, *techniques = expected.split()
    source = [f"@{path}"] if name.endswith(".flags") else ["--answers", path]
    data = json.loads(run_cli("recommend", "--defaults", "--format", "json", *source).stdout)
    assert data["approach"] == approach
    assert set(techniques) <= set(data["techniques"])
