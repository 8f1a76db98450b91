"""Answer profiles several test modules build on, named for the principle they satisfy."""

from __future__ import annotations

from dataclasses import dataclass, field

#: A behaviour gap with everything principle 4 asks for: fine-tuning with PEFT.
FT_READY = {
    "task": "text_generation",
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "reviewed",
    "budget": "10k_to_100k",
    "infrastructure": "cloud",
    "expertise": "ml_engineers",
    "data_residency": "cloud_ok",
    "timeline": "months",
}

#: v1's principle 6: the six conditions for training from scratch. With them all, the v2
#: tree asks whether an open-weights model fits; unchecked (the default), it adapts one.
SCRATCH_MEANS = {
    "task": "text_generation",
    "base_models": "capability_gap",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "expertise": "research_team",
    "timeline": "year_plus",
}

#: Everything training from scratch needs: the six conditions, and no open-weights model
#: that covers the language, domain and licence (adapt before building).
P6 = {**SCRATCH_MEANS, "open_base_model": "none_suitable"}


#: The public examples, each with the approach and techniques it must reach.
@dataclass(frozen=True)
class Example:
    name: str
    answers: dict[str, str]
    approach: str
    techniques: frozenset[str] = field(default_factory=frozenset)
    without: frozenset[str] = field(default_factory=frozenset)
    """Techniques it must not have."""
    unused: frozenset[str] = frozenset()
    """Questions answered here that its path never asks, so they cannot change it."""


PUBLIC = [
    Example(
        "seed001-fraud",
        {"task": "tabular_prediction", "proprietary_data": "large_labeled"},
        "training",
        frozenset({"classic_ml"}),
    ),
    Example(
        "seed000-legal-contracts",
        {
            "base_models": "behavior_gap",
            "proprietary_data": "curated_examples",
            "data_quality": "reviewed",
            "budget": "10k_to_100k",
            "infrastructure": "cloud",
            "expertise": "ml_engineers",
        },
        "fine_tuning",
        frozenset({"peft"}),
    ),
    # Untested base models: no weights can change, so expertise is never asked.
    Example(
        "rich-but-not-evaluated",
        {
            "proprietary_data": "massive",
            "budget": "over_1m",
            "infrastructure": "gpu_cluster",
            "expertise": "research_team",
            "base_models": "not_evaluated",
        },
        "prompt_engineering",
        frozenset({"evaluation_first"}),
        unused=frozenset({"expertise"}),
    ),
    Example(
        "seed003-chatbot",
        {"base_models": "knowledge_gap", "knowledge_freshness": "changes_often"},
        "prompt_engineering",
        frozenset({"retrieval"}),
    ),
    Example(
        "principle-6",
        {
            "proprietary_data": "massive",
            "base_models": "capability_gap",
            "budget": "over_1m",
            "infrastructure": "gpu_cluster",
            "expertise": "research_team",
            "timeline": "year_plus",
            "open_base_model": "none_suitable",
        },
        "training",
        frozenset({"pretraining", "hyperparameter_tuning"}),
    ),
    # The same six conditions, but nobody has checked the open models: adapt one first.
    Example(
        "principle-6-open-models-unchecked",
        {
            "proprietary_data": "massive",
            "base_models": "capability_gap",
            "budget": "over_1m",
            "infrastructure": "gpu_cluster",
            "expertise": "research_team",
            "timeline": "year_plus",
        },
        "fine_tuning",
        frozenset({"continued_pretraining", "hyperparameter_tuning"}),
        without=frozenset({"pretraining"}),
    ),
    Example(
        "nothing",
        {
            "proprietary_data": "none",
            "base_models": "not_evaluated",
            "budget": "under_10k",
            "infrastructure": "hosted_api",
            "expertise": "none",
        },
        "prompt_engineering",
        unused=frozenset({"expertise"}),
    ),
]
