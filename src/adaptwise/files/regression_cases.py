"""Regression cases on disk: `emit` writes a tree's cases into a folder, `rerun` decides
each again with a (perhaps edited) tree and says which decisions moved.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from adaptwise.domain.drift import Verdict, listed_techniques
from adaptwise.domain.errors import InputError, Problem, as_input_error, os_problem
from adaptwise.domain.model import Tree
from adaptwise.domain.regression import (
    CASE_GLOB,
    Coverage,
    Rerun,
    _one_line,
    case_text,
    cover,
    read_expected,
)


def emit(tree: Tree, sha256: str, folder: str, *, force: bool) -> tuple[Coverage, list[Path]]:
    """Write the cases into `folder` (created if missing); old cases go only with `force`."""
    from adaptwise.files.output import write_output

    coverage = cover(tree)
    target = Path(folder)
    if not _is_folder(folder):
        try:
            target.mkdir()
        except FileNotFoundError:
            missing = f"no such folder: {target.parent}{os.sep} — create it first"
            raise InputError(Problem(missing, file=folder)) from None
        except OSError as error:
            raise InputError(os_problem(error, folder, "create this folder")) from None
    with as_input_error(folder, "replace the cases in this folder"):
        old = sorted(target.glob(CASE_GLOB))
        if old and not force:
            raise InputError(
                Problem(
                    f"already holds {len(old)} regression case{'s' if len(old) > 1 else ''}",
                    file=folder,
                    hint="use --force to replace them, or choose another folder",
                )
            )
        for stale in old:
            stale.unlink()
    width = len(str(len(coverage.cases)))
    written: list[Path] = []
    for number, case in enumerate(coverage.cases, start=1):
        path = target / f"case-{number:0{width}d}-{case.outcome}.yaml"
        text = case_text(tree, case, number, len(coverage.cases), sha256)
        if (done := write_output(text, os.fspath(path), force=True)) is not None:  # None only for stdout
            written.append(done)
    return coverage, written


def _is_folder(folder: str) -> bool:
    """Whether `folder` is a folder (False when nothing is there); anything else is refused."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return False
    except NotADirectoryError:  # `file.txt/cases`: a file on the way
        raise InputError(Problem(f"{os.path.dirname(folder.rstrip(os.sep))} is not a folder", file=folder)) from None
    except OSError as error:
        raise InputError(os_problem(error, folder, "use this folder")) from None
    if not stat.S_ISDIR(info.st_mode):
        raise InputError(Problem("is not a folder", file=folder))
    return True


def rerun(tree: Tree, folder: str) -> list[Rerun]:
    """Decide every case in `folder` again; each result lists what changed (nothing if same)."""
    from adaptwise.domain.engine import decide_with_defaults
    from adaptwise.files.answers_file import MAX_ANSWERS_BYTES, load_answers_file
    from adaptwise.files.textfiles import read_text_file

    target = Path(folder)
    if not _is_folder(folder):
        raise InputError(Problem("no such folder", file=folder))
    with as_input_error(folder, "list this folder"):
        files = sorted(target.glob(CASE_GLOB))
    if not files:
        raise InputError(
            Problem(
                f"holds no regression cases ({CASE_GLOB})",
                file=folder,
                hint="write them first with `adaptwise check --emit-tests DIR`",
            )
        )
    results = []
    for path in files:
        name = os.fspath(path)
        expected = read_expected(read_text_file(path, max_bytes=MAX_ANSWERS_BYTES, what="answers file"), name)
        result = Rerun(name, expected)
        results.append(result)
        try:
            answers = load_answers_file(path, tree)
        except InputError as error:
            result.changes.append(
                "its answers are no longer valid: " + "; ".join(_one_line(problem) for problem in error.problems)
            )
            continue
        completed = decide_with_defaults(tree, answers)
        decision = Verdict.of(completed.decision)
        if completed.defaulted:
            result.notes.append(
                "new questions on its path are not answered: "
                + ", ".join(question.id for question in completed.defaulted)
                + " (decided with their defaults)"
            )
        if decision.approach != expected.approach:
            result.changes.append(f"approach {expected.approach} → {decision.approach}")
        if decision.techniques != expected.techniques:
            result.changes.append(
                f"techniques {listed_techniques(expected.techniques)} → {listed_techniques(decision.techniques)}"
            )
        if decision.outcome != expected.outcome:
            result.changes.append(f"outcome {expected.outcome} → {decision.outcome}")
    return results
