"""Company trees: a file that `extends` another and holds only its changes (README,
"Company trees"). Through the CLI, and `load_tree` where only the cache is at stake."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```yaml\n(# acme_tree\.yaml\n.*?)```", text, re.DOTALL)
    assert found, "the README's company tree example is missing"
    return found.group(1)


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    path = tmp_path / "acme_tree.yaml"
    path.write_text(readme_example(), encoding="utf-8")
    return path


@pytest.fixture
def own_base(tmp_path: Path, shipped_tree_path: Path) -> Path:
    """A company tree over a copy of the shipped tree, so the base can change."""
    shutil.copy(shipped_tree_path, tmp_path / "base.yaml")
    path = tmp_path / "team.yaml"
    path.write_text('extends: base.yaml\nversion: "team-1"\n', encoding="utf-8")
    return path


def no_tree_env(tmp_path) -> dict[str, str | None]:
    empty = tmp_path / "no-config"
    empty.mkdir(exist_ok=True)
    return {"ADAPTWISE_TREE": None, "ADAPTWISE_CONFIG_DIR": str(empty)}


def failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stderr


def test_the_readme_example_works_as_written(run_cli, acme, tmp_path, tree):
    env = no_tree_env(tmp_path)
    checked = run_cli("check", acme.name, cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("acme_tree.yaml: OK. Version acme-2026.12.1")
    assert f"extends decision_tree.yaml (version {tree.version})" in checked.stdout

    report = run_cli("recommend", "--tree", acme.name, "--defaults", cwd=tmp_path, env=env)
    assert report.returncode == 0, report.stderr
    line = next(line for line in report.stdout.splitlines() if line.startswith("Decided with"))
    assert re.match(
        rf"Decided with decision tree version acme-2026\.12\.1 \(sha256 `[0-9a-f]{{64}}`\), "
        rf"extending decision tree version {re.escape(tree.version)} \(sha256 `[0-9a-f]{{64}}`\): ",
        line,
    ), line
    assert "ACME's negotiated H100 rate" in report.stdout

    data = json.loads(
        run_cli("recommend", "--tree", acme.name, "--defaults", "--format", "json", cwd=tmp_path, env=env).stdout
    )
    assert data["tree"]["version"] == "acme-2026.12.1"
    assert [base["version"] for base in data["tree"]["bases"]] == [tree.version]
    assert data["assumptions"]["gpu_hour_usd"]["value"] == [3, 5]

    (tmp_path / "one.yaml").write_text("task: text_generation\n", encoding="utf-8")
    batch = json.loads(
        run_cli(
            "batch", "one.yaml", "--defaults", "--tree", acme.name, "--format", "json", cwd=tmp_path, env=env
        ).stdout
    )
    assert batch["tree"]["bases"] == data["tree"]["bases"]

    shown = run_cli("tree", "show", "--tree", acme.name, cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "code_and_agents" not in shown.stdout
    (tmp_path / "shown.yaml").write_text(shown.stdout, encoding="utf-8")
    assert run_cli("check", "shown.yaml", cwd=tmp_path, env=env).returncode == 0


def test_tree_show_loads_back_to_the_same_tree(acme, tmp_path, monkeypatch):
    from adaptwise.domain.treedata import tree_data
    from adaptwise.files.treecache import _plain
    from adaptwise.files.trees import load_tree
    from adaptwise.files.yamlout import dump_yaml

    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", "")
    merged = load_tree(acme).tree
    shown = tmp_path / "shown.yaml"
    shown.write_text(dump_yaml(tree_data(merged)), encoding="utf-8")
    assert _plain(load_tree(shown).tree) == _plain(merged)
    assert dump_yaml(tree_data(load_tree(shown).tree)) == shown.read_text(encoding="utf-8")  # a stable order


BAD_OVERLAY = """\
extends: adaptwise
assumptions:
  - id: gpu_hour_usdd
    range: [3, 5]
  - id: mfu
    rnage: [0.2, 0.3]
remove:
  techniques: [no_such_technique]
  modifierz: [tight_timeline]
"""


def test_each_mistake_of_an_overlay_is_placed_in_the_overlay(run_cli, tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD_OVERLAY, encoding="utf-8")
    stderr = failure(run_cli("check", "bad.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert "bad.yaml:3:9: unknown assumption 'gpu_hour_usdd' to change" in stderr
    assert "did you mean 'gpu_hour_usd'?" in stderr
    assert "bad.yaml:6:" in stderr and "unknown field 'rnage'" in stderr and "did you mean 'range'?" in stderr
    assert "bad.yaml:8:16: there is no technique 'no_such_technique' to remove" in stderr
    assert "bad.yaml:9:3: 'modifierz' is not a section" in stderr and "did you mean 'modifiers'?" in stderr
    # recommend refuses the same tree, pointing to check
    refused = failure(run_cli("recommend", "--tree", "bad.yaml", "--defaults", cwd=tmp_path))
    assert "run `adaptwise check bad.yaml`" in refused


def test_a_removal_that_leaves_a_dangling_reference_points_to_both(run_cli, tmp_path):
    (tmp_path / "lean.yaml").write_text(
        "extends: adaptwise\nremove:\n  techniques: [self_hosted]\n  options: {budget: [unknown]}\n", encoding="utf-8"
    )
    stderr = failure(run_cli("check", "lean.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert re.search(
        r"lean\.yaml:3:16: removing technique 'self_hosted' leaves a dangling reference: unknown technique "
        r"'self_hosted' \(at decision_tree\.yaml:\d+:\d+, in the tree it extends\)",
        stderr,
    ), stderr
    assert "lean.yaml:4:22: question 'budget': removing option 'unknown' leaves a dangling reference" in stderr


def test_mistakes_in_the_base_are_placed_in_the_base(run_cli, own_base, tmp_path):
    base = tmp_path / "base.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace("  - id: tune_and_monitor\n", "  - id: tune_and_monitor\n    colour: red\n", 1), encoding="utf-8"
    )
    line = text[: text.index("  - id: tune_and_monitor\n")].count("\n") + 2
    stderr = failure(run_cli("check", own_base.name, cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert f"base.yaml:{line}:" in stderr and "unknown field 'colour'" in stderr


def test_a_cycle_and_a_chain_too_deep_are_refused_with_the_chain(run_cli, tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    stderr = failure(run_cli("check", "a.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert "b.yaml:1:10: 'extends' goes round in a cycle: a.yaml → b.yaml → a.yaml" in stderr

    for number in range(9):
        (tmp_path / f"t{number}.yaml").write_text(f"extends: t{number + 1}.yaml\n", encoding="utf-8")
    (tmp_path / "t9.yaml").write_text("extends: adaptwise\n", encoding="utf-8")
    stderr = failure(run_cli("check", "t0.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert "t8.yaml:1:10: 'extends' goes more than 8 trees deep: t0.yaml → t1.yaml" in stderr
    (tmp_path / "t7.yaml").write_text("extends: adaptwise\n", encoding="utf-8")  # 8 deep is fine
    assert run_cli("check", "t0.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)).returncode == 0


def test_the_tree_in_force_flag_then_environment_then_config(run_cli, acme, own_base, tmp_path, tree):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('tree = "../acme_tree.yaml"\n', encoding="utf-8")
    config = {"ADAPTWISE_TREE": None, "ADAPTWISE_CONFIG_DIR": str(config_dir)}
    version = run_cli("--version", cwd=tmp_path, env=config).stdout
    assert "(decision tree acme-2026.12.1, extending " in version
    assert f"from config file {config_dir / 'config.toml'}" in version

    both = {**config, "ADAPTWISE_TREE": own_base.name}
    version = run_cli("--version", cwd=tmp_path, env=both).stdout
    assert "decision tree: team.yaml, extending base.yaml (from ADAPTWISE_TREE)" in version
    assert "# team.yaml (version team-1)" in run_cli("tree", "show", cwd=tmp_path, env=both).stdout
    flagged = run_cli("tree", "show", "--tree", acme.name, cwd=tmp_path, env=both).stdout
    assert flagged.startswith("# acme_tree.yaml (version acme-2026.12.1)")
    report = run_cli("recommend", "--defaults", cwd=tmp_path, env=both).stdout
    assert "decision tree version team-1" in report

    missing = failure(run_cli("recommend", "--defaults", cwd=tmp_path, env={**config, "ADAPTWISE_TREE": "gone.yaml"}))
    assert "gone.yaml: no such file" in missing and "the tree in force is named by ADAPTWISE_TREE" in missing

    shipped = run_cli("--version", cwd=tmp_path, env=no_tree_env(tmp_path)).stdout
    assert shipped.endswith("decision tree: decision_tree.yaml (the shipped tree)\n")

    (config_dir / "config.toml").write_text('tre = "x.yaml"\n', encoding="utf-8")
    stderr = failure(run_cli("recommend", "--defaults", cwd=tmp_path, env=config))
    assert f"{config_dir / 'config.toml'}:1: unknown setting 'tre'" in stderr and "did you mean 'tree'?" in stderr


def test_replay_tells_a_changed_overlay_from_a_changed_base(run_cli, own_base, tmp_path):
    env = no_tree_env(tmp_path)
    made = run_cli("recommend", "--tree", own_base.name, "--defaults", "--out", "report.md", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    same = run_cli("replay", "report.md", "--tree", own_base.name, cwd=tmp_path, env=env)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Same tree extended as the report" in same.stdout

    base = tmp_path / "base.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("title: adaptwise decision tree", "title: Ours", 1), encoding="utf-8"
    )
    moved = run_cli("replay", "report.md", "--tree", own_base.name, "--format", "json", cwd=tmp_path, env=env)
    data = json.loads(moved.stdout)
    assert (data["tree_changed"], data["bases_changed"]) == (False, True)
    text = run_cli("replay", "report.md", "--tree", own_base.name, cwd=tmp_path, env=env).stdout
    assert "The tree it extends has changed" in text and "Same tree as the report" in text

    own_base.write_text(own_base.read_text(encoding="utf-8") + "title: Team tree\n", encoding="utf-8")
    data = json.loads(
        run_cli("replay", "report.md", "--tree", own_base.name, "--format", "json", cwd=tmp_path, env=env).stdout
    )
    assert data["tree_changed"] is True


def test_regression_answers_on_a_company_tree(run_cli, acme, tmp_path):
    env = no_tree_env(tmp_path)
    emitted = run_cli("check", acme.name, "--emit-tests", "cases", cwd=tmp_path, env=env)
    assert emitted.returncode == 0, emitted.stderr
    assert run_cli("check", acme.name, "--run-tests", "cases", cwd=tmp_path, env=env).returncode == 0
    text = acme.read_text(encoding="utf-8")
    acme.write_text(text.replace("[code_and_agents]", "[code_and_agents, tune_and_monitor]"), encoding="utf-8")
    rerun = run_cli("check", acme.name, "--run-tests", "cases", cwd=tmp_path, env=env)
    assert rerun.returncode == 1, rerun.stdout + rerun.stderr
    assert "hyperparameter_tuning" in rerun.stdout


def test_the_cache_misses_when_the_base_or_the_overlay_changes(own_base, tmp_path, monkeypatch):
    from adaptwise.files.trees import load_tree

    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", str(tmp_path / "cache"))
    assert load_tree(own_base).tree.title == "adaptwise decision tree"
    assert any((tmp_path / "cache").iterdir())
    base = tmp_path / "base.yaml"
    base.write_text(
        base.read_text(encoding="utf-8").replace("title: adaptwise decision tree", "title: B", 1), encoding="utf-8"
    )
    assert load_tree(own_base).tree.title == "B"
    own_base.write_text(own_base.read_text(encoding="utf-8") + "title: O\n", encoding="utf-8")
    loaded = load_tree(own_base)
    assert (loaded.tree.title, loaded.tree.version, [base.version for base in loaded.bases]) == (
        "O",
        "team-1",
        [loaded.bases[0].version],
    )


BANDS = """\
extends: adaptwise
assumptions:
  - id: budget_usd
    per_answer: {under_10k: [0, 20000], 10k_to_100k: [20000, 100000]}
"""


def test_a_budget_band_is_changed_in_one_place_and_every_text_follows(tmp_path, monkeypatch, tree):
    from adaptwise.files.trees import load_tree

    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", "")
    (tmp_path / "bands.yaml").write_text(BANDS, encoding="utf-8")
    changed = load_tree(tmp_path / "bands.yaml").tree
    budget = tree.roles.budget
    labels = [option.label for option in changed.question_by_id[budget].options]
    assert labels[:2] == ["Under $20k", "$20k to $100k"]
    needs = {
        need.need
        for requirement in changed.requirements
        for need in requirement.needs
        if need.question == budget and "10k_to_100k" in need.allowed
    }
    assert needs and all("$20k" in need and "$10k" not in need for need in needs)
    # the other bands keep the shipped figures (a mapping merges by key)
    per_answer = changed.assumption_by_id["budget_usd"].per_answer
    assert per_answer is not None and per_answer["over_1m"] == (1000000, 1000000000)
    assert [option.label for option in tree.question_by_id[budget].options][:2] == ["Under $10k", "$10k to $100k"]


def test_a_figure_that_cites_nothing_is_placed(run_cli, tmp_path):
    (tmp_path / "typo.yaml").write_text(
        "extends: adaptwise\nquestions:\n  - id: budget\n    options:\n      - value: under_10k\n"
        "        label: Under {budget_usd.under_10kk.high}\n",
        encoding="utf-8",
    )
    stderr = failure(run_cli("check", "typo.yaml", cwd=tmp_path, env=no_tree_env(tmp_path)))
    assert (
        "typo.yaml:6:16: {budget_usd.under_10kk.high}: assumption 'budget_usd' has no figure for the "
        "answer 'under_10kk'"
    ) in stderr
    assert "did you mean 'under_10k'?" in stderr
