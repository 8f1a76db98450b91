"""What a what-if says changes, on a tree declared here (tests/treebuilder.py).

A what-if that changes the approach names the new approach's `named` techniques (never its
`silent` ones); one that keeps the approach names only the `tracked` techniques it adds or
takes away; and a tracked technique that neither decision has is never mentioned. The
sentence (`WhatIf.summary`) and the grouped phrase (`outcome_phrase`) say the same.
Mutation testing found these unpinned: a what-if could have claimed "adding" a technique
neither decision has, or named techniques only when the approach held.
"""

from __future__ import annotations

import pytest
from treebuilder import build_tree, option, outcome, question, route

from adaptwise.domain.engine import decide
from adaptwise.domain.insight import explain, outcome_phrase, what_ifs_by_outcome

TREE = {
    "questions": [
        question(
            "task",
            [option("writing", if_chosen="the task were writing"), option("lookup", if_chosen="the task were lookup")],
            next="data",
        ),
        question(
            "data",
            [option("none", if_chosen="there were no data"), option("lots", if_chosen="there were lots of data")],
            next="decide",
        ),
    ],
    "routes": [route("decide", [({"data": "lots"}, "tuning")], otherwise="prompting")],
    "outcomes": [
        outcome("prompting", techniques=["few_shot"]),
        outcome("tuning", approach="fine_tuning", techniques=["lora", "evals"]),
    ],
    "modifiers": [{"id": "look_up", "when": {"task": "lookup"}, "add_techniques": ["retrieval"]}],
    "techniques": [
        {"id": "few_shot", "label": "Few-shot examples", "meaning": "Worked examples in the prompt."},
        {"id": "lora", "label": "LoRA", "meaning": "Low-rank adapters."},
        {"id": "evals", "label": "Evaluations", "meaning": "Tests of the model.", "in_what_ifs": "silent"},
        {"id": "retrieval", "label": "Retrieval", "meaning": "Look facts up.", "in_what_ifs": "tracked"},
        {"id": "guardrails", "label": "Guardrails", "meaning": "Checks on output.", "in_what_ifs": "tracked"},
    ],
}


@pytest.fixture(scope="module")
def tree():
    return build_tree(TREE)


def _what_ifs(tree, answers):
    decision = decide(tree, answers)
    insight = explain(tree, decision)
    return decision, insight, {(entry.question, entry.answer): entry for entry in insight.what_if}


def test_a_change_of_approach_names_its_named_techniques_only(tree):
    decision, _, entries = _what_ifs(tree, {"task": "writing", "data": "none"})
    tuning = entries["data", "lots"]
    assert tuning.approach == "fine_tuning"
    assert tuning.summary == "If there were lots of data → Fine-tuning (with LoRA)."
    assert outcome_phrase(tree, decision, tuning) == "Fine-tuning with LoRA"


def test_keeping_the_approach_names_only_the_tracked_technique_it_adds(tree):
    decision, _, entries = _what_ifs(tree, {"task": "writing", "data": "none"})
    looked_up = entries["task", "lookup"]
    assert looked_up.approach == "prompt_engineering" and "retrieval" in looked_up.techniques
    assert looked_up.summary == "If the task were lookup → Prompt engineering (adding Retrieval)."
    assert outcome_phrase(tree, decision, looked_up) == "Prompt engineering, adding Retrieval"


def test_keeping_the_approach_names_the_tracked_technique_it_takes_away(tree):
    decision, _, entries = _what_ifs(tree, {"task": "lookup", "data": "none"})
    writing = entries["task", "writing"]
    assert writing.summary == "If the task were writing → Prompt engineering (without Retrieval)."
    assert outcome_phrase(tree, decision, writing) == "Prompt engineering, without Retrieval"


def test_an_answer_that_changes_nothing_tracked_is_no_what_if(tree):
    decision, insight, entries = _what_ifs(tree, {"task": "writing", "data": "lots"})
    # writing → lookup keeps fine-tuning and adds retrieval: a what-if; nothing names guardrails
    assert set(entries) == {("data", "none"), ("task", "lookup")}
    lines = what_ifs_by_outcome(tree, decision, insight)
    assert lines == [
        "**Fine-tuning, adding Retrieval** if the task were lookup.",
        "**Prompt engineering with Few-shot examples** if there were no data.",
    ]
    assert not any("Guardrails" in line or "Evaluations" in line for line in lines)
