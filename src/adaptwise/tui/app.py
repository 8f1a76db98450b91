"""The wizard application: navigation between screens, autosave, export, signals.

`create_app` builds the app (tests and snapshots use it too); `run_wizard` is what the CLI
calls. The engine decides which question comes next; this module only moves between
screens and keeps the session saved after every answer.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from adaptwise.domain.engine import (
    Decision,
    decide,
    next_question,
    off_path,
    progress,
    walk,
)
from adaptwise.domain.text import clean_text
from adaptwise.files.session import Session, clear_session, load_session, save_session
from adaptwise.tui.commands import WizardCommands

#: How long a signalled exit may take (a closed terminal can block writes) before we force it.
SIGNAL_EXIT_GRACE_SECONDS = 3.0


def slug(text: str, limit: int = 40) -> str:
    """'Claims triage (EU)!' -> 'claims-triage-eu', for file names."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in clean_text(text)).split()
    return "-".join(words)[:limit].strip("-")


class AdaptwiseApp(App[None]):
    """Walks a person through the decision tree to a recommendation they can export."""

    CSS_PATH = "app.tcss"
    TITLE = "adaptwise"
    COMMANDS: ClassVar = App.COMMANDS | {WizardCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Save and quit; run adaptwise again to resume.", priority=True),
        # Textual binds ctrl+c to a "press ctrl+q" hint; here it asks, and loses nothing either way.
        Binding("ctrl+c", "request_quit", "Quit", id="request_quit", show=False, priority=True),
        Binding("f1", "help", "Help", id="help", tooltip="Help for this question and the glossary."),
    ]

    def __init__(
        self,
        loaded,
        answers: dict[str, str] | None = None,
        *,
        today: date | None = None,
        handle_signals: bool = False,
    ):
        super().__init__()
        self.loaded = loaded
        self.decision_tree = loaded.tree
        self.today = today or date.today()
        self.handle_signals = handle_signals
        self.answers: dict[str, str] = {}
        self.prefilled = answers
        self.editing_from_review = False
        """Answering a question returns to the review (after any newly needed questions)."""
        self.return_to_recommendation = False
        """... or straight to the recommendation, when it offered the question."""
        self.finished = False
        """The report was exported or the answers saved: quitting may forget the session."""
        self.position: str | None = None
        self.last_dropped: dict[str, str] = {}
        """Answers removed by the last change because they no longer apply."""
        self._save_failed = False
        self._exit_timer: threading.Timer | None = None

    # --- start-up -----------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        # The first screen is the base of the stack (not pushed over an empty default
        # screen), which saves a screen's worth of styling and layout at start-up.
        from adaptwise.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.decision_tree, self.saved_session())

    def on_mount(self) -> None:
        if self.handle_signals:
            self._install_signal_handlers()
        if self.prefilled is not None:
            self.answers = self._sane(self.prefilled)
            self.editing_from_review = True
            self.show_next()

    def _sane(self, answers: dict[str, str]) -> dict[str, str]:
        sane = {}
        for question_id, value in answers.items():
            question = self.decision_tree.question_by_id.get(question_id)
            if question is not None and question.is_text:
                value = clean_text(value, question.max_length)
            sane[question_id] = value
        return sane

    def saved_session(self) -> Session | None:
        session = load_session(self.decision_tree, self.loaded.sha256)
        return session if session is not None and session.answers else None

    # --- navigation ---------------------------------------------------------------------

    def _show(self, screen: Screen) -> None:
        # The welcome screen is the stack's base; every later screen replaces the one above it.
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def show_welcome(self) -> None:
        from adaptwise.tui.screens.welcome import WelcomeScreen

        self.position = None
        self._show(WelcomeScreen(self.decision_tree, self.saved_session()))

    def show_question(self, question_id: str) -> None:
        from adaptwise.tui.screens.question import QuestionScreen

        question = self.decision_tree.question_by_id[question_id]
        asked = self.path_ids()
        overall = progress(self.decision_tree, self.answers)
        position = asked.index(question_id) + 1 if question_id in asked else overall.position
        total = max(overall.estimated_total, position)
        self.position = question_id
        self.save_state()
        self._show(QuestionScreen(self.decision_tree, question, self.answers.get(question_id), position, total))

    def show_review(self) -> None:
        from adaptwise.tui.screens.review import ReviewScreen

        self.editing_from_review = True
        self.return_to_recommendation = False
        self.position = "review"
        self.save_state()
        self._show(ReviewScreen(self.decision_tree, self.answers))

    def show_recommendation(self) -> None:
        from adaptwise.tui.screens.recommendation import RecommendationScreen

        self.position = "recommendation"
        self.save_state()
        decision = self.decision()
        self._show(RecommendationScreen(self.decision_tree, decision, self.report()))

    def show_next(self) -> None:
        """The next unanswered question, or (when the path is complete) the review, or the
        recommendation when a question was answered from there."""
        pending = next_question(self.decision_tree, self.answers)
        if pending is not None:
            self.show_question(pending.id)
        elif self.return_to_recommendation:
            self.return_to_recommendation = False
            self.show_recommendation()
        else:
            self.show_review()

    def path_ids(self) -> list[str]:
        """The answered questions on the current path, in order (the engine's walk)."""
        return [question.id for question in walk(self.decision_tree, self.answers, ask_optional=True).asked]

    def start(self) -> None:
        """Start a fresh walk (forgetting any saved session)."""
        clear_session(self.loaded.sha256)
        self.answers = {}
        self.editing_from_review = False
        self.return_to_recommendation = False
        self.finished = False
        self.show_next()

    def resume(self) -> None:
        session = self.saved_session()
        if session is None:
            self.start()
            return
        self.answers = dict(session.answers)
        self.editing_from_review = False
        where = session.position
        complete = next_question(self.decision_tree, self.answers) is None
        if where in ("review", "recommendation") and complete:
            self.editing_from_review = True
            if where == "review":
                self.show_review()
            else:
                self.show_recommendation()
        elif where is not None and (where in self.path_ids() or self._is_pending(where)):
            self.show_question(where)
        else:
            self.show_next()
        self.notify("Resumed where you stopped.", markup=False)

    def _is_pending(self, question_id: str) -> bool:
        pending = next_question(self.decision_tree, self.answers)
        return pending is not None and pending.id == question_id

    def load_answers(self, answers: dict[str, str]) -> None:
        """Answers from a file: ask what is missing, then review."""
        self.answers = self._sane(answers)
        self.editing_from_review = True
        self.finished = False
        self.show_next()

    def answer(self, question_id: str, value: str) -> None:
        """Record an answer, drop answers that no longer apply, and move on."""
        question = self.decision_tree.question_by_id[question_id]
        if question.is_text:
            value = clean_text(value, question.max_length)
        before = dict(self.answers)
        self.answers[question_id] = value
        dropped = off_path(self.decision_tree, self.answers)
        self.last_dropped = {dropped_id: before[dropped_id] for dropped_id in dropped}
        for dropped_id in dropped:
            del self.answers[dropped_id]
        if dropped:
            lines = [
                f"- {self.decision_tree.question_by_id[dropped_id].prompt} "
                f"({clean_text(self.decision_tree.answer_label(dropped_id, old))})"
                for dropped_id, old in self.last_dropped.items()
            ]
            self.notify(
                "\n".join(lines), title="These answers no longer apply", markup=False, timeout=8
            )
        self.finished = False
        self.save_state()
        self.go_forward_from(question_id)

    def go_forward_from(self, question_id: str) -> None:
        if self.editing_from_review:
            self.show_next()
            return
        asked = self.path_ids()
        index = asked.index(question_id) if question_id in asked else len(asked) - 1
        if index + 1 < len(asked):
            self.show_question(asked[index + 1])  # step through later answers, kept as they are
        else:
            self.show_next()

    def go_back_from(self, question_id: str) -> None:
        if self.editing_from_review and next_question(self.decision_tree, self.answers) is None:
            self.show_review()
            return
        asked = self.path_ids()
        if question_id in asked:
            asked = asked[: asked.index(question_id)]
        if asked:
            self.editing_from_review = False
            self.show_question(asked[-1])
        else:
            self.show_welcome()

    def edit(self, question_id: str, then: str = "review") -> None:
        """Jump to one question; answering it returns to the review (or the recommendation)."""
        self.editing_from_review = True
        self.return_to_recommendation = then == "recommendation"
        self.show_question(question_id)

    # --- the decision and its report ---------------------------------------------------

    def decision(self) -> Decision:
        return decide(self.decision_tree, self.answers)

    def report(self) -> str:
        """THE report: the core renderer's string, shown and saved unchanged."""
        from adaptwise.domain.report import render_markdown

        return render_markdown(self.decision(), self.decision_tree, sha256=self.loaded.sha256, today=self.today)

    def has_decision(self) -> bool:
        return next_question(self.decision_tree, self.answers) is None and bool(self.answers)

    def export_name(self) -> str:
        name = slug(self.decision_tree.initiative_name(self.answers))
        return f"adaptwise-{name + '-' if name else ''}{self.today.isoformat()}.md"

    def answers_name(self) -> str:
        name = slug(self.decision_tree.initiative_name(self.answers))
        return f"adaptwise-{name + '-' if name else ''}answers.yaml"

    # --- session ------------------------------------------------------------------------

    def save_state(self) -> None:
        """Autosave: the answers and where the person is, atomically."""
        try:
            save_session(Session(self.loaded.sha256, dict(self.answers), self.position))
        except OSError as error:
            if not self._save_failed:
                self._save_failed = True
                self.notify(
                    f"Your answers could not be saved for resuming: {clean_text(str(error))}",
                    severity="warning",
                    markup=False,
                )

    def _finish(self) -> None:
        if self.finished:
            clear_session(self.loaded.sha256)
        else:
            self.save_state()

    # --- actions (bindings and the command palette) -------------------------------------

    async def action_quit(self) -> None:
        self._finish()
        self.exit()

    def action_request_quit(self) -> None:
        from adaptwise.tui.dialogs.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        def chosen(quit_now: bool | None) -> None:
            if quit_now:
                self._finish()
                self.exit()

        note = (
            "Your report was saved, so this session will be forgotten."
            if self.finished
            else "Your answers are saved. Run adaptwise again to resume."
        )
        self.push_screen(ConfirmDialog("Quit adaptwise?", note, yes="Quit", no="Stay", default_yes=True), chosen)

    def action_help(self) -> None:
        from adaptwise.tui.dialogs.help import HelpDialog
        from adaptwise.tui.screens.question import QuestionScreen

        if isinstance(self.screen, HelpDialog):
            self.screen.dismiss(None)
            return
        question = self.screen.question if isinstance(self.screen, QuestionScreen) else None
        self.push_screen(HelpDialog(self.decision_tree, question))

    def action_export(self) -> None:
        from adaptwise.tui.dialogs.save import SaveFileDialog

        if not self.has_decision():
            self.notify("Answer the questions first: the report comes at the end.", markup=False)
            return

        def saved(path: Path | None) -> None:
            if path is not None:
                self.finished = True
                self.notify(f"Saved the report to {clean_text(os.path.abspath(path))}", markup=False)

        self.push_screen(
            SaveFileDialog("Export the report", "Markdown file to write:", self.report(), self.export_name()),
            saved,
        )

    def action_save_answers(self) -> None:
        from adaptwise.domain.report import answers_yaml
        from adaptwise.tui.dialogs.save import SaveFileDialog

        if not self.answers:
            self.notify("There are no answers to save yet.", markup=False)
            return

        def saved(path: Path | None) -> None:
            if path is not None:
                self.finished = self.has_decision()
                self.notify(
                    f"Saved the answers to {clean_text(os.path.abspath(path))}. Replay them with: "
                    f"adaptwise wizard --answers {clean_text(str(path))}",
                    markup=False,
                )

        answers = {key: value for key, value in self.answers.items() if value != ""}
        self.push_screen(
            SaveFileDialog("Save the answers", "Answers file to write (YAML):", answers_yaml(answers), self.answers_name()),
            saved,
        )

    def action_copy_report(self) -> None:
        if not self.has_decision():
            self.notify("Answer the questions first: the report comes at the end.", markup=False)
            return
        self.copy_to_clipboard(self.report())
        self.notify("Copied the report to the clipboard (if your terminal allows it).", markup=False)

    def action_start_over(self) -> None:
        from adaptwise.tui.dialogs.confirm import ConfirmDialog

        if not self.answers:
            self.start()
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.start()

        self.push_screen(
            ConfirmDialog("Start over?", "Every answer will be cleared.", yes="Start over", no="Cancel"),
            chosen,
        )

    def action_forget_session(self) -> None:
        clear_session(self.loaded.sha256)
        self.notify("The saved session was forgotten.", markup=False)

    def action_load_answers(self) -> None:
        from adaptwise.tui.dialogs.open_answers import OpenAnswersDialog

        def loaded(answers: dict[str, str] | None) -> None:
            if answers is not None:
                self.load_answers(answers)

        self.push_screen(OpenAnswersDialog(self.decision_tree), loaded)

    # --- signals and crashes ------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (ValueError, RuntimeError, NotImplementedError):  # not the main thread
                pass

    def _on_signal(self, signum: int) -> None:
        """SIGTERM/SIGHUP/SIGINT: save, restore the terminal, exit 128+signal."""
        self.save_state()
        code = 128 + signum
        if self.handle_signals and self._exit_timer is None:
            # A closed terminal can block the driver's last writes; never outlive the grace
            # period. run_wizard cancels this once the app has exited normally.
            self._exit_timer = threading.Timer(SIGNAL_EXIT_GRACE_SECONDS, os._exit, (code,))
            self._exit_timer.daemon = True
            self._exit_timer.start()
        self.exit(return_code=code)

    def _fatal_error(self) -> None:
        """Textual's crash report, minus the local variables (they hold the answers)."""
        import rich
        from rich.segment import Segments
        from rich.text import Text
        from rich.traceback import Traceback

        try:
            self.save_state()
        except Exception:  # noqa: BLE001 - the crash report matters more
            pass
        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(traceback, self.console.options)))
        self._exit_renderables.append(
            Text("adaptwise hit a bug (above). Your answers were saved: run adaptwise again to resume.")
        )
        self._close_messages_no_wait()


def create_app(
    loaded,
    answers: dict[str, str] | None = None,
    *,
    today: date | None = None,
    handle_signals: bool = False,
) -> AdaptwiseApp:
    """The wizard app, as `run_wizard` builds it (tests and snapshots use this too)."""
    return AdaptwiseApp(loaded, answers, today=today, handle_signals=handle_signals)


def run_wizard(loaded, answers: dict[str, str] | None = None) -> int:
    """Run the wizard in this terminal; returns the process exit code."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write(
            "adaptwise: the wizard needs a terminal. Use `adaptwise ask` for line-by-line "
            "prompts, or `adaptwise recommend --answers FILE` for scripts.\n"
        )
        return 2
    app = create_app(loaded, answers, handle_signals=True)
    try:
        app.run()
    finally:
        if app._exit_timer is not None:
            app._exit_timer.cancel()
    return app.return_code or 0
