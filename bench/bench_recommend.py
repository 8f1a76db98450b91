"""Benchmark the scripted path: `adaptwise recommend` end to end, and engine throughput.

    python bench/bench_recommend.py [--runs 31] [--decisions 50000] [--command defaults|flags]

End to end, runs alternate between the floor (`python -c "import yaml, pydantic"`) and
`adaptwise recommend` (by default `--defaults --format json`), so that machine load falls
on both alike. Each pair gives a ratio, recommend's time over the floor's; the median of
those ratios is the figure, with their min and max for the spread, for wall time and for
CPU time (user + system, steadier on a busy machine). The goal is a wall ratio of at most
1.25x (the hard line is 1.5x). Engine throughput is measured in-process over random
complete answer sets; the goal is >= 20,000 decisions/s (50 us each). This is a
measurement, never a test: nothing here asserts a time. Measure a regular install
(`pip install .`): an editable install's import hook adds several milliseconds to every start."""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def end_to_end(runs: int, command: str) -> None:
    cache = tempfile.mkdtemp(prefix="adaptwise-bench-")
    env = {**os.environ, "ADAPTWISE_CACHE_DIR": cache}
    floor = [sys.executable, "-c", "import yaml, pydantic"]
    # The console script, as people run it; `python -m` adds runpy's few milliseconds.
    script = Path(sys.executable).with_name("adaptwise")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "adaptwise"]
    recommend = [*launcher, "recommend", *COMMANDS[command]]
    # The first run validates the tree and fills the cache, as any first run on a machine does.
    cold, _ = _time(recommend, env)
    _time(floor, env)  # and one of each not counted, to warm the file cache
    _time(recommend, env)
    walls: dict[str, list[float]] = {"floor": [], "recommend": []}
    cpus: dict[str, list[float]] = {"floor": [], "recommend": []}
    for _ in range(runs):  # in turn, so that the machine's load falls on both alike
        for name, argv in (("floor", floor), ("recommend", recommend)):
            wall, cpu = _time(argv, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    print(f"end to end, {runs} pairs of runs in turn: {' '.join(recommend[len(launcher) - 1 :])}")
    print(f"  {'':42} {'median':>8} {'min':>8} {'max':>8}")
    _row("floor: python -c 'import yaml, pydantic', ms", [t * 1000 for t in walls["floor"]])
    _row("adaptwise recommend (warm cache), ms", [t * 1000 for t in walls["recommend"]])
    _row("recommend cpu ms (user + system)", [t * 1000 for t in cpus["recommend"]])
    # Each pair's own ratio, then their median: pairing keeps it fair when the load drifts.
    _row("ratio, wall (pair by pair)", _ratios(walls), unit="x")
    _row("ratio, cpu (pair by pair)", _ratios(cpus), unit="x")
    print("  goal: the wall ratio <= 1.25x (the hard line is 1.5x)")
    print(f"  first run (validates, fills the cache)     {cold * 1000:8.1f} ms")


#: What `recommend` is asked, after its name.
COMMANDS: dict[str, list[str]] = {
    "defaults": ["--defaults", "--format", "json"],
    "flags": [
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
    ],
}


def _ratios(times: dict[str, list[float]]) -> list[float]:
    return [mine / floor for mine, floor in zip(times["recommend"], times["floor"], strict=True)]


def _row(label: str, values: list[float], unit: str = "") -> None:
    figures = (statistics.median(values), min(values), max(values))
    digits = 2 if unit else 1
    print(f"  {label:42} " + " ".join(f"{value:7.{digits}f}{unit or ' '}" for value in figures))


def _time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The command's wall seconds, and its CPU seconds (user + system, its children's too)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


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
    parser.add_argument("--runs", type=int, default=31, help="pairs of end-to-end runs (floor, recommend)")
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument(
        "--command", choices=sorted(COMMANDS), default="defaults", help="what recommend is asked (default: defaults)"
    )
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")
    if options.runs:
        end_to_end(options.runs, options.command)
    if options.decisions:
        throughput(options.decisions)


if __name__ == "__main__":
    main()
