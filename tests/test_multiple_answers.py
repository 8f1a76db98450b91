"""A choice question that takes several answers at once (`select: many`), end to end.

Almost everything runs on tests/data/trees/many.yaml, whose rules stay put while the shipped
tree evolves: `gaps` takes `facts`, `style` and `skill` together, `untested` and `fine`
stand alone, `facts` leads on to `freshness`, and rule 4 needs `facts` and `style` at once.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import RunCli
from hypothesis import given, settings
from hypothesis import strategies as st

from adaptwise.domain.answers import check_answers
from adaptwise.domain.engine import Answers, decide, next_question, walk, with_defaults
from adaptwise.domain.errors import InputError
from adaptwise.domain.insight import explain
from adaptwise.domain.model import Tree
from adaptwise.domain.walkthrough import Walkthrough
from adaptwise.files.trees import load_tree

MANY = Path(__file__).parent / "data" / "trees" / "many.yaml"

COMBINABLE = ("facts", "style", "skill")

LABEL = {"facts": "They lack facts", "style": "They get the style wrong", "skill": "They cannot do it"}


@pytest.fixture(scope="module")
def loaded():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADAPTWISE_CACHE_DIR", "")
        return load_tree(MANY)


@pytest.fixture(scope="module")
def tree(loaded):
    return loaded.tree


def ok(result: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def bad(result: subprocess.CompletedProcess[str]) -> str:
    """A refusal: exit 2, nothing on stdout, one screen on stderr and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    return result.stderr


def recommend_json(run_cli, *args) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run_cli("recommend", "--tree", MANY, "--format", "json", *args)))
    return data


def next_id(tree: Tree, answers: Answers) -> str | None:
    """The id of the question next_question asks, None when it asks none."""
    question = next_question(tree, answers)
    return None if question is None else question.id


def position(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """The 1-based line and column of `needle` (its `occurrence`-th line) in a file."""
    found = [
        (number, line.index(needle) + 1)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if needle in line
    ]
    return found[occurrence]


# --- the engine: conditions hold for every answer that includes their value -----------------------


def test_a_combination_takes_each_rule_that_names_one_of_its_values(tree):
    def outcome(gaps: str, data: str) -> str:
        return decide(tree, with_defaults(tree, {"task": "text", "gaps": gaps, "data": data})).outcome

    assert outcome("facts", "some") == "retrieval"
    assert outcome("facts,style", "some") == "retrieval_and_tuning"  # rule 4 needs both at once
    assert outcome("facts,style", "none") == "retrieval"
    assert outcome("style,skill", "some") == "tune"
    assert outcome("skill", "some") == "prompting"


def test_a_combination_leads_where_its_first_option_with_a_next_leads(tree):
    assert next_id(tree, {"initiative": "", "task": "text", "gaps": "facts,style"}) == "freshness"
    assert next_id(tree, {"initiative": "", "task": "text", "gaps": "style,skill"}) == "data"


def test_the_path_says_every_part_of_a_combination(tree):
    decision = decide(tree, {"task": "text", "gaps": "facts,style", "freshness": "static", "data": "some"})
    step = next(step for step in decision.path if step.question.id == "gaps")
    assert step.answer == "facts,style"
    assert step.label == "They lack facts; They get the style wrong"
    assert step.meant == "Facts are a retrieval problem. Style is what tuning fixes."
    assert step.decisive
    assert "Style is judged by people; collect their verdicts." in decision.caveats


def test_what_ifs_try_one_value_more_or_less(tree):
    decision = decide(tree, {"task": "text", "gaps": "facts", "freshness": "static", "data": "some"})
    assert decision.outcome == "retrieval"
    entries = {entry.answer: entry for entry in explain(tree, decision).what_if}
    added = entries["facts,style"]
    assert added.approach == "fine_tuning"
    assert added.summary.startswith("If base models lacked facts and base models got the style wrong → Fine-tuning"), (
        added.summary
    )
    assert "fine,facts" not in entries and "untested,facts" not in entries  # alone values never combine


# --- checking answers: lists, commas, and what is refused ----------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(COMBINABLE), min_size=1, max_size=6),
    data=st.sampled_from(["none", "some"]),
    freshness=st.sampled_from(["static", "often"]),
    as_text=st.booleans(),
)
def test_any_order_and_repeats_decide_as_the_canonical_combination(chosen, data, freshness, as_text):
    """Any non-empty subset of the values that combine, in any order and with repeats, as a
    list or as comma-separated text, decides as the rules say for that set."""
    tree = load_tree(MANY).tree
    raw = ", ".join(chosen) if as_text else chosen
    answers = check_answers(tree, {"task": "text", "gaps": raw, "freshness": freshness, "data": data})
    canonical = ",".join(value for value in COMBINABLE if value in chosen)
    assert answers["gaps"] == canonical
    given_set = set(chosen)
    if {"facts", "style"} <= given_set and data == "some":
        expected = "retrieval_and_tuning"
    elif "facts" in given_set:
        expected = "retrieval"
    elif "style" in given_set and data == "some":
        expected = "tune"
    else:
        expected = "prompting"
    assert decide(tree, with_defaults(tree, answers)).outcome == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "got an empty list; choose at least one answer"),
        ("", "no answer given"),
        (["fine", "facts"], "'fine' stands alone; it cannot be combined with facts"),
        ("style,untested,skill", "'untested' stands alone; it cannot be combined with style and skill"),
        (["facts", "stlye"], "'stlye' is not an allowed answer"),
        (["facts", True], "got the boolean true, not an answer"),
    ],
)
def test_bad_several_answers_are_refused_naming_the_question(tree, raw, message):
    with pytest.raises(InputError) as caught:
        check_answers(tree, {"gaps": raw})
    [problem] = caught.value.problems
    assert problem.question == "gaps" and problem.message == message
    assert problem.expected == "one of untested, fine, or one or more of facts, style, skill"


def test_a_list_for_a_question_that_takes_one_answer_is_refused(tree):
    with pytest.raises(InputError) as caught:
        check_answers(tree, {"task": ["text"]})
    [problem] = caught.value.problems
    assert problem.message == "got a list; this question takes one answer"
    assert problem.hint == "write the answer without brackets: task: text"
    with pytest.raises(InputError, match="gives several answers; this question takes one"):
        check_answers(tree, {"task": "text,records"})


# --- the command line ----------------------------------------------------------------------------


def test_flags_files_and_answers_files_give_the_same_decision_whatever_the_order(run_cli, tmp_path):
    common = ["--task", "text", "--freshness", "static", "--data", "some"]
    flags = recommend_json(run_cli, *common, "--gaps", "style,facts")
    spelled = recommend_json(run_cli, *common, "--gaps=facts, style")
    answers = tmp_path / "answers.yaml"
    answers.write_text("task: text\ngaps:\n  - style\n  - facts\n  - style\nfreshness: static\ndata: some\n")
    from_file = recommend_json(run_cli, "--answers", answers)
    as_json = tmp_path / "answers.json"
    as_json.write_text('{"task": "text", "gaps": ["style", "facts"], "freshness": "static", "data": "some"}')
    from_json = recommend_json(run_cli, "--answers", as_json)
    team = tmp_path / "team.flags"
    team.write_text("--task text\n--gaps style, facts\n--freshness static\n--data some\n")
    from_flags_file = recommend_json(run_cli, f"@{team}")
    for data in (flags, spelled, from_file, from_json, from_flags_file):
        assert data == flags
    assert flags["outcome"] == "retrieval_and_tuning"
    assert flags["answers"]["gaps"] == ["facts", "style"]  # JSON shows a combination as a list
    assert flags["answers"]["task"] == "text"  # one answer stays a string
    step = next(step for step in flags["path"] if step["question"] == "gaps")
    assert step["answer"] == ["facts", "style"] and step["label"] == "They lack facts; They get the style wrong"


def test_a_single_value_keeps_working(run_cli):
    data = recommend_json(run_cli, "--task", "text", "--gaps", "style", "--data", "some")
    assert data["outcome"] == "tune" and data["answers"]["gaps"] == "style"


def test_the_shipped_tree_takes_the_gaps_together_in_any_order(run_cli, tree):
    one = json.loads(
        ok(run_cli("recommend", "--defaults", "--format", "json", "--base_models", "behavior_gap,knowledge_gap"))
    )
    other = json.loads(
        ok(run_cli("recommend", "--defaults", "--format", "json", "--base-models", "knowledge_gap,behavior_gap"))
    )
    assert one == other
    assert one["answers"]["base_models"] == ["knowledge_gap", "behavior_gap"]


@pytest.mark.parametrize(
    ("written", "needle", "message"),
    [
        ("gaps: [facts, stlye]\n", "stlye", "question 'gaps': 'stlye' is not an allowed answer"),
        (
            "gaps:\n  - style\n  - fine\n",
            "fine",
            "question 'gaps': 'fine' stands alone; it cannot be combined with style",
        ),
        ("gaps: []\n", "[]", "question 'gaps': got an empty list; choose at least one answer"),
        ("task: [text]\n", "[text]", "question 'task': got a list; this question takes one answer"),
    ],
)
def test_a_bad_list_in_an_answers_file_is_placed_at_its_item(run_cli, tmp_path, written, needle, message):
    answers = tmp_path / "answers.yaml"
    answers.write_text("initiative: Claims\n" + written)
    line, column = position(answers, needle)
    error = bad(run_cli("recommend", "--tree", MANY, "--defaults", "--answers", answers))
    assert f"{answers}:{line}:{column}: {message}" in error, error
    if needle == "stlye":
        assert "did you mean 'style'?" in error
        assert "expected: one of untested, fine, or one or more of facts, style, skill" in error


def test_a_bad_combination_in_a_flag_or_a_flags_file_is_placed(run_cli, tmp_path):
    error = bad(run_cli("recommend", "--tree", MANY, "--defaults", "--gaps", "facts,fine"))
    assert "command line: question 'gaps': 'fine' stands alone; it cannot be combined with facts" in error
    team = tmp_path / "team.flags"
    team.write_text("--task text\n--gaps facts, skil\n")
    error = bad(run_cli("recommend", "--tree", MANY, "--defaults", f"@{team}"))
    assert f"{team}:2:1: question 'gaps': 'skil' is not an allowed answer" in error
    assert "did you mean 'skill'?" in error


def test_missing_answers_and_the_help_say_one_or_more(run_cli):
    error = bad(run_cli("recommend", "--tree", MANY, "--task", "text"))
    assert (
        "question 'gaps': not answered; one of untested, fine, or one or more of facts, style, skill "
        "(default: untested)" in error
    )
    shown = " ".join(ok(run_cli("recommend", "--tree", MANY, "--help")).split())
    assert (
        "How did base models fall short? One or more of: facts, style, skill, separated by commas; "
        "or one of: untested, fine." in shown
    )
    assert "What should the model do? One of: text, records." in shown


def test_a_csv_cell_takes_several_answers(run_cli, tmp_path):
    table = tmp_path / "portfolio.csv"
    table.write_text('task,gaps,data\ntext,"style, facts",some\ntext,"fine,facts",none\n')
    data = json.loads(ok(run_cli("batch", table, "--tree", MANY, "--defaults", "--format", "json"), code=1))
    [decided] = data["initiatives"]
    assert (decided["source"], decided["outcome"]) == (f"{table} row 1", "retrieval_and_tuning")
    [invalid] = data["invalid"]
    assert "'fine' stands alone; it cannot be combined with facts" in invalid["error"]
    assert f"{table}:3:" in invalid["error"]


# --- what is written: the report's answers, regression cases, replay ----------------------------


def footer_yaml(report: str) -> str:
    return report.rsplit("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_exported_answers_write_a_flow_list_and_read_back_the_same(run_cli, tmp_path):
    args = ["--task", "text", "--gaps", "style,facts", "--freshness", "static", "--data", "some"]
    report = ok(run_cli("recommend", "--tree", MANY, *args))
    written = footer_yaml(report)
    assert "gaps: [facts, style]\n" in written
    assert yaml.safe_load(written)["gaps"] == ["facts", "style"]
    assert "**They lack facts; They get the style wrong**" in report
    answers = tmp_path / "replayed.yaml"
    answers.write_text(written)
    assert ok(run_cli("recommend", "--tree", MANY, "--answers", answers)) == report


def test_regression_cases_hold_combinations_and_run_clean(run_cli, tmp_path):
    cases = tmp_path / "cases"
    ok(run_cli("check", MANY, "--emit-tests", cases))
    texts = {path.name: path.read_text() for path in cases.glob("case-*.yaml")}
    combined = [name for name, text in texts.items() if "gaps: [facts, style]\n" in text]
    assert combined, texts  # rule 4 can only be taken by both at once
    assert "expect outcome: retrieval_and_tuning" in texts[combined[0]]
    assert "no decision changed" in ok(run_cli("check", MANY, "--run-tests", cases))


def make_report(run_cli, tmp_path: Path, gaps: str, data: str) -> Path:
    report = tmp_path / "report.md"
    ok(
        run_cli(
            "recommend",
            "--tree",
            MANY,
            "--task",
            "text",
            "--gaps",
            gaps,
            "--freshness",
            "static",
            "--data",
            data,
            "--out",
            report,
        )
    )
    return report


def test_replay_of_a_report_with_a_list_in_any_order_is_the_same(run_cli, tmp_path):
    report = make_report(run_cli, tmp_path, "style,facts", "some")
    assert ok(run_cli("replay", report, "--tree", MANY)).rstrip().endswith("Result: same")
    text = report.read_text()
    report.write_text(text.replace("gaps: [facts, style]\n", "gaps: [style, facts, style]\n"))
    assert "gaps: [style, facts, style]" in report.read_text()
    result = json.loads(ok(run_cli("replay", report, "--tree", MANY, "--format", "json")))
    assert result["result"] == "same" and result["disallowed_answers"] == []
    assert result["recommendation"]["after"]["outcome"] == "retrieval_and_tuning"


def test_replay_says_a_list_is_no_longer_allowed(run_cli, tmp_path):
    report = make_report(run_cli, tmp_path, "skill,facts", "none")
    text = MANY.read_text()
    skill = text[text.index("      - value: skill\n") : text.index("  - id: freshness")]
    newer = tmp_path / "newer.yaml"
    newer.write_text(text.replace(skill, "\n"))
    result = json.loads(ok(run_cli("replay", report, "--tree", newer, "--format", "json"), code=1))
    [refused] = result["disallowed_answers"]
    assert refused["question"] == "gaps" and refused["answer"] == ["facts", "skill"]
    assert refused["why"].startswith("'skill' is not an allowed answer")
    shown = ok(run_cli("replay", report, "--tree", newer), code=1)
    assert "answer gaps: [facts, skill] is no longer allowed: 'skill' is not an allowed answer" in shown


# --- sessions and the walkthrough -----------------------------------------------------------------


def test_the_walkthrough_takes_values_joined_by_commas_in_any_order(tree):
    walkthrough = Walkthrough.fresh(tree).answer("").answer("text")
    assert walkthrough.question is not None and walkthrough.question.id == "gaps"
    with pytest.raises(ValueError, match="not an option"):
        walkthrough.answer("fine,facts")
    answered = walkthrough.answer("style,facts")
    assert answered.answers["gaps"] == "facts,style"
    assert answered.question is not None and answered.question.id == "freshness"


def test_a_session_keeps_a_combination_and_drops_one_that_cannot_be(tree, loaded, tmp_path, monkeypatch):
    from adaptwise.files.session import Session, load_session, save_session

    monkeypatch.setenv("ADAPTWISE_STATE_DIR", str(tmp_path / "state"))
    save_session(Session(loaded.sha256, {"task": "text", "gaps": "style, facts"}, "freshness"), tree)
    kept = load_session(tree, loaded.sha256)
    assert kept is not None and kept.answers == {"task": "text", "gaps": "facts,style"}
    save_session(Session(loaded.sha256, {"task": "text", "gaps": "fine,facts"}, "gaps"), tree)
    kept = load_session(tree, loaded.sha256)
    assert kept is not None and kept.answers == {"task": "text"}


# --- Tab completion -------------------------------------------------------------------------------


def complete(cli_env, tmp_path: Path, line: str) -> list[str]:
    """What Tab offers at the end of `line`, in argcomplete's protocol (tests/test_completion.py)."""
    answer = tmp_path / "completions.txt"
    env = {
        **cli_env,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "adaptwise"], env=env, capture_output=True, text=True, timeout=20, check=False
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return [item for item in answer.read_text(encoding="utf-8").split("\n") if item]


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("", ["untested", "fine", "facts", "style", "skill"]),
        ("facts,", ["facts,style", "facts,skill"]),
        ("style,", ["style,facts", "style,skill"]),
        ("facts,st", ["facts,style"]),
        ("facts,style,", ["facts,style,skill"]),
        ("fine,", []),
        ("facts,facts,", []),
    ],
)
def test_tab_completes_each_part_after_a_comma(cli_env, tmp_path, typed, offered):
    assert complete(cli_env, tmp_path, f"adaptwise recommend --tree {MANY} --gaps {typed}") == offered
    spelled = complete(cli_env, tmp_path, f"adaptwise recommend --tree {MANY} --gaps={typed}")
    assert spelled == [f"--gaps={value}" for value in offered]


# --- adaptwise ask ----------------------------------------------------------------------------------


def ask(run_cli: RunCli, lines: list[str], *args) -> subprocess.CompletedProcess[str]:
    return run_cli("ask", "--tree", MANY, *args, input="".join(line + "\n" for line in lines))


def test_ask_takes_numbers_or_ids_separated_by_commas_or_spaces(run_cli):
    # initiative, task=Enter (text), gaps=4,3 (style and facts), freshness=1, data=2, review Enter
    by_number = ask(run_cli, ["", "", "4,3", "1", "2", ""])
    report = ok(by_number)
    assert "Recommendation: Fine-tuning" in report and "gaps: [facts, style]" in footer_yaml(report)
    assert "Choose all that apply: numbers or ids separated by commas or spaces; Enter = 1;" in by_number.stderr
    assert " * 1. Not tested yet  (on its own only)" in by_number.stderr
    by_id = ok(ask(run_cli, ["", "", "style  facts", "1", "2", ""]))
    assert footer_yaml(by_id) == footer_yaml(report)
    by_default = ok(ask(run_cli, ["", "", "", "", ""]))
    assert "gaps: untested" in footer_yaml(by_default)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1,3", "line 3: 'untested' stands alone; it cannot be combined with facts."),
        ("3 9", "line 3: '9' is not one of the numbers 1 to 5."),
    ],
)
def test_ask_with_piped_input_stops_at_a_bad_combination_with_the_reason(run_cli, typed, reason):
    result = ask(run_cli, ["", "", typed, "", "", ""])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"adaptwise ask: {reason}" in result.stderr


class Typed(io.StringIO):
    """Input typed by a person at a terminal: `ask` says what was wrong and asks again."""

    def isatty(self) -> bool:
        return True


def test_ask_at_a_terminal_asks_again_with_a_one_line_reason_and_keeps_a_combination(loaded):
    from adaptwise.cli.ask import run_plain

    # initiative, task, three bad tries then facts+style, freshness, data; review: change
    # answer 3 (gaps), keep it with Enter, confirm.
    typed = Typed("\n\n1,3\n9\n,\nstyle facts\n1\n2\n3\n\n\n")
    prompts, report = io.StringIO(), io.StringIO()
    code = run_plain(
        loaded, None, out=None, force=False, stdin=typed, stdout=report, prompts=prompts, today=date(2026, 3, 14)
    )
    shown = prompts.getvalue()
    assert code == 0, shown
    assert "  'untested' stands alone; it cannot be combined with facts.\n" in shown
    assert "  '9' is not one of the numbers 1 to 5.\n" in shown
    assert "  Type one or more of the numbers 1 to 5.\n" in shown
    edited = shown.rsplit("Review your answers", 1)[0].rsplit("How did base models fall short?", 1)[1]
    assert " * 3. They lack facts" in edited and " * 4. They get the style wrong" in edited
    assert "Enter = 3,4;" in edited
    assert "They lack facts; They get the style wrong" in shown.rsplit("Review your answers", 1)[1]
    assert "gaps: [facts, style]" in footer_yaml(report.getvalue())


# --- JSON Schemas ---------------------------------------------------------------------------------


def test_the_answers_schema_takes_one_value_or_a_list(run_cli):
    schema = json.loads(ok(run_cli("schema", "answers", "--tree", MANY)))
    gaps = schema["properties"]["gaps"]
    assert gaps["anyOf"] == [
        {"type": "string", "enum": ["untested", "fine", "facts", "style", "skill"]},
        {"type": "array", "items": {"enum": ["facts", "style", "skill"]}, "minItems": 1, "uniqueItems": True},
        {"type": "array", "items": {"enum": ["untested", "fine"]}, "minItems": 1, "maxItems": 1},
    ]
    assert gaps["default"] == "untested" and "as a list, e.g. [facts, style]" in gaps["description"]
    assert schema["properties"]["task"]["enum"] == ["text", "records"]


def test_the_tree_schema_knows_select_and_alone(run_cli):
    schema = json.loads(ok(run_cli("schema", "tree")))
    definitions = schema["$defs"]
    assert definitions["Question"]["properties"]["select"]["enum"] == ["one", "many"]
    assert definitions["Option"]["properties"]["alone"]["type"] == "boolean"


# --- check: the path analysis carries combinations, and the new mistakes are found ------------------


def every_complete_answer(tree) -> list[tuple[dict[str, str], str]]:
    """Every complete set of choice answers, combinations included, and its outcome."""
    complete, stack = [], [{"initiative": ""}]
    while stack:
        answers = stack.pop()
        walked = walk(tree, answers)
        if walked.pending is None:
            assert walked.outcome is not None, answers
            complete.append((answers, walked.outcome.id))
            continue
        stack += [{**answers, walked.pending.id: value} for value in walked.pending.answer_values]
    return complete


def test_the_path_space_partitions_every_answer_combinations_included(tree):
    from adaptwise.domain.pathspace import explore, value_set

    space = explore(tree)
    choice = [question.id for question in tree.questions if not question.is_text]
    everything = every_complete_answer(tree)
    assert any("," in answers.get("gaps", "") for answers, _ in everything)
    for answers, outcome in everything:
        hits = [leaf for leaf in space.leaves if all(answers.get(q) in value_set(leaf.box, q) for q in choice)]
        assert [leaf.outcome.id for leaf in hits] == [outcome], answers
    total = 0
    for leaf in space.leaves:
        size = 1
        for question in choice:
            size *= len(value_set(leaf.box, question))
        total += size
    assert total == len(everything)
    both = [leaf for leaf in space.leaves if leaf.outcome.id == "retrieval_and_tuning"]
    assert both and all(value_set(leaf.box, "gaps") == {"facts,style", "facts,style,skill"} for leaf in both)


def test_check_takes_a_rule_only_a_combination_reaches(run_cli):
    shown = ok(run_cli("check", MANY))
    assert "OK" in shown and "never" not in shown


def test_check_names_a_listed_value_only_what_combinations_cannot_give(run_cli, tmp_path):
    """`facts` reaches fine-tuning only together with `style`; `fine` never does."""
    tree_file = tmp_path / "listed.yaml"
    tree_file.write_text(
        MANY.read_text().replace(
            "modifiers:\n",
            "modifiers:\n  - id: tuned_gaps\n    when: {approach: fine_tuning, gaps: [facts, fine]}  # here\n"
            "    caveats: [Tuned.]\n",
        )
    )
    line, _ = position(tree_file, "# here")
    error = bad(run_cli("check", tree_file))
    listed = "question 'gaps': 'fine' is listed but never takes modifier 'tuned_gaps'"
    assert re.search(rf"{re.escape(str(tree_file))}:{line}:\d+: {listed}", error), error
    assert "'facts' is listed" not in error


def with_many_options(text: str) -> str:
    extra = "".join(
        f"      - value: extra{number}\n        label: Extra {number}\n        explanation: One more.\n"
        for number in range(1, 9)
    )
    return text.replace("  - id: freshness\n", extra + "\n  - id: freshness\n").replace(
        "    select: many\n", "    select: many  # here\n"
    )


BROKEN = {
    "select many on free text": (
        lambda text: text.replace("    type: text\n", "    type: text\n    select: many  # here\n"),
        "question 'initiative': 'select: many' is for choice questions, not free text",
    ),
    "one option that combines": (
        lambda text: (
            text.replace("      - value: style\n", "      - value: style\n        alone: true\n")
            .replace("      - value: skill\n", "      - value: skill\n        alone: true\n")
            .replace("    select: many\n", "    select: many  # here\n")
        ),
        "question 'gaps': 'select: many' needs at least two options that can be chosen together "
        "(not 'alone'), it has 1",
    ),
    "too many options that combine": (
        with_many_options,
        "question 'gaps': 'select: many' takes at most 10 options that can be chosen together, it has 11",
    ),
    "alone on a question that takes one answer": (
        lambda text: text.replace("      - value: records\n", "      - value: records\n        alone: true  # here\n"),
        "question 'task': option 'records' is marked 'alone', which only a question with 'select: many' uses",
    ),
    "a combination as the default": (
        lambda text: text.replace("    default: untested\n", "    default: facts,style  # here\n"),
        "question 'gaps': the default must be one option, not the combination 'facts,style'",
    ),
    "a combination in a rule": (
        lambda text: text.replace("      - when: {gaps: fine}\n", '      - when: {gaps: "facts,style"}  # here\n'),
        "question 'gaps': 'facts,style' is a combination; conditions and needs name single options of 'gaps'",
    ),
    "a combination in a need": (
        lambda text: text.replace("        allowed: [style]\n", '        allowed: ["style,skill"]  # here\n'),
        "question 'gaps': 'style,skill' is a combination",
    ),
    "the budget role on a question that takes several answers": (
        lambda text: text.replace("start: initiative\n", "start: initiative\nroles:\n  budget: gaps  # here\n"),
        "question 'gaps': the budget role needs a question that takes one answer, not 'select: many'",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_check_finds_each_mistake_with_several_answers_at_its_line(run_cli, tmp_path, name):
    edit, message = BROKEN[name]
    tree_file = tmp_path / "broken.yaml"
    tree_file.write_text(edit(MANY.read_text()))
    assert "# here" in tree_file.read_text(), "the edit did not apply"
    line, _ = position(tree_file, "# here")
    error = bad(run_cli("check", tree_file))
    located = re.findall(rf"^{re.escape(str(tree_file))}:(\d+):(\d+): (.*)$", error, re.MULTILINE)
    assert any(int(number) == line and message in text for number, _, text in located), error
    bad(run_cli("recommend", "--tree", tree_file, "--defaults"))  # a tree check faults is never used


def test_every_combination_of_the_fixture_is_an_answer(tree):
    question = tree.question_by_id["gaps"]
    combined = [",".join(chosen) for size in (2, 3) for chosen in combinations(COMBINABLE, size)]
    assert question.answer_values == ("untested", "fine", *COMBINABLE, *combined)
    assert [tree.answer_label("gaps", value) for value in combined[:1]] == [f"{LABEL['facts']}; {LABEL['style']}"]
