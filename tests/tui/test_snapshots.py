"""Snapshots of each screen at 80x24 and 120x36, built with run_wizard's own factory.

Textual is pinned exactly (pyproject) and the report date is frozen, so these are stable.
Update deliberately with `pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from adaptwise.domain.engine import next_question, with_defaults

from .conftest import TODAY, asked, default_answer

SIZES = [(80, 24), (120, 36)]
FINE_TUNING = {
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


@pytest.fixture
def app_for(loaded):
    from adaptwise.tui.app import create_app

    def make(answers=None):
        return create_app(loaded, answers, today=TODAY)

    return make


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, app_for, size):
    assert snap_compare(app_for(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_question(snap_compare, app_for, size):
    # Start, skip the initiative, move the highlight so the explanation follows it.
    assert snap_compare(app_for(), press=["enter", "enter", "down"], terminal_size=size)


def test_choose_all_that_apply_question(snap_compare, app_for, loaded):
    """Opened on base_models (the answers before it given), two gaps ticked with Space: the
    default, which goes alone, is unticked by the first."""
    before: dict[str, str] = {}
    while (pending := asked(loaded.tree, before)).id != "base_models":
        before[pending.id] = default_answer(pending)
    press = ["down", "down", "space", "down", "space"]
    assert snap_compare(app_for(before), press=press, terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_text_question(snap_compare, app_for, size):
    assert snap_compare(app_for(), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, app_for, loaded, size):
    # Every question on the path is answered, so the wizard opens on the review.
    assert next_question(loaded.tree, FINE_TUNING) is None
    assert snap_compare(app_for(FINE_TUNING), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_recommendation(snap_compare, app_for, size):
    assert snap_compare(app_for(FINE_TUNING), press=["enter"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, app_for, size):
    assert snap_compare(app_for(FINE_TUNING), press=["enter", "ctrl+s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_dialog(snap_compare, app_for, size):
    assert snap_compare(app_for(), press=["enter", "enter", "f1"], terminal_size=size)


def test_welcome_with_a_session_to_resume(snap_compare, app_for, loaded, monkeypatch):
    import time

    from adaptwise.files.session import Session, save_session

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()

    answers = with_defaults(loaded.tree, {"initiative": "Claims"})
    # A fixed time, so the "unfinished session from ..." line is stable.
    session = Session(loaded.sha256, {k: answers[k] for k in ("initiative", "task")}, "base_models")
    save_session(session, loaded.tree)
    import json

    from adaptwise.files.session import session_file

    path = session_file(loaded.sha256)
    data = json.loads(path.read_text())
    data["saved_at"] = 1773489600.0  # 2026-03-14 12:00 UTC
    path.write_text(json.dumps(data))
    assert snap_compare(app_for(), terminal_size=(80, 24))
