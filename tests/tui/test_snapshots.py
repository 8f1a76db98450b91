"""Snapshots of each screen at 80x24 and 120x36, built with run_wizard's own factory.

The screens are the fixture tree's (wizard_tree.yaml), so editing the shipped tree's words
changes none of them; one snapshot shows the shipped tree's recommendation, the screen its
content fills most. Textual is pinned exactly (pyproject) and the report date is frozen, so
these are stable. Update deliberately with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from adaptwise.domain.engine import next_question, with_defaults

from .conftest import asked, default_answer

SIZES = [(80, 24), (120, 36)]
#: A fixture-tree walk to fine-tuning, every question on its path answered.
FINE_TUNING = {
    "initiative": "Release notes drafter",
    "task": "write",
    "baseline": "wrong_format",
    "examples": "hundreds",
    "review": "checked",
    "budget": "20k_to_200k",
    "owner": "Head of Platform",
    "team": "ml_engineers",
}
#: The same kind of walk on the shipped tree, for its one snapshot.
SHIPPED_FINE_TUNING = {
    "initiative": "Claims triage assistant",
    "task": "text_generation",
    "current_solution": "none",
    "base_models": "behavior_gap",
    "proprietary_data": "curated_examples",
    "data_quality": "reviewed",
    "budget": "10k_to_100k",
    "budget_owner": "Head of Claims Operations",
    "infrastructure": "cloud",
    "expertise": "ml_engineers",
    "data_residency": "cloud_ok",
    "timeline": "months",
    "feedback_data": "none",
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, make_wizard_app, size):
    """The tree's intro and the Start button."""
    assert snap_compare(make_wizard_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_question(snap_compare, make_wizard_app, size):
    """Start, skip the initiative, move the highlight so the explanation follows it."""
    assert snap_compare(make_wizard_app(), press=["enter", "enter", "down"], terminal_size=size)


def test_choose_all_that_apply_question(snap_compare, make_wizard_app, wizard_tree):
    """Opened on the tree's several-answer question (the answers before it given), two
    answers ticked with Space: the default, which goes alone, is unticked by the first."""
    question = next(question for question in wizard_tree.tree.questions if question.is_multiple)
    assert [option.alone for option in question.options] == [True, True, False, False]
    assert question.default == question.values[0]
    before: dict[str, str] = {}
    while (pending := asked(wizard_tree.tree, before)) != question:
        before[pending.id] = default_answer(pending)
    press = ["down", "down", "space", "down", "space"]
    assert snap_compare(make_wizard_app(before), press=press, terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_question(snap_compare, make_wizard_app, size):
    """The first question, free text, with its placeholder."""
    assert snap_compare(make_wizard_app(), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, make_wizard_app, wizard_tree, size):
    """Every question on the path is answered, so the wizard opens on the review."""
    assert next_question(wizard_tree.tree, FINE_TUNING) is None
    assert snap_compare(make_wizard_app(FINE_TUNING), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_recommendation(snap_compare, make_wizard_app, size):
    """The verdict line, the report and the key bar, for fine-tuning."""
    assert snap_compare(make_wizard_app(FINE_TUNING), press=["enter"], terminal_size=size)


def test_recommendation_on_the_shipped_tree(snap_compare, make_app, loaded):
    """The shipped tree's report, whose words fill the screen as no fixture's do."""
    assert next_question(loaded.tree, SHIPPED_FINE_TUNING) is None
    assert snap_compare(make_app(SHIPPED_FINE_TUNING), press=["enter"], terminal_size=(120, 36))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, make_wizard_app, size):
    """Ctrl+S on the recommendation: the file name from the initiative and the date."""
    assert snap_compare(make_wizard_app(FINE_TUNING), press=["enter", "ctrl+s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_dialog(snap_compare, make_wizard_app, size):
    """F1 on the first choice question: its help, its answers, the keys and the glossary."""
    assert snap_compare(make_wizard_app(), press=["enter", "enter", "f1"], terminal_size=size)


def test_welcome_with_a_session_to_resume(snap_compare, make_wizard_app, wizard_tree, monkeypatch):
    """An unfinished session saved at a fixed time: the welcome offers to resume it."""
    import json
    import time

    from adaptwise.files.session import Session, save_session, session_file

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    tree = wizard_tree.tree
    first, second, third = (question.id for question in tree.questions[:3])
    answers = with_defaults(tree, {first: "Release notes"})
    session = Session(wizard_tree.sha256, {key: answers[key] for key in (first, second)}, third)
    save_session(session, tree)
    path = session_file(wizard_tree.sha256)
    data = json.loads(path.read_text())
    data["saved_at"] = 1773489600.0  # 2026-03-14 12:00 UTC, so the "unfinished session from ..." line is stable
    path.write_text(json.dumps(data))
    assert snap_compare(make_wizard_app(), terminal_size=(80, 24))
