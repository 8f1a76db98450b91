"""Each cost formula declares what its row reads, reads nothing else, and `check` holds every
tree to the declarations: a removed figure is an error at the removal, never a lost row."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adaptwise.domain.cost_formulas import FORMULAS, MissingAssumption, UndeclaredFigure


class Recording:
    """Figures that record every read, each stated as 1, the optional ones as `stated`."""

    def __init__(self, stated: bool):
        self.stated = stated
        self.read: list[str] = []

    def __call__(self, assumption_id: str) -> tuple[float, float]:
        self.read.append(assumption_id)
        return (1.0, 1.0)

    def optional(self, assumption_id: str) -> tuple[float, float] | None:
        return self(assumption_id) if self.stated else None

    def applies(self, assumption_id: str) -> bool:
        self.read.append(assumption_id)
        return self.stated


@pytest.mark.parametrize("model", sorted(FORMULAS))
def test_a_formula_reads_exactly_what_it_declares(model):
    formula = FORMULAS[model]
    reads: set[str] = set()
    for stated in (True, False):
        figures = Recording(stated)
        formula.arithmetic(figures)
        reads |= set(figures.read)
    assert reads <= set(formula.reads.assumptions) | set(formula.reads.if_stated)
    assert set(formula.reads.assumptions) <= reads  # no stale declaration


@given(model=st.sampled_from(sorted(FORMULAS)), data=st.data())
def test_the_figures_refuse_an_undeclared_read(model, data):
    from adaptwise.domain.costs import _Figures

    class NoTree:
        def __init__(self) -> None:
            self.assumption_by_id: dict[str, object] = {}

    declared = FORMULAS[model].row_reads
    figures = _Figures(NoTree(), {}, {}, declared)  # type: ignore[arg-type]
    with pytest.raises(UndeclaredFigure):
        figures("not_declared_anywhere")
    with pytest.raises(MissingAssumption):
        figures(data.draw(st.sampled_from(declared.assumptions)))


@pytest.mark.parametrize("removed", ["person_day_usd", "gpu_hour_usd"])
def test_a_company_tree_removing_a_figure_a_formula_reads_fails_check_at_the_removal(
    tmp_path, monkeypatch, capsys, removed
):
    from adaptwise.cli import main

    monkeypatch.delenv("ADAPTWISE_TREE", raising=False)
    monkeypatch.setenv("ADAPTWISE_CONFIG_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lean.yaml").write_text(f"extends: adaptwise\nremove:\n  assumptions: [{removed}]\n", encoding="utf-8")
    assert main(["check", "lean.yaml"]) == 2
    err = capsys.readouterr().err
    assert f"lean.yaml:3:17: removing assumption '{removed}' leaves a dangling reference" in err
    assert f"needs the assumption '{removed}'" in err and "row could not be estimated" in err
