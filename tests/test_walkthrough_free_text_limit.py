"""Free text in the walkthrough is cut to its question's `max_length` and single-spaced,
whether typed at the question or given up front (a file, flags), on a tree declared here
(tests/treebuilder.py). Mutation testing found the cut unpinned: typed text of any length
was kept whole and no test noticed.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, outcome, question, text_question

from adaptwise.domain.walkthrough import Walkthrough

LIMIT = 12
TREE = build_tree(
    {
        "questions": [
            text_question("initiative", next="size", max_length=LIMIT),
            question("size", ["small", "large"], next="prompting"),
        ],
        "outcomes": [outcome("prompting")],
    }
)

WORDS = st.lists(st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8), min_size=1, max_size=6)


def _kept(typed: str) -> str:
    """What the walkthrough stores: single-spaced, at most LIMIT characters, no trailing space."""
    return " ".join(typed.split())[:LIMIT].rstrip()


@settings(max_examples=60, deadline=None)
@given(words=WORDS, gap=st.sampled_from([" ", "   "]))
def test_typed_free_text_is_cut_to_its_limit(words, gap):
    typed = gap.join(words)
    walkthrough = Walkthrough.fresh(TREE)
    assert walkthrough.question is not None and walkthrough.question.id == "initiative"
    answered = walkthrough.answer(typed)
    assert answered.answers["initiative"] == _kept(typed)
    assert len(answered.answers["initiative"]) <= LIMIT
    assert answered.question is not None and answered.question.id == "size"


@settings(max_examples=60, deadline=None)
@given(words=WORDS)
def test_free_text_given_up_front_is_cut_the_same_way(words):
    typed = "  ".join(words)
    walkthrough = Walkthrough.with_answers(TREE, {"initiative": typed, "size": "small"})
    assert walkthrough.answers["initiative"] == _kept(typed)
