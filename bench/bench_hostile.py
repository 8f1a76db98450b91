"""Benchmark the inputs a hostile test pass found slow: work on user input must stay linear.

    python bench/bench_hostile.py [--runs 3] [--only csv,rules,ask,flags,footer]

Each case is generated in a temporary folder and timed end to end in a subprocess (warm
tree cache, median of the runs):

* csv: `adaptwise batch` over a 690 KB CSV whose header is 1,000 columns wide (the cap,
  `files/portfolio_inputs.MAX_CSV_COLUMNS`), most of them unknown, one initiative a row;
  and a header past the cap, which is refused at once;
* rules: `adaptwise check` on a tree whose route repeats one rule 5,000 times (each copy
  shadowed by the first);
* ask: `adaptwise ask` walking a generated tree of 500 chained questions, answers piped;
* flags: `adaptwise recommend @FILE` with a 0.9 MB flags file of 40,000 flags (the cap,
  `files/flags.MAX_FLAGS`, is 1,000);
* footer: `adaptwise replay` of a report whose footer has a 700 KB line of near misses of
  the decision line (`files/footer.MAX_DECISION_LINE` is 4,096 characters).

A measurement, never a test: nothing here asserts a time. Measured on the 2-core machine
(others working on it too: the first "before" run, busier, took 11.0 s and 35.5 s for the
first and third cases), before the hardening (at 59bfc91^) and after:

    case                                            before     after
    batch, 691 KB CSV, 1,000 columns                 5.13 s    0.17 s
    batch, 10,000 columns (refused past the cap)     4.72 s    0.10 s
    check, 5,000 copies of one rule                 22.02 s    0.46 s
    ask, 500 chained questions (someone else's)      1.41 s    1.42 s
    recommend @FILE, 40,000 flags                   42.75 s    0.09 s
    replay, a 700 KB line of near misses           101.42 s    0.08 s
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
BASE_TREE = REPOSITORY / "tests" / "data" / "tree_tools" / "base.yaml"
CSV_BYTES = 690_000
CSV_COLUMNS = 1000
RULE_COPIES = 5000
CHAINED_QUESTIONS = 500
FLAGS = 40_000
NEAR_MISSES = 20_000


def wide_csv(path: Path, columns: int, size: int) -> None:
    """A header of the base tree's ids and `columns` in all, then rows up to `size` bytes."""
    header = ["initiative", "task", "data"] + [f"extra_{index:04d}" for index in range(columns - 3)]
    row = "Initiative,text,some" + "," * (columns - 3) + "\n"
    lines = [",".join(header) + "\n"]
    total = len(lines[0])
    while total < size:
        lines.append(row)
        total += len(row)
    path.write_text("".join(lines), encoding="utf-8")


def shadowed_rules_tree(path: Path, copies: int) -> None:
    """The base tree with its first route rule repeated `copies` times after itself."""
    text = BASE_TREE.read_text(encoding="utf-8")
    rule = (
        "      - when: {task: records}\n        then: classic_model\n        why: Records call for a classic model.\n"
    )
    assert rule in text, "the base tree's first rule moved; update the bench"
    path.write_text(text.replace(rule, rule * (copies + 1), 1), encoding="utf-8")


def chained_tree(path: Path, count: int) -> None:
    """`count` choice questions in a row, each leading to the next, then one outcome."""
    lines = ['version: "1"', "title: chained questions", "start: q0000", "", "questions:"]
    for index in range(count):
        following = f"q{index + 1:04d}" if index + 1 < count else "done"
        lines += [
            f"  - id: q{index:04d}",
            f"    prompt: Question {index}?",
            "    default: a",
            f"    next: {following}",
            "    options:",
            "      - {value: a, label: A, explanation: The first answer.}",
            "      - {value: b, label: B, explanation: The second answer.}",
        ]
    lines += [
        "",
        "routes: []",
        "",
        "outcomes:",
        "  - id: done",
        "    approach: prompt_engineering",
        "    headline: Prompt a base model.",
        "    rationale:",
        "      - Prompting comes first.",
        "",
        "plan_questions:",
        "  - id: data",
        "    ask: With what data?",
        "    answered_from: [q0000]",
        "",
        "techniques: []",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str], env: dict[str, str], runs: int, stdin: bytes | None = None) -> tuple[float, int]:
    subprocess.run(command, env=env, input=stdin, capture_output=True, check=False)  # fills the cache
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, env=env, input=stdin, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        code = result.returncode
    return statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="csv,rules,ask,flags,footer", help="comma-separated cases")
    options = parser.parse_args()
    cases = set(options.only.split(","))
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores, median of {options.runs} runs")
    adaptwise = [sys.executable, "-m", "adaptwise"]
    with tempfile.TemporaryDirectory(prefix="adaptwise-bench-hostile-") as temporary:
        folder = Path(temporary)
        env = {**os.environ, "ADAPTWISE_CACHE_DIR": str(folder / "cache")}
        if "csv" in cases:
            table = folder / "wide.csv"
            wide_csv(table, CSV_COLUMNS, CSV_BYTES)
            seconds, code = timed([*adaptwise, "batch", str(table), "--tree", str(BASE_TREE)], env, options.runs)
            size = table.stat().st_size // 1000
            print(f"  batch, {size} KB CSV, {CSV_COLUMNS:,} columns:   {seconds:6.2f} s  (exit {code})")
            wider = folder / "wider.csv"
            wide_csv(wider, CSV_COLUMNS * 10, CSV_BYTES)
            seconds, code = timed([*adaptwise, "batch", str(wider), "--tree", str(BASE_TREE)], env, options.runs)
            print(f"  batch, {CSV_COLUMNS * 10:,} columns (over the cap): {seconds:6.2f} s  (exit {code})")
        if "rules" in cases:
            tree = folder / "shadowed.yaml"
            shadowed_rules_tree(tree, RULE_COPIES)
            seconds, code = timed([*adaptwise, "check", str(tree)], env, options.runs)
            print(f"  check, {RULE_COPIES:,} copies of one rule:    {seconds:6.2f} s  (exit {code})")
        if "ask" in cases:
            tree = folder / "chained.yaml"
            chained_tree(tree, CHAINED_QUESTIONS)
            answers = b"\n" * (CHAINED_QUESTIONS + 1)  # every default, then confirm the review
            seconds, code = timed([*adaptwise, "ask", "--tree", str(tree)], env, options.runs, stdin=answers)
            print(f"  ask, {CHAINED_QUESTIONS} chained questions:        {seconds:6.2f} s  (exit {code})")
        if "flags" in cases:
            flags = folder / "huge.flags"
            flags.write_text("".join(f"--initiative=line {number}\n" for number in range(FLAGS)), encoding="utf-8")
            command = [*adaptwise, "recommend", f"@{flags}", "--tree", str(BASE_TREE), "--defaults"]
            seconds, code = timed(command, env, options.runs)
            print(f"  recommend @FILE, {FLAGS:,} flags:        {seconds:6.2f} s  (exit {code})")
        if "footer" in cases:
            report = folder / "report.md"
            near_misses = "Decided with decision tree version " * NEAR_MISSES
            report.write_text(f"## Reproducibility\n\n{near_misses}\n\n```yaml\ntask: text\n```\n", encoding="utf-8")
            seconds, code = timed([*adaptwise, "replay", str(report), "--tree", str(BASE_TREE)], env, options.runs)
            print(f"  replay, a {len(near_misses) // 1000} KB line of near misses: {seconds:6.2f} s  (exit {code})")


if __name__ == "__main__":
    main()
