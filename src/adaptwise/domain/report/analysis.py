"""What every view of a report shares: the analysis of a decision beyond the decision itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adaptwise.domain.costs import CostContext, Estimate, Range, budget_floors, estimate_all
from adaptwise.domain.decision import Decision
from adaptwise.domain.insight import Insight, blockers, explain
from adaptwise.domain.model import Tree


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything a report says beyond the decision itself: what-ifs, unknowns, costs."""

    insight: Insight
    blockers: dict[str, list[str]]
    estimates: tuple[Estimate, ...]
    overrides: Mapping[str, Range]


def analyse(tree: Tree, decision: Decision, overrides: Mapping[str, Range] | None = None) -> Analysis:
    context = CostContext(decision.answers, decision.techniques, decision.approach)
    # An approach the report says needs a budget band costs at least that band's floor.
    floors = budget_floors(tree, ((s.requirement, s.approach, s.label) for s in decision.shortfalls))
    estimates = estimate_all(tree, context, overrides, floors)
    return Analysis(explain(tree, decision), blockers(decision), estimates, overrides or {})
