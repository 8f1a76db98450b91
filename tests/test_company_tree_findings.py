"""What a company tree's `remove:` can break, on a small base tree declared here: each finding
it causes says what kind it is (`code`) and which entries it is about (`refers_to`), and a
reference it leaves dangling is reported at the `remove:` entry, at file:line:col, from
those fields alone (the files layer never reads a finding's message)."""

from __future__ import annotations

import ast
import contextlib
import copy
import re
from pathlib import Path
from typing import Any

import pytest
from treebuilder import outcome, question, route, write_tree

from adaptwise.domain.cost_formulas import FORMULAS
from adaptwise.domain.errors import Problem
from adaptwise.domain.findings import DANGLING, Finding, Target
from adaptwise.domain.model import CostModel

SRC = Path(__file__).resolve().parent.parent / "src" / "adaptwise"

#: One cost model per approach; the base tree states every figure their rows read.
MODELS: dict[str, CostModel] = {"prompt_engineering": "prompting", "fine_tuning": "peft", "training": "classic_model"}


def base_spec() -> dict[str, Any]:
    """Three questions (`data` asked only for records), a route, three outcomes that name a
    technique, a source and a requirement set, costs, and a figure cited in a headline."""
    read = sorted({name for model in MODELS.values() for name in FORMULAS[model].row_reads.assumptions})
    figures = [
        {"id": name, "about": name.replace("_", " "), "unit": "units", "range": [0.3, 0.5] if name == "mfu" else [1, 2]}
        for name in [*read, "fee"]
    ]
    return {
        "questions": [
            question("task", [{"value": "text"}, {"value": "records", "next": "data"}, "images"], next="size"),
            question("data", ["some", "lots"], next="size"),
            question("size", ["small", "medium", "large"], next="decide"),
        ],
        "routes": [route("decide", [({"meets": "ready"}, "classic"), ({"size": ["large"]}, "tuned")], otherwise="fit")],
        "outcomes": [
            outcome("fit", techniques=["few_shot"], sources=["paper"], headline="Prompt it, for about {fee.high}."),
            outcome("tuned", approach="fine_tuning"),
            outcome("classic", approach="training"),
        ],
        "requirements": [
            {
                "id": "ready",
                "approach": "training",
                "label": "Ready to train",
                "needs": [{"question": "task", "allowed": ["records"], "need": "Records to learn from."}],
            }
        ],
        "sources": [{"id": "paper", "title": "A paper"}],
        "cost_rules": [{"id": model, "approach": approach, "model": model} for approach, model in MODELS.items()],
        "assumptions": figures,
    }


def _completed_options(spec: dict[str, Any]) -> dict[str, Any]:
    """`question` fills in a label and explanation for plain values only: do it for dicts too."""
    for entry in spec["questions"]:
        for item in entry["options"]:
            item.setdefault("label", item["value"].capitalize())
            item.setdefault("explanation", f"Means {item['value']}.")
    return spec


@pytest.fixture
def base(tmp_path) -> Path:
    return write_tree(_completed_options(base_spec()), tmp_path / "base.yaml")


def company_tree(folder: Path, removal: str) -> Path:
    path = folder / "team.yaml"
    path.write_text(f"extends: base.yaml\nremove:\n  {removal}\n", encoding="utf-8")
    return path


def merged_findings(path: Path) -> list[Finding]:
    """What `check` finds in the tree `path` makes with the trees it extends, before the
    files layer places each finding (validated as `trees._validate` validates it)."""
    from adaptwise.domain.figures import cite_figures
    from adaptwise.domain.treecheck import check_tree
    from adaptwise.files.overlay import read_chain
    from adaptwise.files.validation import parse_tree

    def read(file: str, _shown: str) -> bytes:
        return Path(file).read_bytes()

    def shipped() -> tuple[str, str]:
        raise AssertionError("these trees never extend the shipped one")

    merged, _, problems = read_chain(str(path), path.name, read, shipped)
    assert not problems, problems
    tree, findings = parse_tree(merged.data)
    assert tree is not None, findings
    tree, cited = cite_figures(tree)
    return [*findings, *cited, *check_tree(tree)]


def checked(path: Path) -> list[Problem]:
    """`check`'s problems, with the tree named as a person in its folder names it."""
    from adaptwise.files.trees import check_tree_file

    with contextlib.chdir(path.parent):
        _, problems = check_tree_file(path.name)
    return problems


def test_the_base_tree_is_sound(base):
    assert merged_findings(base) == []
    assert checked(base) == []


def position_of(path: Path, written: str) -> tuple[int, int]:
    """The line and column of `written` in the `remove:` of the company tree at `path`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("remove:")
    for number, line in enumerate(lines[start:], start + 1):
        found = re.search(rf"\b{re.escape(written)}\b", line.split(":", 1)[-1])
        if found:
            return number, len(line.split(":", 1)[0]) + 1 + found.start() + 1
    raise AssertionError(f"{written!r} is not removed in {path}")


DANGLING_CASES = [
    pytest.param("techniques: [few_shot]", "technique", [("unknown-reference", Target("technique", "few_shot"))]),
    pytest.param("sources: [paper]", "source", [("unknown-reference", Target("source", "paper"))]),
    pytest.param("requirements: [ready]", "requirement set", [("unknown-reference", Target("requirement", "ready"))]),
    pytest.param(
        "questions: [size]",
        "question",
        [("unknown-node", Target("node", "size")), ("unknown-reference", Target("question", "size"))],
    ),
    pytest.param(
        "questions: [task]",
        "question",
        [("unknown-start", Target("node", "task")), ("unknown-reference", Target("question", "task"))],
    ),
    pytest.param("routes: [decide]", "route", [("unknown-node", Target("node", "decide"))]),
    pytest.param("outcomes: [classic]", "outcome", [("unknown-node", Target("node", "classic"))]),
    pytest.param("options: {size: [large]}", "option", [("unknown-option", Target("option", "large", "size"))]),
    pytest.param("options: {size: [small]}", "option", [("unknown-default", Target("option", "small", "size"))]),
    pytest.param(
        "assumptions: [gpu_hour_usd]", "assumption", [("undeclared-figure", Target("assumption", "gpu_hour_usd"))]
    ),
    pytest.param("assumptions: [fee]", "assumption", [("figure-of-unknown-assumption", Target("assumption", "fee"))]),
]


@pytest.mark.parametrize(("removal", "noun", "expected"), DANGLING_CASES)
def test_a_dangling_reference_a_removal_leaves_is_coded_and_placed_at_the_removal(
    base, removal: str, noun: str, expected: list[tuple[str, Target]]
):
    team = company_tree(base.parent, removal)
    findings = merged_findings(team)
    for code, target in expected:
        found = [finding for finding in findings if finding.code == code and target in finding.refers_to]
        assert found, (code, target, [(finding.code, finding.refers_to) for finding in findings])
        assert all(finding.dangling for finding in found)

    removed = expected[0][1].id
    line, column = position_of(team, removed)
    at_removal = [problem for problem in checked(team) if (problem.file, problem.line) == ("team.yaml", line)]
    prefix = f"removing {noun} '{removed}' leaves a dangling reference: "
    dangling = [finding for finding in findings if finding.dangling]
    assert len(at_removal) == len(dangling)  # one problem at the removal for each reference it left
    for problem, finding in zip(at_removal, dangling, strict=True):
        assert problem.column == column
        assert problem.message.startswith(prefix + finding.message + " (at base.yaml:"), problem.message
        assert problem.message.endswith(", in the tree it extends)")
        assert problem.hint == "change or remove that reference in this file too, or keep the entry"
        assert problem.question == finding.question


#: What else a removal can cause: not a dangling reference, so reported where it is, in the base.
OTHER_CASES = [
    pytest.param("cost_rules: [peft]", "unpriced-approach", (), id="cost rule"),
    pytest.param("options: {task: [records]}", "unreachable-node", (Target("question", "data"),), id="unreachable"),
    pytest.param("options: {size: [medium, large]}", "too-few-options", (), id="too few options"),
]


@pytest.mark.parametrize(("removal", "code", "refers_to"), OTHER_CASES)
def test_what_else_a_removal_causes_is_coded_and_stays_where_it_is(
    base, removal: str, code: str, refers_to: tuple[Target, ...]
):
    team = company_tree(base.parent, removal)
    found = [finding for finding in merged_findings(team) if finding.code == code]
    assert [finding.refers_to for finding in found] == [refers_to]
    assert not found[0].dangling
    problems = [problem for problem in checked(team) if problem.message == found[0].message]
    assert [problem.file for problem in problems] == ["base.yaml"]


def test_an_id_a_message_only_mentions_is_not_blamed_on_its_removal(base):
    """The option 'large' is removed, and a finding quotes 'large' without being about that
    option: only the condition that names the option is placed at the removal."""
    from adaptwise.files.overlay import dangling_removal
    from adaptwise.files.overlay_merge import merge
    from adaptwise.files.overlay_types import Merged
    from adaptwise.files.yamlsafe import load_yaml

    team = company_tree(base.parent, "options: {size: [large]}")
    merged, _ = merge(
        Merged.single(load_yaml(base.read_bytes(), "base.yaml")), load_yaml(team.read_bytes(), "team.yaml")
    )
    quoting = Finding(("questions", 2), "option 'large' has no explanation", "size", code="option-without-explanation")
    assert dangling_removal(merged.removals, quoting, "base.yaml:1:1") is None
    naming = Finding(
        ("routes", 0),
        "'large' is not an option of 'size'",
        "size",
        code="unknown-option",
        refers_to=(Target("option", "large", "size"),),
    )
    placed = dangling_removal(merged.removals, naming, "base.yaml:1:1")
    assert placed is not None and (placed.file, placed.line) == ("team.yaml", 3)
    other = Finding(
        (), "'large' is not an option of 'data'", code="unknown-option", refers_to=(Target("option", "large", "data"),)
    )
    assert dangling_removal(merged.removals, other, "base.yaml:1:1") is None


def test_the_merge_changes_neither_the_base_nor_the_company_tree(base):
    from adaptwise.files.overlay_merge import merge
    from adaptwise.files.overlay_types import Merged
    from adaptwise.files.yamlsafe import load_yaml

    team = company_tree(base.parent, "options: {size: [large]}")
    team.write_text(
        team.read_text(encoding="utf-8")
        + "questions:\n  - id: size\n    prompt: How big?\n    options:\n      - value: small\n        label: Tiny\n"
        + "assumptions:\n  - id: fee\n    range: [5, 9]\n",
        encoding="utf-8",
    )
    below = Merged.single(load_yaml(base.read_bytes(), "base.yaml"))
    above = load_yaml(team.read_bytes(), "team.yaml")
    before = copy.deepcopy((below.data, below.origins, below.layers, below.removals, above.data))
    merged, problems = merge(below, above)
    assert problems == []
    assert (below.data, below.origins, below.layers, below.removals, above.data) == before
    size = merged.data["questions"][2]
    assert (size["prompt"], [option["label"] for option in size["options"]]) == ("How big?", ["Tiny", "Medium"])


def test_the_sections_merged_by_id_are_the_trees_lists_of_entries():
    """A list section added to the model merges by id too, and a new entry of any section
    must give the fields the model has no default for."""
    import dataclasses
    import typing

    from adaptwise.domain.model import Tree
    from adaptwise.files.overlay_merge import _required
    from adaptwise.files.overlay_types import SECTIONS

    lists = [
        name
        for name, hint in typing.get_type_hints(Tree).items()
        if typing.get_origin(hint) is tuple and dataclasses.is_dataclass(typing.get_args(hint)[0])
    ]
    assert sorted(lists) == sorted(SECTIONS)
    assert (_required("questions"), _required("options"), _required("glossary")) == (
        ("id", "prompt"),
        ("value", "label"),
        ("term", "meaning"),
    )


def _finding_calls() -> list[tuple[str, int, ast.Call]]:
    calls = []
    for module in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding":
                calls.append((str(module.relative_to(SRC)), node.lineno, node))
    return calls


def test_every_finding_says_what_kind_it_is():
    calls = _finding_calls()
    assert len(calls) > 50
    uncoded = [f"{module}:{line}" for module, line, call in calls if "code" not in {k.arg for k in call.keywords}]
    assert uncoded == []


def test_every_dangling_code_is_made_somewhere():
    """`DANGLING` names codes the checks give (a code renamed in one place only would
    silently stop placing its findings at the removal)."""
    written = {
        node.value
        for module in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert set(DANGLING) <= written
