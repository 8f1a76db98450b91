"""Reading input files: size-capped, UTF-8 text only, with one-line errors."""

from __future__ import annotations

import os
import stat

from adaptwise.domain.errors import InputError, Problem, os_problem

_MIB = 1 << 20


_KIB = 1 << 10


def human_size(size: int) -> str:
    """A byte count as people read it: '812 bytes', '4.5 KiB', '3.2 MiB', '1 MiB'."""
    for unit, scale in (("MiB", _MIB), ("KiB", _KIB)):
        if size >= scale:
            amount = f"{size / scale:.1f}".removesuffix(".0")
            return f"{amount} {unit}"
    return f"{size} byte{'' if size == 1 else 's'}"


#: Byte-order marks of encodings we do not read, longest first (UTF-32's starts like UTF-16's).
_FOREIGN_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 bytes as text (a leading BOM dropped), or an error saying why it is not text."""
    for mark, encoding in _FOREIGN_BOMS:
        if data.startswith(mark):
            raise InputError(
                Problem(
                    f"is not a text file we can read (it is {encoding})",
                    file=name,
                    hint="save it as UTF-8",
                )
            )
    # NUL never occurs in text we accept, and is the surest sign of a binary file.
    if b"\x00" in data:
        raise InputError(Problem("is not a text file (it contains NUL bytes)", file=name))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise InputError(
            Problem(
                f"is not a text file (byte 0x{bad} at offset {error.start} is not UTF-8)",
                file=name,
                hint="save it as UTF-8 text",
            )
        ) from None
    return text.removeprefix("\ufeff")


#: What a path is when it is not a regular file, in the words of `ls -l`'s first letter.
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(mode: int) -> str | None:
    """Why a file of this `st_mode` is no input file ('is a directory, not a file'), or None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((kind for test, kind in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a file"


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int, what: str) -> str:
    """The UTF-8 text of a regular file no larger than `max_bytes`; `what` names it in errors.

    Only regular files are read, everywhere: a FIFO, device or socket could block forever
    or never end, so it is refused before a byte is read (opened without blocking, then
    looked at). Every OSError becomes one line naming the path and the cause.
    """
    name = os.fspath(path)

    def refuse(message: str, hint: str | None = None) -> InputError:
        return InputError(Problem(message, file=name, hint=hint))

    try:
        # O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait for a writer.
        with open(path, "rb", opener=_open_without_blocking) as handle:
            info = os.fstat(handle.fileno())
            if (kind := not_a_file(info.st_mode)) is not None:
                raise refuse(kind)
            cap = human_size(max_bytes)
            if info.st_size > max_bytes:
                size = human_size(info.st_size)
                if size == cap:  # "is 1 MiB; capped at 1 MiB" would read as no reason at all
                    size = f"{info.st_size:,} bytes"
                raise refuse(f"is {size}; {what}s are capped at {cap}")
            # Read one byte past the cap: a file may grow while it is read.
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise refuse(f"is over {cap}, the cap for {what}s")
    except FileNotFoundError:
        if os.path.lexists(name):
            raise refuse(f"is a symbolic link to {os.path.realpath(name)}, which does not exist") from None
        raise refuse("no such file", _sibling_hint(name)) from None
    except IsADirectoryError:
        raise refuse("is a directory, not a file") from None
    except OSError as error:
        raise InputError(os_problem(error, name, f"read this {what}")) from None
    return decode_text(data, name)


def _open_without_blocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _sibling_hint(name: str) -> str | None:
    """'did you mean ...' for a mistyped file name, from the files beside it (never itself)."""
    import difflib

    folder = os.path.dirname(name)
    try:
        siblings = [os.path.join(folder, sibling) for sibling in os.listdir(folder or ".")]
    except OSError:
        return None
    siblings = [sibling for sibling in siblings if sibling != name]
    # Stricter than errors.did_you_mean: names sharing a suffix like ".yaml" look alike.
    close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.85)
    return f"did you mean '{close[0]}'?" if close else None
