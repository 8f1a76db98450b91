"""Answers: checking raw answers against a tree, and reading answers files.

`check_answers` is pure: it takes raw values (from a file, flags, or a form) and returns
the valid answers or every problem, each placed by the `Origin` its value came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from adaptwise.errors import InputError, Problem, did_you_mean
from adaptwise.model import Question, Tree

#: Answers files are small; anything bigger is a mistake or an attack.
MAX_ANSWERS_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a raw answer was written."""

    file: str | None = None
    line: int | None = None
    column: int | None = None


#: Where the answer to a question id was written: `locate(question_id, of_key)` gives the
#: position of the key itself when `of_key` (for unknown ids), else of its value.
Locate = Callable[[str, bool], Origin]


def _nowhere(_: str, __: bool) -> Origin:
    return Origin()


def check_answers(tree: Tree, raw: Mapping[str, Any], locate: Locate = _nowhere) -> dict[str, str]:
    """The answers as `{question id: value}`, or an InputError listing every bad one."""
    answers: dict[str, str] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        question = tree.question_by_id.get(key)
        if question is None:
            problems.append(_place(Problem(
                f"unknown question '{key}'",
                expected="one of " + ", ".join(tree.question_by_id),
                hint=did_you_mean(key, tree.question_by_id),
            ), locate(key, True)))
            continue
        problem = _check_value(question, value)
        if problem is not None:
            problems.append(_place(problem, locate(key, False)))
        elif question.is_text:
            answers[key] = "" if value is None else " ".join(value.split())
        elif value is not None:
            answers[key] = value
    if problems:
        raise InputError(problems, f"{len(problems)} bad answers" if len(problems) > 1 else None)
    return answers


def _place(problem: Problem, origin: Origin) -> Problem:
    return problem.at(origin.file, origin.line, origin.column)


def _check_value(question: Question, value: Any) -> Problem | None:
    allowed = ", ".join(question.values)
    if question.is_text:
        return _check_text(question, value)
    if isinstance(value, bool):
        # YAML reads true/false (and, in YAML 1.1, yes/no/on/off) as booleans.
        word = "true" if value else "false"
        return Problem(
            f"got the boolean {word}, not an answer",
            question=question.id,
            expected=f"one of {allowed}",
            hint=f"quote it (\"{word}\") only if '{word}' is really an option",
        )
    if value is None:
        return Problem("no answer given", question=question.id, expected=f"one of {allowed}")
    if not isinstance(value, str):
        return Problem(
            f"got {_kind(value)} {_show(value)}, not one of the answers",
            question=question.id,
            expected=f"one of {allowed}",
        )
    if question.option(value) is None:
        return Problem(
            f"'{_shorten(value)}' is not an allowed answer",
            question=question.id,
            expected=f"one of {allowed}",
            hint=did_you_mean(value, question.values),
        )
    return None


def _check_text(question: Question, value: Any) -> Problem | None:
    from adaptwise.yamlsafe import find_unsafe_character

    if value is None:
        return None
    if not isinstance(value, str):
        return Problem(
            f"got {_kind(value)} {_show(value)}; free text must be written as text",
            question=question.id,
            hint=f"quote it: \"{_show(value)}\"",
        )
    if len(value) > question.max_length:
        return Problem(
            f"is {len(value)} characters long; the limit is {question.max_length}",
            question=question.id,
        )
    if "\n" in value or "\t" in value:
        return Problem("must be a single line of text", question=question.id)
    unsafe = find_unsafe_character(value)
    if unsafe is not None:
        return Problem(
            f"contains the invisible or control character {unsafe[1]} at position {unsafe[0] + 1}",
            question=question.id,
            hint="remove it; it could rewrite what a terminal or a reader shows",
        )
    return None


def _kind(value: Any) -> str:
    if isinstance(value, (int, float)):
        return "the number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "the value"


def _show(value: Any) -> str:
    return "" if isinstance(value, (list, dict)) else _shorten(str(value))


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- answers files -------------------------------------------------------------------------


def _for_answers(problem: Problem, tree: Tree) -> Problem:
    """A YAML problem in an answers file, said in terms of the question it is about.

    The loader names the top-level key; only a real question id is worth naming, and for a
    choice question the useful hint is its allowed answers.
    """
    question = tree.question_by_id.get(problem.question or "")
    if question is None:
        return replace(problem, question=None)
    if not question.is_text and problem.expected is None:
        return replace(problem, expected="one of " + ", ".join(question.values))
    return problem


def load_answers_file(path: str | os.PathLike[str], tree: Tree) -> dict[str, str]:
    """Read a YAML or JSON answers file (a mapping of question id to answer) and check it."""
    from adaptwise.yamlsafe import load_yaml_file

    source = os.fspath(path)
    # JSON is YAML, so one safe loader serves both, with positions for every value.
    try:
        located = load_yaml_file(
            path, max_bytes=MAX_ANSWERS_BYTES, what="answers file", questions_at_top=True
        )
    except InputError as error:
        raise InputError([_for_answers(problem, tree) for problem in error.problems], error.summary) from None
    if located.data is None:
        raise InputError(Problem(
            "is empty; expected a mapping of question id to answer, e.g. 'budget: under_10k'",
            file=source,
        ))
    if not isinstance(located.data, dict):
        line, column = located.position(())
        raise InputError(Problem(
            "must be a mapping of question id to answer, e.g. 'budget: under_10k'",
            file=source,
            line=line,
            column=column,
        ))

    def locate(key: str, of_key: bool) -> Origin:
        if of_key and (key,) in located.key_positions:
            line, column = located.key_positions[(key,)]
        else:
            line, column = located.position((key,))
        return Origin(source, line, column)

    return check_answers(tree, located.data, locate)
