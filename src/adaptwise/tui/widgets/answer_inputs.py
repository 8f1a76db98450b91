"""The ways to answer a question, with their keys shown in the footer so it teaches them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Checkbox, Input, OptionList, SelectionList
from textual.widgets.selection_list import Selection

from adaptwise.domain.questions import Question
from adaptwise.tui.widgets.literal import literal


class AnswerList(OptionList):
    """The options of a choice question; Enter chooses the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Choose", id="choose", tooltip="Choose the highlighted answer."),
    ]


class AnswerChecklist(SelectionList[str]):
    """The options of a choose-all-that-apply question: Space (or a click) ticks or unticks
    the highlighted one, Enter accepts the ticked ones.

    An option marked `alone` is never combined: ticking it unticks the others, and ticking
    any other unticks it. Ticking happens at once, not through a message, so an Enter typed
    right behind a Space accepts what that Space ticked, and never a set that cannot combine.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "select",
            "Toggle",
            id="toggle",
            tooltip="On a choose-all-that-apply question: tick or untick the highlighted answer.",
        ),
        Binding(
            "enter",
            "accept",
            "Accept",
            id="accept",
            tooltip="On a choose-all-that-apply question: accept the ticked answers.",
        ),
    ]

    @dataclass(eq=False)
    class Ticked(Message):
        """`value` was ticked (or unticked); `cleared` were unticked as it never combines with them."""

        checklist: AnswerChecklist
        value: str
        ticked: bool
        cleared: tuple[str, ...]

    @dataclass(eq=False)
    class Accepted(Message):
        """Enter: the ticked values, in option order (none, if nothing is ticked)."""

        checklist: AnswerChecklist
        values: tuple[str, ...]

    def __init__(self, question: Question, ticked: Iterable[str], *, id: str | None = None):
        chosen = set(ticked)
        super().__init__(
            *(Selection(literal(option.label), option.value, option.value in chosen) for option in question.options),
            id=id,
        )
        self.question = question
        self.alone = frozenset(option.value for option in question.options if option.alone)

    def action_select(self) -> None:
        """Tick or untick the highlighted option (Space, and a click, which OptionList routes here)."""
        if self.highlighted is None:
            return
        value = self.get_option_at_index(self.highlighted).value
        cleared: tuple[str, ...] = ()
        if value in self.selected:
            self.deselect(value)
        else:
            cleared = tuple(other for other in self.selected if value in self.alone or other in self.alone)
            for other in cleared:
                self.deselect(other)
            self.select(value)
        self.post_message(self.Ticked(self, value, value in self.selected, cleared))

    def render_line(self, y: int) -> Strip:
        # Textual draws an X in every box and tells ticked from unticked by colour alone; an
        # unticked box is drawn empty here, so the state also reads without colour (NO_COLOR).
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self.selected:
            return line
        segments = list(line)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            text, style, control = segments[1]
            segments[1] = Segment(" " * len(text), style, control)
        return Strip(segments, line.cell_length)

    def action_accept(self) -> None:
        ticked = set(self.selected)
        self.post_message(self.Accepted(self, tuple(value for value in self.question.values if value in ticked)))


class TextAnswer(Input):
    """A free-text answer; Enter moves on, with or without text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Next", id="next", tooltip="On free text: keep this answer (or none) and go on."),
    ]
