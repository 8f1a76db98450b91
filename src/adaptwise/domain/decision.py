"""A decision as every front end shows it: the approach, the path that led there, what is
missing for more, the three questions every plan must answer, and what was rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from adaptwise.domain.model import Source
from adaptwise.domain.questions import Question


@dataclass(frozen=True, slots=True)
class Step:
    """One question on the decision path and what its answer meant."""

    question: Question
    answer: str
    label: str
    meant: str
    decisive: bool
    """Whether the rule or a modifier that shaped the decision read this answer."""


@dataclass(frozen=True, slots=True)
class MissingNeed:
    question: str
    need: str
    have: str
    """The label of the answer given instead, e.g. '$100k to $1M'."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    """What a more ambitious approach would still need."""

    requirement: str
    approach: str
    label: str
    missing: tuple[MissingNeed, ...]


@dataclass(frozen=True, slots=True)
class PlanPart:
    """One answer that goes into a plan answer; free text is kept apart so it can be escaped."""

    question: str
    text: str
    free_text: bool
    topic: str = ""
    """What the question is about, in words ('the infrastructure'); the id when the tree has none."""


@dataclass(frozen=True, slots=True)
class PlanAnswer:
    """One of the three questions (data, infrastructure, budget) and its answer."""

    id: str
    ask: str
    parts: tuple[PlanPart, ...]
    open: bool
    notes: tuple[str, ...]

    def answer(self, escape: Callable[[str], str] = lambda text: text) -> str:
        """The parts as one sentence, each after its topic ('The infrastructure: a hosted
        model API; where the data may live: ...'), free text passed through `escape`."""
        texts = [
            f"{part.topic or part.question.replace('_', ' ')}: "
            + (escape(part.text) if part.free_text else _as_continuation(part.text))
            for part in self.parts
        ]
        sentence = "; ".join(texts)
        return sentence[:1].upper() + sentence[1:] + "." if texts else "Not answered."


def _as_continuation(label: str) -> str:
    """A label inside a sentence: 'A hosted model API' is 'a hosted model API', 'GPU' stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


@dataclass(frozen=True, slots=True)
class Rejected:
    approach: str
    label: str
    why: str


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: str
    approach: str
    approach_label: str
    headline: str
    techniques: tuple[str, ...]
    path: tuple[Step, ...]
    rationale: tuple[str, ...]
    plan: tuple[PlanAnswer, ...]
    risks: tuple[str, ...]
    next_steps: tuple[str, ...]
    not_recommended: tuple[Rejected, ...]
    shortfalls: tuple[Shortfall, ...]
    caveats: tuple[str, ...]
    sources: tuple[Source, ...]
    answers: dict[str, str]
    """The answers on the path, free text included: enough to replay the decision."""
    unused_answers: dict[str, str] = field(default_factory=dict)
    """Answers given that the path never asked for."""
    modifiers: tuple[str, ...] = ()
    tree_version: str = ""
