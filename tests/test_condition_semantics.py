"""What a condition means, for every condition: checked against a plain reading of the rule.

A condition's entries must all hold, whatever order they are written in; `any` holds when
one of its conditions does (an empty one never does); `meets` needs every need of each
requirement named, `extends` included; `approach` matches the decided approach, inside an
`any` too. Undecided (`condition_may_hold`) is three-valued: one failing entry fails the
condition, otherwise an entry that turns on an unanswered question leaves it open. The
questions a condition reads are its own, those behind `meets`, and of an `any` only the first
condition that holds (all of them when none holds, or when no answers are given).

Hypothesis writes the conditions (nested `any`, entries in any order) over a tree declared
here (tests/treebuilder.py); the engine's walk then shows the same rules on a route.
Mutation testing found these rules unpinned: entries written after an `any` were dropped
unnoticed, as was the approach inside an `any`.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, outcome, question, route

from adaptwise.domain.conditions import condition_holds, condition_may_hold, condition_questions, unmet_needs
from adaptwise.domain.engine import decide, missing_questions
from adaptwise.domain.model import Condition

QUESTIONS: dict[str, tuple[str, ...]] = {
    "size": ("small", "medium", "large"),
    "quality": ("raw", "reviewed"),
    "team": ("nobody", "engineers"),
}
#: Requirement sets: `people` extends `curated`, so it needs reviewed data too.
NEEDS: dict[str, dict[str, tuple[str, ...]]] = {
    "curated": {"quality": ("reviewed",)},
    "people": {"quality": ("reviewed",), "team": ("engineers",)},
    "big": {"size": ("medium", "large")},
}
APPROACHES = ("prompt_engineering", "fine_tuning", "training")

TREE = build_tree(
    {
        "questions": [
            question("size", QUESTIONS["size"], next="quality"),
            question("quality", QUESTIONS["quality"], next="team"),
            question("team", QUESTIONS["team"], next="decide"),
        ],
        "routes": [route("decide", [({"meets": "people"}, "tuning")], otherwise="prompting")],
        "outcomes": [outcome("prompting"), outcome("tuning", approach="fine_tuning")],
        "requirements": [
            {
                "id": "curated",
                "approach": "fine_tuning",
                "label": "Curated data",
                "needs": [{"question": "quality", "allowed": ["reviewed"], "need": "reviewed data"}],
            },
            {
                "id": "people",
                "approach": "fine_tuning",
                "label": "Curated data and people",
                "extends": "curated",
                "needs": [{"question": "team", "allowed": ["engineers"], "need": "people to run it"}],
            },
            {
                "id": "big",
                "approach": "fine_tuning",
                "label": "A large set",
                "needs": [{"question": "size", "allowed": ["medium", "large"], "need": "enough data"}],
            },
        ],
    }
)


# --- the plain reading each test compares with ------------------------------------------


def holds(when: Mapping[str, Any], answers: Mapping[str, str], approach: str | None) -> bool:
    for key, expected in when.items():
        if key == "any":
            if not any(holds(alternative, answers, approach) for alternative in expected):
                return False
        elif key == "meets":
            for name in [expected] if isinstance(expected, str) else expected:
                if any(answers.get(q) not in allowed for q, allowed in NEEDS[name].items()):
                    return False
        elif key == "approach":
            if approach not in ([expected] if isinstance(expected, str) else expected):
                return False
        elif answers.get(key) not in ([expected] if isinstance(expected, str) else expected):
            return False
    return True


def may_hold(when: Mapping[str, Any], answers: Mapping[str, str], unknown: frozenset[str]) -> bool | None:
    results: list[bool | None] = []
    for key, expected in when.items():
        if key == "any":
            each = [may_hold(alternative, answers, unknown) for alternative in expected]
            results.append(True if True in each else None if None in each else False)
            continue
        pairs = (
            [pair for name in _listed(expected) for pair in NEEDS[name].items()]
            if key == "meets"
            else [(key, _listed(expected))]
        )
        for q, allowed in pairs:
            results.append(None if q in unknown else answers.get(q) in allowed)
    return False if False in results else None if None in results else True


def reads(when: Mapping[str, Any], answers: Mapping[str, str] | None, approach: str | None) -> set[str]:
    read: set[str] = set()
    for key, expected in when.items():
        if key == "any":
            held = None if answers is None else next((c for c in expected if holds(c, answers, approach)), None)
            for alternative in expected if held is None else [held]:
                read |= reads(alternative, answers, approach)
        elif key == "meets":
            read |= {q for name in _listed(expected) for q in NEEDS[name]}
        elif key != "approach":
            read.add(key)
    return read


def _listed(expected: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return (expected,) if isinstance(expected, str) else tuple(expected)


# --- conditions, as hypothesis writes them ------------------------------------------------


def _one_or_several(values: tuple[str, ...]) -> st.SearchStrategy[str | list[str]]:
    return st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True).map(
        lambda chosen: chosen[0] if len(chosen) == 1 else chosen
    )


def _entries(with_approach: bool) -> st.SearchStrategy[tuple[str, Any]]:
    kinds = [
        st.sampled_from(list(QUESTIONS)).flatmap(lambda q: _one_or_several(QUESTIONS[q]).map(lambda v: (q, v))),
        _one_or_several(tuple(NEEDS)).map(lambda v: ("meets", v)),
    ]
    if with_approach:
        kinds.append(_one_or_several(APPROACHES).map(lambda v: ("approach", v)))
    return st.one_of(kinds)


def conditions(*, with_approach: bool, depth: int = 2) -> st.SearchStrategy[dict[str, Any]]:
    """Conditions of up to four entries in any order, one of them perhaps an `any` of
    conditions (nested `depth` deep; an `any` may be empty, or list an empty condition)."""
    entry = _entries(with_approach)
    if depth > 0:
        inner = st.lists(conditions(with_approach=with_approach, depth=depth - 1), max_size=3)
        entry = st.one_of(entry, entry, inner.map(lambda listed: ("any", listed)))
    return st.lists(entry, max_size=4, unique_by=lambda item: item[0]).map(dict)


ANSWERS = st.fixed_dictionaries({}, optional={q: st.sampled_from(values) for q, values in QUESTIONS.items()})
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(when=conditions(with_approach=True), answers=ANSWERS, approach=st.sampled_from((None, *APPROACHES)))
def test_a_condition_holds_exactly_when_each_of_its_entries_does(when, answers, approach):
    assert condition_holds(TREE, when, answers, approach) is holds(when, answers, approach)


@PROPERTY
@given(when=conditions(with_approach=True), answers=ANSWERS, approach=st.sampled_from(APPROACHES), data=st.data())
def test_the_order_entries_are_written_in_changes_nothing(when, answers, approach, data):
    reordered = dict(data.draw(st.permutations(list(when.items()))))
    assert condition_holds(TREE, reordered, answers, approach) is condition_holds(TREE, when, answers, approach)
    assert condition_questions(TREE, reordered, answers, approach) == condition_questions(TREE, when, answers, approach)


@PROPERTY
@given(when=conditions(with_approach=False), answers=ANSWERS, data=st.data())
def test_undecided_is_three_valued(when, answers, data):
    unanswered = [q for q in QUESTIONS if q not in answers]
    unknown = frozenset(data.draw(st.lists(st.sampled_from(unanswered), unique=True))) if unanswered else frozenset()
    assert condition_may_hold(TREE, when, answers, unknown) is may_hold(when, answers, unknown)


@PROPERTY
@given(when=conditions(with_approach=True), answers=ANSWERS, approach=st.sampled_from(APPROACHES))
def test_a_condition_reads_its_questions_and_of_an_any_the_one_that_decided(when, answers, approach):
    assert condition_questions(TREE, when, answers, approach) == reads(when, answers, approach)
    assert condition_questions(TREE, when) == reads(when, None, None)  # no answers: every alternative


def test_an_empty_any_never_holds_and_an_empty_condition_always_does():
    for values in product(*QUESTIONS.values()):
        answers = dict(zip(QUESTIONS, values, strict=True))
        nothing: Condition = {"any": []}
        empty: Condition = {}
        assert condition_holds(TREE, nothing, answers) is False
        assert condition_holds(TREE, {"any": [empty]}, answers) is True
        assert condition_may_hold(TREE, nothing, answers, frozenset()) is False


def test_an_approach_inside_an_any_is_matched_against_the_decided_approach():
    tuned: Condition = {"approach": "fine_tuning", "size": "large"}
    people: Condition = {"team": "engineers"}
    when: Condition = {"any": [tuned, people]}
    answers = {"size": "large", "quality": "raw", "team": "nobody"}
    assert condition_holds(TREE, when, answers, "fine_tuning") is True
    assert condition_holds(TREE, when, answers, "training") is False
    # the alternative that holds through the approach is the one that decided: it read the size
    assert condition_questions(TREE, when, answers, "fine_tuning") == {"size"}
    assert condition_questions(TREE, when, {**answers, "team": "engineers"}, "training") == {"team"}


def test_unmet_needs_are_the_needs_the_answers_miss_extends_included():
    for values in product(*QUESTIONS.values()):
        answers = dict(zip(QUESTIONS, values, strict=True))
        missed = {need.question for need in unmet_needs(TREE, "people", answers)}
        assert missed == {q for q, allowed in NEEDS["people"].items() if answers[q] not in allowed}, answers


# --- the same rules on a route ------------------------------------------------------------------

AFTER_ANY = build_tree(
    {
        "questions": [
            question("size", QUESTIONS["size"], next="quality"),
            question("quality", QUESTIONS["quality"], next="team"),
            question("team", QUESTIONS["team"], next="decide"),
            question("budget", ["low", "high"], next="done"),
        ],
        # `any` first, then an entry it must not hide; the rule's branch asks the budget
        "routes": [
            route(
                "decide",
                [({"any": [{"quality": "reviewed"}, {"team": "engineers"}], "size": "large"}, "budget")],
                otherwise="prompting",
            ),
            route("done", [({"budget": "high"}, "tuning")], otherwise="prompting"),
        ],
        "outcomes": [outcome("prompting"), outcome("tuning", approach="fine_tuning")],
    }
)


def test_an_entry_written_after_an_any_still_has_to_hold_on_a_route():
    for values in product(*QUESTIONS.values()):
        answers = dict(zip(QUESTIONS, values, strict=True))
        expected = answers["size"] == "large" and (answers["quality"] == "reviewed" or answers["team"] == "engineers")
        full = {**answers, "budget": "high"}
        assert (decide(AFTER_ANY, full).outcome == "tuning") is expected, answers
        # decided on every answer but the budget: the budget is asked only where the rule holds
        assert ([q.id for q in missing_questions(AFTER_ANY, answers)] == ["budget"]) is expected, answers


def test_an_open_any_before_a_failing_entry_does_not_keep_the_branch_open():
    # the team is unanswered, so the `any` is open; the size already fails the rule
    assert [q.id for q in missing_questions(AFTER_ANY, {"size": "small", "quality": "raw"})] == ["team"]
    assert [q.id for q in missing_questions(AFTER_ANY, {"size": "large", "quality": "raw"})] == ["team", "budget"]
