"""What answers can reach: the half of `adaptwise check` that walks every path of a sound
tree symbolically (`pathspace`) for rules that can never hold, listed answers that never
take their rule or modifier, modifiers that never apply, and nodes no answers lead to.
"""

from __future__ import annotations

from collections.abc import Iterator

from adaptwise.domain import pathspace
from adaptwise.domain.conditions import CONDITION_KEYWORDS, any_of
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path, reachable, references
from adaptwise.domain.model import Condition, Route, Tree
from adaptwise.domain.questions import CHOICE_SEPARATOR


def reachable_by_answers(tree: Tree) -> Iterator[Finding]:
    try:
        space = pathspace.explore(tree)
    except pathspace.TooLarge:
        return  # too many paths to analyse; the structural checks above still hold
    yield from _dead_rules(tree, space)
    yield from _idle_modifiers(tree, space)
    graph_reachable = reachable(references(tree), tree.start)
    for section, kind in (("questions", "question"), ("routes", "route"), ("outcomes", "outcome")):
        for index, node in enumerate(getattr(tree, section)):
            if node.id in graph_reachable and node.id not in space.visited:
                what = "is never decided" if kind == "outcome" else "is never reached"
                yield Finding(
                    (section, index, "id"),
                    f"{kind} '{node.id}' {what}: no answers lead to it (every branch into it can never be taken)",
                    node.id if kind == "question" else None,
                    code="never-reached",
                    refers_to=(Target(kind, node.id),),
                )


#: A dead rule's reason names at most this many of the earlier rules that take its answers.
_RULES_NAMED = 5


def _dead_rules(tree: Tree, space: pathspace.PathSpace) -> Iterator[Finding]:
    """Rules that never hold, and answers they list that never take them.

    Linear in the rules for the usual case: each rule's cube is built once, a dead rule is
    explained by the live rules alone (a dead one takes nothing), and copies of one rule
    share one explanation (whatever the first copy never gets, no later copy gets either).
    """
    for route_index, route in enumerate(tree.routes):
        arrivals = [arrival for arrival in space.arrivals if arrival.route == route.id]
        if not arrivals:
            continue  # the route itself is reported as never reached
        shapes = [pathspace.condition_shape(tree, rule.when) for rule in route.rules]
        took = [[box for arrival in arrivals for box in arrival.fired[index]] for index in range(len(route.rules))]
        arrived = [arrival.box for arrival in arrivals]
        reasons: dict[tuple[frozenset[tuple[str, frozenset[str]]], int], str] = {}
        for index, rule in enumerate(route.rules):
            here: Path = ("routes", route_index, "rules", index, "when")
            if not took[index]:
                # copies share a reason; a rule with `any` has its own (its cube is not all of it)
                key = (frozenset(shapes[index].cube.items()), index if shapes[index].any_of else -1)
                if key not in reasons:
                    reasons[key] = _why_never(route, index, shapes[index], took, arrived)
                yield Finding(
                    here,
                    f"rule {index + 1} of route '{route.id}' can never hold: {reasons[key]}",
                    hint=f"remove it, or change what leads to '{route.id}'",
                    code="rule-never-holds",
                    refers_to=(Target("route", route.id),),
                )
                continue
            yield from _dead_values(tree, rule.when, took[index], here, f"rule {index + 1} of route '{route.id}'")


def _why_never(
    route: Route, index: int, shape: pathspace.Shape, took: list[list[pathspace.Box]], arrived: list[pathspace.Box]
) -> str:
    """Why rule `index` never holds: earlier rules take its answers first, or none arrive."""
    if not any(pathspace.hits(box, shape) for box in arrived):
        return _impossible_entry(shape.cube, arrived, f"on the way to '{route.id}'")
    earlier = [number + 1 for number in range(index) if any(pathspace.hits(box, shape) for box in took[number])]
    named = ", ".join(str(number) for number in earlier[:_RULES_NAMED])
    if len(earlier) > _RULES_NAMED:
        named += f" and {len(earlier) - _RULES_NAMED} more"
    rules = f"rule {named}" if len(earlier) == 1 else f"rules {named}"
    verb = "takes" if len(earlier) == 1 else "take"
    return f"earlier {rules} always {verb} these answers first"


def _named(answers: frozenset[str]) -> str:
    """Accepted answers as a condition names them: its option values, not the combinations
    they widen to (unless only combinations are left, as under two entries on one question)."""
    single = sorted(answer for answer in answers if CHOICE_SEPARATOR not in answer)
    return ", ".join(single or sorted(answers))


def _impossible_entry(cube: pathspace.Cube, boxes: list[pathspace.Box], where: str) -> str:
    """Why a cube meets none of the boxes: the first entry nothing satisfies, if any."""
    for question, allowed in cube.items():
        reached = set().union(*(pathspace.value_set(box, question) for box in boxes))
        if reached & allowed:
            continue
        # the option values given, each once, whether alone or in combinations
        answers = sorted({part for value in reached if value is not None for part in value.split(CHOICE_SEPARATOR)})
        if not answers:
            return f"'{question}' is never asked {where}"
        return f"'{question}' is never {_named(allowed)} {where} (only {', '.join(answers)})"
    for first, first_allowed in cube.items():  # two entries that never come together
        with_first = [box for box in boxes if pathspace.value_set(box, first) & first_allowed]
        for second, allowed in cube.items():
            if second == first or any(pathspace.value_set(box, second) & allowed for box in with_first):
                continue
            when = f"when '{first}' is {_named(first_allowed)}"
            if all(pathspace.value_set(box, second) == {None} for box in with_first):
                return f"'{second}' is never asked {when}"
            return f"'{second}' is never {_named(allowed)} {when}"
    return f"no path {where.removeprefix('on ')} gives all of its answers together ({', '.join(cube)})"


def _dead_values(tree: Tree, when: Condition, taken: list[pathspace.Box], here: Path, what: str) -> Iterator[Finding]:
    """Answers a condition lists that never come with the rest of it: no answer that takes
    the rule or modifier is, or (for several answers) holds, that value."""
    for position, alternative in enumerate(any_of(when)):  # whatever takes it, the list is read
        yield from _dead_values(tree, alternative, taken, here + ("any", position), what)
    for key, expected in when.items():
        if key in CONDITION_KEYWORDS or isinstance(expected, str):
            continue  # a single value is the whole entry: its rule or modifier is reported instead
        question = tree.question_by_id[key]
        reached = set().union(*(pathspace.value_set(box, key) for box in taken))
        given = {part for answer in reached if answer is not None for part in question.parts(answer)}
        for position, value in enumerate(expected):
            if value not in given:
                yield Finding(
                    here + (key, position),
                    f"'{value}' is listed but never takes {what}: earlier answers or rules rule it out",
                    key,
                    hint="remove it from the list",
                    code="listed-answer-never-taken",
                    refers_to=(Target("option", str(value), key),),
                )


def _idle_modifiers(tree: Tree, space: pathspace.PathSpace) -> Iterator[Finding]:
    for index, modifier in enumerate(tree.modifiers):
        here: Path = ("modifiers", index, "when")
        hits = [(leaf, box) for leaf in space.leaves for box in pathspace.applies(tree, modifier.when, leaf)]
        if hits:
            yield from _dead_values(tree, modifier.when, [box for _, box in hits], here, f"modifier '{modifier.id}'")
            listed = modifier.when.get("approach")
            if isinstance(listed, list):
                decided = {leaf.outcome.approach for leaf, _ in hits}
                for position, value in enumerate(listed):
                    if value not in decided:
                        yield Finding(
                            here + ("approach", position),
                            f"approach '{value}' is listed but modifier '{modifier.id}' never "
                            "applies with it: no answers decide it together with the rest",
                            hint="remove it from the list",
                            code="listed-approach-never-applies",
                            refers_to=(Target("modifier", modifier.id),),
                        )
            continue
        cube, approaches = pathspace.condition_cube(tree, modifier.when)
        leaves = list(space.leaves)
        if approaches is not None:
            leaves = [leaf for leaf in leaves if leaf.outcome.approach in approaches]
        deciding = f" deciding {' or '.join(sorted(approaches))}" if approaches is not None else ""
        if not leaves:
            reason = f"no answers decide {' or '.join(sorted(approaches or ()))}"
        else:
            reason = _impossible_entry(cube, [leaf.box for leaf in leaves], f"on any path{deciding}")
        yield Finding(
            here,
            f"modifier '{modifier.id}' can never apply: {reason}",
            hint="remove it, or fix its 'when'",
            code="modifier-never-applies",
            refers_to=(Target("modifier", modifier.id),),
        )
