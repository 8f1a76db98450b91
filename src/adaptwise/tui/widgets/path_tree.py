"""The decision path as an expandable tree: each question, the answer, and what it meant."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from adaptwise.domain.decision import Decision
from adaptwise.domain.text import clean_text


class DecisionPathTree(Tree[str]):
    """Root: the outcome; one node per question on the path, expanding to answer and meaning."""

    def __init__(self, decision: Decision, *, id: str | None = None):
        # Labels are rich Text, never strings: Tree parses string labels as markup.
        super().__init__(Text(f"Decision path: {len(decision.path)} answers → {decision.approach_label}"), id=id)
        self.decision = decision

    def on_mount(self) -> None:
        self.root.expand()
        for number, step in enumerate(self.decision.path, start=1):
            label = Text(f"{number}. {clean_text(step.question.prompt)}")
            if step.decisive:
                label.append("  (decisive)", style="bold")
            node = self.root.add(label, data=step.question.id, expand=False)
            parts = step.question.options_of(step.answer) if step.question.is_multiple else ()
            if len(parts) > 1:  # one line per answer: joined, they run past the screen's edge
                answers = node.add(Text("Answers:"), expand=True)
                for option in parts:
                    answers.add_leaf(Text(clean_text(option.label)))
            else:
                node.add_leaf(Text(f"Answer: {clean_text(step.label)}"))
            if step.meant:
                node.add_leaf(Text(f"Meant: {clean_text(step.meant)}"))
        self.root.add_leaf(Text(f"→ {self.decision.approach_label}: {clean_text(self.decision.headline)}"))
