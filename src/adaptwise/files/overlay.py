"""Company trees: a tree file that `extends` another and holds only its changes.

`read_chain` follows `extends` (at most `MAX_EXTENDS` deep, never round a cycle) and
`merge` (in `overlay_merge`) lays each file over the one it extends, by id: a known id
changes only the fields it gives, a new id adds an entry at the end of its section,
`remove:` drops entries. The merge is pure and keeps, for every part of the merged data,
the file and path it was written at (`Merged.where`), so a mistake is reported where it
was made, in whichever file.
"""

from __future__ import annotations

import os

from adaptwise.domain.errors import InputError, Problem
from adaptwise.files.overlay_merge import merge
from adaptwise.files.overlay_types import OVERLAY_KEYS, SECTIONS, Merged, Removal

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from collections.abc import Callable

    from adaptwise.domain.findings import Finding, Target
    from adaptwise.files.yamlsafe import Located

#: `extends: adaptwise` names the shipped tree.
SHIPPED = "adaptwise"

#: How many `extends` a chain may follow: enough for company, division and team trees.
MAX_EXTENDS = 8

__all__ = [
    "MAX_EXTENDS",
    "OVERLAY_KEYS",
    "SECTIONS",
    "SHIPPED",
    "Merged",
    "Removal",
    "dangling_removal",
    "merge",
    "read_chain",
]


def read_chain(
    file: str,
    source: str,
    read: Callable[[str, str], bytes],
    shipped: Callable[[], tuple[str, str]],
) -> tuple[Merged, list[tuple[str, Located, bytes]], list[Problem]]:
    """Load `file` and every tree it extends; the merged data, each base's file, data and
    bytes (nearest first), and the mistakes of the changes. `shipped()` gives the shipped tree's
    file and name; `read(file, source)` its bytes (with the one-line read errors)."""
    from adaptwise.files.yamlsafe import load_yaml

    layers: list[Located] = []
    bases: list[tuple[str, Located, bytes]] = []
    seen: list[str] = []
    current, name = file, source
    while True:
        try:
            raw = read(current, name)
        except InputError as error:
            if not layers:
                raise
            target = layers[-1].data["extends"]
            where = _at_extends(layers[-1], f"'extends: {target}': the tree named here cannot be read")
            raise InputError([*where.problems, *error.problems]) from None
        located = load_yaml(raw, name)
        real = os.path.realpath(current)
        if real in seen:
            names = [layer.source for layer in layers] + [name]
            raise _at_extends(
                layers[-1],
                "'extends' goes round in a cycle: " + " → ".join(names),
                "a tree cannot extend itself, even through others",
            )
        if layers:
            bases.append((current, located, raw))
        seen.append(real)
        layers.append(located)
        data = located.data
        if not (isinstance(data, dict) and "extends" in data):
            break
        target = data["extends"]
        if not isinstance(target, str) or not target.strip():
            raise _at_extends(
                located,
                "'extends' names the tree this one changes",
                f"'{SHIPPED}' for the shipped tree, or a path relative to this file",
            )
        if len(layers) > MAX_EXTENDS:
            names = [layer.source for layer in layers]
            raise _at_extends(
                located,
                f"'extends' goes more than {MAX_EXTENDS} trees deep: " + " → ".join(names),
                "extend the tree at the end of the chain directly",
            )
        if target == SHIPPED:
            current, name = shipped()
        else:
            current = os.path.join(os.path.dirname(current), target)
            name = os.path.normpath(os.path.join(os.path.dirname(name), target))
    merged = Merged.single(layers[-1])
    problems: list[Problem] = []
    for located in reversed(layers[:-1]):
        merged, found = merge(merged, located)
        problems += found
    return merged, bases, problems


def _at_extends(located: Located, message: str, hint: str | None = None) -> InputError:
    line, column = located.position(("extends",))
    return InputError(Problem(message, located.source, line, column, hint=hint))


#: The kinds of reference (`findings.Target.kind`) an entry of each section answers to: a
#: `next` or `start` names a node, which is a question, a route or an outcome.
_REFERENCED_AS: dict[str, tuple[str, ...]] = {
    "questions": ("question", "node"),
    "routes": ("route", "node"),
    "outcomes": ("outcome", "node"),
    "options": ("option",),
    "requirements": ("requirement",),
    "techniques": ("technique",),
    "sources": ("source",),
    "assumptions": ("assumption",),
}


def dangling_removal(removals: list[Removal], finding: Finding, where: str) -> Problem | None:
    """A dangling reference (found at `where`) to an entry this chain removed, as a problem
    at the removal; None for any other finding."""
    if not finding.dangling:
        return None
    for removal in removals:
        if any(_names(target, removal) for target in finding.refers_to):
            return removal.problem(
                f"removing {removal.noun} '{removal.id}' leaves a dangling reference: {finding.message} (at {where})",
                hint="change or remove that reference in this file too, or keep the entry",
            )
    return None


def _names(target: Target, removal: Removal) -> bool:
    return (
        target.id == removal.id
        and target.kind in _REFERENCED_AS.get(removal.section, ())
        and target.question == removal.question
    )
