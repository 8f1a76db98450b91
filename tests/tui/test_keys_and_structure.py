"""The wizard's keys and code, checked without running it: every binding has an id and a
description, the help's key table lists every key, and the wizard's Python names no id of
the tree and no module runs past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import adaptwise
from adaptwise.tui.app import AdaptwiseApp
from adaptwise.tui.dialogs.confirm import ConfirmDialog
from adaptwise.tui.dialogs.help import HelpDialog, help_markdown
from adaptwise.tui.dialogs.path_dialog import PathDialog
from adaptwise.tui.keys import key_name, scopes
from adaptwise.tui.screens.question import QuestionScreen
from adaptwise.tui.screens.recommendation import RecommendationScreen
from adaptwise.tui.screens.review import ReviewScreen
from adaptwise.tui.screens.welcome import WelcomeScreen
from adaptwise.tui.widgets.answer_inputs import AnswerChecklist, AnswerList, TextAnswer

SOURCE = Path(adaptwise.__file__).parent
#: The wizard's Python and plain mode: the walkthrough's front ends.
FRONT_ENDS = sorted((SOURCE / "tui").rglob("*.py")) + [SOURCE / "cli" / "ask.py", SOURCE / "domain" / "walkthrough.py"]
BOUND: list[type[DOMNode]] = [
    AdaptwiseApp,
    WelcomeScreen,
    QuestionScreen,
    AnswerList,
    AnswerChecklist,
    TextAnswer,
    ReviewScreen,
    RecommendationScreen,
    ConfirmDialog,
    HelpDialog,
    PathDialog,
]
BINDINGS = [(cls.__name__, binding) for cls in BOUND for binding in Binding.make_bindings(cls.BINDINGS)]


@pytest.mark.parametrize(("owner", "binding"), BINDINGS, ids=[f"{owner}-{b.key}" for owner, b in BINDINGS])
def test_every_binding_has_an_id_a_description_and_a_tooltip(owner, binding):
    assert binding.id and binding.description and binding.tooltip, (owner, binding)


def test_the_help_lists_every_key_of_every_screen(wizard_tree):
    text = help_markdown(wizard_tree.tree, wizard_tree.tree.questions[1])
    for _, binding_lists in scopes():
        for bindings in binding_lists:
            for binding in Binding.make_bindings(bindings):
                rows = [line for line in text.splitlines() if binding.tooltip in line]
                assert any(key_name(binding.key) in row for row in rows), (binding, rows)
    assert "<!--" not in text  # the marker in help.md was replaced
    for key in ("a", "c", "p", "d", "n", "r", "s", "o", "ctrl+p", "ctrl+c"):
        assert f"| {key} |" in text or f"| {key} or" in text, key


def test_no_module_of_the_wizard_runs_past_400_lines():
    long = {path.name: n for path in FRONT_ENDS if (n := len(path.read_text().splitlines())) > 400}
    assert not long


def test_the_wizards_python_names_no_question_or_answer_of_the_tree(loaded):
    """The shipped tree's ids, the ones a shortcut in the wizard would name."""
    tree = loaded.tree
    ids = {question.id for question in tree.questions} | {value for q in tree.questions for value in q.values}
    for path in FRONT_ENDS:
        strings = {
            node.value
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        assert not strings & ids, (path.name, strings & ids)
