"""Where a command's result goes: stdout (`-`) or a file, saying which file on stderr."""

from __future__ import annotations

import sys


def write_result(text: str, out: str, force: bool) -> None:
    from adaptwise.files.output import write_output

    written = write_output(text, out, force=force)
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)
