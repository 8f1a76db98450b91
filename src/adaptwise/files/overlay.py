"""Company trees: a tree file that `extends` another and holds only its changes.

`read_chain` follows `extends` (at most `MAX_EXTENDS` deep, never round a cycle) and
`merge` lays each file over the one it extends, by id: a known id changes only the fields
it gives, a new id adds an entry at the end of its section, `remove:` drops entries. The
merge is pure and keeps, for every part of the merged data, the file and path it was
written at (`Merged.where`), so a mistake is reported where it was made, in whichever file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from adaptwise.domain.errors import InputError, Problem, did_you_mean

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from adaptwise.files.yamlsafe import DataPath, Located

#: `extends: adaptwise` names the shipped tree.
SHIPPED = "adaptwise"

#: How many `extends` a chain may follow: enough for company, division and team trees.
MAX_EXTENDS = 8

#: The keys only a company tree has; they never reach the merged tree.
OVERLAY_KEYS = ("extends", "remove")

#: Each list section, the field that identifies its entries, and how one is named.
SECTIONS: dict[str, tuple[str, str]] = {
    "questions": ("id", "question"),
    "routes": ("id", "route"),
    "outcomes": ("id", "outcome"),
    "modifiers": ("id", "modifier"),
    "requirements": ("id", "requirement set"),
    "plan_questions": ("id", "plan question"),
    "cost_rules": ("id", "cost rule"),
    "assumptions": ("id", "assumption"),
    "techniques": ("id", "technique"),
    "glossary": ("term", "glossary term"),
    "sources": ("id", "source"),
}

#: Lists inside an entry that merge by id too; every other list a change gives replaces
#: the whole list (a route's `rules`, an outcome's `rationale`). Mappings merge by key,
#: but for those in `_WHOLE`.
_NESTED: dict[str, tuple[str, str, str]] = {"questions": ("options", "value", "option")}

#: Mappings that a change replaces whole: a condition given is the whole condition.
_WHOLE = ("when",)

#: `remove: {options: {QUESTION: [VALUE, ...]}}` drops options of a question.
_REMOVE_OPTIONS = "options"


@dataclass(frozen=True, slots=True)
class Removal:
    section: str
    id: str
    located: Located
    path: DataPath
    question: str | None = None
    """For an option, its question."""

    def problem(self, message: str, hint: str | None = None) -> Problem:
        line, column = self.located.position(self.path)
        return Problem(message, self.located.source, line, column, hint=hint)


@dataclass(slots=True)
class Merged:
    """Tree data merged from a chain of files, and where each part of it was written."""

    data: Any
    origins: dict[DataPath, tuple[Located, DataPath]]
    """For a path of the merged data, the file and path its subtree was written at; a
    path not listed is placed by its nearest listed ancestor."""
    layers: list[Located]
    """The files, the top one (the tree asked for) first."""
    removals: list[Removal] = field(default_factory=list)

    @classmethod
    def single(cls, located: Located) -> Merged:
        return cls(located.data, {(): (located, ())}, [located])

    def where(self, path: DataPath) -> tuple[str, int | None, int | None]:
        """The file, line and column where the merged data at `path` was written."""
        path = tuple(path)
        for end in range(len(path), -1, -1):
            found = self.origins.get(path[:end])
            if found is not None:
                located, at = found
                line, column = located.position((*at, *path[end:]))
                return located.source, line, column
        return self.layers[0].source, None, None


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


def merge(base: Merged, overlay: Located) -> tuple[Merged, list[Problem]]:
    """`overlay` (a company tree's data) laid over `base`: the merged data, and the
    overlay's mistakes, each at its file:line:col. Pure: neither input is changed."""
    merger = _Merger(base, overlay)
    merger.run()
    merged = Merged(merger.data, merger.origins, [overlay, *base.layers], [*base.removals, *merger.removals])
    return merged, merger.problems


class _Merger:
    def __init__(self, base: Merged, overlay: Located) -> None:
        self.base = base
        self.overlay = overlay
        self.data: dict[str, Any] = dict(base.data) if isinstance(base.data, dict) else {}
        self.origins = dict(base.origins)
        self.problems: list[Problem] = []
        self.removals: list[Removal] = []

    def problem(self, path: DataPath, message: str, hint: str | None = None, question: str | None = None) -> None:
        line, column = self.overlay.position(path)
        self.problems.append(Problem(message, self.overlay.source, line, column, question=question, hint=hint))

    def problem_at_key(self, path: DataPath, message: str, hint: str | None = None) -> None:
        line, column = self.overlay.key_positions.get(path) or self.overlay.position(path)
        self.problems.append(Problem(message, self.overlay.source, line, column, hint=hint))

    def run(self) -> None:
        changes = self.overlay.data
        assert isinstance(changes, dict)
        gone, gone_options = self.removal_ids(changes.get("remove"))
        for key, value in changes.items():
            if key in OVERLAY_KEYS:
                continue
            if key in SECTIONS and isinstance(value, list) and isinstance(self.data.get(key), list):
                continue  # merged by id below
            self.replace((key,), (key,), self.data, key, value)
        for section in SECTIONS:
            given = changes.get(section)
            present = self.data.get(section)
            if not isinstance(present, list):
                present = []
                if section not in gone:
                    continue
            if not isinstance(given, list):
                given = []
                if section not in gone and not (section in _NESTED and gone_options):
                    continue
            self.data[section] = self.entries(
                section,
                (section,),
                (section,),
                present,
                given,
                gone.get(section, {}),
                gone_options if section in _NESTED else {},
            )

    def replace(self, at: DataPath, given_at: DataPath, target: dict[str, Any], key: str, value: Any) -> None:
        target[key] = value
        for path in [path for path in self.origins if path[: len(at)] == at]:
            del self.origins[path]
        self.origins[at] = (self.overlay, given_at)

    def removal_ids(self, remove: Any) -> tuple[dict[str, dict[str, DataPath]], dict[str, dict[str, DataPath]]]:
        """`remove:` as {section: {id: where}} and {question: {option value: where}}."""
        gone: dict[str, dict[str, DataPath]] = {}
        options: dict[str, dict[str, DataPath]] = {}
        if remove is None:
            return gone, options
        if not isinstance(remove, dict):
            self.problem(("remove",), "'remove' maps a section to the ids it drops, e.g. 'modifiers: [an_id]'")
            return gone, options
        for section, ids in remove.items():
            at: DataPath = ("remove", section)
            if section == _REMOVE_OPTIONS:
                if not isinstance(ids, dict):
                    self.problem(at, "'remove: options' maps a question to the option values it drops")
                    continue
                for question, values in ids.items():
                    options[question] = self.id_list(values, (*at, question))
                continue
            if section not in SECTIONS:
                known = [*SECTIONS, _REMOVE_OPTIONS]
                self.problem_at_key(
                    at,
                    f"'{section}' is not a section entries can be removed from",
                    did_you_mean(str(section), known) or "one of " + ", ".join(known),
                )
                continue
            gone[section] = self.id_list(ids, at)
        return gone, options

    def id_list(self, ids: Any, at: DataPath) -> dict[str, DataPath]:
        if isinstance(ids, str):
            ids = [ids]
            listed: list[DataPath] = [at]
        elif isinstance(ids, list):
            listed = [(*at, index) for index in range(len(ids))]
        else:
            self.problem(at, "removals are a list of ids")
            return {}
        found: dict[str, DataPath] = {}
        for ident, where in zip(ids, listed, strict=True):
            if not isinstance(ident, str):
                self.problem(where, "an id to remove is text")
            else:
                found[ident] = where
        return found

    def entries(
        self,
        section: str,
        at: DataPath,
        given_at: DataPath,
        present: list[Any],
        given: list[Any],
        gone: dict[str, DataPath],
        gone_nested: dict[str, dict[str, DataPath]],
        kind: tuple[str, str] | None = None,
        question: str | None = None,
    ) -> list[Any]:
        """One list merged by id: what is kept of `present`, changed by `given`, then the new entries."""
        key, singular = kind or SECTIONS[section]
        result: list[Any] = []
        index_of: dict[str, int] = {}
        moves: list[tuple[int, int]] = []
        for index, item in enumerate(present):
            ident = item.get(key) if isinstance(item, dict) else None
            if isinstance(ident, str) and ident in gone:
                self.removals.append(Removal(singular, ident, self.overlay, gone[ident], question))
                continue
            if isinstance(ident, str):
                index_of.setdefault(ident, len(result))
            moves.append((index, len(result)))
            result.append(item)
        known = [item[key] for item in present if isinstance(item, dict) and isinstance(item.get(key), str)]
        for ident, where in gone.items():
            if ident not in known:
                self.problem(where, f"there is no {singular} '{ident}' to remove", did_you_mean(ident, known), question)
        self.relocate(at, moves)
        for index, change in enumerate(given):
            here = (*given_at, index)
            ident = change.get(key) if isinstance(change, dict) else None
            if not isinstance(ident, str):
                self.problem(
                    here,
                    f"each entry of '{at[-1]}' names the {singular} it changes or adds by '{key}'",
                    question=question,
                )
                continue
            if ident in gone:
                self.problem((*here, key), f"{singular} '{ident}' is both removed and changed", question=question)
                continue
            target = index_of.get(ident)
            if target is None:
                missing = [name for name in _required(section if kind is None else "options") if name not in change]
                if missing:
                    hint = did_you_mean(ident, known) or (
                        f"a new {singular} also needs: " + ", ".join(f"'{name}'" for name in missing)
                    )
                    self.problem((*here, key), f"unknown {singular} '{ident}' to change", hint, question)
                    continue
                index_of[ident] = len(result)
                self.origins[(*at, len(result))] = (self.overlay, here)
                result.append(change)
                continue
            base_item = result[target]
            merged = dict(base_item)
            entry_at = (*at, target)
            nested = _NESTED.get(section) if kind is None else None
            for name, value in change.items():
                if name == key:
                    continue
                if (
                    nested is not None
                    and name == nested[0]
                    and isinstance(value, list)
                    and isinstance(merged.get(name), list)
                ):
                    merged[name] = self.entries(
                        section,
                        (*entry_at, name),
                        (*here, name),
                        merged[name],
                        value,
                        gone_nested.pop(ident, {}),
                        {},
                        (nested[1], nested[2]),
                        ident,
                    )
                elif isinstance(value, dict) and isinstance(merged.get(name), dict) and name not in _WHOLE:
                    # A mapping (an assumption's `per_answer`) changes only the keys given.
                    merged[name] = dict(merged[name])
                    for part, item in value.items():
                        self.replace((*entry_at, name, part), (*here, name, part), merged[name], part, item)
                else:
                    self.replace((*entry_at, name), (*here, name), merged, name, value)
            if nested is not None and ident in gone_nested and isinstance(merged.get(nested[0]), list):
                merged[nested[0]] = self.entries(
                    section,
                    (*entry_at, nested[0]),
                    (*here, nested[0]),
                    merged[nested[0]],
                    [],
                    gone_nested.pop(ident),
                    {},
                    (nested[1], nested[2]),
                    ident,
                )
            result[target] = merged
        if kind is None and gone_nested:
            # Options removed from questions this file does not otherwise change.
            for ident in list(gone_nested):
                target = index_of.get(ident)
                if target is None or not isinstance(result[target], dict):
                    for where in gone_nested.pop(ident).values():
                        self.problem(
                            where, f"there is no question '{ident}' to remove options from", did_you_mean(ident, known)
                        )
                    continue
                nested = _NESTED[section]
                item = dict(result[target])
                options = item.get(nested[0])
                item[nested[0]] = self.entries(
                    section,
                    (*at, target, nested[0]),
                    (),
                    options if isinstance(options, list) else [],
                    [],
                    gone_nested.pop(ident),
                    {},
                    (nested[1], nested[2]),
                    ident,
                )
                result[target] = item
        return result

    def relocate(self, at: DataPath, moves: list[tuple[int, int]]) -> None:
        """Entries of the list at `at` moved (removals before them): their origins follow."""
        if all(old == new for old, new in moves):
            return
        depth = len(at)
        under = {path: origin for path, origin in self.origins.items() if len(path) > depth and path[:depth] == at}
        for path in under:
            del self.origins[path]
        for old, new in moves:
            self.origins[(*at, new)] = self._resolve(under, (*at, old))
            for path, origin in under.items():
                if path[depth] == old and len(path) > depth + 1:
                    self.origins[(*at, new, *path[depth + 1 :])] = origin

    def _resolve(self, under: dict[DataPath, tuple[Located, DataPath]], path: DataPath) -> tuple[Located, DataPath]:
        for end in range(len(path), -1, -1):
            found = under.get(path[:end]) or self.origins.get(path[:end])
            if found is not None:
                located, written = found
                return located, (*written, *path[end:])
        return self.base.layers[-1], path


def _required(section: str) -> tuple[str, ...]:
    """The fields a new entry of `section` must give (those without a default)."""
    import dataclasses

    from adaptwise.domain import declarations, model

    classes: dict[str, type] = {
        "questions": model.Question,
        "routes": model.Route,
        "outcomes": model.Outcome,
        "modifiers": model.Modifier,
        "requirements": model.Requirement,
        "plan_questions": model.PlanQuestion,
        "cost_rules": declarations.CostRule,
        "assumptions": declarations.Assumption,
        "techniques": model.Technique,
        "glossary": model.GlossaryEntry,
        "sources": model.Source,
        "options": model.Option,
    }
    return tuple(
        item.name
        for item in dataclasses.fields(classes[section])
        if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
    )


def dangling_removal(removals: list[Removal], message: str, question: str | None, where: str) -> Problem | None:
    """A finding (at `where`) that names an id this chain removed, as a problem at the removal."""
    for removal in removals:
        if f"'{removal.id}'" in message and removal.question in (None, question):
            return removal.problem(
                f"removing {removal.section} '{removal.id}' leaves a dangling reference: {message} (at {where})",
                hint="change or remove that reference in this file too, or keep the entry",
            )
    return None
