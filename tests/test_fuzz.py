"""Fuzzing every loader with random and mutated bytes: nothing escapes but InputError, and no
example takes longer than its deadline.

Mutations start from valid samples (the answers files under tests/data/answers, a report
exported by `adaptwise recommend`, a small CSV, the flags files, the shipped tree) and
insert hostile tokens, flip, delete, repeat or cut bytes. 200 examples per loader by
default; set ADAPTWISE_FUZZ_EXAMPLES for a longer run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptwise.domain.errors import InputError

DATA = Path(__file__).parent / "data"
EXAMPLES = int(os.environ.get("ADAPTWISE_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=2),  # a quadratic or a hang shows as a deadline, not a stuck suite
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

TOKENS = [
    b"\x1b[31m",
    b"\x1b]2;x\x07",
    "\u202e".encode(),
    "\u200b".encode(),
    b"\x9b",
    b"\x00",
    b"\r",
    b"\t",
    b"\xff\xfe",
    b"\xff\xfe\x00\x00",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xed\xa0\x80",
    "é".encode(),
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ['true']",
    b"<<: *a",
    b"? ",
    b"- ",
    b": ",
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"'",
    b"\\",
    b"|",
    b">",
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"yes",
    b"no",
    b"~",
    b"1e999",
    b"0x1F",
    b"010",
    b"1:20",
    b".nan",
    b"2024-01-01",
    b"9" * 400,
    b"@",
    b"@/dev/zero",
    b"--",
    b"--tree",
    b"#",
    b",",
    b'","',
    b"\n",
    b"\n" * 3,
    b" " * 70,
]

MUTATION = st.tuples(
    st.sampled_from(["insert", "replace", "delete", "repeat", "truncate", "flip"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=64),
    st.sampled_from(TOKENS),
)


def mutate(sample: bytes, mutations: list[tuple[str, float, int, bytes]]) -> bytes:
    data = bytearray(sample)
    for kind, where, size, token in mutations:
        at = int(where * len(data))
        if kind == "insert":
            data[at:at] = token
        elif kind == "replace":
            data[at : at + len(token)] = token
        elif kind == "delete":
            del data[at : at + size]
        elif kind == "repeat":
            data[at:at] = bytes(data[at : at + size]) * 50
        elif kind == "truncate":
            del data[at:]
        elif data:
            data[min(at, len(data) - 1)] ^= 1 << (size % 8)
    return bytes(data)


def inputs(samples: list[bytes]) -> st.SearchStrategy[bytes]:
    """Random bytes, or a sample with a few mutations (mostly the latter: they get further)."""
    mutated = st.builds(mutate, st.sampled_from(samples), st.lists(MUTATION, max_size=6))
    return st.one_of(st.binary(max_size=600), mutated, mutated, mutated)


def only_input_errors(load, data: bytes) -> None:
    try:
        load(data)
    except InputError as error:
        assert error.render().strip()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    shutil.copy(DATA / "answers" / "common.flags", path / "common.flags")
    return path


@pytest.fixture(scope="module")
def report(cli_env) -> bytes:
    """A report exported by `adaptwise recommend`."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "adaptwise",
            "recommend",
            "--defaults",
            "--answers",
            str(DATA / "answers" / "seed000_legal_contracts.yaml"),
        ],
        env=cli_env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def csv_sample(tree) -> bytes:
    """A header of every question id, then a row of defaults and a row of blanks."""
    header = ",".join(question.id for question in tree.questions)
    row = ",".join(question.default or "" for question in tree.questions)
    return f"{header}\n{row}\n{',' * (len(tree.questions) - 1)}\n{row}\n".encode()


def test_answers_files(folder, loaded_tree):
    from adaptwise.domain.engine import decide_with_defaults
    from adaptwise.files.answers_file import load_answers_file

    path = folder / "answers.yaml"
    samples = [file.read_bytes() for file in sorted((DATA / "answers").iterdir()) if file.suffix != ".flags"]

    def load(data: bytes) -> None:
        path.write_bytes(data)
        decide_with_defaults(loaded_tree.tree, load_answers_file(path, loaded_tree.tree))

    @FUZZ
    @given(inputs(samples))
    def run(data: bytes) -> None:
        only_input_errors(load, data)

    run()


def test_flags_files(folder, loaded_tree):
    from adaptwise.files.flags import read_flags

    path = folder / "team.flags"
    samples = [file.read_bytes() for file in sorted((DATA / "answers").glob("*.flags"))]

    def load(data: bytes) -> None:
        path.write_bytes(data)
        for flag in read_flags([f"@{path}"]):
            assert flag.text.startswith("--") and flag.line is not None

    @FUZZ
    @given(inputs(samples))
    def run(data: bytes) -> None:
        only_input_errors(load, data)

    run()


def test_csv_files(folder, loaded_tree, csv_sample):
    from adaptwise.domain import portfolio
    from adaptwise.files.portfolio_inputs import initiatives

    tree, path = loaded_tree.tree, folder / "portfolio.csv"

    def load(data: bytes) -> None:
        path.write_bytes(data)
        result = portfolio.decide_all(tree, initiatives([str(path)]), defaults=True)
        for render in (portfolio.render_csv, lambda result: portfolio.render_json(result, tree, "0" * 64)):
            render(result)

    @FUZZ
    @given(inputs([csv_sample]))
    def run(data: bytes) -> None:
        only_input_errors(load, data)

    run()


def test_report_footers(folder, loaded_tree, report):
    from adaptwise.domain.drift import as_dict, render_text, replay
    from adaptwise.files.footer import read_report

    path = folder / "report.md"
    # The footer is at the end: mutate mostly there, where the parser looks.
    footer = report[report.index(b"## Reproducibility") :]

    def load(data: bytes) -> None:
        path.write_bytes(report[: len(report) - len(footer)] + data)
        drift = replay(loaded_tree.tree, loaded_tree.sha256, read_report(path))
        render_text(drift, str(path), loaded_tree.source)
        as_dict(drift)

    @FUZZ
    @given(inputs([footer]))
    def run(data: bytes) -> None:
        only_input_errors(load, data)

    run()


def test_trees(folder, shipped_tree_path):
    from adaptwise.files.trees import check_tree_file

    path = folder / "tree.yaml"
    samples = [
        shipped_tree_path.read_bytes(),
        (DATA / "trees" / "minimal.yaml").read_bytes(),
        (DATA / "tree_tools" / "base.yaml").read_bytes(),
    ]

    def load(data: bytes) -> None:
        path.write_bytes(data)
        loaded, problems = check_tree_file(path)
        if problems:
            raise InputError(problems)
        assert loaded is not None

    @FUZZ
    @given(inputs(samples))
    def run(data: bytes) -> None:
        only_input_errors(load, data)

    run()
