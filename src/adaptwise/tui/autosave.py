"""The wizard's autosave: which saved session it offers, and when a save may replace it.

UI-free policy over `files.session`; the app says what the person chose and shows `notice`.
A served session (`adaptwise serve`) keeps its walk in memory instead (`MemoryAutosave`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from adaptwise.domain.model import Tree
from adaptwise.files.session import Session, SessionRead, clear_session, read_session, save_session


class Autosave:
    """One tree's session, for one run of the wizard.

    A saved session is offered on the welcome screen, and nothing is written over it until
    the person has chosen what becomes of it: resumed it (`take`), started afresh or
    forgotten it (`forget`), or brought answers of their own (`take`). Until then a quit, a
    signal or a crash saves nothing, so opening the wizard never leaves the file holding
    less than it held. A file that could not be read was set aside by `read_session`, and
    `notice` says so; one that could not even be moved is never written in this run.
    """

    def __init__(self, tree: Tree, tree_sha256: str):
        self.tree = tree
        self.tree_sha256 = tree_sha256
        self.notice: str | None = None
        """What became of a saved session that could not be used, for the welcome screen."""
        self._protected: Session | None = None
        """The session found before the person chose, which no save may replace."""
        self._chosen = False
        self._offered = False
        self._blocked = False
        """The file could not be read nor set aside: leave it exactly as it is."""

    def offer(self) -> Session | None:
        """The saved session to offer for resuming (one with answers), or None."""
        self._offered = True
        found = read_session(self.tree, self.tree_sha256)
        if found.problem is not None:
            self.notice = _describe(found)
            self._blocked = found.set_aside is None
        session = found.session if found.session is not None and found.session.answers else None
        if session is not None and not self._chosen:
            self._protected = session
        return session

    def take(self) -> None:
        """The person resumed, or brought answers: from now on, saves keep their walk."""
        self._chosen = True
        self._protected = None

    def forget(self) -> None:
        """The person started afresh (or asked to forget): the saved session goes."""
        self.take()
        if not self._blocked:
            clear_session(self.tree_sha256)

    def save(self, answers: Mapping[str, str], where: str | None) -> bool:
        """Save the walk so far, unless that would replace a session not yet chosen; raises
        OSError. True if it was written."""
        if not (self._chosen or self._offered):
            self.offer()  # a crash before the welcome screen was made: what is there is kept
        if self._blocked or self._protected is not None:
            return False
        save_session(Session(self.tree_sha256, dict(answers), where), self.tree)
        return True


class MemoryAutosave(Autosave):
    """A browser session's autosave: the walk kept in this process for the session's life.

    `adaptwise serve` runs one process per browser session, so what is kept here is that
    session's alone, and goes with it: nothing reaches the server's state folder, where
    another browser could resume it.
    """

    def __init__(self, tree: Tree, tree_sha256: str):
        super().__init__(tree, tree_sha256)
        self._kept: Session | None = None

    def offer(self) -> Session | None:
        return self._kept if self._kept is not None and self._kept.answers else None

    def take(self) -> None:
        """Nothing to protect: only this session ever wrote here."""

    def forget(self) -> None:
        self._kept = None

    def save(self, answers: Mapping[str, str], where: str | None) -> bool:
        self._kept = Session(self.tree_sha256, dict(answers), where, saved_at=time.time())
        return True


def _describe(found: SessionRead) -> str:
    if found.set_aside is None:
        return (
            f"Your saved session could not be used: {found.problem}. It was left as it is, and "
            "this run will not save your answers for resuming."
        )
    return (
        f"Your saved session could not be used: {found.problem}. It was kept as {found.set_aside.name} "
        f"in {found.set_aside.parent}, and nothing will write over it."
    )
