"""The command line through subprocess: help, version, precedence of answers, flags files,
missing and bad answers, hostile files, output files, closed pipes, and the tree cache."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from adaptwise.domain.engine import next_missing_questions

DATA = Path(__file__).parent / "data"
CONTRACT_IDS = (
    "initiative",
    "task",
    "base_models",
    "knowledge_freshness",
    "proprietary_data",
    "data_quality",
    "budget",
    "budget_owner",
    "infrastructure",
    "expertise",
    "data_residency",
    "timeline",
)


def clean_failure(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """An exit `code`, nothing on stdout, and an error on stderr without a traceback."""
    assert result.returncode == code, (result.returncode, result.stdout[:500], result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("adaptwise: error: ")
    return result.stderr


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def all_answers(data: dict[str, Any]) -> dict[str, Any]:
    """Every answer a JSON report was given: those on its path, and those it did not use."""
    return {**data["unused_answers"], **data["answers"]}


# --- help and version --------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["recommend", "check", "wizard", "ask"])
def test_help_on_every_command(run_cli, command):
    for flag in ("--help", "-h"):
        result = run_cli(command, flag)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: adaptwise")
        assert "Traceback" not in result.stderr


def test_recommend_help_lists_every_question_flag_with_its_values(run_cli, tree):
    text = run_cli("recommend", "--help").stdout
    for question_id in CONTRACT_IDS:
        assert f"--{question_id}" in text, question_id
    for option in ("--answers", "--defaults", "--format", "--out", "--force", "--tree"):
        assert option in text
    flat = " ".join(text.split())
    for question in tree.questions:
        for value in question.values:
            assert value in flat, (question.id, value)


def test_top_level_help_lists_the_commands(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("recommend", "check", "wizard", "ask"):
        assert command in result.stdout


def test_version(run_cli, tree):
    import adaptwise

    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert adaptwise.__version__ in result.stdout
    assert tree.version in result.stdout


def test_unknown_command_and_option(run_cli):
    assert "did you mean 'recommend'?" in clean_failure(run_cli("recomend"))
    assert "did you mean '--budget'?" in clean_failure(run_cli("recommend", "--budgt=under_10k"))


def test_dashed_flag_spelling_is_accepted(run_cli):
    data = as_json(
        run_cli(
            "recommend", "--defaults", "--format=json", "--proprietary-data=few_examples", "--base-models=behavior_gap"
        )
    )
    assert data["answers"]["proprietary_data"] == "few_examples"
    assert data["answers"]["base_models"] == "behavior_gap"


def test_bad_value_on_the_command_line(run_cli):
    error = clean_failure(run_cli("recommend", "--defaults", "--budget=lots"))
    assert "'budget'" in error
    assert "under_10k, 10k_to_100k, 100k_to_1m, over_1m, unknown" in error


# --- precedence -------------------------------------------------------------------------------


def test_precedence_flag_over_flags_file_over_answers_file_over_defaults(run_cli, tmp_path):
    # A behaviour gap with a large labelled set: the path asks expertise and the timeline.
    (tmp_path / "answers.yaml").write_text(
        "task: text_generation\nbase_models: behavior_gap\nproprietary_data: large_labeled\n"
        "budget: under_10k\ninfrastructure: cloud\nexpertise: ml_engineers\ntimeline: weeks\n",
        encoding="utf-8",
    )
    (tmp_path / "team.flags").write_text("--budget=10k_to_100k\n--infrastructure=own_gpus\n", encoding="utf-8")
    args = ["recommend", "--format", "json", "--answers", "answers.yaml", "@team.flags", "--budget=over_1m"]
    data = as_json(run_cli(*args, "--defaults", cwd=tmp_path))
    answers = data["answers"]
    assert answers["budget"] == "over_1m"  # command line beats both files
    assert answers["infrastructure"] == "own_gpus"  # flags file beats answers file
    assert answers["expertise"] == "ml_engineers"  # answers file beats the default (none)
    assert answers["timeline"] == "weeks"
    assert answers["current_solution"] == answers["feedback_data"] == "none"  # only defaults
    assert data["unused_answers"] == {}
    # The order on the command line does not change the precedence.
    reordered = as_json(
        run_cli(
            "recommend",
            "--defaults",
            "--budget=over_1m",
            "@team.flags",
            "--format",
            "json",
            "--answers",
            "answers.yaml",
            cwd=tmp_path,
        )
    )
    assert reordered["answers"] == answers


# Each example is a CLI run in a subprocess: no shrinking, which would take minutes.
@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_precedence_holds_however_the_answers_are_spread(run_cli, tmp_path_factory, tree, data):
    """For any answers in an answers file, two flags files and flags, in any order on the
    command line and either spelling: the flag wins, then the later flags file, then the
    earlier one, then the answers file."""
    sources = ("answers file", "a.flags", "b.flags", "command line")
    given_by: dict[str, dict[str, str]] = {source: {} for source in sources}
    for question in (q for q in tree.questions if not q.is_text):
        for source in sources:
            if data.draw(st.booleans()):
                given_by[source][question.id] = data.draw(st.sampled_from(question.values))
    folder = tmp_path_factory.mktemp("precedence")

    def flag(question_id: str, value: str) -> str:
        dashed = data.draw(st.booleans())
        return f"--{question_id.replace('_', '-') if dashed else question_id}={value}"

    for name in ("a.flags", "b.flags"):
        (folder / name).write_text("".join(flag(*item) + "\n" for item in given_by[name].items()), encoding="utf-8")
    groups = [["@a.flags"], ["--defaults"], ["--format", "json"]]
    groups += [[flag(*item)] for item in given_by["command line"].items()]
    if given_by["answers file"]:
        (folder / "answers.yaml").write_text(json.dumps(given_by["answers file"]), encoding="utf-8")
        groups.append(["--answers", "answers.yaml"])
    order = data.draw(st.permutations(groups))
    order.insert(data.draw(st.integers(order.index(["@a.flags"]) + 1, len(order))), ["@b.flags"])
    arguments = [argument for group in order for argument in group]

    result = as_json(run_cli("recommend", *arguments, cwd=folder))
    seen = {**result["answers"], **result["unused_answers"]}
    expected: dict[str, str] = {}
    for source in sources:
        expected.update(given_by[source])
    assert {question_id: seen.get(question_id) for question_id in expected} == expected


def test_defaults_apply_only_with_defaults(run_cli, tmp_path):
    (tmp_path / "answers.yaml").write_text("task: text_generation\nbase_models: sufficient\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--answers", "answers.yaml", cwd=tmp_path))
    assert "'budget'" in error
    data = as_json(run_cli("recommend", "--answers", "answers.yaml", "--defaults", "--format", "json", cwd=tmp_path))
    assert data["answers"]["base_models"] == "sufficient"


def test_defaults_never_override_given_answers(run_cli, tree):
    given = {q.id: q.values[-1] for q in tree.questions if not q.is_text}
    given.update(task="text_generation", base_models="knowledge_gap")
    args = [f"--{key}={value}" for key, value in given.items()]
    with_defaults = as_json(run_cli("recommend", "--format", "json", "--defaults", *args))
    without = as_json(run_cli("recommend", "--format", "json", *args))
    assert with_defaults == without
    assert without["answers"]["budget"] == given["budget"]


# --- flags files ---------------------------------------------------------------------------------


def test_flags_file_comments_blank_lines_nesting_and_later_wins(run_cli, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "common.flags").write_text(
        "# shared by every team\n--budget=over_1m\n--expertise=none\n--infrastructure=cloud\n@deeper.flags\n",
        encoding="utf-8",
    )
    (shared / "deeper.flags").write_text("--timeline year_plus\n", encoding="utf-8")
    (tmp_path / "team.flags").write_text(
        "# team flags\n"
        "\n"
        "   \n"
        "--initiative=Claims triage bot   # a trailing comment\n"
        "--budget=under_10k\n"
        "@shared/common.flags\n"
        "--expertise ml_engineers\n"
        "--budget_owner=Team #1 budget\n"
        "--defaults\n"
        "--format=json\n",
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data = as_json(run_cli("recommend", f"@{tmp_path / 'team.flags'}", cwd=elsewhere))
    answers = all_answers(data)  # base models untested: expertise and the timeline go unused
    assert answers["initiative"] == "Claims triage bot"
    assert answers["budget"] == "over_1m"  # the nested file came later than under_10k
    assert answers["expertise"] == "ml_engineers"  # later than the nested file's none
    assert answers["infrastructure"] == "cloud"
    assert answers["timeline"] == "year_plus"  # nested two deep, relative to its includer
    assert answers["budget_owner"] == "Team #1 budget"


def test_two_flags_files_later_wins(run_cli, tmp_path):
    (tmp_path / "a.flags").write_text("--budget=under_10k\n--expertise=none\n", encoding="utf-8")
    (tmp_path / "b.flags").write_text("--budget=over_1m\n", encoding="utf-8")
    answers = all_answers(
        as_json(run_cli("recommend", "--defaults", "--format=json", "@a.flags", "@b.flags", cwd=tmp_path))
    )
    assert answers["budget"] == "over_1m"
    assert answers["expertise"] == "none"


def test_self_including_flags_file(run_cli, tmp_path):
    (tmp_path / "loop.flags").write_text("--budget=under_10k\n@loop.flags\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "@loop.flags", cwd=tmp_path))
    assert "loop.flags" in error
    assert "itself" in error
    assert "RecursionError" not in error


def test_mutually_including_flags_files(run_cli, tmp_path):
    (tmp_path / "a.flags").write_text("@b.flags\n", encoding="utf-8")
    (tmp_path / "b.flags").write_text("--budget=under_10k\n@a.flags\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "@a.flags", cwd=tmp_path))
    assert "a.flags" in error and "b.flags" in error


def test_flags_file_problems(run_cli, tmp_path):
    (tmp_path / "bad.flags").write_text("--budget=under_10k\nbudget under_10k\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "@bad.flags", cwd=tmp_path))
    assert "bad.flags:2" in error
    (tmp_path / "value.flags").write_text("--budget=lots\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "@value.flags", cwd=tmp_path))
    assert "value.flags" in error and "'budget'" in error and "under_10k" in error
    error = clean_failure(run_cli("recommend", "--defaults", "@missing.flags", cwd=tmp_path))
    assert "missing.flags" in error and "no such file" in error
    (tmp_path / "escape.flags").write_text("--initiative=\x1b]2;pwned\x07\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "@escape.flags", cwd=tmp_path))
    assert "escape.flags:1" in error and "\x1b" not in error


def test_a_value_starting_with_at_after_an_option_is_a_value(run_cli, tmp_path):
    """argparse knows `--initiative` takes a value, so `@home` is not read as a flags file."""
    data = as_json(run_cli("recommend", "--defaults", "--format=json", "--initiative", "@home", cwd=tmp_path))
    assert data["answers"]["initiative"] == "@home"


def test_argparse_complaints_about_a_flags_file_name_its_line(run_cli, tmp_path):
    (tmp_path / "team.flags").write_text("--defaults\n# fine so far\n  --format=xml\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "@team.flags", cwd=tmp_path))
    assert "team.flags:3:3: argument --format: invalid choice: 'xml'" in error
    (tmp_path / "team.flags").write_text("--defaults\n--budgt=under_10k\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "@team.flags", cwd=tmp_path))
    assert "team.flags:2:1: unknown option '--budgt'" in error and "did you mean '--budget'?" in error


# --- the tree named in a flags file ------------------------------------------------------------


MINIMAL_TREE = DATA / "trees" / "minimal.yaml"


def minimal_only_flag(tree) -> tuple[str, str]:
    """A question and answer the minimal tree has and the shipped one refuses."""
    from adaptwise.files.trees import load_tree

    minimal = load_tree(MINIMAL_TREE).tree
    for question in minimal.questions:
        for value in question.values:
            shipped = tree.question_by_id.get(question.id)
            if shipped is None or value not in shipped.values:
                return question.id, value
    raise AssertionError("the minimal tree asks nothing the shipped one refuses")


@pytest.mark.parametrize("spelling", ["--tree={path}", "--tree {path}"])
def test_a_flags_file_can_name_the_tree(run_cli, tmp_path, tree, spelling):
    question_id, value = minimal_only_flag(tree)
    (tmp_path / "team.flags").write_text(
        spelling.format(path=MINIMAL_TREE) + f"\n--{question_id}={value}\n", encoding="utf-8"
    )
    data = as_json(run_cli("recommend", "@team.flags", "--defaults", "--format=json", cwd=tmp_path))
    assert data["answers"][question_id] == value
    direct = as_json(
        run_cli(
            "recommend", "--tree", MINIMAL_TREE, f"--{question_id}={value}", "--defaults", "--format=json", cwd=tmp_path
        )
    )
    assert data == direct
    # Its question flags work on the command line too, and the wizard's help lists them.
    (tmp_path / "tree.flags").write_text(f"--tree={MINIMAL_TREE}\n", encoding="utf-8")
    again = as_json(
        run_cli("recommend", "@tree.flags", f"--{question_id}={value}", "--defaults", "--format=json", cwd=tmp_path)
    )
    assert again["answers"][question_id] == value


def test_the_command_lines_tree_beats_a_flags_files(run_cli, tmp_path, tree, shipped_tree_path):
    question_id, value = minimal_only_flag(tree)
    (tmp_path / "team.flags").write_text(f"--tree={MINIMAL_TREE}\n--{question_id}={value}\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--tree", shipped_tree_path, "@team.flags", "--defaults", cwd=tmp_path))
    assert "team.flags:2:1:" in error
    as_json(run_cli("recommend", "@team.flags", "--tree", MINIMAL_TREE, "--defaults", "--format=json", cwd=tmp_path))


def test_a_later_flags_file_names_the_tree_that_counts(run_cli, tmp_path, tree, shipped_tree_path):
    question_id, value = minimal_only_flag(tree)
    (tmp_path / "minimal.flags").write_text(f"--tree={MINIMAL_TREE}\n", encoding="utf-8")
    (tmp_path / "shipped.flags").write_text(f"--tree={shipped_tree_path}\n", encoding="utf-8")
    ok = ("recommend", "@shipped.flags", "@minimal.flags", f"--{question_id}={value}", "--defaults", "--format=json")
    assert as_json(run_cli(*ok, cwd=tmp_path))["answers"][question_id] == value
    clean_failure(
        run_cli("recommend", "@minimal.flags", "@shipped.flags", f"--{question_id}={value}", "--defaults", cwd=tmp_path)
    )


def test_a_missing_tree_in_a_flags_file_is_refused_at_its_line(run_cli, tmp_path):
    (tmp_path / "team.flags").write_text("--defaults\n--tree=nowhere.yaml\n", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "@team.flags", cwd=tmp_path))
    assert "team.flags:2:1: --tree nowhere.yaml" in error
    assert "nowhere.yaml: no such file" in error


def test_an_abbreviated_tree_option_picks_the_tree(run_cli, tmp_path, tree):
    question_id, value = minimal_only_flag(tree)
    data = as_json(
        run_cli(
            "recommend", "--tre", MINIMAL_TREE, f"--{question_id}={value}", "--defaults", "--format=json", cwd=tmp_path
        )
    )
    assert data["answers"][question_id] == value


# --- missing answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given", [[], ["--task=tabular_prediction"], ["--task=text_generation", "--base_models=sufficient"]]
)
def test_missing_answers_are_all_listed_with_their_values(run_cli, tree, given):
    error = clean_failure(run_cli("recommend", *given))
    answers = dict(arg[2:].split("=", 1) for arg in given)
    expected = next_missing_questions(tree, answers)
    assert expected
    listed = re.findall(r"question '([a-z_]+)'", error)
    assert listed == [question.id for question in expected]
    for question in expected:
        line = next(line for line in error.splitlines() if f"question '{question.id}'" in line)
        for value in question.values:
            assert value in line, (question.id, value)
    assert "--defaults" in error


# --- bad and hostile answers files ---------------------------------------------------------------


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# name -> (file content, question named or None, (line, column) or None, words in the message)
BAD_ANSWERS = {
    "unknown-id": ("task: text_generation\nbudgt: under_10k\n", "budgt", (2, 1), ["did you mean 'budget'?"]),
    "disallowed-value": (
        "task: text_generation\nbudget: lots\n",
        "budget",
        (2, 9),
        ["under_10k, 10k_to_100k, 100k_to_1m, over_1m, unknown"],
    ),
    "wrong-type-number": ("budget: 5\n", "budget", (1, 9), ["under_10k"]),
    "wrong-type-list": ("task:\n  - text_generation\n", "task", (2, 3), ["text_generation"]),
    "wrong-type-mapping": ("expertise: {a: b}\n", "expertise", (1, 12), ["ml_engineers"]),
    "free-text-number": ("initiative: 42\n", "initiative", (1, 13), []),
    "duplicate-key": (
        "task: text_generation\nbudget: under_10k\ntimeline: weeks\nbudget: over_1m\n",
        "budget",
        (4, 1),
        ["2", "4"],
    ),
    "yaml11-boolean": ("task: text_generation\nbudget: no\n", "budget", (2, 9), ["no"]),
    "true-boolean": ("budget: true\n", "budget", (1, 9), []),
    "huge-int": ("budget: " + "9" * 5000 + "\n", "budget", (1, 9), []),
    "control-chars": ('task: text_generation\ninitiative: "\\e]2;x\\a"\n', "initiative", (2, 13), []),
    "bidi": ('initiative: "abc\u202edef"\n', "initiative", (1, 13), []),
    "too-long-text": ("initiative: " + "x" * 500 + "\n", "initiative", (1, 13), []),
    "python-tag": ("budget: !!python/object/apply:os.system [echo pwned]\n", None, (1, 9), []),
    "syntax-error": ("task: [text_generation\nbudget: under_10k\n", None, None, []),
    "not-a-mapping": ("- task\n- budget\n", None, (1, 1), ["mapping"]),
    "multiple-documents": ("task: other\n---\ntask: other\n", None, (2, 1), []),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_file(run_cli, tmp_path, case):
    content, question, position, words = BAD_ANSWERS[case]
    write(tmp_path, "answers.yaml", content)
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "answers.yaml", cwd=tmp_path))
    assert "answers.yaml" in error
    if position is not None:
        line, column = position
        assert f"answers.yaml:{line}:{column}:" in error, error
    else:
        assert re.search(r"answers\.yaml:\d+:\d+:", error), error
    if question is not None:
        assert f"'{question}'" in error, f"the question '{question}' is not named:\n{error}"
    for word in words:
        assert word in error
    assert "\x1b" not in error and "\x07" not in error and "\u202e" not in error
    assert len(error) < 4000


def test_alias_bomb(run_cli, tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("initiative: *i")
    write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "bomb.yaml", cwd=tmp_path))
    assert re.search(r"bomb\.yaml:1:\d+:", error)
    assert "alias" in error.lower() or "anchor" in error.lower()


@pytest.mark.parametrize("shape", ["flow-lists", "flow-maps", "block-lists"])
def test_deep_nesting(run_cli, tmp_path, shape):
    depth = 100_000
    if shape == "flow-lists":
        content = "initiative: " + "[" * depth + "]" * depth + "\n"
    elif shape == "flow-maps":
        content = "initiative: " + "{a: " * depth + "b" + "}" * depth + "\n"
    else:  # compact nested block sequences: "- - - - x"
        content = "initiative:\n  " + "- " * 20_000 + "x\n"
    write(tmp_path, "deep.yaml", content)
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "deep.yaml", cwd=tmp_path))
    assert re.search(r"deep\.yaml:\d+:\d+:", error)
    assert "deep" in error.lower() or "nest" in error.lower()
    assert "RecursionError" not in error and "Segmentation" not in error


@pytest.mark.parametrize(
    "fixture", sorted(p.name for p in (DATA / "hostile").glob("*")) if (DATA / "hostile").is_dir() else []
)
def test_shared_hostile_files(run_cli, fixture):
    """Every hostile file others keep under tests/data/hostile gets a clean exit 2."""
    path = DATA / "hostile" / fixture
    result = run_cli("recommend", "--defaults", "--answers", path)
    error = clean_failure(result)
    assert str(path) in error


def test_binary_garbage(run_cli, tmp_path):
    write(tmp_path, "garbage.bin", bytes(range(256)) * 16)
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "garbage.bin", cwd=tmp_path))
    assert "garbage.bin" in error and "text" in error
    assert len(error.splitlines()) <= 3


def test_invalid_utf8(run_cli, tmp_path):
    write(tmp_path, "latin1.yaml", "initiative: caf\xe9\n".encode("latin-1"))
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "latin1.yaml", cwd=tmp_path))
    assert "latin1.yaml" in error and "UTF-8" in error


def test_empty_file(run_cli, tmp_path):
    write(tmp_path, "empty.yaml", "")
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "empty.yaml", cwd=tmp_path))
    assert "empty.yaml" in error and "empty" in error
    write(tmp_path, "comments.yaml", "# nothing here\n")
    clean_failure(run_cli("recommend", "--defaults", "--answers", "comments.yaml", cwd=tmp_path))


def test_directory_as_answers_file(run_cli, tmp_path):
    (tmp_path / "folder").mkdir()
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "folder", cwd=tmp_path))
    assert "folder" in error and "directory" in error
    assert len(error.splitlines()) <= 3


def test_missing_answers_file(run_cli, tmp_path):
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "nope.yaml", cwd=tmp_path))
    assert "nope.yaml" in error and "no such file" in error
    assert len(error.splitlines()) <= 3


def test_oversized_answers_file(run_cli, tmp_path):
    write(tmp_path, "big.yaml", "# " + "x" * (2 * 1024 * 1024) + "\ntask: other\n")
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "big.yaml", cwd=tmp_path))
    assert "big.yaml" in error and "MiB" in error


def test_many_bad_answers_fit_on_one_screen(run_cli, tmp_path):
    write(tmp_path, "many.yaml", "".join(f"unknown_{i}: x\n" for i in range(500)))
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "many.yaml", cwd=tmp_path))
    assert len(error.splitlines()) <= 30
    assert "more" in error


def test_json_answers_file(run_cli, tmp_path):
    write(tmp_path, "answers.json", json.dumps({"task": "tabular_prediction", "proprietary_data": "large_labeled"}))
    data = as_json(run_cli("recommend", "--defaults", "--format", "json", "--answers", "answers.json", cwd=tmp_path))
    assert data["approach"] == "training"
    write(tmp_path, "bad.json", '{"task": "tabular_prediction",\n "budget": false}')
    error = clean_failure(run_cli("recommend", "--defaults", "--answers", "bad.json", cwd=tmp_path))
    assert "bad.json:2:" in error and "'budget'" in error


def test_off_path_answers_are_reported_as_unused(run_cli, tmp_path):
    write(
        tmp_path,
        "answers.yaml",
        "task: tabular_prediction\nproprietary_data: large_labeled\nbase_models: capability_gap\n",
    )
    data = as_json(run_cli("recommend", "--defaults", "--format", "json", "--answers", "answers.yaml", cwd=tmp_path))
    assert data["unused_answers"] == {"base_models": "capability_gap"}
    assert "base_models" not in data["answers"]


# --- output ----------------------------------------------------------------------------------------


def test_out_never_overwrites_without_force(run_cli, tmp_path):
    target = tmp_path / "report.md"
    first = run_cli("recommend", "--defaults", "--out", target)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# ")
    target.write_text("keep me", encoding="utf-8")
    error = clean_failure(run_cli("recommend", "--defaults", "--out", target))
    assert "--force" in error
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = run_cli("recommend", "--defaults", "--out", target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text(encoding="utf-8") == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temporary files left


def test_out_json_matches_stdout(run_cli, tmp_path):
    target = tmp_path / "report.json"
    assert run_cli("recommend", "--defaults", "--format", "json", "--out", target).returncode == 0
    stdout = run_cli("recommend", "--defaults", "--format", "json", "--out", "-")
    assert stdout.returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(stdout.stdout)
    assert target.read_text(encoding="utf-8") == stdout.stdout


def test_out_to_a_missing_folder(run_cli, tmp_path):
    error = clean_failure(run_cli("recommend", "--defaults", "--out", tmp_path / "missing" / "report.md"))
    assert "missing" in error and "folder" in error
    assert not (tmp_path / "missing").exists()


def test_out_to_a_directory(run_cli, tmp_path):
    error = clean_failure(run_cli("recommend", "--defaults", "--out", tmp_path, "--force"))
    assert "directory" in error


def test_out_refuses_a_read_only_target(run_cli, tmp_path):
    target = tmp_path / "locked.md"
    target.write_text("read-only", encoding="utf-8")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        error = clean_failure(run_cli("recommend", "--defaults", "--out", target, "--force"))
        assert "read-only" in error
        assert target.read_text(encoding="utf-8") == "read-only"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.md"]
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_out_through_a_symlink_rewrites_its_target(run_cli, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    clean_failure(run_cli("recommend", "--defaults", "--out", link))
    assert real.read_text(encoding="utf-8") == "old"
    result = run_cli("recommend", "--defaults", "--out", link, "--force")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# ")
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    clean_failure(run_cli("recommend", "--defaults", "--out", dangling, "--force"))
    assert not (tmp_path / "nowhere.md").exists()


def test_out_dash_is_stdout(run_cli):
    result = run_cli("recommend", "--defaults", "--out", "-")
    assert result.returncode == 0
    assert result.stdout.startswith("# Untitled initiative: adaptwise recommendation (2023-11-14)")
    assert result.stderr == ""
    assert result.stdout == run_cli("recommend", "--defaults").stdout


def test_closed_pipe_ends_quietly(cli_env):
    """The reader goes away before the report is written: exit 0, nothing on stderr."""
    for fmt in ("markdown", "json"):
        process = subprocess.Popen(
            [sys.executable, "-m", "adaptwise", "recommend", "--defaults", "--format", fmt],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env,
        )
        assert process.stdout is not None
        process.stdout.close()  # before the interpreter has even started
        _, stderr = process.communicate(timeout=20)
        assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr, stderr
        assert stderr == b""
        assert process.returncode == 0


def test_head_in_a_shell_pipeline(cli_env, tmp_path):
    script = (
        f"set -o pipefail; {sys.executable} -m adaptwise recommend --defaults | head -c 10; "
        f"echo; {sys.executable} -m adaptwise recommend --defaults --format json | head -c 1"
    )
    result = subprocess.run(
        ["bash", "-c", script], env=cli_env, capture_output=True, text=True, timeout=20, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stderr == ""
    assert result.stdout.startswith("# Untitled")


def test_json_mode_output_parses(run_cli):
    data = as_json(run_cli("recommend", "--defaults", "--format", "json"))
    assert data["approach"] == "prompt_engineering"
    assert "evaluation_first" in data["techniques"]


# --- the tree cache -----------------------------------------------------------------------------


def test_same_output_cold_warm_and_without_cache(run_cli, tmp_path):
    args = ("recommend", "--defaults", "--format", "json", "--base_models=behavior_gap")
    cold_dir = tmp_path / "cache"
    cold = run_cli(*args, env={"ADAPTWISE_CACHE_DIR": str(cold_dir)})
    assert cold.returncode == 0, cold.stderr
    assert any(cold_dir.iterdir())
    warm = run_cli(*args, env={"ADAPTWISE_CACHE_DIR": str(cold_dir)})
    off = run_cli(*args, env={"ADAPTWISE_CACHE_DIR": ""})
    shared = run_cli(*args)
    assert cold.stdout == warm.stdout == off.stdout == shared.stdout
    markdown_warm = run_cli("recommend", "--defaults", env={"ADAPTWISE_CACHE_DIR": str(cold_dir)})
    markdown_off = run_cli("recommend", "--defaults", env={"ADAPTWISE_CACHE_DIR": ""})
    assert markdown_warm.stdout == markdown_off.stdout


def test_caching_off_writes_no_cache(run_cli, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    result = run_cli(
        "recommend",
        "--defaults",
        env={"ADAPTWISE_CACHE_DIR": "", "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")},
    )
    assert result.returncode == 0, result.stderr
    assert not any(home.rglob("*.pickle"))


def test_corrupt_cache_is_ignored(run_cli, tmp_path):
    cache = tmp_path / "cache"
    expected = run_cli("recommend", "--defaults", "--format", "json", env={"ADAPTWISE_CACHE_DIR": str(cache)})
    for file in cache.iterdir():
        file.write_bytes(b"\x80\x04garbage")
    again = run_cli("recommend", "--defaults", "--format", "json", env={"ADAPTWISE_CACHE_DIR": str(cache)})
    assert again.returncode == 0, again.stderr
    assert again.stdout == expected.stdout


def test_unwritable_cache_folder_only_costs_speed(run_cli, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = run_cli("recommend", "--defaults", env={"ADAPTWISE_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_edited_tree_misses_the_cache(run_cli, tmp_path):
    """A custom tree edited between runs is validated afresh, never served stale."""
    tree = tmp_path / "tree.yaml"
    text = (DATA / "trees" / "minimal.yaml").read_text(encoding="utf-8")
    tree.write_text(text, encoding="utf-8")
    first = as_json(run_cli("recommend", "--tree", tree, "--task=records", "--format=json"))
    assert first["approach"] == "training"
    tree.write_text(
        text.replace(
            "    approach: training\n    techniques: [classic_ml]",
            "    approach: fine_tuning\n    techniques: [classic_ml]",
            1,
        ),
        encoding="utf-8",
    )
    second = as_json(run_cli("recommend", "--tree", tree, "--task=records", "--format=json"))
    assert second["approach"] == "fine_tuning"
    assert second["tree"]["sha256"] != first["tree"]["sha256"]
    tree.write_text(text.replace("next: decide", "next: decidee", 1), encoding="utf-8")
    clean_failure(run_cli("recommend", "--tree", tree, "--task=records"))


def test_custom_tree_generates_its_own_flags(run_cli):
    tree = DATA / "trees" / "minimal.yaml"
    help_text = run_cli("recommend", "--tree", tree, "--help").stdout
    assert "--task" in help_text and "--budget" not in help_text
    error = clean_failure(run_cli("recommend", "--tree", tree, "--budget=over_1m", "--task=records"))
    assert "--budget" in error


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", "--defaults", "--format", "xml"],
        ["recommend", "--defaults", "--out"],
        ["recommend", "--defaults", "--answers"],
        ["recommend", "--defaults", "stray"],
        ["recommend", "--defaults", "@"],
        ["check", "one.yaml", "two.yaml"],
        ["check", "--bogus"],
    ],
    ids=[
        "bad-format",
        "out-without-path",
        "answers-without-file",
        "stray-argument",
        "bare-at",
        "check-two-trees",
        "check-unknown-option",
    ],
)
def test_usage_errors_exit_2_without_traceback(run_cli, tmp_path, args):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert "error" in result.stderr and "Traceback" not in result.stderr


def test_control_characters_in_a_flag_value(run_cli):
    error = clean_failure(run_cli("recommend", "--defaults", "--initiative=\x1b[31mred"))
    assert "'initiative'" in error
    assert "\x1b" not in error


def test_a_yaml_boolean_answer_lists_the_questions_allowed_answers(run_cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("task: text_generation\nbudget: no\n", encoding="utf-8")
    result = run_cli("recommend", "--defaults", "--answers", str(answers))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{answers}:2:9: question 'budget'" in result.stderr
    assert "expected: one of under_10k, 10k_to_100k, 100k_to_1m, over_1m, unknown" in result.stderr


def test_a_yaml_problem_under_an_unknown_key_names_no_question(run_cli, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text("bugdet: yes\n", encoding="utf-8")
    result = run_cli("recommend", "--defaults", "--answers", str(answers))
    assert result.returncode == 2
    assert f"{answers}:1:9:" in result.stderr and "question 'bugdet'" not in result.stderr
