"""How figures are written in reports: money, counts, percentages and ranges of them."""

from __future__ import annotations

from collections.abc import Callable

Range = tuple[float, float]


def money(value: float) -> str:
    """$950, $12k, $1.3M, $2B: two significant figures are as precise as these ranges are."""
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            return f"${_significant(value / threshold)}{suffix}"
    return "<$0.01" if 0 < value < 0.01 else f"${_significant(value)}"


def _significant(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.1f}".removesuffix(".0")
    return f"{value:.2g}"


def number(value: float) -> str:
    """1,200 or 1.5M or 0.39: readable counts."""
    if value >= 1e9:
        return f"{_significant(value / 1e9)}B"
    if value >= 1e6:
        return f"{_significant(value / 1e6)}M"
    if value >= 10_000:
        return f"{value:,.0f}"
    return "<0.01" if 0 < value < 0.01 else _significant(value)


def span(values: Range, render: Callable[[float], str] = number) -> str:
    low, high = values
    return render(low) if render(low) == render(high) else f"{render(low)}–{render(high)}"


def usd(values: Range) -> str:
    return span(values, money)


def count(values: Range) -> str:
    return span(values, number)


def percent(values: Range) -> str:
    return span((values[0] * 100, values[1] * 100), lambda value: f"{value:.0f}%")
