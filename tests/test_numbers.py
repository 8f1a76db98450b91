"""Every figure is finite and bounded where it is loaded, from the tree or from --assume, so
the arithmetic over them stays finite and the JSON is always strict JSON."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adaptwise.domain.costs import FIGURE_LIMIT, out_of_limits, parse_override
from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.report import render_json, render_markdown
from adaptwise.files.trees import shipped_tree_path

from profiles import FT_READY, P6


def strict(text: str) -> dict[str, Any]:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(text, parse_constant=refuse)
    assert isinstance(data, dict)
    return data


figures = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 1e-300, 1.0, FIGURE_LIMIT, FIGURE_LIMIT * 1.0000001, 1e308, 1.7976931348623157e308]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    low=figures,
    high=figures,
    assumption=st.sampled_from(
        ["gpu_hour_usd", "pretraining_params_billion", "training_examples", "budget_usd", "mfu"]
    ),
    profile=st.sampled_from([FT_READY, P6, {}]),
)
def test_any_override_is_refused_or_gives_finite_figures_and_strict_json(tree, low, high, assumption, profile):
    try:
        _, override = parse_override(f"{assumption}={low!r}:{high!r}")
    except ValueError:
        return
    assert all(math.isfinite(value) and 0 <= value <= FIGURE_LIMIT for value in override)
    decision = decide(tree, with_defaults(tree, profile))
    overrides = {assumption: override}
    if out_of_limits(assumption, override) is not None:
        return  # refused on the command line and by check (tested below)
    data = strict(render_json(decision, tree, sha256="0" * 64, overrides=overrides))
    assert data["costs"], "every approach is still priced"
    for estimate in data["costs"].values():
        assert all(math.isfinite(value) for value in estimate["total_usd"] + estimate["compute_usd"])
    render_markdown(decision, tree, sha256="0" * 64, today=date(2026, 3, 14), overrides=overrides)


@pytest.mark.parametrize("value", ["1e308", "1e16", "inf", "nan", "-1", "1e400"])
def test_an_unusable_assumption_is_one_line_and_exit_2(run_cli, value):
    result = run_cli("recommend", "--defaults", "--assume", f"gpu_hour_usd={value}")
    assert result.returncode == 2, result.stdout[:300]
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"adaptwise: error: --assume gpu_hour_usd={value}: figures must be")


@pytest.mark.parametrize("written", ["1.0e+308", "1.0e+400", "2.0e+15"])
def test_check_refuses_a_figure_recommend_could_not_compute(run_cli, tmp_path, written):
    shipped = shipped_tree_path().read_text(encoding="utf-8")
    old = "      over_1m: [1000000, 1000000000]\n"
    assert shipped.count(old) == 1
    path = tmp_path / "tree.yaml"
    path.write_text(shipped.replace(old, f"      over_1m: [1000000, {written}]\n"), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), start=1) if written in text)
    for command in (("check", path), ("recommend", "--defaults", "--tree", path)):
        result = run_cli(*command)
        assert result.returncode == 2, result.stdout[:300]
        assert "Traceback" not in result.stderr
        assert f"{path}:{line}:" in result.stderr
        assert "'budget_usd': figures must be" in result.stderr or "too large a number" in result.stderr
