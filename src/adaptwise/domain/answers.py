"""Checking raw answers against a tree: pure, so every front end shares it.

`check_answers` takes raw values (from a file, flags, or a form) and returns the valid
answers or every problem, each placed by the `Origin` its value came from. How each kind of
question takes its answers is its kind's (`adaptwise.domain.answer_kinds`).
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


#: Where item `index` of a list given as the answer to a question id was written.
LocateItem = Callable[[str, int], Origin]


def _nowhere(_: str, __: bool) -> Origin:
    return Origin()


def check_answers(
    tree: Tree, raw: Mapping[str, Any], locate: Locate = _nowhere, locate_item: LocateItem | None = None
) -> dict[str, str]:
    """The answers as `{question id: value}`, or an InputError listing every bad one.

    Each question's kind checks its raw value (`Question.kind`). A problem with one item of
    a list is placed by `locate_item` when it is given (files), else where the whole answer
    was written.
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
        answer, found = question.kind.check(question, value)
        for problem, index in found:
            where = locate_item(key, index) if index is not None and locate_item else locate(key, False)
            problems.append(_place(problem, where))
        if answer is not None:  # a kind gives no answer with its problems
            answers[key] = answer
    if problems:
        raise InputError(problems, f"{len(problems)} bad answers" if len(problems) > 1 else None)
    return answers


def _place(problem: Problem, origin: Origin) -> Problem:
    return problem.at(origin.file, origin.line, origin.column)


def allowed_text(question: Question) -> str:
    """What a question accepts, as messages say it: 'one of a, b' or, for a question that
    takes several answers, 'one of x, y, or one or more of a, b, c'."""
    return question.kind.allowed(question)


def choice_answer(question: Question, text: str) -> str | None:
    """An answer written as text (several values separated by commas, for a question that
    takes several) as the tree stores it, or None when it is not an answer."""
    answer, found = question.kind.check(question, text)
    return None if found else answer


def read_choice(question: Question, text: str) -> str:
    """`choice_answer`, or an InputError saying in one line why the text is no answer."""
    return question.kind.read(question, text)
