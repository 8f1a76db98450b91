"""Checking raw answers against a tree: pure, so every front end shares it.

`check_answers` takes raw values (from a file, flags, or a form) and returns the valid
answers or every problem, each placed by the `Origin` its value came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adaptwise.domain.errors import InputError, Problem, did_you_mean
from adaptwise.domain.model import Question, Tree


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
    from adaptwise.domain.text import find_unsafe_character

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
