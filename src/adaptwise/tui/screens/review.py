"""The review: every answer on the path, each jumpable to change it; Enter confirms."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from adaptwise.domain.questions import Question
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.messages import BackRequested, EditRequested, RecommendationRequested
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.widgets.literal import literal


class ReviewScreen(StepScreen):
    # Focused from the first frame, not looked up once mounted: a burst of keys can close
    # or replace this screen before it has mounted, and the lookup would then end the app.
    AUTO_FOCUS = "#answers"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so Enter confirms even while the answer list has focus.
        Binding(
            "enter",
            "confirm",
            "See recommendation",
            id="confirm",
            priority=True,
            tooltip="See the recommendation for these answers.",
        ),
        Binding("e", "edit", "Change answer", id="edit", tooltip="Change the highlighted answer."),
        Binding("escape", "back", "Back", id="back", tooltip="Back to the last question."),
    ]

    def __init__(self, step: Walkthrough, *, highlight: str | None = None):
        super().__init__(step, "Review")
        self.decision_tree = step.tree
        self.answers = dict(step.answers)
        self.asked = step.path
        """The answered questions on the path, in order."""
        self.highlight = highlight
        """The question whose row is highlighted first (the one just changed), if on the path."""

    def compose(self) -> ComposeResult:
        yield self.title_bar()
        with Vertical(id="review-body"):
            yield Static(literal("Review your answers"), id="review-title")
            yield Static(
                literal("Enter shows the recommendation. To change an answer, highlight it and press e (or click it)."),
                id="review-hint",
            )
            answers = OptionList(*(self._row(number, q) for number, q in enumerate(self.asked, 1)), id="answers")
            # After a change, the highlight stays on the row changed, not back on row 1.
            rows = [question.id for question in self.asked]
            if self.highlight in rows:
                answers.highlighted = rows.index(self.highlight)
            yield answers
        yield Footer()

    def _row(self, number: int, question: Question) -> Option:
        value = self.answers.get(question.id, "")
        parts = question.options_of(value) if question.is_multiple else ()
        if len(parts) > 1:  # several answers: one line each, so none wraps under the number
            lines = [Content.assemble("    • ", literal(option.label).stylize("bold")) for option in parts]
        else:
            shown = self.decision_tree.answer_label(question.id, value) if value else "(skipped)"
            lines = [Content.assemble("    ", literal(shown).stylize("bold"))]
        prompt = Content.assemble((f"{number:>2}. ", "dim"), literal(question.prompt), "\n", Content("\n").join(lines))
        return Option(prompt, id=question.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Only a click gets here (Enter is the screen's): a click edits that answer.
        event.stop()
        if event.option.id:
            self.post_message(EditRequested(self.step, event.option.id))

    def action_edit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id:
                self.post_message(EditRequested(self.step, option.id))

    def action_confirm(self) -> None:
        self.post_message(RecommendationRequested(self.step))

    def action_back(self) -> None:
        self.post_message(BackRequested(self.step))
