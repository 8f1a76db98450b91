"""Which trees a decision was made with: a company tree and the trees it extends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TreeStamp:
    """One tree file of a chain: its own `version` and the sha256 of its UTF-8 text."""

    version: str
    sha256: str
    source: str = ""
    """How the file is named to people (not part of what a report records)."""


def stamps_text(bases: tuple[TreeStamp, ...]) -> str:
    """The bases as a report's decision line names them: ', extending version V (sha256 `H`)'."""
    return "".join(f", extending decision tree version {base.version} (sha256 `{base.sha256}`)" for base in bases)
