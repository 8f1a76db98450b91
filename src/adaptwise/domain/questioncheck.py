"""What `adaptwise check` finds in a tree's questions and their options: a text question
with options or nowhere to go, a choice question without two options or a sound default,
an option that explains nothing or leads nowhere, and a several-answer question with too
few or too many options to combine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adaptwise.domain.conditioncheck import combination
from adaptwise.domain.errors import did_you_mean
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path
from adaptwise.domain.model import Tree
from adaptwise.domain.questions import Option, Question

_ANSWER_ID = re.compile(r"[a-z0-9][a-z0-9_]*")


#: A question that takes several answers has 2^n - 1 - n combinations of its n options that
#: combine, each a whole answer the path analysis carries: past this, a list of checkboxes
#: is better asked as several questions.
MAX_COMBINABLE = 10


def question_findings(tree: Tree) -> Iterator[Finding]:
    """Each question's problems, in file order."""
    for index, question in enumerate(tree.questions):
        here: Path = ("questions", index)
        if question.is_text:
            yield from _text_question(question, here)
        else:
            yield from _choice_question(question, here)


def _text_question(question: Question, here: Path) -> Iterator[Finding]:
    if question.options:
        yield Finding(here + ("options",), "a text question takes no options", question.id, code="text-with-options")
    if question.select == "many":
        yield Finding(
            here + ("select",),
            "'select: many' is for choice questions, not free text",
            question.id,
            hint="remove it, or make the question a choice",
            code="text-with-select-many",
        )
    if question.next is None:
        yield Finding(here, "a text question needs 'next'", question.id, code="text-without-next")


def _choice_question(question: Question, here: Path) -> Iterator[Finding]:
    if len(question.options) < 2:
        yield Finding(
            here + ("options",),
            f"a choice question needs at least two options, it has {len(question.options)}",
            question.id,
            code="too-few-options",
        )
    seen: set[str] = set()
    for option_index, option in enumerate(question.options):
        at = here + ("options", option_index)
        if option.value in seen:
            yield Finding(at + ("value",), f"duplicate option '{option.value}'", question.id, code="duplicate-option")
        seen.add(option.value)
        yield from _option(question, option, at)
    yield from _several_answers(question, here)
    yield from _default(question, here)


def _option(question: Question, option: Option, at: Path) -> Iterator[Finding]:
    if not _ANSWER_ID.fullmatch(option.value):
        yield Finding(
            at + ("value",),
            f"option value '{option.value}' is not a snake_case id",
            question.id,
            expected="lower-case letters, digits and underscores",
            code="not-snake-case",
        )
    if not option.explanation.strip():
        yield Finding(at, f"option '{option.value}' has no explanation", question.id, code="option-without-explanation")
    if option.unsure and not option.caveat.strip():
        yield Finding(
            at, f"'Not sure' option '{option.value}' needs a caveat", question.id, code="unsure-without-caveat"
        )
    if option.next is None and question.next is None:
        yield Finding(
            at, f"option '{option.value}' leads nowhere (no 'next')", question.id, code="option-leads-nowhere"
        )
    if option.alone and question.select != "many":
        yield Finding(
            at + ("alone",),
            f"option '{option.value}' is marked 'alone', which only a question with 'select: many' uses",
            question.id,
            hint="add 'select: many' to the question, or remove 'alone'",
            code="alone-without-select-many",
        )


def _several_answers(question: Question, here: Path) -> Iterator[Finding]:
    """A question that takes several answers needs options to combine, and not too many."""
    if not question.is_multiple or len(question.options) < 2:
        return
    combinable = len(question.combinable)
    if combinable < 2:
        yield Finding(
            here + ("select",),
            f"'select: many' needs at least two options that can be chosen together (not 'alone'), it has {combinable}",
            question.id,
            hint="mark fewer options 'alone', or remove 'select: many'",
            code="too-few-combinable",
        )
    elif combinable > MAX_COMBINABLE:
        yield Finding(
            here + ("select",),
            f"'select: many' takes at most {MAX_COMBINABLE} options that can be chosen together, it has {combinable}",
            question.id,
            hint="split the question, or mark some options 'alone'",
            code="too-many-combinable",
        )


def _default(question: Question, here: Path) -> Iterator[Finding]:
    if question.default is None:
        yield Finding(here, "a choice question needs a default", question.id, code="choice-without-default")
    elif question.is_multiple and combination(question, question.default):
        yield Finding(
            here + ("default",),
            f"the default must be one option, not the combination '{question.default}'",
            question.id,
            expected=", ".join(question.values),
            code="combination-default",
        )
    elif question.options and question.default not in question.values:
        yield Finding(
            here + ("default",),
            f"default '{question.default}' is not one of the options",
            question.id,
            expected=", ".join(question.values),
            hint=did_you_mean(question.default, question.values),
            code="unknown-default",
            refers_to=(Target("option", question.default, question.id),),
        )
