"""How long each public example's report is: its first screen (the lines up to the first
step) and its main flow (the lines outside `<details>` blocks), which must stay within
120. Run: python bench/bench_report.py"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from adaptwise.domain.answers import check_answers
from adaptwise.domain.engine import decide_with_defaults
from adaptwise.domain.report import main_flow, render_markdown
from adaptwise.files.trees import load_tree

MAIN_FLOW_LIMIT = 120


def public_examples() -> dict[str, dict[str, object]]:
    from test_decision_model_v2 import PUBLIC_V2

    from profiles import PUBLIC

    examples: dict[str, dict[str, object]] = {example.name: dict(example.answers) for example in PUBLIC}
    examples.update({name: dict(answers) for name, (answers, *_) in PUBLIC_V2.items()})
    return examples


def first_screen_lines(markdown: str) -> int:
    """Lines up to and including the first next step (the end of the decision screen)."""
    lines = markdown.splitlines()
    return next((i + 1 for i, line in enumerate(lines) if line.startswith("**First step:**")), len(lines))


def main() -> int:
    tree = load_tree().tree
    worst = 0
    print(f"{'example':<26} {'first screen':>12} {'main flow':>9} {'all':>5} {'bytes':>6}")
    for name, answers in public_examples().items():
        decision = decide_with_defaults(tree, check_answers(tree, answers)).decision
        markdown = render_markdown(decision, tree, sha256="0" * 64, today=date(2026, 12, 1))
        flow = len(main_flow(markdown))
        worst = max(worst, flow)
        print(
            f"{name:<26} {first_screen_lines(markdown):>12} {flow:>9} {len(markdown.splitlines()):>5} "
            f"{len(markdown.encode()):>6}"
        )
    print(f"longest main flow: {worst} lines (limit {MAIN_FLOW_LIMIT})")
    return 0 if worst <= MAIN_FLOW_LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
