"""Reading an exported report's "Reproducibility" footer: its answers and the tree
version/hash, the YAML through the safe loader.
"""

from __future__ import annotations

import os
import re

from adaptwise.domain.drift import Recorded
from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.lineage import TreeStamp
from adaptwise.domain.text import echo

#: Reports are a few KiB; this cap only stops a wrong path from reading a huge file.
MAX_REPORT_BYTES = 4 << 20


_HEADING = "## Reproducibility"


_LEAD = "Decided with decision tree version "


#: The decision line adaptwise writes is a few hundred characters; a longer one is not it.
MAX_DECISION_LINE = 4096


_FOOTER = re.compile(
    re.escape(_LEAD) + r"(?P<version>.+?) \(sha256 `(?P<sha256>[0-9a-f]{64})`\)"
    r"(?P<bases>(?:, extending decision tree version .+? \(sha256 `[0-9a-f]{64}`\))*): "
    r"approach `(?P<approach>[^`]+)`, techniques (?P<techniques>.+?), outcome `(?P<outcome>[^`]+)`\."
)


_BASE = re.compile(r", extending decision tree version (?P<version>.+?) \(sha256 `(?P<sha256>[0-9a-f]{64})`\)")


_SHA256 = re.compile(r"\(sha256 `(?P<sha256>[^`]*)`\)")


def _malformed(line: str, source: str, number: int) -> InputError:
    """Why a line that starts like the decision line is not one: which part is wrong."""
    column = line.find(_LEAD) + 1
    sha = _SHA256.search(line[:MAX_DECISION_LINE])
    if len(line) > MAX_DECISION_LINE:
        why = f"is {len(line):,} characters long, more than the {MAX_DECISION_LINE:,} it can be"
    elif sha is None:
        why = "has no (sha256 `...`) of the tree"
    elif re.fullmatch(r"[0-9a-f]{64}", sha.group("sha256")) is None:
        why = f"has sha256 `{echo(sha.group('sha256'))}`, which is not 64 lower-case hexadecimal digits"
        column = sha.start("sha256") + 1
    else:
        why = "is not in the form adaptwise writes"
    return InputError(
        Problem(
            f"its decision line {why}",
            file=source,
            line=number,
            column=column,
            expected="Decided with decision tree version V (sha256 `64 hex digits`): approach `A`, "
            "techniques `T`, ..., outcome `O`.",
            hint="replay the report as adaptwise exported it",
        )
    )


def read_footer(text: str, source: str) -> Recorded:
    """The report's footer, or an InputError saying why it cannot be replayed."""
    from adaptwise.files.yamlsafe import load_yaml

    lines = text.splitlines()
    try:
        start = next(index for index, line in enumerate(lines) if line.strip() == _HEADING)
    except StopIteration:
        raise InputError(
            Problem(
                f"has no '{_HEADING}' section; only reports exported by adaptwise can be replayed",
                file=source,
            )
        ) from None
    found = None
    for index in range(start + 1, len(lines)):
        if found is None and lines[index].lstrip().startswith(_LEAD):
            line = lines[index].strip()
            # Matched once, at the start, and only when short: a long line of near-misses
            # would make the regex's backtracking quadratic.
            found = _FOOTER.match(line) if len(line) <= MAX_DECISION_LINE else None
            if found is None:
                raise _malformed(line, source, index + 1)
        if found is not None and lines[index].strip() == "```yaml":
            fence = index
            break
    else:
        what = "the 'Decided with decision tree version ...' line" if found is None else "the ```yaml block of answers"
        raise InputError(Problem(f"its {_HEADING} section lacks {what}", file=source, line=start + 1))
    try:
        end = next(index for index in range(fence + 1, len(lines)) if lines[index].strip() == "```")
    except StopIteration:
        raise InputError(Problem("the answers' ```yaml block is never closed", file=source, line=fence + 1)) from None
    # Blank lines for the report above the block: the YAML's own lines are the report's,
    # in every position and in every message ("lines 214 and 220").
    block = "\n" * (fence + 1) + "\n".join(lines[fence + 1 : end]) + "\n"
    located = load_yaml(block, source, questions_at_top=True)
    if not isinstance(located.data, dict):
        raise InputError(
            Problem(
                "the answers in its footer are not a mapping of question id to answer",
                file=source,
                line=fence + 2,
            )
        )
    techniques = tuple(re.findall(r"`([^`]+)`", found.group("techniques")))
    return Recorded(
        found.group("version"),
        found.group("sha256"),
        found.group("approach"),
        techniques,
        found.group("outcome"),
        dict(located.data),
        tuple(TreeStamp(base["version"], base["sha256"]) for base in _BASE.finditer(found.group("bases"))),
    )


def read_report(path: str | os.PathLike[str]) -> Recorded:
    from adaptwise.files.textfiles import read_text_file

    source = os.fspath(path)
    return read_footer(read_text_file(path, max_bytes=MAX_REPORT_BYTES, what="report"), source)
