"""`any:` in conditions: it holds when one of the conditions it lists holds.

Small trees declared inline, decided through the engine: a rule `{any: [A, B]}` must decide
exactly as the two rules A then B do, leave a route undecided while an `any` turns on an
unanswered question, and `adaptwise check` must place a typo inside an `any` at its line.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaptwise.domain.conditions import condition_may_hold
from adaptwise.domain.engine import decide, next_question, walk
from adaptwise.domain.model import Tree
from adaptwise.files.trees import check_tree_file, load_tree
from adaptwise.files.validation import parse_tree

#: Three questions asked in turn, then a route: `{rules}` is filled in per test, and `{other}`
#: with a third outcome where a rule leads to it.
TREE = """\
version: "1"
title: any tree
start: size
questions:
  - id: size
    prompt: How much data?
    default: small
    next: quality
    options:
      - {{value: small, label: Small, explanation: A little data.}}
      - {{value: large, label: Large, explanation: A lot of data.}}
  - id: quality
    prompt: Is it reviewed?
    default: raw
    next: team
    options:
      - {{value: raw, label: Raw, explanation: Not reviewed.}}
      - {{value: reviewed, label: Reviewed, explanation: Reviewed by people.}}
  - id: team
    prompt: Who would run it?
    default: nobody
    next: decide
    options:
      - {{value: nobody, label: Nobody, explanation: No one.}}
      - {{value: engineers, label: Engineers, explanation: ML engineers.}}
routes:
  - id: decide
    rules:
{rules}
    otherwise: prompting
outcomes:
  - id: prompting
    approach: prompt_engineering
    headline: Prompt a base model.
    rationale: [Prompting comes first.]
  - id: tuning
    approach: fine_tuning
    headline: Fine-tune.
    rationale: [The data and the people are there.]
{other}requirements:
  - id: curated
    approach: fine_tuning
    label: Fine-tuning on curated data
    needs:
      - {{question: quality, allowed: [reviewed], need: reviewed data}}
      - {{question: team, allowed: [engineers], need: people to run it}}
  - id: at_scale
    approach: fine_tuning
    label: Fine-tuning at scale
    needs:
      - {{question: size, allowed: [large], need: a large set}}
      - {{question: team, allowed: [engineers], need: people to run it}}
plan_questions:
  - {{id: data, ask: "With what data?", answered_from: [size]}}
techniques: []
"""

OTHER = """\
  - id: other
    approach: prompt_engineering
    headline: Prompt differently.
    rationale: [Something else holds.]
"""

QUESTIONS = {"size": ("small", "large"), "quality": ("raw", "reviewed"), "team": ("nobody", "engineers")}

ANY_RULE = """\
      - when: {any: [{meets: curated}, {meets: at_scale}]}
        then: tuning
        why: Curated data or a large set, with people to run it."""

PAIR_RULES = """\
      - when: {meets: curated}
        then: tuning
        why: Curated data with people to run it.
      - when: {meets: at_scale}
        then: tuning
        why: A large set with people to run it."""


def text_of(rules: str) -> str:
    return TREE.format(rules=rules, other=OTHER if "then: other" in rules else "")


def tree_from(tmp_path: Path, rules: str, name: str = "tree.yaml") -> Tree:
    path = tmp_path / name
    path.write_text(text_of(rules), encoding="utf-8")
    return load_tree(path).tree


def every_answer_set() -> list[dict[str, str]]:
    return [dict(zip(QUESTIONS, values, strict=True)) for values in product(*QUESTIONS.values())]


def decisive(tree: Tree, answers: dict[str, str]) -> set[str]:
    return {step.question.id for step in decide(tree, answers).path if step.decisive}


def test_an_any_holds_when_one_of_its_conditions_does(tmp_path):
    tree = tree_from(tmp_path, ANY_RULE)
    outcomes = {tuple(answers.values()): decide(tree, answers).outcome for answers in every_answer_set()}
    assert outcomes[("small", "reviewed", "engineers")] == "tuning"  # curated
    assert outcomes[("large", "raw", "engineers")] == "tuning"  # at scale
    assert outcomes[("large", "reviewed", "engineers")] == "tuning"  # both
    assert outcomes[("large", "reviewed", "nobody")] == "prompting"  # neither: no one to run it
    assert outcomes[("small", "raw", "engineers")] == "prompting"


def test_an_any_reads_only_the_condition_that_decided(tmp_path):
    tree = tree_from(tmp_path, ANY_RULE)
    # at scale holds and curated fails: the quality of the data decided nothing
    assert decisive(tree, {"size": "large", "quality": "raw", "team": "engineers"}) == {"size", "team"}
    # curated holds first: the size decided nothing
    assert decisive(tree, {"size": "large", "quality": "reviewed", "team": "engineers"}) == {"quality", "team"}


def test_an_any_beside_other_entries_needs_them_too(tmp_path):
    rules = """\
      - when: {size: large, any: [{quality: reviewed}, {team: engineers}]}
        then: tuning
        why: A large set, and reviewed data or people."""
    tree = tree_from(tmp_path, rules)
    for answers in every_answer_set():
        expected = answers["size"] == "large" and (answers["quality"] == "reviewed" or answers["team"] == "engineers")
        assert (decide(tree, answers).outcome == "tuning") == expected, answers


def test_an_any_inside_an_any(tmp_path):
    rules = """\
      - when: {any: [{size: large, any: [{quality: reviewed}, {team: engineers}]}, {quality: reviewed, team: engineers}]}
        then: tuning
        why: Nested."""
    tree = tree_from(tmp_path, rules)
    for answers in every_answer_set():
        large = answers["size"] == "large"
        reviewed, people = answers["quality"] == "reviewed", answers["team"] == "engineers"
        expected = (large and (reviewed or people)) or (reviewed and people)
        assert (decide(tree, answers).outcome == "tuning") == expected, answers


def test_an_any_on_an_unanswered_question_is_undecided(tmp_path):
    rules = """\
      - when: {any: [{size: large}, {team: engineers}]}
        then: tuning
        why: A large set or people."""
    tree = tree_from(tmp_path, rules)
    when = tree.routes[0].rules[0].when
    unknown = frozenset({"team"})
    assert condition_may_hold(tree, when, {"size": "large"}, unknown) is True  # one holds already
    assert condition_may_hold(tree, when, {"size": "small"}, unknown) is None  # turns on the team
    assert condition_may_hold(tree, when, {"size": "small", "team": "nobody"}, frozenset()) is False
    # the engine waits for the answer it turns on, and only then decides
    pending = walk(tree, {"size": "small", "quality": "raw"}).pending
    assert pending is not None and pending.id == "team"
    asked = next_question(tree, {"size": "small", "quality": "raw"})
    assert asked is not None and asked.id == "team"
    assert decide(tree, {"size": "small", "quality": "raw", "team": "engineers"}).outcome == "tuning"
    assert decide(tree, {"size": "small", "quality": "raw", "team": "nobody"}).outcome == "prompting"


def test_an_any_that_holds_whatever_the_rest_is_answered_is_not_undecided(tmp_path):
    rules = """\
      - when: {size: small, any: [{size: small}, {team: engineers}]}
        then: tuning
        why: Small, however the team is answered."""
    tree = tree_from(tmp_path, rules)
    when = tree.routes[0].rules[0].when
    assert condition_may_hold(tree, when, {"size": "small"}, frozenset({"team"})) is True
    assert condition_may_hold(tree, when, {"size": "large"}, frozenset({"team"})) is False  # its other entry fails


def test_an_empty_any_never_holds_and_check_says_so(tmp_path):
    rules = """\
      - when: {any: []}
        then: tuning
        why: Nothing."""
    path = tmp_path / "tree.yaml"
    path.write_text(text_of(rules), encoding="utf-8")
    _, problems = check_tree_file(path)
    assert any("an empty 'any' never holds" in str(problem) for problem in problems), problems


# --- a rule {any: [A, B]} decides exactly as the rules A then B do ----------------------

ENTRIES: st.SearchStrategy[dict[str, object]] = st.one_of(
    st.sampled_from([{"meets": "curated"}, {"meets": "at_scale"}, {"meets": ["curated", "at_scale"]}]),
    st.sampled_from(list(QUESTIONS)).flatmap(
        lambda question: st.lists(st.sampled_from(QUESTIONS[question]), min_size=1, max_size=2, unique=True).map(
            lambda values: {question: values[0] if len(values) == 1 else values}
        )
    ),
)
CONDITIONS = st.lists(ENTRIES, min_size=1, max_size=2).map(
    lambda entries: {k: v for e in entries for k, v in e.items()}
)


def flow(condition: dict[str, object]) -> str:
    """A condition as a YAML flow mapping."""

    def value(item: object) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(value(part) for part in item) + "]"
        if isinstance(item, dict):
            return flow(item)
        return str(item)

    return "{" + ", ".join(f"{key}: {value(item)}" for key, item in condition.items()) + "}"


def tree_of(rules: list[tuple[dict[str, object], str]]) -> Tree:
    """A tree from the text with these rules, validated in memory (no file, no cache)."""
    import yaml

    text = "\n".join(f"      - when: {flow(when)}\n        then: {then}\n        why: A rule." for when, then in rules)
    tree, findings = parse_tree(yaml.safe_load(text_of(text)))
    assert tree is not None and not findings, findings
    return tree


@settings(max_examples=60, deadline=None)
@given(first=CONDITIONS, second=CONDITIONS, rest=st.one_of(st.none(), CONDITIONS))
def test_an_any_decides_as_its_conditions_in_turn(first, second, rest):
    one: dict[str, object] = {"any": [first, second]}
    later = [(rest, "other")] if rest is not None else []
    merged = tree_of([(one, "tuning"), *later])
    pair = tree_of([(first, "tuning"), (second, "tuning"), *later])
    for answers in every_answer_set():
        assert decide(merged, answers).outcome == decide(pair, answers).outcome, answers
        assert decisive(merged, answers) == decisive(pair, answers), answers
    for answers in [{}, {"size": "large"}, {"size": "small", "quality": "reviewed"}]:
        assert walk(merged, answers).pending == walk(pair, answers).pending, answers


# --- `adaptwise check` places a typo inside an `any` at its line ------------------------


@pytest.mark.parametrize(
    ("typo", "message"),
    [
        ("{sise: large}", "unknown question 'sise'"),
        ("{size: lage}", "'lage' is not an option of 'size'"),
        ("{meets: curatd}", "unknown requirement 'curatd'"),
        ("{size: large, any: [{quality: reveiwed}]}", "'reveiwed' is not an option of 'quality'"),
    ],
)
def test_check_reports_a_typo_inside_an_any_at_its_line(tmp_path, typo, message):
    rules = f"""\
      - when:
          team: engineers
          any:
            - {{quality: reviewed}}
            - {typo}
        then: tuning
        why: A typo."""
    path = tmp_path / "typo.yaml"
    path.write_text(text_of(rules), encoding="utf-8")
    loaded, problems = check_tree_file(path)
    assert loaded is None or problems
    found = [problem for problem in problems if message in problem.message]
    assert found, problems
    lines = path.read_text(encoding="utf-8").splitlines()
    for problem in found:
        assert problem.file == str(path) and problem.line is not None, problem
        assert lines[problem.line - 1].strip() == f"- {typo}", problem
        # the column points into the entry (at the value, as for a question key at the top level)
        assert problem.column is not None and lines[problem.line - 1].index("{") < problem.column, problem


def test_check_says_where_any_lists_values_instead_of_conditions(tmp_path):
    rules = """\
      - when: {any: [large, small]}
        then: tuning
        why: Not conditions."""
    path = tmp_path / "values.yaml"
    path.write_text(text_of(rules), encoding="utf-8")
    _, problems = check_tree_file(path)
    line = next(number for number, text in enumerate(text_of(rules).splitlines(), start=1) if "any: [large" in text)
    assert [problem.line for problem in problems if "'any' lists conditions" in problem.message] == [line]
