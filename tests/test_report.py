"""The Markdown and JSON reports: user text can never become markup (proved with
markdown-it-py's token stream), the footer replays, and the JSON carries the contract."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from adaptwise.domain.answers import check_answers
from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.errors import InputError
from adaptwise.domain.report import (
    answers_yaml,
    decision_dict,
    escape_markdown,
    render_json,
    render_markdown,
)

TODAY = date(2024, 3, 1)

HOSTILE = [
    "# Heading",
    "## Sub heading",
    "| a | b |",
    "| a | b | |---|---| | c | d |",
    "[x](http://evil)",
    "[x]: http://evil",
    "<http://evil.example>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "![img](x)",
    "`code` and ``more``",
    "```yaml",
    "<!-- -->",
    "*emph* and _under_ and **strong** and __bold__",
    "~~strike~~",
    "1. looks like a list",
    "- looks like a bullet",
    "+ plus bullet",
    "> a quote",
    "&amp; &lt;b&gt; &#60;script&#62;",
    "Recommendation: Training",
    "trailing backslash\\",
    "===",
    "---",
    "Team #1 bot",
    "a\\*b\\*c",
]
#: Token types that must never come from user text.
MARKUP = (
    "heading_open",
    "table_open",
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "em_open",
    "strong_open",
    "code_inline",
    "fence",
    "code_block",
    "blockquote_open",
    "bullet_list_open",
    "ordered_list_open",
    "list_item_open",
    "hr",
    "s_open",
    "hardbreak",
)


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def flatten(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from flatten(token.children)


def markup_counts(markdown: str) -> Counter[str]:
    return Counter(token.type for token in flatten(parser().parse(markdown)) if token.type in MARKUP)


def html_text(text: str) -> str:
    """How markdown-it writes literal text into HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def report(tree, loaded_tree, **answers) -> tuple[Decision, str]:
    decision = decide(tree, with_defaults(tree, answers))
    return decision, render_markdown(decision, tree, sha256=loaded_tree.sha256, today=TODAY)


def heading_text(markdown: str) -> str:
    tokens = parser().parse(markdown)
    index = next(i for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h1")
    children = tokens[index + 1].children
    assert children is not None, "the heading has no inline content"
    return "".join(child.content for child in children if child.type == "text")


def yaml_block(markdown: str) -> str:
    fences = [token for token in parser().parse(markdown) if token.type == "fence" and token.info.strip() == "yaml"]
    assert len(fences) == 1
    return fences[0].content


# --- hostile free text ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tree, loaded_tree):
    _, markdown = report(tree, loaded_tree, initiative="Safe name", budget_owner="Safe owner")
    return markup_counts(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_initiative_is_literal(tree, loaded_tree, baseline, text):
    assert check_answers(tree, {"initiative": text}) == {"initiative": text}
    _, markdown = report(tree, loaded_tree, initiative=text, budget_owner="Safe owner")
    assert markup_counts(markdown) == baseline
    assert heading_text(markdown) == f"{text}: adaptwise recommendation ({TODAY.isoformat()})"
    html = parser().render(markdown)
    assert f"<h1>{html_text(text)}: adaptwise recommendation" in html
    assert f"<strong>{html_text(text)}</strong>" in html  # the path step
    assert [line for line in markdown.splitlines() if line.startswith("Recommendation:")] == [
        "Recommendation: Prompt engineering"
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_budget_owner_is_literal(tree, loaded_tree, baseline, text):
    _, markdown = report(tree, loaded_tree, initiative="Safe name", budget_owner=text)
    assert markup_counts(markdown) == baseline
    html = parser().render(markdown)
    assert f"who owns the budget: {html_text(text)}" in html
    assert "No budget owner named" not in markdown


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips_through_the_footer(tree, loaded_tree, text):
    decision, markdown = report(tree, loaded_tree, initiative=text, budget_owner=text)
    replayed = yaml.safe_load(yaml_block(markdown))
    assert replayed == decision.answers
    assert replayed["initiative"] == text and replayed["budget_owner"] == text


def test_text_with_line_breaks_stays_on_one_line(tree, loaded_tree, baseline):
    """The engine takes any string; the renderer alone must keep it from starting a block."""
    text = "name\n# Injected heading\n\n| a | b |\n|---|---|\n| c | d |\n<script>x</script>\n- item"
    _, markdown = report(tree, loaded_tree, initiative=text, budget_owner=text)
    assert markup_counts(markdown) <= baseline
    assert "Injected heading" in heading_text(markdown)


SAFE_ALPHABET = st.sampled_from(list("#|[]()!<>`*_-+=.~&;:/\\\"' 1aZ")) | st.characters(
    blacklist_categories=("Cc", "Cs")
)


@settings(max_examples=200, deadline=None)
@given(text=st.text(SAFE_ALPHABET, min_size=1, max_size=60))
def test_any_valid_free_text_adds_no_markup(tree, loaded_tree, baseline, text):
    try:
        check_answers(tree, {"initiative": text, "budget_owner": text})
    except InputError:
        return  # refused before it could reach a report
    _, markdown = report(tree, loaded_tree, initiative=text, budget_owner=text)
    counts = markup_counts(markdown)
    for kind in MARKUP:
        assert counts[kind] <= baseline[kind], (kind, text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(SAFE_ALPHABET, max_size=80))
def test_escape_markdown_renders_as_the_literal_text(text):
    escaped = escape_markdown(text)
    assert "\n" not in escaped
    collapsed = " ".join(text.split())
    rendered = parser().render(escaped)
    assert rendered == (f"<p>{html_text(collapsed)}</p>\n" if collapsed else "")


# --- the footer and the verdict ---------------------------------------------------------------


def test_footer_replays_through_the_command_line(run_cli, tmp_path):
    answers = [
        "--initiative=Claims *triage* | bot",
        "--budget_owner=Ops & <Finance>",
        "--base_models=behavior_gap",
        "--proprietary_data=curated_examples",
        "--data_quality=reviewed",
        "--budget=10k_to_100k",
        "--infrastructure=cloud",
        "--expertise=ml_engineers",
    ]
    markdown = run_cli("recommend", "--defaults", *answers)
    assert markdown.returncode == 0, markdown.stderr
    replay_file = tmp_path / "replay.yaml"
    replay_file.write_text(yaml_block(markdown.stdout), encoding="utf-8")
    original = run_cli("recommend", "--defaults", "--format", "json", *answers)
    replayed = run_cli("recommend", "--answers", replay_file, "--format", "json")  # no --defaults needed
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout) == json.loads(original.stdout)
    assert run_cli("recommend", "--answers", replay_file).stdout == markdown.stdout


def test_footer_names_tree_version_and_sha(tree, loaded_tree, shipped_tree_path):
    _, markdown = report(tree, loaded_tree)
    footer = markdown.split("## Reproducibility", 1)[1]
    assert tree.version in footer
    assert hashlib.sha256(shipped_tree_path.read_text(encoding="utf-8").encode("utf-8")).hexdigest() in footer


@pytest.mark.parametrize(
    "approach_answers, label",
    [
        ({"task": "tabular_prediction", "proprietary_data": "large_labeled"}, "Train a classic ML model"),
        (
            {
                "base_models": "behavior_gap",
                "proprietary_data": "curated_examples",
                "data_quality": "reviewed",
                "budget": "10k_to_100k",
                "infrastructure": "cloud",
                "expertise": "ml_engineers",
            },
            "Fine-tuning",
        ),
        ({}, "Prompt engineering"),
    ],
)
def test_verdict_line_and_sections(tree, loaded_tree, approach_answers, label):
    decision, markdown = report(tree, loaded_tree, **approach_answers)
    lines = markdown.splitlines()
    assert lines.count(f"Recommendation: {label}") == 1
    h1 = [token for token in parser().parse(markdown) if token.type == "heading_open" and token.tag == "h1"]
    assert len(h1) == 1
    for heading in (
        "## Why",
        "## The three questions",
        "## Next steps",
        "## Not recommended",
        "## Sources",
        "## Reproducibility",
    ):
        assert heading in lines, heading
    three = markdown.split("## The three questions", 1)[1].split("\n## ", 1)[0]
    for ask in ("With what data?", "With what infrastructure?", "Whose budget?"):
        assert f"**{ask}**" in three
    for technique in decision.techniques:
        assert tree.technique_label(technique) in markdown
    for step in decision.path:
        assert step.question.prompt in markdown


def test_unsure_answers_are_listed_as_caveats(tree, loaded_tree):
    decision, markdown = report(
        tree, loaded_tree, budget="unknown", proprietary_data="curated_examples", data_quality="unknown"
    )
    caveats = markdown.split("## Caveats", 1)[1].split("\n## ", 1)[0]
    for question_id in ("budget", "data_quality"):
        caveat = tree.question_by_id[question_id].option("unknown").caveat
        assert " ".join(caveat.split()) in " ".join(caveats.split())


# --- budget owner -------------------------------------------------------------------------------


def test_missing_budget_owner_is_flagged_by_name(tree, loaded_tree):
    _, markdown = report(tree, loaded_tree, budget="10k_to_100k")
    line = next(line for line in markdown.splitlines() if line.startswith("- **Whose budget?**"))
    assert "No budget owner named" in line and "**Open:**" in line
    _, named = report(tree, loaded_tree, budget="10k_to_100k", budget_owner="CFO")
    line = next(line for line in named.splitlines() if line.startswith("- **Whose budget?**"))
    assert "No budget owner named" not in line and "CFO" in line and "**Open:**" not in line


def test_blank_budget_owner_is_flagged_as_missing(tree, loaded_tree):
    """A budget owner of only spaces names nobody."""
    _, markdown = report(tree, loaded_tree, budget="10k_to_100k", budget_owner="   ")
    assert "No budget owner named" in markdown


# --- JSON ---------------------------------------------------------------------------------------


def test_json_holds_the_contract(run_cli, shipped_tree_path, tree):
    result = run_cli("recommend", "--defaults", "--format", "json", "--initiative=X <b>", "--budget_owner=CFO")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("approach", "techniques", "path", "rationale", "questions", "answers", "tree"):
        assert key in data, key
    assert data["approach"] in ("prompt_engineering", "fine_tuning", "training")
    assert isinstance(data["techniques"], list) and isinstance(data["rationale"], list)
    assert set(data["questions"]) == {"data", "infrastructure", "budget"}
    for plan in data["questions"].values():
        assert {"ask", "answer", "open"} <= set(plan)
    assert data["tree"]["version"] == tree.version
    expected = hashlib.sha256(shipped_tree_path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    assert data["tree"]["sha256"] == expected
    assert data["answers"]["initiative"] == "X <b>"
    assert data["answers"]["budget_owner"] == "CFO"
    for step in data["path"]:
        assert {"question", "answer", "meant"} <= set(step)


def test_json_in_process_matches_decision(tree, loaded_tree):
    decision = decide(tree, with_defaults(tree, {"initiative": 'ü ✓ "quoted"'}))
    text = render_json(decision, tree, sha256=loaded_tree.sha256)
    assert text.endswith("\n")
    data = json.loads(text)
    assert data == json.loads(json.dumps(decision_dict(decision, tree, sha256=loaded_tree.sha256)))
    assert data["answers"]["initiative"] == 'ü ✓ "quoted"'
    assert "ü ✓" in text  # UTF-8, not \u escapes


# --- answers_yaml ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "yes",
        "no",
        "on",
        "off",
        "null",
        "true",
        "~",
        "123",
        "1e3",
        "0x1F",
        "10k_to_100k",
        "a: b",
        "- x",
        "#x",
        "'",
        '"',
        "\\",
        "é",
        "  padded  ",
        "2024-01-01",
        "1:20",
        "<<",
        "&a",
        "*a",
        "!!python/object",
    ],
)
def test_answers_yaml_keeps_every_value_a_string(value):
    text = answers_yaml({"initiative": value, "task": "text_generation"})
    assert yaml.safe_load(text) == {"initiative": value, "task": "text_generation"}


def test_answers_yaml_is_accepted_by_the_strict_loader(tree, tmp_path):
    from adaptwise.files.answers_file import load_answers_file

    answers = with_defaults(tree, {"initiative": "yes", "budget_owner": "no", "budget": "10k_to_100k"})
    path = tmp_path / "a.yaml"
    path.write_text(answers_yaml(answers), encoding="utf-8")
    assert load_answers_file(path, tree) == answers
    assert re.search(r"^budget: \"10k_to_100k\"$|^budget: 10k_to_100k$", path.read_text(), re.MULTILINE)


def test_a_source_with_a_link_is_written_as_an_autolink(tmp_path):
    """`<https://…>`: a bare address with `_` or `)` in it would be misread as markup."""
    from treebuilder import build_tree, outcome, question

    link = "https://example.org/papers/lora_(2021)?q=a_b"
    tree = build_tree(
        {
            "questions": [question("task", ["text", "other"], next="done")],
            "outcomes": [outcome("done", sources=["paper", "article"])],
            "sources": [
                {"id": "paper", "title": "A paper with a link", "where": link},
                {"id": "article", "title": "An article without one", "where": "a trade magazine, 2024"},
            ],
        },
        tmp_path,
    )
    report = render_markdown(decide(tree, {"task": "text"}), tree, sha256="0" * 64, today=TODAY)
    section = report.split("## Sources", 1)[1]
    assert f"- A paper with a link: <{link}>" in section.splitlines()
    assert "- An article without one (a trade magazine, 2024)" in section.splitlines()
    # The link survives as one link, its address whole.
    tokens = MarkdownIt("commonmark").parseInline(f"- A paper with a link: <{link}>")[0].children
    assert tokens is not None
    assert [token.attrs.get("href") for token in tokens if token.type == "link_open"] == [link]
