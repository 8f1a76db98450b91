"""Checking raw answers against a tree: pure, so every front end shares it.

`check_answers` takes raw values (from a file, flags, or a form) and returns the valid
answers or every problem, each placed by the `Origin` its value came from. A question that
takes several answers (`select: many`) takes a list, or text with the values separated by
commas; it is stored as one answer, `Question.combine` of its values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from adaptwise.domain.errors import InputError, Problem, did_you_mean
from adaptwise.domain.model import CHOICE_SEPARATOR, Question, Tree


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a raw answer was written."""

    file: str | None = None
    line: int | None = None
    column: int | None = None


#: Where the answer to a question id was written: `locate(question_id, of_key)` gives the
#: position of the key itself when `of_key` (for unknown ids), else of its value.
Locate = Callable[[str, bool], Origin]


#: Where item `index` of a list given as the answer to a question id was written.
LocateItem = Callable[[str, int], Origin]


def _nowhere(_: str, __: bool) -> Origin:
    return Origin()


def check_answers(
    tree: Tree, raw: Mapping[str, Any], locate: Locate = _nowhere, locate_item: LocateItem | None = None
) -> dict[str, str]:
    """The answers as `{question id: value}`, or an InputError listing every bad one.

    A problem with one item of a list is placed by `locate_item` when it is given (files),
    else where the whole answer was written.
    """
    answers: dict[str, str] = {}
    problems: list[Problem] = []
    for key, value in raw.items():
        question = tree.question_by_id.get(key)
        if question is None:
            problems.append(
                _place(
                    Problem(
                        f"unknown question '{key}'",
                        expected="one of " + ", ".join(tree.question_by_id),
                        hint=did_you_mean(key, tree.question_by_id),
                    ),
                    locate(key, True),
                )
            )
            continue
        if question.is_multiple:
            answer, found = _check_several(question, value)
            for item_problem, index in found:
                where = locate_item(key, index) if index is not None and locate_item else locate(key, False)
                problems.append(_place(item_problem, where))
            if answer is not None:
                answers[key] = answer
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


def allowed_text(question: Question) -> str:
    """What a choice question accepts, as messages say it: 'one of a, b' or, for a question
    that takes several answers, 'one of x, y, or one or more of a, b, c'."""
    if not question.is_multiple:
        return "one of " + ", ".join(question.values)
    several = "one or more of " + ", ".join(question.combinable)
    alone = [option.value for option in question.options if option.alone]
    return f"one of {', '.join(alone)}, or {several}" if alone else several


def choice_answer(question: Question, text: str) -> str | None:
    """A choice answer written as text (several values separated by commas, for a question
    that takes several) as the tree stores it, or None when it is not an answer."""
    if not question.is_multiple:
        return text if question.option(text) is not None else None
    answer, problems = _check_several(question, text)
    return None if problems else answer


def read_choice(question: Question, text: str) -> str:
    """`choice_answer`, or an InputError saying in one line why the text is no answer."""
    if question.is_multiple:
        answer, problems = _check_several(question, text)
        if answer is not None:
            return answer
        raise InputError(problems[0][0])
    problem = _check_value(question, text)
    if problem is not None:
        raise InputError(problem)
    return text


def _check_value(question: Question, value: Any) -> Problem | None:
    allowed = allowed_text(question)
    if question.is_text:
        return _check_text(question, value)
    if isinstance(value, list):
        single = len(value) == 1 and isinstance(value[0], str)
        return Problem(
            "got a list; this question takes one answer",
            question=question.id,
            expected=allowed,
            hint=f"write the answer without brackets: {question.id}: {_shorten(value[0])}" if single else None,
        )
    problem = _not_a_value(question, value, allowed)
    if problem is not None:
        return problem
    if question.option(value) is None:
        parts = [part.strip() for part in value.split(CHOICE_SEPARATOR)]
        if len(parts) > 1 and all(question.option(part) is not None for part in parts):
            return Problem(
                f"'{_shorten(value)}' gives several answers; this question takes one",
                question=question.id,
                expected=allowed,
            )
        return Problem(
            f"'{_shorten(value)}' is not an allowed answer",
            question=question.id,
            expected=allowed,
            hint=did_you_mean(value, question.values),
        )
    return None


def _not_a_value(question: Question, value: Any, allowed: str) -> Problem | None:
    """Why a raw value is not even text that could name an answer (None when it is text)."""
    if isinstance(value, bool):
        # YAML reads true/false (and, in YAML 1.1, yes/no/on/off) as booleans.
        word = "true" if value else "false"
        return Problem(
            f"got the boolean {word}, not an answer",
            question=question.id,
            expected=allowed,
            hint=f"quote it (\"{word}\") only if '{word}' is really an option",
        )
    if value is None:
        return Problem("no answer given", question=question.id, expected=allowed)
    if not isinstance(value, str):
        return Problem(
            f"got {_kind(value)} {_show(value)}, not one of the answers",
            question=question.id,
            expected=allowed,
        )
    return None


def _check_several(question: Question, value: Any) -> tuple[str | None, list[tuple[Problem, int | None]]]:
    """The one answer a list (or comma-separated text) of option values makes, or the
    problems, each with the index of the list item it is about (None: the whole answer)."""
    allowed = allowed_text(question)
    items: list[tuple[int | None, Any]]
    if isinstance(value, list):
        if not value:
            return None, [
                (Problem("got an empty list; choose at least one answer", question=question.id, expected=allowed), None)
            ]
        items = list(enumerate(value))
    elif isinstance(value, str):
        items = [(None, part) for part in value.split(CHOICE_SEPARATOR) if part.strip()]
        if not items:
            return None, [(Problem("no answer given", question=question.id, expected=allowed), None)]
    else:
        problem = _not_a_value(question, value, allowed)
        assert problem is not None  # text was handled above
        return None, [(problem, None)]
    problems: list[tuple[Problem, int | None]] = []
    where: dict[str, int | None] = {}  # each value chosen, and the item that first chose it
    for index, item in items:
        problem = _not_a_value(question, item, allowed)
        if problem is None and not item.strip():
            problem = Problem("an empty answer in the list", question=question.id, expected=allowed)
        if problem is None and question.option(item.strip()) is None:
            problem = Problem(
                f"'{_shorten(item.strip())}' is not an allowed answer",
                question=question.id,
                expected=allowed,
                hint=did_you_mean(item.strip(), question.values),
            )
        if problem is not None:
            problems.append((problem, index))
            continue
        where.setdefault(item.strip(), index)
    if problems:
        return None, problems
    chosen = question.combine(where)
    alone = next((value for value in question.parts(chosen) if value not in question.combinable), None)
    if alone is not None and len(where) > 1:
        others = [value for value in question.parts(chosen) if value != alone]
        return None, [
            (
                Problem(
                    f"'{alone}' stands alone; it cannot be combined with {' and '.join(others)}",
                    question=question.id,
                    expected=allowed,
                ),
                where[alone],
            )
        ]
    return chosen, []


def _check_text(question: Question, value: Any) -> Problem | None:
    from adaptwise.domain.text import find_unsafe_character

    if value is None:
        return None
    if not isinstance(value, str):
        return Problem(
            f"got {_kind(value)} {_show(value)}; free text must be written as text",
            question=question.id,
            hint=f'quote it: "{_show(value)}"',
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
