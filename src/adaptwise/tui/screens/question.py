"""One question per screen: prompt, options (default highlighted), explanation, progress."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Footer,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Static,
)
from textual.widgets.option_list import Option

from adaptwise.domain.text import clean_text
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.messages import Answered, BackRequested
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.widgets.answer_inputs import AnswerList, TextAnswer
from adaptwise.tui.widgets.literal import literal


class QuestionScreen(StepScreen):
    # Nothing has the focus until `on_mount` has highlighted the current answer or default
    # and focuses the answer: an Enter typed ahead must not choose the first option instead.
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back", tooltip="Go back one question."),
        # F1 (the app's) is the one the footer shows; ? is its twin for people who guess it.
        Binding("question_mark", "app.help", "Help", id="question_help", show=False,
                tooltip="Help for this question and the glossary."),
    ]

    def __init__(self, step: Walkthrough):
        question = step.question
        if question is None:
            raise ValueError("a question screen needs a question")
        where = step.progress()
        super().__init__(step, f"Question {where.position} of about {where.estimated_total}")
        self.decision_tree = step.tree
        self.question = question
        self.current = step.current
        self.position = where.position
        self.total = where.estimated_total
        self._progress_bar = ProgressBar(total=self.total, show_eta=False, show_percentage=False, id="progress-bar")
        self._explanation = Static(id="explanation")
        self._answer: TextAnswer | AnswerList = (
            TextAnswer(
                value=self.current or "",
                placeholder=clean_text(question.placeholder),
                max_length=question.max_length,
                id="text-answer",
            )
            if question.is_text
            else AnswerList(*(Option(literal(o.label), id=o.value) for o in question.options), id="options")
        )

    def compose(self) -> ComposeResult:
        question = self.question
        yield self.title_bar()
        with Horizontal(id="progress-row"):
            yield Label(f"Question {self.position} of about {self.total}", id="progress-label")
            yield self._progress_bar
        with VerticalScroll(id="question-body"):
            yield Static(literal(question.prompt), id="prompt")
            if question.help:
                yield Static(literal(question.help), id="question-help")
            yield self._answer
            if question.is_text:
                yield Static(
                    literal("Optional: press Enter to skip, or type an answer and press Enter."),
                    id="text-hint",
                )
            else:
                yield self._explanation
        yield Footer()

    def on_mount(self) -> None:
        # The widgets made for this screen, never looked up: the screen may already be on its
        # way out (a burst of keys), and a query of what it no longer holds would end the app.
        self._progress_bar.update(progress=self.position - 1)
        options = self._answer
        if not isinstance(options, AnswerList):
            options.focus()
            return
        chosen = self.current if self.current in self.question.values else self.question.default
        options.highlighted = self.question.values.index(chosen) if chosen in self.question.values else 0
        options.focus()
        self._explain(options.highlighted)

    def _explain(self, index: int | None) -> None:
        if index is None:
            return
        option = self.question.options[index]
        text = literal(option.explanation or option.label)
        if option.value == self.question.default:
            text = text + Content(" (default)")
        self._explanation.update(text)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._explain(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.step, self.question.id, self.question.options[event.option_index].value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        cleaned = clean_text(typed, self.question.max_length)
        if cleaned != " ".join(typed.split()):
            self.notify("Control characters were removed from your answer.", markup=False)
        self.post_message(Answered(self.step, self.question.id, cleaned))

    def action_back(self) -> None:
        self.post_message(BackRequested(self.step))
