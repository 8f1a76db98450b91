"""Portfolios: one decision per initiative, over answers files, folders of them, or a CSV.

`initiatives` reads the inputs lazily (a CSV gives one initiative per row, a column per
question id, empty cells unanswered); `decide_all` decides each with one loaded tree and
never stops at a bad one: its error is kept and the rest go on. The renderers give the
summary as Markdown, CSV or JSON.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adaptwise.errors import InputError, Problem, did_you_mean
from adaptwise.model import APPROACH_LABELS, Tree

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")
MAX_CSV_BYTES = 32 << 20
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
        counts = {approach: 0 for approach in APPROACH_LABELS}
        for row in self.decided:
            counts[row.approach] = counts.get(row.approach, 0) + 1
        return counts


# --- reading the inputs --------------------------------------------------------------------


def initiatives(paths: list[str]) -> list[Initiative]:
    """Every initiative named by the paths: files, folders of answers files, CSV files."""
    found: list[Initiative] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                child for child in path.iterdir() if child.suffix.lower() in ANSWERS_SUFFIXES and child.is_file()
            )
            found += [_answers_file(os.fspath(child)) for child in files]
        elif path.suffix.lower() == ".csv":
            found += _csv_rows(given)
        else:
            found.append(_answers_file(given))
    return found


def _answers_file(path: str) -> Initiative:
    from adaptwise.answers import load_answers_file

    return Initiative(path, Path(path).name, lambda tree: load_answers_file(path, tree))


def _unreadable(source: str, error: InputError) -> Initiative:
    def read(_: Tree) -> dict[str, str]:
        raise error

    return Initiative(source, Path(source).name, read)


def _csv_rows(path: str) -> list[Initiative]:
    import csv
    import io

    from adaptwise.answers import Origin, check_answers
    from adaptwise.files import read_text_file

    try:
        text = read_text_file(path, max_bytes=MAX_CSV_BYTES, what="CSV file")
    except InputError as error:
        return [_unreadable(path, error)]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        return [_unreadable(path, InputError(Problem("is empty; expected a header row of question ids", file=path)))]
    except csv.Error as error:
        return [_unreadable(path, InputError(Problem(f"is not valid CSV ({error})", file=path, line=1)))]
    rows: list[Initiative] = []
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rows.append(_unreadable(f"{path} line {reader.line_num}", InputError(
                Problem(f"is not valid CSV ({error})", file=path, line=reader.line_num)
            )))
            break
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        rows.append(_csv_row(path, header, cells, number, reader.line_num, check_answers, Origin))
    return rows


def _csv_row(path, header, cells, number, line, check_answers, Origin) -> Initiative:
    source = f"{path} row {number}"

    def read(tree: Tree) -> dict[str, str]:
        problems = []
        for column, name in enumerate(header, start=1):
            if name and name not in tree.question_by_id:
                problems.append(Problem(
                    f"unknown column '{name}'; columns are question ids",
                    file=path, line=1, column=column,
                    hint=did_you_mean(name, tree.question_by_id),
                ))
        if len(cells) > len(header):
            problems.append(Problem(
                f"has {len(cells)} cells but the header names {len(header)} columns", file=path, line=line
            ))
        if problems:
            raise InputError(problems)
        raw = {name: cell.strip() for name, cell in zip(header, cells) if name and cell.strip()}
        columns = {name: index for index, name in enumerate(header, start=1)}
        return check_answers(tree, raw, lambda key, _of_key: Origin(path, line, columns.get(key)))

    return Initiative(source, f"{Path(path).name} row {number}", read)


# --- deciding ------------------------------------------------------------------------------


def decide_all(
    tree: Tree,
    items: list[Initiative],
    *,
    defaults: bool,
    progress: Callable[[int, int], None] | None = None,
) -> Portfolio:
    from adaptwise.engine import decide, missing_questions, with_defaults

    portfolio = Portfolio()
    for done, item in enumerate(items, start=1):
        try:
            answers = item.read(tree)
            if defaults:
                answers = with_defaults(tree, answers)
            missing = missing_questions(tree, answers)
            if missing:
                raise InputError(Problem(
                    "not answered: " + ", ".join(question.id for question in missing),
                    file=item.source,
                    hint="answer them, or pass --defaults to use their defaults",
                ))
            decision = decide(tree, answers)
        except InputError as error:
            portfolio.invalid.append(Invalid(item.name, item.source, _one_line(error)))
        else:
            open_plans = [plan for plan in decision.plan if plan.open]
            portfolio.decided.append(Decided(
                name=decision.answers.get("initiative") or item.name,
                source=item.source,
                approach=decision.approach,
                techniques=decision.techniques,
                outcome=decision.outcome,
                budget_owner=decision.answers.get("budget_owner") or NOT_NAMED,
                open_questions=tuple(plan.ask for plan in open_plans),
                open_notes=tuple(note for plan in open_plans for note in plan.notes),
            ))
        if progress is not None:
            progress(done, len(items))
    return portfolio


def _one_line(error: InputError) -> str:
    first = " ".join(str(error.problems[0]).split())
    more = len(error.problems) - 1
    return first + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


class TerminalProgress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        filled = self.width * done // total
        self.stream.write(f"\rdeciding [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
        self.stream.flush()


# --- rendering -----------------------------------------------------------------------------


def render_markdown(portfolio: Portfolio, tree: Tree, sha256: str) -> str:
    from adaptwise.report import escape_markdown as esc

    total = len(portfolio.decided) + len(portfolio.invalid)
    out = [
        f"# Portfolio: {total} initiative{'s' if total != 1 else ''}",
        "",
        f"Decided with decision tree version {_code(tree.version, esc)} (sha256 `{sha256}`): "
        f"{len(portfolio.decided)} decided, {len(portfolio.invalid)} invalid.",
        "",
        "| initiative | approach | techniques | budget owner | open questions | source |",
        "|---|---|---|---|---|---|",
    ]
    for row in portfolio.decided:
        techniques = ", ".join(f"`{technique}`" for technique in row.techniques) or "none"
        opened = " ".join(esc(ask) for ask in row.open_questions) or "none"
        out.append(
            f"| {esc(row.name)} | {APPROACH_LABELS.get(row.approach, row.approach)} | {techniques} | "
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
    writer.writerow(["initiative", "status", "approach", "techniques", "budget_owner", "open_questions", "source", "error"])
    for row in portfolio.decided:
        writer.writerow([
            _cell(row.name), "decided", row.approach, " ".join(row.techniques),
            _cell(row.budget_owner), " ".join(row.open_questions), _cell(row.source), "",
        ])
    for item in portfolio.invalid:
        writer.writerow([_cell(item.name), "invalid", "", "", "", "", _cell(item.source), _cell(item.error)])
    return buffer.getvalue()


def as_dict(portfolio: Portfolio, tree: Tree, sha256: str) -> dict[str, Any]:
    return {
        "tree": {"version": tree.version, "sha256": sha256},
        "initiatives": [
            {
                "name": row.name,
                "source": row.source,
                "approach": row.approach,
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


def render_json(portfolio: Portfolio, tree: Tree, sha256: str) -> str:
    import json

    return json.dumps(as_dict(portfolio, tree, sha256), indent=2, ensure_ascii=False) + "\n"
