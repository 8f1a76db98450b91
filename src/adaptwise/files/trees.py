"""Finding, loading and checking decision-tree files, with a cache of validated trees.

A tree is validated by pydantic and `treecheck` once per content and code: the validated
`Tree` goes to the user cache folder (`treecache`), so the scripted path loads it without
importing pydantic or PyYAML. Any change to the file, or to the code that validates it,
misses the cache and validates afresh.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass

from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.lineage import TreeStamp
from adaptwise.domain.model import Tree
from adaptwise.files.textfiles import read_text_file
from adaptwise.files.treecache import read_cached_tree, sha256_hex, write_cached_tree

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from pathlib import Path

    from adaptwise.domain.findings import Finding
    from adaptwise.files.overlay import Merged

#: Trees are small; this cap only stops a wrong path from reading a huge file.
MAX_TREE_BYTES = 4 << 20


TREE_FILE_NAME = "decision_tree.yaml"


@dataclass(frozen=True, slots=True)
class LoadedTree:
    tree: Tree
    sha256: str
    """Of the tree file's own text (a company tree's changes alone: `bases` has the rest)."""
    source: str
    """How the tree is named to people: the path given, or the shipped tree's file name."""
    bases: tuple[TreeStamp, ...] = ()
    """For a company tree, the trees it extends, nearest first."""
    chosen_by: str = "shipped"
    """Why this tree is in force: '--tree', 'ADAPTWISE_TREE', 'config file PATH' or 'shipped'."""


#: Names the company tree for every command, below `--tree` and above the config file.
TREE_ENV = "ADAPTWISE_TREE"

#: Overrides the user config folder (platformdirs), where `config.toml` may name the tree.
CONFIG_DIR_ENV = "ADAPTWISE_CONFIG_DIR"

CONFIG_FILE_NAME = "config.toml"


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


def tree_in_force(path: str | os.PathLike[str] | None = None) -> tuple[str, str, str]:
    """The tree file to use, its name for people, and why: `path` (from `--tree`), else
    `ADAPTWISE_TREE`, else the user config file's `tree`, else the shipped tree."""
    if path is not None:
        return os.fspath(path), os.fspath(path), "--tree"
    named = os.environ.get(TREE_ENV)
    if named:
        return named, named, TREE_ENV
    configured = configured_tree()
    if configured is not None:
        file, config = configured
        return file, file, f"config file {config}"
    return _shipped_tree_file(), TREE_FILE_NAME, "shipped"


def config_file() -> str:
    """`config.toml` in the user config folder (`ADAPTWISE_CONFIG_DIR` overrides it)."""
    folder = os.environ.get(CONFIG_DIR_ENV)
    if not folder and sys.platform.startswith("linux"):
        # platformdirs' rule for Linux, without its 30 ms import on every scripted run.
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        folder = os.path.join(base, "adaptwise")
    if not folder:
        from platformdirs import user_config_dir

        folder = user_config_dir("adaptwise", appauthor=False)
    return os.path.join(folder, CONFIG_FILE_NAME)


def configured_tree() -> tuple[str, str] | None:
    """The `tree = "PATH"` of the user config file (relative to the file), and the file."""
    config = config_file()
    if not os.path.isfile(config):
        return None
    import re
    import tomllib

    text = read_text_file(config, max_bytes=1 << 20, what="config file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        message = re.sub(r" \(at line \d+, column \d+\)", "", str(error))
        raise InputError(Problem(f"not valid TOML: {message}", config, line, column)) from None

    def key_line(key: str) -> int | None:
        found = re.search(rf"(?m)^\s*{re.escape(key)}\s*=", text)
        return text.count("\n", 0, found.start()) + 1 if found else None

    for key in data:
        if key != "tree":
            from adaptwise.domain.errors import did_you_mean

            raise InputError(
                Problem(
                    f"unknown setting '{key}'",
                    config,
                    key_line(key),
                    expected='tree = "PATH"',
                    hint=did_you_mean(key, ["tree"]),
                )
            )
    tree = data.get("tree")
    if tree is None:
        return None
    if not isinstance(tree, str) or not tree.strip():
        raise InputError(
            Problem(
                "'tree' is the path of a decision tree file",
                config,
                key_line("tree"),
                expected='tree = "acme_tree.yaml" (relative to this file)',
            )
        )
    return os.path.join(os.path.dirname(config), os.path.expanduser(tree)), config


def load_tree(path: str | os.PathLike[str] | None = None) -> LoadedTree:
    """Load and validate a tree (the one in force by default), refusing any tree `check` faults."""
    file, source, chosen_by = tree_in_force(path)
    raw = _read_in_force(file, source, chosen_by)
    sha256 = sha256_hex(raw)
    cached = read_cached_tree(sha256)
    if cached is not None:
        tree, recorded = cached
        bases = _still_the_same(file, recorded)
        if bases is not None:
            return LoadedTree(tree, sha256, source, bases, chosen_by)
    checked, problems, chain = _validate(file, source, raw)
    if checked is None or problems:
        raise InputError(
            problems,
            f"{source} is not a valid decision tree ({_count(problems)}); "
            f"run `adaptwise check {source}` for the full list",
        )
    # A company tree's entry records the chain, itself first: its `extends` is relative to
    # its folder, so the same text elsewhere may extend another tree.
    recorded = [[os.path.realpath(name), stamp.source, stamp.version, stamp.sha256] for name, stamp in chain]
    if recorded:
        recorded.insert(0, [os.path.realpath(file), source, checked.version, sha256])
    write_cached_tree(sha256, checked, recorded)
    return LoadedTree(checked, sha256, source, tuple(stamp for _, stamp in chain), chosen_by)


def _still_the_same(file: str, recorded: list[list[str]]) -> tuple[TreeStamp, ...] | None:
    """The cached bases, if this is the file that was cached and every tree it extends still
    has the text it had (else None: validate again)."""
    if not recorded:
        return ()
    if any(len(entry) != 4 for entry in recorded) or recorded[0][0] != os.path.realpath(file):
        return None
    bases = []
    for entry in recorded[1:]:
        name, source, version, sha256 = entry
        try:
            raw = _read_bytes(name, source)
        except InputError:
            return None
        if sha256_hex(raw) != sha256:
            return None
        bases.append(TreeStamp(version, sha256, source))
    return tuple(bases)


def check_tree_file(path: str | os.PathLike[str] | None = None) -> tuple[LoadedTree | None, list[Problem]]:
    """Every problem in a tree file (and the trees it extends), each at file:line:col
    (never from the cache)."""
    file, source, chosen_by = tree_in_force(path)
    if path is None and chosen_by == "shipped":
        source = file  # `adaptwise check` names the shipped file in full
    try:
        raw = _read_in_force(file, source, chosen_by)
        tree, problems, chain = _validate(file, source, raw)
    except InputError as error:
        return None, list(error.problems)
    bases = tuple(stamp for _, stamp in chain)
    loaded = LoadedTree(tree, sha256_hex(raw), source, bases, chosen_by) if tree else None
    return loaded, problems


def _read_in_force(file: str, source: str, chosen_by: str) -> bytes:
    """The tree's bytes; a tree that cannot be read says who named it, when it was not `--tree`."""
    try:
        return _read_bytes(file, source)
    except InputError as error:
        if chosen_by in ("--tree", "shipped"):
            raise
        hint = f"the tree in force is named by {chosen_by}"
        raise InputError(
            [dataclasses.replace(problem, hint=problem.hint or hint) for problem in error.problems], error.summary
        ) from None


def _read_bytes(file: str | os.PathLike[str], source: str) -> bytes:
    # read_text_file gives the one-line errors (missing, directory, too big, not text).
    return read_text_file(file, max_bytes=MAX_TREE_BYTES, what="decision tree").encode("utf-8")


def _validate(file: str, source: str, raw: bytes) -> tuple[Tree | None, list[Problem], list[tuple[str, TreeStamp]]]:
    from adaptwise.domain.treecheck import check_tree
    from adaptwise.files.validation import parse_tree

    merged, chain, problems = _merged(file, source, raw)
    tree, findings = parse_tree(merged.data)
    if tree is not None:
        from adaptwise.domain.figures import cite_figures

        tree, findings = cite_figures(tree)
        findings += check_tree(tree)
    return tree, _sorted(merged, problems + _place(merged, findings)), chain


def _merged(file: str, source: str, raw: bytes) -> tuple[Merged, list[tuple[str, TreeStamp]], list[Problem]]:
    """The tree's data merged over every tree it extends; each base's file and stamp."""
    from adaptwise.files.overlay import read_chain

    def read(name: str, shown: str) -> bytes:
        return raw if name == file else _read_bytes(name, shown)

    merged, bases, problems = read_chain(file, source, read, lambda: (_shipped_tree_file(), TREE_FILE_NAME))
    chain: list[tuple[str, TreeStamp]] = []
    version = "unversioned"
    for base_file, located, base_raw in reversed(bases):  # the deepest first: a version is inherited
        data = located.data
        if isinstance(data, dict) and isinstance(data.get("version"), str):
            version = data["version"]
        chain.insert(0, (base_file, TreeStamp(version, sha256_hex(base_raw), located.source)))
    return merged, chain, problems


def place_findings(loaded: LoadedTree, findings: list[Finding]) -> list[Problem]:
    """Findings of a later analysis (`check --paths`) at file:line:col of the tree's files."""
    file = _shipped_tree_file() if loaded.source == TREE_FILE_NAME else loaded.source
    merged, _, _ = _merged(file, loaded.source, _read_bytes(file, loaded.source))
    return _sorted(merged, _place(merged, findings))


def _place(merged: Merged, findings: list[Finding]) -> list[Problem]:
    from adaptwise.files.overlay import dangling_removal

    top = merged.layers[0].source
    problems = []
    for finding in findings:
        file, line, column = merged.where(finding.path)
        problem = Problem(
            finding.message,
            file=file,
            line=line,
            column=column,
            question=finding.question,
            expected=finding.expected,
            hint=finding.hint,
        )
        if merged.removals:
            where = f"{file}:{line}:{column}" + (", in the tree it extends" if file != top else "")
            removed = dangling_removal(merged.removals, finding, where)
            if removed is not None:
                problem = dataclasses.replace(removed, question=finding.question)
        problems.append(problem)
    return problems


def _sorted(merged: Merged, problems: list[Problem]) -> list[Problem]:
    """In reading order: the tree asked for first, then each tree it extends."""
    rank = {layer.source: index for index, layer in reversed(list(enumerate(merged.layers)))}
    return sorted(
        problems, key=lambda problem: (rank.get(problem.file or "", 0), problem.line or 0, problem.column or 0)
    )


def _count(problems: list[Problem]) -> str:
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
