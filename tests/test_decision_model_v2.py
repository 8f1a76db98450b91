"""The decision model v2: its public examples, its principles as properties, the proof
that every question and answer matters, and the migration from the v1 tree.

The profiles name the shipped tree's ids on purpose: they are the answers contract.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest
from conftest import DATA_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptwise.domain import pathspace, sensitivity
from adaptwise.domain.engine import decide_with_defaults
from adaptwise.domain.report import render_markdown

RANK = {"prompt_engineering": 0, "fine_tuning": 1, "training": 2}
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Answers to the means questions, from least to most.
MEANS = {
    "budget": ["unknown", "under_10k", "10k_to_100k", "100k_to_1m", "over_1m"],
    "infrastructure": ["none", "hosted_api", "managed_tuning", "cloud", "own_gpus", "gpu_cluster"],
    "expertise": ["none", "ml_engineers", "research_team"],
    "timeline": ["weeks", "months", "year_plus"],
}

GAPS = ("knowledge_gap", "behavior_gap", "capability_gap")

CAPABILITY_AT_SCALE = {
    "base_models": "capability_gap",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "expertise": "research_team",
    "timeline": "year_plus",
}

#: An example: answers, the approach, techniques it must include, and techniques it must not.
Example = tuple[dict[str, str | list[str]], str | None, set[str], set[str]]

#: The issue's public examples: answers, the approach, techniques it must include, and
#: techniques it must not.
PUBLIC_V2: dict[str, Example] = {
    "knowledge-and-behaviour": (
        {
            "base_models": ["knowledge_gap", "behavior_gap"],
            "proprietary_data": "curated_examples",
            "data_quality": "reviewed",
            "infrastructure": "cloud",
            "expertise": "ml_engineers",
            "budget": "10k_to_100k",
        },
        "fine_tuning",
        {"retrieval", "peft"},
        set(),
    ),
    "open-model-fits": (
        {**CAPABILITY_AT_SCALE, "open_base_model": "suitable_exists"},
        "fine_tuning",
        {"continued_pretraining"},
        {"pretraining"},
    ),
    "no-open-model-fits": (
        {**CAPABILITY_AT_SCALE, "open_base_model": "none_suitable"},
        "training",
        {"pretraining"},
        set(),
    ),
    "distil-at-volume": (
        {
            "base_models": "sufficient",
            "motivation": "cost_at_scale",
            "request_volume": "over_10m",
            "current_solution": "prompted",
            "infrastructure": "cloud",
            "expertise": "ml_engineers",
            "budget": "100k_to_1m",
        },
        "fine_tuning",
        {"distillation"},
        set(),
    ),
    "cost-at-low-volume": (
        {"base_models": "sufficient", "motivation": "cost_at_scale", "request_volume": "under_100k"},
        "prompt_engineering",
        set(),
        {"distillation", "peft"},
    ),
    "managed-tuning": (
        {
            "base_models": "behavior_gap",
            "proprietary_data": "curated_examples",
            "data_quality": "reviewed",
            "infrastructure": "managed_tuning",
            "expertise": "ml_engineers",
            "budget": "10k_to_100k",
        },
        "fine_tuning",
        set(),
        set(),
    ),
    "retiring-fine-tune": (
        {
            "current_solution": "fine_tuned_retiring",
            "base_models": "behavior_gap",
            "proprietary_data": "curated_examples",
            "data_quality": "reviewed",
            "infrastructure": "hosted_api",
        },
        None,
        {"evaluation_first"},
        set(),
    ),
}


def decided(tree, answers):
    """The decision for answers as an answers file holds them (lists for several gaps)."""
    from adaptwise.domain.answers import check_answers

    return decide_with_defaults(tree, check_answers(tree, answers)).decision


def markdown_of(tree, decision) -> str:
    return render_markdown(decision, tree, sha256="0" * 64, today=date(2026, 12, 1))


@pytest.mark.parametrize("name", PUBLIC_V2)
def test_public_example_decides_as_stated(tree, name):
    answers, approach, required, forbidden = PUBLIC_V2[name]
    decision = decided(tree, answers)
    if approach is not None:
        assert decision.approach == approach
    assert required <= set(decision.techniques)
    assert not forbidden & set(decision.techniques)


def test_public_examples_decide_the_same_on_the_command_line(run_cli, tmp_path):
    for name, (answers, approach, required, _) in PUBLIC_V2.items():
        answers_file = tmp_path / f"{name}.json"
        answers_file.write_text(json.dumps(answers), encoding="utf-8")
        result = run_cli("recommend", "--answers", answers_file, "--defaults", "--format", "json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        if approach is not None:
            assert report["approach"] == approach, name
        assert required <= set(report["techniques"]), name


def test_several_gaps_are_given_as_a_flag_list(run_cli):
    result = run_cli(
        "recommend",
        "--defaults",
        "--format",
        "json",
        "--base_models",
        "behavior_gap,knowledge_gap",
        "--proprietary_data",
        "curated_examples",
        "--data_quality",
        "reviewed",
        "--infrastructure",
        "cloud",
        "--expertise",
        "ml_engineers",
        "--budget",
        "10k_to_100k",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["approach"] == "fine_tuning"
    assert {"retrieval", "peft"} <= set(report["techniques"])


def test_managed_tuning_flags_no_missing_gpu(tree):
    answers = PUBLIC_V2["managed-tuning"][0]
    decision = decided(tree, answers)
    markdown = markdown_of(tree, decision)
    missing = [need for shortfall in decision.shortfalls for need in shortfall.missing]
    assert all(
        need.question != "infrastructure" for need in missing if "GPU" in need.need and "cluster" not in need.need
    )
    assert not re.search(r"no GPUs?|needs? GPUs|GPUs, rented or owned", " ".join(decision.caveats))
    # The one caveat on a provider's fine-tuning is dated and names who still tunes.
    provider = [caveat for caveat in decision.caveats if "2026-11" in caveat]
    assert len(provider) == 1 and "Azure AI Foundry" in provider[0] and "Vertex" in provider[0]
    assert "2026-11" in markdown


def test_the_hosted_tuning_caveat_lands_only_where_a_provider_tunes(tree):
    own_gpus = {**PUBLIC_V2["managed-tuning"][0], "infrastructure": "cloud"}
    for answers in (own_gpus, PUBLIC_V2["cost-at-low-volume"][0], PUBLIC_V2["open-model-fits"][0]):
        assert not any("winding down" in caveat for caveat in decided(tree, answers).caveats)


def test_low_volume_report_shows_why_tuning_does_not_pay(tree):
    decision = decided(tree, PUBLIC_V2["cost-at-low-volume"][0])
    markdown = markdown_of(tree, decision)
    assert "100,000 requests a month" in markdown
    # The arithmetic: what calls cost at this volume against what hosting a model costs.
    assert re.search(r"\$5 to \$3,000 a month", markdown)
    assert re.search(r"\$360 to \$2,900 a month", markdown)


def test_retiring_fine_tune_records_a_golden_set_before_porting(tree):
    decision = decided(tree, PUBLIC_V2["retiring-fine-tune"][0])
    steps = " ".join(decision.next_steps)
    assert steps.index("golden evaluation set") < steps.index("Re-test newer base models") < steps.index("port")


def test_documents_are_data_for_a_knowledge_gap(tree):
    with_documents = decided(tree, {"base_models": "knowledge_gap", "proprietary_data": "documents"})
    plan = {item.id: item for item in with_documents.plan}
    assert not plan["data"].open
    assert "documents only" in plan["data"].answer().lower()
    assert "no data" not in markdown_of(tree, with_documents).lower()
    without = decided(tree, {"base_models": "knowledge_gap", "proprietary_data": "none"})
    assert any("Gather the source documents" in step for step in without.next_steps)


def test_a_large_unreviewed_set_serves_a_behaviour_gap(tree):
    decision = decided(
        tree,
        {
            "base_models": "behavior_gap",
            "proprietary_data": "large_labeled",
            "infrastructure": "cloud",
            "expertise": "ml_engineers",
            "budget": "10k_to_100k",
        },
    )
    assert decision.approach == "fine_tuning" and "peft" in decision.techniques
    assert any("hold that reviewed sample out" in step for step in decision.next_steps)


def test_a_behaviour_gap_at_massive_scale_may_continue_pretraining(tree):
    decision = decided(tree, {**CAPABILITY_AT_SCALE, "base_models": "behavior_gap", "budget": "100k_to_1m"})
    assert "continued_pretraining" in decision.techniques


def test_feedback_data_adds_the_matching_method_after_supervised_tuning(tree):
    ready = PUBLIC_V2["managed-tuning"][0]
    assert "preference_tuning" in decided(tree, {**ready, "feedback_data": "preferences"}).techniques
    assert "reinforcement_fine_tuning" in decided(tree, {**ready, "feedback_data": "verifiable"}).techniques
    both = decided(tree, {**ready, "feedback_data": "both"})
    assert {"preference_tuning", "reinforcement_fine_tuning"} <= set(both.techniques)
    assert any("do not replace evaluation" in risk for risk in both.risks)


def test_private_cloud_allows_hosted_models_with_a_caveat(tree):
    decision = decided(tree, {"base_models": "knowledge_gap", "data_residency": "private_cloud"})
    assert "self_hosted" not in decision.techniques
    assert any("Confirm that the contract" in caveat for caveat in decision.caveats)


def test_the_line_at_one_hundred_examples_is_explained(tree):
    decision = decided(tree, {"base_models": "behavior_gap", "proprietary_data": "few_examples"})
    assert any("about 50 well-crafted" in caveat and "100" in caveat for caveat in decision.caveats)


@st.composite
def profiles(draw, tree):
    """Any complete set of answers, each question answered with any of its whole answers."""
    return {
        question.id: draw(st.sampled_from(question.answer_values))
        for question in tree.questions
        if not question.is_text
    }


def test_no_pretraining_unless_no_open_model_fits(tree):
    @PROPERTY
    @given(profiles(tree))
    def check(answers):
        decision = decide_with_defaults(tree, answers).decision
        if "pretraining" in decision.techniques:
            assert decision.answers.get("open_base_model") == "none_suitable"

    check()


def test_more_means_never_lower_the_approach(tree):
    @PROPERTY
    @given(profiles(tree), st.sampled_from(sorted(MEANS)), st.data())
    def check(answers, means, data):
        ladder = MEANS[means]
        raised = data.draw(st.sampled_from(ladder[ladder.index(answers[means]) :]))
        before = decide_with_defaults(tree, answers).decision
        after = decide_with_defaults(tree, {**answers, means: raised}).decision
        assert RANK[after.approach] >= RANK[before.approach]
        if "continued_pretraining" in before.techniques and answers["open_base_model"] != "none_suitable":
            assert "pretraining" not in after.techniques

    check()


def test_several_gaps_get_at_least_what_each_gap_alone_gets(tree):
    base_models = tree.question_by_id["base_models"]

    @PROPERTY
    @given(profiles(tree), st.sets(st.sampled_from(GAPS), min_size=2))
    def check(answers, gaps):
        together = decide_with_defaults(tree, {**answers, "base_models": base_models.combine(gaps)}).decision
        for gap in gaps:
            alone = decide_with_defaults(tree, {**answers, "base_models": gap}).decision
            assert RANK[together.approach] >= RANK[alone.approach]
            if together.approach == alone.approach:
                assert set(alone.techniques) <= set(together.techniques), gap

    check()


def test_paths_are_short_and_every_answer_matters(tree):
    space = pathspace.explore(tree)
    lengths = sensitivity.path_lengths(tree, space)
    assert lengths.median <= 12
    assert lengths.longest <= 16
    assert sensitivity.same_answers(tree, space) == []
    # Every question, and every answer of every choice question, is taken by some answers.
    taken = {(question, value) for leaf in space.leaves for question, values in leaf.box.items() for value in values}
    for question in tree.questions:
        assert question.id in space.visited
        for value in () if question.is_text else question.values:
            assert any(q == question.id and value in tree.question_by_id[q].parts(v or "") for q, v in taken), (
                question.id,
                value,
            )


def test_check_paths_proves_it_on_the_command_line(run_cli):
    result = run_cli("check", "--paths")
    assert result.returncode == 0, result.stderr
    match = re.search(r"questions asked: median (\d+(?:\.\d+)?), longest (\d+)", result.stdout)
    assert match and float(match[1]) <= 12 and int(match[2]) <= 16
    assert "Every answer changes the recommendation somewhere" in result.stdout


def test_check_paths_names_answers_that_never_matter(run_cli, tmp_path, shipped_tree_path):
    text = shipped_tree_path.read_text(encoding="utf-8")
    # Strip the one modifier that tells 'other' apart from generating text.
    edited = re.sub(r"\n  - id: code_and_agents\n.*?(?=\n  - id: )", "", text, count=1, flags=re.S)
    assert edited != text
    tree_file = tmp_path / "tree.yaml"
    tree_file.write_text(edited, encoding="utf-8")
    result = run_cli("check", "--paths", tree_file)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(str(tree_file))}:\d+:\d+: .*'text_generation' and 'other'", result.stderr)


V1_CHANGED = {
    "case-07-train_from_scratch.yaml": [
        "approach training → fine_tuning",
        "techniques pretraining, hyperparameter_tuning → continued_pretraining, hyperparameter_tuning",
        "outcome train_from_scratch → continued_pretraining",
    ],
    "case-09-full_fine_tuning.yaml": [
        "techniques full_fine_tuning, hyperparameter_tuning → full_fine_tuning, peft, hyperparameter_tuning",
    ],
}


def test_the_v1_regression_set_changes_only_where_a_principle_moved_it(run_cli, tmp_path):
    cases = tmp_path / "cases"
    shutil.copytree(DATA_DIR / "v1" / "regression", cases)
    result = run_cli("check", "--run-tests", cases)
    assert result.returncode == 1, result.stderr
    changed = re.findall(r"^\S*?([^/\s]+\.yaml): changed\n((?:  .*\n)*)", result.stdout, re.M)
    assert {name for name, _ in changed} == set(V1_CHANGED)
    for name, lines in changed:
        for expected in V1_CHANGED[name]:
            assert expected in lines
    assert "14 regression cases: 2 changed" in result.stdout


@pytest.mark.parametrize("report", sorted(path.name for path in (DATA_DIR / "v1" / "reports").glob("*.md")))
def test_replaying_a_v1_report_names_the_drift_precisely(run_cli, report):
    result = run_cli("replay", DATA_DIR / "v1" / "reports" / report)
    assert result.returncode == 1, result.stderr
    assert "version 2026.11.1" in result.stdout and "this is version 2026.12.1" in result.stdout
    if report.startswith("principle-6"):
        assert "approach: training → fine_tuning" in result.stdout
        assert "outcome: train_from_scratch → continued_pretraining" in result.stdout
    else:
        assert "The recommendation is the same" in result.stdout
    # Only questions the path now asks are named as new; a records task asks none of them.
    if report.startswith("seed001"):
        assert "new question" not in result.stdout
    if report.startswith(("nothing", "rich-but-not-evaluated", "seed003")):  # no weights change
        assert "feedback_data" not in result.stdout
        assert "open_base_model" not in result.stdout
