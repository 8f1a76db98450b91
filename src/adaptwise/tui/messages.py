"""What the screens tell the app: small typed messages, handled by `AdaptwiseApp`.

Screens never call the app. They post one of these; it bubbles up to the app, which moves
the walkthrough and shows where it leads. Each names the step of the walkthrough that its
screen showed, so the app can ignore one that arrives after the walkthrough has moved on:
keys come faster than screens change (key repeat, a paste, a laggy link), and a message from
a screen that is no longer shown, or is under a dialog, answers a question nobody sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from adaptwise.domain.walkthrough import Walkthrough


@dataclass(eq=False)
class StepMessage(Message):
    """A request about the step `step` (the walkthrough a screen was showing when it asked)."""

    step: Walkthrough


@dataclass(eq=False)
class Answered(StepMessage):
    """The question on screen was answered (free text as typed; the app cleans it)."""

    question_id: str
    value: str


@dataclass(eq=False)
class BackRequested(StepMessage):
    """Escape: one step back, wherever the person is."""


@dataclass(eq=False)
class EditRequested(StepMessage):
    """From the review: change this answer, then come back to the review."""

    question_id: str


@dataclass(eq=False)
class DecisiveQuestionRequested(StepMessage):
    """From the recommendation: answer the "Not sure" question it depends on, then come back."""

    question_id: str


@dataclass(eq=False)
class RecommendationRequested(StepMessage):
    """The review is confirmed: show the recommendation."""


@dataclass(eq=False)
class StartRequested(StepMessage):
    """Start a fresh walk, forgetting any saved session."""


@dataclass(eq=False)
class ResumeRequested(StepMessage):
    """Carry on with the saved session."""


@dataclass(eq=False)
class LoadAnswersRequested(StepMessage):
    """Fill in the answers from a file."""
