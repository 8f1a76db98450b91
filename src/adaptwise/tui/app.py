"""The wizard application: shows where the walkthrough is, autosaves, exports, handles signals.

`create_app` builds the app (tests and snapshots use it too); `run_wizard` is what the CLI
calls. The engine decides which question comes next and the walkthrough
(`domain.walkthrough`) where each step leads; screens post messages (`tui.messages`) and
this module moves the walkthrough and shows the screen for where it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide
from adaptwise.domain.text import clean_text
from adaptwise.domain.walkthrough import Stage, Then, Walkthrough
from adaptwise.files.session import Session, clear_session, load_session, save_session
from adaptwise.tui.commands import WizardCommands
from adaptwise.tui.messages import (
    Answered,
    BackRequested,
    DecisiveQuestionRequested,
    EditRequested,
    LoadAnswersRequested,
    RecommendationRequested,
    ResumeRequested,
    StartRequested,
)
from adaptwise.tui.signals import SignalExit

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree

#: Textual's return code for an unhandled exception (its crash report is printed by then).
CRASHED = 1


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
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Save and quit; run adaptwise again to resume."),
        # Textual binds ctrl+c to a "press ctrl+q" hint; here it asks, and loses nothing either way.
        Binding("ctrl+c", "request_quit", "Quit", id="request_quit", show=False, priority=True,
                tooltip="Quit, after asking; your answers are kept."),
        Binding("f1", "help", "Help", id="help", tooltip="Help for this question and the glossary."),
        # Textual's own palette binding, declared here so that the help lists it; the footer
        # shows its description, so that stays Textual's.
        Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "palette", id="command_palette",
                show=False, priority=True,
                tooltip="Commands: export, save answers, start over, glossary, theme."),
    ]

    def __init__(
        self,
        loaded: LoadedTree,
        answers: Mapping[str, str] | None = None,
        *,
        today: date | None = None,
        handle_signals: bool = False,
    ):
        super().__init__()
        self.loaded = loaded
        self.decision_tree = loaded.tree
        self.today = today or date.today()
        self.handle_signals = handle_signals
        self.prefilled = answers
        self.walkthrough = Walkthrough.begin(loaded.tree)
        self.finished = False
        """The report was exported or the answers saved: quitting may forget the session."""
        self._save_failed = False
        self.signal_exit = SignalExit(self, force=handle_signals)
        """SIGTERM/SIGHUP/SIGINT: save, restore the terminal, exit 128+signal."""

    @property
    def answers(self) -> dict[str, str]:
        """The answers so far (a copy: only the walkthrough changes them)."""
        return dict(self.walkthrough.answers)

    @property
    def last_dropped(self) -> dict[str, str]:
        """Answers removed by the last change because they no longer apply."""
        return {dropped.question.id: dropped.value for dropped in self.walkthrough.dropped}

    # --- start-up -----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        # The first screen is the base of the stack (not pushed over an empty default
        # screen), which saves a screen's worth of styling and layout at start-up.
        from adaptwise.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.decision_tree, self.saved_session())

    def on_mount(self) -> None:
        if self.handle_signals:
            self.signal_exit.install()
        if self.prefilled is not None:
            self.go(Walkthrough.with_answers(self.decision_tree, self.prefilled))

    def saved_session(self) -> Session | None:
        session = load_session(self.decision_tree, self.loaded.sha256)
        return session if session is not None and session.answers else None

    # --- where the walkthrough is ---------------------------------------------------------

    def go(self, walkthrough: Walkthrough) -> None:
        """Move to `walkthrough`, save, and show its screen: the one place screens change."""
        self.walkthrough = walkthrough
        if walkthrough.dropped:
            lines = [f"- {dropped.question.prompt} ({clean_text(dropped.label)})" for dropped in walkthrough.dropped]
            self.notify("\n".join(lines), title="These answers no longer apply", markup=False, timeout=8)
        if walkthrough.stage is Stage.START:
            from adaptwise.tui.screens.welcome import WelcomeScreen

            self._show(WelcomeScreen(self.decision_tree, self.saved_session()))
            return
        self.save_state()
        if walkthrough.question is not None:
            from adaptwise.tui.screens.question import QuestionScreen

            where = walkthrough.progress()
            self._show(QuestionScreen(self.decision_tree, walkthrough.question, walkthrough.current,
                                      where.position, where.estimated_total))
        elif walkthrough.stage is Stage.REVIEW:
            from adaptwise.tui.screens.review import ReviewScreen

            self._show(ReviewScreen(self.decision_tree, walkthrough.answers, walkthrough.path))
        else:
            from adaptwise.tui.screens.recommendation import RecommendationScreen

            self._show(RecommendationScreen(self.decision_tree, self.decision(), self.report()))

    def _show(self, screen: Screen[None]) -> None:
        # The welcome screen is the stack's base; every later screen replaces the one above it.
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def start(self) -> None:
        """Start a fresh walk (forgetting any saved session)."""
        clear_session(self.loaded.sha256)
        self.finished = False
        self.go(Walkthrough.fresh(self.decision_tree))

    def resume(self) -> None:
        session = self.saved_session()
        if session is None:
            self.start()
            return
        self.go(Walkthrough.resume(self.decision_tree, session.answers, session.position))
        self.notify("Resumed where you stopped.", markup=False)

    def load_answers(self, answers: Mapping[str, str]) -> None:
        """Answers from a file: ask what is missing, then review."""
        self.finished = False
        self.go(Walkthrough.with_answers(self.decision_tree, answers))

    def answer(self, question_id: str, value: str) -> None:
        """Answer the question on screen (an answer to any other is stale, and ignored)."""
        if self.walkthrough.question is None or self.walkthrough.question.id != question_id:
            return
        self.finished = False
        self.go(self.walkthrough.answer(value))

    def back(self) -> None:
        self.go(self.walkthrough.back())

    def edit(self, question_id: str, *, then: Then = Then.REVIEW) -> None:
        """Jump to one question; answering it returns to the review (or the recommendation)."""
        self.go(self.walkthrough.edit(question_id, then=then))

    def show_recommendation(self) -> None:
        self.go(self.walkthrough.confirm())

    # --- what the screens ask for ---------------------------------------------------------

    def on_answered(self, message: Answered) -> None:
        self.answer(message.question_id, message.value)

    def on_back_requested(self, message: BackRequested) -> None:
        self.back()

    def on_edit_requested(self, message: EditRequested) -> None:
        self.edit(message.question_id)

    def on_decisive_question_requested(self, message: DecisiveQuestionRequested) -> None:
        self.edit(message.question_id, then=Then.RECOMMENDATION)

    def on_recommendation_requested(self, message: RecommendationRequested) -> None:
        self.show_recommendation()

    def on_start_requested(self, message: StartRequested) -> None:
        self.start()

    def on_resume_requested(self, message: ResumeRequested) -> None:
        self.resume()

    def on_load_answers_requested(self, message: LoadAnswersRequested) -> None:
        self.action_load_answers()

    # --- the decision and its report ---------------------------------------------------

    def decision(self) -> Decision:
        return decide(self.decision_tree, self.walkthrough.answers)

    def report(self) -> str:
        """THE report: the core renderer's string, shown and saved unchanged."""
        from adaptwise.domain.report import render_markdown

        return render_markdown(self.decision(), self.decision_tree, sha256=self.loaded.sha256, today=self.today)

    def has_decision(self) -> bool:
        return self.walkthrough.complete

    def export_name(self) -> str:
        name = slug(self.decision_tree.initiative_name(self.walkthrough.answers))
        return f"adaptwise-{name + '-' if name else ''}{self.today.isoformat()}.md"

    def answers_name(self) -> str:
        name = slug(self.decision_tree.initiative_name(self.walkthrough.answers))
        return f"adaptwise-{name + '-' if name else ''}answers.yaml"

    # --- session ------------------------------------------------------------------------

    def save_state(self) -> None:
        """Autosave: the answers and where the person is, atomically."""
        try:
            save_session(Session(self.loaded.sha256, self.answers, self.walkthrough.where))
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

        if isinstance(self.screen, HelpDialog):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpDialog(self.decision_tree, self.walkthrough.question))

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
        from adaptwise.domain.literal_text import answers_yaml
        from adaptwise.tui.dialogs.save import SaveFileDialog

        if not self.walkthrough.answers:
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

        answers = {key: value for key, value in self.walkthrough.answers.items() if value != ""}
        dialog = SaveFileDialog("Save the answers", "Answers file to write (YAML):", answers_yaml(answers),
                                self.answers_name())
        self.push_screen(dialog, saved)

    def action_copy_report(self) -> None:
        if not self.has_decision():
            self.notify("Answer the questions first: the report comes at the end.", markup=False)
            return
        self.copy_to_clipboard(self.report())
        self.notify("Copied the report to the clipboard (if your terminal allows it).", markup=False)

    def action_start_over(self) -> None:
        from adaptwise.tui.dialogs.confirm import ConfirmDialog

        if not self.walkthrough.answers:
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


def create_app(
    loaded: LoadedTree,
    answers: Mapping[str, str] | None = None,
    *,
    today: date | None = None,
    handle_signals: bool = False,
) -> AdaptwiseApp:
    """The wizard app, as `run_wizard` builds it (tests and snapshots use this too)."""
    return AdaptwiseApp(loaded, answers, today=today, handle_signals=handle_signals)


def run_wizard(loaded: LoadedTree, answers: Mapping[str, str] | None = None) -> int:
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
        app.signal_exit.cancel()  # it has exited: a signalled exit needs no forcing
    if app.return_code == CRASHED:
        app.save_state()  # the autosave is at most one step behind; make it none
        sys.stderr.write("adaptwise hit a bug (above). Your answers were saved: run adaptwise again to resume.\n")
    return app.return_code or 0
