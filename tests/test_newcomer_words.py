"""Words a newcomer understands: what the command line says when something is off, in
plain terms, and only what Markdown needs escaped."""

from __future__ import annotations

import re

from adaptwise.domain.literal_text import escape_markdown


def test_escape_markdown_leaves_paths_and_positions_alone():
    assert escape_markdown("portfolio/bad.yaml:2:9: question 'budget'") == "portfolio/bad.yaml:2:9: question 'budget'"
    assert escape_markdown("budget_owner") == "budget_owner"
    assert escape_markdown("*x* | <b>") == "\\*x\\* \\| \\<b>"
    assert escape_markdown("# 1. not a heading") == "\\# 1. not a heading"
    assert escape_markdown("1. not a list") == "1\\. not a list"


def test_batch_summary_on_a_terminal_reads_as_written(tmp_path, run_cli):
    folder = tmp_path / "portfolio"
    folder.mkdir()
    (folder / "bad.yaml").write_text("task: text_generation\nbudget: lots\n")
    result = run_cli("batch", folder, "--defaults")
    assert result.returncode == 1, result.stderr
    assert f"{folder / 'bad.yaml'}:2:9: question 'budget'" in result.stdout
    assert "\\." not in result.stdout and "\\:" not in result.stdout


def test_an_unknown_assumption_lists_the_tree_s_ids(run_cli):
    result = run_cli("recommend", "--defaults", "--assume", "foo=1")
    assert result.returncode == 2
    assert "expected: one of gpu_hour_usd, " in result.stderr and "mfu" in result.stderr
    result = run_cli("recommend", "--defaults", "--assume", "mf=0.3")
    assert "did you mean 'mfu'?" in result.stderr


def test_answers_without_a_command_point_to_the_wizard(run_cli):
    result = run_cli("--answers", "x.yaml")
    assert result.returncode == 2
    assert "'adaptwise wizard --answers x.yaml'" in result.stderr
    assert "unknown command" not in result.stderr
    assert "'adaptwise wizard @team.flags'" in run_cli("@team.flags").stderr


def test_the_report_footer_names_the_command_that_replays_it(run_cli, tmp_path):
    report = tmp_path / "report.md"
    made = run_cli("recommend", "--defaults", "--out", report)
    assert made.returncode == 0, made.stderr
    footer = report.read_text(encoding="utf-8").split("## Reproducibility", 1)[1]
    assert "`adaptwise replay REPORT.md`" in footer
    replayed = run_cli("replay", report)
    assert replayed.returncode == 0, replayed.stderr


def test_the_readme_flags_files_work_as_written(run_cli, tmp_path):
    import json
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    blocks = {name: text for text, name in re.findall(r"```text\n(# (\w+\.flags)\b.*?)```", readme, re.S)}
    assert {"team.flags", "common.flags"} <= set(blocks)
    for name, text in blocks.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert "adaptwise recommend @team.flags --format json --out decision.json" in readme
    result = run_cli("recommend", "@team.flags", "--format", "json", "--out", "decision.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    decision = json.loads((tmp_path / "decision.json").read_text(encoding="utf-8"))
    assert decision["answers"]["budget_owner"] == "Claims Operations"


def test_every_command_s_help_ends_with_examples(run_cli):
    from adaptwise.cli.parser import COMMAND_NAMES

    for name in COMMAND_NAMES:
        result = run_cli(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        head, _, examples = result.stdout.rstrip("\n").rpartition("\nExamples:\n")
        assert head, (name, result.stdout[-300:])
        lines = examples.split("\n")
        assert 1 <= len(lines) <= 3, name
        assert all(line.startswith("  ") and name in line for line in lines), (name, lines)
        if name in ("recommend", "check", "replay", "batch", "schema", "graph", "completion"):
            assert "Exit codes:" in head, name  # the exit codes stay, before the examples
    assert "\nExamples:\n  adaptwise\n" in run_cli("--help").stdout


def test_missing_answers_are_the_questions_this_path_asks_next(run_cli, tree, tmp_path):
    from adaptwise.domain.engine import walk

    (tmp_path / "team.flags").write_text("--task=text_generation\n--base_models=sufficient\n")
    result = run_cli("recommend", "@team.flags", cwd=tmp_path)
    assert result.returncode == 2
    listed = re.findall(r"question '([a-z_]+)'", result.stderr)
    walked = walk(tree, {"task": "text_generation", "base_models": "sufficient"}, fill_defaults=True)
    on_path = [question.id for question in walked.asked if question.id in walked.defaulted and not question.is_text]
    assert listed == on_path
    assert "data_quality" not in listed  # asked only for curated examples; the default is none
    assert "may lead to more" in result.stderr.splitlines()[0]
    # Answering exactly those decides, with the defaults' answers.
    flags = [f"--{question_id}={walked.defaulted[question_id]}" for question_id in listed]
    assert run_cli("recommend", "@team.flags", *flags, cwd=tmp_path).returncode == 0


def test_answers_the_path_never_asks_are_named_once_on_stderr(run_cli):
    result = run_cli(
        "recommend",
        "--task=text_generation",
        "--base_models=sufficient",
        "--expertise=ml_engineers",
        "--timeline=weeks",
        "--defaults",
        "--format=json",
    )
    assert result.returncode == 0, result.stderr
    assert "Not used on this path: expertise, timeline\n" in result.stderr
    import json

    assert json.loads(result.stdout)["unused_answers"] == {"expertise": "ml_engineers", "timeline": "weeks"}
    assert "Not used" not in run_cli("recommend", "--defaults").stderr
