"""Reading input files: size-capped, UTF-8 text only, with one-line errors."""

from __future__ import annotations

import os
import stat

from adaptwise.domain.errors import InputError, Problem

_MIB = 1 << 20


_KIB = 1 << 10


def human_size(size: int) -> str:
    """A byte count as people read it: '812 bytes', '4.5 KiB', '3.2 MiB', '1 MiB'."""
    for unit, scale in (("MiB", _MIB), ("KiB", _KIB)):
        if size >= scale:
            amount = f"{size / scale:.1f}".removesuffix(".0")
            return f"{amount} {unit}"
    return f"{size} byte{'' if size == 1 else 's'}"


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 bytes as text (a leading BOM dropped), or an error saying why it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            Problem(
                "is not a text file we can read (it is UTF-16)",
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


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int, what: str) -> str:
    """The UTF-8 text of a file no larger than `max_bytes`; `what` names it in errors."""
    name = os.fspath(path)

    def refuse(message: str, hint: str | None = None) -> InputError:
        return InputError(Problem(message, file=name, hint=hint))

    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise refuse("is a directory, not a file")
            cap = human_size(max_bytes)
            if info.st_size > max_bytes:
                raise refuse(f"is {human_size(info.st_size)}; {what}s are capped at {cap}")
            # Read one byte past the cap: pipes and growing files have no trustworthy size.
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise refuse(f"is over {cap}, the cap for {what}s")
    except FileNotFoundError:
        raise refuse("no such file", _sibling_hint(name)) from None
    except IsADirectoryError:
        raise refuse("is a directory, not a file") from None
    except PermissionError:
        raise refuse(f"permission denied; cannot read this {what}") from None
    except OSError as error:
        raise refuse(f"cannot read this {what} ({error.strerror or error})") from None
    return decode_text(data, name)


def _sibling_hint(name: str) -> str | None:
    """'did you mean ...' for a mistyped file name, from the files beside it."""
    import difflib

    folder = os.path.dirname(name)
    try:
        siblings = [os.path.join(folder, sibling) for sibling in os.listdir(folder or ".")]
    except OSError:
        return None
    # Stricter than errors.did_you_mean: names sharing a suffix like ".yaml" look alike.
    close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.85)
    return f"did you mean '{close[0]}'?" if close else None
