"""User text written into Markdown and YAML so that it stays literal (never a heading,
table, link or HTML, and never a YAML value of another type), and data as strict JSON.
"""

from __future__ import annotations

import json
import re

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


_PLAIN_YAML = re.compile(r"^[a-z][a-z0-9_]*$")


_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def escape_markdown(text: str) -> str:
    """User text as literal Markdown: no markup, no HTML, one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def answers_yaml(answers: dict[str, str]) -> str:
    """Answers as a YAML answers file that replays the decision (no PyYAML needed)."""
    lines = []
    for key, value in answers.items():
        plain = _PLAIN_YAML.match(value) and value not in _YAML_WORDS
        # A JSON string is a valid YAML double-quoted scalar, escapes included.
        lines.append(f"{key}: {value if plain else json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def json_text(data: object) -> str:
    """Data as strict JSON, indented: a NaN or an infinity is a bug, never `NaN` in output."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
