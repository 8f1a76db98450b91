"""Figures cited in a tree's text: `{ASSUMPTION.ANSWER.low}` or `{ASSUMPTION.high}`.

A figure the tree states once (a budget band of `budget_usd`, say) is written as a
reference wherever a label, need or rationale repeats it, and rendered from the
assumption when the tree is loaded: a company that changes a band changes the number,
and every sentence follows. `check` names each reference that cites nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

from adaptwise.domain.declarations import Assumption
from adaptwise.domain.errors import did_you_mean
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path
from adaptwise.domain.model import Tree
from adaptwise.domain.numbers import money, number

_REFERENCE = re.compile(r"\{([a-z0-9_]+)(?:\.([a-z0-9_]+))?\.(low|high)\}")


def cite_figures(tree: Tree) -> tuple[Tree, list[Finding]]:
    """The tree with every reference rendered, and a finding for each that cites nothing."""
    findings: list[Finding] = []
    rendered = _render(tree, (), tree.assumption_by_id, findings)
    return rendered, findings


def _render(value: Any, here: Path, assumptions: dict[str, Assumption], findings: list[Finding]) -> Any:
    if isinstance(value, str):
        return _text(value, here, assumptions, findings) if "{" in value else value
    if isinstance(value, tuple):
        items = tuple(_render(item, (*here, index), assumptions, findings) for index, item in enumerate(value))
        return items if any(new is not old for new, old in zip(items, value, strict=True)) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in dataclasses.fields(value):
            old = getattr(value, item.name)
            new = _render(old, (*here, item.name), assumptions, findings)
            if new is not old:
                changes[item.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value  # numbers, and mappings (conditions, figures per answer) hold no text to render


def _text(text: str, here: Path, assumptions: dict[str, Assumption], findings: list[Finding]) -> str:
    def figure(found: re.Match[str]) -> str:
        name, answer, end = found.group(1), found.group(2), found.group(3)
        problem = next(_problems(found.group(0), name, answer, assumptions), None)
        if problem is not None:
            code, message, hint = problem
            findings.append(Finding(here, message, hint=hint, code=code, refers_to=(Target("assumption", name),)))
            return found.group(0)
        assumption = assumptions[name]
        values = (assumption.per_answer or {}).get(answer) if answer else assumption.range
        assert values is not None  # `_problems` said so otherwise
        value = values[0] if end == "low" else values[1]
        return money(value) if assumption.unit == "USD" else number(value)

    return _REFERENCE.sub(figure, text)


def _problems(
    written: str, name: str, answer: str | None, assumptions: dict[str, Assumption]
) -> Iterator[tuple[str, str, str | None]]:
    """What is wrong with a reference: its finding's code, message and hint."""
    assumption = assumptions.get(name)
    if assumption is None:
        yield (
            "figure-of-unknown-assumption",
            f"{written} cites the assumption '{name}', which the tree does not state",
            did_you_mean(name, assumptions),
        )
    elif answer is None and assumption.range is None:
        yield (
            "figure-without-range",
            f"{written}: assumption '{name}' has no 'range'",
            (f"name an answer: {{{name}.ANSWER.low}}" if assumption.per_answer else None),
        )
    elif answer is not None and answer not in (assumption.per_answer or {}):
        yield (
            "figure-of-unknown-answer",
            f"{written}: assumption '{name}' has no figure for the answer '{answer}'",
            did_you_mean(answer, assumption.per_answer or {}),
        )
