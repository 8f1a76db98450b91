"""The engine: which question comes next, and what the decision is.

Pure, deterministic functions over a `Tree` and a mapping of answers; no I/O. Every
front end (scripted, wizard, plain prompts) asks these functions and never branches itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from adaptwise.domain.answers import allowed_text
from adaptwise.domain.conditions import condition_holds, condition_may_hold, condition_questions, unmet_needs
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
from adaptwise.domain.model import APPROACH_LABELS, Condition, Outcome, PlanQuestion, Rule, Tree
from adaptwise.domain.questions import Question

Answers = Mapping[str, str]


class TreeDefect(Exception):
    """The tree itself is broken (a cycle or a dangling reference) where `check` would say so."""


class IncompleteAnswers(Exception):
    """A decision was asked for before every question on the path was answered."""

    def __init__(self, missing: list[Question]):
        self.missing = missing
        super().__init__("unanswered: " + ", ".join(question.id for question in missing))


@dataclass(frozen=True, slots=True)
class Walk:
    """How far a set of answers gets through the tree."""

    asked: tuple[Question, ...]
    """Questions on the path, in order, that have an answer (or were skipped, for text)."""
    pending: Question | None
    """The next question to ask, or None when an outcome is reached."""
    outcome: Outcome | None
    rule: Rule | None
    """The route rule that chose the outcome (None if the route fell through to `otherwise`)."""
    answers: dict[str, str]
    """The answers on the path; answers off the path are left out."""
    defaulted: dict[str, str] = field(default_factory=dict)
    """With `fill_defaults`, the unanswered questions on the path and the defaults they took."""


def walk(tree: Tree, answers: Answers, *, ask_optional: bool = False, fill_defaults: bool = False) -> Walk:
    """Follow the answers from the start until a question lacks an answer or an outcome is reached.

    Free-text questions are optional: with `ask_optional` (the wizard) an unanswered one is
    pending; without it (scripted runs) it is passed over. An empty string means "skipped".
    With `fill_defaults` an unanswered question takes its default and the walk goes on, in one
    pass: what the path did before it cannot depend on its answer.
    """
    on_path: dict[str, str] = {}
    defaulted: dict[str, str] = {}
    asked: list[Question] = []
    rule: Rule | None = None
    node = tree.start
    seen: set[str] = set()
    questions, routes = tree.question_by_id, tree.route_by_id
    while True:
        if node in seen:
            raise TreeDefect(f"the tree loops back to '{node}'")
        seen.add(node)
        question = questions.get(node)
        if question is not None:
            answer = answers.get(question.id)
            if answer is None:
                if question.is_text and not ask_optional:
                    node = _require(question.next, node)
                    continue
                if not fill_defaults:
                    return Walk(tuple(asked), question, None, rule, on_path)
                if question.default is None and not question.is_text:
                    # Only a broken tree gets here: `check` requires a default on choice questions.
                    raise TreeDefect(f"question '{question.id}' has no default")
                answer = defaulted[question.id] = question.default or ""
            asked.append(question)
            on_path[question.id] = answer
            node = _require(question.leads_to(answer), node)
            continue
        route = routes.get(node)
        if route is not None:
            rule = None
            for candidate in route.rules:
                if condition_holds(tree, candidate.when, on_path):
                    rule = candidate
                    break
            node = rule.then if rule else route.otherwise
            continue
        outcome = tree.outcome_by_id.get(node)
        if outcome is None:
            raise TreeDefect(f"'{node}' is not a question, route or outcome")
        return Walk(tuple(asked), None, outcome, rule, on_path, defaulted)


def _require(target: str | None, node: str) -> str:
    if target is None:
        raise TreeDefect(f"'{node}' leads nowhere")
    return target


def next_question(tree: Tree, answers: Answers) -> Question | None:
    """The next question to ask a person, or None when the answers reach a decision."""
    return walk(tree, answers, ask_optional=True).pending


def off_path(tree: Tree, answers: Answers) -> list[str]:
    """Question ids whose answers no longer apply: no path from these answers can ask them.

    Answers past a question that is still unanswered are kept when some answer to it
    could lead back to them (changing the task keeps the budget).
    """
    reachable = {question.id for question in _reachable_questions(tree, answers)}
    return [question_id for question_id in answers if question_id not in reachable]


def with_defaults(tree: Tree, answers: Answers) -> dict[str, str]:
    """The answers, completed along the path with each question's default.

    Free text is optional, so it is left unanswered.
    """
    return _complete(tree, answers, ask_optional=False)


def _complete(tree: Tree, answers: Answers, *, ask_optional: bool) -> dict[str, str]:
    return {**answers, **walk(tree, answers, ask_optional=ask_optional, fill_defaults=True).defaulted}


@dataclass(frozen=True, slots=True)
class Progress:
    position: int
    """1-based number of the current question."""
    estimated_total: int
    """Questions on the path if the rest are answered with their defaults."""


def progress(tree: Tree, answers: Answers) -> Progress:
    """'Question 3 of about 9': how far along the path a person is."""
    current = walk(tree, answers, ask_optional=True)
    total = len(walk(tree, answers, ask_optional=True, fill_defaults=True).asked)
    position = len(current.asked) + (1 if current.pending else 0)
    return Progress(position=position, estimated_total=max(total, position))


def missing_questions(tree: Tree, answers: Answers) -> list[Question]:
    """Every required question that could still be asked, given the answers so far.

    At an unanswered question every option is followed, and at a route every branch whose
    rule can still hold, so the list names all questions a complete answers file may need,
    in tree order.
    """
    if walk(tree, answers).pending is None:  # the path is answered to its end
        return []
    return [
        question
        for question in _reachable_questions(tree, answers)
        if question.id not in answers and not question.is_text
    ]


def next_missing_questions(tree: Tree, answers: Answers) -> list[Question]:
    """The unanswered questions this path needs next, in the order it asks them.

    From the first unanswered question on the path, the walk goes on with each unanswered
    question's default, and lists the questions that took one: what a person answers
    next. Their answers may lead to others (`missing_questions` names every one).
    """
    walked = walk(tree, answers, fill_defaults=True)
    return [question for question in walked.asked if question.id in walked.defaulted and not question.is_text]


def _reachable_questions(tree: Tree, answers: Answers) -> list[Question]:
    """Questions some completion of the answers can reach, in tree order.

    Each path is followed with the answers it asks: an answered question along its answer,
    an unanswered one along every option. A route takes the first rule that surely holds;
    a rule that reads a question still unanswered on this path may hold or not, so both
    its branch and the later ones are followed. Answers off the path count as not given,
    as in `walk`.
    """
    reached: set[str] = set()
    # (node, answers on this path, questions on this path still unanswered, nodes seen)
    stack: list[tuple[str, dict[str, str], frozenset[str], frozenset[str]]] = [
        (tree.start, {}, frozenset(), frozenset())
    ]
    visited: set[tuple[str, frozenset[tuple[str, str]], frozenset[str]]] = set()
    while stack:
        node, on_path, open_questions, seen = stack.pop()
        state = (node, frozenset(on_path.items()), open_questions)
        if node in seen or state in visited:
            continue
        visited.add(state)
        reached.add(node)
        seen = seen | {node}
        targets: list[tuple[str | None, dict[str, str], frozenset[str]]] = []
        if (question := tree.question_by_id.get(node)) is not None:
            answer = answers.get(question.id)
            if answer is not None:
                targets = [(question.leads_to(answer), {**on_path, question.id: answer}, open_questions)]
            else:
                following = dict.fromkeys(question.leads_to(value) for value in question.values or (None,))
                targets = [(target, on_path, open_questions | {question.id}) for target in following]
        elif (route := tree.route_by_id.get(node)) is not None:
            branches: list[str] = []
            for rule in route.rules:
                holds = condition_may_hold(tree, rule.when, on_path, open_questions)
                if holds is not False:
                    branches.append(rule.then)
                if holds is True:
                    break
            else:
                branches.append(route.otherwise)
            targets = [(target, on_path, open_questions) for target in dict.fromkeys(branches)]
        stack.extend((target, path, unknown, seen) for target, path, unknown in targets if target is not None)
    return [question for question in tree.questions if question.id in reached]


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


def decide_with_defaults(
    tree: Tree, answers: Answers, *, defaults: bool, advice: str = "answer them, or use their defaults"
) -> Completed:
    """Decide `answers`; unanswered questions take their defaults, or with `defaults` off,
    raise `MissingAnswers` (its summary ends with `advice`, how to answer them).

    The one place every front end fills defaults and refuses what is missing.
    """
    # Something is missing exactly when the path stops at a question (the one `walk` leaves
    # pending is always among `missing_questions`), so only a refusal lists them all.
    if walk(tree, answers).pending is None:
        return Completed(decide(tree, answers), ())
    if not defaults:
        missing = missing_questions(tree, answers)
        # The questions this path asks next, with the later ones as their defaults would
        # lead: a list of every question some answer could reach names ones never asked.
        needed = next_missing_questions(tree, answers)
        raise MissingAnswers(needed, advice, more_may_follow=len(needed) < len(missing))
    # Only the questions the decided path asks take a default: a question some other
    # answer could have led to is not part of this decision.
    walked = walk(tree, answers, fill_defaults=True)
    defaulted = tuple(question for question in walked.asked if question.id in walked.defaulted)
    return Completed(decide(tree, {**answers, **walked.defaulted}), defaulted)


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
