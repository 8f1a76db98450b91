"""Text that reaches a terminal or a report: finding and removing characters that could
fool either (control, bidi and zero-width characters).
"""

from __future__ import annotations

import re

# Patterns stay strings until first use (`re` caches them) to keep import time down.
_UNSAFE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


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

    Control characters other than tab and newline (C0, DEL, C1), bidirectional controls
    and zero-width characters. The description reads like "U+001B ESCAPE".
    """
    found = re.search(_UNSAFE, text)
    if found is None:
        return None
    character = found.group()
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    if name is None:
        import unicodedata

        name = unicodedata.name(character, "CONTROL CHARACTER")
    return found.start(), f"U+{code:04X} {name}"


# Control characters (C0 but tab/newline, DEL, C1), bidi controls and zero-width characters:
# the same set `yamlsafe.find_unsafe_character` reports, removed rather than refused here.
_UNSAFE_TYPED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def clean_text(text: str, max_length: int | None = None) -> str:
    """Typed free text made safe to store and show: one line, no control characters.

    Escape sequences lose their ESC (so `\\x1b]2;x\\x07` becomes the harmless `]2;x`),
    whitespace runs collapse to one space, and the result is cut to `max_length`.
    """
    text = " ".join(_UNSAFE_TYPED.sub("", text).split())
    if max_length is not None:
        text = text[:max_length].rstrip()
    return text
