"""What `adaptwise check` finds in a tree's cost rules: an approach nobody prices, a model on
the wrong approach's row, a figure a model's row reads that the tree never states.

Each formula declares what its row reads (`cost_formulas.Formula.row_reads`: its own
figures and the row total's), and the estimate can read nothing else, so checking the
declarations of the models the rules name covers every figure an estimate can need. For a
company tree the finding refers to the missing ids, and the files layer places it at the
`remove:` entry that dropped one, as it does any reference a removal leaves dangling.
"""

from __future__ import annotations

from collections.abc import Iterator

from adaptwise.domain.cost_formulas import FORMULAS
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path
from adaptwise.domain.model import APPROACHES, CostModel, Tree


def cost_rule_findings(tree: Tree) -> Iterator[Finding]:
    from adaptwise.domain.treecheck import condition_findings, dangling

    if not tree.cost_rules and not tree.assumptions:
        return  # a tree without costs: reports leave the cost table out
    unconditional: set[str] = set()
    for index, rule in enumerate(tree.cost_rules):
        here: Path = ("cost_rules", index)
        priced = FORMULAS[rule.model].approach
        if priced != rule.approach:
            yield Finding(
                here + ("model",),
                f"the cost model '{rule.model}' prices {priced}, not {rule.approach}",
                code="model-of-another-approach",
                refers_to=(Target("cost_rule", rule.id),),
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
                f"{names}, which the tree does not state, so its {rule.approach} row could not be estimated",
                hint="add them under assumptions:",
                code="undeclared-figure",
                refers_to=tuple(Target("assumption", name) for name in unstated),
            )
    for approach in APPROACHES:
        if approach not in unconditional:
            yield Finding(
                ("cost_rules",),
                f"no cost rule prices {approach} whatever the answers",
                hint=f"end {approach}'s rules with one that has no 'when' or 'if_technique'",
                code="unpriced-approach",
            )


def unstated_figures(tree: Tree, model: CostModel) -> list[str]:
    """The assumptions `model`'s row needs for every answer set that the tree does not state."""
    needed = dict.fromkeys(FORMULAS[model].row_reads.assumptions)  # one each, in reading order
    return [assumption_id for assumption_id in needed if assumption_id not in tree.assumption_by_id]
