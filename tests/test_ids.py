"""Ids are snake_case ASCII and no question id shadows a command-line option: check says so at
file:line:col, and recommend refuses such a tree instead of failing inside argparse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adaptwise.domain.idcheck import RESERVED_QUESTION_IDS
from adaptwise.files.trees import shipped_tree_path

SHIPPED = shipped_tree_path().read_text(encoding="utf-8")


def with_task_renamed(tmp_path: Path, new_id: str) -> tuple[Path, int]:
    """The shipped tree with its `task` question renamed (and every reference to it)."""
    text = SHIPPED.replace("  - id: task\n", f"  - id: {new_id}\n").replace("next: task\n", f"next: {new_id}\n")
    text = re.sub(r"([{,] ?)task: ", lambda found: f"{found.group(1)}{new_id}: ", text)  # in conditions
    text = text.replace("question: task\n", f"question: {new_id}\n")
    path = tmp_path / "tree.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row == f"  - id: {new_id}")
    return path, line


@pytest.mark.parametrize(
    ("new_id", "says"),
    [
        ("t\u0430sk", "'t\\u0430sk' is not a snake_case id"),  # a Cyrillic а
        ("Task", "'Task' is not a snake_case id"),
        ('"the task"', "'the task' is not a snake_case id"),
        ("_task", "'_task' is not a snake_case id"),
        *[
            (reserved, f"the question id '{reserved}' is taken by the command line's --{reserved.replace('_', '-')}")
            for reserved in sorted(RESERVED_QUESTION_IDS)
        ],
    ],
)
def test_a_bad_question_id_is_refused_where_it_is_written(run_cli, tmp_path, new_id, says):
    path, line = with_task_renamed(tmp_path, new_id)
    commands: list[tuple[str | Path, ...]] = [("check", path)]
    if new_id in ("tree", "t\u0430sk"):  # recommend validates the tree the same way; twice is enough
        commands.append(("recommend", "--defaults", "--tree", path))
    for command in commands:
        result = run_cli(*command)
        assert result.returncode == 2, (command, result.stdout[:200], result.stderr)
        assert "Traceback" not in result.stderr
        assert f"{path}:{line}:" in result.stderr and says in result.stderr, result.stderr


def test_a_good_renamed_question_id_works(run_cli, tmp_path):
    path, _ = with_task_renamed(tmp_path, "what_to_do")
    assert run_cli("check", path).returncode == 0
    result = run_cli(
        "recommend", "--defaults", "--tree", path, "--what-to-do", "tabular_prediction", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
