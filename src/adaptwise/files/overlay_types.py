"""Company trees' shared shapes: the sections merged by id, a removal, and merged data."""

from __future__ import annotations

from dataclasses import dataclass, field

from adaptwise.domain.errors import Problem

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Any

    from adaptwise.files.yamlsafe import DataPath, Located

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


@dataclass(frozen=True, slots=True)
class Removal:
    """An entry a `remove:` dropped, and where that `remove:` names it."""

    section: str
    """The section it was in: a key of `SECTIONS`, or 'options' for an option."""
    noun: str
    """How one is named: 'technique', 'requirement set', 'option'."""
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
