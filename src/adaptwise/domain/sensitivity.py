"""How long the paths are, and whether every answer can change the recommendation.

Pure analysis of a `Tree`, built on the symbolic path walk (`pathspace`). Each leaf of
the walk is a class of complete answers with one path; a few representative profiles
per leaf are decided, and for every question on the path each pair of its answers is
tried in turn. A pair that yields different recommendations somewhere is proven to
matter (the profile is the witness); a pair never told apart on any profile tried is
reported, since a question that asks for a difference the tree ignores wastes a person's
time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from statistics import median

from adaptwise.domain import pathspace
from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide_with_defaults, walk
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.model import Tree

#: Representative profiles decided per leaf: each takes a different answer from every
#: question's possible answers, so conditions on answers off the route are exercised too.
PROFILES_PER_LEAF = 3


@dataclass(frozen=True, slots=True)
class PathLengths:
    """Questions asked (free text included) on each distinct way through the tree."""

    paths: int
    median: float
    longest: int
    longest_path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sameness:
    """Two answers to a question that no profile tried told apart."""

    question: str
    first: str
    second: str


def path_lengths(tree: Tree, space: pathspace.PathSpace | None = None) -> PathLengths:
    """The distinct question sequences some answers take, and how long they are."""
    space = space or pathspace.explore(tree)
    sequences = {_asked(tree, profile) for leaf in space.leaves for profile in _profiles(leaf, 1)}
    lengths = sorted(len(sequence) for sequence in sequences)
    longest = max(sequences, key=len, default=())
    return PathLengths(len(sequences), median(lengths) if lengths else 0, len(longest), longest)


def _asked(tree: Tree, profile: dict[str, str]) -> tuple[str, ...]:
    walked = walk(tree, profile, ask_optional=True, fill_defaults=True)
    return tuple(question.id for question in walked.asked)


def same_answers(tree: Tree, space: pathspace.PathSpace | None = None) -> list[Sameness]:
    """Pairs of answers to one question that never changed the recommendation."""
    space = space or pathspace.explore(tree)
    told_apart: dict[str, set[frozenset[str]]] = {}
    asked_anywhere: set[str] = set()
    memo: dict[frozenset[tuple[str, str]], tuple[object, ...]] = {}

    def recommendation(answers: dict[str, str]) -> tuple[object, ...]:
        key = frozenset(answers.items())
        if key not in memo:
            memo[key] = _what_a_reader_sees(decide_with_defaults(tree, answers).decision)
        return memo[key]

    for leaf in space.leaves:
        for profile in _profiles(leaf, PROFILES_PER_LEAF):
            for question_id in leaf.asked:
                question = tree.question_by_id[question_id]
                asked_anywhere.add(question_id)
                seen = told_apart.setdefault(question_id, set())
                for first, second in combinations(question.values, 2):
                    pair = frozenset((first, second))
                    if pair in seen:
                        continue
                    if recommendation({**profile, question_id: first}) != recommendation(
                        {**profile, question_id: second}
                    ):
                        seen.add(pair)
    return [
        Sameness(question.id, first, second)
        for question in tree.questions
        if question.id in asked_anywhere
        for first, second in combinations(question.values, 2)
        if frozenset((first, second)) not in told_apart[question.id]
    ]


def _profiles(leaf: pathspace.Leaf, count: int) -> Iterator[dict[str, str]]:
    """Up to `count` complete answer sets from a leaf, each picking different answers."""
    choices = {
        question_id: sorted(value for value in values if value is not None) for question_id, values in leaf.box.items()
    }
    choices = {question_id: values for question_id, values in choices.items() if values}
    widest = max((len(values) for values in choices.values()), default=1)
    for index in range(min(count, widest)):
        yield {question_id: values[index % len(values)] for question_id, values in choices.items()}


def _what_a_reader_sees(decision: Decision) -> tuple[object, ...]:
    """The parts of a decision a report shows, apart from the answers themselves."""
    return (
        decision.outcome,
        decision.techniques,
        decision.caveats,
        decision.risks,
        decision.next_steps,
        tuple(
            (shortfall.requirement, tuple(need.question for need in shortfall.missing))
            for shortfall in decision.shortfalls
        ),
        tuple(plan.notes for plan in decision.plan),
    )


def sameness_findings(tree: Tree, sameness: list[Sameness]) -> Iterator[Finding]:
    for item in sameness:
        index = tree.questions.index(tree.question_by_id[item.question])
        yield Finding(
            ("questions", index, "options"),
            f"answers '{item.first}' and '{item.second}' gave the same recommendation on every path tried",
            question=item.question,
            hint="make one of them change something, or merge them",
            code="same-recommendation",
            refers_to=(Target("option", item.first, item.question), Target("option", item.second, item.question)),
        )
