"""Every way through a tree, walked symbolically: which answers reach which node and edge.

Pure analysis of a `Tree`. Instead of trying every combination of answers (the cartesian
product grows with every question), the walk carries *boxes*: for each choice question the
set of answers still possible (None when the question was not asked on the path). A
question splits a box only where its options lead to different nodes, and a route splits
it by its rules, first match wins (an `any` by its conditions, the same way). The leaves
are disjoint boxes that together hold every complete set of answers, each with the edges
it took and the outcome it reached, so "which rules can ever hold", "which modifiers can
ever apply" and "which answers cover every edge" are set operations on a few dozen boxes
rather than walks over 10^5 profiles.

A question that takes several answers carries every whole answer (`answer_values`, each
combination too), and conditions name option values, so each is widened to the whole
answers it holds for (`Tree.accepting`) before any set operation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from adaptwise.domain.conditions import any_of
from adaptwise.domain.links import Edge, links
from adaptwise.domain.model import Condition, Outcome, Route, Tree
from adaptwise.domain.questions import Question

#: A set of possible answers per choice question; None stands for "not asked on this path".
Box = dict[str, frozenset[str | None]]


#: A condition as the answers it accepts, per question (approach kept apart).
Cube = dict[str, frozenset[str]]


#: Past this many boxes the walk gives up: a tree that large is analysed by nothing else.
MAX_BOXES = 200_000


_NOT_ASKED: frozenset[str | None] = frozenset({None})


class TooLarge(Exception):
    """The tree has more distinct paths than the analysis is willing to hold."""


@dataclass(frozen=True, slots=True)
class Leaf:
    """One class of complete answers: the same path, edges and outcome for all of them."""

    box: Box
    edges: tuple[Edge, ...]
    asked: tuple[str, ...]
    """Choice questions asked on the path, in order."""
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Arrival:
    """The answers with which a route is reached, and which of them each rule takes."""

    route: str
    box: Box
    fired: tuple[tuple[Box, ...], ...]
    """Per rule, the boxes of answers it takes (empty when it never holds here)."""
    otherwise: tuple[Box, ...]


@dataclass(frozen=True, slots=True)
class PathSpace:
    leaves: tuple[Leaf, ...]
    arrivals: tuple[Arrival, ...]
    visited: frozenset[str]
    """Every node some answers reach."""


@dataclass(frozen=True, slots=True)
class Shape:
    """A condition as set operations see it: a cube that must hold, the approaches it
    accepts (None: any), and per `any` entry the shapes one of which must hold."""

    cube: Cube
    approaches: frozenset[str] | None
    any_of: tuple[tuple[Shape, ...], ...] = ()


def condition_cube(tree: Tree, when: Condition) -> tuple[Cube, frozenset[str] | None]:
    """A condition's entries outside `any` as accepted answers per question, and the
    approaches they accept (or None); with `any`, the condition holds for less than this."""
    cube: dict[str, frozenset[str]] = {}
    approaches: frozenset[str] | None = None

    def narrow(question: str, allowed: Iterable[str]) -> None:
        allowed = frozenset(allowed)
        cube[question] = cube[question] & allowed if question in cube else allowed

    for key, expected in when.items():
        values = (expected,) if isinstance(expected, str) else tuple(v for v in expected if isinstance(v, str))
        if key == "any":
            continue
        if key == "meets":
            for name in values:
                for need in tree.requirement_needs.get(name, ()):
                    narrow(need.question, tree.accepting(need.question, need.allowed))
        elif key == "approach":
            approaches = frozenset(values) if approaches is None else approaches & frozenset(values)
        else:
            narrow(key, tree.accepting(key, values))
    return cube, approaches


def condition_shape(tree: Tree, when: Condition) -> Shape:
    """A whole condition, `any` entries included, for `hits` and `misses`."""
    cube, approaches = condition_cube(tree, when)
    if "any" not in when:
        return Shape(cube, approaches)
    return Shape(cube, approaches, (tuple(condition_shape(tree, item) for item in any_of(when)),))


def hits(box: Box, shape: Shape, approach: str | None = None) -> list[Box]:
    """The answers in `box` for which a condition holds, as disjoint boxes (`approach`:
    the decided one, for modifiers)."""
    if shape.approaches is not None and approach not in shape.approaches:
        return []
    inside = intersect(box, shape.cube)
    pieces = [] if inside is None else [inside]
    for group in shape.any_of:
        pieces = [hit for piece in pieces for hit in _hits_any(piece, group, approach)]
    return pieces


def misses(box: Box, shape: Shape, approach: str | None = None) -> list[Box]:
    """The answers in `box` for which a condition fails, as disjoint boxes."""
    if shape.approaches is not None and approach not in shape.approaches:
        return [box]
    found = subtract(box, shape.cube)
    inside = intersect(box, shape.cube)
    pieces = [] if inside is None else [inside]
    for group in shape.any_of:
        found += [miss for piece in pieces for miss in _misses_any(piece, group, approach)]
        pieces = [hit for piece in pieces for hit in _hits_any(piece, group, approach)]
    return found


def _hits_any(box: Box, group: tuple[Shape, ...], approach: str | None) -> list[Box]:
    """Where one of the shapes holds: each takes what the ones before it left, first match."""
    found: list[Box] = []
    rest = [box]
    for shape in group:
        found += [hit for piece in rest for hit in hits(piece, shape, approach)]
        rest = [miss for piece in rest for miss in misses(piece, shape, approach)]
    return found


def _misses_any(box: Box, group: tuple[Shape, ...], approach: str | None) -> list[Box]:
    rest = [box]
    for shape in group:
        rest = [miss for piece in rest for miss in misses(piece, shape, approach)]
    return rest


def option_edge(question: Question, answer: str) -> Edge:
    """The option edge an answer takes: its own option's, or for a combination the edge of
    the option it follows (the first of its parts with a `next` of its own, else the first)."""
    parts = question.parts(answer)
    followed = next((part for part in parts if (option := question.option(part)) and option.next), parts[0])
    return ("option", question.id, followed)


def value_set(box: Box, question: str) -> frozenset[str | None]:
    return box.get(question, _NOT_ASKED)


def intersect(box: Box, cube: Cube) -> Box | None:
    """The answers in `box` that satisfy `cube`, or None if there are none."""
    result = dict(box)
    for question, allowed in cube.items():
        kept = value_set(box, question) & allowed
        if not kept:
            return None
        result[question] = kept
    return result


def subtract(box: Box, cube: Cube) -> list[Box]:
    """The answers in `box` that fail `cube`, as disjoint boxes."""
    pieces: list[Box] = []
    current = dict(box)
    for question, allowed in cube.items():
        have = value_set(current, question)
        outside = have - allowed
        if outside:
            pieces.append({**current, question: outside})
        inside = have & allowed
        if not inside:
            return pieces
        current[question] = inside
    return pieces


#: A path still to follow: the node it has reached, its answers, its edges so far and the
#: choice questions it has asked so far.
_Pending = tuple[str, Box, tuple[Edge, ...], tuple[str, ...]]


def explore(tree: Tree, *, max_boxes: int = MAX_BOXES) -> PathSpace:
    """Walk every path of a structurally sound tree (no cycles, no dangling references)."""
    leaves: list[Leaf] = []
    arrivals: list[Arrival] = []
    visited: set[str] = set()
    shapes = {
        (route.id, index): condition_shape(tree, rule.when)
        for route in tree.routes
        for index, rule in enumerate(route.rules)
    }
    stack: list[_Pending] = [(tree.start, {}, (), ())]
    boxes = 0
    while stack:
        node, box, edges, asked = stack.pop()
        boxes += 1
        if boxes > max_boxes:
            raise TooLarge(f"more than {max_boxes} distinct paths")
        visited.add(node)
        question = tree.question_by_id.get(node)
        if question is not None:
            stack += _past_question(question, box, edges, asked)
            continue
        route = tree.route_by_id.get(node)
        if route is not None:
            arrival, branches = _through_route(route, shapes, box, edges, asked)
            arrivals.append(arrival)
            stack += branches
            continue
        outcome = tree.outcome_by_id.get(node)
        if outcome is not None:
            leaves.append(Leaf(box, edges, asked, outcome))
    return PathSpace(tuple(leaves), tuple(arrivals), frozenset(visited))


def _past_question(question: Question, box: Box, edges: tuple[Edge, ...], asked: tuple[str, ...]) -> list[_Pending]:
    """The paths out of a question, one per node its answers lead to, last first (so the
    walk, popping, follows them in file order)."""
    if question.is_text:
        return [] if question.next is None else [(question.next, box, edges + (("text", question.id),), asked)]
    by_target: dict[str, list[str]] = {}
    for value in question.answer_values:
        target = question.leads_to(value)
        if target is not None:
            by_target.setdefault(target, []).append(value)
    return [
        (
            target,
            {**box, question.id: frozenset(values)},
            edges + tuple(dict.fromkeys(option_edge(question, value) for value in values)),
            asked + (question.id,),
        )
        for target, values in reversed(by_target.items())
    ]


def _through_route(
    route: Route,
    shapes: dict[tuple[str, int], Shape],
    box: Box,
    edges: tuple[Edge, ...],
    asked: tuple[str, ...],
) -> tuple[Arrival, list[_Pending]]:
    """How the answers arriving at a route split among its rules and `otherwise`, and the
    paths each branch goes on with, last first."""
    remaining = [box]
    fired: list[tuple[Box, ...]] = []
    branches: list[tuple[str, Box, Edge]] = []
    for index, rule in enumerate(route.rules):
        shape = shapes[(route.id, index)]
        taken_here = [hit for piece in remaining for hit in hits(piece, shape)]
        fired.append(tuple(taken_here))
        branches += [(rule.then, hit, ("rule", route.id, index)) for hit in taken_here]
        remaining = [rest for piece in remaining for rest in misses(piece, shape)]
    branches += [(route.otherwise, piece, ("otherwise", route.id)) for piece in remaining]
    arrival = Arrival(route.id, box, tuple(fired), tuple(remaining))
    return arrival, [(target, hit, edges + (edge,), asked) for target, hit, edge in reversed(branches)]


def applies(tree: Tree, when: Condition, leaf: Leaf) -> list[Box]:
    """The answers of a leaf for which a modifier-style condition holds, as disjoint boxes."""
    return hits(leaf.box, condition_shape(tree, when), leaf.outcome.approach)


def all_edges(tree: Tree, space: PathSpace) -> list[Edge]:
    """Every edge of the nodes some answers reach, in file order (coverable or not)."""
    return [link.edge for link in links(tree) if link.edge is not None and link.source in space.visited]


def describe_edge(tree: Tree, edge: Edge) -> str:
    """An edge as people read it: 'task = tabular_prediction', 'decide rule 3', ..."""
    kind = edge[0]
    if kind == "option":
        return f"{edge[1]} = {edge[2]}"
    if kind == "text":
        return f"{edge[1]} (free text)"
    if kind == "rule":
        return f"{edge[1]} rule {int(edge[2]) + 1}"
    return f"{edge[1]} otherwise"
