"""A problem `adaptwise check` finds in a tree, placed by where it is written.

Besides its message for people, a finding says what kind of problem it is (`code`, stable
across wording changes) and which entries it is about (`refers_to`), so code that acts on
findings (placing a dangling reference at the `remove:` that caused it) never reads the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from adaptwise.domain.links import Path


@dataclass(frozen=True, slots=True)
class Target:
    """An entry of the tree a finding is about, by kind and id.

    `kind` is 'question', 'route', 'outcome', 'node' (any of those three, as a `next` or
    `start` names one), 'option' (with its `question`), 'modifier', 'requirement',
    'plan_question', 'technique', 'source', 'assumption' or 'cost_rule'.
    """

    kind: str
    id: str
    question: str | None = None


#: The codes of findings whose `refers_to` names entries the tree does not have: each is
#: a dangling reference (written in the tree, or left by a company tree's `remove:`).
DANGLING = frozenset(
    {
        "unknown-reference",
        "unknown-node",
        "unknown-start",
        "unknown-option",
        "unknown-default",
        "undeclared-figure",
        "figure-of-unknown-assumption",
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem in a tree, placed by its path in the YAML data (mapped to line:col later)."""

    path: Path
    message: str
    question: str | None = None
    expected: str | None = None
    hint: str | None = None
    code: str = field(default="", kw_only=True)
    """What kind of problem it is, e.g. 'unknown-reference' or 'unreachable-node'."""
    refers_to: tuple[Target, ...] = field(default=(), kw_only=True)
    """The entries it is about, in the order the message names them: always for a dangling
    reference, and wherever `question` alone does not say (an unreachable node, a modifier)."""

    @property
    def dangling(self) -> bool:
        """Whether `refers_to` names entries the tree does not have."""
        return self.code in DANGLING
