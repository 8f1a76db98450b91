"""What the code relies on, declared by the tree: the questions' roles, the cost rules,
and the assumptions the cost models read. `check` verifies each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from adaptwise.domain.model_types import FORBID_EXTRA, Approach, Condition, Id, NonEmpty, Range

#: The cost models, each the arithmetic for one approach's row (see `adaptwise.domain.costs`).
CostModel = Literal[
    "prompting",
    "prompting_with_retrieval",
    "self_hosted_prompting",
    "self_hosted_prompting_with_retrieval",
    "peft",
    "full_fine_tuning",
    "continued_pretraining",
    "classic_model",
    "pretraining",
]


@dataclass(frozen=True, slots=True)
class CostRule:
    """Which cost model prices an approach's row: for each approach the first rule that
    holds wins, so each approach ends with a rule without conditions."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    approach: Approach
    model: CostModel
    when: Condition = field(default_factory=dict)
    """Answers that must hold, as in a route; `approach` matches the decided approach."""
    if_technique: str | None = None
    """... and the decision includes this technique."""


@dataclass(frozen=True, slots=True)
class Assumption:
    """A figure the cost estimates rest on, with its source; a company may edit it."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    about: NonEmpty
    """What the figure is and where it comes from, in a phrase shown in reports."""
    unit: NonEmpty
    range: Range | None = None
    """Low and high; equal for a single figure. With `per_answer`, the figure where the
    question was not asked or its answer is not listed."""
    question: str | None = None
    per_answer: dict[str, Range] | None = None
    """Ranges that depend on an answer to `question`, e.g. examples per data volume."""
    sources: tuple[str, ...] = ()

    def value(self, answers: dict[str, str]) -> tuple[float, float] | None:
        """This figure's (low, high) for these answers, or None where it does not apply."""
        if self.per_answer is not None and self.question is not None:
            return self.per_answer.get(answers.get(self.question, ""), self.range)
        return self.range


@dataclass(frozen=True, slots=True)
class Roles:
    """Which questions play a part the code must know: the tree names them, never Python.

    Each is a question id; `check` verifies it exists and has the right kind. A tree may
    leave a role out, and the feature that needs it (a titled report, a budget check, a
    budget owner in a portfolio) does without.
    """

    __pydantic_config__ = FORBID_EXTRA

    initiative: str | None = None
    """Free text naming the initiative: report titles, export file names, portfolio rows."""
    budget: str | None = None
    """The budget question: its answer sets the budget line the cost ranges are checked against."""
    budget_owner: str | None = None
    """Free text naming whose budget it is."""
