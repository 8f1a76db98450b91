"""The tools for tree owners and portfolios: check's path analyses, regression answers
(emit, run, and what an edit moved), replay with drift, batch, schema and graph.

Each command runs through a subprocess on the shipped tree and on small trees under
tests/data/tree_tools/; expectations are computed independently in-process where they can be.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import advice_only_questions

from adaptwise.domain.engine import decide, walk
from adaptwise.files.answers_file import load_answers_file
from adaptwise.files.trees import load_tree

TESTS = Path(__file__).parent
ROOT = TESTS.parent
TOOLS = TESTS / "data" / "tree_tools"
BASE = TOOLS / "base.yaml"


def marked_lines(path: Path) -> list[int]:
    return [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "# broken:" in line
    ]


def ok(result: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def bad(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("adaptwise: error: ")
    return result.stderr


def edited(source: Path, target: Path, *replacements: tuple[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["replay", "batch", "schema", "graph", "check"])
def test_help_on_every_new_command(run_cli, command):
    text = ok(run_cli(command, "--help"))
    assert text.startswith(f"usage: adaptwise {command}")
    assert "Exit codes" in " ".join(text.split())


def test_top_level_help_lists_the_new_commands(run_cli):
    text = ok(run_cli("--help"))
    for command in ("replay", "batch", "schema", "graph"):
        assert command in text


def test_check_help_names_emit_and_run_tests(run_cli):
    text = ok(run_cli("check", "--help"))
    assert "--emit-tests" in text and "--run-tests" in text


# --- check: what answers can reach -----------------------------------------------------------


def test_path_space_partitions_every_contract_profile(tree, contract_space):
    """Every complete contract answer set falls in exactly one leaf, with the same outcome."""
    from adaptwise.domain.pathspace import explore, value_set

    space = explore(tree)
    choice = [question.id for question in tree.questions if not question.is_text]
    for answers, outcome in contract_space[::37]:
        hits = [leaf for leaf in space.leaves if all(answers.get(q) in value_set(leaf.box, q) for q in choice)]
        assert [leaf.outcome.id for leaf in hits] == [outcome.id], answers
    advice_only = advice_only_questions(tree)
    total = 0
    for leaf in space.leaves:  # the leaves' sizes add up to the whole space
        size = 1
        for question in choice:
            if question not in advice_only:  # the contract space takes one answer of these
                size *= len(value_set(leaf.box, question))
        total += size
    assert total == len(contract_space)


def test_shipped_tree_and_base_tree_are_clean(run_cli):
    assert "OK" in ok(run_cli("check"))
    assert "OK" in ok(run_cli("check", BASE))


def test_check_reports_an_option_that_can_never_take_a_rule(run_cli):
    tree = TOOLS / "never_chosen_option.yaml"
    [line] = marked_lines(tree)
    err = bad(run_cli("check", tree))
    assert f"{tree}:{line}:49: question 'task': 'records' is listed but never takes rule 2 of route 'decide'" in err
    assert "has 1 problem" in err


def test_check_reports_a_modifier_that_can_never_apply(run_cli):
    tree = TOOLS / "modifier_never_applies.yaml"
    [line] = marked_lines(tree)
    err = bad(run_cli("check", tree))
    assert (
        f"{tree}:{line}:11: modifier 'records_in_weights' can never apply: "
        "'task' is never records on any path deciding fine_tuning (only text)"
    ) in err
    assert "has 1 problem" in err


def test_check_reports_an_outcome_no_answers_reach_and_the_rule_that_cannot_hold(run_cli):
    tree = TOOLS / "outcome_never_decided.yaml"
    rule_line, outcome_line = marked_lines(tree)
    err = bad(run_cli("check", tree))
    assert (
        f"{tree}:{rule_line}:15: rule 3 of route 'decide' can never hold: "
        "earlier rule 2 always takes these answers first"
    ) in err
    assert f"{tree}:{outcome_line}:9: outcome 'full_tune' is never decided" in err
    assert "has 2 problems" in err


def test_check_reports_a_rule_testing_a_question_never_asked_on_the_way(tmp_path, run_cli):
    tree = edited(
        BASE,
        tmp_path / "tree.yaml",
        (
            "      - when: {data: [some, many]}\n",
            "      - when: {task: records, data: many}\n        then: tune\n      - when: {data: [some, many]}\n",
        ),
    )
    # records skip the data question, so no answers have both
    err = bad(run_cli("check", tree))
    assert "rule 2 of route 'decide' can never hold: 'data' is never asked when 'task' is records" in err


# --- check --emit-tests / --run-tests -------------------------------------------------------


def read_cases(folder: Path) -> list[tuple[Path, dict[str, str]]]:
    return [
        (path, dict(re.findall(r"^# expect (\w+): ?(.*)$", path.read_text(), re.M)))
        for path in sorted(folder.glob("case-*.yaml"))
    ]


def test_emit_tests_cover_every_edge_and_run_clean(tmp_path, run_cli, tree):
    from adaptwise.domain.links import Edge
    from adaptwise.domain.pathspace import all_edges, explore, option_edge, value_set

    folder = tmp_path / "cases"
    out = ok(run_cli("check", "--emit-tests", folder))
    cases = read_cases(folder)
    assert f"wrote {len(cases)} regression cases" in out
    assert "not coverable: decide otherwise" in out  # the shipped rules catch every answer
    # Each case ends at one rule of the deciding route, so one case per rule is the least
    # possible, plus one: open_base_model's three answers are only asked where training from
    # scratch is in reach, and two of them lead to the same rule (continued pretraining).
    decide_route = tree.routes[-1]
    assert decide_route.id == "decide"
    assert len(cases) == len(decide_route.rules) + 1
    space = explore(tree)
    choice = [question.id for question in tree.questions if not question.is_text]
    taken: set[Edge] = set()
    for path, expected in cases:
        answers = load_answers_file(path, tree)
        decision = decide(tree, answers)
        assert expected == {
            "approach": decision.approach,
            "techniques": ", ".join(decision.techniques),
            "outcome": decision.outcome,
        }, path.name
        walked = walk(tree, answers)
        taken.update(option_edge(question, answers[question.id]) for question in walked.asked if not question.is_text)
        rule = walked.rule
        taken.add(("rule", decide_route.id, decide_route.rules.index(rule)) if rule else ("otherwise", decide_route.id))
        # The rules of the routes on the way (which questions are asked) come from its path.
        [leaf] = [leaf for leaf in space.leaves if all(answers.get(q) in value_set(leaf.box, q) for q in choice)]
        taken.update(edge for edge in leaf.edges if edge[0] in ("rule", "otherwise"))
    edges = {edge for edge in all_edges(tree, space) if edge[0] != "text"}
    assert edges - taken == {("otherwise", "decide")}
    assert "no decision changed" in ok(run_cli("check", "--run-tests", folder))
    # a case file is an ordinary answers file
    first = cases[0][0]
    report = json.loads(ok(run_cli("recommend", "--answers", first, "--format", "json")))
    assert report["outcome"] == cases[0][1]["outcome"]


def test_a_case_states_the_verdict_a_replay_compares(tree, loaded_tree):
    """Regression cases and replays share one verdict: what a case says is what it decides."""
    from adaptwise.domain.drift import Verdict
    from adaptwise.domain.regression import case_text, cover, read_expected

    cases = cover(tree).cases
    for number, case in enumerate(cases, start=1):
        stated = read_expected(case_text(tree, case, number, len(cases), loaded_tree.sha256), "case.yaml")
        assert stated == Verdict.of(decide(tree, case.answers))


def test_run_tests_reports_exactly_the_decisions_a_threshold_edit_moved(tmp_path, run_cli, tree, shipped_tree_path):
    folder = tmp_path / "cases"
    ok(run_cli("check", "--emit-tests", folder))
    # Fine-tuning on a large labelled set (not on curated examples, nor distilling) needs $100k
    # from now on: the emitted cases cover each rule once, and the large-set ones take it.
    copy = edited(
        shipped_tree_path,
        tmp_path / "company.yaml",
        (
            "a large labelled set\n    needs:\n      - question: base_models\n        allowed: [behavior_gap, capability_gap]\n        need: base models tested and falling short on behaviour or capability\n      - question: proprietary_data\n        allowed: [large_labeled, massive]\n        need: more than 10,000 labelled examples\n      - question: infrastructure\n        allowed: [managed_tuning, cloud, own_gpus, gpu_cluster]\n        need: a provider's managed fine-tuning, or GPUs rented or owned\n      - question: budget\n        allowed: [10k_to_100k, 100k_to_1m, over_1m]",
            "a large labelled set\n    needs:\n      - question: base_models\n        allowed: [behavior_gap, capability_gap]\n        need: base models tested and falling short on behaviour or capability\n      - question: proprietary_data\n        allowed: [large_labeled, massive]\n        need: more than 10,000 labelled examples\n      - question: infrastructure\n        allowed: [managed_tuning, cloud, own_gpus, gpu_cluster]\n        need: a provider's managed fine-tuning, or GPUs rented or owned\n      - question: budget\n        allowed: [100k_to_1m, over_1m]",
        ),
    )
    new_tree = load_tree(copy).tree
    expected = {}
    for path, _ in read_cases(folder):
        answers = load_answers_file(path, tree)
        before, after = decide(tree, answers), decide(new_tree, answers)
        changes = []
        if before.approach != after.approach:
            changes.append(f"approach {before.approach} → {after.approach}")
        if before.techniques != after.techniques:
            changes.append(f"techniques {', '.join(before.techniques)} → {', '.join(after.techniques) or 'none'}")
        if before.outcome != after.outcome:
            changes.append(f"outcome {before.outcome} → {after.outcome}")
        if changes:
            expected[str(path)] = changes
    assert expected, "the edit must move some decision"
    out = ok(run_cli("check", copy, "--run-tests", folder), code=1)
    reported: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if line.endswith(": changed"):
            current = line.removesuffix(": changed")
            reported[current] = []
        elif line.startswith("  ") and current:
            reported[current].append(line.strip())
    assert reported == expected
    assert out.rstrip().endswith(f"{len(expected)} changed")


def test_run_tests_reports_answers_the_edited_tree_no_longer_accepts(tmp_path, run_cli):
    folder = tmp_path / "cases"
    out = ok(run_cli("check", BASE, "--emit-tests", folder))
    assert "wrote 4 regression cases" in out and "covering 9 of 9 edges" in out
    copy = edited(
        BASE,
        tmp_path / "tree.yaml",
        ("      - value: many\n        label: Many\n        explanation: Tens of thousands.\n", ""),
        ("{data: [some, many]}", "{data: some}"),
        ("  - id: many_examples\n    when: {data: many}\n    add_techniques: [full_fine_tuning]\n", "  []\n"),
    )
    out = ok(run_cli("check", copy, "--run-tests", folder), code=1)
    assert "its answers are no longer valid: question 'data': 'many' is not an allowed answer" in out
    assert "1 changed" in out


def test_emit_tests_never_replaces_cases_without_force(tmp_path, run_cli):
    folder = tmp_path / "cases"
    ok(run_cli("check", BASE, "--emit-tests", folder))
    assert "already holds 4 regression cases" in bad(run_cli("check", BASE, "--emit-tests", folder))
    ok(run_cli("check", BASE, "--emit-tests", folder, "--force"))
    assert len(list(folder.glob("case-*.yaml"))) == 4


def test_run_tests_on_a_folder_without_cases_is_bad_input(tmp_path, run_cli):
    assert "holds no regression cases" in bad(run_cli("check", "--run-tests", tmp_path))
    assert "no such folder" in bad(run_cli("check", "--run-tests", tmp_path / "missing"))


# --- replay ------------------------------------------------------------------------------------


def make_report(run_cli, tmp_path: Path, tree: Path, **answers: str) -> Path:
    flags = [f"--{key}={value}" for key, value in answers.items()]
    report = tmp_path / "report.md"
    ok(run_cli("recommend", "--tree", tree, *flags, "--out", report))
    return report


def test_replay_with_the_same_tree_is_the_same(tmp_path, run_cli):
    report = make_report(run_cli, tmp_path, BASE, initiative="Claims | triage", task="text", data="some")
    out = ok(run_cli("replay", report, "--tree", BASE))
    assert "Same tree as the report" in out and out.rstrip().endswith("Result: same")


def test_replay_of_a_shipped_tree_report_is_the_same(tmp_path, run_cli, shipped_tree_path):
    report = tmp_path / "report.md"
    ok(
        run_cli(
            "recommend",
            "--defaults",
            "--answers",
            TESTS / "data" / "answers" / "seed000_legal_contracts.yaml",
            "--out",
            report,
        )
    )
    result = json.loads(ok(run_cli("replay", report, "--format", "json")))
    assert result["result"] == "same" and not result["tree_changed"]


def test_replay_reports_the_drift_exactly(tmp_path, run_cli):
    """The report was made with base.yaml; the new tree removes an option, adds a question
    and changes a rule."""
    report = make_report(run_cli, tmp_path, BASE, initiative="Support bot", task="text", data="many")
    newer = edited(
        BASE,
        tmp_path / "newer.yaml",
        ("      - value: many\n        label: Many\n        explanation: Tens of thousands.\n", ""),
        ("    default: none\n    next: decide\n", "    default: none\n    next: budget\n"),
        (
            "routes:\n",
            (
                "  - id: budget\n    prompt: What budget?\n    default: small\n    next: decide\n    options:\n"
                "      - value: small\n        label: Small\n        explanation: Under $10k.\n"
                "      - value: big\n        label: Big\n        explanation: Over $10k.\n\nroutes:\n"
            ),
        ),
        ("{data: [some, many]}", "{data: some, budget: big}"),
        ("    when: {data: many}\n", "    when: {data: some}\n"),
    )
    result = json.loads(ok(run_cli("replay", report, "--tree", newer, "--format", "json"), code=1))
    assert result["result"] == "changed" and result["tree_changed"]
    assert result["removed_answers"] == {}
    assert [(item["question"], item["answer"]) for item in result["disallowed_answers"]] == [("data", "many")]
    assert result["unanswered_questions"] == [{"question": "data", "default": "none"}]
    assert result["new_questions"] == [{"question": "budget", "default": "small"}]
    assert result["no_longer_asked"] == {}
    assert result["recommendation"] == {
        "changed": True,
        "before": {"approach": "fine_tuning", "techniques": ["peft", "full_fine_tuning"], "outcome": "tune"},
        "after": {"approach": "prompt_engineering", "techniques": [], "outcome": "prompting"},
        "with_defaults": True,
    }
    text = ok(run_cli("replay", report, "--tree", newer), code=1)
    assert "answer data: many is no longer allowed" in text
    assert "new question 'budget' is not answered in the report (its default is small)" in text
    assert "approach: fine_tuning → prompt_engineering" in text
    assert "outcome: tune → prompting" in text


def test_replay_reports_removed_questions_and_answers_no_longer_asked(tmp_path, run_cli):
    report = make_report(run_cli, tmp_path, BASE, task="text", data="none")
    newer = edited(
        BASE,
        tmp_path / "newer.yaml",
        ("        next: decide\n\n  - id: data", "        next: decide\n\n  - id: amount"),
        ("    default: text\n    next: data\n", "    default: text\n    next: amount\n"),
        ("answered_from: [data]", "answered_from: [amount]"),
        ("{data: none}", "{amount: none}"),
        ("{data: [some, many]}", "{amount: [some, many]}"),
        ("    when: {data: many}\n", "    when: {amount: many}\n"),
    )
    result = json.loads(ok(run_cli("replay", report, "--tree", newer, "--format", "json"), code=1))
    assert result["removed_answers"] == {"data": "none"}
    assert result["new_questions"] == [{"question": "amount", "default": "none"}]
    assert result["recommendation"]["changed"] is False
    text = ok(run_cli("replay", report, "--tree", newer), code=1)
    assert "answer data: none no longer exists: the tree has no question 'data'" in text
    assert "The recommendation is the same (with the defaults of the unanswered questions)" in text


def test_replay_refuses_what_is_not_a_report(tmp_path, run_cli):
    plain = tmp_path / "notes.md"
    plain.write_text("# Notes\n\nNothing here.\n")
    assert "has no '## Reproducibility' section" in bad(run_cli("replay", plain))
    assert "no such file" in bad(run_cli("replay", tmp_path / "missing.md"))


def test_replay_reads_the_footer_yaml_safely_and_points_at_the_report_line(tmp_path, run_cli):
    report = make_report(run_cli, tmp_path, BASE, task="text", data="some")
    text = report.read_text()
    text = text.replace("data: some\n", "data: !!python/object/apply:os.system ['echo pwned']\n")
    report.write_text(text)
    line = text.splitlines().index("data: !!python/object/apply:os.system ['echo pwned']") + 1
    err = bad(run_cli("replay", report, "--tree", BASE))
    assert f"{report}:{line}:" in err
    assert "pwned" not in err.split("\n")[0] or "tag" in err


# --- batch -------------------------------------------------------------------------------------


def test_batch_over_a_folder_with_one_broken_file_reports_it_and_decides_the_rest(tmp_path, run_cli, tree):
    folder = tmp_path / "portfolio"
    folder.mkdir()
    answers = TESTS / "data" / "answers"
    good = sorted(answers.glob("seed*"))
    for path in good:
        (folder / path.name).write_text(path.read_text())
    (folder / "broken.yaml").write_text("task: text_generation\nbudget: lots\n")
    (folder / "notes.txt").write_text("not an answers file")
    result = json.loads(ok(run_cli("batch", folder, "--defaults", "--format", "json"), code=1))
    assert [item["source"] for item in result["initiatives"]] == [str(folder / path.name) for path in good]
    [invalid] = result["invalid"]
    assert invalid["name"] == "broken.yaml"
    assert invalid["error"].startswith(
        f"{folder / 'broken.yaml'}:2:9: question 'budget': 'lots' is not an allowed answer"
    )
    for item, path in zip(result["initiatives"], good, strict=True):
        from adaptwise.domain.engine import with_defaults

        decision = decide(tree, with_defaults(tree, load_answers_file(path, tree)))
        assert (item["approach"], item["techniques"], item["outcome"]) == (
            decision.approach,
            list(decision.techniques),
            decision.outcome,
        )
        assert item["name"] == decision.answers.get("initiative", path.name)
        assert item["budget_owner"] == decision.answers.get("budget_owner", "not named")
        assert item["open_questions"] == [plan.ask for plan in decision.plan if plan.open]
    assert sum(result["counts"].values()) == len(good)
    markdown = ok(run_cli("batch", folder, "--defaults"), code=1)
    assert "## Counts per approach" in markdown and "| invalid | 1 |" in markdown
    assert "**broken.yaml**" in markdown


def test_batch_without_defaults_lists_the_unanswered_questions(tmp_path, run_cli):
    answers = tmp_path / "a.yaml"
    answers.write_text("task: text\n")
    result = json.loads(ok(run_cli("batch", answers, "--tree", BASE, "--format", "json"), code=1))
    assert "not answered: data" in result["invalid"][0]["error"]
    result = json.loads(ok(run_cli("batch", answers, "--tree", BASE, "--format", "json", "--defaults")))
    assert result["initiatives"][0]["outcome"] == "prompting"


def test_batch_over_a_csv_one_initiative_per_row(tmp_path, run_cli):
    table = tmp_path / "q3.csv"
    table.write_text(
        'initiative,task,data\nClaims triage,text,some\n=HYPERLINK("x"),records,\n,text,\nBroken,text,lots\n\n'
    )
    result = json.loads(ok(run_cli("batch", table, "--tree", BASE, "--defaults", "--format", "json"), code=1))
    rows = [(item["name"], item["outcome"], item["source"]) for item in result["initiatives"]]
    assert rows == [
        ("Claims triage", "tune", f"{table} row 1"),
        ('=HYPERLINK("x")', "classic_model", f"{table} row 2"),
        ("q3.csv row 3", "prompting", f"{table} row 3"),
    ]
    assert result["invalid"][0]["source"] == f"{table} row 4"
    assert result["invalid"][0]["error"].startswith(f"{table}:5:3: question 'data': 'lots' is not an allowed answer")
    assert result["counts"] == {"prompt_engineering": 1, "fine_tuning": 1, "training": 1}
    out = ok(run_cli("batch", table, "--tree", BASE, "--defaults", "--format", "csv"), code=1)
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [row["status"] for row in parsed] == ["decided", "decided", "decided", "invalid"]
    assert parsed[1]["initiative"] == '\'=HYPERLINK("x")'  # never a formula in a spreadsheet


def test_batch_csv_with_an_unknown_column_names_it(tmp_path, run_cli):
    table = tmp_path / "q3.csv"
    table.write_text("initiative,tsk\nA,text\n")
    result = json.loads(ok(run_cli("batch", table, "--tree", BASE, "--format", "json"), code=1))
    assert "unknown column 'tsk'" in result["invalid"][0]["error"]
    assert "did you mean 'task'?" in result["invalid"][0]["error"]


def test_batch_shows_no_progress_when_piped_and_writes_out_safely(tmp_path, run_cli):
    out = tmp_path / "summary.md"
    result = run_cli("batch", TESTS / "data" / "answers", "--defaults", "--out", out)
    ok(result)
    assert result.stderr == f"wrote {out}\n"
    assert "already exists" in bad(run_cli("batch", TESTS / "data" / "answers", "--defaults", "--out", out))


def test_batch_with_nothing_to_decide_is_bad_input(tmp_path, run_cli):
    assert "no answers files found" in bad(run_cli("batch", tmp_path))


# --- schema ----------------------------------------------------------------------------------


def test_committed_tree_schema_is_current(run_cli):
    committed = ROOT / "schema" / "decision_tree.schema.json"
    generated = ok(run_cli("schema", "tree"))
    assert committed.read_text(encoding="utf-8") == generated, (
        "schema/decision_tree.schema.json is out of date; regenerate it with:\n"
        "    adaptwise schema tree --out schema/decision_tree.schema.json --force"
    )


def test_shipped_tree_points_editors_at_the_committed_schema(shipped_tree_path):
    first = shipped_tree_path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/decision_tree.schema.json"
    assert (ROOT / "schema" / "decision_tree.schema.json").is_file()


def test_answers_schema_lists_each_question_and_its_values(run_cli, tree):
    schema = json.loads(ok(run_cli("schema", "answers")))
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == [question.id for question in tree.questions]
    for question in tree.questions:
        prop = schema["properties"][question.id]
        if question.is_text:
            assert prop["maxLength"] == question.max_length
        elif question.is_multiple:  # one value, or a list of them (tests/test_multiple_answers.py)
            assert prop["anyOf"][0]["enum"] == list(question.values) and prop["default"] == question.default
        else:
            assert prop["enum"] == list(question.values) and prop["default"] == question.default
    small = json.loads(ok(run_cli("schema", "answers", "--tree", BASE)))
    assert small["properties"]["data"]["enum"] == ["none", "some", "many"]


def test_tree_schema_takes_no_tree(run_cli):
    assert "--tree applies to 'answers' only" in bad(run_cli("schema", "tree", "--tree", BASE))


# --- graph -----------------------------------------------------------------------------------


def test_readme_picture_is_current(run_cli):
    from adaptwise.domain.graph import README_BEGIN, README_END

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(README_BEGIN) : readme.index(README_END)]
    picture = block.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert picture == ok(run_cli("graph")), (
        "README.md's picture of the tree is out of date; regenerate it with:\n    adaptwise graph --readme README.md"
    )


def test_graph_draws_every_question_option_rule_and_outcome(run_cli, tree):
    text = ok(run_cli("graph"))
    assert text.startswith("flowchart TD\n")
    for question in tree.questions:
        assert f'["{question.id}' in text
        for value in question.values:
            assert re.search(rf'-->\|"[^"]*\b{value}\b', text), value
    route = tree.routes[0]
    for number in range(1, len(route.rules) + 1):
        assert f'|"{number}. ' in text
    assert '-.->|"otherwise"|' in text
    for outcome in tree.outcomes:
        assert f'(["{outcome.id}<br/>' in text
    dot = ok(run_cli("graph", "--format", "dot"))
    assert dot.startswith("digraph adaptwise {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == text.count(" -->") + text.count(" -.->")


def test_graph_labels_cannot_break_out_of_their_quotes(tmp_path, run_cli):
    hostile = edited(
        BASE,
        tmp_path / "tree.yaml",
        (
            "    prompt: What should the model do?\n",
            "    prompt: 'What \"end\" <b>#1</b> should it do? ]) --> x'\n",
        ),
    )
    mermaid = ok(run_cli("graph", "--tree", hostile))
    line = next(line for line in mermaid.splitlines() if "What" in line and "should it do" in line)
    assert line.strip() == 'q2["task<br/>What #quot;end#quot; #lt;b#gt;#35;1#lt;/b#gt; should it do? ]) --#gt; x"]'
    dot = ok(run_cli("graph", "--tree", hostile, "--format", "dot"))
    assert 'label="task\\nWhat \\"end\\" <b>#1</b> should it do? ]) --> x"' in dot


def test_graph_readme_needs_the_markers(tmp_path, run_cli):
    readme = tmp_path / "README.md"
    readme.write_text("# Ours\n")
    assert "has no generated picture to replace" in bad(run_cli("graph", "--readme", readme))
    from adaptwise.domain.graph import README_BEGIN, README_END

    readme.write_text(f"# Ours\n\n{README_BEGIN}\n{README_END}\n\nMore.\n")
    ok(run_cli("graph", "--tree", BASE, "--readme", readme))
    text = readme.read_text()
    assert text.startswith("# Ours\n\n") and text.endswith("\n\nMore.\n")
    assert "```mermaid\nflowchart TD\n" in text


# --- shell completion --------------------------------------------------------------------------


def complete(run_cli, line: str) -> list[str]:
    """What Tab offers after `line`, asked as bash asks argcomplete (answers on fd 8)."""
    import os
    import shlex
    import subprocess
    import sys

    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
    }
    result = subprocess.run(
        ["sh", "-c", f"{shlex.quote(sys.executable)} -m adaptwise 8>&1 9>/dev/null"],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 0, result.stderr
    return [item.strip() for item in result.stdout.split("\n") if item.strip()]


def test_tab_completes_commands_options_and_answers(run_cli):
    assert "graph" in complete(run_cli, "adaptwise gr")
    assert complete(run_cli, "adaptwise recommend --budget ") == [
        "under_10k",
        "10k_to_100k",
        "100k_to_1m",
        "over_1m",
        "unknown",
    ]
    assert "--run-tests" in complete(run_cli, "adaptwise check --r")
    code = ok(run_cli("completion", "bash"))
    assert "adaptwise" in code and "complete" in code


def test_a_dead_rule_names_at_most_five_of_the_live_rules_that_take_its_answers(tmp_path, run_cli):
    extra = [f"v{number}" for number in range(1, 6)]
    options = "".join(
        f"      - value: {value}\n        label: {value}\n        explanation: More.\n" for value in extra
    )
    rules = "".join(
        f"      - when: {{data: {value}}}\n        then: prompting\n        why: {value}.\n"
        for value in ["none", *extra]
    )
    everything = ", ".join(["none", "some", "many", *extra])
    tree = edited(
        BASE,
        tmp_path / "tree.yaml",
        (
            "        explanation: Tens of thousands.\n",
            "        explanation: Tens of thousands.\n" + options,
        ),
        (
            "        why: Enough examples to tune on.\n",
            "        why: Enough examples to tune on.\n"
            + rules
            + f"      - when: {{data: [{everything}]}}  # broken: every answer is taken before\n"
            "        then: tune\n        why: Never.\n",
        ),
    )
    [line] = marked_lines(tree)
    err = bad(run_cli("check", tree))
    assert (
        f"{tree}:{line}:15: rule 9 of route 'decide' can never hold: "
        "earlier rules 2, 3, 4, 5, 6 and 2 more always take these answers first"
    ) in err
