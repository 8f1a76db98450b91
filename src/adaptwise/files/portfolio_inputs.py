"""Portfolio inputs: answers files, folders of them, or a CSV with one initiative a row
(a column per question id, empty cells unanswered).

A CSV's header is checked once, whatever the number of rows, so the work is linear in the
file: at most `MAX_CSV_COLUMNS` columns, each named once.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from adaptwise.domain.errors import InputError, Problem, as_input_error, did_you_mean
from adaptwise.domain.model import Tree
from adaptwise.domain.portfolio import Initiative
from adaptwise.domain.text import echo

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")


MAX_CSV_BYTES = 32 << 20


#: A header names question ids; a tree with more questions than this is not one to fill in
#: a spreadsheet, and a wider header is a wrong file.
MAX_CSV_COLUMNS = 1024


def initiatives(paths: list[str]) -> list[Initiative]:
    """Every initiative named by the paths: files, folders of answers files, CSV files.

    A folder gives every entry with an answers suffix that is not itself a folder; one that
    is no regular file (a FIFO, a dangling link) is listed as invalid, never skipped.
    """
    found: list[Initiative] = []
    for given in paths:
        if _is_folder(given):
            with as_input_error(given, "list this folder"):
                files = sorted(
                    child
                    for child in Path(given).iterdir()
                    if child.suffix.lower() in ANSWERS_SUFFIXES and not _is_folder(os.fspath(child))
                )
            found += [_answers_file(os.fspath(child)) for child in files]
        elif Path(given).suffix.lower() == ".csv":
            found += _csv_rows(given)
        else:
            found.append(_answers_file(given))
    return found


def _is_folder(path: str) -> bool:
    """Whether `path` is a folder; what cannot be looked at is left to the reader to say."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _answers_file(path: str) -> Initiative:
    from adaptwise.files.answers_file import load_answers_file

    return Initiative(path, Path(path).name, lambda tree: load_answers_file(path, tree))


def _unreadable(source: str, error: InputError) -> Initiative:
    def read(_: Tree) -> dict[str, str]:
        raise error

    return Initiative(source, Path(source).name, read)


def _csv_rows(path: str) -> list[Initiative]:
    import csv
    import io

    from adaptwise.files.textfiles import read_text_file

    try:
        text = read_text_file(path, max_bytes=MAX_CSV_BYTES, what="CSV file")
    except InputError as error:
        return [_unreadable(path, error)]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _Header(path, [cell.strip() for cell in next(reader)])
    except StopIteration:
        return [_unreadable(path, InputError(Problem("is empty; expected a header row of question ids", file=path)))]
    except csv.Error as error:
        return [_unreadable(path, InputError(Problem(f"is not valid CSV ({error})", file=path, line=1)))]
    except InputError as error:
        return [_unreadable(path, error)]
    rows: list[Initiative] = []
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rows.append(
                _unreadable(
                    f"{path} line {reader.line_num}",
                    InputError(Problem(f"is not valid CSV ({error})", file=path, line=reader.line_num)),
                )
            )
            break
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        rows.append(_csv_row(header, cells, number, reader.line_num))
    return rows


class _Header:
    """A CSV's header row, checked once: its shape now, its names against the tree once."""

    def __init__(self, path: str, names: list[str]) -> None:
        self.path = path
        self.names = names
        if len(names) > MAX_CSV_COLUMNS:
            raise InputError(
                Problem(
                    f"its header has {len(names):,} columns; at most {MAX_CSV_COLUMNS:,} are read",
                    file=path,
                    line=1,
                    expected="a header row of question ids",
                )
            )
        self.columns: dict[str, int] = {}
        problems = []
        for column, name in enumerate(names, start=1):
            if not name:
                continue
            if name in self.columns:
                problems.append(
                    Problem(
                        f"duplicate column '{echo(name)}' (columns {self.columns[name]} and {column}); "
                        "only one value per question can count",
                        file=path,
                        line=1,
                        column=column,
                        hint="remove one of them",
                    )
                )
                continue
            self.columns[name] = column
        self.shape_problems = tuple(problems)
        self.checked: tuple[Tree, tuple[Problem, ...]] | None = None

    def problems(self, tree: Tree) -> tuple[Problem, ...]:
        """Duplicate and unknown columns, worked out once per tree, not once per row."""
        if self.checked is None or self.checked[0] is not tree:
            unknown = tuple(
                Problem(
                    f"unknown column '{echo(name)}'; columns are question ids",
                    file=self.path,
                    line=1,
                    column=column,
                    hint=did_you_mean(name, tree.question_by_id),
                )
                for name, column in self.columns.items()
                if name not in tree.question_by_id
            )
            problems = sorted(self.shape_problems + unknown, key=lambda problem: problem.column or 0)
            self.checked = (tree, tuple(problems))
        return self.checked[1]


def _csv_row(header: _Header, cells: list[str], number: int, line: int) -> Initiative:
    path = header.path
    source = f"{path} row {number}"

    def read(tree: Tree) -> dict[str, str]:
        from adaptwise.domain.answers import Origin, check_answers

        problems = header.problems(tree)
        if len(cells) > len(header.names):
            problems += (
                Problem(
                    f"has {len(cells)} cells but the header names {len(header.names)} columns", file=path, line=line
                ),
            )
        if problems:
            raise InputError(problems)
        # a short row leaves the last columns unanswered
        raw = {name: cell.strip() for name, cell in zip(header.names, cells, strict=False) if name and cell.strip()}
        columns = header.columns
        return check_answers(tree, raw, lambda key, _of_key: Origin(path, line, columns.get(key)))

    return Initiative(source, f"{Path(path).name} row {number}", read)
