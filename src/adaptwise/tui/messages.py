"""What the screens tell the app: small typed messages, handled by `AdaptwiseApp`.

Screens never call the app. They post one of these; it bubbles up to the app, which moves
the walkthrough and shows where it leads.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass(eq=False)
class Answered(Message):
    """The question on screen was answered (free text as typed; the app cleans it)."""

    question_id: str
    value: str


@dataclass(eq=False)
class BackRequested(Message):
    """Escape: one step back, wherever the person is."""


@dataclass(eq=False)
class EditRequested(Message):
    """From the review: change this answer, then come back to the review."""

    question_id: str


@dataclass(eq=False)
class DecisiveQuestionRequested(Message):
    """From the recommendation: answer the "Not sure" question it depends on, then come back."""

    question_id: str


@dataclass(eq=False)
class RecommendationRequested(Message):
    """The review is confirmed: show the recommendation."""


@dataclass(eq=False)
class StartRequested(Message):
    """Start a fresh walk, forgetting any saved session."""


@dataclass(eq=False)
class ResumeRequested(Message):
    """Carry on with the saved session."""


@dataclass(eq=False)
class LoadAnswersRequested(Message):
    """Fill in the answers from a file."""
