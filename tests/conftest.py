"""Shared fixtures: the shipped tree, the whole contract answer space, and a CLI runner.

The CLI runner runs `python -m adaptwise` in a subprocess with a session-wide, warmed
validated-tree cache (ADAPTWISE_CACHE_DIR) and a fixed SOURCE_DATE_EPOCH, so reports are
stable and each run costs only start-up time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
DATA_DIR = TESTS_DIR / "data"

# A company tree set for the developer (ADAPTWISE_TREE, or the user config file) must not
# change the tree the tests see; the tests of that setting name their own.
os.environ.pop("ADAPTWISE_TREE", None)
os.environ["ADAPTWISE_CONFIG_DIR"] = str(TESTS_DIR / "data" / "no-config-here")

#: 2023-11-14 (UTC): the date every CLI-rendered report carries.
SOURCE_DATE_EPOCH = "1700000000"
REPORT_DATE = "2023-11-14"


@pytest.fixture(scope="session")
def shipped_tree_path() -> Path:
    from adaptwise.files.trees import shipped_tree_path

    return shipped_tree_path()


@pytest.fixture(scope="session")
def loaded_tree():
    """The shipped tree, loaded in-process with caching off (validated by pydantic)."""
    from adaptwise.files.trees import load_tree

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")
        return load_tree()


@pytest.fixture(scope="session")
def tree(loaded_tree):
    return loaded_tree.tree


def advice_only_questions(tree) -> frozenset[str]:
    """Choice questions that never decide the path or the outcome, only add advice.

    No route rule reads them and all their options lead to one place, so every leaf of the
    path space takes every answer they have (e.g. where the data may live, feedback data).
    """
    from adaptwise.domain.pathspace import explore, value_set

    leaves = explore(tree).leaves
    return frozenset(
        question.id
        for question in tree.questions
        if not question.is_text
        and all(value_set(leaf.box, question.id) in ({None}, frozenset(question.answer_values)) for leaf in leaves)
    )


def enumerate_contract_space(tree) -> list[tuple[dict[str, str], object]]:
    """Every complete set of choice answers the tree can be walked with, and its outcome.

    Built by walking: at each pending question every whole answer is tried (combinations
    of several answers too), so only answers on the path are present, exactly as a person
    would give them. Free text is left out (scripted walks pass over it).

    Every combination of the answers that decide the path and the outcome is there exactly
    once. A question that only adds advice (`advice_only_questions`) takes one answer per
    set, picked by a stable hash of the answers before it, so each of its answers still
    meets every part of the space: crossing them all would multiply the space by up to 24
    (to more than 5 x 10^5 sets) without a single new path or outcome.
    """
    from adaptwise.domain.engine import walk

    advice_only = advice_only_questions(tree)
    complete: list[tuple[dict[str, str], object]] = []
    stack: list[dict[str, str]] = [{}]
    while stack:
        answers = stack.pop()
        walked = walk(tree, answers)
        if walked.pending is None:
            complete.append((answers, walked.outcome))
            continue
        pending = walked.pending
        assert not pending.is_text, "scripted walks pass over free text"
        values = pending.answer_values
        if pending.id in advice_only:
            values = (values[zlib.crc32(repr(sorted(answers.items())).encode()) % len(values)],)
        for value in values:
            stack.append({**answers, pending.id: value})
    return complete


@pytest.fixture(scope="session")
def contract_space(tree) -> list[tuple[dict[str, str], object]]:
    """[(answers, outcome)] for every complete contract answer set, advice-only questions
    sampled (about 10^5; see `enumerate_contract_space`)."""
    return enumerate_contract_space(tree)


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory) -> dict[str, str]:
    """Environment for CLI subprocesses: a warmed cache folder, a fixed date, UTF-8."""
    cache = tmp_path_factory.mktemp("adaptwise-cache")
    env = dict(os.environ)
    env.update(
        ADAPTWISE_CACHE_DIR=str(cache),
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        PYTHONIOENCODING="utf-8",
        PYTHONUTF8="1",
        COLUMNS="100",
        NO_COLOR="1",
    )
    env.pop("PYTHONWARNINGS", None)
    warm = subprocess.run(
        [sys.executable, "-m", "adaptwise", "recommend", "--defaults", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert warm.returncode == 0, warm.stderr
    assert any(cache.iterdir()), "recommend did not write the validated-tree cache"
    return env


RunCli = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def run_cli(cli_env) -> RunCli:
    """`run_cli("recommend", "--defaults", cwd=..., env={...}, input=...)`.

    Extra `env` entries override the session's; a value of None removes the variable.
    Every run has a 20 s timeout: a hang is a failure, not a stuck suite.
    """

    def run(*args: str, cwd=None, env=None, input=None, timeout: float = 20):
        environment = dict(cli_env)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return subprocess.run(
            [sys.executable, "-m", "adaptwise", *map(str, args)],
            cwd=cwd,
            env=environment,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One worker more than cores for `-n auto`: the wizard's pilot tests spend part of
    their time waiting for the app to go idle, and another worker fills that time."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The wizard's pilot tests take seconds each and most others a fraction of one: start
    # the long ones first, so that the workers finish together instead of one running last.
    items.sort(key=lambda item: "tui" not in item.path.parts)
