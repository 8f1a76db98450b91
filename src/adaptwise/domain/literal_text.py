"""User text written into Markdown and YAML so that it stays literal (never a heading,
table, link or HTML, and never a YAML value of another type), and data as strict JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


_PLAIN_YAML = re.compile(r"^[a-z][a-z0-9_]*$")


_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def escape_markdown(text: str) -> str:
    """User text as literal Markdown: no markup, no HTML, one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def answers_yaml(answers: Mapping[str, str | list[str]]) -> str:
    """Answers as a YAML answers file that replays the decision (no PyYAML needed); a
    combination (`Tree.answers_data`) as a flow list, `base_models: [a, b]`."""
    lines = []
    for key, value in answers.items():
        written = "[" + ", ".join(map(_yaml_scalar, value)) + "]" if isinstance(value, list) else _yaml_scalar(value)
        lines.append(f"{key}: {written}")
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: str) -> str:
    plain = _PLAIN_YAML.match(value) and value not in _YAML_WORDS
    # A JSON string is a valid YAML double-quoted scalar, escapes included.
    return value if plain else json.dumps(value, ensure_ascii=False)


def json_text(data: object) -> str:
    """Data as strict JSON, indented: a NaN or an infinity is a bug, never `NaN` in output."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
