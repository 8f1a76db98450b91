"""`adaptwise recommend`: decide from answers in flags and files, for scripts and pipelines.

The scripted path: it never imports Textual, and with a warm tree cache not pydantic
either (tests/test_import_hygiene.py), so every import here is deferred to `run`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adaptwise.cli import exits
from adaptwise.cli.arguments import GIVEN_ONLY, Command, CommandParser, Offer, add_tree_option, complete_with
from adaptwise.domain.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from datetime import date

    from adaptwise.cli.sources import CommandInputs
    from adaptwise.domain.model import Tree

#: The GPU price the cost model reads (domain/costs.py), which --gpu-hour-usd sets.
GPU_HOUR_ASSUMPTION = "gpu_hour_usd"


def define(parser: CommandParser, tree: Tree | None) -> None:
    parser.add_argument("--answers", metavar="FILE", default=GIVEN_ONLY, help="a YAML or JSON answers file")
    parser.add_argument(
        "--defaults", action="store_true", default=GIVEN_ONLY, help="answer unanswered questions with their defaults"
    )
    parser.add_argument(
        "--format", choices=("markdown", "json"), default=GIVEN_ONLY, help="report format (default: markdown)"
    )
    parser.add_argument(
        "--out", metavar="PATH", default=GIVEN_ONLY, help="where to write the report; '-' is stdout (default)"
    )
    parser.add_argument("--force", action="store_true", default=GIVEN_ONLY, help="replace an existing --out file")
    add_tree_option(parser, "a custom decision tree (default: the shipped one)", default=GIVEN_ONLY)
    costs = parser.add_group("cost assumptions", "Override a figure from the tree's assumptions: section for this run.")
    assume = costs.add_argument(
        "--assume",
        metavar="ID=LOW[:HIGH]",
        action="append",
        default=GIVEN_ONLY,
        help="e.g. --assume mfu=0.3:0.4 (repeatable)",
    )
    complete_with(assume, Offer(f"{assumption.id}=" for assumption in (tree.assumptions if tree else ())))
    costs.add_argument(
        "--gpu-hour-usd",
        metavar="USD",
        default=GIVEN_ONLY,
        help=f"GPU rental price, the same as --assume {GPU_HOUR_ASSUMPTION}=USD",
    )


def run(given: CommandInputs) -> int:
    from adaptwise.cli.output import write_result
    from adaptwise.domain.engine import decide_or_refuse, decide_with_defaults
    from adaptwise.domain.report import render_json, render_markdown

    loaded, options = given.loaded, given.options
    if options.get("defaults", False):
        decision = decide_with_defaults(loaded.tree, given.answers).decision
    else:
        advice = "answer with --QUESTION=VALUE or an answers file, or pass --defaults"
        decision = decide_or_refuse(loaded.tree, given.answers, advice=advice)
    overrides = _overrides(options, loaded.tree)
    if options.get("format", "markdown") == "json":
        text = render_json(decision, loaded.tree, sha256=loaded.sha256, overrides=overrides, bases=loaded.bases)
    else:
        text = render_markdown(
            decision, loaded.tree, sha256=loaded.sha256, today=report_date(), overrides=overrides, bases=loaded.bases
        )
    write_result(text, options.get("out", "-"), options.get("force", False))
    if decision.unused_answers:  # given, but this path never asks them: say so, once
        import sys

        print("Not used on this path: " + ", ".join(decision.unused_answers), file=sys.stderr)
    return exits.OK


def report_date() -> date:
    """Today, or SOURCE_DATE_EPOCH's date, for reproducible reports."""
    import os
    from datetime import UTC, date, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()


def _overrides(options: dict[str, Any], tree: Tree) -> dict[str, tuple[float, float]]:
    """Cost assumptions set with --assume and --gpu-hour-usd, checked against the tree's."""
    from adaptwise.domain.costs import out_of_limits, parse_override

    written = [(f"--assume {text}", text) for text in options.get("assume", [])]
    if "gpu_hour_usd" in options:  # the option's dest
        usd = options["gpu_hour_usd"]
        written.append((f"--gpu-hour-usd {usd}", f"{GPU_HOUR_ASSUMPTION}={usd}"))
    overrides: dict[str, tuple[float, float]] = {}
    problems = []
    for flag, text in written:
        try:
            name, value = parse_override(text)
        except ValueError as error:
            problems.append(Problem(f"{flag}: {error}"))
            continue
        if name not in tree.assumption_by_id:
            problems.append(
                Problem(
                    f"{flag}: the tree has no assumption '{name}'",
                    expected="one of " + ", ".join(tree.assumption_by_id),
                    hint=did_you_mean(name, tree.assumption_by_id) or "see the tree's assumptions: section",
                )
            )
            continue
        if (limit := out_of_limits(name, value)) is not None:
            problems.append(Problem(f"{flag}: {limit}"))
            continue
        overrides[name] = value
    if problems:
        raise InputError(problems)
    return overrides


COMMAND = Command(
    name="recommend",
    description="Decide from answers given in an answers file, flags files (@FILE) and flags.",
    epilog=(
        "Precedence: a flag on the command line, then a flags or answers file, then (only "
        "with --defaults) the question's default. Exit codes: 0 decided, 2 bad or missing input."
    ),
    define=define,
    run_with_answers=run,
)
