"""The engine: what the decision is, for answers that reach an outcome.

Pure, deterministic functions over a `Tree` and a mapping of answers; no I/O. Every
front end (scripted, wizard, plain prompts) asks these functions and never branches itself.
Where the answers lead (the next question, progress, what is missing) is `answerpath`'s;
its functions are re-exported here, so the engine stays one import for front ends.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from adaptwise.domain.answerpath import (
    Answers,
    Progress,
    TreeDefect,
    Walk,
    missing_questions,
    next_missing_questions,
    next_question,
    off_path,
    progress,
    walk,
    with_defaults,
)
from adaptwise.domain.answers import allowed_text
from adaptwise.domain.conditions import condition_holds, condition_questions, unmet_needs
from adaptwise.domain.decision import (
    Decision,
    MissingNeed,
    PlanAnswer,
    PlanPart,
    Rejected,
    Shortfall,
    Step,
)
from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.model import APPROACH_LABELS, Condition, Outcome, PlanQuestion, Tree
from adaptwise.domain.questions import Question

__all__ = [
    "Answers",
    "Completed",
    "IncompleteAnswers",
    "MissingAnswers",
    "Progress",
    "TreeDefect",
    "Walk",
    "decide",
    "decide_or_refuse",
    "decide_with_defaults",
    "missing_questions",
    "next_missing_questions",
    "next_question",
    "off_path",
    "progress",
    "walk",
    "with_defaults",
]


class IncompleteAnswers(Exception):
    """A decision was asked for before every question on the path was answered."""

    def __init__(self, missing: list[Question]):
        self.missing = missing
        super().__init__("unanswered: " + ", ".join(question.id for question in missing))


class MissingAnswers(InputError):
    """Questions a decision may need that were not answered, when defaults were not asked for.

    With `more_may_follow`, they are the next ones on the path and their answers may lead
    to questions not listed; the summary says so.
    """

    def __init__(self, questions: list[Question], advice: str, *, more_may_follow: bool = False):
        self.questions = tuple(questions)
        self.more_may_follow = more_may_follow
        count = len(questions)
        more = " on this path (other answers to them may lead to more)" if more_may_follow else ""
        super().__init__(
            [
                Problem(
                    f"not answered; {allowed_text(question)} (default: {question.default})",
                    question=question.id,
                )
                for question in questions
            ],
            f"{count} question{'s are' if count > 1 else ' is'} not answered{more}; {advice}",
        )


@dataclass(frozen=True, slots=True)
class Completed:
    """A decision, and the unanswered questions on its path (decided by their defaults)."""

    decision: Decision
    defaulted: tuple[Question, ...]


def decide_with_defaults(tree: Tree, answers: Answers) -> Completed:
    """Decide `answers`, each question the decided path asks and they leave unanswered
    taking its default. With `decide_or_refuse`, the one place front ends fill defaults."""
    if walk(tree, answers).pending is None:
        return Completed(decide(tree, answers), ())
    # Only the questions the decided path asks take a default: a question some other
    # answer could have led to is not part of this decision.
    walked = walk(tree, answers, fill_defaults=True)
    defaulted = tuple(question for question in walked.asked if question.id in walked.defaulted)
    return Completed(decide(tree, {**answers, **walked.defaulted}), defaulted)


def decide_or_refuse(tree: Tree, answers: Answers, *, advice: str = "answer them, or use their defaults") -> Decision:
    """Decide `answers`, or raise `MissingAnswers` when a question the path needs is
    unanswered (its summary ends with `advice`, how to answer them). With
    `decide_with_defaults`, the one place front ends refuse what is missing."""
    # Something is missing exactly when the path stops at a question (the one `walk` leaves
    # pending is always among `missing_questions`), so only a refusal lists them all.
    if walk(tree, answers).pending is None:
        return decide(tree, answers)
    missing = missing_questions(tree, answers)
    # The questions this path asks next, with the later ones as their defaults would
    # lead: a list of every question some answer could reach names ones never asked.
    needed = next_missing_questions(tree, answers)
    raise MissingAnswers(needed, advice, more_may_follow=len(needed) < len(missing))


class _Known:
    """What `decide` works out the same way for every decision of one tree, kept per tree.

    Each entry depends on the tree alone (and an answer to one of its questions), so
    memoising it changes no decision; it only spares the work of redoing it every time.
    """

    def __init__(self) -> None:
        self.reads: dict[int, frozenset[str]] = {}
        """`condition_questions` of each condition of the tree without `any`, by identity."""
        self.steps: dict[tuple[str, str], tuple[str, str]] = {}
        """A choice answer's label and meaning in the path."""
        self.labels: dict[tuple[str, str], str] = {}
        """`tree.answer_label` of a choice answer."""
        self.parts: dict[tuple[str, str], PlanPart] = {}
        """A choice answer's part of a plan answer."""
        self.rejected: dict[str, tuple[Rejected, ...]] = {}
        """Each outcome's approaches not recommended."""


_known: WeakKeyDictionary[Tree, _Known] = WeakKeyDictionary()


def _known_for(tree: Tree) -> _Known:
    known = _known.get(tree)
    if known is None:
        known = _Known()
        with suppress(TypeError):  # a tree that cannot be weakly referenced: work it out every time
            _known[tree] = known
    return known


def _reads(tree: Tree, known: _Known, when: Condition, answers: Answers, approach: str) -> frozenset[str]:
    if "any" in when:  # which of its conditions decided turns on the answers: never memoised
        return frozenset(condition_questions(tree, when, answers, approach))
    read = known.reads.get(id(when))
    if read is None:
        read = known.reads[id(when)] = frozenset(condition_questions(tree, when))
    return read


def _label(tree: Tree, known: _Known, question_id: str, value: str) -> str:
    """`tree.answer_label`, memoised for choice answers (free text is shown as typed)."""
    key = (question_id, value)
    label = known.labels.get(key)
    if label is None:
        label = tree.answer_label(question_id, value)
        question = tree.question_by_id.get(question_id)
        if question is not None and not question.is_text:
            known.labels[key] = label
    return label


def decide(tree: Tree, answers: Answers) -> Decision:
    """The decision for a complete set of answers; raises IncompleteAnswers otherwise."""
    walked = walk(tree, answers)
    if walked.outcome is None:
        raise IncompleteAnswers(missing_questions(tree, answers))
    known = _known_for(tree)
    outcome = walked.outcome
    on_path = walked.answers
    for question in walked.asked:
        if question.is_text:  # one line, single-spaced, as any front end would store it
            on_path[question.id] = " ".join(on_path[question.id].split())
    approach = outcome.approach

    techniques = list(outcome.techniques)
    caveats: list[str] = []
    risks = list(outcome.risks)
    next_steps = list(outcome.next_steps)
    source_ids = list(outcome.sources)
    fired: list[str] = []
    decisive: set[str] = set()
    if walked.rule:
        decisive.update(_reads(tree, known, walked.rule.when, on_path, approach))

    for question in walked.asked:
        for option in question.options_of(on_path[question.id]):  # each option of a combination
            if option.caveat:
                caveats.append(option.caveat)

    for modifier in tree.modifiers:
        if not condition_holds(tree, modifier.when, on_path, approach):
            continue
        fired.append(modifier.id)
        decisive.update(_reads(tree, known, modifier.when, on_path, approach))
        techniques.extend(t for t in modifier.add_techniques if t not in techniques)
        caveats.extend(modifier.caveats)
        risks.extend(modifier.risks)
        next_steps.extend(modifier.next_steps)
        source_ids.extend(modifier.sources)

    rejected = known.rejected.get(outcome.id)
    if rejected is None:
        rejected = known.rejected[outcome.id] = tuple(
            Rejected(item.approach, APPROACH_LABELS[item.approach], item.why) for item in outcome.not_recommended
        )
    source_by_id = tree.source_by_id
    return Decision(
        outcome=outcome.id,
        approach=approach,
        approach_label=outcome.label,
        headline=outcome.headline,
        techniques=tuple(techniques),
        path=tuple(_step(known, question, on_path, decisive) for question in walked.asked),
        rationale=outcome.rationale,
        plan=tuple(_plan_answer(tree, known, plan, on_path) for plan in tree.plan_questions),
        risks=tuple(risks),
        next_steps=tuple(next_steps),
        not_recommended=rejected,
        shortfalls=tuple(_shortfalls(tree, known, outcome, on_path)),
        caveats=tuple(caveats),
        sources=tuple(source_by_id[source_id] for source_id in dict.fromkeys(source_ids) if source_id in source_by_id),
        answers={key: value for key, value in on_path.items() if value != ""},
        unused_answers={key: value for key, value in answers.items() if key not in on_path},
        modifiers=tuple(fired),
        tree_version=tree.version,
    )


def _step(known: _Known, question: Question, answers: dict[str, str], decisive: set[str]) -> Step:
    answer = answers[question.id]
    key = (question.id, answer)
    shown = known.steps.get(key)
    if shown is None:
        options = question.options_of(answer)  # several for a combination, none for free text
        if not options:
            label = answer or "(not given)"
            meant = "Recorded for the report." if answer else "Left blank."
            shown = (label, meant)
        else:
            shown = known.steps[key] = (
                "; ".join(option.label for option in options),
                " ".join(option.means or option.explanation for option in options),
            )
    return Step(question, answer, shown[0], shown[1], question.id in decisive)


def _shortfalls(tree: Tree, known: _Known, outcome: Outcome, answers: dict[str, str]) -> list[Shortfall]:
    shortfalls = []
    for requirement_id in outcome.short_of:
        requirement = tree.requirement_by_id[requirement_id]
        # A need whose question was never asked follows from an earlier answer that is
        # already listed (no data, so no data quality): naming it again is noise.
        missing = [
            MissingNeed(
                need.question,
                need.need,
                _label(tree, known, need.question, answers[need.question]),
            )
            for need in unmet_needs(tree, requirement_id, answers)
            if need.question in answers
        ]
        if missing:
            shortfalls.append(Shortfall(requirement.id, requirement.approach, requirement.label, tuple(missing)))
    return shortfalls


def _plan_answer(tree: Tree, known: _Known, plan: PlanQuestion, answers: dict[str, str]) -> PlanAnswer:
    parts: list[PlanPart] = []
    notes = [item.says for item in plan.open_when if condition_holds(tree, item.when, answers)]
    for question_id in plan.answered_from:
        question = tree.question_by_id.get(question_id)
        value = answers.get(question_id)
        topic = question.topic if question is not None else ""
        if question is not None and question.is_text:
            if value and value.strip():
                parts.append(PlanPart(question_id, value.strip(), free_text=True, topic=topic))
            else:
                notes.append(f"No {question_id.replace('_', ' ')} named.")
        elif value is not None:
            key = (question_id, value)
            part = known.parts.get(key)
            if part is None:
                part = known.parts[key] = PlanPart(
                    question_id, tree.answer_label(question_id, value), free_text=False, topic=topic
                )
            parts.append(part)
    return PlanAnswer(plan.id, plan.ask, tuple(parts), open=bool(notes), notes=tuple(notes))
