"""Text that reaches a terminal or a report: finding, removing and escaping characters that
could fool either (control, bidi and zero-width characters), all from one set.
"""

from __future__ import annotations

import re

#: Every character that can make text show something other than what it holds, range by
#: range with the reason. One set for every path: files refuse them (`find_unsafe_character`),
#: typed text loses them (`clean_text`), messages escape them (`escape_unsafe`).
UNSAFE_RANGES: tuple[tuple[str, str], ...] = (
    ("\x00-\x08", "C0 controls before tab: NUL ends strings in C, BACKSPACE rubs out what was shown"),
    ("\x0b-\x1f", "C0 controls after newline: CR overwrites the line, ESC starts terminal escape sequences"),
    ("\x7f-\x9f", "DEL and the C1 controls: CSI, OSC and ST are escape sequences on their own"),
    ("\u061c", "ARABIC LETTER MARK: an invisible bidi control"),
    ("\u200b-\u200f", "zero-width space and (non-)joiner, LRM and RLM: invisible, and the marks reorder text"),
    ("\u202a-\u202e", "bidi embeddings and overrides: show text in another order than it is read (Trojan Source)"),
    ("\u2060-\u2064", "word joiner and the invisible operators: characters that show nothing"),
    ("\u2066-\u206f", "bidi isolates, then the deprecated format controls (symmetric swapping, digit shapes)"),
    ("\ufeff", "zero-width no-break space: a byte-order mark inside text is invisible"),
)


#: Lone surrogates are no characters at all: Python's stand-ins for bytes that were not
#: UTF-8 in a file name or an argument. No file can hold them (UTF-8 cannot encode them),
#: so only text from the system meets them, and every output must escape them.
_SURROGATES = "\ud800-\udfff"


# A string until first use (`re` caches compiled patterns) to keep import time down.
_UNSAFE = "[" + "".join(characters for characters, _why in UNSAFE_RANGES) + _SURROGATES + "]"


# Unicode gives control characters no names, only aliases; these are the ones worth
# recognising in an error message.
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x90: "DEVICE CONTROL STRING",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
    0x9C: "STRING TERMINATOR",
    0x9D: "OPERATING SYSTEM COMMAND",
}


def find_unsafe_character(text: str) -> tuple[int, str] | None:
    """The first character that could fool a terminal or reader, as (index, description).

    Any character of `UNSAFE_RANGES`: control characters other than tab and newline (C0,
    DEL, C1), bidirectional controls and zero-width characters. The description reads like
    "U+001B ESCAPE".
    """
    found = re.search(_UNSAFE, text)
    if found is None:
        return None
    character = found.group()
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    if 0xD800 <= code <= 0xDFFF:
        name = "SURROGATE (a byte that is not UTF-8)"
    if name is None:
        import unicodedata

        name = unicodedata.name(character, "CONTROL CHARACTER")
    return found.start(), f"U+{code:04X} {name}"


def escape_unsafe(text: str) -> str:
    """`text` with each unsafe character written as its `\\uXXXX` escape, for messages."""
    return re.sub(_UNSAFE, lambda found: f"\\u{ord(found.group()):04x}", text)


def escape_for_output(text: str) -> str:
    """`escape_unsafe` for whole outputs (stdout, stderr, files written): the same, except
    that a CR LF line ending stays, since a carriage return before a newline overwrites
    nothing."""
    return re.sub(r"(?!\r\n)" + _UNSAFE, lambda found: f"\\u{ord(found.group()):04x}", text)


#: How much of one value from the input a message repeats: enough to recognise it.
MAX_ECHO = 40


def echo(value: object, limit: int = MAX_ECHO) -> str:
    """A value from the input as every message repeats it: unsafe characters escaped, and
    cut to `limit` characters (with its length said), so a hostile or 3 MB value shows as
    a short, harmless line. The one way values are echoed (`printable` in yamlscalars too).
    """
    shown = escape_unsafe(value if isinstance(value, str) else str(value))
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… ({len(shown):,} characters)"


def clean_text(text: str, max_length: int | None = None) -> str:
    """Typed free text made safe to store and show: one line, no unsafe characters.

    Escape sequences lose their ESC (so `\\x1b]2;x\\x07` becomes the harmless `]2;x`),
    whitespace runs collapse to one space, and the result is cut to `max_length`.
    """
    text = " ".join(re.sub(_UNSAFE, "", text).split())
    if max_length is not None:
        text = text[:max_length].rstrip()
    return text


def slug(text: str, limit: int = 40) -> str:
    """'Claims triage (EU)!' -> 'claims-triage-eu', for file names."""
    words = "".join(ch.lower() if ch.isalnum() else " " for ch in clean_text(text)).split()
    return "-".join(words)[:limit].strip("-")
