"""People never see the word "seed" or a source file name: articles are cited by what a
reader can find (title, publisher or author, date, link), in the tree and in reports."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.report import decision_dict, render_markdown

from profiles import PUBLIC

SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b", re.IGNORECASE)
ANSWERS = Path(__file__).resolve().parent / "data" / "answers"
BARE_FILE = re.compile(r"[\w.-]+\.\w{1,5}")


def offending(text: str) -> list[str]:
    return [match.group(0) for pattern in (SEED, FILE_NAME) for match in pattern.finditer(text)]


def strings(value: object, at: str) -> Iterator[tuple[str, str, str]]:
    """(where, field name, text) for every string in a loaded tree's dataclasses."""
    if isinstance(value, str):
        yield at, at.rsplit(".", 1)[-1], value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from strings(getattr(value, item.name), f"{at}.{item.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{at}[{key}]")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from strings(item, f"{at}[{index}]")


def declared_ids(tree) -> set[str]:
    """Every id the tree declares (nodes, options, sources, ...): never shown as prose."""
    return {text for _, name, text in strings(tree, "tree") if name in {"id", "value"}}


def test_the_walk_sees_the_prose(tree):
    """The walk reaches intro, help, caveats, glossary, rationales and sources."""
    seen = {at.split("[", 1)[0].split(".", 2)[1] for at, _, _ in strings(tree, "tree")}
    assert {"intro", "questions", "outcomes", "modifiers", "glossary", "sources", "assumptions"} <= seen
    assert any(".caveat" in at for at, _, _ in strings(tree, "tree"))
    assert any(".why" in at for at, _, _ in strings(tree, "tree"))


def test_no_string_in_the_tree_names_a_seed_or_a_file(tree):
    ids = declared_ids(tree)
    found = [
        (at, offending(text))
        for at, name, text in strings(tree, "tree")
        if name not in {"id", "value"} and text not in ids and offending(text)
    ]
    assert not found, "\n".join(f"{at}: {words}" for at, words in found)


def test_every_source_reads_like_a_citation(tree):
    assert tree.sources
    for source in tree.sources:
        assert source.title.strip(), source.id
        assert not offending(source.title) and not offending(source.where), source.id
        if not source.where.startswith("https://"):
            # No link survives: the title names who published it and when (a year, or
            # "undated"), and any `where` is words, never a file's name.
            assert re.search(r"\b(19|20)\d\d\b|undated", source.title), source.id
            assert not source.where or (not BARE_FILE.fullmatch(source.where) and " " in source.where), source.id
        assert not SEED.search(source.id.replace("_", " ")), source.id


def test_every_cited_source_exists(tree):
    cited = [(outcome.id, source) for outcome in tree.outcomes for source in outcome.sources]
    cited += [(modifier.id, source) for modifier in tree.modifiers for source in modifier.sources]
    cited += [(assumption.id, source) for assumption in tree.assumptions for source in assumption.sources]
    missing = [(owner, source) for owner, source in cited if source not in tree.source_by_id]
    assert not missing


@pytest.mark.parametrize("example", PUBLIC, ids=lambda e: e.name)
def test_reports_cite_no_seed_or_file(tree, loaded_tree, example):
    decision = decide(tree, with_defaults(tree, example.answers))
    markdown = render_markdown(decision, tree, sha256=loaded_tree.sha256, today=date(2024, 1, 1))
    assert "## Sources" in markdown
    assert not offending(markdown)
    assert not offending(json.dumps(decision_dict(decision, tree, sha256=loaded_tree.sha256)))


@pytest.mark.parametrize(
    "answers",
    sorted(path.name for path in ANSWERS.iterdir() if path.suffix in {".yaml", ".json"}),
)
def test_recommend_on_the_command_line_cites_no_seed_or_file(run_cli, answers):
    result = run_cli("recommend", "--defaults", "--answers", ANSWERS / answers)
    assert result.returncode == 0, result.stderr
    assert "## Sources" in result.stdout
    # The report's file-name-free parts: the answers file is named in the replay command.
    report = result.stdout.replace(str(ANSWERS / answers), "ANSWERS").replace(answers, "ANSWERS")
    assert not offending(report), offending(report)
