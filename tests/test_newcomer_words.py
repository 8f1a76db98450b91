"""Words a newcomer understands: what the command line says when something is off, in
plain terms, and only what Markdown needs escaped."""

from __future__ import annotations

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
