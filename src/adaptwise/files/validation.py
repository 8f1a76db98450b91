"""Validating tree data against the model with pydantic, and the model's JSON Schema.

This is the only module that imports pydantic, and only the loader imports it, on a cache
miss (see `adaptwise.treefile`): pydantic's import alone outweighs the scripted path.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from adaptwise.domain.findings import Finding
from adaptwise.domain.links import Path
from adaptwise.domain.model import Tree


@cache
def _tree_adapter() -> TypeAdapter[Tree]:
    return TypeAdapter(Tree)


def parse_tree(data: Any) -> tuple[Tree | None, list[Finding]]:
    """The tree, or the schema problems that stop it from being one."""
    if not isinstance(data, dict):
        return None, [Finding((), "a decision tree must be a YAML mapping at the top level", code="not-a-mapping")]
    try:
        return _tree_adapter().validate_python(data), []
    except ValidationError as error:
        return None, [_finding(item) for item in error.errors(include_url=False, include_input=False)]


def _finding(item: Any) -> Finding:
    path: Path = tuple(item["loc"])
    kind = item["type"]
    if kind == "unexpected_keyword_argument":
        return Finding(path, f"unknown field '{path[-1]}'", hint=_field_hint(path), code="unknown-field")
    if kind in {"missing_argument", "missing"}:
        return Finding(path[:-1], f"missing field '{path[-1]}'", code="missing-field")
    return Finding(path, item["msg"][0].lower() + item["msg"][1:], code="invalid-value")


def _field_hint(path: Path) -> str | None:
    from adaptwise.domain.errors import did_you_mean

    return did_you_mean(str(path[-1]), _known_fields())


@cache
def _known_fields() -> tuple[str, ...]:
    import dataclasses

    from adaptwise.domain import model

    names: set[str] = set()
    for value in vars(model).values():
        if dataclasses.is_dataclass(value):
            names.update(f.name for f in dataclasses.fields(value))
    return tuple(sorted(names))


def tree_json_schema() -> dict[str, Any]:
    """The JSON Schema of a decision tree file, for editors."""
    return _tree_adapter().json_schema()
