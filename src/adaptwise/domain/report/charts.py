"""The cost chart: total cost ranges as bars of plain characters."""

from __future__ import annotations

import math
from collections.abc import Iterable

from adaptwise.domain.costs import CostRow, estimated
from adaptwise.domain.model import APPROACH_LABELS
from adaptwise.domain.numbers import money, span

#: Narrow enough that the chart, labels and figures fit an 80-column screen.
BAR_WIDTH = 24


def cost_bars(rows: Iterable[CostRow], recommended: str, budget_top: float | None = None) -> list[str]:
    """Total cost ranges side by side on a log scale, in characters any viewer shows; a row
    without figures has no bar (the table says why), and with none there is no chart."""
    estimates = estimated(rows)
    if not estimates:
        return []
    low = min(estimate.total_usd[0] for estimate in estimates)
    high = max(estimate.total_usd[1] for estimate in estimates)
    first = math.floor(math.log10(max(low, 1)))
    last = max(math.ceil(math.log10(max(high, 1))), first + 1)

    def column(value: float) -> int:
        fraction = (math.log10(max(value, 1)) - first) / (last - first)
        return min(BAR_WIDTH - 1, max(0, round(fraction * (BAR_WIDTH - 1))))

    name_width = max(len(APPROACH_LABELS[estimate.approach]) for estimate in estimates) + 2
    axis = [" "] * (BAR_WIDTH + 8)
    step = 1 if (BAR_WIDTH - 1) / (last - first) >= 7 else 2  # "$100k" and a space must fit
    for decade in range(first, last + 1, step):
        label = money(10**decade)
        start = column(10**decade)
        if all(cell == " " for cell in axis[max(0, start - 1) : start + len(label) + 1]):
            axis[start : start + len(label)] = label
    # The axis row has a label of its own: some viewers (Textual's Markdown among them)
    # strip a code line's leading spaces, which would shift the axis off its columns.
    lines = [f"{'Total, year 1':<{name_width}}" + "".join(axis).rstrip()]
    for estimate in estimates:
        track = ["·"] * BAR_WIDTH
        for cell in range(column(estimate.total_usd[0]), column(estimate.total_usd[1]) + 1):
            track[cell] = "█"
        if budget_top is not None and low <= budget_top:
            track[column(budget_top)] = "│"  # drawn over the bars: the budget line stays visible
        note = " ◀" if estimate.approach == recommended else ""
        if estimate.over_budget:
            note += " over budget"
        label = APPROACH_LABELS[estimate.approach]
        lines.append(f"{label:<{name_width}}{''.join(track)} {span(estimate.total_usd, money)}{note}")
    legend = "◀ recommended"
    if budget_top is not None and low <= budget_top:
        legend += f"; │ top of your budget ({money(budget_top)})"
    lines.append(legend)
    return lines
