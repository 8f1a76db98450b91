"""The tree's questions and their options, and how a question reads its whole answers.

A choice of several options is one answer, its values joined by `CHOICE_SEPARATOR`; a
`Question` knows how to split, combine and label such answers and where each one leads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from adaptwise.domain.model_types import FORBID_EXTRA, Id, NonEmpty

if TYPE_CHECKING:
    from adaptwise.domain.answer_kinds import AnswerKind


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed answer to a choice question."""

    __pydantic_config__ = FORBID_EXTRA

    value: Id
    """The stable snake_case id written in answers files."""
    label: NonEmpty
    """What the screens show."""
    explanation: str = ""
    """One line saying what choosing this option means, shown as the highlight moves."""
    means: str = ""
    """What this answer means for the decision, shown in the report's 'Why'."""
    next: str | None = None
    """The node this answer leads to; defaults to the question's own `next`."""
    if_chosen: str = ""
    """This answer as a condition in a sentence, e.g. 'the budget were over $1M'."""
    unsure: bool = False
    """A 'Not sure' answer: the tree treats it conservatively and reports a caveat."""
    caveat: str = ""
    """Added to the decision whenever this answer is given (required for 'Not sure')."""
    alone: bool = False
    """In a `select: many` question, this answer is never combined with others ('Not tested')."""


#: Joins the values of a several-answer choice, in option order: "knowledge_gap,behavior_gap".
#: Ids are snake_case ASCII (`check` enforces it), so no value contains it.
CHOICE_SEPARATOR = ","


@dataclass(frozen=True)
class Question:
    """A question node: a choice among options, or optional free text."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    prompt: NonEmpty
    help: str = ""
    """Plain words explaining the question's terms."""
    topic: str = ""
    """What the question is about, as a phrase: 'the budget', 'how good the data is'."""
    type: Literal["choice", "text"] = "choice"
    options: tuple[Option, ...] = ()
    default: str | None = None
    next: str | None = None
    """Where every option without its own `next` leads (and where a text question leads)."""
    placeholder: str = ""
    max_length: int = 200
    """Free text longer than this is refused."""
    select: Literal["one", "many"] = "one"
    """A choice of one option, or of several at once ("choose all that apply"); options
    marked `alone` are never combined."""

    @cached_property
    def kind(self) -> AnswerKind:
        """How this question takes its answers (`adaptwise.domain.answer_kinds`)."""
        from adaptwise.domain.answer_kinds import kind_of

        return kind_of(self.type, self.select)

    @property
    def is_text(self) -> bool:
        return self.type == "text"

    @property
    def is_multiple(self) -> bool:
        return self.select == "many" and not self.is_text

    @cached_property
    def combinable(self) -> tuple[str, ...]:
        """The values that may be chosen together (none, for a one-answer question)."""
        if not self.is_multiple:
            return ()
        return tuple(option.value for option in self.options if not option.alone)

    @cached_property
    def answer_values(self) -> tuple[str, ...]:
        """Every whole answer: each option, then each combination of two or more, in order.

        A combination is one answer, written with `CHOICE_SEPARATOR`, so the engine, the path
        analysis and every file format treat it like any other value.
        """
        combined = [
            CHOICE_SEPARATOR.join(chosen)
            for size in range(2, len(self.combinable) + 1)
            for chosen in combinations(self.combinable, size)
        ]
        return (*self.values, *combined)

    def parts(self, answer: str) -> tuple[str, ...]:
        """The option values an answer is made of: one, or several for a combination."""
        if self.is_multiple and CHOICE_SEPARATOR in answer:
            return tuple(answer.split(CHOICE_SEPARATOR))
        return (answer,)

    def combine(self, values: Iterable[str]) -> str:
        """The one answer for these option values: in option order, each once."""
        chosen = set(values)
        return CHOICE_SEPARATOR.join(value for value in self.values if value in chosen)

    def accepting(self, allowed: Iterable[str]) -> frozenset[str]:
        """The whole answers a condition naming `allowed` holds for: an answer holds when
        any option it is made of is allowed (so "knowledge_gap" holds for both gaps)."""
        named = frozenset(allowed)
        if not self.is_multiple:
            return named
        return named | {answer for answer in self.answer_values if not named.isdisjoint(self.parts(answer))}

    def as_data(self, answer: str) -> str | list[str]:
        """An answer as files and JSON write it: a combination as the list of its values."""
        parts = self.parts(answer)
        return list(parts) if len(parts) > 1 else answer

    def options_of(self, answer: str) -> tuple[Option, ...]:
        """The options an answer is made of (none for free text or an unknown value)."""
        known = self._options_by_answer.get(answer)
        if known is not None:
            return known
        return tuple(option for option in (self.option(part) for part in self.parts(answer)) if option)

    @cached_property
    def _options_by_answer(self) -> dict[str, tuple[Option, ...]]:
        # Every walk and decision asks this; the answers are few, so they are built once.
        return {
            answer: tuple(option for option in map(self.option_by_value.get, self.parts(answer)) if option)
            for answer in self.answer_values
        }

    @cached_property
    def option_by_value(self) -> dict[str, Option]:
        return {option.value: option for option in self.options}

    def option(self, value: str) -> Option | None:
        return self.option_by_value.get(value)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def leads_to(self, value: str | None) -> str | None:
        """The id of the node an answer leads to; a combination follows the first of its
        options (in option order) that leads somewhere of its own."""
        if value is None:
            return self.next
        target = self._next_by_answer.get(value)
        if target is not None or value in self._next_by_answer:
            return target
        return next((option.next for option in self.options_of(value) if option.next is not None), self.next)

    @cached_property
    def _next_by_answer(self) -> dict[str, str | None]:
        return {
            answer: next((option.next for option in self.options_of(answer) if option.next is not None), self.next)
            for answer in self.answer_values
        }
