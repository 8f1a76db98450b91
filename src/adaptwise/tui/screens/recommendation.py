"""The recommendation: the approach on top, the core's report Markdown, the decision path."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Markdown, Static

from adaptwise.domain.decision import Decision
from adaptwise.domain.insight import explain
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.tui.messages import BackRequested, DecisiveQuestionRequested
from adaptwise.tui.screens.step import StepScreen
from adaptwise.tui.widgets.literal import literal
from adaptwise.tui.widgets.path_tree import DecisionPathTree
from adaptwise.tui.widgets.report_scroll import ReportScroll


class RecommendationScreen(StepScreen):
    # Focused from the first frame, not looked up once mounted: a burst of keys can close
    # or replace this screen before it has mounted, and the lookup would then end the app.
    AUTO_FOCUS = "#report-scroll"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "app.export", "Export", id="export", tooltip="Save the report as Markdown."),
        Binding(
            "a", "app.save_answers", "Save answers", id="save_answers", tooltip="Save the answers to replay later."
        ),
        Binding("c", "app.copy_report", "Copy", id="copy_report", tooltip="Copy the report to the clipboard."),
        Binding("p", "path", "Path", id="path", tooltip="Show the decision path."),
        Binding(
            "d",
            "answer_decisive",
            "Answer it now",
            id="answer_decisive",
            tooltip="Answer the 'Not sure' question the recommendation depends on.",
        ),
        Binding("n", "app.start_over", "Start over", id="start_over", tooltip="Clear every answer and begin again."),
        Binding("escape", "back", "Back", id="back", tooltip="Back to the review."),
    ]

    def __init__(self, step: Walkthrough, decision: Decision, report: str):
        super().__init__(step, "Recommendation")
        self.decision_tree = step.tree
        self.decision = decision
        self.report = report
        self.decisive = explain(step.tree, decision).decisive

    def compose(self) -> ComposeResult:
        yield self.title_bar()
        yield Static(literal(f"Recommendation: {self.decision.approach_label}"), id="recommendation-line")
        if self.decisive is not None:
            yield Static(literal(f"{self.decisive.summary} Press d to answer it now."), id="decisive-offer")
        with ReportScroll(id="report-scroll"):
            yield Markdown(self.report, id="report")
            yield DecisionPathTree(self.decision, id="path")
        yield Footer()

    def action_path(self) -> None:
        tree = self.query_one(DecisionPathTree)
        for node in tree.root.children:
            node.expand()
        tree.focus()
        tree.scroll_visible(top=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer_decisive":
            return self.decisive is not None
        return True

    def action_answer_decisive(self) -> None:
        if self.decisive is not None:
            self.post_message(DecisiveQuestionRequested(self.step, self.decisive.question))

    def action_back(self) -> None:
        self.post_message(BackRequested(self.step))
