"""Every link of a tree, enumerated once: each way out of a question or route, and each
node reference written in the tree that no answer takes by itself.

`check` resolves the references as written (`references`, `reachable`), `graph` draws the
ways out, and the path analyses name them (`pathspace.all_edges`): all three read `links`.
"""

from __future__ import annotations

from dataclasses import dataclass

from adaptwise.domain.model import Condition, Tree

#: A place in the tree's YAML data, mapped to file:line:col by the loader.
Path = tuple[str | int, ...]


#: A way out of a node: ("option", question id, value), ("text", question id),
#: ("rule", route id, rule index) or ("otherwise", route id).
Edge = tuple[str, ...] | tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class Link:
    """A way out of a node, or a reference to a node written in it."""

    source: str
    """The question or route it leaves."""
    edge: Edge | None
    """The way out; None for a reference no answer takes by itself: a choice question's own
    `next` (its options without one take it) or an option's `next` under a text question."""
    target: str | None
    """The node it leads to; None for a way out that leads nowhere."""
    at: Path | None
    """Where `target` is written (for an option without a `next`, its question's)."""
    when: Condition | None = None
    """A rule's condition."""


def links(tree: Tree) -> list[Link]:
    """Every link in file order: each question's, then each route's rules and `otherwise`."""
    found: list[Link] = []
    for index, question in enumerate(tree.questions):
        own: Path | None = ("questions", index, "next") if question.next is not None else None
        if question.is_text:
            found.append(Link(question.id, ("text", question.id), question.next, own))
        elif question.next is not None:
            found.append(Link(question.id, None, question.next, own))
        for option_index, option in enumerate(question.options):
            at: Path | None = ("questions", index, "options", option_index, "next")
            if question.is_text:
                if option.next is not None:  # a text question takes no options: `check` says so
                    found.append(Link(question.id, None, option.next, at))
                continue
            target = option.next
            if target is None:
                target, at = question.next, own
            found.append(Link(question.id, ("option", question.id, option.value), target, at))
    for index, route in enumerate(tree.routes):
        for rule_index, rule in enumerate(route.rules):
            at = ("routes", index, "rules", rule_index, "then")
            found.append(Link(route.id, ("rule", route.id, rule_index), rule.then, at, rule.when))
        found.append(Link(route.id, ("otherwise", route.id), route.otherwise, ("routes", index, "otherwise")))
    return found


def references(tree: Tree) -> dict[str, list[tuple[str, Path]]]:
    """Each node's references as written: (target id, where), each place once, for `check`."""
    graph: dict[str, list[tuple[str, Path]]] = {}
    for section in ("questions", "routes", "outcomes"):
        for node in getattr(tree, section):
            graph.setdefault(node.id, [])
    written: set[Path] = set()  # options without a `next` share their question's
    for link in links(tree):
        if link.target is not None and link.at is not None and link.at not in written:
            written.add(link.at)
            graph[link.source].append((link.target, link.at))
    return graph


def reachable(graph: dict[str, list[tuple[str, Path]]], start: str) -> set[str]:
    """The nodes `start` leads to by `references`, itself included."""
    seen = {start}
    stack = [start]
    while stack:
        for target, _ in graph.get(stack.pop(), ()):
            if target in graph and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen
