"""The tree's basic types: ids, numbers, ranges, conditions and approaches, with the
metadata pydantic validates them by (without this package ever importing pydantic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

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


@dataclass(frozen=True, slots=True)
class RecursiveCondition:
    """pydantic metadata: a condition whose `any` holds conditions (core schemas are plain
    dicts, so this needs no pydantic import; the reference makes the JSON Schema recursive)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        itself = {"type": "definition-ref", "schema_ref": "Condition"}
        values = [{"type": "str"}, {"type": "list", "items_schema": {"type": "str"}}]
        values.append({"type": "list", "items_schema": itself})
        value = {"type": "union", "choices": values}
        return {"type": "dict", "keys_schema": {"type": "str"}, "values_schema": value, "ref": "Condition"}


#: A condition maps question ids to the answer (or any of the answers) that satisfy it.
#: More keys are understood: `meets` names requirement sets that must all hold, `any`
#: lists conditions of which at least one must hold, and (in modifiers only) `approach`
#: matches the decided approach. All entries must hold.
if TYPE_CHECKING:
    Condition = dict[str, "str | list[str] | list[Condition]"]
else:
    Condition = Annotated[dict[str, Any], RecursiveCondition()]


# How pydantic validates these classes (a plain dict, so this module never imports pydantic):
# a typo in a tree key is an error, never silently ignored, and errors never echo the input,
# which is how an alias bomb turns an error message into minutes and gigabytes.
FORBID_EXTRA: Any = {"extra": "forbid", "hide_input_in_errors": True}
