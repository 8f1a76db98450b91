"""The cost formulas: the arithmetic behind each cost model a tree's cost rules may name.

Each formula reads the tree's figures through `Figures` and returns a `FormulaResult`:
what it costs, how long it takes, how many people, and how it was reached in plain words.
The row total (people at the day rate) and the budget check are `costs.estimate`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from adaptwise.domain.cost_ranges import Range, gpu_hours_for, product
from adaptwise.domain.model import CostModel
from adaptwise.domain.numbers import count, percent, usd


class MissingAssumption(Exception):
    """The tree does not state a figure an estimate needs."""


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


#: The arithmetic behind each cost model a tree's cost rules may name.
FORMULAS: dict[CostModel, Callable[[Figures], FormulaResult]] = {
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


def model_arithmetic(model: CostModel, figures: Figures) -> FormulaResult:
    """Run one cost model over `figures` (raises MissingAssumption for a figure not stated)."""
    return FORMULAS[model](figures)
