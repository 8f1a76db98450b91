"""Work on what a person controls stays linear, counted in the engine's own steps.

A step is a question the walk passes (`Question.leads_to`) or a route rule it tries
(`condition_holds` in the walk). Four times the input may cost at most about five times
the steps: a quadratic walk would cost sixteen. Seconds are measured in
bench/bench_hostile.py, never here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from treebuilder import build_tree, outcome, question, route, text_question

from adaptwise.domain import answerpath
from adaptwise.domain.conditions import condition_holds
from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.model import Tree
from adaptwise.domain.questions import Question
from adaptwise.domain.walkthrough import Walkthrough

SIZES = (40, 160)


class Steps:
    """Counts each question passed and each route rule tried."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        leads_to, holds = Question.leads_to, condition_holds

        def counted_leads_to(question: Question, value: str | None) -> str | None:
            self.count += 1
            return leads_to(question, value)

        def counted_holds(*args: Any, **kwargs: Any) -> bool:
            self.count += 1
            return holds(*args, **kwargs)

        monkeypatch.setattr(Question, "leads_to", counted_leads_to)
        monkeypatch.setattr(answerpath, "condition_holds", counted_holds)

    def of(self, work: Callable[[], object]) -> int:
        self.count = 0
        work()
        return self.count


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> Iterator[Steps]:
    yield Steps(monkeypatch)


def choice_chain(size: int) -> Tree:
    """`size` chained choice questions, then a route with a rule per question."""
    questions = [question(f"q{index}", ["no", "yes"], next=f"q{index + 1}") for index in range(size)]
    questions[-1]["next"] = "decide"
    rules = [({f"q{index}": "yes"}, "act") for index in range(size)]
    return build_tree(
        {
            "questions": questions,
            "routes": [route("decide", rules, otherwise="wait")],
            "outcomes": [outcome("wait"), outcome("act")],
        }
    )


def text_chain(size: int) -> Tree:
    questions = [text_question(f"t{index}", next=f"t{index + 1}") for index in range(size)]
    questions[-1]["next"] = "done"
    return build_tree({"questions": questions, "outcomes": [outcome("done")]})


def assert_linear(small: int, large: int) -> None:
    assert small > 0
    assert large <= 5 * small, f"4x the input took {large / small:.1f}x the steps ({small} -> {large})"


def test_a_decision_is_linear_in_questions_and_rules(steps):
    small, large = (choice_chain(size) for size in SIZES)
    counts = [steps.of(lambda tree=tree: decide(tree, with_defaults(tree, {}))) for tree in (small, large)]
    assert_linear(*counts)


def test_one_answer_in_the_walkthrough_is_linear_in_the_questions_before_it(steps):
    counts = []
    for size in SIZES:
        tree = text_chain(size)
        before_last = Walkthrough.with_answers(tree, {f"t{index}": "x" for index in range(size - 1)})
        counts.append(steps.of(lambda step=before_last: step.answer("last")))
    assert_linear(*counts)
