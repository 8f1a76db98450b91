"""Fingerprint every decision the shipped tree makes, to prove a refactor changed none.

    python bench/decision_fingerprint.py [--tree PATH] [--every N] [--reports-every N] [--out FILE]

Walks every complete answer set of the tree (every whole answer at each pending question,
advice-only questions sampled as in tests/conftest.py), decides it, and renders its JSON
contract; every Nth profile (default 25) also renders the Markdown report. The whole
space (about 10^5 profiles) takes about 9 minutes on the 2-core machine; `--every 10`
keeps every tenth profile, for a quick look while working. Each line of
the output is `<answers> <sha1 of the JSON> <sha1 of the report or ->`; the last line is the
sha1 of them all. The tree's own hash and the date are fixed, so a tree that decides and
words everything alike gives the same file, whatever its layout. Compare two runs with
`diff` (before and after a change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import enumerate_contract_space  # the one enumeration the tests use too

from adaptwise.domain.engine import decide
from adaptwise.domain.report import render_json, render_markdown
from adaptwise.files.trees import load_tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=None)
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--reports-every", type=int, default=25)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    loaded = load_tree(args.tree) if args.tree else load_tree()
    tree = loaded.tree
    lines: list[str] = []
    space = sorted(enumerate_contract_space(tree), key=lambda item: sorted(item[0].items()))
    for index, (answers, _) in enumerate(space):
        if index % args.every:
            continue
        decision = decide(tree, answers)
        contract = render_json(decision, tree, sha256="fixed")
        report = "-"
        if index % args.reports_every == 0:
            markdown = render_markdown(decision, tree, sha256="fixed", today=date(2023, 11, 14))
            report = hashlib.sha1(markdown.encode()).hexdigest()
        key = json.dumps(answers, sort_keys=True, separators=(",", ":"))
        lines.append(f"{key} {hashlib.sha1(contract.encode()).hexdigest()} {report}")
    total = hashlib.sha1("\n".join(lines).encode()).hexdigest()
    text = "\n".join([*lines, f"profiles={len(lines)} all={total}"]) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(f"profiles={len(lines)} all={total}")


if __name__ == "__main__":
    main()
