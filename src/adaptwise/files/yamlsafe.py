"""Load YAML that may be hostile into plain JSON-like data, remembering where each value was.

One pass over PyYAML's event stream builds the data without recursion, so nothing
deeper than `max_depth` is ever composed (libyaml's composer segfaults on very deep
input, the pure-Python one hits RecursionError). Refused, each at its line:column:
anchors and aliases (alias bombs), explicit tags, more than one document, duplicate
keys, keys that are not text, terminal control and bidi characters in any string, and
values whose meaning depends on the YAML version:

* `yes`/`no`/`on`/`off`/`y`/`n` are booleans in YAML 1.1; only `true`/`false`
  (also `True`, `TRUE` ...) are accepted as booleans;
* octal (`010`), hexadecimal, binary, base-60 (`1:20`) and `1_000`-style numbers, and
  `.inf`/`.nan`, are refused rather than silently read as YAML 1.1 numbers;
* `<<` merge keys are refused.

Anything accepted means what `yaml.safe_load` would make of it, except that dates
and times (`2024-01-01`) stay the plain text they were written as. The rules for unquoted
scalars live in `yamlscalars`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.text import find_unsafe_character
from adaptwise.files.textfiles import decode_text, read_text_file
from adaptwise.files.yamlscalars import TAG, TEXT, plain_scalar, printable

TYPE_CHECKING = False  # `typing` costs start-up time; annotations are never evaluated
if TYPE_CHECKING:
    from typing import Any


DataPath = tuple[str | int, ...]


#: Stop collecting after this many problems: enough to fix a file, not so many that a
#: megabyte of `- yes` lines costs seconds.
_MAX_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class Located:
    """Loaded data plus the 1-based (line, column) of every value and mapping key."""

    data: Any
    positions: dict[DataPath, tuple[int, int]]
    key_positions: dict[DataPath, tuple[int, int]]
    source: str

    def position(self, path: DataPath | list[str | int]) -> tuple[int | None, int | None]:
        """Best known position for `path`: its value, its key, or the nearest ancestor's."""
        path = tuple(path)
        if path in self.positions:
            return self.positions[path]
        if path in self.key_positions:
            return self.key_positions[path]
        for end in range(len(path) - 1, -1, -1):
            ancestor = path[:end]
            found = self.positions.get(ancestor) or self.key_positions.get(ancestor)
            if found:
                return found
        return None, None


def load_yaml_file(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = 1 << 20,
    what: str = "answers file",
    questions_at_top: bool = False,
) -> Located:
    """Read a file (size-capped, UTF-8) and load it with `load_yaml`."""
    text = read_text_file(path, max_bytes=max_bytes, what=what)
    return load_yaml(text, os.fspath(path), questions_at_top=questions_at_top)


def load_yaml(text: str | bytes, source: str, *, max_depth: int = 64, questions_at_top: bool = False) -> Located:
    """Load one YAML document safely; any problem becomes an `InputError` located in `source`.

    An empty document (nothing, only comments, or `~`) gives data None. With
    `questions_at_top` (answers files), a problem inside a top-level key's value names
    that key as the question.
    """
    import yaml  # 25 ms to import; only paid by commands that read YAML

    if isinstance(text, bytes):
        text = decode_text(text, source)
    else:
        text = text.removeprefix("\ufeff")
        if "\x00" in text:
            raise InputError(Problem("is not a text file (it contains NUL characters)", file=source))
    builder = _Builder(source, max_depth, questions_at_top)
    try:
        if yaml.__with_libyaml__:
            try:
                _scan(text, yaml.CSafeLoader, builder)
            except yaml.MarkedYAMLError as error:
                if "nesting depth" not in (error.problem or ""):
                    raise
                # libyaml (0.2.6 on) scans ahead and can reach a nesting limit of its
                # own before our scan sees `max_depth`. The pure-Python parser reads no
                # further than it must, so our limit fires first: one limit and one
                # message whatever PyYAML is installed, paid only by refused input.
                builder = _Builder(source, max_depth, questions_at_top)
                _scan(text, yaml.SafeLoader, builder)
        else:
            _scan(text, yaml.SafeLoader, builder)
    except _Stop:
        pass
    except yaml.MarkedYAMLError as error:
        builder.add_syntax_error(error)
    except yaml.reader.ReaderError as error:
        builder.add_reader_error(error, text)
    except yaml.YAMLError as error:
        builder.add(f"not valid YAML: {error}", None)
    # The scan never recurses, but libyaml and the int parser have limits of their own.
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        builder.add(f"cannot be read as YAML ({type(error).__name__}: {error})", None)
    if builder.problems:
        problems = sorted(builder.problems, key=_reading_order)
        summary = f"{source} has {len(problems)} problems" if len(problems) > 1 else None
        raise InputError(problems, summary)
    return Located(builder.root, builder.positions, builder.key_positions, source)


def _scan(text: str, loader: Any, builder: _Builder) -> None:
    import yaml

    for event in yaml.parse(text, Loader=loader):
        builder.take(event)


class _Stop(Exception):
    """Raised inside the scan when reading further would be unsafe or pointless."""


_NO_KEY = object()


class _Frame:
    """A mapping or sequence being filled, and where its children go."""

    __slots__ = ("container", "key", "key_mark", "path", "seen")

    def __init__(self, container: dict[Any, Any] | list[Any], path: DataPath):
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY  # a mapping's pending key, while its value is read
        self.key_mark: tuple[int, int] | None = None
        self.seen: dict[str, int] = {}  # mapping key -> line it was first seen on


class _Builder:
    """Turns parser events into data, positions and problems."""

    def __init__(self, source: str, max_depth: int, questions_at_top: bool = False):
        import yaml

        self.questions_at_top = questions_at_top
        self.yaml = yaml
        self.resolver = yaml.resolver.Resolver()
        self.source = source
        self.max_depth = max_depth
        self.stack: list[_Frame] = []
        self.documents = 0
        self.root: Any = None
        self.positions: dict[DataPath, tuple[int, int]] = {}
        self.key_positions: dict[DataPath, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    # -- problems -------------------------------------------------------------

    def add(self, message: str, mark: Any, hint: str | None = None) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        self.problems.append(Problem(message, self.source, line, column, question=self._question(), hint=hint))

    def _question(self) -> str | None:
        """In an answers file, the top-level key whose value is being read names the question."""
        if not self.questions_at_top or not self.stack:
            return None
        top = self.stack[0]
        return top.key if isinstance(top.container, dict) and isinstance(top.key, str) else None

    def stop(self, message: str, mark: Any, hint: str | None = None) -> None:
        self.add(message, mark, hint)
        raise _Stop

    def add_syntax_error(self, error: Any) -> None:
        mark = error.problem_mark or error.context_mark
        hint = None
        if error.problem and error.context:
            hint = error.context
            if error.context_mark is not None and error.context_mark is not mark:
                hint += f" started at line {error.context_mark.line + 1}"
        self.add(f"not valid YAML: {error.problem or error.context}", mark, hint=hint)

    def add_reader_error(self, error: Any, text: str) -> None:
        """A character YAML forbids anywhere; the reader reports only an offset."""
        character = chr(error.character) if isinstance(error.character, int) else ""
        offset = error.position
        # libyaml's offset counts bytes, not characters: then look for the character.
        if not (isinstance(offset, int) and text[offset : offset + 1] == character):
            offset = text.find(character) if character else -1
        line, column = _line_column(text, offset) if offset >= 0 else (None, None)
        unsafe = find_unsafe_character(character)
        shown = unsafe[1] if unsafe else f"U+{ord(character):04X}" if character else "a character"
        self.problems.append(
            Problem(
                f"contains the character {shown}, which YAML does not allow",
                self.source,
                line,
                column,
                hint="remove it",
            )
        )

    # -- events -----------------------------------------------------------------

    def take(self, event: Any) -> None:
        if len(self.problems) >= _MAX_PROBLEMS:
            raise _Stop
        yaml = self.yaml
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.stop(
                    "more than one YAML document (a second one starts here)",
                    event.start_mark,
                    hint="keep everything in one document: remove this '---' and what follows, "
                    "or merge it into the first",
                )
            return
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            self.stop(
                f"YAML anchors and aliases ({sign}{printable(event.anchor)}) are not allowed",
                event.start_mark,
                hint="adaptwise files never need them: write each value out in full",
            )
        if isinstance(event, yaml.ScalarEvent):
            self._check_tag(event)
            self._place(self._scalar(event), event.start_mark, is_scalar=True)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_tag(event)
            if len(self.stack) >= self.max_depth:
                self.stop(f"nested more than {self.max_depth} levels deep", event.start_mark)
            container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self._place(container, event.start_mark, is_scalar=False)
            self.stack.append(_Frame(container, path))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()

    def _place(self, value: Any, mark: Any, *, is_scalar: bool) -> DataPath:
        """Put a new value where the parser says it goes; return its path."""
        position = (mark.line + 1, mark.column + 1)
        if not self.stack:
            self.root = value
            self.positions[()] = position
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.positions[path] = position
            return path
        if frame.key is _NO_KEY:
            frame.key = self._key(value, mark, is_scalar, frame)
            frame.key_mark = position
            return (*frame.path, "<key>")  # a complex key's insides are never kept
        path = (*frame.path, frame.key)
        frame.container[frame.key] = value
        self.positions[path] = position
        if frame.key_mark is not None:
            self.key_positions[path] = frame.key_mark
        frame.key = _NO_KEY
        return path

    def _key(self, key: Any, mark: Any, is_scalar: bool, frame: _Frame) -> Any:
        """The key to file the next value under: the text, or a stand-in if it is bad."""
        if not isinstance(key, str):
            if not is_scalar:
                shown, hint = "a list or mapping", "use a plain name as the key"
            elif key is None:
                shown, hint = "null", "give the key a name"
            else:
                written = _as_yaml(key)
                kind = "boolean" if isinstance(key, bool) else "number"
                shown, hint = f"the {kind} {written}", f'quote it: "{written}":'
            self.add(f"mapping keys must be text, not {shown}", mark, hint=hint)
            return object()  # unique, so it never collides with another key
        first = frame.seen.get(key)
        if first is not None:
            self.add(
                f"duplicate key '{printable(key)}' (lines {first} and {mark.line + 1}); "
                "YAML would silently keep only the last",
                mark,
                hint="remove one of them",
            )
            return object()
        frame.seen[key] = mark.line + 1
        return key

    def _check_tag(self, event: Any) -> None:
        if event.tag is not None:
            shown = printable(event.tag, limit=60)
            if shown.startswith(TAG):
                shown = "!!" + shown[len(TAG) :]
            self.add(
                f"explicit YAML tags ({shown}) are not allowed",
                event.start_mark,
                hint="remove the tag; quote the value if the '!' is part of the text",
            )

    # -- scalars ---------------------------------------------------------------

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        if event.tag is not None or not event.implicit[0]:
            return self._text(value, event)  # quoted, block, or tagged (already refused)
        meaning = plain_scalar(value, event.start_mark, self.resolver, self.add)
        return self._text(value, event) if meaning is TEXT else meaning

    def _text(self, value: str, event: Any) -> str:
        unsafe = find_unsafe_character(value)
        if unsafe is not None:
            index, character = unsafe
            self.add(
                f"text contains the unsafe character {character} (character {index + 1} of the text)",
                event.start_mark,
                hint="control, bidirectional and zero-width characters can disguise what a terminal shows; remove it",
            )
        return value


def _as_yaml(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _reading_order(problem: Problem) -> tuple[int, int]:
    return (problem.line or 0, problem.column or 0)
