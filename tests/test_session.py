"""Session autosave/resume and typed-text cleaning (UI-free)."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaptwise.domain.text import clean_text, escape_unsafe, find_unsafe_character
from adaptwise.files.session import (
    Session,
    clear_session,
    load_session,
    save_session,
    session_file,
    state_dir,
)
from adaptwise.files.trees import load_tree


@pytest.fixture(autouse=True)
def _state(tmp_path, monkeypatch):
    monkeypatch.setenv("ADAPTWISE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def loaded():
    return load_tree()


def test_state_dir_honours_the_override_then_xdg(tmp_path, monkeypatch):
    assert state_dir() == tmp_path / "state"
    monkeypatch.delenv("ADAPTWISE_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state_dir() == tmp_path / "xdg" / "adaptwise"


def test_round_trip_is_private_and_atomic(loaded):
    session = Session(loaded.sha256, {"initiative": "Claims", "task": "other"}, "base_models")
    path = save_session(session)
    assert path == session_file(loaded.sha256)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind
    again = load_session(loaded.tree, loaded.sha256)
    assert again.answers == session.answers and again.position == "base_models"
    clear_session(loaded.sha256)
    assert load_session(loaded.tree, loaded.sha256) is None
    clear_session(loaded.sha256)  # clearing twice is fine


def test_a_session_for_another_tree_is_not_offered(loaded):
    save_session(Session("0" * 64, {"task": "other"}, None))
    assert load_session(loaded.tree, loaded.sha256) is None


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"answers": 3}', b"\xff\xfe"])
def test_a_damaged_session_is_ignored(loaded, content):
    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert load_session(loaded.tree, loaded.sha256) is None


def test_stale_or_hostile_answers_are_dropped_or_cleaned(loaded):
    import json

    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({
        "tree_sha256": loaded.sha256,
        "answers": {"task": "nonsense", "unknown": "x", "budget": 5, "initiative": "a\x1b]2;pwned\x07b",
                    "base_models": "sufficient"},
        "position": "budget",
    }))
    session = load_session(loaded.tree, loaded.sha256)
    assert session.answers == {"initiative": "a]2;pwnedb", "base_models": "sufficient"}


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Claims   triage ", "Claims triage"),
        ("[/foo]", "[/foo]"),
        ("\x1b[31mred\x1b[0m", "[31mred[0m"),
        ("a\u202eb\u200bc", "abc"),
        ("two\nlines\ttab", "two lines tab"),
    ],
)
def test_clean_text(typed, kept):
    assert clean_text(typed) == kept


def test_clean_text_cuts_to_the_limit():
    assert clean_text("x" * 300, 120) == "x" * 120




@given(st.text(), st.one_of(st.none(), st.integers(min_value=0, max_value=50)))
def test_clean_text_leaves_nothing_unsafe_and_one_line(typed, limit):
    cleaned = clean_text(typed, limit)
    assert find_unsafe_character(cleaned) is None
    assert "\n" not in cleaned
    assert limit is None or len(cleaned) <= limit


@given(st.text())
def test_escaped_text_has_nothing_unsafe(text):
    assert find_unsafe_character(escape_unsafe(text)) is None
