"""The JSON contract (`--format json`): the decision as typed, JSON-ready data.

Each `TypedDict` below is one object of the contract, its keys in the order they are
written out; `render_json` is the contract as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NotRequired, TypedDict

from adaptwise.domain.costs import CostRow, NotEstimated, Range, with_overrides
from adaptwise.domain.decision import Decision, Step
from adaptwise.domain.insight import Insight
from adaptwise.domain.lineage import TreeStamp
from adaptwise.domain.literal_text import json_text
from adaptwise.domain.model import Tree
from adaptwise.domain.report.analysis import analyse

#: An answer as data: one value, or a list of them for a question that takes several.
AnswerData = str | list[str]


class PathStep(TypedDict):
    question: str
    prompt: str
    answer: AnswerData
    label: str
    meant: str
    decisive: bool


class PlannedQuestion(TypedDict):
    ask: str
    answer: str
    open: bool
    notes: list[str]


class Rejected(TypedDict):
    approach: str
    label: str
    why: str


class Missing(TypedDict):
    question: str
    need: str
    have: str


class Shortfall(TypedDict):
    requirement: str
    approach: str
    label: str
    missing: list[Missing]


class SourceData(TypedDict):
    id: str
    title: str
    where: str


class WhatIf(TypedDict):
    question: str
    answer: AnswerData
    approach: str
    techniques: list[str]
    assumed: dict[str, AnswerData]
    summary: str


class DecisiveAnswer(TypedDict):
    answer: AnswerData
    label: str
    approaches: list[str]


class DecisiveQuestion(TypedDict):
    question: str
    prompt: str
    summary: str
    answers: list[DecisiveAnswer]


class Cost(TypedDict):
    label: str
    compute_usd: list[float]
    gpu_hours: list[float] | None
    memory_gb: list[float] | None
    elapsed_weeks: list[float]
    people_days: list[float]
    total_usd: list[float]
    over_budget: bool
    basis: list[str]
    assumptions: list[str]


class NotEstimatedCost(TypedDict):
    """An approach's row the tree could not price for these answers, in place of its figures."""

    label: str
    not_estimated: str
    """Why, in plain words: the cost rule or the figure the tree lacks."""


class AssumptionData(TypedDict):
    about: str
    unit: str
    value: list[float] | None
    overridden: bool


class BaseStamp(TypedDict):
    version: str
    sha256: str


class TreeData(TypedDict):
    version: str
    sha256: str
    bases: NotRequired[list[BaseStamp]]
    """A company tree's: the trees it extends, nearest first."""


class DecisionContract(TypedDict):
    approach: str
    approach_label: str
    outcome: str
    headline: str
    techniques: list[str]
    path: list[PathStep]
    rationale: list[str]
    questions: dict[str, PlannedQuestion]
    caveats: list[str]
    risks: list[str]
    next_steps: list[str]
    not_recommended: list[Rejected]
    shortfalls: list[Shortfall]
    sources: list[SourceData]
    blockers: dict[str, list[str]]
    what_if: list[WhatIf]
    possible_approaches: list[str]
    decisive_question: DecisiveQuestion | None
    costs: dict[str, Cost | NotEstimatedCost]
    assumptions: dict[str, AssumptionData]
    answers: dict[str, AnswerData]
    unused_answers: dict[str, AnswerData]
    tree: TreeData


def decision_dict(
    decision: Decision,
    tree: Tree,
    *,
    sha256: str,
    overrides: Mapping[str, Range] | None = None,
    bases: tuple[TreeStamp, ...] = (),
) -> DecisionContract:
    """The decision as JSON-ready data (the `--format json` contract)."""
    analysis = analyse(tree, decision, overrides)
    insight = analysis.insight
    return {
        "approach": decision.approach,
        "approach_label": decision.approach_label,
        "outcome": decision.outcome,
        "headline": decision.headline,
        "techniques": list(decision.techniques),
        "path": [_path_step(step) for step in decision.path],
        "rationale": list(decision.rationale),
        "questions": {
            plan.id: {"ask": plan.ask, "answer": plan.answer(), "open": plan.open, "notes": list(plan.notes)}
            for plan in decision.plan
        },
        "caveats": list(decision.caveats),
        "risks": list(decision.risks),
        "next_steps": list(decision.next_steps),
        "not_recommended": [
            {"approach": item.approach, "label": item.label, "why": item.why} for item in decision.not_recommended
        ],
        "shortfalls": [
            {
                "requirement": shortfall.requirement,
                "approach": shortfall.approach,
                "label": shortfall.label,
                "missing": [
                    {"question": item.question, "need": item.need, "have": item.have} for item in shortfall.missing
                ],
            }
            for shortfall in decision.shortfalls
        ],
        "sources": [{"id": source.id, "title": source.title, "where": source.where} for source in decision.sources],
        "blockers": analysis.blockers,
        "what_if": [
            {
                "question": entry.question,
                "answer": tree.question_by_id[entry.question].as_data(entry.answer),
                "approach": entry.approach,
                "techniques": list(entry.techniques),
                "assumed": tree.answers_data(entry.assumed),
                "summary": entry.summary,
            }
            for entry in insight.what_if
        ],
        "possible_approaches": list(insight.possible_approaches),
        "decisive_question": _decisive_question(tree, insight),
        "costs": {row.approach: _cost(row) for row in analysis.costs},
        "assumptions": {
            assumption.id: {
                "about": assumption.about,
                "unit": assumption.unit,
                "value": list(value) if (value := assumption.value(dict(decision.answers))) else None,
                "overridden": assumption.id in analysis.overrides,
            }
            for assumption in with_overrides(tree, analysis.overrides)
        },
        "answers": tree.answers_data(decision.answers),
        "unused_answers": tree.answers_data(decision.unused_answers),
        "tree": _tree_data(tree, sha256, bases),
    }


def _path_step(step: Step) -> PathStep:
    return {
        "question": step.question.id,
        "prompt": step.question.prompt,
        "answer": step.question.as_data(step.answer),
        "label": step.label,
        "meant": step.meant,
        "decisive": step.decisive,
    }


def _decisive_question(tree: Tree, insight: Insight) -> DecisiveQuestion | None:
    decisive = insight.decisive
    if decisive is None:
        return None
    question = tree.question_by_id[decisive.question]
    return {
        "question": decisive.question,
        "prompt": decisive.prompt,
        "summary": decisive.summary,
        "answers": [
            {"answer": question.as_data(branch.answer), "label": branch.label, "approaches": list(branch.approaches)}
            for branch in decisive.branches
        ],
    }


def _cost(row: CostRow) -> Cost | NotEstimatedCost:
    if isinstance(row, NotEstimated):
        return {"label": row.label, "not_estimated": row.why}
    return {
        "label": row.label,
        "compute_usd": list(row.compute_usd),
        "gpu_hours": list(row.gpu_hours) if row.gpu_hours else None,
        "memory_gb": list(row.memory_gb) if row.memory_gb else None,
        "elapsed_weeks": list(row.elapsed_weeks),
        "people_days": list(row.people_days),
        "total_usd": list(row.total_usd),
        "over_budget": row.over_budget,
        "basis": list(row.basis),
        "assumptions": list(row.assumptions),
    }


def _tree_data(tree: Tree, sha256: str, bases: tuple[TreeStamp, ...]) -> TreeData:
    data: TreeData = {"version": tree.version, "sha256": sha256}
    if bases:
        data["bases"] = [{"version": base.version, "sha256": base.sha256} for base in bases]
    return data


def render_json(
    decision: Decision,
    tree: Tree,
    *,
    sha256: str,
    overrides: Mapping[str, Range] | None = None,
    bases: tuple[TreeStamp, ...] = (),
) -> str:
    data = decision_dict(decision, tree, sha256=sha256, overrides=overrides, bases=bases)
    return json_text(data)
