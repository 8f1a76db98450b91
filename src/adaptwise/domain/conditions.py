"""Conditions: which answers satisfy a rule, a modifier, a cost rule or an open question.

A condition maps question ids to the answer (or any of the answers) that satisfy it;
`meets` names requirement sets that must all hold, `approach` the decided approach, and
`any` lists conditions of which at least one must hold. All entries must hold. Each
evaluation reads every entry at most once: linear in the size of the condition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

TYPE_CHECKING = False  # annotations only; importing the model here would be circular
if TYPE_CHECKING:
    from adaptwise.domain.model import Need, Tree
    from adaptwise.domain.model_types import Condition


#: Keys a condition may use besides question ids.
CONDITION_KEYWORDS = frozenset({"meets", "approach", "any"})


#: One entry of a compiled condition: its key, the answers it accepts, the requirement
#: sets it names (`meets`) and the conditions one of which must hold (`any`).
CompiledEntry = tuple[str, frozenset[str], tuple[str, ...], tuple["CompiledCondition", ...]]
CompiledCondition = tuple[CompiledEntry, ...]


#: The whole answers to a question that a condition naming some of its values holds for
#: (a several-answer choice holds when any of its parts is named): `Tree.accepting`.
Accepting = Callable[[str, Iterable[str]], frozenset[str]]


def _compiled(tree: Tree, when: Condition) -> CompiledCondition:
    compiled = tree.compiled_conditions.get(id(when))
    return compile_condition(when, tree.accepting) if compiled is None else compiled


def condition_holds(tree: Tree, when: Condition, answers: Mapping[str, str], approach: str | None = None) -> bool:
    """Whether every entry of a condition holds for these answers."""
    return _holds(tree, _compiled(tree, when), answers, approach)


def _holds(tree: Tree, compiled: CompiledCondition, answers: Mapping[str, str], approach: str | None) -> bool:
    for key, allowed, requirements, alternatives in compiled:
        if alternatives:
            if not any(_holds(tree, alternative, answers, approach) for alternative in alternatives):
                return False
        elif requirements:
            for name in requirements:
                for question, accepted in tree.compiled_needs[name]:
                    if answers.get(question) not in accepted:
                        return False
        elif key == "any":
            return False  # `any: []`: no condition listed, so none holds
        elif (approach if key == "approach" else answers.get(key)) not in allowed:
            return False
    return True


def condition_may_hold(tree: Tree, when: Condition, answers: Mapping[str, str], unknown: frozenset[str]) -> bool | None:
    """Whether a route's condition holds (True), fails (False), or turns on the answer to
    a question in `unknown`, not given yet (None). `approach` never appears in a route.

    Three-valued: all entries must hold (one False fails it), and an `any` holds when one
    of its conditions does, fails when all do, and is undecided otherwise."""
    return _may_hold(tree, _compiled(tree, when), answers, unknown)


def _may_hold(
    tree: Tree, compiled: CompiledCondition, answers: Mapping[str, str], unknown: frozenset[str]
) -> bool | None:
    undecided = False
    for key, allowed, requirements, alternatives in compiled:
        if key == "any":
            held: bool | None = False
            for alternative in alternatives:
                holds = _may_hold(tree, alternative, answers, unknown)
                if holds:
                    held = True
                    break
                if holds is None:
                    held = None
            if held is False:
                return False
            undecided = undecided or held is None
            continue
        entries = [entry for name in requirements for entry in tree.compiled_needs[name]]
        for question, accepted in entries or [(key, allowed)]:
            if question in unknown:
                undecided = True
            elif answers.get(question) not in accepted:
                return False
    return None if undecided else True


def compile_condition(when: Condition, accepting: Accepting) -> CompiledCondition:
    """A condition as (key, accepted answers, requirement ids, alternatives) entries, for
    fast evaluation."""
    entries: list[CompiledEntry] = []
    for key, expected in when.items():
        if key == "any":
            alternatives = tuple(compile_condition(item, accepting) for item in expected if isinstance(item, dict))
            entries.append((key, frozenset(), (), alternatives))
            continue
        values = _values(expected)
        if key == "meets":
            entries.append((key, frozenset(), values, ()))
        elif key == "approach":
            entries.append((key, frozenset(values), (), ()))
        else:
            entries.append((key, accepting(key, values), (), ()))
    return tuple(entries)


def _values(expected: str | list[str] | list[Condition]) -> tuple[str, ...]:
    """The values an entry names (conditions listed where values belong are never values)."""
    if isinstance(expected, str):
        return (expected,)
    return tuple(value for value in expected if isinstance(value, str))


def any_of(when: Condition) -> list[Condition]:
    """The conditions an `any` entry lists (none when the condition has no `any`)."""
    listed = when.get("any", [])
    return [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []


def unmet_needs(tree: Tree, requirement_id: str, answers: dict[str, str]) -> list[Need]:
    compiled = tree.compiled_needs[requirement_id]
    return [
        need
        for need, (_, accepted) in zip(tree.requirement_needs[requirement_id], compiled, strict=True)
        if answers.get(need.question) not in accepted
    ]


def condition_questions(
    tree: Tree, when: Condition, answers: Mapping[str, str] | None = None, approach: str | None = None
) -> set[str]:
    """The question ids a condition reads, including those behind `meets`.

    Given the answers it holds for, an `any` reads only its first condition that holds:
    the one that decided, as a first-match list of the same conditions would."""
    read: set[str] = set()
    for key, expected in when.items():
        if key == "any":
            listed = any_of(when)
            held = (
                None
                if answers is None
                else next((c for c in listed if condition_holds(tree, c, answers, approach)), None)
            )
            for alternative in listed if held is None else [held]:
                read |= condition_questions(tree, alternative, answers, approach)
        elif key == "meets":
            for name in _values(expected):
                read.update(need.question for need in tree.requirement_needs.get(name, ()))
        elif key not in CONDITION_KEYWORDS:
            read.add(key)
    return read
