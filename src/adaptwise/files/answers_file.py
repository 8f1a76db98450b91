"""Reading answers files (YAML or JSON) into checked answers, located at file:line:col."""

from __future__ import annotations

import os
from dataclasses import replace

from adaptwise.domain.answers import Origin, allowed_text, check_answers
from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.model import Tree

#: Answers files are small; anything bigger is a mistake or an attack.
MAX_ANSWERS_BYTES = 1 << 20


def _for_answers(problem: Problem, tree: Tree) -> Problem:
    """A YAML problem in an answers file, said in terms of the question it is about.

    The loader names the top-level key; only a real question id is worth naming, and for a
    choice question the useful hint is its allowed answers.
    """
    question = tree.question_by_id.get(problem.question or "")
    if question is None:
        return replace(problem, question=None)
    if not question.is_text and problem.expected is None:
        return replace(problem, expected=allowed_text(question))
    return problem


def load_answers_file(path: str | os.PathLike[str], tree: Tree) -> dict[str, str]:
    """Read a YAML or JSON answers file (a mapping of question id to answer) and check it."""
    from adaptwise.files.yamlsafe import load_yaml_file

    source = os.fspath(path)
    # JSON is YAML, so one safe loader serves both, with positions for every value.
    try:
        located = load_yaml_file(path, max_bytes=MAX_ANSWERS_BYTES, what="answers file", questions_at_top=True)
    except InputError as error:
        raise InputError([_for_answers(problem, tree) for problem in error.problems], error.summary) from None
    if located.data is None:
        raise InputError(
            Problem(
                "is empty; expected a mapping of question id to answer, e.g. 'budget: under_10k'",
                file=source,
            )
        )
    if not isinstance(located.data, dict):
        line, column = located.position(())
        raise InputError(
            Problem(
                "must be a mapping of question id to answer, e.g. 'budget: under_10k'",
                file=source,
                line=line,
                column=column,
            )
        )

    def locate(key: str, of_key: bool) -> Origin:
        line: int | None
        column: int | None
        if of_key and (key,) in located.key_positions:
            line, column = located.key_positions[(key,)]
        else:
            line, column = located.position((key,))
        return Origin(source, line, column)

    def locate_item(key: str, index: int) -> Origin:
        line, column = located.position((key, index))
        return Origin(source, line, column)

    return check_answers(tree, located.data, locate, locate_item)
