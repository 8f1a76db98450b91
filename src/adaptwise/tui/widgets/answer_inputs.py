"""The two ways to answer a question, with Enter shown in the footer so it teaches the key."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList


class AnswerList(OptionList):
    """The options of a choice question; Enter chooses the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Choose", id="choose", tooltip="Choose the highlighted answer."),
    ]


class TextAnswer(Input):
    """A free-text answer; Enter moves on, with or without text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Next", id="next", tooltip="On free text: keep this answer (or none) and go on."),
    ]
