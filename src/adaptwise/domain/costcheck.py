"""What `adaptwise check` finds in a tree's cost rules: an approach nobody prices, a model on
the wrong approach's row, a figure a model reads that the tree never states.

Without these checks a renamed assumption or a missing rule would only drop a row from the
cost table, and nobody would be told.
"""

from __future__ import annotations

from collections.abc import Iterator

from adaptwise.domain.cost_formulas import MODEL_APPROACH, MissingAssumption, model_arithmetic
from adaptwise.domain.cost_ranges import Range
from adaptwise.domain.findings import Finding
from adaptwise.domain.links import Path
from adaptwise.domain.model import APPROACHES, CostModel, Tree


def cost_rule_findings(tree: Tree) -> Iterator[Finding]:
    from adaptwise.domain.treecheck import condition_findings, dangling

    if not tree.cost_rules and not tree.assumptions:
        return  # a tree without costs: reports leave the cost table out
    unconditional: set[str] = set()
    for index, rule in enumerate(tree.cost_rules):
        here: Path = ("cost_rules", index)
        if MODEL_APPROACH[rule.model] != rule.approach:
            yield Finding(
                here + ("model",),
                f"the cost model '{rule.model}' prices {MODEL_APPROACH[rule.model]}, not {rule.approach}",
            )
        if rule.when:
            yield from condition_findings(tree, rule.when, here + ("when",), allow_approach=True)
        if rule.if_technique is not None and rule.if_technique not in tree.technique_by_id:
            yield dangling(here + ("if_technique",), rule.if_technique, "technique", tree)
        if not rule.when and rule.if_technique is None:
            unconditional.add(rule.approach)
        unstated = unstated_figures(tree, rule.model)
        if unstated:
            names = ", ".join(f"'{name}'" for name in unstated)
            yield Finding(
                here + ("model",),
                f"the cost model '{rule.model}' needs the assumption{'s' if len(unstated) > 1 else ''} "
                f"{names}, which the tree does not state",
                hint="add them under assumptions:",
            )
    for approach in APPROACHES:
        if approach not in unconditional:
            yield Finding(
                ("cost_rules",),
                f"no cost rule prices {approach} whatever the answers",
                hint=f"end {approach}'s rules with one that has no 'when' or 'if_technique'",
            )


def unstated_figures(tree: Tree, model: CostModel) -> list[str]:
    """The assumptions `model` reads that the tree does not state at all."""
    missing: list[str] = []
    while True:
        try:
            model_arithmetic(model, _Probe(tree, missing))
        except MissingAssumption as error:
            missing.append(str(error.args[0]))
        else:
            return missing


class _Probe:
    """Stands in for the figures: any stated assumption (or one already reported) is 1."""

    def __init__(self, tree: Tree, reported: list[str]):
        self.tree = tree
        self.reported = reported

    def __call__(self, assumption_id: str) -> Range:
        if assumption_id in self.tree.assumption_by_id or assumption_id in self.reported:
            return (1.0, 1.0)
        raise MissingAssumption(assumption_id)

    def optional(self, assumption_id: str) -> Range | None:
        return (1.0, 1.0) if assumption_id in self.tree.assumption_by_id else None

    def applies(self, assumption_id: str) -> bool:
        return assumption_id in self.tree.assumption_by_id
