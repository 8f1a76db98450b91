"""The cost formulas: the arithmetic behind each cost model a tree's cost rules may name.

Each formula declares the assumptions it reads (`Formula.reads`), reads them through
`Figures`, which refuse any id the declaration does not name, and returns a
`FormulaResult`: what it costs, how long it takes, how many people, and how it was
reached in plain words. `check` holds a tree to the declarations of the formulas its cost
rules name, so a figure a formula needs cannot go missing without a word. The row total
(people at the day rate) and the budget check are `costs.estimate`'s; `ROW_TOTAL_READS`
declares what they read. No formula reads an answer: answers reach the figures only
through the tree's own `per_answer` assumptions and the cost rules' conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from adaptwise.domain.cost_ranges import Range, gpu_hours_for, product
from adaptwise.domain.model import CostModel
from adaptwise.domain.numbers import count, percent, usd


class MissingAssumption(Exception):
    """The tree does not state a figure an estimate needs (for these answers)."""

    def __init__(self, assumption_id: str):
        super().__init__(assumption_id)
        self.assumption_id = assumption_id


class UndeclaredFigure(Exception):
    """A formula read a figure its declaration does not name: a bug in the formula, which no
    estimate catches, so that a test meets it (and `check` would not vouch for the tree)."""


@dataclass(frozen=True, slots=True)
class Reads:
    """The assumptions some cost arithmetic reads; the `Figures` it is given refuse any other."""

    assumptions: tuple[str, ...] = ()
    """Read for every answer set: a tree whose cost rules reach the formula must state each."""
    if_stated: tuple[str, ...] = ()
    """Read only where the tree states them for the answers; done without otherwise."""

    def __add__(self, other: Reads) -> Reads:
        return Reads(self.assumptions + other.assumptions, self.if_stated + other.if_stated)

    def allows(self, assumption_id: str) -> bool:
        return assumption_id in self.assumptions or assumption_id in self.if_stated


class Figures(Protocol):
    """Where a cost model reads its assumptions: a figure, or None if it is optional."""

    def __call__(self, assumption_id: str) -> Range: ...

    def optional(self, assumption_id: str) -> Range | None: ...

    def applies(self, assumption_id: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class FormulaResult:
    """One formula's figures for an approach's row, before people are priced."""

    label: str
    """What is being costed, e.g. 'Fine-tuning (PEFT/LoRA)'."""
    compute_usd: Range
    gpu_hours: Range | None
    elapsed_weeks: Range
    people_days: Range
    memory_gb: Range | None
    basis: tuple[str, ...]


def _self_hosted_prompting(figures: Figures, *, retrieval: bool = False) -> FormulaResult:
    """Prompting an open-weights model on GPUs of your own: a GPU server, not API calls."""
    months = figures("running_months")
    gpu_price = figures("gpu_hour_usd")
    serving = product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    basis = [
        f"Serving the open-weights model on your GPUs: {usd(serving)} over {count(months)} months "
        f"at {usd(gpu_price)} an hour (no API calls)"
    ]
    compute = serving
    if retrieval:
        index = product(figures("retrieval_index_usd_per_month"), months)
        compute = (serving[0] + index[0], serving[1] + index[1])
        basis.append(f"Retrieval index: {usd(index)} over {count(months)} months")
    people = figures("prompting_people_days")
    basis.append(f"People: {count(people)} person-days for prompts and an evaluation set")
    label = "Prompt engineering on a self-hosted model" + (" with retrieval" if retrieval else "")
    return FormulaResult(label, compute, None, figures("prompting_weeks"), people, None, tuple(basis))


def _prompting(figures: Figures, *, retrieval: bool = False) -> FormulaResult:
    tokens = figures("tokens_per_request")
    if retrieval:
        extra = figures("retrieval_tokens_per_request")
        tokens = (tokens[0] + extra[0], tokens[1] + extra[1])
    requests = figures("requests_per_month")
    price = figures("usd_per_million_tokens")
    months = figures("running_months")
    api = product(tokens, requests, price, months, scale=1e-6)
    basis = [
        f"API calls: {count(tokens)} tokens × {count(requests)} requests a month × "
        f"{usd(price)} per million tokens × {count(months)} months = {usd(api)}"
    ]
    compute = api
    if retrieval:
        index = product(figures("retrieval_index_usd_per_month"), months)
        compute = (api[0] + index[0], api[1] + index[1])
        basis.append(f"Retrieval index: {usd(index)} over {count(months)} months")
    people = figures("prompting_people_days")
    basis.append(f"People: {count(people)} person-days for prompts and an evaluation set")
    label = "Prompt engineering with retrieval" if retrieval else "Prompt engineering"
    return FormulaResult(label, compute, None, figures("prompting_weeks"), people, None, tuple(basis))


def _fine_tuning(figures: Figures, variant: CostModel) -> FormulaResult:
    params = figures("fine_tuning_params_billion")
    mfu = figures("mfu")
    peak = figures("gpu_peak_tflops")
    runs = figures("tuning_runs")
    examples = figures("training_examples")
    tokens = product(examples, figures("tokens_per_example"), figures("epochs"))
    run_hours = gpu_hours_for(params, tokens, peak, mfu)
    hours = product(run_hours, runs)
    basis = [
        f"Tuning: 6 × {count(params)}B parameters × {count(tokens)} tokens "
        f"({count(examples)} examples × tokens × epochs) at {percent(mfu)} of {count(peak)} TFLOP/s "
        f"= {count(run_hours)} GPU-hours a run, × {count(runs)} runs for hyperparameter tuning"
    ]
    weeks = figures("fine_tuning_weeks")
    people_engineering = figures("fine_tuning_people_days")
    if variant == "continued_pretraining":
        corpus = product(figures("corpus_billion_tokens"), scale=1e9)
        pretraining_hours = gpu_hours_for(params, corpus, peak, mfu)
        hours = (hours[0] + pretraining_hours[0], hours[1] + pretraining_hours[1])
        basis.append(
            f"Continued pretraining: 6 × {count(params)}B parameters × {count(corpus)} corpus tokens "
            f"= {count(pretraining_hours)} GPU-hours"
        )
        weeks = figures("continued_pretraining_weeks")
        people_engineering = figures("continued_pretraining_people_days")
    gpu_price = figures("gpu_hour_usd")
    tuning = product(hours, gpu_price)
    months = figures("running_months")
    hosting = product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    basis.append(f"GPU time at {usd(gpu_price)} an hour: {usd(tuning)}")
    basis.append(f"Hosting the tuned model: {usd(hosting)} over {count(months)} months")
    # Reviewing existing examples where the answers say how good they are, else writing them.
    reviewing = figures.applies("review_minutes_per_example")
    minutes = figures("review_minutes_per_example" if reviewing else "writing_minutes_per_example")
    # At scale people review a sample, not every example.
    cap = figures("reviewed_examples_cap")
    reviewed = (min(examples[0], cap[0]), min(examples[1], cap[1]))
    curation = product(reviewed, minutes, scale=1 / (60 * 8))
    people = (people_engineering[0] + curation[0], people_engineering[1] + curation[1])
    basis.append(
        f"People: {count(people_engineering)} person-days of engineering, plus {count(curation)} "
        f"person-days reviewing or writing {count(reviewed)} examples ({count(minutes)} minutes each); "
        "curation usually dominates"
    )
    per_billion = figures("peft_memory_gb_per_billion" if variant == "peft" else "full_memory_gb_per_billion")
    memory = product(params, per_billion)
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
    return FormulaResult(label, compute, hours, weeks, people, memory, tuple(basis))


def _classic_model(figures: Figures) -> FormulaResult:
    compute = figures("classic_compute_usd")
    people = figures("classic_people_days")
    basis = (
        f"Compute: {usd(compute)} of CPU or small-GPU time for a year",
        f"People: {count(people)} person-days for features, validation, tuning and deployment",
    )
    label = "A classic model (gradient-boosted trees)"
    return FormulaResult(label, compute, None, figures("classic_weeks"), people, None, basis)


def _pretraining(figures: Figures) -> FormulaResult:
    params = figures("pretraining_params_billion")
    per_parameter = figures("pretraining_tokens_per_parameter")
    tokens = product(params, per_parameter, scale=1e9)
    mfu = figures("mfu")
    peak = figures("gpu_peak_tflops")
    final_run = gpu_hours_for(params, tokens, peak, mfu)
    hours = product(final_run, figures("pretraining_overhead"))
    gpu_price = figures("gpu_hour_usd")
    training = product(hours, gpu_price)
    months = figures("running_months")
    hosting = product(figures("hosting_gpu_hours_per_month"), months, gpu_price)
    people = figures("pretraining_people_days")
    memory = product(params, figures("full_memory_gb_per_billion"))
    basis = (
        f"Final run: 6 × {count(params)}B parameters × {count(tokens)} tokens "
        f"({count(per_parameter)} tokens per parameter) at {percent(mfu)} of {count(peak)} TFLOP/s "
        f"= {count(final_run)} GPU-hours",
        f"With ablations, restarts and failed runs: {count(hours)} GPU-hours, {usd(training)} "
        f"at {usd(gpu_price)} an hour (for scale: Llama 2 7B took 184,320 A100-hours)",
        f"Hosting: {usd(hosting)} over {count(months)} months",
        f"People: {count(people)} person-days of a research team",
        f"GPU memory for weights and optimiser state: {count(memory)} GB, sharded across the cluster",
    )
    compute = (training[0] + hosting[0], training[1] + hosting[1])
    return FormulaResult(
        "Pre-training from scratch", compute, hours, figures("pretraining_weeks"), people, memory, basis
    )


@dataclass(frozen=True, slots=True)
class Formula:
    """One cost model: the approach whose row it prices, what it reads, and its arithmetic."""

    approach: str
    reads: Reads
    arithmetic: Callable[[Figures], FormulaResult]

    @property
    def row_reads(self) -> Reads:
        """All that pricing its row reads: the formula's figures, then the row total's."""
        return self.reads + ROW_TOTAL_READS


#: The assumption that turns the budget answer into a range of USD.
BUDGET_ASSUMPTION = "budget_usd"

#: What `costs.estimate` reads for every row: people at the day rate, the budget if stated.
ROW_TOTAL_READS = Reads(("person_day_usd",), (BUDGET_ASSUMPTION,))

# Each formula's figures, in the order it reads them (`check` names missing ones so).
_PROMPTING = ("tokens_per_request", "requests_per_month", "usd_per_million_tokens", "running_months")
_PROMPTING_PEOPLE = ("prompting_people_days", "prompting_weeks")
_SELF_HOSTED = ("running_months", "gpu_hour_usd", "hosting_gpu_hours_per_month")
_INDEX = ("retrieval_index_usd_per_month",)
_TUNING = (
    "fine_tuning_params_billion",
    "mfu",
    "gpu_peak_tflops",
    "tuning_runs",
    "training_examples",
    "tokens_per_example",
    "epochs",
    "fine_tuning_weeks",
    "fine_tuning_people_days",
)
_CONTINUED = ("corpus_billion_tokens", "continued_pretraining_weeks", "continued_pretraining_people_days")
# Writing examples is the fallback wherever the tree states no review time for the answers.
_TUNING_COSTS = (
    "gpu_hour_usd",
    "running_months",
    "hosting_gpu_hours_per_month",
    "writing_minutes_per_example",
    "reviewed_examples_cap",
)
_REVIEW = ("review_minutes_per_example",)

#: The cost models a tree's cost rules may name, each with its declaration and arithmetic.
FORMULAS: dict[CostModel, Formula] = {
    "prompting": Formula("prompt_engineering", Reads(_PROMPTING + _PROMPTING_PEOPLE), _prompting),
    "prompting_with_retrieval": Formula(
        "prompt_engineering",
        Reads(_PROMPTING[:1] + ("retrieval_tokens_per_request",) + _PROMPTING[1:] + _INDEX + _PROMPTING_PEOPLE),
        lambda figures: _prompting(figures, retrieval=True),
    ),
    "self_hosted_prompting": Formula(
        "prompt_engineering", Reads(_SELF_HOSTED + _PROMPTING_PEOPLE), _self_hosted_prompting
    ),
    "self_hosted_prompting_with_retrieval": Formula(
        "prompt_engineering",
        Reads(_SELF_HOSTED + _INDEX + _PROMPTING_PEOPLE),
        lambda figures: _self_hosted_prompting(figures, retrieval=True),
    ),
    "peft": Formula(
        "fine_tuning",
        Reads(_TUNING + _TUNING_COSTS + ("peft_memory_gb_per_billion",), _REVIEW),
        lambda figures: _fine_tuning(figures, "peft"),
    ),
    "full_fine_tuning": Formula(
        "fine_tuning",
        Reads(_TUNING + _TUNING_COSTS + ("full_memory_gb_per_billion",), _REVIEW),
        lambda figures: _fine_tuning(figures, "full_fine_tuning"),
    ),
    "continued_pretraining": Formula(
        "fine_tuning",
        Reads(_TUNING + _CONTINUED + _TUNING_COSTS + ("full_memory_gb_per_billion",), _REVIEW),
        lambda figures: _fine_tuning(figures, "continued_pretraining"),
    ),
    "classic_model": Formula(
        "training", Reads(("classic_compute_usd", "classic_people_days", "classic_weeks")), _classic_model
    ),
    "pretraining": Formula(
        "training",
        Reads(
            (
                "pretraining_params_billion",
                "pretraining_tokens_per_parameter",
                "mfu",
                "gpu_peak_tflops",
                "pretraining_overhead",
                "gpu_hour_usd",
                "running_months",
                "hosting_gpu_hours_per_month",
                "pretraining_people_days",
                "full_memory_gb_per_billion",
                "pretraining_weeks",
            )
        ),
        _pretraining,
    ),
}

#: The approach whose row each cost model prices (`check` holds the tree's rules to it).
MODEL_APPROACH: dict[CostModel, str] = {model: formula.approach for model, formula in FORMULAS.items()}
