"""The cost formulas' ranges, for any figures: each end of a range comes from the figures' ends.

Every cost model, given figures each drawn at a point of its range, costs within the range it
gives for those ranges (compute, GPU-hours, weeks, people, memory), and says how in lines of words. The prompting and classic
models rise with every figure they read, so their low end is the cost at every figure's low
end and their high end at every high end: a low end built from one high figure (the retrieval
index's, the retrieval tokens') shows. Mutation testing found those mixed ends unpinned.

Then the budget floor: a total that starts at the floor is left as it is, one below is raised
to it, and a tree with a budget question but no budget bands has no floors to raise to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from treebuilder import build_tree, outcome, question

from adaptwise.domain.cost_formulas import FORMULAS, FormulaResult, MissingAssumption
from adaptwise.domain.costs import CostContext, Estimate, Floor, budget_floors, floored, with_overrides
from adaptwise.domain.declarations import Assumption, CostModel

Range = tuple[float, float]


class Given:
    """`Figures` from a mapping: a figure the mapping lacks is missing, as in a tree without it."""

    def __init__(self, ranges: Mapping[str, Range]):
        self.ranges = dict(ranges)

    def __call__(self, assumption_id: str) -> Range:
        if assumption_id not in self.ranges:
            raise MissingAssumption(assumption_id)
        return self.ranges[assumption_id]

    def optional(self, assumption_id: str) -> Range | None:
        return self.ranges.get(assumption_id)

    def applies(self, assumption_id: str) -> bool:
        return assumption_id in self.ranges


#: Figures that are shares of one (utilisation) stay below it; the rest are positive amounts.
SHARES = {"mfu"}


def _range(assumption_id: str) -> st.SearchStrategy[Range]:
    low, high = (0.05, 0.95) if assumption_id in SHARES else (0.5, 5e4)
    value = st.floats(low, high, allow_nan=False)
    return st.tuples(value, value).map(lambda pair: (min(pair), max(pair)))


@st.composite
def figures_for(draw: st.DrawFn, model: CostModel) -> dict[str, Range]:
    reads = FORMULAS[model].reads
    ranges = {assumption_id: draw(_range(assumption_id)) for assumption_id in reads.assumptions}
    for assumption_id in reads.if_stated:  # stated for some answers, not for others
        if draw(st.booleans()):
            ranges[assumption_id] = draw(_range(assumption_id))
    return ranges


def _ranges(result: FormulaResult) -> dict[str, Range | None]:
    return {
        "compute_usd": result.compute_usd,
        "gpu_hours": result.gpu_hours,
        "elapsed_weeks": result.elapsed_weeks,
        "people_days": result.people_days,
        "memory_gb": result.memory_gb,
    }


def _within(value: float, bounds: Range) -> bool:
    low, high = bounds
    return low * (1 - 1e-9) - 1e-9 <= value <= high * (1 + 1e-9) + 1e-9


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data(), model=st.sampled_from(sorted(FORMULAS)))
def test_figures_inside_their_ranges_cost_inside_the_estimate_s_range(data, model):
    ranges = data.draw(figures_for(model))
    shares = {key: data.draw(st.floats(0, 1)) for key in ranges}
    point = {key: (low + shares[key] * (high - low),) * 2 for key, (low, high) in ranges.items()}
    result = FORMULAS[model].arithmetic(Given(ranges))
    assert result.basis and all(isinstance(line, str) and line for line in result.basis), result.basis
    ranged = _ranges(result)
    at_point = _ranges(FORMULAS[model].arithmetic(Given(point)))
    for name, bounds in ranged.items():
        value = at_point[name]
        assert (bounds is None) == (value is None), name
        if bounds is not None and value is not None:
            assert bounds[0] <= bounds[1] and math.isclose(value[0], value[1], rel_tol=1e-9), (name, value)
            assert _within(value[0], bounds), (model, name, value, bounds)


RISING = sorted(
    ["prompting", "prompting_with_retrieval", "self_hosted_prompting", "self_hosted_prompting_with_retrieval"]
    + ["classic_model"]
)


@PROPERTY
@given(data=st.data(), model=st.sampled_from(RISING))
def test_a_rising_formula_s_ends_are_its_cost_at_the_figures_ends(data, model):
    ranges = data.draw(figures_for(model))
    ranged = _ranges(FORMULAS[model].arithmetic(Given(ranges)))
    lows = _ranges(FORMULAS[model].arithmetic(Given({key: (low, low) for key, (low, _) in ranges.items()})))
    highs = _ranges(FORMULAS[model].arithmetic(Given({key: (high, high) for key, (_, high) in ranges.items()})))
    for name, bounds in ranged.items():
        if bounds is None:
            continue
        low, high = lows[name], highs[name]
        assert low is not None and high is not None
        assert math.isclose(bounds[0], low[0], rel_tol=1e-9), (model, name, bounds, low)
        assert math.isclose(bounds[1], high[1], rel_tol=1e-9), (model, name, bounds, high)


def test_the_retrieval_index_adds_its_own_low_and_high_ends():
    base = {
        "tokens_per_request": (1000.0, 1000.0),
        "retrieval_tokens_per_request": (500.0, 2000.0),
        "requests_per_month": (1000.0, 1000.0),
        "usd_per_million_tokens": (1.0, 1.0),
        "running_months": (10.0, 10.0),
        "retrieval_index_usd_per_month": (100.0, 300.0),
        "prompting_people_days": (5.0, 10.0),
        "prompting_weeks": (1.0, 2.0),
    }
    api = FORMULAS["prompting_with_retrieval"].arithmetic(Given(base)).compute_usd
    # tokens 1,500 to 3,000 × 1,000 requests × $1 per million × 10 months, plus $1,000 to $3,000
    assert api == pytest.approx((15.0 + 1000.0, 30.0 + 3000.0))
    hosted = {
        "running_months": (10.0, 10.0),
        "gpu_hour_usd": (2.0, 2.0),
        "hosting_gpu_hours_per_month": (100.0, 100.0),
        "retrieval_index_usd_per_month": (100.0, 300.0),
        "prompting_people_days": (5.0, 10.0),
        "prompting_weeks": (1.0, 2.0),
    }
    served = FORMULAS["self_hosted_prompting_with_retrieval"].arithmetic(Given(hosted)).compute_usd
    assert served == pytest.approx((2000.0 + 1000.0, 2000.0 + 3000.0))


# --- the budget floor ------------------------------------------------------------------------

TREE = build_tree(
    {
        "questions": [question("budget", ["small", "large"], next="prompting")],
        "outcomes": [outcome("prompting")],
        "roles": {"budget": "budget"},
        "requirements": [
            {
                "id": "training_needs",
                "approach": "training",
                "label": "Training from scratch",
                "needs": [{"question": "budget", "allowed": ["large"], "need": "a large budget"}],
            }
        ],
    }
)
CONTEXT = CostContext(answers={"budget": "small"}, techniques=(), approach="prompt_engineering")


def _estimate(total: Range) -> Estimate:
    return Estimate(
        approach="training",
        label="Training",
        compute_usd=total,
        gpu_hours=None,
        elapsed_weeks=(1.0, 2.0),
        people_days=(0.0, 0.0),
        total_usd=total,
        memory_gb=None,
        basis=("Compute",),
        assumptions=(),
        over_budget=False,
    )


FLOOR = Floor(1000.0, "Training from scratch", "a large budget")


def test_a_total_that_starts_at_the_floor_is_left_as_it_is():
    found = _estimate((1000.0, 5000.0))
    assert floored(found, FLOOR, tree=TREE, context=CONTEXT, overrides={}) == found


def test_a_total_below_the_floor_is_raised_to_it_and_says_why():
    raised = floored(_estimate((200.0, 800.0)), FLOOR, tree=TREE, context=CONTEXT, overrides={})
    assert raised.total_usd == (1000.0, 1000.0)
    assert raised.basis[:-1] == ("Compute",) and "Training from scratch needs a large budget" in raised.basis[-1]
    assert floored(_estimate((200.0, 5000.0)), FLOOR, tree=TREE, context=CONTEXT, overrides={}).total_usd == (
        1000.0,
        5000.0,
    )


def test_a_budget_question_without_budget_bands_sets_no_floor():
    assert budget_floors(TREE, [("training_needs", "training", "Training from scratch")]) == {}


def test_an_overridden_assumption_is_listed_with_the_override_alone():
    per_answer = Assumption(
        "training_examples", "Examples to tune on", "examples", (100.0, 200.0), "size", {"large": (1e3, 5e3)}
    )
    epochs = Assumption("epochs", "Passes over the data", "epochs", (1.0, 3.0))
    tree = replace(TREE, assumptions=(per_answer, epochs))  # no cost rules needed for a listing
    listed = {assumption.id: assumption for assumption in with_overrides(tree, {"training_examples": (7.0, 9.0)})}
    overridden = listed["training_examples"]
    assert (overridden.range, overridden.per_answer, overridden.question) == ((7.0, 9.0), None, None)
    assert listed["epochs"] is epochs
