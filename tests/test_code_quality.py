"""The code's own rules, run with the suite: ruff, strict mypy, and the import contracts that
keep the four rooms (cli > tui > files > domain, a pure domain) apart.

The tools come with the test extra and read their settings from pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> None:
    executable = BIN / tool
    if not executable.exists():
        pytest.fail(f"{tool} is not installed beside {sys.executable}: install the test extra")
    result = subprocess.run(
        [str(executable), *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{tool} {' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def test_ruff_finds_nothing():
    run("ruff", "check", "--no-cache", "src", "tests", "bench")


def test_the_code_is_formatted():
    run("ruff", "format", "--check", "--no-cache", "src", "tests", "bench")


def test_mypy_strict_passes_on_src():
    run("mypy", "--cache-dir", str(ROOT / ".mypy_cache"))


def test_the_rooms_import_only_downward():
    run("lint-imports", "--no-cache")
