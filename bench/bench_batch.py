"""Benchmark `adaptwise batch` over a portfolio of answers files.

    python bench/bench_batch.py [--files 1000] [--runs 5]

Generates random complete answers files (every tenth one also names its initiative and
budget owner, one in fifty is broken) in a temporary folder, then times
`adaptwise batch FOLDER --format json` end to end in a subprocess, warm tree cache, median
of the runs. The goal is 1,000 files in under 2 s on a 2-core machine. This is a
measurement, never a test: nothing here asserts a time.
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


def make_portfolio(folder: Path, count: int, seed: int = 7) -> None:
    from adaptwise.domain.engine import walk
    from adaptwise.files.trees import load_tree

    tree = load_tree().tree
    rng = random.Random(seed)
    for index in range(count):
        answers: dict[str, str] = {}
        while (pending := walk(tree, answers).pending) is not None:
            answers[pending.id] = rng.choice(pending.values)
        lines = [f"{key}: {value}" for key, value in answers.items()]
        if index % 10 == 0:
            lines += [f'initiative: "Initiative {index}"', f'budget_owner: "Team {index % 7}"']
        if index % 50 == 49:
            lines.append("budget: lots")  # broken: not an allowed answer (and a duplicate key)
        (folder / f"initiative-{index:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="adaptwise-bench-batch-") as temporary:
        folder = Path(temporary) / "portfolio"
        folder.mkdir()
        make_portfolio(folder, options.files)
        env = {**os.environ, "ADAPTWISE_CACHE_DIR": str(Path(temporary) / "cache")}
        command = [sys.executable, "-m", "adaptwise", "batch", str(folder), "--format", "json"]
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)  # fills the cache
        times = []
        for _ in range(options.runs):
            start = time.perf_counter()
            result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
        assert result.returncode in (0, 1), result.returncode
        median = statistics.median(times)
        print(f"adaptwise batch over {options.files} answers files, median of {options.runs} runs")
        print(f"  {median:6.2f} s end to end  ({median / options.files * 1000:.2f} ms per file; goal < 2 s for 1,000)")


if __name__ == "__main__":
    main()
