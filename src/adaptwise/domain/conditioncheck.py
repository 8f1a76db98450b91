"""What `adaptwise check` finds in conditions, the answer values they and needs name, and
references to techniques, sources and requirements (the part of `treecheck` every section
with a `when` or a list of ids shares, `costcheck` too).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from adaptwise.domain.conditions import CONDITION_KEYWORDS
from adaptwise.domain.errors import did_you_mean
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path
from adaptwise.domain.model import APPROACHES, Condition, Tree
from adaptwise.domain.questions import CHOICE_SEPARATOR, Question


def combination(question: Question, value: str) -> bool:
    """Whether `value` is option values joined by commas, as a combination is written."""
    parts = value.split(CHOICE_SEPARATOR)
    return len(parts) > 1 and all(question.option(part.strip()) is not None for part in parts)


def condition_findings(tree: Tree, when: Condition, here: Path, allow_approach: bool) -> Iterator[Finding]:
    if not when:
        yield Finding(here, "an empty condition always holds; write the branch as 'otherwise'", code="empty-condition")
    for key, expected in when.items():
        at = here + (key,)
        if key == "any":
            yield from _any_findings(tree, expected, at, allow_approach)
            continue
        if isinstance(expected, str):
            values: tuple[str, ...] = (expected,)
        else:
            values = tuple(value for value in expected if isinstance(value, str))
            if len(values) < len(expected):
                yield Finding(
                    at,
                    f"'{key}' lists answers, not conditions (only 'any' lists conditions)",
                    code="conditions-in-answer-list",
                )
                continue
        if key == "meets":
            yield from ref_findings(tree, values, at, "requirement", listed=not isinstance(expected, str))
        elif key == "approach":
            if not allow_approach:
                yield Finding(
                    at,
                    "'approach' can only be tested in modifiers, after the decision",
                    code="approach-before-decision",
                )
            for value in values:
                if value not in APPROACHES:
                    yield Finding(
                        at, f"unknown approach '{value}'", expected=", ".join(APPROACHES), code="unknown-approach"
                    )
        else:
            yield from answer_values(tree, key, values, at, at, listed=not isinstance(expected, str), key_is_path=True)


def _any_findings(
    tree: Tree, listed: str | list[str] | list[Condition], at: Path, allow_approach: bool
) -> Iterator[Finding]:
    """An `any` lists conditions, at least one, none of them empty; each is checked as one."""
    if isinstance(listed, str) or not all(isinstance(item, dict) for item in listed):
        yield Finding(
            at,
            "'any' lists conditions, one mapping each",
            expected="e.g. any: [{meets: a}, {task: b}]",
            code="any-not-conditions",
        )
        return
    if not listed:
        yield Finding(at, "an empty 'any' never holds; list the conditions one of which must hold", code="empty-any")
    for position, item in enumerate(listed):
        if not isinstance(item, dict):
            continue
        if item:
            yield from condition_findings(tree, item, at + (position,), allow_approach)
        else:
            yield Finding(
                at + (position,), "an empty condition always holds, and with it the whole 'any'", code="empty-condition"
            )


def answer_values(
    tree: Tree,
    question_id: str,
    values: tuple[str, ...],
    question_at: Path,
    values_at: Path,
    *,
    listed: bool = True,
    key_is_path: bool = False,
) -> Iterator[Finding]:
    question = tree.question_by_id.get(question_id)
    if question is None:
        known = [*tree.question_by_id, *(CONDITION_KEYWORDS if key_is_path else ())]
        yield Finding(
            question_at,
            f"unknown question '{question_id}'",
            hint=did_you_mean(question_id, known),
            code="unknown-reference",
            refers_to=(Target("question", question_id),),
        )
        return
    if question.is_text:
        yield Finding(
            question_at,
            f"'{question_id}' is free text and cannot be tested",
            question_id,
            code="text-tested",
            refers_to=(Target("question", question_id),),
        )
        return
    for position, value in enumerate(values):
        if question.is_multiple and combination(question, value):
            parts = [part.strip() for part in value.split(CHOICE_SEPARATOR)]
            yield Finding(
                values_at + (position,) if listed else values_at,
                f"'{value}' is a combination; conditions and needs name single options of "
                f"'{question_id}' (each holds for every answer that includes it)",
                question_id,
                hint=f"list the options instead, [{', '.join(parts)}]: it holds when any of them is chosen",
                code="combination-tested",
                refers_to=tuple(Target("option", part, question_id) for part in parts),
            )
        elif question.option(value) is None:
            yield Finding(
                values_at + (position,) if listed else values_at,
                f"'{value}' is not an option of '{question_id}'",
                question_id,
                expected=", ".join(question.values),
                hint=did_you_mean(value, question.values),
                code="unknown-option",
                refers_to=(Target("option", value, question_id),),
            )


def ref_findings(tree: Tree, ids: tuple[str, ...], here: Path, kind: str, *, listed: bool = True) -> Iterator[Finding]:
    for position, target in enumerate(ids):
        if target not in _known(tree, kind):
            yield dangling(here + (position,) if listed else here, target, kind, tree)


def _known(tree: Tree, kind: str) -> Mapping[str, object]:
    known: dict[str, Mapping[str, object]] = {
        "technique": tree.technique_by_id,
        "source": tree.source_by_id,
        "requirement": tree.requirement_by_id,
    }
    return known[kind]


def dangling(path: Path, target: str, kind: str, tree: Tree) -> Finding:
    known = _known(tree, kind) if kind != "question" else tree.question_by_id
    return Finding(
        path,
        f"unknown {kind} '{target}'",
        hint=did_you_mean(target, known),
        code="unknown-reference",
        refers_to=(Target(kind, target),),
    )
