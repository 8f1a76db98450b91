"""Benchmark the scripted path: `adaptwise recommend` end to end, and engine throughput.

    python bench/bench_recommend.py [--runs 31] [--decisions 50000]

End to end, runs alternate between the floor (`python -c "import yaml, pydantic"`) and
`adaptwise recommend` so that machine load affects both alike; medians are compared.
The goal is recommend <= 1.5x the floor. Engine throughput is measured in-process over
random complete answer sets; the goal is >= 20,000 decisions/s. This is a measurement,
never a test: nothing here asserts a time. Measure a regular install (`pip install .`):
an editable install's import hook adds several milliseconds to every start.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def end_to_end(runs: int) -> None:
    cache = tempfile.mkdtemp(prefix="adaptwise-bench-")
    env = {**os.environ, "ADAPTWISE_CACHE_DIR": cache}
    floor = [sys.executable, "-c", "import yaml, pydantic"]
    # The console script, as people run it; `python -m` adds runpy's few milliseconds.
    script = Path(sys.executable).with_name("adaptwise")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "adaptwise"]
    recommend = [
        *launcher,
        "recommend",
        "--defaults",
        "--base_models",
        "behavior_gap",
        "--proprietary_data",
        "curated_examples",
        "--data_quality",
        "reviewed",
        "--budget",
        "10k_to_100k",
        "--infrastructure",
        "cloud",
        "--expertise",
        "ml_engineers",
        "--format",
        "markdown",
    ]
    # The first run validates the tree and fills the cache, as any first run on a machine does.
    cold = _time(recommend, env)
    times: dict[str, list[float]] = {"floor": [], "recommend": []}
    for _ in range(runs):
        times["floor"].append(_time(floor, env))
        times["recommend"].append(_time(recommend, env))
    floor_ms = statistics.median(times["floor"]) * 1000
    recommend_ms = statistics.median(times["recommend"]) * 1000
    print(f"end to end, median of {runs} alternating runs ({' '.join(launcher)})")
    print(f"  floor  python -c 'import yaml, pydantic'   {floor_ms:7.1f} ms")
    print(f"  adaptwise recommend (warm cache)          {recommend_ms:7.1f} ms")
    print(f"  ratio                                     {recommend_ms / floor_ms:7.2f}x  (goal <= 1.5x)")
    print(f"  first run (validates, fills the cache)    {cold * 1000:7.1f} ms")


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def throughput(decisions: int, seed: int = 1) -> None:
    from adaptwise.domain.engine import decide
    from adaptwise.files.trees import load_tree

    tree = load_tree().tree
    rng = random.Random(seed)
    choice_questions = [question for question in tree.questions if not question.is_text]
    profiles = [{question.id: rng.choice(question.values) for question in choice_questions} for _ in range(1000)]
    for profile in profiles:  # warm up, and prove every profile decides
        decide(tree, profile)
    start = time.perf_counter()
    for index in range(decisions):
        decide(tree, profiles[index % len(profiles)])
    elapsed = time.perf_counter() - start
    print(f"engine throughput over {len(profiles)} random contract profiles")
    print(f"  {decisions / elapsed:,.0f} decisions/s  (goal >= 20,000/s; {elapsed / decisions * 1e6:.1f} us each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--decisions", type=int, default=50_000)
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")
    end_to_end(options.runs)
    throughput(options.decisions)


if __name__ == "__main__":
    main()
