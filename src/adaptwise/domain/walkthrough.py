"""The walkthrough: where a person is among the questions, and where each step takes them.

One state machine for the wizard and `adaptwise ask`: answer, back, edit from the review,
answer the recommendation's decisive question, and the "Question N of about M". The engine
still decides which question comes next; this module only sequences. Each step returns a
new `Walkthrough`; none changes the one it was called on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from adaptwise.domain.answerpath import Progress, next_question, off_path, progress, walk
from adaptwise.domain.answers import choice_answer
from adaptwise.domain.model import Tree
from adaptwise.domain.questions import Question
from adaptwise.domain.text import clean_text


class Stage(Enum):
    """What the person is looking at."""

    START = "start"
    """Before the first question (the wizard's welcome screen)."""
    QUESTION = "question"
    REVIEW = "review"
    RECOMMENDATION = "recommendation"


class Then(Enum):
    """Where answering the current question leads."""

    NEXT_QUESTION = "next_question"
    """The next question on the path, stepping through later answers as they are."""
    REVIEW = "review"
    """The review, after any questions the new answer makes necessary."""
    RECOMMENDATION = "recommendation"
    """Straight back to the recommendation (it offered this question), after any new ones."""


@dataclass(frozen=True, slots=True)
class Dropped:
    """An answer removed by a change because the path can no longer reach its question."""

    question: Question
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Walkthrough:
    """Where a person is (a stage, and the question at `Stage.QUESTION`), with the answers
    so far and where answering leads. Answers stay out of the repr: it shows in crash reports."""

    tree: Tree = field(repr=False)
    answers: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Never changed in place: each step builds a new mapping."""
    stage: Stage = Stage.START
    question: Question | None = None
    """The question on screen, at `Stage.QUESTION`."""
    then: Then = Then.NEXT_QUESTION
    dropped: tuple[Dropped, ...] = ()
    """The answers the last answer made obsolete (empty after any other step)."""

    # --- ways in --------------------------------------------------------------------------

    @classmethod
    def begin(cls, tree: Tree) -> Walkthrough:
        """Before the first question, with no answers."""
        return cls(tree)

    @classmethod
    def fresh(cls, tree: Tree) -> Walkthrough:
        """A fresh walk, at the first question."""
        return cls(tree)._advance()

    @classmethod
    def with_answers(cls, tree: Tree, answers: Mapping[str, str]) -> Walkthrough:
        """Answers given up front (a file, flags): ask what is missing, then the review."""
        return cls(tree, _sane(tree, answers), then=Then.REVIEW)._advance()

    @classmethod
    def resume(cls, tree: Tree, answers: Mapping[str, str], where: str | None) -> Walkthrough:
        """Carry on at `where` (a saved `Walkthrough.where`) if the answers still lead there."""
        walkthrough = cls(tree, _sane(tree, answers))
        complete = walkthrough.pending is None
        if where in (Stage.REVIEW.value, Stage.RECOMMENDATION.value) and complete:
            return replace(walkthrough, stage=Stage(where), then=Then.REVIEW)
        question = tree.question_by_id.get(where or "")
        if question is not None and (question in walkthrough.path or question == walkthrough.pending):
            return replace(walkthrough, stage=Stage.QUESTION, question=question)
        return walkthrough._advance()

    # --- what it shows ----------------------------------------------------------------------

    @property
    def path(self) -> tuple[Question, ...]:
        """The answered questions on the current path, in order (the engine's walk)."""
        return walk(self.tree, self.answers, ask_optional=True).asked

    @property
    def pending(self) -> Question | None:
        """The first unanswered question on the path, or None when it reaches a decision."""
        return next_question(self.tree, self.answers)

    @property
    def complete(self) -> bool:
        """Some answers, and nothing left to ask: there is a decision."""
        return bool(self.answers) and self.pending is None

    @property
    def where(self) -> str | None:
        """The question id on screen, or "review" / "recommendation"; None before the first question."""
        if self.stage is Stage.QUESTION and self.question is not None:
            return self.question.id
        return None if self.stage is Stage.START else self.stage.value

    @property
    def current(self) -> str | None:
        """The current question's answer so far, if it has one."""
        return self.answers.get(self.question.id) if self.question is not None else None

    def progress(self) -> Progress:
        """The "Question N of about M" of the question on screen (N counts along the path)."""
        overall = progress(self.tree, self.answers)
        path = self.path
        position = overall.position
        if self.question is not None and self.question in path:
            position = path.index(self.question) + 1
        return Progress(position, max(overall.estimated_total, position))

    # --- steps ----------------------------------------------------------------------------

    def answer(self, value: str) -> Walkthrough:
        """Answer the question on screen, drop the answers that no longer apply, move on.

        A question that takes several answers takes their values joined by commas, in any
        order; the answer kept is the tree's one combination of them.
        """
        question = self._asking()
        if question.is_text:
            value = clean_text(value, question.max_length)
        else:
            chosen = choice_answer(question, value)
            if chosen is None:
                raise ValueError(f"'{value}' is not an option of '{question.id}'")
            value = chosen
        answers = {**self.answers, question.id: value}
        # Only what this answer takes off the path: an answer given up front to a question not
        # (yet) on it is kept until the path reaches it, or the offer that counted on it misleads.
        before = set(off_path(self.tree, self.answers))
        gone = [question_id for question_id in off_path(self.tree, answers) if question_id not in before]
        dropped = tuple(
            Dropped(
                self.tree.question_by_id[question_id],
                answers[question_id],
                self.tree.answer_label(question_id, answers[question_id]),
            )
            for question_id in gone
            if question_id in self.tree.question_by_id  # an id the tree does not know just goes
        )
        answered = replace(
            self, answers={key: item for key, item in answers.items() if key not in gone}, dropped=dropped
        )
        if self.then is Then.NEXT_QUESTION:
            path = answered.path
            index = path.index(question)
            if index + 1 < len(path):  # step through the later answers, kept as they are
                return replace(answered, question=path[index + 1])
        return answered._advance(dropped)

    def back(self) -> Walkthrough:
        """One step back: the previous question, or from an edit the review it came from."""
        if self.stage is Stage.RECOMMENDATION:
            return self._at(Stage.REVIEW)
        if self.stage is Stage.REVIEW:
            path = self.path
            return self._back_to(path[-1]) if path else self._at(Stage.REVIEW)
        if self.stage is Stage.START or self.question is None:
            return self._at(Stage.START)
        if self.then is not Then.NEXT_QUESTION and self.pending is None:
            return self._at(Stage.REVIEW)  # the edit is left as it was
        path = self.path
        earlier = path[: path.index(self.question)] if self.question in path else path
        return self._back_to(earlier[-1]) if earlier else self._at(Stage.START)

    def edit(self, question_id: str, *, then: Then = Then.REVIEW) -> Walkthrough:
        """Jump to one question; answering it returns to the review (or the recommendation)."""
        if then is Then.NEXT_QUESTION:
            raise ValueError("an edit returns to the review or the recommendation")
        question = self.tree.question_by_id[question_id]
        if question not in self.path and question != self.pending:
            raise ValueError(f"'{question_id}' is not on the path")
        return replace(self, stage=Stage.QUESTION, question=question, then=then, dropped=())

    def confirm(self) -> Walkthrough:
        """From the review, the recommendation (or a question still unanswered, if any)."""
        if self.pending is not None:
            return self._advance()
        return self._at(Stage.RECOMMENDATION)

    # --- helpers -----------------------------------------------------------------------------

    def _asking(self) -> Question:
        if self.stage is not Stage.QUESTION or self.question is None:
            raise ValueError(f"no question is being asked at the {self.stage.value}")
        return self.question

    def _back_to(self, question: Question) -> Walkthrough:
        return replace(self, stage=Stage.QUESTION, question=question, then=Then.NEXT_QUESTION, dropped=())

    def _at(self, stage: Stage) -> Walkthrough:
        then = Then.NEXT_QUESTION if stage is Stage.START else Then.REVIEW
        return replace(self, stage=stage, question=None, then=then, dropped=())

    def _advance(self, dropped: tuple[Dropped, ...] = ()) -> Walkthrough:
        """The next unanswered question; when there is none, the review, or the
        recommendation when the question was answered from there."""
        pending = self.pending
        if pending is not None:
            return replace(self, stage=Stage.QUESTION, question=pending, dropped=dropped)
        stage = Stage.RECOMMENDATION if self.then is Then.RECOMMENDATION else Stage.REVIEW
        return replace(self, stage=stage, question=None, then=Then.REVIEW, dropped=dropped)


def _sane(tree: Tree, answers: Mapping[str, str]) -> dict[str, str]:
    """Free text cleaned as if typed; everything else as given (the engine checks it)."""
    sane = dict(answers)
    for question in tree.questions:
        if question.is_text and question.id in sane:
            sane[question.id] = clean_text(sane[question.id], question.max_length)
    return sane
