"""A person's in-progress answers between runs: autosave, resume, and the lock that keeps
one wizard per session.

UI-free. Sessions live in the user state folder (platformdirs, so `XDG_STATE_HOME` is
honoured; `ADAPTWISE_STATE_DIR` overrides it, which tests use), one file per tree, written
atomically and readable only by the owner. A session that cannot be read or trusted is
never lost: it is set aside under a dated name (`read_session`), so nothing overwrites it.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from adaptwise.domain.model import Tree
from adaptwise.domain.text import echo
from adaptwise.files.output import write_file

STATE_DIR_ENV = "ADAPTWISE_STATE_DIR"

#: A session file is a few hundred bytes; anything much larger is not ours.
MAX_SESSION_BYTES = 256 * 1024

#: Ours nests two levels (the file, its answers); deeper is not a session, and is refused
#: before parsing, since the json module recurses once per level.
MAX_NESTING = 8

#: The largest number a session holds is a time in seconds; anything past the year 9999
#: is not one (and `time.localtime` cannot show it).
MAX_TIMESTAMP = 253_402_300_799.0

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


@dataclass(frozen=True, slots=True)
class SessionRead:
    """What reading a tree's session found: the session, or why there is none."""

    session: Session | None = None
    set_aside: Path | None = None
    """Where a session that could not be read or trusted was moved, under a dated name."""
    problem: str | None = None
    """Why it could not be used (and, if it could not be moved either, that it is still there)."""


def state_dir() -> Path:
    folder = os.environ.get(STATE_DIR_ENV)
    if folder:
        return Path(folder)
    from platformdirs import user_state_dir

    return Path(user_state_dir("adaptwise", appauthor=False))


def session_file(tree_sha256: str) -> Path:
    return state_dir() / f"session-{tree_sha256[:32]}.json"


def save_session(session: Session, tree: Tree) -> Path:
    """Write the session with the one atomic writer, readable only by the owner; raises OSError.

    Answers are written as answers files write them: several answers as a list."""
    target = session_file(session.tree_sha256)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    session.saved_at = time.time()
    data = json.dumps(
        {
            "format": _FORMAT,
            "tree_sha256": session.tree_sha256,
            "answers": tree.answers_data(session.answers),
            "position": session.position,
            "saved_at": session.saved_at,
        },
        ensure_ascii=False,
        indent=1,
    ).encode("utf-8")
    write_file(target, data, replace=True, mode=0o600)  # answers may be private
    return target


def load_session(tree: Tree, tree_sha256: str) -> Session | None:
    """The saved session for this tree, or None (see `read_session`, which this is)."""
    return read_session(tree, tree_sha256).session


def read_session(tree: Tree, tree_sha256: str) -> SessionRead:
    """The saved session for this tree; a file that cannot be read or trusted is set aside.

    Answers that the tree does not know (or no longer allows) are dropped, and free text
    is cleaned again, so a hand-edited or stale file can never feed the wizard bad data.
    Anything else that is not what `save_session` writes (bad JSON, a truncated file,
    numbers that are not finite or are out of range, deep nesting, another tree's session,
    a folder or a loop of links in its place) is moved to `NAME.corrupt-<date>` and said.
    """
    path = session_file(tree_sha256)
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_SESSION_BYTES + 1)
    except FileNotFoundError:
        return SessionRead()
    except OSError as error:
        return _set_aside(path, f"it could not be read ({error.strerror or error})")
    try:
        session = _parse(raw, tree, tree_sha256)
    except _Untrusted as error:
        return _set_aside(path, str(error))
    return SessionRead(session)


def clear_session(tree_sha256: str) -> None:
    """Forget a finished or abandoned session (no error if there is none)."""
    with contextlib.suppress(FileNotFoundError):
        session_file(tree_sha256).unlink()


# --- reading strictly --------------------------------------------------------------------


class _Untrusted(ValueError):
    """The file is not a session this code wrote; the message says why, for a person."""


def _parse(raw: bytes, tree: Tree, tree_sha256: str) -> Session:
    data = _json_object(raw)
    if data.get("tree_sha256") != tree_sha256:
        raise _Untrusted("it names another decision tree")
    answers_in = data.get("answers")
    if not isinstance(answers_in, dict):
        raise _Untrusted("its answers are not a mapping")
    saved_at = data.get("saved_at", 0.0)
    if isinstance(saved_at, bool) or not isinstance(saved_at, (int, float)) or not 0 <= saved_at <= MAX_TIMESTAMP:
        raise _Untrusted(f"its time saved_at is not a time ({echo(saved_at)})")
    position = data.get("position")
    return Session(
        tree_sha256=tree_sha256,
        answers=_known_answers(answers_in, tree),
        position=position if isinstance(position, str) else None,
        saved_at=float(saved_at),
    )


def _json_object(raw: bytes) -> dict[str, object]:
    """The file as a JSON object, checked for size, encoding and depth before parsing."""
    if len(raw) > MAX_SESSION_BYTES:
        raise _Untrusted(f"it is larger than {MAX_SESSION_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Untrusted("it is not UTF-8 text") from None
    if _nesting(text) > MAX_NESTING:
        raise _Untrusted(f"it nests deeper than {MAX_NESTING} levels")
    try:
        data = json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_real)
    except json.JSONDecodeError as error:
        raise _Untrusted(f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    if not isinstance(data, dict):
        raise _Untrusted("it is not a JSON object")
    return data


def _known_answers(answers_in: dict[str, object], tree: Tree) -> dict[str, str]:
    """The answers the tree still allows, each restored by its question's kind (several
    answers are a list; older sessions wrote them as one comma-joined text, which still loads)."""
    answers: dict[str, str] = {}
    for question_id, value in answers_in.items():
        question = tree.question_by_id.get(question_id)
        if question is not None and (restored := question.kind.restore(question, value)) is not None:
            answers[question_id] = restored
    return answers


def _nesting(text: str) -> int:
    """How deep the brackets of a JSON text nest (outside strings), counted in one pass
    without recursion, stopping as soon as it passes `MAX_NESTING`."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
        elif character in "]}":
            depth -= 1
    return deepest


#: Integers longer than this are not counts or times (and would cost time to convert).
_MAX_DIGITS = 15


def _constant(name: str) -> float:
    raise _Untrusted(f"it holds {name}, which is not a number")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _Untrusted(f"it holds an integer of {len(text.lstrip('-')):,} digits")
    return int(text)


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_TIMESTAMP:
        raise _Untrusted(f"it holds a number out of range ({echo(text)})")
    return value


def _set_aside(path: Path, why: str) -> SessionRead:
    """Move an untrusted session out of the way (never deleting it), so nothing overwrites it."""
    stamp = time.strftime("%Y-%m-%dT%H-%M-%S")
    for attempt in range(100):
        target = path.with_name(f"{path.name}.corrupt-{stamp}" + (f"-{attempt}" if attempt else ""))
        if not os.path.lexists(target):
            break
    try:
        os.rename(path, target)
    except OSError as error:
        return SessionRead(problem=f"{why}, and it could not be set aside ({error.strerror or error})")
    return SessionRead(set_aside=target, problem=why)


# --- one wizard per session ----------------------------------------------------------------


class SessionInUse(Exception):
    """Another wizard holds this tree's session."""

    def __init__(self, pid: int | None):
        self.pid = pid
        held_by = f" (pid {pid})" if pid is not None else ""
        super().__init__(
            f"another adaptwise wizard is using this session{held_by}; close it and run adaptwise again, "
            "or use `adaptwise ask`, which keeps no session"
        )


def lock_file(tree_sha256: str) -> Path:
    return state_dir() / f"session-{tree_sha256[:32]}.lock"


class SessionLock:
    """An advisory lock on a tree's session, held while a wizard runs.

    `flock` on a file beside the session, which holds the holder's pid for the message. The
    system lets go of it when the holder ends, however it ends, so a lock left by a dead
    process never blocks. The file itself stays: removing it would let two wizards lock two
    different files of the same name. Where locking is not possible (no `fcntl`, a state
    folder that cannot be written), there is no lock and the wizard runs as before.
    """

    def __init__(self, tree_sha256: str):
        self.path = lock_file(tree_sha256)
        self._descriptor: int | None = None

    def acquire(self) -> SessionLock:
        """Take the lock; raises SessionInUse if another wizard has it."""
        try:
            import fcntl
        except ImportError:  # not POSIX
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:
            return self
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _pid_in(descriptor)
            os.close(descriptor)
            raise SessionInUse(holder) from None
        with contextlib.suppress(OSError):
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        self._descriptor = descriptor
        return self

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing lets go of the lock
            self._descriptor = None

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _pid_in(descriptor: int) -> int | None:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() and len(text) <= 10 else None
