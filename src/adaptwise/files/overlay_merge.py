"""One company tree laid over the tree it extends: the merge by id, section by section.

A known id changes only the fields it gives, a new id adds an entry at the end of its
section, `remove:` drops entries (and a question's options). The merge is pure: it builds
new data and never changes its inputs, and it keeps, for every part of the merged data,
the file and path it was written at (`Merged.where`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adaptwise.domain.errors import Problem, did_you_mean
from adaptwise.files.overlay_types import OVERLAY_KEYS, SECTIONS, Merged, Removal

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from adaptwise.files.yamlsafe import DataPath, Located

#: Lists inside an entry that merge by id too: the field, its entries' id field, how one
#: is named. Every other list a change gives replaces the whole list (a route's `rules`,
#: an outcome's `rationale`). Mappings merge by key, but for those in `_WHOLE`.
_NESTED: dict[str, tuple[str, str, str]] = {"questions": ("options", "value", "option")}

#: Mappings that a change replaces whole: a condition given is the whole condition.
_WHOLE = ("when",)

#: `remove: {options: {QUESTION: [VALUE, ...]}}` drops options of a question.
_REMOVE_OPTIONS = "options"


@dataclass(frozen=True, slots=True)
class Kind:
    """How the entries of one list are identified and named."""

    fields_of: str
    """The section whose entries' required fields a new entry must give ('options' for an option)."""
    key: str
    singular: str
    question: str | None = None
    """For a question's options, the question."""

    @classmethod
    def of(cls, section: str) -> Kind:
        key, singular = SECTIONS[section]
        return cls(section, key, singular)

    def ident(self, item: Any) -> str | None:
        ident = item.get(self.key) if isinstance(item, dict) else None
        return ident if isinstance(ident, str) else None


@dataclass(frozen=True, slots=True)
class Changes:
    """What the overlay does to one list: where it writes, the entries it gives, the ids
    it removes and (for questions) the option values it removes, by question."""

    at: DataPath
    entries: list[Any]
    gone: Mapping[str, DataPath]
    options_gone: Mapping[str, Mapping[str, DataPath]] = field(default_factory=dict)


@dataclass(slots=True)
class _Out:
    """What a merge writes besides the data: origins, the overlay's mistakes, its removals."""

    overlay: Located
    deepest: Located
    """The bottom file of the chain: where a path no origin places was written."""
    origins: dict[DataPath, tuple[Located, DataPath]]
    problems: list[Problem] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)

    def problem(self, path: DataPath, message: str, hint: str | None = None, question: str | None = None) -> None:
        line, column = self.overlay.position(path)
        self.problems.append(Problem(message, self.overlay.source, line, column, question=question, hint=hint))

    def problem_at_key(self, path: DataPath, message: str, hint: str | None = None) -> None:
        line, column = self.overlay.key_positions.get(path) or self.overlay.position(path)
        self.problems.append(Problem(message, self.overlay.source, line, column, hint=hint))

    def written(self, at: DataPath, given_at: DataPath) -> None:
        """The merged data at `at` is now the overlay's at `given_at`, all of its subtree."""
        for path in [path for path in self.origins if path[: len(at)] == at]:
            del self.origins[path]
        self.origins[at] = (self.overlay, given_at)

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
        return self.deepest, path


def merge(base: Merged, overlay: Located) -> tuple[Merged, list[Problem]]:
    """`overlay` (a company tree's data) laid over `base`: the merged data, and the
    overlay's mistakes, each at its file:line:col. Pure: neither input is changed."""
    changes = overlay.data
    assert isinstance(changes, dict)
    out = _Out(overlay, base.layers[-1], dict(base.origins))
    gone, options_gone = _removal_ids(out, changes.get("remove"))
    data: dict[str, Any] = dict(base.data) if isinstance(base.data, dict) else {}
    for key, value in changes.items():
        if key in OVERLAY_KEYS:
            continue
        if key in SECTIONS and isinstance(value, list) and isinstance(data.get(key), list):
            continue  # merged by id below
        data[key] = value
        out.written((key,), (key,))
    for section in SECTIONS:
        merged = _section(out, section, data.get(section), changes.get(section), gone, options_gone)
        if merged is not None:
            data[section] = merged
    return Merged(data, out.origins, [overlay, *base.layers], [*base.removals, *out.removals]), out.problems


def _section(
    out: _Out,
    section: str,
    present: Any,
    given: Any,
    gone: Mapping[str, Mapping[str, DataPath]],
    options_gone: Mapping[str, Mapping[str, DataPath]],
) -> list[Any] | None:
    """One section merged by id, or None where this file leaves it as it is."""
    removing = section in gone
    options = options_gone if section in _NESTED else {}
    if not isinstance(present, list):
        if not removing:
            return None
        present = []
    if not isinstance(given, list):
        if not removing and not options:
            return None
        given = []
    changes = Changes((section,), given, gone.get(section, {}), options)
    return _merge_list(out, Kind.of(section), (section,), present, changes)


def _merge_list(out: _Out, kind: Kind, at: DataPath, present: list[Any], changes: Changes) -> list[Any]:
    """One list merged by id: what is kept of `present`, changed by `changes`, then the new entries."""
    merging = _List(out, kind, at, changes, present)
    for index, change in enumerate(changes.entries):
        merging.change((*changes.at, index), change)
    if merging.options_left:
        merging.remove_options_elsewhere()
    return merging.result


class _List:
    """A list being merged: the entries kept so far, where each id is, what is left to do."""

    __slots__ = ("at", "changes", "index_of", "kind", "known", "options_left", "out", "result")

    def __init__(self, out: _Out, kind: Kind, at: DataPath, changes: Changes, present: list[Any]) -> None:
        self.out = out
        self.kind = kind
        self.at = at
        self.changes = changes
        self.known = [ident for item in present if (ident := kind.ident(item)) is not None]
        self.result: list[Any] = []
        self.index_of: dict[str, int] = {}
        self.options_left = dict(changes.options_gone)
        self.keep(present)

    def keep(self, present: list[Any]) -> None:
        """The entries of `present` not removed, in order; the removals that name none."""
        moves: list[tuple[int, int]] = []
        gone = self.changes.gone
        for index, item in enumerate(present):
            ident = self.kind.ident(item)
            if ident is not None and ident in gone:
                kind = self.kind
                removal = Removal(kind.fields_of, kind.singular, ident, self.out.overlay, gone[ident], kind.question)
                self.out.removals.append(removal)
                continue
            if ident is not None:
                self.index_of.setdefault(ident, len(self.result))
            moves.append((index, len(self.result)))
            self.result.append(item)
        for ident, where in gone.items():
            if ident not in self.known:
                self.out.problem(
                    where,
                    f"there is no {self.kind.singular} '{ident}' to remove",
                    did_you_mean(ident, self.known),
                    self.kind.question,
                )
        self.out.relocate(self.at, moves)

    def change(self, here: DataPath, change: Any) -> None:
        """One entry the overlay gives: a change to a known id, or a new entry."""
        kind = self.kind
        ident = kind.ident(change)
        if ident is None:
            self.out.problem(
                here,
                f"each entry of '{self.at[-1]}' names the {kind.singular} it changes or adds by '{kind.key}'",
                question=kind.question,
            )
        elif ident in self.changes.gone:
            message = f"{kind.singular} '{ident}' is both removed and changed"
            self.out.problem((*here, kind.key), message, question=kind.question)
        elif ident in self.index_of:
            self.update(self.index_of[ident], ident, here, change)
        else:
            self.add(ident, here, change)

    def add(self, ident: str, here: DataPath, change: dict[str, Any]) -> None:
        kind = self.kind
        missing = [name for name in _required(kind.fields_of) if name not in change]
        if missing:
            hint = did_you_mean(ident, self.known) or (
                f"a new {kind.singular} also needs: " + ", ".join(f"'{name}'" for name in missing)
            )
            self.out.problem((*here, kind.key), f"unknown {kind.singular} '{ident}' to change", hint, kind.question)
            return
        self.index_of[ident] = len(self.result)
        self.out.origins[(*self.at, len(self.result))] = (self.out.overlay, here)
        self.result.append(change)

    def update(self, target: int, ident: str, here: DataPath, change: dict[str, Any]) -> None:
        """The entry at `target` with the fields `change` gives (a new dict: the base's is kept)."""
        merged = dict(self.result[target])
        entry_at = (*self.at, target)
        nested = _NESTED.get(self.kind.fields_of)  # only a section's entries hold nested lists
        for name, value in change.items():
            if name == self.kind.key:
                continue
            if (
                nested is not None
                and name == nested[0]
                and isinstance(value, list)
                and isinstance(merged.get(name), list)
            ):
                options = Changes((*here, name), value, self.options_left.pop(ident, {}))
                merged[name] = _merge_list(
                    self.out, _nested_kind(nested, ident), (*entry_at, name), merged[name], options
                )
            elif isinstance(value, dict) and isinstance(merged.get(name), dict) and name not in _WHOLE:
                # A mapping (an assumption's `per_answer`) changes only the keys given.
                parts = dict(merged[name])
                for part, item in value.items():
                    parts[part] = item
                    self.out.written((*entry_at, name, part), (*here, name, part))
                merged[name] = parts
            else:
                merged[name] = value
                self.out.written((*entry_at, name), (*here, name))
        if nested is not None and ident in self.options_left and isinstance(merged.get(nested[0]), list):
            name = nested[0]
            options = Changes((*here, name), [], self.options_left.pop(ident))
            merged[name] = _merge_list(self.out, _nested_kind(nested, ident), (*entry_at, name), merged[name], options)
        self.result[target] = merged

    def remove_options_elsewhere(self) -> None:
        """Options removed from questions this file does not otherwise change."""
        nested = _NESTED[self.kind.fields_of]
        for ident in list(self.options_left):
            gone = self.options_left.pop(ident)
            target = self.index_of.get(ident)
            if target is None or not isinstance(self.result[target], dict):
                for where in gone.values():
                    message = f"there is no question '{ident}' to remove options from"
                    self.out.problem(where, message, did_you_mean(ident, self.known))
                continue
            item = dict(self.result[target])
            options = item.get(nested[0])
            item[nested[0]] = _merge_list(
                self.out,
                _nested_kind(nested, ident),
                (*self.at, target, nested[0]),
                options if isinstance(options, list) else [],
                Changes((), [], gone),
            )
            self.result[target] = item


def _nested_kind(nested: tuple[str, str, str], question: str) -> Kind:
    name, key, singular = nested
    return Kind(name, key, singular, question)


def _removal_ids(out: _Out, remove: Any) -> tuple[dict[str, dict[str, DataPath]], dict[str, dict[str, DataPath]]]:
    """`remove:` as {section: {id: where}} and {question: {option value: where}}."""
    gone: dict[str, dict[str, DataPath]] = {}
    options: dict[str, dict[str, DataPath]] = {}
    if remove is None:
        return gone, options
    if not isinstance(remove, dict):
        out.problem(("remove",), "'remove' maps a section to the ids it drops, e.g. 'modifiers: [an_id]'")
        return gone, options
    for section, ids in remove.items():
        at: DataPath = ("remove", section)
        if section == _REMOVE_OPTIONS:
            if not isinstance(ids, dict):
                out.problem(at, "'remove: options' maps a question to the option values it drops")
                continue
            for question, values in ids.items():
                options[question] = _id_list(out, values, (*at, question))
            continue
        if section not in SECTIONS:
            known = [*SECTIONS, _REMOVE_OPTIONS]
            out.problem_at_key(
                at,
                f"'{section}' is not a section entries can be removed from",
                did_you_mean(str(section), known) or "one of " + ", ".join(known),
            )
            continue
        gone[section] = _id_list(out, ids, at)
    return gone, options


def _id_list(out: _Out, ids: Any, at: DataPath) -> dict[str, DataPath]:
    if isinstance(ids, str):
        ids = [ids]
        listed: list[DataPath] = [at]
    elif isinstance(ids, list):
        listed = [(*at, index) for index in range(len(ids))]
    else:
        out.problem(at, "removals are a list of ids")
        return {}
    found: dict[str, DataPath] = {}
    for ident, where in zip(ids, listed, strict=True):
        if not isinstance(ident, str):
            out.problem(where, "an id to remove is text")
        else:
            found[ident] = where
    return found


def _required(section: str) -> tuple[str, ...]:
    """The fields a new entry of `section` must give (those without a default), as the
    model declares them: the entries of the `Tree`'s field of that name (for 'options', of
    a question's)."""
    import dataclasses
    import typing

    from adaptwise.domain import model

    owner = model.Tree if section in SECTIONS else model.Question  # else a question's options
    entry = typing.get_args(typing.get_type_hints(owner)[section])[0]  # of tuple[Entry, ...]
    return tuple(
        item.name
        for item in dataclasses.fields(entry)
        if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
    )
