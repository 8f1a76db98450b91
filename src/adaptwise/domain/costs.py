"""Cost and effort ranges for each approach, from the tree's stated assumptions.

Pure arithmetic: every figure is a (low, high) range built from the `assumptions:` section
of the tree (which a company may edit, or override per run), and every estimate says how
it was computed. Compute follows C ≈ 6·N·D FLOPs (Kaplan et al.) and
GPU-hours = C / (peak × MFU × 3600); the low end pairs the small figures with the high
utilisation, the high end the large figures with the low utilisation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from adaptwise.domain.conditions import condition_holds
from adaptwise.domain.cost_formulas import (
    BUDGET_ASSUMPTION,
    FORMULAS,
    MODEL_APPROACH,
    Figures,
    MissingAssumption,
    Reads,
    UndeclaredFigure,
)
from adaptwise.domain.cost_ranges import (
    FIGURE_LIMIT,
    LIMITS,
    Range,
    figure_problem,
    gpu_hours_for,
    out_of_limits,
    parse_override,
)
from adaptwise.domain.model import APPROACH_LABELS, Assumption, CostModel, Tree
from adaptwise.domain.numbers import money

# Callers import these from here, where they were before the formulas and the range
# arithmetic moved out (cost_formulas, cost_ranges).
__all__ = [
    "BUDGET_ASSUMPTION",
    "FIGURE_LIMIT",
    "LIMITS",
    "MODEL_APPROACH",
    "CostContext",
    "CostRow",
    "Estimate",
    "Figures",
    "Floor",
    "MissingAssumption",
    "MissingCostModel",
    "NotEstimated",
    "Range",
    "budget_floors",
    "cost_model",
    "estimate",
    "estimate_all",
    "estimated",
    "figure_problem",
    "floored",
    "gpu_hours_for",
    "out_of_limits",
    "parse_override",
    "with_overrides",
]


class MissingCostModel(Exception):
    """No cost rule of the tree prices `approach` for these answers and techniques."""

    def __init__(self, approach: str):
        super().__init__(approach)
        self.approach = approach


@dataclass(frozen=True, slots=True)
class Estimate:
    approach: str
    label: str
    """What is being costed, e.g. 'Fine-tuning (PEFT/LoRA)'."""
    compute_usd: Range
    """Compute, API calls and hosting over the running period."""
    gpu_hours: Range | None
    elapsed_weeks: Range
    people_days: Range
    total_usd: Range
    """Compute plus people at the stated day rate."""
    memory_gb: Range | None
    """GPU memory to train or tune, where weights change."""
    basis: tuple[str, ...]
    """How the figures were reached, in plain words."""
    assumptions: tuple[str, ...]
    """Ids of the assumptions used."""
    over_budget: bool
    """The low end already exceeds the stated budget's top."""


@dataclass(frozen=True, slots=True)
class NotEstimated:
    """An approach's row the tree cannot price for these answers: shown, never dropped."""

    approach: str
    label: str
    why: str
    """What is missing, in plain words, e.g. 'the tree has no figure for ... (assumption X)'."""


#: One row of the cost table: an estimate, or why there is none.
CostRow = Estimate | NotEstimated


def estimated(rows: Iterable[CostRow]) -> tuple[Estimate, ...]:
    """The rows that have figures (for sums, charts and the budget check)."""
    return tuple(row for row in rows if isinstance(row, Estimate))


@dataclass(frozen=True, slots=True)
class CostContext:
    """What shapes the estimates: the answers, and which variant of each approach is meant."""

    answers: Mapping[str, str]
    techniques: tuple[str, ...]
    approach: str


class _Figures:
    """Looks up the assumptions `reads` declares for one set of answers, remembering which
    were used; an id outside the declaration is refused, whether or not the tree states it."""

    def __init__(self, tree: Tree, answers: Mapping[str, str], overrides: Mapping[str, Range], reads: Reads):
        self.tree = tree
        self.answers = dict(answers)
        self.overrides = overrides
        self.reads = reads
        self.used: list[str] = []

    def _declared(self, assumption_id: str) -> None:
        if not self.reads.allows(assumption_id):
            raise UndeclaredFigure(assumption_id)

    def __call__(self, assumption_id: str) -> Range:
        self._declared(assumption_id)
        value: Range | None
        if assumption_id in self.overrides:
            value = self.overrides[assumption_id]
        else:
            assumption = self.tree.assumption_by_id.get(assumption_id)
            value = assumption.value(self.answers) if assumption else None
            if value is None:
                raise MissingAssumption(assumption_id)
        if assumption_id not in self.used:
            self.used.append(assumption_id)
        return (float(value[0]), float(value[1]))

    def optional(self, assumption_id: str) -> Range | None:
        try:
            return self(assumption_id)
        except MissingAssumption:
            return None

    def applies(self, assumption_id: str) -> bool:
        """Whether the tree states this figure for these answers (whatever the overrides)."""
        self._declared(assumption_id)
        assumption = self.tree.assumption_by_id.get(assumption_id)
        return assumption is not None and assumption.value(self.answers) is not None


def estimate_all(
    tree: Tree,
    context: CostContext,
    overrides: Mapping[str, Range] | None = None,
    floors: Mapping[str, Floor] | None = None,
) -> tuple[CostRow, ...]:
    """A row for each of the three approaches, in order: its estimate, or why the tree cannot
    price it for these answers (`adaptwise check` catches most such trees, not every answer
    set); an approach in `floors` costs at least the budget its requirement asks for."""
    if not tree.cost_rules and not tree.assumptions:
        return ()  # a tree without costs: reports leave the cost table out (see costcheck)
    overrides = overrides or {}
    floors = floors or {}
    rows: list[CostRow] = []
    for approach in APPROACH_LABELS:
        try:
            found = estimate(tree, context, approach, overrides)
        except (MissingCostModel, MissingAssumption) as missing:
            rows.append(NotEstimated(approach, APPROACH_LABELS[approach], _why_not(tree, context, missing)))
            continue
        floor = floors.get(approach)
        rows.append(found if floor is None else floored(found, floor, tree=tree, context=context, overrides=overrides))
    return tuple(rows)


def _why_not(tree: Tree, context: CostContext, missing: MissingCostModel | MissingAssumption) -> str:
    """What the tree lacks to price a row, in words: the rule, or the figure (by what it is
    and, where it varies by an answer, by that answer)."""
    if isinstance(missing, MissingCostModel):
        return f"none of the tree's cost rules prices {APPROACH_LABELS[missing.approach].lower()} for these answers"
    assumption = tree.assumption_by_id.get(missing.assumption_id)
    if assumption is None:
        return f"the tree has no assumption {missing.assumption_id}, which this estimate needs"
    why = f"the tree has no figure for {assumption.about} (assumption {assumption.id})"
    question = tree.question_by_id.get(assumption.question or "")
    if question is None or assumption.per_answer is None:
        return why
    answer = context.answers.get(question.id)
    if answer is None:
        return f"{why} where '{question.prompt}' is not asked"
    return f"{why} for the answer '{tree.answer_label(question.id, answer)}' to '{question.prompt}'"


@dataclass(frozen=True, slots=True)
class Floor:
    """The least budget a requirement set allows an approach: its total cannot start lower."""

    usd: float
    requirement: str
    """How the requirement names the approach, e.g. 'Training from scratch'."""
    need: str
    """How it names the budget it needs, e.g. 'a budget over $1M'."""


def budget_floors(tree: Tree, shortfalls: Iterable[tuple[str, str, str]]) -> dict[str, Floor]:
    """For each approach a decision falls short of (requirement id, approach, label), the
    lowest budget its requirement allows, from the budget question's `budget_usd` bands."""
    budget = tree.roles.budget
    bands = tree.assumption_by_id.get(BUDGET_ASSUMPTION)
    floors: dict[str, Floor] = {}
    if budget is None or bands is None:
        return floors
    for requirement_id, approach, label in shortfalls:
        for need in tree.requirement_needs.get(requirement_id, ()):
            if need.question != budget:
                continue
            lows = [value[0] for answer in need.allowed if (value := bands.value({budget: answer}))]
            if lows and (approach not in floors or min(lows) < floors[approach].usd):
                floors[approach] = Floor(min(lows), label, need.need)
    return floors


#: What raising a total to its floor reads: the budget, to say whether it is over.
_FLOOR_READS = Reads(if_stated=(BUDGET_ASSUMPTION,))


def floored(
    found: Estimate, floor: Floor, *, tree: Tree, context: CostContext, overrides: Mapping[str, Range]
) -> Estimate:
    """`found` with its total raised to the floor, where it started below it."""
    if found.total_usd[0] >= floor.usd:
        return found
    total = (floor.usd, max(found.total_usd[1], floor.usd))
    figures = _Figures(tree, context.answers, overrides, _FLOOR_READS)
    budget = figures.optional(BUDGET_ASSUMPTION)
    note = (
        f"Total at least {money(floor.usd)}: {floor.requirement} needs {floor.need}, "
        f"more than the figures above add up to"
    )
    return replace(
        found,
        total_usd=total,
        basis=(*found.basis, note),
        over_budget=budget is not None and total[0] > budget[1],
    )


def cost_model(tree: Tree, context: CostContext, approach: str) -> CostModel | None:
    """The model that prices `approach`'s row: the first of the tree's cost rules that holds."""
    for rule in tree.cost_rules:
        if rule.approach != approach:
            continue
        if rule.if_technique is not None and rule.if_technique not in context.techniques:
            continue
        if condition_holds(tree, rule.when, dict(context.answers), context.approach):
            return rule.model
    return None


def estimate(tree: Tree, context: CostContext, approach: str, overrides: Mapping[str, Range]) -> Estimate:
    model = cost_model(tree, context, approach)
    if model is None:
        raise MissingCostModel(approach)
    formula = FORMULAS[model]
    figures = _Figures(tree, context.answers, overrides, formula.row_reads)
    result = formula.arithmetic(figures)
    compute, people = result.compute_usd, result.people_days
    day = figures("person_day_usd")
    total = (compute[0] + people[0] * day[0], compute[1] + people[1] * day[1])
    budget = figures.optional(BUDGET_ASSUMPTION)
    return Estimate(
        approach=approach,
        label=result.label,
        compute_usd=compute,
        gpu_hours=result.gpu_hours,
        elapsed_weeks=result.elapsed_weeks,
        people_days=people,
        total_usd=total,
        memory_gb=result.memory_gb,
        basis=result.basis,
        assumptions=tuple(figures.used),
        over_budget=budget is not None and total[0] > budget[1],
    )


def with_overrides(tree: Tree, overrides: Mapping[str, Range]) -> list[Assumption]:
    """The tree's assumptions with overrides applied, for listing in a report."""
    return [
        replace(assumption, range=overrides[assumption.id], per_answer=None, question=None)
        if assumption.id in overrides
        else assumption
        for assumption in tree.assumptions
    ]
