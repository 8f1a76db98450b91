"""The shipped tree's regression cases: every case under tests/data/regression decides as
it says it does. The cases are the tree's advice, kept as plain answers files.

A deliberate change of advice fails here: `adaptwise check --run-tests tests/data/regression`
says which cases changed and how; re-emit them with `--emit-tests` and say why in the commit.
"""

from __future__ import annotations

from conftest import DATA_DIR

from adaptwise.cli import main

CASES = DATA_DIR / "regression"


def test_every_regression_case_of_the_shipped_tree_decides_as_recorded(capsys, monkeypatch):
    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", "")
    assert len(list(CASES.glob("case-*.yaml"))) >= 20  # the emitted set, not an empty folder
    code = main(["check", "--run-tests", str(CASES)])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "no decision changed" in out.out + out.err
