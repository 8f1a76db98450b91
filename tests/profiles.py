"""Answer profiles several test modules build on, named for the principle they satisfy."""

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

#: Principle 6's six conditions for training from scratch.
P6 = {
    "task": "text_generation",
    "base_models": "capability_gap",
    "proprietary_data": "massive",
    "budget": "over_1m",
    "infrastructure": "gpu_cluster",
    "expertise": "research_team",
    "timeline": "year_plus",
}
