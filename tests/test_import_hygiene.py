"""The scripted path stays light: `recommend` never imports Textual or argcomplete, and with a
warm tree cache not pydantic either; help loads no more than it shows; the domain modules
import no UI, validation or YAML library."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import run_in_process

HEAVY = ("textual", "pydantic", "yaml", "argcomplete", "adaptwise.files.trees")


def run_python(code: str, env: dict[str, str], timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=timeout
    )


def imported_after_main(args: list[str], env: dict[str, str]) -> tuple[int, dict[str, bool], str]:
    """Run adaptwise.cli.main(args) in a fresh interpreter; which heavy modules it loaded."""
    code = f"""
        import json, sys
        from adaptwise.cli import main
        code = main({args!r})
        sys.stdout.flush()
        print(json.dumps({{"code": code, "loaded": {{name: name in sys.modules for name in {HEAVY!r}}}}}),
              file=sys.stderr)
    """
    result = run_python(code, env)
    assert "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], report["loaded"], result.stdout


@pytest.fixture(scope="module")
def warm_env(cli_env, tmp_path_factory):
    """The CLI's environment with a cache of this module's own, warmed by one `recommend`."""
    cache = tmp_path_factory.mktemp("warm-cache")
    env = {**cli_env, "ADAPTWISE_CACHE_DIR": str(cache)}
    warm = run_in_process(["recommend", "--defaults"], env)
    assert warm.returncode == 0, warm.stderr
    assert any(cache.iterdir())
    return env


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_recommend_with_a_warm_cache_imports_neither_textual_nor_pydantic(warm_env, fmt):
    code, loaded, stdout = imported_after_main(
        ["recommend", "--defaults", "--format", fmt, "--task=text_generation", "--budget=over_1m"], warm_env
    )
    assert code == 0
    assert stdout.strip()
    assert not loaded["textual"]
    assert not loaded["pydantic"]
    assert not loaded["yaml"], "no answers file was read, so PyYAML is not needed"
    assert not loaded["argcomplete"], "only a shell asking for completions needs argcomplete"


def test_recommend_with_an_answers_file_still_skips_textual_and_pydantic(warm_env, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("task: tabular_prediction\nproprietary_data: large_labeled\n", encoding="utf-8")
    code, loaded, stdout = imported_after_main(
        ["recommend", "--defaults", "--format", "json", "--answers", str(answers)], warm_env
    )
    assert code == 0
    assert json.loads(stdout)["approach"] == "training"
    assert not loaded["textual"]
    assert not loaded["pydantic"]


def test_recommend_with_a_cold_cache_never_imports_textual(cli_env, tmp_path):
    env = {**cli_env, "ADAPTWISE_CACHE_DIR": str(tmp_path / "cold")}
    code, loaded, _ = imported_after_main(["recommend", "--defaults"], env)
    assert code == 0
    assert not loaded["textual"]
    assert loaded["pydantic"], "a cold cache validates with pydantic (and proves the probe works)"
    env_off = {**cli_env, "ADAPTWISE_CACHE_DIR": ""}
    code, loaded, _ = imported_after_main(["recommend", "--defaults"], env_off)
    assert code == 0
    assert not loaded["textual"]


@pytest.mark.parametrize(
    "args",
    [["check"], ["--version"], ["recommend", "--help"], ["recommend"]],
    ids=["check", "version", "recommend-help", "recommend-missing"],
)
def test_other_scripted_commands_never_import_textual(warm_env, args):
    code, loaded, _ = imported_after_main(args, warm_env)
    assert code in (0, 2)
    assert not loaded["textual"]


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["graph", "--help"], ["batch", "--help"]])
def test_help_that_shows_no_question_loads_no_tree(warm_env, args):
    code, loaded, stdout = imported_after_main(args, warm_env)
    assert code == 0
    assert stdout.startswith("usage: adaptwise")
    assert not loaded["adaptwise.files.trees"]
    assert not loaded["argcomplete"]


def test_domain_modules_import_no_ui_validation_or_yaml(cli_env):
    code = """
        import json, sys
        import pkgutil, importlib, adaptwise.domain
        for module in pkgutil.iter_modules(adaptwise.domain.__path__):
            importlib.import_module(f"adaptwise.domain.{module.name}")
        print(json.dumps(sorted(name for name in sys.modules
                                if name.split(".")[0] in ("textual", "pydantic", "pydantic_core", "yaml", "rich"))))
    """
    result = run_python(code, cli_env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("module", ["adaptwise.domain.model", "adaptwise.domain.engine", "adaptwise.domain.report"])
def test_each_domain_module_alone(cli_env, module):
    code = f"""
        import sys
        import {module}
        bad = [name for name in ("textual", "pydantic", "yaml") if name in sys.modules]
        assert not bad, bad
    """
    result = run_python(code, cli_env)
    assert result.returncode == 0, result.stderr


def test_engine_runs_without_heavy_libraries(warm_env):
    """Block the heavy imports outright: a warm-cached decision and report still work."""
    code = """
        import sys
        for name in ("textual", "pydantic", "yaml"):
            sys.modules[name] = None  # any import of them now raises ImportError
        from datetime import date
        from adaptwise.files.trees import load_tree
        from adaptwise.domain.engine import decide, with_defaults
        from adaptwise.domain.report import render_markdown, render_json
        loaded = load_tree()
        decision = decide(loaded.tree, with_defaults(loaded.tree, {"task": "tabular_prediction",
                                                                   "proprietary_data": "large_labeled"}))
        assert decision.approach == "training"
        render_markdown(decision, loaded.tree, sha256=loaded.sha256, today=date(2024, 1, 1))
        render_json(decision, loaded.tree, sha256=loaded.sha256)
        print("ok")
    """
    result = run_python(code, warm_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
