"""The wizard application: shows where the walkthrough is, autosaves, exports, handles signals.

`create_app` builds the app (tests, snapshots and `tui.run`, which the CLI calls, use it).
The engine decides which question comes next and the walkthrough (`domain.walkthrough`)
where each step leads; screens post messages (`tui.messages`) and this module moves the
walkthrough, if the message is not stale, and shows the screen for where it is.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App, ScreenStackError
from textual.binding import Binding, BindingType

from adaptwise.domain.text import clean_text
from adaptwise.domain.walkthrough import Stage, Then, Walkthrough
from adaptwise.files.session import Session
from adaptwise.tui.autosave import Autosave
from adaptwise.tui.commands import WizardCommands
from adaptwise.tui.exports import WalkExports
from adaptwise.tui.messages import (
    Answered,
    BackRequested,
    DecisiveQuestionRequested,
    EditRequested,
    LoadAnswersRequested,
    RecommendationRequested,
    ResumeRequested,
    StartRequested,
    StepMessage,
)
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.signals import SignalExit

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree


class AdaptwiseApp(App[None]):
    """Walks a person through the decision tree to a recommendation they can export."""

    CSS_PATH = "app.tcss"
    TITLE = "adaptwise"
    COMMANDS: ClassVar = App.COMMANDS | {WizardCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q", "quit", "Quit", id="quit", priority=True, tooltip="Save and quit; run adaptwise again to resume."
        ),
        # Textual binds ctrl+c to a "press ctrl+q" hint; here it asks, and loses nothing either way.
        Binding(
            "ctrl+c",
            "request_quit",
            "Quit",
            id="request_quit",
            show=False,
            priority=True,
            tooltip="Quit, after asking; your answers are kept.",
        ),
        Binding("f1", "help", "Help", id="help", tooltip="Help for this question and the glossary."),
        # Textual's own palette binding, declared here so that the help lists it; the footer
        # shows its description, so that stays Textual's.
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "palette",
            id="command_palette",
            show=False,
            priority=True,
            tooltip="Commands: export, save answers, start over, glossary, theme.",
        ),
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
        self.autosave = Autosave(loaded.tree, loaded.sha256)
        self.finished = False
        """The report was exported or the answers saved (the quit dialog says so); the
        session is kept all the same, until the person starts over."""
        self._save_failed = False
        self._forgotten = False
        """The person forgot the saved session and has not moved since: quitting keeps it gone."""
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

    def get_default_screen(self) -> StepScreen:
        # The first screen is the base of the stack (not pushed over an empty default
        # screen), which saves a screen's worth of styling and layout at start-up.
        return self._welcome()

    def on_mount(self) -> None:
        if self.handle_signals:
            self.signal_exit.install()
        if self.prefilled is not None:
            if self.autosave.notice is not None:  # the welcome screen that says it is not shown
                self.notify(self.autosave.notice, title="Saved session", severity="warning", markup=False, timeout=12)
            self.autosave.take()
            self.go(Walkthrough.with_answers(self.decision_tree, self.prefilled))

    def saved_session(self) -> Session | None:
        return self.autosave.offer()

    def _welcome(self) -> StepScreen:
        from adaptwise.tui.screens.welcome import WelcomeScreen

        session = self.saved_session()
        return WelcomeScreen(self.walkthrough, session, self.autosave.notice)

    # --- where the walkthrough is ---------------------------------------------------------

    def go(self, walkthrough: Walkthrough) -> None:
        """Move to `walkthrough`, save, and show its screen: the one place screens change."""
        # Back on the review from a change, its highlight stays on the answer just changed.
        left = self.walkthrough.question if self.walkthrough.then is not Then.NEXT_QUESTION else None
        self.walkthrough = walkthrough
        self._forgotten = False
        if walkthrough.dropped:
            lines = [f"- {dropped.question.prompt} ({clean_text(dropped.label)})" for dropped in walkthrough.dropped]
            self.notify("\n".join(lines), title="These answers no longer apply", markup=False, timeout=8)
        if walkthrough.stage is Stage.START:
            self._show(self._welcome())
            return
        self.save_state()
        if walkthrough.question is not None:
            from adaptwise.tui.screens.question import QuestionScreen

            self._show(QuestionScreen(walkthrough))
        elif walkthrough.stage is Stage.REVIEW:
            from adaptwise.tui.screens.review import ReviewScreen

            self._show(ReviewScreen(walkthrough, highlight=left.id if left is not None else None))
        else:
            from adaptwise.tui.screens.recommendation import RecommendationScreen

            self._show(RecommendationScreen(walkthrough, self.exports().decision(), self.report(collapsible=False)))

    def _show(self, screen: StepScreen) -> None:
        # The welcome screen is the stack's base; every later screen replaces the one above it.
        if len(self.screen_stack) <= 1:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def start(self) -> None:
        """Start a fresh walk (forgetting any saved session)."""
        self.autosave.forget()
        self.finished = False
        self.go(Walkthrough.fresh(self.decision_tree))

    def resume(self) -> None:
        session = self.saved_session()
        if session is None:
            self.start()
            return
        self.autosave.take()
        self.go(Walkthrough.resume(self.decision_tree, session.answers, session.position))
        self.notify("Resumed where you stopped.", markup=False)

    def load_answers(self, answers: Mapping[str, str]) -> None:
        """Answers from a file: ask what is missing, then review."""
        self.autosave.take()
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

    @on(StepMessage)
    def handle_step(self, message: StepMessage) -> None:
        """Do what a screen asks, if what it showed is still on screen; otherwise the
        message is stale (keys outran the screens, or a dialog opened meanwhile) and goes."""
        try:
            shown = self.screen
        except ScreenStackError:  # the app is closing: no screen is left to act on
            return
        if not (isinstance(shown, StepScreen) and shown.is_mounted and message.step is shown.step is self.walkthrough):
            return
        match message:
            case Answered():
                self.answer(message.question_id, message.value)
            case BackRequested():
                self.back()
            case EditRequested():
                self.edit(message.question_id)
            case DecisiveQuestionRequested():
                self.edit(message.question_id, then=Then.RECOMMENDATION)
            case RecommendationRequested():
                self.show_recommendation()
            case StartRequested():
                self.start()
            case ResumeRequested():
                self.resume()
            case LoadAnswersRequested():
                self.action_load_answers()

    # --- the decision and its report ---------------------------------------------------

    def exports(self) -> WalkExports:
        return WalkExports(self.loaded, self.walkthrough.answers, self.today)

    def report(self, *, collapsible: bool = True) -> str:
        return self.exports().report(collapsible=collapsible)

    def has_decision(self) -> bool:
        return self.walkthrough.complete

    def export_name(self) -> str:
        return self.exports().export_name()

    def answers_name(self) -> str:
        return self.exports().answers_name()

    # --- session ------------------------------------------------------------------------

    def save_state(self) -> bool:
        """Autosave: the answers and where the person is, atomically (never over a saved
        session the person has not yet resumed or set aside). True if it was written."""
        try:
            return self.autosave.save(self.answers, self.walkthrough.where)
        except OSError as error:
            if not self._save_failed:
                self._save_failed = True
                self.notify(
                    f"Your answers could not be saved for resuming: {clean_text(str(error))}",
                    severity="warning",
                    markup=False,
                )
            return False

    def _leave(self) -> None:
        # Exporting never forgets the session: it is kept until the person starts over
        # (here, or from the welcome screen) or forgets it, as the README and the help say.
        if not self._forgotten:
            self.save_state()
        self.exit()

    # --- actions (bindings and the command palette) -------------------------------------

    async def action_quit(self) -> None:
        self._leave()

    def action_request_quit(self) -> None:
        from adaptwise.tui.dialogs.confirm import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        dialog = ConfirmDialog("Quit adaptwise?", self.quit_note(), yes="Quit", no="Stay", default_yes=True)
        self.push_screen(dialog, lambda quit_now: self._leave() if quit_now else None)

    def quit_note(self) -> str:
        """What the quit dialog says becomes of the answers."""
        if self.finished:
            return "Your report was saved, and your answers are kept: run adaptwise again to resume."
        return "Your answers are saved. Run adaptwise again to resume."

    def action_command_palette(self) -> None:
        from adaptwise.tui.commands import open_palette

        open_palette(self)

    def action_help(self) -> None:
        from adaptwise.tui.dialogs.help import HelpDialog

        if isinstance(self.screen, HelpDialog):
            self.screen.close(None)
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

        dialog = SaveFileDialog(
            "Save the answers", "Answers file to write (YAML):", self.exports().answers_file_text(), self.answers_name()
        )
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
        self.autosave.forget()
        self._forgotten = True
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
