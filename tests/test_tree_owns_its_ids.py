"""The tree owns its ids: rename every question id and every answer value of the shipped tree,
mechanically, and every decision, cost figure and what-if comes out the same, renamed.

Python that named a question or answer of the shipped tree (a cost variant keyed on one
answer, a list of techniques worth a what-if, the initiative's question) would lose its
feature in the renamed tree, and these tests would see it.
"""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptwise.domain.costs import CostContext, estimate_all, estimated
from adaptwise.domain.engine import decide, walk, with_defaults
from adaptwise.domain.insight import explain
from adaptwise.domain.report import render_markdown
from adaptwise.files.trees import load_tree, shipped_tree_path
from adaptwise.files.yamlsafe import load_yaml_file

from profiles import FT_READY, P6, PUBLIC

NODE_KEYS = ("start", "next", "then", "otherwise")
CONDITION_KEYWORDS = ("meets", "approach")


class Renaming:
    """A mechanical renaming: question ids q01, q02, ... and each question's values v1, v2, ..."""

    def __init__(self, data: dict[str, Any]):
        self.question = {q["id"]: f"q{i:02d}" for i, q in enumerate(data["questions"], start=1)}
        self.value = {
            q["id"]: {o["value"]: f"v{j}" for j, o in enumerate(q.get("options", []), start=1)}
            for q in data["questions"]
        }

    def node(self, node_id: str) -> str:
        return self.question.get(node_id, node_id)

    def answer(self, question_id: str, value: str) -> str:
        values = self.value[question_id]
        parts = value.split(",")
        if len(parts) > 1 and all(part in values for part in parts):  # several answers, in option order
            return ",".join(values[part] for part in parts)
        return values.get(value, value)  # free text stays as typed

    def answers(self, answers: dict[str, str]) -> dict[str, str]:
        return {self.question[key]: self.answer(key, value) for key, value in answers.items()}

    def condition(self, when: dict[str, Any]) -> dict[str, Any]:
        renamed: dict[str, Any] = {}
        for key, expected in when.items():
            if key == "any":  # conditions of their own, any of which holds
                renamed[key] = [self.condition(part) for part in expected]
            elif key in CONDITION_KEYWORDS:
                renamed[key] = expected
            elif isinstance(expected, str):
                renamed[self.question[key]] = self.answer(key, expected)
            else:
                renamed[self.question[key]] = [self.answer(key, value) for value in expected]
        return renamed

    def tree(self, data: dict[str, Any]) -> dict[str, Any]:
        asked = {a["id"]: a["question"] for a in data.get("assumptions", []) if "question" in a}
        data = dict(data)
        data["start"] = self.node(data["start"])
        data["roles"] = {role: self.question[qid] for role, qid in data.get("roles", {}).items()}
        data["questions"] = [self._question(q) for q in data["questions"]]
        data["routes"] = [
            {
                **route,
                "rules": [
                    {**rule, "when": self.condition(rule["when"]), "then": self.node(rule["then"])}
                    for rule in route["rules"]
                ],
                "otherwise": self.node(route["otherwise"]),
            }
            for route in data["routes"]
        ]
        data["modifiers"] = [{**m, "when": self.condition(m["when"])} for m in data.get("modifiers", [])]
        data["requirements"] = [
            {
                **r,
                "needs": [
                    {
                        **n,
                        "question": self.question[n["question"]],
                        "allowed": [self.answer(n["question"], v) for v in n["allowed"]],
                    }
                    for n in r["needs"]
                ],
            }
            for r in data.get("requirements", [])
        ]
        data["plan_questions"] = [
            {
                **p,
                "answered_from": [self.question[q] for q in p["answered_from"]],
                "open_when": [{**o, "when": self.condition(o["when"])} for o in p.get("open_when", [])],
            }
            for p in data["plan_questions"]
        ]
        data["assumptions"] = [self._assumption(a) for a in data.get("assumptions", [])]
        if "cost_rules" in data:
            data["cost_rules"] = [
                {**rule, "when": self.condition(rule["when"])} if "when" in rule else rule
                for rule in data["cost_rules"]
            ]
        renamed = self._figures(data, asked)
        assert isinstance(renamed, dict)
        return renamed

    def _figures(self, value: Any, asked: dict[str, str]) -> Any:
        """Figures cited in text, `{budget_usd.under_10k.high}`, name the renamed answer."""
        if isinstance(value, dict):
            return {key: self._figures(item, asked) for key, item in value.items()}
        if isinstance(value, list):
            return [self._figures(item, asked) for item in value]
        if not isinstance(value, str):
            return value

        def cite(found: re.Match[str]) -> str:
            name, answer, end = found.groups()
            return f"{{{name}.{self.answer(asked[name], answer)}.{end}}}" if name in asked else found.group(0)

        return re.sub(r"\{([a-z0-9_]+)\.([a-z0-9_]+)\.(low|high)\}", cite, value)

    def _question(self, question: dict[str, Any]) -> dict[str, Any]:
        qid = question["id"]
        renamed = {**question, "id": self.question[qid]}
        for key in ("next",):
            if key in renamed:
                renamed[key] = self.node(renamed[key])
        if "default" in renamed:
            renamed["default"] = self.answer(qid, renamed["default"])
        renamed["options"] = [
            {**o, "value": self.answer(qid, o["value"]), **({"next": self.node(o["next"])} if "next" in o else {})}
            for o in question.get("options", [])
        ]
        if not renamed["options"]:
            del renamed["options"]
        return renamed

    def _assumption(self, assumption: dict[str, Any]) -> dict[str, Any]:
        if "question" not in assumption:
            return assumption
        qid = assumption["question"]
        return {
            **assumption,
            "question": self.question[qid],
            "per_answer": {self.answer(qid, v): r for v, r in assumption["per_answer"].items()},
        }


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    """(original loaded tree, renamed loaded tree, the renaming)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")
        data = load_yaml_file(shipped_tree_path(), what="decision tree", max_bytes=4 << 20).data
        renaming = Renaming(data)
        path = Path(tmp_path_factory.mktemp("renamed")) / "renamed_tree.yaml"
        path.write_text(yaml.safe_dump(renaming.tree(data), sort_keys=False, allow_unicode=True), encoding="utf-8")
        renamed = load_tree(path)
        original = load_tree()
    # Nothing of the shipped ids survives in the renamed tree's questions.
    assert not set(renaming.question) & {q.id for q in renamed.tree.questions}
    return original, renamed, renaming


def observed(tree, answers):
    """Everything the ids could change: the decision, the cost figures and the what-ifs."""
    decision = decide(tree, with_defaults(tree, answers))
    context = CostContext(decision.answers, decision.techniques, decision.approach)
    costs = [
        (e.approach, e.label, e.total_usd, e.gpu_hours, e.people_days, e.memory_gb, e.over_budget)
        for e in estimated(estimate_all(tree, context))
    ]
    insight = explain(tree, decision)
    what_ifs = [(w.question, w.answer, w.approach, w.techniques) for w in insight.what_if]
    unsure = (insight.possible_approaches, insight.unsure, insight.decisive and insight.decisive.question)
    return decision, costs, (what_ifs, unsure)


def renamed_what_ifs(renaming, insight):
    what_ifs, (possible, unsure, decisive) = insight
    return (
        [
            (renaming.question[q], renaming.answer(q, a), approach, techniques)
            for q, a, approach, techniques in what_ifs
        ],
        (possible, tuple(renaming.question[q] for q in unsure), decisive and renaming.question[decisive]),
    )


PROFILES = {example.name: example.answers for example in PUBLIC} | {"fine-tuning-ready": FT_READY, "principle-6": P6}


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_a_renamed_tree_decides_costs_and_explains_the_same(trees, name):
    original, renamed, renaming = trees
    answers = {"initiative": "Claims triage", **PROFILES[name]}
    before, before_costs, before_what_ifs = observed(original.tree, answers)
    after, after_costs, after_what_ifs = observed(renamed.tree, renaming.answers(answers))
    assert (after.approach, after.techniques, after.outcome) == (before.approach, before.techniques, before.outcome)
    assert after_costs == before_costs
    assert after_what_ifs == renamed_what_ifs(renaming, before_what_ifs)
    assert before_costs, "the cost table is empty"


def test_the_renamed_report_keeps_its_title_and_budget_line(trees):
    original, renamed, renaming = trees
    answers = {"initiative": "Claims triage", **FT_READY, "budget": "under_10k"}
    decision = decide(renamed.tree, with_defaults(renamed.tree, renaming.answers(answers)))
    report = render_markdown(decision, renamed.tree, sha256=renamed.sha256, today=date(2026, 3, 14))
    assert report.startswith("# Claims triage: adaptwise recommendation")
    assert "**Over budget:**" in report


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_any_walk_decides_the_same_in_the_renamed_tree(trees, seed):
    original, renamed, renaming = trees
    rng = random.Random(seed)
    answers: dict[str, str] = {}
    while (pending := walk(original.tree, answers).pending) is not None:
        answers[pending.id] = "" if pending.is_text else rng.choice(pending.answer_values)
    before, before_costs, before_what_ifs = observed(original.tree, answers)
    after, after_costs, after_what_ifs = observed(renamed.tree, renaming.answers(answers))
    assert (after.approach, after.techniques, after.outcome) == (before.approach, before.techniques, before.outcome)
    assert after_costs == before_costs
    assert after_what_ifs == renamed_what_ifs(renaming, before_what_ifs)


# --- check verifies what the code relies on ---------------------------------------------------

SHIPPED = shipped_tree_path().read_text(encoding="utf-8")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    assert SHIPPED.count(old) == 1, old
    path = tmp_path / "tree.yaml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "at", "says"),
    [
        (
            "  initiative: initiative ",
            "  initiative: initiatve ",
            "initiative: initiatve",
            "unknown question 'initiatve'",
        ),
        (
            "  budget: budget ",
            "  budget: budget_owner ",
            "budget: budget_owner ",
            "the budget role needs a choice question",
        ),
        (
            "  - id: gpu_hour_usd\n",
            "  - id: gpu_hour_eur\n",
            "model: peft",
            "the cost model 'peft' needs the assumption 'gpu_hour_usd', which the tree does not state",
        ),
        (
            "    model: pretraining\n",
            "    model: peft  # on the training row\n",
            "# on the training row",
            "the cost model 'peft' prices fine_tuning, not training",
        ),
        (
            "    model: prompting_with_retrieval\n    if_technique: retrieval\n",
            "    model: prompting_with_retrieval\n    if_technique: retreival\n",
            "if_technique: retreival",
            "unknown technique 'retreival'",
        ),
        (
            "  - id: prompting\n    approach: prompt_engineering\n    model: prompting\n",
            "",
            "id: self_hosted_prompting_with_retrieval",
            "no cost rule prices prompt_engineering whatever the answers",
        ),
    ],
    ids=[
        "dangling-role",
        "role-of-the-wrong-kind",
        "unstated-figure",
        "model-on-the-wrong-row",
        "unknown-technique",
        "unpriced-approach",
    ],
)
def test_check_reports_what_the_code_relies_on(run_cli, tmp_path, old, new, at, says):
    path = edited(tmp_path, old, new)
    result = run_cli("check", path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    located = [line for line in result.stderr.splitlines() if says in line]
    assert located, result.stderr
    assert any(line.startswith(f"{path}:{line_of(path, at)}:") for line in located), (located, line_of(path, at))
