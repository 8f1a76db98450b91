"""User text written into Markdown and YAML so that it stays literal (never a heading,
table, link or HTML, and never a YAML value of another type), and data as strict JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

#: What Markdown (CommonMark with GitHub's tables, strikethrough and autolinks) reads as
#: markup anywhere in a line: emphasis, code, links, HTML, entities, table cells, links
#: made from `http://`, `www.` and e-mail addresses. A `_` between two letters or digits
#: is never emphasis, so `budget_owner` stays as it is.
_INLINE_MARKUP = re.compile(
    r"[\\`*\[\]<|~@]"
    r"|(?<![^\W_])_|_(?![^\W_])"
    r"|&(?=#?[0-9A-Za-z]+;)"
    r"|:(?=//)"
    r"|(?<=www)\.",
    re.IGNORECASE,
)

#: What starts a block at the beginning of a line: a heading, a quote, a list item, a
#: thematic break or a setext underline (`1.` or `1)` as well).
_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d{1,9}(?=[.)]))")


_PLAIN_YAML = re.compile(r"^[a-z][a-z0-9_]*$")


_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def escape_markdown(text: str) -> str:
    """User text as literal Markdown: no markup, no HTML, one line.

    Only what Markdown would read as markup is escaped, so a path such as
    `portfolio/bad.yaml:2:9` reads the same in the Markdown and on a terminal.
    """
    escaped = _INLINE_MARKUP.sub(lambda match: "\\" + match.group(), " ".join(text.split()))
    start = _BLOCK_START.match(escaped)
    if start is None:
        return escaped
    if start.group()[:1].isdigit():  # `1.` starts a list: escape the dot, not the digits
        end = start.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


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
