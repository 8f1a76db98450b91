"""The shipped decision_tree.yaml's words: its prompts, help, labels, topics, meanings,
explanations, `if_chosen` phrases, and the sentences the engine and the report build from them.

This is the one place that breaks when the tree's words change. A platform team editing a
`topic:`, a `label:` or a `help:` text updates the expectations here, and nothing else: the
engine's rules are tested on trees the tests declare (tests/treebuilder.py,
test_engine_own_trees.py, test_walkthrough_own_trees.py), and the other tests of the shipped
tree read its vocabulary from the loaded tree.
"""

from __future__ import annotations

import json
import re
from datetime import date

from test_insight import check_uncertainty, decision_for

from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.insight import explain
from adaptwise.domain.report import decision_dict, render_markdown

from profiles import FT_READY, P6

TODAY = date(2026, 3, 14)


# --- the tree's own texts -------------------------------------------------------------------


def test_outcomes_warn_about_the_common_mistakes(tree):
    """Seeds 002-004: overfitting, bias in examples, upkeep, expecting perfection untested."""
    weight_risks = " ".join(
        risk for outcome in tree.outcomes if outcome.approach == "fine_tuning" for risk in outcome.risks
    ).lower()
    for mistake in ("overfit", "bias", "upkeep"):
        assert mistake in weight_risks, mistake
    everything = (
        " ".join(text for outcome in tree.outcomes for text in outcome.risks).lower()
        + " ".join(text for modifier in tree.modifiers for text in modifier.risks).lower()
    )
    assert "without testing" in everything or "guarantee nothing" in everything


def test_glossary_uses_the_seeds_vocabulary(tree):
    terms = " ".join(entry.term.lower() for entry in tree.glossary)
    for term in ("training", "fine-tuning", "prompt tuning", "parameter tuning", "pre-trained model", "model weights"):
        assert term in terms, term


def test_every_choice_question_explains_itself(tree):
    for question in tree.questions:
        assert question.help.strip(), question.id
        for option in question.options:
            assert option.label.strip() and option.explanation.strip(), (question.id, option.value)
            assert option.means.strip(), (question.id, option.value)


# --- sentences built from topics and labels (command line and report) -------------------


CLASSIC = (
    "--task=tabular_prediction",
    "--proprietary_data=large_labeled",
    "--expertise=ml_engineers",
    "--infrastructure=cloud",
    "--budget=10k_to_100k",
    "--defaults",
)


def test_the_report_says_in_one_line_which_answers_it_did_not_use(run_cli):
    report = run_cli(
        "recommend",
        "--task=text_generation",
        "--base_models=sufficient",
        "--expertise=ml_engineers",
        "--timeline=weeks",
        "--defaults",
    ).stdout
    lines = [line for line in report.splitlines() if line.startswith("Answered but not used")]
    assert lines == [
        "Answered but not used, since this path does not ask about them: the team's expertise, the timeline."
    ]
    assert "Answered but not used" not in run_cli("recommend", "--defaults").stdout


def test_a_classic_model_is_labelled_as_one_everywhere(run_cli, tree, tmp_path):
    import json

    from adaptwise.domain.engine import decide, with_defaults

    answers = dict(flag[2:].split("=", 1) for flag in CLASSIC[:-1])
    decision = decide(tree, with_defaults(tree, answers))
    assert (decision.outcome, decision.approach) == ("classic_model", "training")
    assert decision.approach_label == "Train a classic ML model"
    data = json.loads(run_cli("recommend", *CLASSIC, "--format=json").stdout)
    assert (data["approach"], data["approach_label"]) == ("training", "Train a classic ML model")
    assert "Recommendation: Train a classic ML model" in run_cli("recommend", *CLASSIC).stdout
    (tmp_path / "churn.yaml").write_text("".join(f"{flag[2:].replace('=', ': ')}\n" for flag in CLASSIC[:-1]))
    assert "| Train a classic ML model |" in run_cli("batch", tmp_path / "churn.yaml", "--defaults").stdout
    assert "classic_model<br/>Train a classic ML model: classic_ml" in run_cli("graph").stdout
    # Other outcomes keep their approach's own label.
    assert decide(tree, with_defaults(tree, {})).approach_label == "Prompt engineering"


def test_the_three_questions_name_each_part_by_its_topic(tree):
    from adaptwise.domain.engine import decide, with_defaults

    answers = {"infrastructure": "hosted_api", "data_residency": "cloud_ok", "budget_owner": "Head of Legal"}
    plans = {plan.id: plan.answer() for plan in decide(tree, with_defaults(tree, answers)).plan}
    assert plans["infrastructure"] == (
        "The infrastructure: a hosted model API; where the data may live: yes, approved cloud providers are fine."
    )
    assert plans["budget"].endswith("; who owns the budget: Head of Legal.")
    assert "; Yes" not in " ".join(plans.values())


# --- what-ifs, unknowns and blockers, in the tree's words ----------------------------------


def test_a_profile_that_could_go_three_ways(tree):
    decision = decision_for(tree, {**P6, "budget": "unknown", "data_quality": "unknown"})
    insight = check_uncertainty(tree, decision)
    assert insight.possible_approaches == ("prompt_engineering", "fine_tuning", "training")
    assert insight.decisive.question == "budget"
    assert {b.answer: b.approaches for b in insight.decisive.branches} == {
        "under_10k": ("prompt_engineering",),
        "10k_to_100k": ("fine_tuning",),
        "100k_to_1m": ("fine_tuning",),
        "over_1m": ("training",),
    }
    assert insight.decisive.summary == (
        "Your answer depends on the budget: if it is under $10k, then Prompt engineering; "
        "if it is $10k to $100k or $100k to $1M, then Fine-tuning; if it is over $1M, then Training."
    )


def test_the_unknown_that_narrows_most_is_chosen_over_the_one_that_narrows_less(tree):
    """Behaviour gap, ready to fine-tune but for two unknowns. Reviewed data keeps both
    approaches open (the budget still decides); unreviewed data settles on prompting.
    The budget leaves both open for three of its four values, so data quality narrows more.
    Fine-tuning needs both at once, and the report says so in one sentence."""
    decision = decision_for(tree, {**FT_READY, "budget": "unknown", "data_quality": "unknown"})
    insight = check_uncertainty(tree, decision)
    assert insight.possible_approaches == ("prompt_engineering", "fine_tuning")
    assert insight.decisive.question == "data_quality"
    assert {b.answer: b.approaches for b in insight.decisive.branches} == {
        "reviewed": ("prompt_engineering", "fine_tuning"),
        "unreviewed": ("prompt_engineering",),
    }
    assert insight.decisive.summary == (
        "If the data had been reviewed *and* the budget were $10k to $100k, $100k to $1M or over $1M "
        "→ Fine-tuning; otherwise → Prompt engineering."
    )


def test_an_unknown_budget_on_a_fine_tuning_ready_profile(tree):
    decision = decision_for(tree, {**FT_READY, "budget": "unknown"})
    assert decision.approach == "prompt_engineering"  # unknown is treated as the smallest budget
    insight = explain(tree, decision)
    assert set(insight.possible_approaches) == {"prompt_engineering", "fine_tuning"}
    assert insight.decisive is not None and insight.decisive.question == "budget"

    report = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    assert "Your answer depends on the budget: if it is under $10k, then Prompt engineering; if it is " in report
    sentence = next(line for line in report.splitlines() if line.startswith("Your answer depends on the budget"))
    assert re.fullmatch(
        r"Your answer depends on the budget: if it is under \$10k, then Prompt engineering; "
        r"if it is [^;]+, then Fine-tuning\.",
        sentence,
    ), sentence
    for label in ("$10k to $100k", "$100k to $1M", "over $1M"):
        assert label in sentence
    # Said near the top, before the reasons, so nobody misses it.
    assert report.index(sentence) < report.index("## Why")
    assert "could still be Prompt engineering or Fine-tuning" in report

    data = decision_dict(decision, tree, sha256="0" * 64)
    assert data["possible_approaches"] == ["prompt_engineering", "fine_tuning"]
    decisive = data["decisive_question"]
    assert decisive is not None
    assert decisive["question"] == "budget"
    assert decisive["summary"] == sentence
    assert {item["answer"]: item["approaches"] for item in decisive["answers"]} == {
        "under_10k": ["prompt_engineering"],
        "10k_to_100k": ["fine_tuning"],
        "100k_to_1m": ["fine_tuning"],
        "over_1m": ["fine_tuning"],
    }


def test_the_issue_what_if_example(tree):
    """Base models not tested, everything else ready: testing them and finding a behaviour
    gap would lead to fine-tuning."""
    decision = decision_for(tree, {**FT_READY, "base_models": "not_evaluated"})
    assert decision.approach == "prompt_engineering"
    insight = explain(tree, decision)
    entry = next(e for e in insight.what_if if (e.question, e.answer) == ("base_models", "behavior_gap"))
    assert entry.approach == "fine_tuning"
    assert "peft" in entry.techniques
    assert entry.summary.startswith(
        "If base models had been tested and fell short on format, tone or consistency → Fine-tuning"
    )
    report = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    section = report.split("## What would change it", 1)[1].split("\n## ", 1)[0]
    # In the report, answers to one question that lead to the same place are said once.
    [line] = [line for line in section.splitlines() if line.startswith("- **Fine-tuning")]
    assert line.startswith(
        "- **Fine-tuning with parameter-efficient fine-tuning (PEFT/LoRA)** if base models had been tested and "
        "fell short on format, tone or consistency or could not do the task at all"
    ), line
    # Answers that change nothing that matters are not listed.
    assert not any(e.question == "timeline" for e in insight.what_if)


def test_a_what_if_that_opens_a_question_says_what_it_assumed(tree):
    decision = decision_for(tree, FT_READY)
    entry = next(e for e in explain(tree, decision).what_if if e.answer == "knowledge_gap")
    assert entry.assumed == {"knowledge_freshness": tree.question_by_id["knowledge_freshness"].default}
    assert "retrieval" in entry.techniques
    assert ", assuming the facts changed often" in entry.summary


def test_blockers_name_the_budget_for_training(tree):
    decision = decision_for(tree, {**P6, "budget": "100k_to_1m"})
    data = decision_dict(decision, tree, sha256="0" * 64)
    training = data["blockers"]["training"]
    assert len(training) == 1, training
    assert training[0].startswith("a budget over $1M")
    assert training[0].endswith("(you have: $100k to $1M)")


def test_the_issue_blockers_example(tree):
    """'Training would need: a budget over $1M (you have $100k–1M) and a research team.'"""
    decision = decision_for(tree, {**P6, "budget": "100k_to_1m", "expertise": "ml_engineers"})
    blockers = decision_dict(decision, tree, sha256="0" * 64)["blockers"]
    training = blockers["training"]
    assert len(training) == 2, training
    assert any("a budget over $1M" in item and item.endswith("(you have: $100k to $1M)") for item in training)
    assert any("a research team" in item and item.endswith("(you have: ML engineers)") for item in training)
    report = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    # Right below why training is not recommended: each need, and what you have instead.
    section = report.split("## Not recommended", 1)[1].split("\n## ", 1)[0]
    [line] = [line for line in section.splitlines() if line.strip().startswith("- Training from scratch would need:")]
    for item in training:
        need, have = item.removesuffix(")").rsplit(" (you have: ", 1)
        assert f"{need}, where you have {have}" in line, (item, line)


def test_recommend_json_over_the_cli(run_cli):
    result = run_cli(
        "recommend",
        "--defaults",
        "--format",
        "json",
        "--base-models=behavior_gap",
        "--proprietary-data=curated_examples",
        "--data-quality=reviewed",
        "--budget=unknown",
        "--infrastructure=cloud",
        "--expertise=ml_engineers",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["possible_approaches"] == ["prompt_engineering", "fine_tuning"]
    assert data["decisive_question"]["question"] == "budget"
    assert {(e["question"], str(e["answer"])) for e in data["what_if"]} >= {  # a list for several answers
        ("budget", "10k_to_100k"),
        ("budget", "100k_to_1m"),
        ("budget", "over_1m"),
    }
    assert list(data["blockers"]) == ["fine_tuning"]
    [item] = data["blockers"]["fine_tuning"]
    assert item.startswith("a budget of at least $10k") and item.endswith("(you have: Not sure)")


def test_full_fine_tuning_names_only_what_training_would_need(tree):
    decision = decide(
        tree,
        with_defaults(
            tree,
            {
                "base_models": "capability_gap",
                "proprietary_data": "large_labeled",
                "budget": "100k_to_1m",
                "infrastructure": "own_gpus",
                "expertise": "ml_engineers",
            },
        ),
    )
    assert decision.outcome == "full_fine_tuning"
    assert list(decision_dict(decision, tree, sha256="x")["blockers"]) == ["training"]
    # The report still says what continued pretraining, the other fine-tuning, would need.
    assert "**Continued pretraining would need:**" in render_markdown(
        decision, tree, sha256="x", today=date(2026, 1, 1)
    )


def test_what_ifs_to_one_question_with_one_consequence_are_said_once(tree):
    decision = decision_for(tree, {**FT_READY, "budget": "unknown"})
    insight = explain(tree, decision)
    report = render_markdown(decision, tree, sha256="x", today=date(2026, 1, 1))
    budget = [line for line in report.splitlines() if "budget were" in line]
    # A known budget also opens the question of feedback data, which these answers leave out.
    assert budget == [
        "- **Fine-tuning with parameter-efficient fine-tuning (PEFT/LoRA)** if the budget were "
        "$10k to $100k, $100k to $1M or over $1M, assuming there were no feedback or grader."
    ]
    # The one line stands for entries that are each true on their own.
    assert sum(entry.question == "budget" for entry in insight.what_if) == 3


def test_a_what_if_keeps_the_answers_its_path_did_not_ask(tree):
    """With no budget nothing can change weights, so expertise and the timeline are not asked;
    but the answers say ML engineers and months, and a known budget would fine-tune with them.
    (Once the what-ifs assumed 'nobody on the team practised ML' and the budget decided nothing.)"""
    decision = decision_for(tree, {**FT_READY, "budget": "unknown"})
    assert decision.unused_answers == {"expertise": "ml_engineers", "timeline": "months"}
    insight = explain(tree, decision)
    entry = next(e for e in insight.what_if if (e.question, e.answer) == ("budget", "10k_to_100k"))
    assert entry.approach == "fine_tuning"
    assert "expertise" not in entry.assumed and "timeline" not in entry.assumed
    assert not any("nobody on the team practised ML" in e.summary for e in insight.what_if)
    assert insight.possible_approaches == ("prompt_engineering", "fine_tuning")
    # Without those answers, the default is assumed and said.
    unanswered = {key: value for key, value in FT_READY.items() if key not in ("expertise", "timeline")}
    bare = explain(tree, decision_for(tree, {**unanswered, "budget": "unknown"}))
    assert bare.possible_approaches == ("prompt_engineering",)
