"""The report a reviewer reads in one screen: the decision first, reference material in
`<details>`, and no contradictions between its parts, over the whole contract space.

The profiles name the shipped tree's ids on purpose: they are the answers contract.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from adaptwise.domain.answers import check_answers
from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide, decide_with_defaults
from adaptwise.domain.insight import explain, what_ifs_by_outcome
from adaptwise.domain.numbers import count, money, usd
from adaptwise.domain.report import analyse, main_flow, render_markdown
from adaptwise.domain.treecheck import check_tree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from bench_report import MAIN_FLOW_LIMIT, public_examples  # type: ignore[import-not-found]  # bench/ joins sys.path just above; the checker's path is src

EXAMPLES = public_examples()
TODAY = date(2026, 12, 1)
FIRST_SCREEN = 40


def report(tree, answers) -> tuple[Decision, str]:
    decision = decide_with_defaults(tree, check_answers(tree, answers)).decision
    return decision, render_markdown(decision, tree, sha256="0" * 64, today=TODAY)


def headings(markdown: str) -> list[tuple[int, str]]:
    """(line number from 1, text) of every `##` heading, from markdown-it's token stream."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        (token.map[0] + 1, tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2" and token.map
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_first_40_lines_are_the_decision(tree, name):
    decision, markdown = report(tree, EXAMPLES[name])
    first = "\n".join(markdown.splitlines()[:FIRST_SCREEN])
    assert first.startswith("# ") and "adaptwise recommendation" in first.splitlines()[0]
    assert f"\nRecommendation: {decision.approach_label}\n" in first
    assert f"**{decision.headline}**" in first
    why = re.search(r"^## Why\n\n((?:- .*\n)+)", first, re.MULTILINE)
    assert why, "a Why list"
    assert 3 <= why.group(1).count("\n") <= 5
    for ask in ("With what data?", "With what infrastructure?", "Whose budget?"):
        line = next(line for line in first.splitlines() if line.startswith(f"- **{ask}**"))
        assert line.removeprefix(f"- **{ask}**").strip(), f"{ask} answered or flagged"
    assert f"\n**Top risk:** {decision.risks[0]}\n" in first
    assert f"\n**First step:** {decision.next_steps[0]}\n" in first
    if decision.caveats:  # right after the first screen
        caveats = next(line for line, text in headings(markdown) if text == "Caveats")
        assert caveats <= FIRST_SCREEN


ORDER = [
    "Why",
    "The three questions",
    "Your answers, and what they meant",
    "What would change it",
    "Not recommended",
    "Cost and effort",
    "Sources",
    "The path",
    "Reproducibility",
]


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_sections_follow_in_order_and_the_main_flow_is_short(tree, name):
    _, markdown = report(tree, EXAMPLES[name])
    found = [text for _, text in headings(markdown) if text in ORDER]
    assert found == [text for text in ORDER if text in found]
    assert {"Why", "The three questions", "What would change it", "Reproducibility"} <= set(found)
    assert len(main_flow(markdown)) <= MAIN_FLOW_LIMIT
    assert markdown.count("<details>") == markdown.count("</details>") >= 3


def test_the_wizard_gets_the_same_report_without_html(tree):
    decision = decide_with_defaults(tree, check_answers(tree, EXAMPLES["knowledge-and-behaviour"])).decision
    collapsed = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    shown = render_markdown(decision, tree, sha256="0" * 64, today=TODAY, collapsible=False)
    assert "<details>" not in shown and "<summary>" not in shown
    assert "**How each range was reached**" in shown
    # The same lines, each summary as a bold title instead.
    unfolded = re.sub(r"^<summary>(.*)</summary>$", r"**\1**", collapsed, flags=re.MULTILINE)
    kept = [line for line in unfolded.splitlines() if line and line not in ("<details>", "</details>")]
    assert kept == [line for line in shown.splitlines() if line]


# --- no contradictions, over random complete profiles ------------------------------------------


@st.composite
def complete_answers(draw, tree):
    """A random walk of the tree to an outcome, each question answered with any of its answers."""
    from adaptwise.domain.engine import walk

    answers: dict[str, str] = {}
    while (pending := walk(tree, answers).pending) is not None:
        answers[pending.id] = draw(st.sampled_from(pending.answer_values))
    return answers


NESTED = re.compile(r"\([^()]*\([^()]*\)[^()]*\)")
PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.data())
def test_no_contradictions_anywhere_in_the_contract_space(tree, data):
    answers = data.draw(complete_answers(tree))
    decision = decide(tree, answers)
    analysis = analyse(tree, decision)
    markdown = render_markdown(decision, tree, sha256="0" * 64, today=TODAY)

    # Totals agree with the budget a stated requirement needs.
    for shortfall in decision.shortfalls:
        for item in shortfall.missing:
            if item.question != tree.roles.budget:
                continue
            needed = min(
                tree.assumption_by_id["budget_usd"].value({item.question: value})[0]
                for need in tree.requirement_needs[shortfall.requirement]
                if need.question == item.question
                for value in need.allowed
            )
            row = next(e for e in analysis.estimates if e.approach == shortfall.approach)
            assert row.total_usd[0] >= needed, (shortfall.label, row.total_usd)

    # A per-answer note is shown only for an answer that decided.
    section = markdown.split("## Your answers, and what they meant", 1)[1].split("\n## ", 1)[0]
    for step, line in zip(
        [s for s in decision.path if s.answer or not s.question.is_text],
        [line for line in section.splitlines() if re.match(r"\d+\. ", line)],
        strict=True,
    ):
        assert ("*(decisive)*" in line) == step.decisive
    if decision.approach == "prompt_engineering":
        assert "Enough for parameter-efficient fine-tuning" not in markdown

    # What-ifs: each outcome once, no nested brackets.
    lines = what_ifs_by_outcome(tree, decision, explain(tree, decision))
    outcomes = [line.split("**")[1] for line in lines]
    assert len(outcomes) == len(set(outcomes))
    assert not any(NESTED.search(line) for line in lines)

    # Numbers: never "<$0.01", and cross-references point the right way.
    assert "<$" not in markdown and "<0.01" not in markdown
    assert "listed above" not in markdown
    if "listed below" in markdown:  # the missing pieces it means are below it
        assert "would need:" in markdown[markdown.index("listed below") :]


def test_the_issue_what_if_groups(tree):
    answers = {
        "base_models": "behavior_gap",
        "proprietary_data": "curated_examples",
        "data_quality": "reviewed",
        "budget": "10k_to_100k",
        "infrastructure": "cloud",
        "expertise": "ml_engineers",
    }
    decision, _ = report(tree, answers)
    lines = what_ifs_by_outcome(tree, decision, explain(tree, decision))
    few_shot = next(line for line in lines if line.startswith("**Prompt engineering with few-shot prompting**"))
    assert few_shot.startswith("**Prompt engineering with few-shot prompting** if any of: ")
    assert "the budget were under $10k" in few_shot and "hosted model API" in few_shot


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.004, "under $1"),
        (0.5, "under $1"),
        (133, "$130"),
        (3500, "$3.5k"),
        (94_400, "$94k"),
        (99_999, "$100k"),
        (495_450, "$500k"),
        (1.3e6, "$1.3M"),
        (2e9, "$2B"),
    ],
)
def test_money_has_two_significant_figures(value, written):
    assert money(value) == written


def test_ranges_never_start_below_what_can_be_written():
    assert usd((0.001, 234)) == "up to $230"
    assert count((0.004, 58)) == "up to 58"
    assert count((0.001, 0.05)) == "under 0.1"
    assert count((112, 495_450)) == "110–500,000"


def test_every_assumption_source_must_exist(tree):
    from dataclasses import replace

    broken = replace(tree.assumptions[0], sources=("no_such_source",))
    problems = list(check_tree(replace(tree, assumptions=(broken, *tree.assumptions[1:]))))
    assert any("no_such_source" in str(problem) for problem in problems)
    assert not [p for p in check_tree(tree) if "source" in str(p)]


# --- the combination of unknowns that decides ----------------------------------------------------

#: Answers on the path of a behaviour gap with curated examples; the path asks expertise
#: only once the data and budget are known, so two unknowns leave it unanswered.
UNSURE_TWICE = {
    "task": "text_generation",
    "current_solution": "none",
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "unknown",
    "budget": "unknown",
    "infrastructure": "cloud",
    "data_residency": "cloud_ok",
}


@pytest.fixture(scope="module")
def hopeful_tree(tree):
    """The shipped tree with expertise defaulting to ML engineers: "Not sure" answers that
    open the expertise question then leave fine-tuning possible. (With the shipped default,
    no expertise, no two unknowns of the contract space leave two approaches open.)"""
    from dataclasses import replace

    questions = tuple(replace(q, default="ml_engineers") if q.id == "expertise" else q for q in tree.questions)
    return replace(tree, questions=questions)


def test_two_unknowns_name_the_combination_that_decides(hopeful_tree):
    from adaptwise.domain.engine import with_defaults

    decision = decide(hopeful_tree, with_defaults(hopeful_tree, UNSURE_TWICE))
    insight = explain(hopeful_tree, decision)
    assert insight.possible_approaches == ("prompt_engineering", "fine_tuning")
    assert insight.decisive is not None
    assert insight.decisive.summary == (
        "If the data had been reviewed *and* the budget were $10k to $100k, $100k to $1M or over $1M "
        "→ Fine-tuning; otherwise → Prompt engineering."
    )
    markdown = render_markdown(decision, hopeful_tree, sha256="0" * 64, today=TODAY)
    assert insight.decisive.summary in "\n".join(markdown.splitlines()[:FIRST_SCREEN])


def test_one_unknown_keeps_the_sentence_per_answer(hopeful_tree):
    from adaptwise.domain.engine import with_defaults

    answers = with_defaults(hopeful_tree, {**UNSURE_TWICE, "data_quality": "reviewed"})
    insight = explain(hopeful_tree, decide(hopeful_tree, answers))
    assert insight.decisive is not None
    assert insight.decisive.summary.startswith("Your answer depends on the budget: if it is under $10k, then ")


# --- cost rows follow the techniques ------------------------------------------------------------


@pytest.fixture(scope="module")
def self_hosting_tree(tree):
    """The shipped tree with the two cost rules that price prompting on GPUs of your own."""
    from dataclasses import replace

    from adaptwise.domain.declarations import CostRule

    rules = (
        CostRule(
            "self_hosted_retrieval",
            "prompt_engineering",
            "self_hosted_prompting_with_retrieval",
            when={"data_residency": "on_premises"},
            if_technique="retrieval",
        ),
        CostRule("self_hosted", "prompt_engineering", "self_hosted_prompting", if_technique="self_hosted"),
    )
    return replace(tree, cost_rules=(*rules, *tree.cost_rules))


def test_prompting_on_premises_costs_a_gpu_server_not_api_calls(self_hosting_tree):
    tree = self_hosting_tree
    assert not [finding for finding in check_tree(tree) if "cost" in str(finding)]
    answers = {"base_models": "sufficient", "data_residency": "on_premises", "infrastructure": "own_gpus"}
    decision = decide_with_defaults(tree, check_answers(tree, answers)).decision
    assert decision.approach == "prompt_engineering" and "self_hosted" in decision.techniques
    row = next(e for e in analyse(tree, decision).estimates if e.approach == "prompt_engineering")
    assert row.label == "Prompt engineering on a self-hosted model"
    assert not any(line.startswith("API calls") for line in row.basis)
    assert any(line.startswith("Serving the open-weights model on your GPUs") for line in row.basis)
    assert {"hosting_gpu_hours_per_month", "gpu_hour_usd"} <= set(row.assumptions)
