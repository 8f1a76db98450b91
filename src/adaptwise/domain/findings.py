"""A problem `adaptwise check` finds in a tree, placed by where it is written."""

from __future__ import annotations

from dataclasses import dataclass

from adaptwise.domain.links import Path


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in a tree, placed by its path in the YAML data (mapped to line:col later)."""

    path: Path
    message: str
    question: str | None = None
    expected: str | None = None
    hint: str | None = None
