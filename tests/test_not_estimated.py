"""Issue 21 §3: a cost row the tree cannot price for the answers is shown as "not estimated:
<why>" in its place, in the Markdown and in the JSON, never silently dropped.

Each test declares the small tree it needs: one question (the task), two outcomes, one
cost rule per approach, and every figure those rules read stated (as [1, 2] but the
utilisation, a fraction), except
`classic_people_days`, which the tree states for records only. `check` passes such a tree
(the figure exists), yet for a text task the training row cannot be priced.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from treebuilder import build_tree, outcome, question, route

from adaptwise.domain.cost_formulas import FORMULAS
from adaptwise.domain.costs import CostContext, Estimate, NotEstimated, estimate_all
from adaptwise.domain.engine import decide
from adaptwise.domain.model import APPROACHES, CostModel, Tree
from adaptwise.domain.report import cost_bars, decision_dict, render_markdown

TODAY = date(2026, 3, 14)
MODELS: dict[str, CostModel] = {"prompt_engineering": "prompting", "fine_tuning": "peft", "training": "classic_model"}
#: What the training row lacks for a text task, as a reader is told.
WHY = (
    "the tree has no figure for features, validation, tuning and deployment by one analyst "
    "(assumption classic_people_days) for the answer 'Text' to 'What about task?'"
)


def spec(*, people_for_text: bool = False) -> dict[str, Any]:
    """The tree; with `people_for_text`, the classic model's people are stated for text too."""
    read = {name for model in MODELS.values() for name in FORMULAS[model].row_reads.assumptions}
    figures: list[dict[str, Any]] = [
        {"id": name, "about": name.replace("_", " "), "unit": "units", "range": [0.3, 0.5] if name == "mfu" else [1, 2]}
        for name in sorted(read - {"classic_people_days"})
    ]
    people = {"records": [10, 20], **({"text": [30, 40]} if people_for_text else {})}
    figures.append(
        {
            "id": "classic_people_days",
            "about": "features, validation, tuning and deployment by one analyst",
            "unit": "person-days",
            "question": "task",
            "per_answer": people,
        }
    )
    return {
        "questions": [question("task", ["text", "records"], next="decide")],
        "routes": [route("decide", [({"task": "records"}, "classic")], otherwise="prompting")],
        "outcomes": [outcome("prompting"), outcome("classic", approach="training")],
        "cost_rules": [{"id": model, "approach": approach, "model": model} for approach, model in MODELS.items()],
        "assumptions": figures,
    }


@pytest.fixture(scope="module")
def partial(tmp_path_factory) -> Tree:
    return build_tree(spec(), tmp_path_factory.mktemp("partial"))


def rows_for(tree: Tree, task: str) -> tuple[Estimate | NotEstimated, ...]:
    decision = decide(tree, {"task": task})
    return estimate_all(tree, CostContext(decision.answers, decision.techniques, decision.approach))


def test_a_row_the_tree_cannot_price_stays_in_its_place_and_says_why(partial):
    rows = rows_for(partial, "text")
    assert [row.approach for row in rows] == list(APPROACHES)
    assert isinstance(rows[0], Estimate) and isinstance(rows[1], Estimate)
    assert rows[2] == NotEstimated("training", "Training", WHY)


def test_the_same_tree_prices_every_row_for_the_answers_it_covers(partial):
    assert all(isinstance(row, Estimate) for row in rows_for(partial, "records"))


def test_a_missing_cost_rule_names_the_approach():
    """A tree that skipped `check` (no rule prices fine-tuning) still gets a row for it."""
    tree = build_tree(spec(people_for_text=True))
    unruled = dataclasses.replace(tree, cost_rules=tuple(r for r in tree.cost_rules if r.approach != "fine_tuning"))
    rows = rows_for(unruled, "text")
    assert rows[1] == NotEstimated(
        "fine_tuning", "Fine-tuning", "none of the tree's cost rules prices fine-tuning for these answers"
    )


def cost_section(markdown: str) -> str:
    return markdown.split("## Cost and effort", 1)[1].split("\n## ", 1)[0]


def test_markdown_shows_not_estimated_in_place_of_the_figures(partial):
    decision = decide(partial, {"task": "text"})
    section = cost_section(render_markdown(decision, partial, sha256="0" * 64, today=TODAY))
    table = [line for line in section.splitlines() if line.startswith("| ")]
    assert [line.split(" | ", 1)[0] for line in table[1:]] == [
        "| Prompt engineering (recommended)",
        "| Fine-tuning (PEFT/LoRA)",
        "| Training",
    ]
    assert table[3] == f"| Training | not estimated: {WHY} |  |  |  |  |  |"
    assert f"  - Not estimated: {WHY}" in section  # and in how each range was reached
    chart = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert "Prompt engineering" in chart and "Fine-tuning" in chart and "Training" not in chart
    assert "over budget" not in section.lower()  # no budget claim either way for the row


def test_json_gives_the_row_with_why_in_place_of_the_figures(partial):
    decision = decide(partial, {"task": "text"})
    costs = decision_dict(decision, partial, sha256="0" * 64)["costs"]
    assert list(costs) == list(APPROACHES)
    assert costs["training"] == {"label": "Training", "not_estimated": WHY}
    assert "total_usd" in costs["fine_tuning"] and "not_estimated" not in costs["fine_tuning"]


def test_a_tree_that_prices_every_row_shows_no_such_row(tmp_path):
    tree = build_tree(spec(people_for_text=True), tmp_path)
    decision = decide(tree, {"task": "text"})
    assert "not estimated" not in render_markdown(decision, tree, sha256="0" * 64, today=TODAY)
    costs = decision_dict(decision, tree, sha256="0" * 64)["costs"]
    assert all("not_estimated" not in row and "total_usd" in row for row in costs.values())


def test_the_chart_skips_unpriced_rows_and_is_empty_without_any():
    unpriced = tuple(NotEstimated(approach, approach, "no figures") for approach in APPROACHES)
    assert cost_bars(unpriced, "training") == []
    assert cost_bars((), "training") == []


def test_recommend_json_end_to_end(run_cli, tmp_path):
    build_tree(spec(), tmp_path)
    (path,) = Path(tmp_path).glob("tree_*.yaml")
    result = run_cli("recommend", "--tree", path, "--task=text", "--defaults", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    costs = json.loads(result.stdout)["costs"]
    assert costs["training"] == {"label": "Training", "not_estimated": WHY}
    assert costs["prompt_engineering"]["total_usd"]


def test_a_figure_the_tree_lacks_altogether_is_named_and_no_row_crashes_the_report(partial):
    """A tree that skipped `check` and lacks the day rate every row reads: three rows say so,
    the chart is left out, and nothing claims to fit the budget."""
    tree = dataclasses.replace(partial, assumptions=tuple(a for a in partial.assumptions if a.id != "person_day_usd"))
    why = "the tree has no assumption person_day_usd, which this estimate needs"
    assert rows_for(tree, "records") == tuple(
        NotEstimated(approach, label, why)
        for approach, label in (
            ("prompt_engineering", "Prompt engineering"),
            ("fine_tuning", "Fine-tuning"),
            ("training", "Training"),
        )
    )
    section = cost_section(render_markdown(decide(tree, {"task": "records"}), tree, sha256="0" * 64, today=TODAY))
    assert section.count(f"| not estimated: {why} |") == 3
    assert "```text" not in section and "over budget" not in section.lower()
    assert "assumptions used" not in section


def test_a_tree_that_declares_no_costs_has_no_cost_table(tmp_path):
    """No cost rules and no assumptions: the report leaves costs out, rather than listing
    every approach as not estimated."""
    tree = build_tree(
        {"questions": [question("task", ["text", "records"], next="done")], "outcomes": [outcome("done")]}, tmp_path
    )
    decision = decide(tree, {"task": "text"})
    markdown = render_markdown(decision, tree, sha256="0" * 64, today=date(2024, 1, 1))
    assert "## Cost and effort" not in markdown and "not estimated" not in markdown
    assert decision_dict(decision, tree, sha256="0" * 64)["costs"] in ({}, [])
