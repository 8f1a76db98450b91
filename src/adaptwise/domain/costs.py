"""Cost and effort ranges for each approach, from the tree's stated assumptions.

Pure arithmetic: every figure is a (low, high) range built from the `assumptions:` section
of the tree (which a company may edit, or override per run), and every estimate says how
it was computed. Compute follows C ≈ 6·N·D FLOPs (Kaplan et al.) and
GPU-hours = C / (peak × MFU × 3600); the low end pairs the small figures with the high
utilisation, the high end the large figures with the low utilisation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from adaptwise.domain.conditions import condition_holds
from adaptwise.domain.model import APPROACH_LABELS, Assumption, CostModel, Tree
from adaptwise.domain.numbers import count, money, percent, usd

Range = tuple[float, float]


class MissingAssumption(Exception):
    """The tree does not state a figure an estimate needs."""


class MissingCostModel(Exception):
    """No cost rule of the tree prices this approach for these answers."""


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
class CostContext:
    """What shapes the estimates: the answers, and which variant of each approach is meant."""

    answers: Mapping[str, str]
    techniques: tuple[str, ...]
    approach: str


class Figures(Protocol):
    """Where a cost model reads its assumptions: a figure, or None if it is optional."""

    def __call__(self, assumption_id: str) -> Range: ...

    def optional(self, assumption_id: str) -> Range | None: ...

    def applies(self, assumption_id: str) -> bool: ...


class _Figures:
    """Looks up assumptions for one set of answers, remembering which were used."""

    def __init__(self, tree: Tree, answers: Mapping[str, str], overrides: Mapping[str, Range]):
        self.tree = tree
        self.answers = dict(answers)
        self.overrides = overrides
        self.used: list[str] = []

    def __call__(self, assumption_id: str) -> Range:
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
        assumption = self.tree.assumption_by_id.get(assumption_id)
        return assumption is not None and assumption.value(self.answers) is not None


def estimate_all(
    tree: Tree,
    context: CostContext,
    overrides: Mapping[str, Range] | None = None,
    floors: Mapping[str, Floor] | None = None,
) -> tuple[Estimate, ...]:
    """An estimate for each of the three approaches (skipping any the tree cannot cost);
    an approach in `floors` costs at least the budget its requirement asks for."""
    estimates = []
    for approach in APPROACH_LABELS:
        try:
            found = estimate(tree, context, approach, overrides or {})
        except (MissingAssumption, MissingCostModel):
            continue  # `adaptwise check` reports a tree where this can happen
        floor = (floors or {}).get(approach)
        estimates.append(found if floor is None else floored(found, floor, overrides or {}, tree, context))
    return tuple(estimates)


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


#: The assumption that turns the budget answer into a range of USD.
BUDGET_ASSUMPTION = "budget_usd"


def floored(
    found: Estimate, floor: Floor, overrides: Mapping[str, Range], tree: Tree, context: CostContext
) -> Estimate:
    """`found` with its total raised to the floor, where it started below it."""
    if found.total_usd[0] >= floor.usd:
        return found
    total = (floor.usd, max(found.total_usd[1], floor.usd))
    figures = _Figures(tree, context.answers, overrides)
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
    figures = _Figures(tree, context.answers, overrides)
    model = cost_model(tree, context, approach)
    if model is None:
        raise MissingCostModel(approach)
    result = model_arithmetic(model, figures)
    label, compute, gpu_hours, weeks, people, memory, basis = result
    day = figures("person_day_usd")
    total = (compute[0] + people[0] * day[0], compute[1] + people[1] * day[1])
    budget = figures.optional(BUDGET_ASSUMPTION)
    return Estimate(
        approach=approach,
        label=label,
        compute_usd=compute,
        gpu_hours=gpu_hours,
        elapsed_weeks=weeks,
        people_days=people,
        total_usd=total,
        memory_gb=memory,
        basis=tuple(basis),
        assumptions=tuple(figures.used),
        over_budget=budget is not None and total[0] > budget[1],
    )


_Result = tuple[str, Range, Range | None, Range, Range, Range | None, list[str]]


def _self_hosted_prompting(figures: Figures, *, retrieval: bool = False) -> _Result:
    """Prompting an open-weights model on GPUs of your own: a GPU server, not API calls."""
    months = figures("running_months")
    gpu_price = figures("gpu_hour_usd")
    serving = _product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    basis = [
        f"Serving the open-weights model on your GPUs: {usd(serving)} over {count(months)} months "
        f"at {usd(gpu_price)} an hour (no API calls)"
    ]
    compute = serving
    if retrieval:
        index = _product(figures("retrieval_index_usd_per_month"), months)
        compute = (serving[0] + index[0], serving[1] + index[1])
        basis.append(f"Retrieval index: {usd(index)} over {count(months)} months")
    people = figures("prompting_people_days")
    basis.append(f"People: {count(people)} person-days for prompts and an evaluation set")
    label = "Prompt engineering on a self-hosted model" + (" with retrieval" if retrieval else "")
    return label, compute, None, figures("prompting_weeks"), people, None, basis


def _prompting(figures: Figures, *, retrieval: bool = False) -> _Result:
    tokens = figures("tokens_per_request")
    if retrieval:
        extra = figures("retrieval_tokens_per_request")
        tokens = (tokens[0] + extra[0], tokens[1] + extra[1])
    requests = figures("requests_per_month")
    price = figures("usd_per_million_tokens")
    months = figures("running_months")
    api = _product(tokens, requests, price, months, scale=1e-6)
    basis = [
        f"API calls: {count(tokens)} tokens × {count(requests)} requests a month × "
        f"{usd(price)} per million tokens × {count(months)} months = {usd(api)}"
    ]
    compute = api
    if retrieval:
        index = _product(figures("retrieval_index_usd_per_month"), months)
        compute = (api[0] + index[0], api[1] + index[1])
        basis.append(f"Retrieval index: {usd(index)} over {count(months)} months")
    people = figures("prompting_people_days")
    basis.append(f"People: {count(people)} person-days for prompts and an evaluation set")
    label = "Prompt engineering with retrieval" if retrieval else "Prompt engineering"
    return label, compute, None, figures("prompting_weeks"), people, None, basis


def _fine_tuning(figures: Figures, variant: CostModel) -> _Result:
    params = figures("fine_tuning_params_billion")
    mfu = figures("mfu")
    peak = figures("gpu_peak_tflops")
    runs = figures("tuning_runs")
    examples = figures("training_examples")
    tokens = _product(examples, figures("tokens_per_example"), figures("epochs"))
    run_hours = gpu_hours_for(params, tokens, peak, mfu)
    hours = _product(run_hours, runs)
    basis = [
        f"Tuning: 6 × {count(params)}B parameters × {count(tokens)} tokens "
        f"({count(examples)} examples × tokens × epochs) at {percent(mfu)} of {count(peak)} TFLOP/s "
        f"= {count(run_hours)} GPU-hours a run, × {count(runs)} runs for hyperparameter tuning"
    ]
    weeks = figures("fine_tuning_weeks")
    people_engineering = figures("fine_tuning_people_days")
    if variant == "continued_pretraining":
        corpus = _product(figures("corpus_billion_tokens"), scale=1e9)
        pretraining_hours = gpu_hours_for(params, corpus, peak, mfu)
        hours = (hours[0] + pretraining_hours[0], hours[1] + pretraining_hours[1])
        basis.append(
            f"Continued pretraining: 6 × {count(params)}B parameters × {count(corpus)} corpus tokens "
            f"= {count(pretraining_hours)} GPU-hours"
        )
        weeks = figures("continued_pretraining_weeks")
        people_engineering = figures("continued_pretraining_people_days")
    gpu_price = figures("gpu_hour_usd")
    tuning = _product(hours, gpu_price)
    months = figures("running_months")
    hosting = _product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    basis.append(f"GPU time at {usd(gpu_price)} an hour: {usd(tuning)}")
    basis.append(f"Hosting the tuned model: {usd(hosting)} over {count(months)} months")
    # Reviewing existing examples where the answers say how good they are, else writing them.
    reviewing = figures.applies("review_minutes_per_example")
    minutes = figures("review_minutes_per_example" if reviewing else "writing_minutes_per_example")
    # At scale people review a sample, not every example.
    cap = figures("reviewed_examples_cap")
    reviewed = (min(examples[0], cap[0]), min(examples[1], cap[1]))
    curation = _product(reviewed, minutes, scale=1 / (60 * 8))
    people = (people_engineering[0] + curation[0], people_engineering[1] + curation[1])
    basis.append(
        f"People: {count(people_engineering)} person-days of engineering, plus {count(curation)} "
        f"person-days reviewing or writing {count(reviewed)} examples ({count(minutes)} minutes each); "
        "curation usually dominates"
    )
    per_billion = figures("peft_memory_gb_per_billion" if variant == "peft" else "full_memory_gb_per_billion")
    memory = _product(params, per_billion)
    basis.append(
        f"GPU memory: {count(params)}B parameters × {count(per_billion)} GB per billion = "
        f"{count(memory)} GB" + (" (one 24–80 GB GPU)" if variant == "peft" else " (several GPUs)")
    )
    label = {
        "peft": "Fine-tuning (PEFT/LoRA)",
        "full_fine_tuning": "Full fine-tuning",
        "continued_pretraining": "Continued pretraining, then fine-tuning",
    }[variant]
    compute = (tuning[0] + hosting[0], tuning[1] + hosting[1])
    return label, compute, hours, weeks, people, memory, basis


def _classic_model(figures: Figures) -> _Result:
    compute = figures("classic_compute_usd")
    people = figures("classic_people_days")
    basis = [
        f"Compute: {usd(compute)} of CPU or small-GPU time for a year",
        f"People: {count(people)} person-days for features, validation, tuning and deployment",
    ]
    return "A classic model (gradient-boosted trees)", compute, None, figures("classic_weeks"), people, None, basis


def _pretraining(figures: Figures) -> _Result:
    params = figures("pretraining_params_billion")
    per_parameter = figures("pretraining_tokens_per_parameter")
    tokens = _product(params, per_parameter, scale=1e9)
    mfu = figures("mfu")
    peak = figures("gpu_peak_tflops")
    final_run = gpu_hours_for(params, tokens, peak, mfu)
    hours = _product(final_run, figures("pretraining_overhead"))
    gpu_price = figures("gpu_hour_usd")
    training = _product(hours, gpu_price)
    months = figures("running_months")
    hosting = _product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    people = figures("pretraining_people_days")
    memory = _product(params, figures("full_memory_gb_per_billion"))
    basis = [
        f"Final run: 6 × {count(params)}B parameters × {count(tokens)} tokens "
        f"({count(per_parameter)} tokens per parameter) at {percent(mfu)} of {count(peak)} TFLOP/s "
        f"= {count(final_run)} GPU-hours",
        f"With ablations, restarts and failed runs: {count(hours)} GPU-hours, {usd(training)} "
        f"at {usd(gpu_price)} an hour (for scale: Llama 2 7B took 184,320 A100-hours)",
        f"Hosting: {usd(hosting)} over {count(months)} months",
        f"People: {count(people)} person-days of a research team",
        f"GPU memory for weights and optimiser state: {count(memory)} GB, sharded across the cluster",
    ]
    compute = (training[0] + hosting[0], training[1] + hosting[1])
    return "Pre-training from scratch", compute, hours, figures("pretraining_weeks"), people, memory, basis


#: The arithmetic behind each cost model a tree's cost rules may name.
_MODELS: dict[CostModel, Callable[[Figures], _Result]] = {
    "prompting": _prompting,
    "prompting_with_retrieval": lambda figures: _prompting(figures, retrieval=True),
    "self_hosted_prompting": _self_hosted_prompting,
    "self_hosted_prompting_with_retrieval": lambda figures: _self_hosted_prompting(figures, retrieval=True),
    "peft": lambda figures: _fine_tuning(figures, "peft"),
    "full_fine_tuning": lambda figures: _fine_tuning(figures, "full_fine_tuning"),
    "continued_pretraining": lambda figures: _fine_tuning(figures, "continued_pretraining"),
    "classic_model": _classic_model,
    "pretraining": _pretraining,
}

#: The approach whose row each cost model prices (`check` holds the tree's rules to it).
MODEL_APPROACH: dict[CostModel, str] = {
    "prompting": "prompt_engineering",
    "prompting_with_retrieval": "prompt_engineering",
    "self_hosted_prompting": "prompt_engineering",
    "self_hosted_prompting_with_retrieval": "prompt_engineering",
    "peft": "fine_tuning",
    "full_fine_tuning": "fine_tuning",
    "continued_pretraining": "fine_tuning",
    "classic_model": "training",
    "pretraining": "training",
}


def model_arithmetic(model: CostModel, figures: Figures) -> _Result:
    """Run one cost model over `figures` (raises MissingAssumption for a figure not stated)."""
    return _MODELS[model](figures)


def gpu_hours_for(params_billion: Range, tokens: Range, peak_tflops: Range, mfu: Range) -> Range:
    """GPU-hours for a run of 6·N·D FLOPs: the low end at high utilisation, the high at low."""
    low = 6 * params_billion[0] * 1e9 * tokens[0] / (peak_tflops[1] * 1e12 * mfu[1] * 3600)
    high = 6 * params_billion[1] * 1e9 * tokens[1] / (peak_tflops[0] * 1e12 * mfu[0] * 3600)
    return (low, high)


def _product(*ranges: Range, scale: float = 1.0) -> Range:
    low, high = scale, scale
    for value in ranges:
        low *= value[0]
        high *= value[1]
    return (low, high)


def parse_override(text: str) -> tuple[str, Range]:
    """'gpu_hour_usd=3.1' or 'mfu=0.3:0.4' as an override; ValueError says what is wrong."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError("expected ID=VALUE or ID=LOW:HIGH, e.g. gpu_hour_usd=3.1")
    parts = value.split(":")
    if len(parts) > 2:
        raise ValueError("expected one value or LOW:HIGH")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    low, high = numbers[0], numbers[-1]
    problem = figure_problem(low, high)
    if problem is not None:
        raise ValueError(problem)
    return name.strip(), (low, high)


#: No figure an estimate rests on comes near this (a world-scale budget is $1e12, a frontier
#: model's training set 1e14 tokens), and products of figures this size stay finite.
FIGURE_LIMIT = 1e15


def figure_problem(low: float, high: float) -> str | None:
    """What makes (low, high) unusable as a figure, wherever it was loaded, or None."""
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < 0:
        return "figures must be finite and not negative"
    if high > FIGURE_LIMIT:
        return f"figures must be at most {FIGURE_LIMIT:g}"
    if low > high:
        return f"the low figure {low:g} is above the high figure {high:g}"
    return None


#: Figures the formulas divide by, or that are fractions: (lowest allowed, highest allowed,
#: whether the lowest is itself allowed). A divisor has a floor, not just "above 0": a
#: utilisation of 1e-311 is positive, and dividing by it overflows to infinity.
LIMITS: dict[str, tuple[float, float, bool]] = {
    "mfu": (0.001, 1.0, True),
    "gpu_peak_tflops": (1.0, float("inf"), True),
}


def out_of_limits(assumption_id: str, value: Range) -> str | None:
    """Why a figure cannot be used (e.g. a utilisation of 0 or above 1), or None."""
    problem = figure_problem(*value)
    if problem is not None:
        return f"'{assumption_id}': {problem}"
    if assumption_id not in LIMITS:
        return None
    lowest, highest, inclusive = LIMITS[assumption_id]
    low, high = value
    if low < lowest or (low == lowest and not inclusive) or high > highest:
        floor = f"at least {lowest:g}" if inclusive else f"above {lowest:g}"
        if highest == float("inf"):
            return f"'{assumption_id}' must be {floor}"
        return f"'{assumption_id}' must be {floor} and at most {highest:g}"
    return None


def with_overrides(tree: Tree, overrides: Mapping[str, Range]) -> list[Assumption]:
    """The tree's assumptions with overrides applied, for listing in a report."""
    return [
        replace(assumption, range=overrides[assumption.id], per_answer=None, question=None)
        if assumption.id in overrides
        else assumption
        for assumption in tree.assumptions
    ]
