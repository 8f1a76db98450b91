"""Raw answers are checked before anything decides on them: each bad one is an `InputError`
that names its question, never a crash and never let through.

Free text is one line: a newline or a tab alone refuses it. A question that takes several
answers refuses a number, a boolean or a mapping with a problem of its own. A question id the
tree does not know is named, with the closest one it does. `read_choice` (the plain prompts)
takes an answer of a one-answer question as written and refuses anything else in one line.
On a tree declared here (tests/treebuilder.py); mutation testing found these unpinned.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, option, outcome, question, text_question

from adaptwise.domain.answers import check_answers, read_choice
from adaptwise.domain.errors import InputError

TREE = build_tree(
    {
        "questions": [
            question("size", ["small", "medium", "large"], next="gaps"),
            question(
                "gaps",
                ["facts", "style", option("none", alone=True)],
                next="initiative",
                select="many",
            ),
            text_question("initiative", next="prompting", max_length=60),
        ],
        "outcomes": [outcome("prompting")],
    }
)
SIZE = TREE.question_by_id["size"]
VALID = {"size": "small", "gaps": "facts"}


def refusal(raw: dict[str, object]) -> InputError:
    with pytest.raises(InputError) as caught:
        check_answers(TREE, raw)
    return caught.value


TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), max_size=20)


@settings(max_examples=60, deadline=None)
@given(before=TEXT, breaking=st.sampled_from(["\n", "\t", "\r\n"]), after=TEXT)
def test_free_text_with_a_newline_or_a_tab_is_refused(before, breaking, after):
    (problem,) = refusal({**VALID, "initiative": f"{before}{breaking}{after}"}).problems
    assert problem.question == "initiative"
    assert "single line" in problem.message


def test_free_text_of_one_line_is_kept_single_spaced():
    assert check_answers(TREE, {**VALID, "initiative": "  Project   Atlas "})["initiative"] == "Project Atlas"


@pytest.mark.parametrize("value", [3, 2.5, True, {"facts": 1}])
def test_a_several_answer_question_refuses_what_is_not_text_or_a_list(value):
    (problem,) = refusal({"size": "small", "gaps": value}).problems
    assert problem.question == "gaps"
    assert problem.expected is not None and "one or more of facts, style" in problem.expected


def test_an_unknown_question_is_named_with_the_closest_known_one():
    (problem,) = refusal({**VALID, "sizes": "small"}).problems
    assert "'sizes'" in problem.message
    assert problem.expected == "one of size, gaps, initiative"
    assert problem.hint is not None and "size" in problem.hint


@given(value=st.sampled_from(SIZE.values))
def test_read_choice_takes_an_answer_of_a_one_answer_question_as_written(value):
    assert read_choice(SIZE, value) == value


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=12).filter(lambda text: text not in SIZE.values))
def test_read_choice_refuses_anything_else_in_one_problem_about_its_question(text):
    with pytest.raises(InputError) as caught:
        read_choice(SIZE, text)
    (problem,) = caught.value.problems
    assert problem.question == "size" and problem.message
