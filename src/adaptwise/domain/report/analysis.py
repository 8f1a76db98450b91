"""What every view of a report shares: the analysis of a decision beyond the decision itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adaptwise.domain.costs import CostContext, CostRow, Estimate, Range, budget_floors, estimate_all, estimated
from adaptwise.domain.decision import Decision
from adaptwise.domain.insight import Insight, blockers, explain
from adaptwise.domain.model import Tree


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything a report says beyond the decision itself: what-ifs, unknowns, costs."""

    insight: Insight
    blockers: dict[str, list[str]]
    costs: tuple[CostRow, ...]
    """A row per approach, in order: its estimate, or why the tree could not price it."""
    overrides: Mapping[str, Range]

    @property
    def estimates(self) -> tuple[Estimate, ...]:
        """The rows with figures: what sums, charts and the budget check read."""
        return estimated(self.costs)


def analyse(tree: Tree, decision: Decision, overrides: Mapping[str, Range] | None = None) -> Analysis:
    context = CostContext(decision.answers, decision.techniques, decision.approach)
    # An approach the report says needs a budget band costs at least that band's floor.
    floors = budget_floors(tree, ((s.requirement, s.approach, s.label) for s in decision.shortfalls))
    costs = estimate_all(tree, context, overrides, floors)
    return Analysis(explain(tree, decision), blockers(decision), costs, overrides or {})
