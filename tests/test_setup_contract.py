"""The set-up contract: the README's two commands install from the committed lock, CI runs the
README's test command as written, and the lock pins every dependency inside its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LOCK = "requirements/lock.txt"


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line and not line.startswith("#")]


def locked_versions() -> dict[str, str]:
    pins = {}
    for line in (ROOT / LOCK).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, version = line.split("==")
            pins[canonical(name)] = version.strip()
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return [Requirement(text) for text in declared]


def test_the_readme_gives_exactly_two_commands_and_both_install_from_the_lock():
    run, test = setup_commands()
    for command in (run, test):
        assert command.startswith("python3.11 -m venv .venv && ")
        assert f"pip install -c {LOCK} " in command
    assert run.endswith("&& .venv/bin/adaptwise")
    assert test.endswith("&& .venv/bin/python -m pytest")


def test_ci_runs_the_readmes_test_command_as_written():
    _, test = setup_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


@pytest.mark.parametrize("requirement", declared_requirements(), ids=str)
def test_the_lock_pins_every_dependency_inside_its_range(requirement):
    pins = locked_versions()
    name = canonical(requirement.name)
    assert name in pins, f"{requirement} is not in {LOCK}: refresh the lock (README, Development)"
    assert requirement.specifier.contains(pins[name], prereleases=True), (
        f"{LOCK} pins {name}=={pins[name]}, outside pyproject's {requirement.specifier}"
    )


def test_the_build_backend_is_pinned_exactly():
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    assert all("==" in requirement for requirement in build["requires"])
