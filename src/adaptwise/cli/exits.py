"""The exit codes every command returns (README, "Commands")."""

from __future__ import annotations

OK = 0

CHANGED = 1
"""`check --run-tests` and `replay`: a decision moved; `batch`: some initiatives were invalid."""

BAD_INPUT = 2
"""Bad or missing input, printed on one screen without a traceback; also argparse's usage errors."""

INTERRUPTED = 130
"""Ctrl+C: 128 + SIGINT, as shells report it."""
