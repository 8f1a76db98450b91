"""Portfolios: one decision per initiative, and the summary as Markdown, CSV or JSON.

`decide_all` decides each initiative with one loaded tree and never stops at a bad one:
its error is kept and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adaptwise.domain.decision import Decision
from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.lineage import TreeStamp, stamps_text
from adaptwise.domain.literal_text import json_text
from adaptwise.domain.model import APPROACH_LABELS, Tree

NOT_NAMED = "not named"


@dataclass(frozen=True, slots=True)
class Initiative:
    """One initiative to decide: raw answers (or why they could not be read), and where from."""

    source: str
    """The file, or 'file.csv row N'."""
    name: str
    """The name used when the answers do not name the initiative."""
    read: Callable[[Tree], dict[str, str]]
    """Returns the checked answers, or raises InputError."""


@dataclass(frozen=True, slots=True)
class Decided:
    name: str
    source: str
    approach: str
    techniques: tuple[str, ...]
    outcome: str
    budget_owner: str
    open_questions: tuple[str, ...]
    open_notes: tuple[str, ...]
    approach_label: str = ""
    """The approach as the decision names it (its outcome may word it its own way)."""


@dataclass(frozen=True, slots=True)
class Invalid:
    name: str
    source: str
    error: str


@dataclass(slots=True)
class Portfolio:
    decided: list[Decided] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Initiatives per approach, every approach listed, least ambitious first."""
        counts = dict.fromkeys(APPROACH_LABELS, 0)
        for row in self.decided:
            counts[row.approach] = counts.get(row.approach, 0) + 1
        return counts


def decide_all(
    tree: Tree,
    items: list[Initiative],
    *,
    defaults: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Portfolio:
    portfolio = Portfolio()
    for done, item in enumerate(items, start=1):
        try:
            decision = _decide(tree, item, defaults)
        except InputError as error:
            portfolio.invalid.append(Invalid(item.name, item.source, _one_line(error)))
        else:
            open_plans = [plan for plan in decision.plan if plan.open]
            portfolio.decided.append(
                Decided(
                    name=tree.initiative_name(decision.answers) or item.name,
                    source=item.source,
                    approach=decision.approach,
                    techniques=decision.techniques,
                    outcome=decision.outcome,
                    budget_owner=_budget_owner(tree, decision.answers) or NOT_NAMED,
                    open_questions=tuple(plan.ask for plan in open_plans),
                    open_notes=tuple(note for plan in open_plans for note in plan.notes),
                    approach_label=decision.approach_label,
                )
            )
        if progress is not None:
            progress(done, len(items))
    return portfolio


def _decide(tree: Tree, item: Initiative, defaults: bool) -> Decision:
    from adaptwise.domain.engine import MissingAnswers, decide_or_refuse, decide_with_defaults

    try:
        answers = item.read(tree)
        return decide_with_defaults(tree, answers).decision if defaults else decide_or_refuse(tree, answers)
    except MissingAnswers as missing:
        raise InputError(
            Problem(
                "not answered: " + ", ".join(question.id for question in missing.questions),
                file=item.source,
                hint="answer them, or pass --defaults to use their defaults",
            )
        ) from None


def _budget_owner(tree: Tree, answers: Mapping[str, str]) -> str:
    role = tree.roles.budget_owner
    return answers.get(role, "") if role else ""


def _one_line(error: InputError) -> str:
    first = " ".join(str(error.problems[0]).split())
    more = len(error.problems) - 1
    return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def render_markdown(portfolio: Portfolio, tree: Tree, sha256: str, bases: tuple[TreeStamp, ...] = ()) -> str:
    from adaptwise.domain.literal_text import escape_markdown as esc

    total = len(portfolio.decided) + len(portfolio.invalid)
    out = [
        f"# Portfolio: {total} initiative{'s' if total != 1 else ''}",
        "",
        f"Decided with decision tree version {_code(tree.version, esc)} (sha256 `{sha256}`){stamps_text(bases)}: "
        f"{len(portfolio.decided)} decided, {len(portfolio.invalid)} invalid.",
        "",
        "| initiative | approach | techniques | budget owner | open questions | source |",
        "|---|---|---|---|---|---|",
    ]
    for row in portfolio.decided:
        techniques = ", ".join(f"`{technique}`" for technique in row.techniques) or "none"
        opened = " ".join(esc(ask) for ask in row.open_questions) or "none"
        out.append(
            f"| {esc(row.name)} | {row.approach_label or APPROACH_LABELS.get(row.approach, row.approach)} | "
            f"{techniques} | "
            f"{esc(row.budget_owner)} | {opened} | {_code(row.source, esc)} |"
        )
    out += ["", "## Counts per approach", "", "| approach | initiatives |", "|---|---|"]
    for approach, count in portfolio.counts().items():
        out.append(f"| {APPROACH_LABELS.get(approach, approach)} | {count} |")
    out.append(f"| invalid | {len(portfolio.invalid)} |")
    out += ["", "## Invalid initiatives", ""]
    out += [f"- **{esc(item.name)}**: {esc(item.error)}" for item in portfolio.invalid] or ["None."]
    return "\n".join(out) + "\n"


def _code(text: str, esc: Callable[[str], str]) -> str:
    """A code span for a path or version, unless a backtick or pipe (tables) would break it."""
    if any(character in text for character in "`|\n\r") or not text.strip():
        return esc(text)
    return f"`{text}`"


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(portfolio: Portfolio) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["initiative", "status", "approach", "techniques", "budget_owner", "open_questions", "source", "error"]
    )
    for row in portfolio.decided:
        writer.writerow(
            [
                _cell(row.name),
                "decided",
                row.approach,
                " ".join(row.techniques),
                _cell(row.budget_owner),
                " ".join(row.open_questions),
                _cell(row.source),
                "",
            ]
        )
    for item in portfolio.invalid:
        writer.writerow([_cell(item.name), "invalid", "", "", "", "", _cell(item.source), _cell(item.error)])
    return buffer.getvalue()


def as_dict(portfolio: Portfolio, tree: Tree, sha256: str, bases: tuple[TreeStamp, ...] = ()) -> dict[str, Any]:
    return {
        "tree": {
            "version": tree.version,
            "sha256": sha256,
            **({"bases": [{"version": base.version, "sha256": base.sha256} for base in bases]} if bases else {}),
        },
        "initiatives": [
            {
                "name": row.name,
                "source": row.source,
                "approach": row.approach,
                "approach_label": row.approach_label or APPROACH_LABELS.get(row.approach, row.approach),
                "techniques": list(row.techniques),
                "outcome": row.outcome,
                "budget_owner": row.budget_owner,
                "open_questions": list(row.open_questions),
                "open_notes": list(row.open_notes),
            }
            for row in portfolio.decided
        ],
        "counts": portfolio.counts(),
        "invalid": [{"name": item.name, "source": item.source, "error": item.error} for item in portfolio.invalid],
    }


def render_json(portfolio: Portfolio, tree: Tree, sha256: str, bases: tuple[TreeStamp, ...] = ()) -> str:

    return json_text(as_dict(portfolio, tree, sha256, bases))
