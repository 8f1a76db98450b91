"""The decision path as an expandable tree: each question, the answer, and what it meant."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from adaptwise.domain.decision import Decision, Step
from adaptwise.domain.text import clean_text

#: Columns a tree line loses to its guides per level, and to the screen's margin and scrollbar.
GUIDE = 4
MARGIN = 6


class DecisionPathTree(Tree[str]):
    """Root: the outcome; one node per question on the path, expanding to answer and meaning.

    A tree line never wraps, so long text is wrapped here, to the terminal's width when the
    tree is made: a long prompt is named by its topic, the prompt itself in the node.
    """

    def __init__(self, decision: Decision, *, id: str | None = None):
        # Labels are rich Text, never strings: Tree parses string labels as markup.
        super().__init__(Text(f"Decision path: {len(decision.path)} answers → {decision.approach_label}"), id=id)
        self.decision = decision

    def on_mount(self) -> None:
        width = max(40, self.app.size.width - MARGIN)
        self.root.expand()
        for number, step in enumerate(self.decision.path, start=1):
            node = self.root.add(self._question_label(number, step, width - GUIDE), data=step.question.id, expand=False)
            inner = width - 2 * GUIDE
            parts = step.question.options_of(step.answer) if step.question.is_multiple else ()
            if len(parts) > 1:  # one line per answer: joined, they run past the screen's edge
                answers = node.add(Text("Answers:"), expand=True)
                for option in parts:
                    _add_wrapped(answers, "", clean_text(option.label), inner - GUIDE)
            else:
                _add_wrapped(node, "Answer: ", clean_text(step.label), inner)
            if step.meant:
                _add_wrapped(node, "Meant: ", clean_text(step.meant), inner)
            prompt = clean_text(step.question.prompt)
            if len(f"{number}. {prompt}") > width - GUIDE:  # the label names it by topic: the prompt here
                _add_wrapped(node, "Asked: ", prompt, inner)
        _add_wrapped(
            self.root, "→ ", f"{self.decision.approach_label}: {clean_text(self.decision.headline)}", width - GUIDE
        )

    @staticmethod
    def _question_label(number: int, step: Step, width: int) -> Text:
        prompt = clean_text(step.question.prompt)
        shown = f"{number}. {prompt}"
        if len(shown) > width:
            topic = clean_text(step.question.topic)
            if topic:
                shown = f"{number}. {topic[:1].upper()}{topic[1:]}"
            else:
                shown = textwrap.shorten(shown, width, placeholder=" …")
        label = Text(shown)
        if step.decisive:
            label.append("  (decisive)", style="bold")
        return label


def _add_wrapped(node: TreeNode[str], prefix: str, text: str, width: int) -> None:
    """`prefix` and `text` as leaves of at most `width` columns, later lines indented under the text."""
    lines = textwrap.wrap(text, max(20, width - len(prefix))) or [""]
    node.add_leaf(Text(prefix + lines[0]))
    for line in lines[1:]:
        node.add_leaf(Text(" " * len(prefix) + line))
