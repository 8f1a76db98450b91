"""Beyond the verdict: what would change it, and what it depends on when answers are unsure.

Pure functions over the engine. Every claim is a re-run of `decide`: a what-if is the
decision with one answer changed, and the possible approaches under "Not sure" are the
decisions for every value the unsure answers could take.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide, with_defaults
from adaptwise.domain.model import APPROACH_LABELS, APPROACHES, Tree
from adaptwise.domain.questions import Question


@dataclass(frozen=True, slots=True)
class WhatIf:
    question: str
    answer: str
    approach: str
    techniques: tuple[str, ...]
    assumed: dict[str, str]
    """Answers to questions the change newly opens and nobody answered, taken at their defaults."""
    summary: str


@dataclass(frozen=True, slots=True)
class Branch:
    """One value of the decisive question, and the approaches still possible with it."""

    answer: str
    label: str
    approaches: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Decisive:
    question: str
    prompt: str
    branches: tuple[Branch, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class Insight:
    what_if: tuple[WhatIf, ...]
    possible_approaches: tuple[str, ...]
    unsure: tuple[str, ...]
    """Questions answered 'Not sure' on the path."""
    decisive: Decisive | None


def explain(tree: Tree, decision: Decision) -> Insight:
    possible, unsure, decisive = _under_uncertainty(tree, decision)
    return Insight(what_if(tree, decision), possible, unsure, decisive)


def answers_given(decision: Decision) -> dict[str, str]:
    """Every answer the person gave, off the path too: a change that opens a question they
    already answered (expertise, once the budget allows tuning) takes their answer, not its default."""
    return {**decision.unused_answers, **decision.answers}


def rerun(tree: Tree, answers: Mapping[str, str], question: str, value: str) -> tuple[Decision, dict[str, str]]:
    """The decision with one answer changed; questions it newly opens and `answers` does not
    answer take their defaults."""
    changed = {**answers, question: value}
    completed = with_defaults(tree, changed)
    assumed = {key: completed[key] for key in completed if key not in changed}
    return decide(tree, completed), assumed


def what_if(tree: Tree, decision: Decision) -> tuple[WhatIf, ...]:
    """Each one-answer change that alters the approach or a notable technique."""
    entries = []
    for step in decision.path:
        question = step.question
        if question.is_text:
            continue
        for value in alternatives(question, step.answer):
            other, assumed = rerun(tree, answers_given(decision), question.id, value)
            if not _differs(tree, decision, other):
                continue
            entries.append(
                WhatIf(
                    question=question.id,
                    answer=value,
                    approach=other.approach,
                    techniques=other.techniques,
                    assumed=assumed,
                    summary=_summary(tree, question, value, decision, other, assumed),
                )
            )
    return tuple(entries)


def alternatives(question: Question, answer: str) -> list[str]:
    """The answers a what-if tries instead of `answer`: every other option, and for a question
    that takes several answers, `answer` with one value added or taken away."""
    tried = list(question.values)
    chosen = set(question.parts(answer))
    if chosen <= set(question.combinable):  # an answer that stands alone combines with nothing
        tried += [question.combine(changed) for value in question.combinable if (changed := chosen ^ {value})]
    return [value for value in dict.fromkeys(tried) if value != answer]


def _in_what_ifs(tree: Tree, technique_id: str) -> str:
    technique = tree.technique_by_id.get(technique_id)
    return technique.in_what_ifs if technique else "named"


def _tracked(tree: Tree) -> list[str]:
    """Techniques whose arrival or departure is a what-if even when the approach holds."""
    return [technique.id for technique in tree.techniques if technique.in_what_ifs == "tracked"]


def _differs(tree: Tree, before: Decision, after: Decision) -> bool:
    if before.approach != after.approach:
        return True
    return any((t in before.techniques) != (t in after.techniques) for t in _tracked(tree))


def _summary(
    tree: Tree, question: Question, value: str, before: Decision, after: Decision, assumed: dict[str, str]
) -> str:
    text = f"If {condition_phrase(tree, question.id, value)} → {after.approach_label}"
    changes = []
    for technique in _tracked(tree):
        if technique in after.techniques and technique not in before.techniques:
            changes.append(f"adding {tree.technique_label(technique)}")
        elif technique in before.techniques and technique not in after.techniques:
            changes.append(f"without {tree.technique_label(technique)}")
    main = [t for t in after.techniques if _in_what_ifs(tree, t) == "named"]
    if after.approach != before.approach and main:
        changes.insert(0, "with " + " and ".join(tree.technique_label(t) for t in main))
    if changes:
        text += " (" + "; ".join(changes) + ")"
    if assumed:
        text += ", assuming " + " and ".join(
            condition_phrase(tree, key, value, default=True) for key, value in assumed.items()
        )
    return text + "."


def condition_phrase(tree: Tree, question_id: str, value: str, *, default: bool = False) -> str:
    """An answer as the condition of a sentence: 'the budget were over $1M'; a combination
    joins its options' phrases with "and"."""
    question = tree.question_by_id[question_id]
    options = question.options_of(value)
    if options and all(option.if_chosen for option in options):
        return " and ".join(option.if_chosen for option in options)
    label = tree.answer_label(question_id, value)
    return f"the answer to '{question.prompt}' were '{label}'" + (" (its default)" if default else "")


def outcome_phrase(tree: Tree, before: Decision, entry: WhatIf) -> str:
    """Where a what-if leads, without brackets around the technique labels (which have
    their own): 'Prompt engineering with few-shot prompting', 'Fine-tuning, without
    retrieval (RAG)'."""
    text = APPROACH_LABELS[entry.approach]
    if entry.approach != before.approach:
        main = [t for t in entry.techniques if _in_what_ifs(tree, t) == "named"]
        if main:
            text += " with " + " and ".join(tree.technique_label(t) for t in main)
    for technique in _tracked(tree):
        if technique in entry.techniques and technique not in before.techniques:
            text += f", adding {tree.technique_label(technique)}"
        elif technique in before.techniques and technique not in entry.techniques:
            text += f", without {tree.technique_label(technique)}"
    return text


def what_ifs_by_outcome(tree: Tree, decision: Decision, insight: Insight) -> list[str]:
    """What-ifs grouped by where they lead, each outcome once: '**Prompt engineering with
    few-shot prompting** if any of: the budget were under $10k; no budget were agreed.'
    Answers to one question in one group share their words ('the budget were under $10k
    or $10k to $100k')."""
    groups: dict[str, list[WhatIf]] = {}
    for entry in insight.what_if:
        groups.setdefault(outcome_phrase(tree, decision, entry), []).append(entry)
    lines = []
    for phrase, entries in groups.items():
        conditions: list[str] = []
        by_question: dict[tuple[str, tuple[tuple[str, str], ...]], list[WhatIf]] = {}
        for entry in entries:
            by_question.setdefault((entry.question, tuple(entry.assumed.items())), []).append(entry)
        for (question, assumed), same in by_question.items():
            condition = _joined([condition_phrase(tree, question, entry.answer) for entry in same])
            if assumed:
                condition += ", assuming " + " and ".join(
                    condition_phrase(tree, key, value, default=True) for key, value in assumed
                )
            conditions.append(condition)
        if len(conditions) == 1:
            lines.append(f"**{phrase}** if {conditions[0]}.")
        else:
            lines.append(f"**{phrase}** if any of: " + "; ".join(conditions) + ".")
    return lines


def _joined(phrases: list[str]) -> str:
    """'the budget were under $10k or $10k to $100k': one question's answers, said once."""
    if len(phrases) == 1:
        return phrases[0]
    shared = _shared_words(phrases)
    rests = [phrase[len(shared) :] for phrase in phrases] if shared else phrases
    return shared + ", ".join(rests[:-1]) + " or " + rests[-1]


def _shared_words(phrases: list[str]) -> str:
    """The words every phrase starts with ('the budget were '), or '' if none."""
    words = [phrase.split(" ") for phrase in phrases]
    shared = []
    for column in zip(*words, strict=False):
        if len(set(column)) > 1:
            break
        shared.append(column[0])
    # Keep at least one word of each phrase's own.
    shared = shared[: min(len(w) for w in words) - 1]
    return " ".join(shared) + " " if shared else ""


def _under_uncertainty(tree: Tree, decision: Decision) -> tuple[tuple[str, ...], tuple[str, ...], Decisive | None]:
    unsure = [
        step.question
        for step in decision.path
        if any(option.unsure for option in step.question.options_of(step.answer))
    ]
    if not unsure:
        return (decision.approach,), (), None
    candidates = {question.id: _known_values(question) for question in unsure}
    outcomes: dict[tuple[str, ...], str] = {}
    for values in product(*candidates.values()):
        assignment = dict(zip(candidates, values, strict=True))
        answers = with_defaults(tree, {**answers_given(decision), **assignment})
        outcomes[values] = decide(tree, answers).approach
    possible = _ordered(set(outcomes.values()))
    decisive = _decisive(tree, candidates, outcomes) if len(possible) > 1 else None
    return possible, tuple(question.id for question in unsure), decisive


def _known_values(question: Question) -> tuple[str, ...]:
    """The answers that are not "Not sure" (each combination too, for several answers)."""
    return tuple(
        value for value in question.answer_values if not any(option.unsure for option in question.options_of(value))
    )


def _decisive(tree: Tree, candidates: dict[str, tuple[str, ...]], outcomes: dict[tuple[str, ...], str]) -> Decisive:
    """The unsure question whose answer leaves the fewest approaches open, at worst."""
    ids = list(candidates)
    best: tuple[tuple[int, float], str, list[Branch]] | None = None
    for position, question_id in enumerate(ids):
        branches = []
        for value in candidates[question_id]:
            approaches = {approach for values, approach in outcomes.items() if values[position] == value}
            label = tree.answer_label(question_id, value)
            branches.append(Branch(value, label, _ordered(approaches)))
        sizes = [len(branch.approaches) for branch in branches]
        score = (max(sizes), sum(sizes) / len(sizes))
        if best is None or score < best[0]:
            best = (score, question_id, branches)
    assert best is not None
    _, question_id, branches = best
    question = tree.question_by_id[question_id]
    summary = _combination_sentence(tree, candidates, outcomes) or _depends_sentence(tree, question, branches)
    return Decisive(question_id, question.prompt, tuple(branches), summary)


def _combination_sentence(
    tree: Tree, candidates: dict[str, tuple[str, ...]], outcomes: dict[tuple[str, ...], str]
) -> str | None:
    """Where two approaches remain and the more ambitious one needs answers to several unsure
    questions together: 'If the data were reviewed *and* the budget were $10k to $100k or
    more → Fine-tuning; otherwise → Prompt engineering.' None where no such combination
    decides (three approaches, one question, or answers that do not combine as a product)."""
    possible = _ordered(set(outcomes.values()))
    if len(possible) != 2:
        return None
    lower, higher = possible
    ids = list(candidates)
    winning = [values for values, approach in outcomes.items() if approach == higher]
    chosen = [{values[position] for values in winning} for position in range(len(ids))]
    size = 1
    for values in chosen:
        size *= len(values)
    if size != len(winning):  # not "these answers and those": no one sentence says it
        return None
    conditions = [
        _joined([condition_phrase(tree, question_id, value) for value in candidates[question_id] if value in values])
        for question_id, values in zip(ids, chosen, strict=True)
        if len(values) < len(candidates[question_id])
    ]
    if len(conditions) < 2:
        return None
    return f"If {' *and* '.join(conditions)} → {APPROACH_LABELS[higher]}; otherwise → {APPROACH_LABELS[lower]}."


def _depends_sentence(tree: Tree, question: Question, branches: list[Branch]) -> str:
    """'Your answer depends on the budget: if it is under $10k, then Prompt engineering; …'."""
    grouped: dict[tuple[str, ...], list[str]] = {}
    for branch in branches:
        grouped.setdefault(branch.approaches, []).append(lower_first(branch.label))
    clauses = []
    for approaches, labels in grouped.items():
        listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        result = " or ".join(APPROACH_LABELS[approach] for approach in approaches)
        clauses.append(f"if it is {listed}, then {result}")
    return f"Your answer depends on {_topic(question)}: " + "; ".join(clauses) + "."


def lower_first(text: str) -> str:
    """'Under $10k' -> 'under $10k', leaving 'ML engineers' as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _topic(question: Question) -> str:
    return question.topic or f"'{question.prompt}'"


def _ordered(approaches: set[str]) -> tuple[str, ...]:
    return tuple(approach for approach in APPROACHES if approach in approaches)


def blockers(decision: Decision) -> dict[str, list[str]]:
    """For each approach above the recommended one that it falls short of, what is missing.

    Where several requirement sets lead to one approach, the nearest (fewest missing) speaks.
    """
    above = APPROACHES[APPROACHES.index(decision.approach) + 1 :]
    nearest: dict[str, list[str]] = {}
    for shortfall in decision.shortfalls:
        if shortfall.approach not in above:
            continue
        missing = [f"{item.need} (you have: {item.have})" for item in shortfall.missing]
        if shortfall.approach not in nearest or len(missing) < len(nearest[shortfall.approach]):
            nearest[shortfall.approach] = missing
    return {approach: nearest[approach] for approach in APPROACHES if approach in nearest}
