"""Portfolio inputs: answers files, folders of them, or a CSV with one initiative a row
(a column per question id, empty cells unanswered).
"""

from __future__ import annotations

import os
from pathlib import Path

from adaptwise.domain.errors import InputError, Problem, did_you_mean
from adaptwise.domain.model import Tree
from adaptwise.domain.portfolio import Initiative

ANSWERS_SUFFIXES = (".yaml", ".yml", ".json")


MAX_CSV_BYTES = 32 << 20


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
        rows.append(_csv_row(path, header, cells, number, reader.line_num))
    return rows


def _csv_row(path: str, header: list[str], cells: list[str], number: int, line: int) -> Initiative:
    source = f"{path} row {number}"

    def read(tree: Tree) -> dict[str, str]:
        from adaptwise.domain.answers import Origin, check_answers

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
        # a short row leaves the last columns unanswered
        raw = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name and cell.strip()}
        columns = {name: index for index, name in enumerate(header, start=1)}
        return check_answers(tree, raw, lambda key, _of_key: Origin(path, line, columns.get(key)))

    return Initiative(source, f"{Path(path).name} row {number}", read)
