"""The range arithmetic the cost formulas share, and the limits every figure is held to.

A figure is a (low, high) range; products pair low with low and high with high, and a
run's GPU-hours pair the small figures with the high utilisation. Parsing an `--assume`
override lives here too: it is held to the same limits as a figure the tree states.
"""

from __future__ import annotations

import math

Range = tuple[float, float]


def gpu_hours_for(params_billion: Range, tokens: Range, peak_tflops: Range, mfu: Range) -> Range:
    """GPU-hours for a run of 6·N·D FLOPs: the low end at high utilisation, the high at low."""
    low = 6 * params_billion[0] * 1e9 * tokens[0] / (peak_tflops[1] * 1e12 * mfu[1] * 3600)
    high = 6 * params_billion[1] * 1e9 * tokens[1] / (peak_tflops[0] * 1e12 * mfu[0] * 3600)
    return (low, high)


def product(*ranges: Range, scale: float = 1.0) -> Range:
    low, high = scale, scale
    for value in ranges:
        low *= value[0]
        high *= value[1]
    return (low, high)


def parse_override(text: str) -> tuple[str, Range]:
    """'gpu_hour_usd=3.1' or 'mfu=0.3:0.4' as an override; ValueError says what is wrong."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise ValueError("expected ID=VALUE or ID=LOW:HIGH, e.g. gpu_hour_usd=3.1")
    parts = value.split(":")
    if len(parts) > 2:
        raise ValueError("expected one value or LOW:HIGH")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None
    low, high = numbers[0], numbers[-1]
    problem = figure_problem(low, high)
    if problem is not None:
        raise ValueError(problem)
    return name.strip(), (low, high)


#: No figure an estimate rests on comes near this (a world-scale budget is $1e12, a frontier
#: model's training set 1e14 tokens), and products of figures this size stay finite.
FIGURE_LIMIT = 1e15


def figure_problem(low: float, high: float) -> str | None:
    """What makes (low, high) unusable as a figure, wherever it was loaded, or None."""
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high < 0:
        return "figures must be finite and not negative"
    if high > FIGURE_LIMIT:
        return f"figures must be at most {FIGURE_LIMIT:g}"
    if low > high:
        return f"the low figure {low:g} is above the high figure {high:g}"
    return None


#: Figures the formulas divide by, or that are fractions: (lowest allowed, highest allowed,
#: whether the lowest is itself allowed). A divisor has a floor, not just "above 0": a
#: utilisation of 1e-311 is positive, and dividing by it overflows to infinity.
LIMITS: dict[str, tuple[float, float, bool]] = {
    "mfu": (0.001, 1.0, True),
    "gpu_peak_tflops": (1.0, float("inf"), True),
}


def out_of_limits(assumption_id: str, value: Range) -> str | None:
    """Why a figure cannot be used (e.g. a utilisation of 0 or above 1), or None."""
    problem = figure_problem(*value)
    if problem is not None:
        return f"'{assumption_id}': {problem}"
    if assumption_id not in LIMITS:
        return None
    lowest, highest, inclusive = LIMITS[assumption_id]
    low, high = value
    if low < lowest or (low == lowest and not inclusive) or high > highest:
        floor = f"at least {lowest:g}" if inclusive else f"above {lowest:g}"
        if highest == float("inf"):
            return f"'{assumption_id}' must be {floor}"
        return f"'{assumption_id}' must be {floor} and at most {highest:g}"
    return None
