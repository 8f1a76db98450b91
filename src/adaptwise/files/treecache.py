"""The cache of validated trees: plain JSON data, trusted only in a folder of our own.

A tree that passed validation is stored as JSON that names the model's dataclasses, and
rebuilt from it without validating again, so the scripted path never imports pydantic or
PyYAML. Loading it can build only frozen dataclasses of `adaptwise.domain`; nothing in the
file can run code. The file is named by the sha256 of the tree's bytes and of the code
that validates trees: every module of `adaptwise.domain` and `adaptwise.files`, subpackages
included (by the import-linter layers, all that validation can import), so an edit to the
model, the checks, the validation or the YAML loader never meets a stale entry. A cache file or
folder that someone else owns, or that others may write to, is never read or written.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import sys

from adaptwise import __version__
from adaptwise.domain.model import Tree

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from hashlib import sha256
    from typing import Any
else:
    try:  # CPython's own SHA-256: the same digests as hashlib's, without loading OpenSSL (2 ms)
        from _sha256 import sha256
    except ImportError:  # another Python, or 3.12 and later (where it is `_sha2`)
        from hashlib import sha256

CACHE_DIR_ENV = "ADAPTWISE_CACHE_DIR"


#: Part of the key: bump it when the file's layout changes.
_FORMAT = "2"


#: A cache file is a few tens of KiB for the shipped tree; anything far larger is not ours.
_MAX_BYTES = 16 << 20


#: The packages whose code decides whether a tree is valid and what it loads as.
_VALIDATING_PACKAGES = ("domain", "files")


# Paths as strings: importing pathlib costs 3 ms that a warm `recommend` need not pay.
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


_fingerprint: str | None = None


def code_fingerprint(package_dir: str | os.PathLike[str] = _PACKAGE_DIR) -> str | None:
    """The sha256 of every source of `adaptwise.domain` and `adaptwise.files`, their
    subpackages included (and of the package's `__init__`), or None if one cannot be read:
    then nothing is cached, since a key that misses code is no key. About 1 ms for some 60
    files, once per process."""
    digest = sha256(f"{__version__}\0{_FORMAT}\0".encode())
    try:
        digest.update(_read(os.path.join(package_dir, "__init__.py")))
        for package in _VALIDATING_PACKAGES:
            for name in _sources(os.path.join(package_dir, package), package):
                digest.update(f"{name}\0".encode())
                digest.update(_read(os.path.join(package_dir, name)))
                digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _sources(folder: str, package: str) -> list[str]:
    """The `.py` files under `folder`, as paths from the package's root ("domain/report/x.py"),
    in one order that does not depend on the file system's."""
    names: list[str] = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.endswith(".py"):
            names.append(f"{package}/{entry}")
        elif entry != "__pycache__" and os.path.isfile(os.path.join(path, "__init__.py")):
            names.extend(_sources(path, f"{package}/{entry}"))
    return names


def sha256_hex(data: bytes) -> str:
    """The sha256 of `data`, in hex."""
    return sha256(data).hexdigest()


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def cache_file(tree_sha256: str) -> str | None:
    """Where the validated tree with these bytes is cached, or None when caching is off."""
    folder = os.environ.get(CACHE_DIR_ENV)
    if folder == "":
        return None  # set but empty: caching is off
    if folder is None:
        folder = user_cache_folder()
    global _fingerprint  # noqa: PLW0603 (computed once per process: it reads every source)
    if _fingerprint is None:
        _fingerprint = code_fingerprint()
    if _fingerprint is None:
        return None
    key = sha256(f"{tree_sha256}\0{_fingerprint}".encode()).hexdigest()
    return os.path.join(folder, f"tree-{key[:40]}.json")


def user_cache_folder() -> str:
    """The user cache folder for adaptwise, as platformdirs names it.

    On Linux this is platformdirs' own rule (an absolute `XDG_CACHE_HOME`, else `~/.cache`),
    without importing platformdirs, which costs a warm `recommend` several milliseconds; any
    other platform, or a home that is not an absolute path, asks platformdirs itself.
    """
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(home):
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.join(home, ".cache")
        return os.path.join(base, "adaptwise")
    from platformdirs import user_cache_dir

    return user_cache_dir("adaptwise", appauthor=False)


def read_cached_tree(tree_sha256: str) -> tuple[Tree, list[list[str]]] | None:
    """The cached tree and the bases it was merged with, as `write_cached_tree` was given
    them, or None: no entry, caching off, an untrusted or unreadable file."""
    file = cache_file(tree_sha256)
    if file is None or not _trusted_folder(os.path.dirname(file)):
        return None
    try:
        descriptor = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size > _MAX_BYTES:
            return None
        data = stream.read(_MAX_BYTES + 1)
    try:
        bases, tree = _decode(data)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    plain = isinstance(bases, list) and all(
        isinstance(base, list) and all(isinstance(part, str) for part in base) for base in bases
    )
    return (tree, bases) if isinstance(tree, Tree) and plain else None


def write_cached_tree(tree_sha256: str, tree: Tree, bases: list[list[str]] | None = None) -> None:
    """Best effort: a read-only, missing or untrusted cache folder only costs speed.

    `bases` (text only) is kept beside the tree: for a company tree, the files it extends
    and their sha256, which the reader checks before trusting the entry.
    """
    from pathlib import Path

    from adaptwise.files.output import write_file

    file = cache_file(tree_sha256)
    if file is None:
        return
    try:
        os.makedirs(os.path.dirname(file), mode=0o700, exist_ok=True)
        if _trusted_folder(os.path.dirname(file)):
            write_file(Path(file), _encode(tree, bases or []), replace=True, mode=0o600)
    except (OSError, TypeError, ValueError):
        pass


# -- trust -----------------------------------------------------------------------


def _ours(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (where the platform has owners)."""
    if not hasattr(os, "getuid"):
        return True  # Windows: no POSIX owners or modes; the data still cannot run code
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted_folder(folder: str) -> bool:
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and _ours(info)


# -- the data ----------------------------------------------------------------------
# The file is [bases, tree]. In the tree every JSON object is a wrapper, so no key of the
# tree's own can be mistaken for one: {"c": "module:Class", "f": [field values]}, {"t":
# [items]} for a tuple, {"d": [[key, value], ...]} for a mapping; arrays are lists, and the
# rest is JSON's own scalars.


def _encode(tree: Tree, bases: list[list[str]]) -> bytes:
    import json

    return json.dumps([bases, _plain(tree)], ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = [_plain(getattr(value, field.name)) for field in dataclasses.fields(value)]
        return {"c": f"{kind.__module__}:{kind.__qualname__}", "f": fields}
    if isinstance(value, tuple):
        return {"t": [_plain(item) for item in value]}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("cannot cache a mapping whose keys are not text")
        return {"d": [[key, _plain(item)] for key, item in value.items()]}
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(data: bytes) -> Any:
    import json

    classes: dict[str, type] = {}

    def rebuild(wrapper: dict[str, Any]) -> Any:
        if "t" in wrapper:
            return tuple(wrapper["t"])
        if "d" in wrapper:
            return dict(wrapper["d"])
        name = wrapper["c"]
        kind = classes.get(name)
        if kind is None:
            kind = classes[name] = _model_class(name)
        return kind(*wrapper["f"])

    return json.loads(data.decode("utf-8"), object_hook=rebuild)


def _model_class(name: str) -> type:
    """A dataclass defined in an already imported `adaptwise.domain` module, or KeyError.

    Never imports anything and never hands out anything but a dataclass of the domain, so
    a file naming `os:system` gets nowhere.
    """
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name) if module_name.startswith("adaptwise.domain.") else None
    kind = vars(module).get(qualname) if module is not None else None
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind) and kind.__module__ == module_name):
        raise KeyError(name)
    return kind
