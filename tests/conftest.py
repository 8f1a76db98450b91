"""Shared fixtures: the shipped tree, the whole contract answer space, and CLI runners.

`run_cli` runs the CLI's entry point (`adaptwise.cli.main`) in this process, as a child
process would run it (its own environment, folder, stdin, captured stdout and stderr):
a subprocess costs a second of start-up on a busy machine, and the suite runs hundreds.
`run_cli_process` runs `python -m adaptwise` in a subprocess, for the few tests about the
process itself. Both share a session-wide, warmed validated-tree cache
(ADAPTWISE_CACHE_DIR) and a fixed SOURCE_DATE_EPOCH, so reports are stable.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import traceback
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
def contract_space(tree, tmp_path_factory) -> list[tuple[dict[str, str], object]]:
    """[(answers, outcome)] for every complete contract answer set, advice-only questions
    sampled (about 10^5; see `enumerate_contract_space`).

    Walking the space takes seconds, and each xdist worker would walk it again: the first
    worker to need it writes it (answers and outcome ids) under the run's shared temporary
    folder, and the others read it."""
    import fcntl
    import pickle

    shared = tmp_path_factory.getbasetemp().parent / "contract-space.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker walks; the others wait, then read
        if not shared.exists():
            space = enumerate_contract_space(tree)
            encoded = [(answers, getattr(outcome, "id", None)) for answers, outcome in space]
            temporary = shared.with_suffix(f".{os.getpid()}")
            temporary.write_bytes(pickle.dumps((tree.version, encoded)))
            temporary.replace(shared)
            return space
        version, encoded = pickle.loads(shared.read_bytes())
    assert version == tree.version, "the shared contract space is of another tree"
    return [(answers, tree.outcome_by_id.get(outcome_id)) for answers, outcome_id in encoded]


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory) -> dict[str, str]:
    """The environment of every CLI run: a warmed cache folder, a fixed date, UTF-8."""
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
    warm = run_in_process(["recommend", "--defaults", "--format", "json"], env)
    assert warm.returncode == 0, warm.stderr
    assert any(cache.iterdir()), "recommend did not write the validated-tree cache"
    return env


RunCli = Callable[..., subprocess.CompletedProcess[str]]


def merged_env(base: dict[str, str], overrides: dict[str, str | None] | None) -> dict[str, str]:
    """`base` with `overrides` applied; an override of None removes the variable."""
    environment = dict(base)
    for key, value in (overrides or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return environment


class _KeptBytes(io.BytesIO):
    """The bytes a captured stream took; still readable after a command closes the stream."""

    def close(self) -> None:
        pass


def _captured(errors: str) -> tuple[io.TextIOWrapper, _KeptBytes]:
    # As a child's stdout/stderr on a pipe: UTF-8 (PYTHONIOENCODING), "\n" as is, no tty,
    # and a binary `buffer` (exports to stdout are written as bytes).
    kept = _KeptBytes()
    return io.TextIOWrapper(kept, encoding="utf-8", errors=errors, newline="\n", write_through=True), kept


def _as_subprocess_text(data: bytes) -> str:
    """Bytes decoded as `subprocess.run(text=True)` decodes them (universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


def run_in_process(
    args: list[str], environment: dict[str, str], cwd=None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`adaptwise.cli.main(args)` in this process, as a child would run it: exactly
    `environment` in os.environ, `cwd`, `input` on stdin (empty, not a tty, when None),
    stdout and stderr captured; os.environ, the folder and the streams are restored after.

    An exception that escapes `main` becomes exit 1 with its traceback on stderr, as the
    interpreter would make it, so tests that refuse a traceback still see one."""
    from adaptwise.cli import main

    stdout, stdout_bytes = _captured("strict")
    stderr, stderr_bytes = _captured("backslashreplace")
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode("utf-8")), encoding="utf-8", newline="\n")
    saved_environ, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    try:
        os.environ.clear()
        os.environ.update(environment)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            code = main(args)
        except SystemExit as done:  # what the interpreter makes of sys.exit(code)
            code = _exit_status(done.code, stderr)
        except Exception:  # a child prints it and exits 1
            traceback.print_exc(file=stderr)
            code = 1
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environ)
    for stream in (stdout, stderr):
        if not stream.closed:
            stream.flush()
    return subprocess.CompletedProcess(
        args, code, _as_subprocess_text(stdout_bytes.getvalue()), _as_subprocess_text(stderr_bytes.getvalue())
    )


def _exit_status(code: object, stderr: io.TextIOWrapper) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)
    return 1


@pytest.fixture
def run_cli(cli_env) -> RunCli:
    """`run_cli("recommend", "--defaults", cwd=..., env={...}, input=...)`, in this process.

    Extra `env` entries override the session's; a value of None removes the variable.
    `timeout` is accepted for the subprocess runner's sake and unused: a test that could
    hang, or that is about the process itself (signals, real streams, a tty, start-up),
    takes `run_cli_process`.
    """

    def run(*args: str, cwd=None, env=None, input=None, timeout: float = 20):
        return run_in_process([str(arg) for arg in args], merged_env(cli_env, env), cwd=cwd, input=input)

    return run


@pytest.fixture
def run_cli_process(cli_env) -> RunCli:
    """As `run_cli`, but `python -m adaptwise` in a subprocess with a timeout (20 s unless
    told): for what only a process shows, and for a run that could hang."""

    def run(*args: str, cwd=None, env=None, input=None, timeout: float = 20):
        return subprocess.run(
            [sys.executable, "-m", "adaptwise", *map(str, args)],
            cwd=cwd,
            env=merged_env(cli_env, env),
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
