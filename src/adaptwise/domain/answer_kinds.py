"""The kinds of question, each one class that knows how its answers are given and checked.

A kind turns a raw answer (from a file, a flag, a form or a typed line) into the one answer
the tree stores, or says in words why it is no answer. `Question.kind` names a question's
kind; code outside the front ends' widgets asks the kind, never which kind it is, so a new
kind is its class here, its place in the tree schema, and a widget per front end.

- `ChoiceKind`: one option's value.
- `SeveralKind` (`select: many`): one or more option values, as a list or as text with
  commas; stored as one answer, `Question.combine` of the values.
- `TextKind`: optional free text, one line, no control characters.
- `NumberKind`: a figure such as 50M or 2,500, read by `read_number` (for the questions
  about a person's own figures the tree is about to ask).
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, ClassVar

from adaptwise.domain.errors import InputError, Problem, did_you_mean

if TYPE_CHECKING:
    from adaptwise.domain.questions import Question

#: The problems with a raw answer, each with the index of the list item it is about (None:
#: the whole answer).
Found = list[tuple[Problem, int | None]]


class AnswerKind:
    """How a kind of question takes its answers: checked raw, read from a typed line, and
    written back as data."""

    name: ClassVar[str]
    chooses: ClassVar[bool] = True
    """Its answers are options, which routes, conditions and the path analysis read."""

    def check(self, question: Question, value: Any) -> tuple[str | None, Found]:
        """The stored answer for a raw value (None: no answer, which free kinds allow), or
        the problems."""
        raise NotImplementedError

    def read(self, question: Question, text: str) -> str:
        """The stored answer for a line a person typed, or an InputError saying in one line
        why it is none."""
        answer, found = self.check(question, text)
        if found:
            raise InputError(found[0][0])
        return "" if answer is None else answer

    def allowed(self, question: Question) -> str:
        """What the question accepts, as messages say it."""
        return "one of " + ", ".join(question.values)

    def restore(self, question: Question, value: Any) -> str | None:
        """An answer saved earlier (a session), if the question still takes it; None drops it."""
        answer, found = self.check(question, value)
        return None if found else answer


class ChoiceKind(AnswerKind):
    name = "choice"

    def check(self, question: Question, value: Any) -> tuple[str | None, Found]:
        allowed = self.allowed(question)
        if isinstance(value, list):
            single = len(value) == 1 and isinstance(value[0], str)
            hint = f"write the answer without brackets: {question.id}: {shorten(value[0])}" if single else None
            return None, [
                (
                    Problem(
                        "got a list; this question takes one answer", question=question.id, expected=allowed, hint=hint
                    ),
                    None,
                )
            ]
        problem = not_a_value(question, value, allowed)
        if problem is None and question.option(value) is None:
            problem = self._not_an_option(question, value, allowed)
        return (None, [(problem, None)]) if problem is not None else (value, [])

    @staticmethod
    def _not_an_option(question: Question, value: str, allowed: str) -> Problem:
        from adaptwise.domain.questions import CHOICE_SEPARATOR

        parts = [part.strip() for part in value.split(CHOICE_SEPARATOR)]
        if len(parts) > 1 and all(question.option(part) is not None for part in parts):
            return Problem(
                f"'{shorten(value)}' gives several answers; this question takes one",
                question=question.id,
                expected=allowed,
            )
        return Problem(
            f"'{shorten(value)}' is not an allowed answer",
            question=question.id,
            expected=allowed,
            hint=did_you_mean(value, question.values),
        )


class SeveralKind(AnswerKind):
    name = "several"

    def allowed(self, question: Question) -> str:
        several = "one or more of " + ", ".join(question.combinable)
        alone = [option.value for option in question.options if option.alone]
        return f"one of {', '.join(alone)}, or {several}" if alone else several

    def check(self, question: Question, value: Any) -> tuple[str | None, Found]:
        items, found = self._items(question, value)
        if found:
            return None, found
        allowed = self.allowed(question)
        where: dict[str, int | None] = {}  # each value chosen, and the item that first chose it
        for index, item in items:
            problem = not_a_value(question, item, allowed)
            if problem is None and not item.strip():
                problem = Problem("an empty answer in the list", question=question.id, expected=allowed)
            if problem is None and question.option(item.strip()) is None:
                problem = Problem(
                    f"'{shorten(item.strip())}' is not an allowed answer",
                    question=question.id,
                    expected=allowed,
                    hint=did_you_mean(item.strip(), question.values),
                )
            if problem is not None:
                found.append((problem, index))
            else:
                where.setdefault(item.strip(), index)
        if found:
            return None, found
        return self._combined(question, where, allowed)

    def _items(self, question: Question, value: Any) -> tuple[list[tuple[int | None, Any]], Found]:
        """The items of a list, or of comma-separated text, each with its list index."""
        from adaptwise.domain.questions import CHOICE_SEPARATOR

        allowed = self.allowed(question)
        if isinstance(value, list):
            if not value:
                empty = Problem("got an empty list; choose at least one answer", question=question.id, expected=allowed)
                return [], [(empty, None)]
            return list(enumerate(value)), []
        if isinstance(value, str):
            items: list[tuple[int | None, Any]] = [
                (None, part) for part in value.split(CHOICE_SEPARATOR) if part.strip()
            ]
            if not items:
                return [], [(Problem("no answer given", question=question.id, expected=allowed), None)]
            return items, []
        problem = not_a_value(question, value, allowed)
        assert problem is not None  # text was handled above
        return [], [(problem, None)]

    @staticmethod
    def _combined(question: Question, where: dict[str, int | None], allowed: str) -> tuple[str | None, Found]:
        chosen = question.combine(where)
        alone = next((value for value in question.parts(chosen) if value not in question.combinable), None)
        if alone is None or len(where) == 1:
            return chosen, []
        others = [value for value in question.parts(chosen) if value != alone]
        problem = Problem(
            f"'{alone}' stands alone; it cannot be combined with {' and '.join(others)}",
            question=question.id,
            expected=allowed,
        )
        return None, [(problem, where[alone])]


class TextKind(AnswerKind):
    name = "text"
    chooses = False

    def allowed(self, question: Question) -> str:
        return f"one line of text, at most {question.max_length} characters"

    def restore(self, question: Question, value: Any) -> str | None:
        """Saved text is kept as far as it can be shown: cleaned and cut to the limit."""
        from adaptwise.domain.text import clean_text

        return clean_text(value, question.max_length) if isinstance(value, str) else None

    def check(self, question: Question, value: Any) -> tuple[str | None, Found]:
        problem = self._problem(question, value)
        if problem is not None:
            return None, [(problem, None)]
        return ("" if value is None else " ".join(value.split())), []

    @staticmethod
    def _problem(question: Question, value: Any) -> Problem | None:
        from adaptwise.domain.text import find_unsafe_character

        if value is None:
            return None
        if not isinstance(value, str):
            return Problem(
                f"got {kind_of_value(value)} {show(value)}; free text must be written as text",
                question=question.id,
                hint=f'quote it: "{show(value)}"',
            )
        if len(value) > question.max_length:
            return Problem(f"is {len(value)} characters long; the limit is {question.max_length}", question=question.id)
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


#: The largest figure any question takes: far above any real count, request volume or
#: budget, and small enough that every sum and product of figures stays a finite float.
NUMBER_LIMIT = 1e15

_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}
_NUMBER = re.compile(r"(?P<digits>\d+(?:[.]\d+)?(?:e[+-]?\d+)?)(?P<suffix>k|m|bn|b)?")


def read_number(text: str, *, limit: float = NUMBER_LIMIT) -> float:
    """A figure as a person writes it: 50000000, 50,000,000, 50_000_000, 50M, 2.5k or 1e6.

    Raises ValueError, in words, for anything else: a negative, NaN, infinite or absurdly
    large figure, or text that is not a number."""
    written = text.strip()
    compact = written.replace("_", "").replace(",", "").replace(" ", "").lower()
    if compact.startswith("-"):
        raise ValueError(f"'{shorten(written)}' is negative; a figure here is 0 or more")
    match = _NUMBER.fullmatch(compact.removeprefix("+"))
    if match is None or not _grouped_right(written):
        raise ValueError(f"'{shorten(written)}' is not a number (write it like 50000000, 50,000,000, 50M or 2.5k)")
    number = float(match["digits"]) * _SUFFIXES.get(match["suffix"] or "", 1.0)
    if not math.isfinite(number) or number > limit:
        raise ValueError(f"'{shorten(written)}' is too large; the most this takes is {limit:,.0f}")
    return number


def _grouped_right(written: str) -> bool:
    """Thousands separators, where used, group three digits (so 5,00 is refused)."""
    whole = written.strip().lstrip("+").split(".")[0]
    for separator in (",", "_"):
        if separator in whole:
            head, *groups = whole.split(separator)
            if not (1 <= len(head) <= 3 and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in groups)):
                return False
    return True


class NumberKind(AnswerKind):
    """A figure: a count, a volume or an amount, kept as the text of its value."""

    name = "number"
    chooses = False

    def allowed(self, question: Question) -> str:
        return f"a number from 0 to {NUMBER_LIMIT:,.0f}, e.g. 50000000, 50,000,000 or 50M"

    def check(self, question: Question, value: Any) -> tuple[str | None, Found]:
        if value is None:
            return None, []
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problem = Problem(
                f"got {kind_of_value(value)} {show(value)}, not a number",
                question=question.id,
                expected=self.allowed(question),
            )
            return None, [(problem, None)]
        try:
            number = read_number(value if isinstance(value, str) else repr(value))
        except ValueError as error:
            return None, [(Problem(str(error), question=question.id, expected=self.allowed(question)), None)]
        return format_number(number), []


def format_number(number: float) -> str:
    """A figure as answers store it: a whole number without a decimal point."""
    return str(int(number)) if number.is_integer() else repr(number)


CHOICE, SEVERAL, TEXT, NUMBER = ChoiceKind(), SeveralKind(), TextKind(), NumberKind()


def kind_of(question_type: str, select: str) -> AnswerKind:
    """The kind of a question declared with this `type` and `select`."""
    if question_type == "text":
        return TEXT
    return SEVERAL if select == "many" else CHOICE


def not_a_value(question: Question, value: Any, allowed: str) -> Problem | None:
    """Why a raw value is not even text that could name an option (None when it is text)."""
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
            f"got {kind_of_value(value)} {show(value)}, not one of the answers", question=question.id, expected=allowed
        )
    return None


def kind_of_value(value: Any) -> str:
    if isinstance(value, (int, float)):
        return "the number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "the value"


def show(value: Any) -> str:
    return "" if isinstance(value, (list, dict)) else shorten(str(value))


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
