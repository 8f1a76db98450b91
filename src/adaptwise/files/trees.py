"""Finding, loading and checking decision-tree files, with a cache of validated trees.

A tree is validated by pydantic and `treecheck` once per content and code: the validated
`Tree` goes to the user cache folder (`treecache`), so the scripted path loads it without
importing pydantic or PyYAML. Any change to the file, or to the code that validates it,
misses the cache and validates afresh.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.model import Tree
from adaptwise.files.textfiles import read_text_file
from adaptwise.files.treecache import read_cached_tree, write_cached_tree

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from pathlib import Path

    from adaptwise.domain.findings import Finding
    from adaptwise.files.yamlsafe import Located

#: Trees are small; this cap only stops a wrong path from reading a huge file.
MAX_TREE_BYTES = 4 << 20


TREE_FILE_NAME = "decision_tree.yaml"


@dataclass(frozen=True, slots=True)
class LoadedTree:
    tree: Tree
    sha256: str
    source: str
    """How the tree is named to people: the path given, or the shipped tree's file name."""


def shipped_tree_path() -> Path:
    """The one `decision_tree.yaml`: inside the installed package, or at the checkout's root."""
    from pathlib import Path

    return Path(_shipped_tree_file())


def _shipped_tree_file() -> str:
    # os.path rather than pathlib: importing pathlib costs 3 ms that `recommend` need not pay.
    package_dir = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # adaptwise/
    checkout = os.path.dirname(os.path.dirname(package_dir))
    for candidate in (os.path.join(package_dir, TREE_FILE_NAME), os.path.join(checkout, TREE_FILE_NAME)):
        if os.path.isfile(candidate):
            return candidate
    raise InputError(Problem(f"the shipped {TREE_FILE_NAME} is missing; reinstall adaptwise"))


def load_tree(path: str | os.PathLike[str] | None = None) -> LoadedTree:
    """Load and validate a tree (the shipped one by default), refusing any tree `check` faults."""
    file = path if path is not None else _shipped_tree_file()
    source = os.fspath(path) if path is not None else TREE_FILE_NAME
    raw = _read_bytes(file, source)
    sha256 = hashlib.sha256(raw).hexdigest()
    cached = read_cached_tree(sha256)
    if cached is not None:
        return LoadedTree(cached, sha256, source)
    tree, problems = _validate(raw, source)
    if tree is None or problems:
        raise InputError(
            problems,
            f"{source} is not a valid decision tree ({_count(problems)}); "
            f"run `adaptwise check {source}` for the full list",
        )
    write_cached_tree(sha256, tree)
    return LoadedTree(tree, sha256, source)


def check_tree_file(path: str | os.PathLike[str] | None = None) -> tuple[LoadedTree | None, list[Problem]]:
    """Every problem in a tree file, each at file:line:col (never from the cache)."""
    file = path if path is not None else _shipped_tree_file()
    source = os.fspath(file)
    try:
        raw = _read_bytes(file, source)
        tree, problems = _validate(raw, source)
    except InputError as error:
        return None, list(error.problems)
    loaded = LoadedTree(tree, hashlib.sha256(raw).hexdigest(), source) if tree else None
    return loaded, problems


def _read_bytes(file: str | os.PathLike[str], source: str) -> bytes:
    # read_text_file gives the one-line errors (missing, directory, too big, not text).
    return read_text_file(file, max_bytes=MAX_TREE_BYTES, what="decision tree").encode("utf-8")


def _validate(raw: bytes, source: str) -> tuple[Tree | None, list[Problem]]:
    from adaptwise.domain.treecheck import check_tree
    from adaptwise.files.validation import parse_tree
    from adaptwise.files.yamlsafe import load_yaml

    located = load_yaml(raw, source)
    tree, findings = parse_tree(located.data)
    if tree is not None:
        findings = check_tree(tree)
    return tree, _place(located, findings, source)


def place_findings(loaded: LoadedTree, findings: list[Finding]) -> list[Problem]:
    """Findings of a later analysis (`check --paths`) at file:line:col of the tree's file."""
    from adaptwise.files.yamlsafe import load_yaml

    file = loaded.source if loaded.source != TREE_FILE_NAME else _shipped_tree_file()
    return _place(load_yaml(_read_bytes(file, loaded.source), loaded.source), findings, loaded.source)


def _place(located: Located, findings: list[Finding], source: str) -> list[Problem]:
    problems = []
    for finding in findings:
        line, column = located.position(finding.path)
        problems.append(
            Problem(
                finding.message,
                file=source,
                line=line,
                column=column,
                question=finding.question,
                expected=finding.expected,
                hint=finding.hint,
            )
        )
    problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
    return problems


def _count(problems: list[Problem]) -> str:
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
