"""The tree's basic types: ids, numbers, ranges, conditions and approaches, with the
metadata pydantic validates them by (without this package ever importing pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

Approach = Literal["prompt_engineering", "fine_tuning", "training"]


#: The contract's approaches, from least to most ambitious, with the labels people see.
APPROACH_LABELS: dict[str, str] = {
    "prompt_engineering": "Prompt engineering",
    "fine_tuning": "Fine-tuning",
    "training": "Training",
}


APPROACHES: tuple[str, ...] = tuple(APPROACH_LABELS)


@dataclass(frozen=True, slots=True)
class MinLength:
    """pydantic metadata: a string at least this long (annotated-types costs 8 ms to import)."""

    min_length: int

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = self.min_length
        return schema


@dataclass(frozen=True, slots=True)
class StrictNumber:
    """pydantic metadata: a real number, never a boolean or a numeric string."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


NonEmpty = Annotated[str, MinLength(1)]


Id = Annotated[str, MinLength(1)]


Number = Annotated[float, StrictNumber()]


Range = tuple[Number, Number]


#: A condition maps question ids to the answer (or any of the answers) that satisfy it.
#: Two more keys are understood: `meets` names requirement sets that must all hold, and
#: (in modifiers only) `approach` matches the decided approach. All entries must hold.
Condition = dict[str, str | list[str]]


# How pydantic validates these classes (a plain dict, so this module never imports pydantic):
# a typo in a tree key is an error, never silently ignored, and errors never echo the input,
# which is how an alias bomb turns an error message into minutes and gigabytes.
FORBID_EXTRA: Any = {"extra": "forbid", "hide_input_in_errors": True}
