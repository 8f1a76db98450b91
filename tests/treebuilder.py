"""Trees a test declares inline, written to a folder and loaded as the tool loads any tree.

In the spirit of copier's `build_file_tree`: a test states the few questions, routes and
outcomes it needs, as a dict or a YAML string, and gets back the validated `Tree`
(`adaptwise.files.trees.load_tree`, so pydantic and `check` see it as they see a company
tree). What every tree must have and no test cares about is filled in: `version`, `title`,
`start` (the first question), `plan_questions` (one, answered from the first question) and
`techniques` (each one an outcome or modifier names, with a made-up meaning).

    tree = build_tree({
        "questions": [question("task", ["text", "records"], next="decide")],
        "routes": [route("decide", [({"task": "records"}, "classic")], otherwise="prompting")],
        "outcomes": [outcome("prompting"), outcome("classic", approach="training")],
    })

Nothing here reads the shipped decision_tree.yaml, so editing its words breaks no test
that builds its tree here.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from adaptwise.domain.model import Tree
from adaptwise.files.trees import load_tree

_counter = itertools.count()


def build_tree(spec: Mapping[str, Any] | str, directory: str | os.PathLike[str] | None = None) -> Tree:
    """Write `spec` (a dict, or YAML text) as a tree file under `directory` (a fresh temporary
    folder by default) and load it, validated, with the tree cache off."""
    folder = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="adaptwise-tree-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = write_tree(spec, folder / f"tree_{next(_counter)}.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")  # no validated tree leaks into a cache
        return load_tree(path).tree


def write_tree(spec: Mapping[str, Any] | str, path: Path) -> Path:
    """Write `spec`, completed as `build_tree` completes it, as the tree file `path` (not
    loaded: a company tree's test extends it, or checks what is wrong with it)."""
    data = yaml.safe_load(spec) if isinstance(spec, str) else dict(spec)
    path.write_text(yaml.safe_dump(_completed(data), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _completed(data: dict[str, Any]) -> dict[str, Any]:
    questions = data.setdefault("questions", [])
    data.setdefault("version", "1")
    data.setdefault("title", "declared test tree")
    if questions:
        data.setdefault("start", questions[0]["id"])
    data.setdefault("routes", [])
    if "plan_questions" not in data:
        first = questions[0]["id"] if questions else None
        data["plan_questions"] = [{"id": "plan", "ask": "With what?", "answered_from": [first] if first else []}]
    if "techniques" not in data:
        named = [t for o in data.get("outcomes", []) for t in o.get("techniques", [])]
        named += [t for m in data.get("modifiers", []) for t in m.get("add_techniques", [])]
        data["techniques"] = [
            {"id": technique, "label": technique.replace("_", " "), "meaning": f"What {technique} means."}
            for technique in dict.fromkeys(named)
        ]
    return data


# --- small builders, so a test's tree reads as what it is about ---------------------------


def option(value: str, **fields: Any) -> dict[str, Any]:
    """An option with a label and an explanation made up from its value (fields win)."""
    return {"value": value, "label": value.replace("_", " ").capitalize(), "explanation": f"Means {value}.", **fields}


def question(
    question_id: str,
    options: Iterable[str | Mapping[str, Any]],
    *,
    next: str | None = None,
    default: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A choice question; `options` are values or `option(...)` dicts; the default is the
    first option unless given."""
    built = [option(item) if isinstance(item, str) else dict(item) for item in options]
    data: dict[str, Any] = {
        "id": question_id,
        "prompt": f"What about {question_id}?",
        "default": default if default is not None else built[0]["value"],
        **fields,
        "options": built,
    }
    if next is not None:
        data["next"] = next
    return data


def text_question(question_id: str, *, next: str, **fields: Any) -> dict[str, Any]:
    return {"id": question_id, "type": "text", "prompt": f"Name the {question_id}?", "next": next, **fields}


def route(route_id: str, rules: Iterable[tuple[Mapping[str, Any], str]], *, otherwise: str) -> dict[str, Any]:
    """A route: `rules` are (when, then) pairs, tried in order."""
    return {
        "id": route_id,
        "rules": [{"when": dict(when), "then": then, "why": f"Because of {then}."} for when, then in rules],
        "otherwise": otherwise,
    }


def outcome(outcome_id: str, *, approach: str = "prompt_engineering", **fields: Any) -> dict[str, Any]:
    return {
        "id": outcome_id,
        "approach": approach,
        "headline": f"Go with {outcome_id}.",
        "rationale": [f"{outcome_id} fits."],
        **fields,
    }
