"""How figures are written in reports: money, counts, percentages and ranges of them.

Two significant figures everywhere: the ranges are no more precise than that. A figure too
small to matter is "under $1" or "under 0.1", and a range that starts there is "up to …".
"""

from __future__ import annotations

from collections.abc import Callable

Range = tuple[float, float]

#: Below these a figure is written "under $1" and "under 0.1".
SMALLEST_MONEY = 1.0
SMALLEST_NUMBER = 0.1


def _round(value: float) -> float:
    """`value` to two significant figures."""
    return float(f"{value:.2g}")


def _plain(value: float) -> str:
    """A rounded value without needless digits: 1,200, 42, 3.5, 0.39."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def money(value: float) -> str:
    """$950, $12k, $1.3M, $2B, under $1."""
    if 0 < value < SMALLEST_MONEY:
        return f"under ${SMALLEST_MONEY:g}"
    value = _round(value)
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            return f"${_plain(_round(value / threshold))}{suffix}"
    return f"${_plain(value)}"


def number(value: float) -> str:
    """1,200 or 500,000 or 1.5M or 0.39, under 0.1: readable counts."""
    if 0 < value < SMALLEST_NUMBER:
        return f"under {SMALLEST_NUMBER:g}"
    value = _round(value)
    if value >= 1e9:
        return f"{_plain(_round(value / 1e9))}B"
    if value >= 1e6:
        return f"{_plain(_round(value / 1e6))}M"
    return _plain(value)


def span(values: Range, render: Callable[[float], str] = number) -> str:
    """'$3.5k–$94k', or 'up to $230' when the low end is too small to write."""
    low, high = render(values[0]), render(values[1])
    if low == high:
        return low
    if low.startswith("under "):
        return f"up to {high}"
    return f"{low}–{high}"


def usd(values: Range) -> str:
    return span(values, money)


def count(values: Range) -> str:
    return span(values, number)


def percent(values: Range) -> str:
    return span((values[0] * 100, values[1] * 100), lambda value: f"{value:.0f}%")
