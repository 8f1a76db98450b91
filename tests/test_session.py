"""Session autosave/resume and typed-text cleaning (UI-free)."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaptwise.domain.text import clean_text, escape_unsafe, find_unsafe_character
from adaptwise.files.session import (
    MAX_NESTING,
    Session,
    SessionInUse,
    SessionLock,
    clear_session,
    load_session,
    lock_file,
    read_session,
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
    path = save_session(session, loaded.tree)
    assert path == session_file(loaded.sha256)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind
    again = load_session(loaded.tree, loaded.sha256)
    assert again is not None
    assert again.answers == session.answers and again.position == "base_models"
    clear_session(loaded.sha256)
    assert load_session(loaded.tree, loaded.sha256) is None
    clear_session(loaded.sha256)  # clearing twice is fine


def several_answer_question(tree):
    return next(question for question in tree.questions if question.is_multiple and len(question.combinable) > 1)


def test_several_answers_are_saved_as_a_list_and_read_back_as_one_answer(loaded):
    question = several_answer_question(loaded.tree)
    chosen = question.combine(question.combinable[:2])
    path = save_session(Session(loaded.sha256, {question.id: chosen}, question.id), loaded.tree)
    assert json.loads(path.read_text(encoding="utf-8"))["answers"] == {question.id: list(question.combinable[:2])}
    again = load_session(loaded.tree, loaded.sha256)
    assert again is not None
    assert again.answers == {question.id: chosen}


def test_a_session_that_wrote_several_answers_as_one_text_still_loads(loaded):
    question = several_answer_question(loaded.tree)
    chosen = question.combine(question.combinable[:2])
    old = {"format": 1, "tree_sha256": loaded.sha256, "answers": {question.id: chosen}, "saved_at": 1.0}
    session_file(loaded.sha256).parent.mkdir(parents=True)
    session_file(loaded.sha256).write_text(json.dumps(old), encoding="utf-8")
    again = load_session(loaded.tree, loaded.sha256)
    assert again is not None
    assert again.answers == {question.id: chosen}


def test_a_list_answer_to_a_one_answer_question_is_dropped(loaded):
    question = next(question for question in loaded.tree.questions if not question.is_text and not question.is_multiple)
    saved = {"format": 1, "tree_sha256": loaded.sha256, "answers": {question.id: [question.values[0]]}}
    session_file(loaded.sha256).parent.mkdir(parents=True)
    session_file(loaded.sha256).write_text(json.dumps(saved), encoding="utf-8")
    again = load_session(loaded.tree, loaded.sha256)
    assert again is not None
    assert again.answers == {}


def test_a_session_for_another_tree_is_not_offered(loaded):
    save_session(Session("0" * 64, {"task": "other"}, None), loaded.tree)
    assert load_session(loaded.tree, loaded.sha256) is None


def saved_text(loaded, **fields) -> str:
    """A session file as `save_session` writes it, with `fields` replaced (as raw JSON)."""
    import json

    data = {
        "format": "1",
        "tree_sha256": json.dumps(loaded.sha256),
        "answers": '{"task": "other"}',
        "position": '"base_models"',
        "saved_at": "1773489600.5",
        **fields,
    }
    return "{" + ", ".join(f'"{key}": {value}' for key, value in data.items()) + "}"


UNTRUSTED = {
    "empty": b"",
    "not json": b"not json",
    "a list": b"[1, 2]",
    "answers not a mapping": b'{"answers": 3}',
    "not utf-8": b"\xff\xfe",
    "truncated": None,  # a real session cut short
    "saved_at 1e308": {"saved_at": "1e308"},
    "saved_at 1e400": {"saved_at": "1e400"},
    "saved_at NaN": {"saved_at": "NaN"},
    "saved_at Infinity": {"saved_at": "Infinity"},
    "saved_at -Infinity": {"saved_at": "-Infinity"},
    "saved_at 400 digits": {"saved_at": "9" * 400},
    "saved_at negative": {"saved_at": "-5"},
    "saved_at a string": {"saved_at": '"yesterday"'},
    "format NaN": {"format": "NaN"},
    "an answer nested deep": {"answers": '{"task": ' + "[" * 5000 + "]" * 5000 + "}"},
    "nested deep, unclosed": {"answers": "{" * 100_000},
    "another tree": {"tree_sha256": '"' + "0" * 64 + '"'},
}


@pytest.mark.parametrize("name", UNTRUSTED)
def test_an_untrusted_session_is_set_aside_under_a_dated_name_and_said(loaded, name):
    """Never parsed into a crash (RecursionError, OverflowError in the welcome's time), never
    dropped silently and later overwritten: moved beside, whole, with the reason."""
    content = UNTRUSTED[name]
    if content is None:
        content = saved_text(loaded)[:-20].encode()
    elif isinstance(content, dict):
        content = saved_text(loaded, **content).encode()
    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    found = read_session(loaded.tree, loaded.sha256)
    assert found.session is None and found.problem
    assert not path.exists()
    assert found.set_aside is not None
    assert found.set_aside.parent == path.parent
    assert found.set_aside.name.startswith(f"{path.name}.corrupt-20")
    assert found.set_aside.read_bytes() == content
    assert len(found.problem) < 200  # a sentence, not the file
    # The next autosave writes a new session; the one set aside stays as it was.
    save_session(Session(loaded.sha256, {"task": "text_generation"}, None), loaded.tree)
    assert found.set_aside.read_bytes() == content


def test_a_sound_session_with_every_number_in_range_is_read(loaded):
    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    path.write_text(
        saved_text(
            loaded,
            answers='{"task": "other", "initiative": "[x]", "nested": '
            + "[" * (MAX_NESTING - 2)
            + "]" * (MAX_NESTING - 2)
            + "}",
        )
    )
    found = read_session(loaded.tree, loaded.sha256)
    assert found.problem is None and found.set_aside is None
    assert found.session is not None
    assert found.session.answers == {"task": "other", "initiative": "[x]"}
    assert found.session.saved_at == 1773489600.5 and found.session.position == "base_models"


def test_a_second_set_aside_the_same_second_keeps_both(loaded, monkeypatch):
    import time

    monkeypatch.setattr(time, "strftime", lambda pattern, *args: "2026-12-01T10-40-00")
    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    kept = []
    for content in (b"first", b"second"):
        path.write_bytes(content)
        set_aside = read_session(loaded.tree, loaded.sha256).set_aside
        assert set_aside is not None
        kept.append(set_aside)
    assert kept[0].name == f"{path.name}.corrupt-2026-12-01T10-40-00"
    assert [p.read_bytes() for p in kept] == [b"first", b"second"]


@pytest.mark.parametrize("kind", ["folder", "symlink loop"])
def test_an_unreadable_session_is_set_aside(loaded, kind):
    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    if kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path)
    found = read_session(loaded.tree, loaded.sha256)
    assert found.session is None and found.problem is not None and "could not be read" in found.problem
    assert found.set_aside is not None and os.path.lexists(found.set_aside) and not os.path.lexists(path)


def test_the_lock_is_one_wizard_per_session_and_names_the_holder(loaded):
    with SessionLock(loaded.sha256):
        assert lock_file(loaded.sha256).read_text().strip() == str(os.getpid())
        with pytest.raises(SessionInUse) as refused:
            SessionLock(loaded.sha256).acquire()
        assert refused.value.pid == os.getpid()
        assert f"another adaptwise wizard is using this session (pid {os.getpid()})" in str(refused.value)
        assert "adaptwise ask" in str(refused.value)
    with SessionLock(loaded.sha256):  # released on exit
        pass


def test_a_lock_left_by_a_dead_process_does_not_block(loaded):
    import subprocess
    import sys

    # A process that takes the lock and is killed: the system lets go, its pid stays in the file.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from adaptwise.files.session import SessionLock; "
            "SessionLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)",
            loaded.sha256,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(SessionInUse) as refused:
            SessionLock(loaded.sha256).acquire()
        assert refused.value.pid == holder.pid
    finally:
        holder.kill()
        holder.wait()
    assert lock_file(loaded.sha256).read_text().strip() == str(holder.pid)
    SessionLock(loaded.sha256).acquire().release()


def test_stale_or_hostile_answers_are_dropped_or_cleaned(loaded):
    import json

    path = session_file(loaded.sha256)
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "tree_sha256": loaded.sha256,
                "answers": {
                    "task": "nonsense",
                    "unknown": "x",
                    "budget": 5,
                    "initiative": "a\x1b]2;pwned\x07b",
                    "base_models": "sufficient",
                },
                "position": "budget",
            }
        )
    )
    session = load_session(loaded.tree, loaded.sha256)
    assert session is not None
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
