"""Each kind of question takes its answers through its own class (domain/answer_kinds.py):
a choice, several choices, free text, and a figure. The trees are declared here."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from treebuilder import build_tree, option, outcome, question, text_question

from adaptwise.domain.answer_kinds import (
    NUMBER,
    NUMBER_LIMIT,
    ChoiceKind,
    SeveralKind,
    TextKind,
    read_number,
)
from adaptwise.domain.answers import check_answers, choice_answer, read_choice
from adaptwise.domain.errors import InputError


@pytest.fixture(scope="module")
def tree():
    return build_tree(
        {
            "questions": [
                text_question("name", next="size", max_length=20),
                question("size", ["small", "large"], next="gaps"),
                question(
                    "gaps",
                    [option("not_tested", alone=True), "facts", "tone"],
                    select="many",
                    next="done",
                ),
            ],
            "outcomes": [outcome("done")],
        }
    )


def test_each_question_has_the_kind_of_its_declaration(tree):
    kinds = {question.id: type(question.kind) for question in tree.questions}
    assert kinds == {"name": TextKind, "size": ChoiceKind, "gaps": SeveralKind}
    assert [question.kind.chooses for question in tree.questions] == [False, True, True]


def test_every_kind_checks_its_answers_in_one_pass(tree):
    raw = {"name": "  Claims   triage ", "size": "large", "gaps": ["tone", "facts", "tone"]}
    assert check_answers(tree, raw) == {"name": "Claims triage", "size": "large", "gaps": "facts,tone"}
    assert check_answers(tree, {"gaps": "facts, tone"}) == {"gaps": "facts,tone"}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"size": "medium"}, "'medium' is not an allowed answer"),
        ({"size": ["large"]}, "got a list; this question takes one answer"),
        ({"size": "small,large"}, "'small,large' gives several answers; this question takes one"),
        ({"gaps": []}, "got an empty list; choose at least one answer"),
        ({"gaps": ["not_tested", "facts"]}, "'not_tested' stands alone; it cannot be combined with facts"),
        ({"name": "x" * 21}, "is 21 characters long; the limit is 20"),
        ({"name": 42}, "got the number 42; free text must be written as text"),
        ({"size": True}, "got the boolean true, not an answer"),
    ],
)
def test_a_bad_answer_is_one_problem_in_words(tree, answers, message):
    with pytest.raises(InputError) as raised:
        check_answers(tree, answers)
    assert [problem.message for problem in raised.value.problems] == [message]


def test_a_typed_line_is_read_by_the_same_kind(tree):
    gaps = tree.question_by_id["gaps"]
    assert read_choice(gaps, "tone,facts") == "facts,tone"
    assert choice_answer(gaps, "tone,nonsense") is None
    assert choice_answer(tree.question_by_id["size"], "small") == "small"
    with pytest.raises(InputError, match="stands alone"):
        read_choice(gaps, "not_tested,tone")


# --- figures ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("50000000", 50_000_000),
        ("50,000,000", 50_000_000),
        ("50_000_000", 50_000_000),
        ("50M", 50_000_000),
        ("2.5k", 2_500),
        ("1e6", 1_000_000),
        ("1.5bn", 1_500_000_000),
        (" +7 ", 7),
        ("0", 0),
    ],
)
def test_a_figure_may_be_written_as_people_write_it(written, value):
    assert read_number(written) == value


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("-5", "is negative"),
        ("nan", "is not a number"),
        ("inf", "is not a number"),
        ("1e400", "is too large"),
        ("2e15", "is too large"),
        ("5,00", "is not a number"),
        ("fifty", "is not a number"),
        ("", "is not a number"),
        ("5M5", "is not a number"),
    ],
)
def test_a_figure_that_is_no_figure_says_why(written, says):
    with pytest.raises(ValueError, match=says):
        read_number(written)


@given(st.integers(min_value=0, max_value=int(NUMBER_LIMIT)))
def test_every_whole_figure_reads_back_in_each_spelling(number):
    for written in (str(number), f"{number:,}", f"{number:_}"):
        assert read_number(written) == number


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_figure_is_finite_and_within_the_limit_or_refused(number):
    try:
        value = read_number(repr(number))
    except ValueError:
        return
    assert math.isfinite(value) and 0 <= value <= NUMBER_LIMIT


@pytest.mark.parametrize(
    ("raw", "stored"), [(50_000_000, "50000000"), ("50M", "50000000"), (2.5, "2.5"), ("2.5k", "2500")]
)
def test_the_number_kind_stores_a_figure_as_its_plain_value(tree, raw, stored):
    size = tree.question_by_id["size"]  # any question: the kind reads only the value
    assert NUMBER.check(size, raw) == (stored, [])


@pytest.mark.parametrize("raw", [True, [5], {"a": 1}, float("nan"), -3, "lots"])
def test_the_number_kind_refuses_what_is_no_figure(tree, raw):
    answer, found = NUMBER.check(tree.question_by_id["size"], raw)
    assert answer is None and len(found) == 1
    assert found[0][0].expected is not None and "a number from 0 to" in found[0][0].expected
