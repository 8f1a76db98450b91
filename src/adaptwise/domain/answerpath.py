"""The path a set of answers takes through a tree: how far it gets, which question is next,
how far along a person is, and which questions are still missing or no longer apply.

Pure, deterministic functions over a `Tree` and a mapping of answers; the engine decides
from the path they find, and the walkthrough asks them where to go next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from adaptwise.domain.conditions import condition_holds, condition_may_hold
from adaptwise.domain.model import Outcome, Rule, Tree
from adaptwise.domain.questions import Question

Answers = Mapping[str, str]


class TreeDefect(Exception):
    """The tree itself is broken (a cycle or a dangling reference) where `check` would say so."""


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
    return {**answers, **walk(tree, answers, fill_defaults=True).defaulted}


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
