"""Plain mode (`adaptwise ask`) with piped input, through the CLI's entry point in this process."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest
from conftest import RunCli

from adaptwise.domain.engine import decide, with_defaults
from adaptwise.files.trees import load_tree

ESC = "\x1b"
#: Enter at every question of the default path: initiative, task, current_solution,
#: base_models (not tested), proprietary_data (none), budget, budget_owner,
#: infrastructure and data_residency. Nothing can change weights there, so neither
#: expertise nor the timeline is asked.
DEFAULT_PATH = 9


Ask = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def ask(run_cli: RunCli, tmp_path) -> Ask:
    """`ask(lines, *args)`: `adaptwise ask` with `lines` piped in, its state kept under tmp_path."""

    def run(lines: list[str] | str, *args: str) -> subprocess.CompletedProcess[str]:
        text = lines if isinstance(lines, str) else "".join(line + "\n" for line in lines)
        return run_cli("ask", *args, cwd=tmp_path, env={"ADAPTWISE_STATE_DIR": str(tmp_path / "state")}, input=text)

    return run


def test_enter_alone_gives_the_default_recommendation(ask):
    result = ask([""] * (DEFAULT_PATH + 1))
    assert result.returncode == 0, result.stderr
    assert "Recommendation: Prompt engineering" in result.stdout
    assert f"Question 1 of about {DEFAULT_PATH}" in result.stderr
    assert f"Question {DEFAULT_PATH} of about {DEFAULT_PATH}" in result.stderr
    assert "Review your answers" in result.stderr
    assert ESC not in result.stdout + result.stderr


def test_it_writes_the_same_report_as_the_core(ask, tmp_path):
    from datetime import date

    from adaptwise.domain.report import render_markdown

    # initiative, task=1, current solution=Enter (none), base_models=4 (behaviour gap),
    # data=4 (curated), quality=1 (reviewed), budget=2, owner, infrastructure=4 (cloud),
    # residency=Enter, expertise=2, timeline=Enter, feedback data=Enter (none), review=Enter
    lines = ["Claims triage", "1", "", "4", "4", "1", "2", "Ops lead", "4", "", "2", "", "", ""]
    result = ask(lines, "--out", str(tmp_path / "report.md"))
    assert result.returncode == 0, result.stderr
    loaded = load_tree()
    answers = {
        "initiative": "Claims triage",
        "task": "text_generation",
        "current_solution": "none",
        "base_models": "behavior_gap",
        "proprietary_data": "curated_examples",
        "data_quality": "reviewed",
        "budget": "10k_to_100k",
        "budget_owner": "Ops lead",
        "infrastructure": "cloud",
        "expertise": "ml_engineers",
        "data_residency": "cloud_ok",
        "timeline": "months",
        "feedback_data": "none",
    }
    expected = render_markdown(decide(loaded.tree, answers), loaded.tree, sha256=loaded.sha256, today=date.today())
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == expected
    assert "Recommendation: Fine-tuning" in result.stderr


def test_the_review_changes_an_answer_by_number(ask):
    # Walk by Enter, then change answer 4 (base models) to 'They do the job well enough':
    # that opens the motivation question (Enter: quality), then the review again.
    result = ask([""] * DEFAULT_PATH + ["4", "2", "", ""])
    assert result.returncode == 0, result.stderr
    assert "Recommendation: Prompt engineering" in result.stdout
    loaded = load_tree()
    expected = decide(loaded.tree, with_defaults(loaded.tree, {"base_models": "sufficient"}))
    assert expected.headline in result.stdout


def test_input_that_ends_before_a_decision_exits_2_cleanly(ask):
    result = ask(["", "1"])
    assert result.returncode == 2
    assert "the input ended before a decision" in result.stderr
    assert "current_solution" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_wrong_number_when_piped_exits_2_with_the_line(ask):
    result = ask(["", "9"])
    assert result.returncode == 2
    assert "line 2" in result.stderr and "1 to 4" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_input_exits_2(ask):
    result = ask("")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_hostile_text_is_plain_and_escaped_in_the_report(ask, tmp_path):
    result = ask(["\x1b]2;pwned\x07[/foo] *x*"] + [""] * 10)
    assert result.returncode == 0, result.stderr
    assert ESC not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    assert "]2;pwned[/foo]" in result.stderr  # echoed literally, minus control characters


def test_an_existing_out_file_is_not_replaced_without_force(ask, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old")
    result = ask([""] * 11, "--out", str(target))
    assert result.returncode == 2 and target.read_text() == "old"
    forced = ask([""] * 11, "--out", str(target), "--force")
    assert forced.returncode == 0 and target.read_text().startswith("# ")


def test_the_same_decision_as_recommend(ask, run_cli, tmp_path):
    lines = ["", "3", "5"] + [""] * 6  # tabular, large labelled (no quality question), then Enter
    result = ask(lines)
    assert result.returncode == 0, result.stderr
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"task": "tabular_prediction", "proprietary_data": "large_labeled"}))
    scripted = run_cli("recommend", "--answers", answers, "--defaults", "--format", "json")
    data = json.loads(scripted.stdout)
    assert f"Recommendation: {data['approach_label']}" in result.stdout


# --- going back and editing: the walkthrough the wizard shares -----------------------------------


def prompt(question_id: str) -> str:
    return load_tree().tree.question_by_id[question_id].prompt


def after(text: str, marker: str) -> str:
    """What `text` says after the last `marker`."""
    assert marker in text, text
    return text.rsplit(marker, 1)[1]


def test_b_goes_back_with_piped_input_to_the_previous_question_and_its_number(ask):
    result = ask(["", "2", "b", "", ""] + [""] * 8)
    assert result.returncode == 0, result.stderr
    assert "is not one of" not in result.stderr
    assert after(result.stderr, "> b\n").startswith(f"\nQuestion 2 of about {DEFAULT_PATH}\n{prompt('task')}\n")
    # The answer given before going back is the one Enter keeps.
    assert " * 2. " in after(result.stderr, "> b\n").split("> ", 1)[0]


def test_back_to_the_first_question_is_question_1_with_its_answer(ask):
    result = ask(["Claims", "b", ""] + [""] * 10)
    assert result.returncode == 0, result.stderr
    shown = after(result.stderr, "> b\n")
    assert shown.startswith(f"\nQuestion 1 of about {DEFAULT_PATH}\n{prompt('initiative')}\n")
    assert "press Enter to keep 'Claims'" in shown.split("\n")[3]
    assert "Claims" in result.stdout


def test_b_at_the_first_question_says_so_and_asks_it_again(ask):
    result = ask(["", "b", "b", "Renamed"] + [""] * 10)
    assert result.returncode == 0, result.stderr
    stayed = after(result.stderr, "This is the first question.\n")
    assert stayed.startswith("> Renamed\n")
    assert stayed.split("Question ", 1)[1].startswith(f"2 of about {DEFAULT_PATH}")
    assert "Renamed" in result.stdout


def test_editing_the_first_answer_from_the_review_is_question_1(ask):
    result = ask([""] * DEFAULT_PATH + ["1", "Renamed", ""])
    assert result.returncode == 0, result.stderr
    assert after(result.stderr, "> 1\n").startswith(f"\nQuestion 1 of about {DEFAULT_PATH}\n{prompt('initiative')}\n")
    assert f"Question {DEFAULT_PATH + 1}" not in result.stderr
    assert after(result.stderr, "> Renamed\n").lstrip().startswith("Review your answers")
    assert "Renamed" in result.stdout


def test_b_on_the_review_goes_back_to_the_last_question(ask):
    result = ask([""] * DEFAULT_PATH + ["b", "", ""])
    assert result.returncode == 0, result.stderr
    last = f"Question {DEFAULT_PATH} of about {DEFAULT_PATH}\n{prompt('data_residency')}\n"
    assert after(result.stderr, "> b\n").startswith(f"\n{last}")
    assert result.stderr.count("Review your answers") == 2
