"""The welcome screen: what adaptwise does, then Start, Resume or load an answers file."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from adaptwise.domain.engine import progress
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.files.session import Session
from adaptwise.tui.messages import LoadAnswersRequested, ResumeRequested, StartRequested
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.widgets.literal import literal


class WelcomeScreen(StepScreen):
    # The first button is Resume when there is a session, else Start. Focusing it here
    # rather than in on_mount saves a second focus change (and footer rebuild) at start-up.
    AUTO_FOCUS = "Button"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "resume", "Resume", id="resume", tooltip="Carry on where you stopped."),
        Binding("s", "start", "Start", id="start", tooltip="Start a fresh walk."),
        Binding("o", "load_answers", "Load answers", id="load_answers", tooltip="Open an answers file."),
        Binding(
            "left",
            "app.focus_previous",
            "Previous button",
            id="previous_button",
            show=False,
            tooltip="Move to the previous button.",
        ),
        Binding(
            "right", "app.focus_next", "Next button", id="next_button", show=False, tooltip="Move to the next button."
        ),
    ]

    def __init__(self, step: Walkthrough, session: Session | None, notice: str | None = None):
        super().__init__(step, "Welcome")
        self.decision_tree = step.tree
        self.session = session
        self.notice = notice
        """What became of a saved session that could not be used, if one could not."""

    def compose(self) -> ComposeResult:
        yield self.title_bar()
        with VerticalScroll(id="welcome-body"):
            yield Static(literal("Prompt engineering, fine-tuning or training?"), id="welcome-title")
            # One widget for the intro paragraphs: fewer widgets, faster first screen.
            how = (
                f"About {progress(self.decision_tree, {}).estimated_total} short questions. Enter accepts "
                "the highlighted answer, Escape goes back, F1 explains the terms."
            )
            paragraphs = [literal(sentence) for sentence in self.decision_tree.intro]
            yield Static(Content("\n\n").join([*paragraphs, literal(how).stylize("dim")]), id="welcome-intro")
            if self.notice is not None:
                yield Static(literal(self.notice), id="session-problem")
            if self.session is not None:
                yield Static(literal(self._session_note(self.session)), id="session-note")
            with Horizontal(id="welcome-actions"):
                if self.session is not None:
                    yield Button("Resume", id="resume", variant="primary")
                    yield Button("Start over", id="start")
                else:
                    yield Button("Start", id="start", variant="primary")
                yield Button("Load answers file…", id="load")
        yield Footer()

    def _session_note(self, session: Session) -> str:
        count = sum(1 for value in session.answers.values() if value != "")
        when = time.strftime("%d %b %H:%M", time.localtime(session.saved_at)) if session.saved_at else "earlier"
        answers = f"{count} answer{'s' if count != 1 else ''}"
        # Worded by where it stopped: a walk that reached the recommendation is not unfinished.
        if session.position == "recommendation":
            return f"You have a session from {when} that reached the recommendation: {answers}."
        if session.position == "review":
            return f"You have a session from {when} with every question answered: {answers}, on the review."
        question = self.decision_tree.question_by_id.get(session.position or "")
        where = f", stopped at “{question.prompt}”" if question is not None else ""
        return f"You have an unfinished session from {when}: {answers}{where}."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.session is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "resume":
            self.action_resume()
        elif event.button.id == "start":
            self.action_start()
        elif event.button.id == "load":
            self.action_load_answers()

    def action_resume(self) -> None:
        self.post_message(ResumeRequested(self.step))

    def action_start(self) -> None:
        self.post_message(StartRequested(self.step))

    def action_load_answers(self) -> None:
        self.post_message(LoadAnswersRequested(self.step))
