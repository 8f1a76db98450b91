"""Conditions: which answers satisfy a rule, a modifier, a cost rule or an open question.

A condition maps question ids to the answer (or any of the answers) that satisfy it;
`meets` names requirement sets that must all hold, and `approach` the decided approach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

TYPE_CHECKING = False  # annotations only; importing the model here would be circular
if TYPE_CHECKING:
    from adaptwise.domain.model import Need, Tree
    from adaptwise.domain.model_types import Condition


#: Keys a condition may use besides question ids.
CONDITION_KEYWORDS = frozenset({"meets", "approach"})


def condition_holds(tree: Tree, when: Condition, answers: dict[str, str], approach: str | None = None) -> bool:
    """Whether every entry of a condition holds for these answers."""
    compiled = tree.compiled_conditions.get(id(when)) or compile_condition(when, tree.accepting)
    for key, allowed, requirements in compiled:
        if requirements:
            for name in requirements:
                for question, accepted in tree.compiled_needs[name]:
                    if answers.get(question) not in accepted:
                        return False
        elif (approach if key == "approach" else answers.get(key)) not in allowed:
            return False
    return True


def condition_may_hold(tree: Tree, when: Condition, answers: dict[str, str], unknown: frozenset[str]) -> bool | None:
    """Whether a route's condition holds (True), fails (False), or turns on the answer to
    a question in `unknown`, not given yet (None). `approach` never appears in a route."""
    compiled = tree.compiled_conditions.get(id(when)) or compile_condition(when, tree.accepting)
    undecided = False
    for key, allowed, requirements in compiled:
        entries = [entry for name in requirements for entry in tree.compiled_needs[name]]
        for question, accepted in entries or [(key, allowed)]:
            if question in unknown:
                undecided = True
            elif answers.get(question) not in accepted:
                return False
    return None if undecided else True


CompiledCondition = tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]


#: The whole answers to a question that a condition naming some of its values holds for
#: (a several-answer choice holds when any of its parts is named): `Tree.accepting`.
Accepting = Callable[[str, Iterable[str]], frozenset[str]]


def compile_condition(when: Condition, accepting: Accepting) -> CompiledCondition:
    """A condition as (key, accepted answers, requirement ids) triples, for fast evaluation."""
    entries: list[tuple[str, frozenset[str], tuple[str, ...]]] = []
    for key, expected in when.items():
        values = (expected,) if isinstance(expected, str) else tuple(expected)
        if key == "meets":
            entries.append((key, frozenset(), values))
        elif key == "approach":
            entries.append((key, frozenset(values), ()))
        else:
            entries.append((key, accepting(key, values), ()))
    return tuple(entries)


def unmet_needs(tree: Tree, requirement_id: str, answers: dict[str, str]) -> list[Need]:
    compiled = tree.compiled_needs[requirement_id]
    return [
        need
        for need, (_, accepted) in zip(tree.requirement_needs[requirement_id], compiled, strict=True)
        if answers.get(need.question) not in accepted
    ]


def condition_questions(tree: Tree, when: Condition) -> set[str]:
    """The question ids a condition reads, including those behind `meets`."""
    read: set[str] = set()
    for key, expected in when.items():
        if key == "meets":
            for name in (expected,) if isinstance(expected, str) else expected:
                read.update(need.question for need in tree.requirement_needs.get(name, ()))
        elif key not in CONDITION_KEYWORDS:
            read.add(key)
    return read
