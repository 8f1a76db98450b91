"""A person's in-progress answers: cleaning what they type, and autosave/resume between runs.

UI-free (the wizard and plain mode both use it). Sessions live in the user state folder
(platformdirs, so `XDG_STATE_HOME` is honoured; `ADAPTWISE_STATE_DIR` overrides it, which
tests use), one file per tree, written atomically and readable only by the owner.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from adaptwise.domain.model import Tree
from adaptwise.domain.text import clean_text
from adaptwise.files.output import write_file

STATE_DIR_ENV = "ADAPTWISE_STATE_DIR"


#: A session file is a few hundred bytes; anything much larger is not ours.
MAX_SESSION_BYTES = 256 * 1024


_FORMAT = 1


@dataclass(slots=True)
class Session:
    """What is needed to carry on where a person stopped."""

    tree_sha256: str
    answers: dict[str, str] = field(default_factory=dict)
    position: str | None = None
    """The question id on screen, or "review" / "recommendation"."""
    saved_at: float = 0.0
    """Seconds since the epoch."""


def state_dir() -> Path:
    folder = os.environ.get(STATE_DIR_ENV)
    if folder:
        return Path(folder)
    from platformdirs import user_state_dir

    return Path(user_state_dir("adaptwise", appauthor=False))


def session_file(tree_sha256: str) -> Path:
    return state_dir() / f"session-{tree_sha256[:32]}.json"


def save_session(session: Session) -> Path:
    """Write the session with the one atomic writer, readable only by the owner; raises OSError."""
    target = session_file(session.tree_sha256)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    session.saved_at = time.time()
    data = json.dumps(
        {
            "format": _FORMAT,
            "tree_sha256": session.tree_sha256,
            "answers": session.answers,
            "position": session.position,
            "saved_at": session.saved_at,
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")
    write_file(target, data, replace=True, mode=0o600)  # answers may be private
    return target


def load_session(tree: Tree, tree_sha256: str) -> Session | None:
    """The saved session for this tree, or None if there is none or it cannot be trusted.

    Answers that the tree does not know (or no longer allows) are dropped, and free text
    is cleaned again, so a hand-edited or stale file can never feed the wizard bad data.
    """
    try:
        raw = session_file(tree_sha256).read_bytes()[: MAX_SESSION_BYTES + 1]
        if len(raw) > MAX_SESSION_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("tree_sha256") != tree_sha256:
        return None
    answers_in = data.get("answers")
    if not isinstance(answers_in, dict):
        return None
    answers: dict[str, str] = {}
    for question_id, value in answers_in.items():
        question = tree.question_by_id.get(question_id) if isinstance(question_id, str) else None
        if question is None or not isinstance(value, str):
            continue
        if question.is_text:
            answers[question_id] = clean_text(value, question.max_length)
        elif value in question.values:
            answers[question_id] = value
    position = data.get("position")
    saved_at = data.get("saved_at")
    return Session(
        tree_sha256=tree_sha256,
        answers=answers,
        position=position if isinstance(position, str) else None,
        saved_at=float(saved_at) if isinstance(saved_at, (int, float)) else 0.0,
    )


def clear_session(tree_sha256: str) -> None:
    """Forget a finished or abandoned session (no error if there is none)."""
    with contextlib.suppress(FileNotFoundError):
        session_file(tree_sha256).unlink()
