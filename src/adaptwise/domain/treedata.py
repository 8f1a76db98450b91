"""A validated tree as plain data in the tree file's own order, for `adaptwise tree show`.

Each entry keeps its fields in the model's order and leaves out those at their default,
so the data reads like a hand-written tree and loads back to the same `Tree`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from adaptwise.domain.model import Tree


def tree_data(tree: Tree) -> dict[str, Any]:
    data = _plain(tree)
    assert isinstance(data, dict)
    return data


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            current = getattr(value, item.name)
            if item.default is not dataclasses.MISSING and current == item.default:
                continue
            if item.default_factory is not dataclasses.MISSING and current == item.default_factory():
                continue
            out[item.name] = _plain(current)
        return out
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
