"""`adaptwise check`: one broken tree per problem, each reported at its exact line.

Every broken tree under tests/data/trees/ is minimal.yaml with one thing broken; the
offending line carries a comment starting with "broken:", and `check` must name that line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adaptwise.domain.errors import InputError
from adaptwise.files.trees import check_tree_file, load_tree

TREES = Path(__file__).parent / "data" / "trees"

#: broken tree -> words the problem's message must contain.
BROKEN = {
    "schema_unknown_field.yaml": "unknown field 'explanaton'",
    "schema_wrong_type.yaml": "valid string",
    "schema_missing_field.yaml": "missing field 'headline'",
    "duplicate_key.yaml": "duplicate key 'prompt'",
    "duplicate_id.yaml": "duplicate id 'prompting'",
    "dangling_next.yaml": "'decidee' is not a question, route or outcome",
    "dangling_then.yaml": "'classic_modle' is not a question, route or outcome",
    "unknown_requirement.yaml": "unknown requirement 'clasic'",
    "unknown_option_value.yaml": "'record' is not an option of 'task'",
    "cycle.yaml": "loop",
    "unreachable_node.yaml": "'orphan' cannot be reached",
    "question_one_option.yaml": "at least two options",
    "outcome_without_rationale.yaml": "no rationale",
    "option_without_explanation.yaml": "no explanation",
    "default_not_an_option.yaml": "default 'txt' is not one of the options",
    "unsure_without_caveat.yaml": "needs a caveat",
}

#: A "did you mean" each misspelling should get.
HINTS = {
    "schema_unknown_field.yaml": "did you mean 'explanation'?",
    "dangling_next.yaml": "did you mean 'decide'?",
    "dangling_then.yaml": "did you mean 'classic_model'?",
    "unknown_requirement.yaml": "did you mean 'classic'?",
    "unknown_option_value.yaml": "did you mean 'records'?",
    "default_not_an_option.yaml": "did you mean 'text'?",
}


def broken_line(path: Path) -> int:
    """The 1-based number of the line marked with a `# broken:` comment (exactly one)."""
    marked = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "# broken:" in line and not line.lstrip().startswith("#")
    ]
    assert len(marked) == 1, f"{path.name} must mark exactly one line"
    return marked[0]


#: Trees beside the broken ones that `check` accepts: minimal.yaml, and many.yaml (a question
#: that takes several answers, for tests/test_multiple_answers.py).
SOUND = {"minimal.yaml", "many.yaml"}


def test_every_broken_tree_is_listed():
    on_disk = {path.name for path in TREES.glob("*.yaml")} - SOUND
    assert on_disk == set(BROKEN)


def test_minimal_tree_passes(run_cli):
    result = run_cli("check", TREES / "minimal.yaml")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    assert result.stderr == ""


def test_minimal_tree_loads_and_decides():
    from adaptwise.domain.engine import decide

    tree = load_tree(TREES / "minimal.yaml").tree
    assert decide(tree, {"task": "records"}).approach == "training"
    assert decide(tree, {"task": "text"}).approach == "prompt_engineering"
    assert decide(tree, {"task": "unsure"}).caveats == ("Treated as a language task.",)


def test_shipped_tree_passes(run_cli, shipped_tree_path):
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
    explicit = run_cli("check", shipped_tree_path)
    assert explicit.returncode == 0, explicit.stderr


def test_shipped_tree_has_no_problems_in_process(shipped_tree_path):
    loaded, problems = check_tree_file(shipped_tree_path)
    assert problems == []
    assert loaded is not None and loaded.tree.outcomes


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_tree_is_reported_at_its_line(run_cli, name):
    path = TREES / name
    line = broken_line(path)
    result = run_cli("check", path)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    located = re.findall(rf"^{re.escape(str(path))}:(\d+):(\d+): (.*)$", result.stderr, re.MULTILINE)
    assert located, result.stderr
    at_line = [(int(col), message) for number, col, message in located if int(number) == line]
    assert at_line, f"expected a problem at {path}:{line}, got:\n{result.stderr}"
    assert any(BROKEN[name] in message for _, message in at_line), result.stderr
    text_line = path.read_text(encoding="utf-8").splitlines()[line - 1]
    for column, _ in at_line:
        assert 1 <= column <= len(text_line) + 1
    if name in HINTS:
        assert HINTS[name] in result.stderr


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_tree_problems_in_process(name):
    """check_tree_file returns the same problem, located, without raising."""
    path = TREES / name
    line = broken_line(path)
    _, problems = check_tree_file(path)
    assert problems
    assert any(p.line == line and BROKEN[name] in p.message for p in problems), problems
    assert all(p.file == str(path) for p in problems)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_tree_is_refused_by_recommend(run_cli, name, tmp_path):
    """A tree `check` faults is never used to decide."""
    path = TREES / name
    result = run_cli("recommend", "--tree", path, "--defaults", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert result.stdout == ""


def test_load_tree_raises_input_error_for_broken_tree():
    with pytest.raises(InputError) as caught:
        load_tree(TREES / "cycle.yaml")
    assert any(problem.line == broken_line(TREES / "cycle.yaml") for problem in caught.value.problems)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "mapping"),
        (b"- just\n- a list\n", "mapping"),
        (b"version: [unclosed\n", "1:"),
        (b"\x00\x01\x02binary", "not a text file"),
    ],
    ids=["empty", "list", "syntax-error", "binary"],
)
def test_unusable_tree_files_get_one_clean_error(run_cli, tmp_path, content, words):
    path = tmp_path / "tree.yaml"
    path.write_bytes(content)
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert words in result.stderr


def test_missing_tree_and_directory(run_cli, tmp_path):
    missing = run_cli("check", tmp_path / "nope.yaml")
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr
    folder = run_cli("check", tmp_path)
    assert folder.returncode == 2
    assert "directory" in folder.stderr
    assert "Traceback" not in folder.stderr


def test_check_lists_every_problem(run_cli, tmp_path):
    """Two independent problems in one file are both reported, in file order."""
    text = (TREES / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("        explanation: A language task.\n", "", 1)
    text = text.replace(
        "    rationale:\n      - Records are classic machine learning's job.\n", "    rationale: []\n", 1
    )
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", path)
    assert result.returncode == 2
    assert "2 problems" in result.stderr
    lines = [int(n) for n in re.findall(rf"^{re.escape(str(path))}:(\d+):", result.stderr, re.MULTILINE)]
    assert len(lines) == 2 and lines == sorted(lines)


def _edited_minimal(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = (TREES / "minimal.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_next_no_option_takes_is_still_checked(tmp_path):
    """Every option has its own `next`, so the question's own is taken by none: still a typo."""
    path = _edited_minimal(
        tmp_path,
        ("    next: decide\n", "    next: decidee\n"),
        *(
            (f"        explanation: {words}\n", f"        explanation: {words}\n        next: decide\n")
            for words in ("A language task.", "A prediction from structured records.", "Nobody knows yet.")
        ),
    )
    _, problems = check_tree_file(path)
    assert [(p.line, p.message) for p in problems] == [(11, "'decidee' is not a question, route or outcome")]


def test_a_loop_through_a_shared_next_is_reported_once(tmp_path):
    """Three options take the question's one `next`: one reference, so one loop."""
    path = _edited_minimal(
        tmp_path, ("start: task\n", "start: decide\n"), ("otherwise: prompting\n", "otherwise: task\n")
    )
    _, problems = check_tree_file(path)
    loops = [(p.line, p.message) for p in problems if "loop" in p.message]
    assert loops == [(11, "'task' leads back to 'decide', making a loop")]
