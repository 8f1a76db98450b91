"""One question per screen: prompt, options (default highlighted), explanation, progress.

A choose-all-that-apply question shows a checklist instead, with its answer (or default) ticked.
"""

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
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from adaptwise.domain.text import clean_text
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.messages import Answered, BackRequested
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.widgets.answer_inputs import AnswerChecklist, AnswerList, TextAnswer
from adaptwise.tui.widgets.literal import literal

#: After the prompt of a choose-all-that-apply question (the footer shows the keys too).
CHECKLIST_HINT = "Space ticks, Enter accepts."


class QuestionScreen(StepScreen):
    # Nothing has the focus until `on_mount` has highlighted the current answer or default
    # and focuses the answer: an Enter typed ahead must not choose the first option instead.
    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back", tooltip="Go back one question."),
        # F1 (the app's) is the one the footer shows; ? is its twin for people who guess it.
        Binding(
            "question_mark",
            "app.help",
            "Help",
            id="question_help",
            show=False,
            tooltip="Help for this question and the glossary.",
        ),
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
        self._answer: TextAnswer | AnswerList | AnswerChecklist
        if question.is_text:
            self._answer = TextAnswer(
                value=self.current or "",
                placeholder=clean_text(question.placeholder),
                max_length=question.max_length,
                id="text-answer",
            )
        elif question.is_multiple:
            self._answer = AnswerChecklist(question, self._preselected(), id="options")
        else:
            self._answer = AnswerList(*(Option(literal(o.label), id=o.value) for o in question.options), id="options")

    def _preselected(self) -> tuple[str, ...]:
        """The parts of the current answer, or else the default, ticked when the screen opens."""
        question = self.question
        current = self.current if self.current in question.answer_values else None
        return question.parts(current) if current else tuple(value for value in (question.default,) if value)

    def compose(self) -> ComposeResult:
        question = self.question
        yield self.title_bar()
        with Horizontal(id="progress-row"):
            yield Label(f"Question {self.position} of about {self.total}", id="progress-label")
            yield self._progress_bar
        with VerticalScroll(id="question-body"):
            prompt = literal(question.prompt)
            if question.is_multiple:  # the tree's prompt, then how to answer it, not in bold
                prompt = Content.assemble(
                    prompt, (" Choose all that apply.", "not bold"), (f" {CHECKLIST_HINT}", "not bold dim")
                )
            yield Static(prompt, id="prompt")
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
        if isinstance(options, TextAnswer):
            options.focus()
            return
        values = self.question.values
        if isinstance(options, AnswerChecklist):
            chosen = next(iter(self._preselected()), None)
        else:
            chosen = self.current if self.current in values else self.question.default
        options.highlighted = values.index(chosen) if chosen in values else 0
        options.focus()
        self._explain(options.highlighted)

    def _explain(self, index: int | None) -> None:
        if index is None:
            return
        option = self.question.options[index]
        text = literal(option.explanation or option.label)
        notes = ["default"] if option.value == self.question.default else []
        if option.alone and self.question.is_multiple:
            notes.append("never combined")
        if notes:
            text = text + Content(f" ({'; '.join(notes)})")
        self._explanation.update(text)
        self._explanation.remove_class("-warning")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._explain(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.step, self.question.id, self.question.options[event.option_index].value))

    # --- a choose-all-that-apply question ---------------------------------------------------

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        event.stop()
        self._explain(event.selection_index)

    # What ticking did, or why Enter did not move on, is said in the explanation's place (no
    # line of its own: 80x24 has none to spare) until the highlight moves or a box changes.

    def on_answer_checklist_ticked(self, event: AnswerChecklist.Ticked) -> None:
        event.stop()
        if not event.cleared:
            self._explain(self.question.values.index(event.value))
        elif event.value in event.checklist.alone:
            self._say(f"“{self._label(event.value)}” is never combined: the others were unticked.")
        else:
            unticked = ", ".join(f"“{self._label(value)}”" for value in event.cleared)
            self._say(f"Unticked {unticked}, which is never combined.")

    def on_answer_checklist_accepted(self, event: AnswerChecklist.Accepted) -> None:
        event.stop()
        answer = self.question.combine(event.values)
        if not event.values:
            self._say("Choose at least one answer: Space ticks the highlighted one.", warning=True)
        elif answer not in self.question.answer_values:  # only ever from a hand-made answers file
            self._say("These answers cannot be combined: untick one.", warning=True)
        else:
            self.post_message(Answered(self.step, self.question.id, answer))

    def _label(self, value: str) -> str:
        option = self.question.option(value)
        return option.label if option else value

    def _say(self, text: str, *, warning: bool = False) -> None:
        self._explanation.update(literal(text))
        self._explanation.set_class(warning, "-warning")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        cleaned = clean_text(typed, self.question.max_length)
        if cleaned != " ".join(typed.split()):
            self.notify("Control characters were removed from your answer.", markup=False)
        self.post_message(Answered(self.step, self.question.id, cleaned))

    def action_back(self) -> None:
        self.post_message(BackRequested(self.step))
