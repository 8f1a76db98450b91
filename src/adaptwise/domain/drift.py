"""Replaying a report's answers with today's tree, and the drift.

`replay` checks each recorded answer against the current tree, decides again, and lists
what moved: answers that no longer exist or are no longer allowed, questions the path now
asks that the report never answered (and what their defaults would give), answers no
longer asked, and whether the recommendation changed, from what to what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adaptwise.domain.errors import InputError
from adaptwise.domain.lineage import TreeStamp
from adaptwise.domain.model import Tree
from adaptwise.domain.text import echo

#: File names are echoed longer than values: their end is what tells them apart.
MAX_PATH = 200

if TYPE_CHECKING:
    from adaptwise.domain.decision import Decision


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a report says was decided, and from which answers."""

    version: str
    sha256: str
    approach: str
    techniques: tuple[str, ...]
    outcome: str
    answers: dict[str, Any]
    """Raw values as the YAML gave them; checked against the tree by `replay`."""
    bases: tuple[TreeStamp, ...] = ()
    """The trees the report's company tree extended, nearest first."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a decision comes to, as reports and regression cases record it and replays compare."""

    approach: str
    techniques: tuple[str, ...]
    outcome: str

    @classmethod
    def of(cls, decision: Decision) -> Verdict:
        return cls(decision.approach, decision.techniques, decision.outcome)

    def as_dict(self) -> dict[str, Any]:
        return {"approach": self.approach, "techniques": list(self.techniques), "outcome": self.outcome}


@dataclass(slots=True)
class Drift:
    recorded: Recorded
    tree_version: str
    tree_sha256: str
    bases: tuple[TreeStamp, ...] = ()
    """The trees today's company tree extends, nearest first."""
    removed: list[tuple[str, Any]] = field(default_factory=list)
    """Answers to questions the tree no longer has."""
    disallowed: list[tuple[str, Any, str]] = field(default_factory=list)
    """Answers the question no longer allows: (question, value, why)."""
    new_questions: list[tuple[str, str | None]] = field(default_factory=list)
    """Questions the path now asks that the report never answered, with their defaults."""
    unanswered: list[tuple[str, str | None]] = field(default_factory=list)
    """Questions whose recorded answer was refused, so they now need one (with defaults)."""
    no_longer_asked: list[tuple[str, str]] = field(default_factory=list)
    before: Verdict | None = None
    after: Verdict | None = None
    with_defaults: bool = False
    """Whether `after` needed defaults for unanswered questions."""

    @property
    def tree_changed(self) -> bool:
        return self.tree_sha256 != self.recorded.sha256

    @property
    def bases_changed(self) -> bool:
        """Whether the trees extended differ from the report's (in number, version or text)."""
        recorded = [(base.version, base.sha256) for base in self.recorded.bases]
        return recorded != [(base.version, base.sha256) for base in self.bases]

    @property
    def recommendation_changed(self) -> bool:
        return self.before != self.after

    @property
    def changed(self) -> bool:
        return bool(
            self.removed
            or self.disallowed
            or self.new_questions
            or self.unanswered
            or self.no_longer_asked
            or self.recommendation_changed
        )


def replay(tree: Tree, sha256: str, recorded: Recorded, bases: tuple[TreeStamp, ...] = ()) -> Drift:
    from adaptwise.domain.answers import check_answers
    from adaptwise.domain.engine import decide_with_defaults

    drift = Drift(recorded, tree.version, sha256, bases)
    drift.before = Verdict(recorded.approach, recorded.techniques, recorded.outcome)
    answers: dict[str, str] = {}
    for key, value in recorded.answers.items():
        question = tree.question_by_id.get(key)
        if question is None:
            drift.removed.append((echo(key), _echoed(value)))
            continue
        try:
            answers.update(check_answers(tree, {key: value}))
        except InputError as error:
            problem = error.problems[0]
            why = problem.message + (f"; now {problem.expected}" if problem.expected else "")
            drift.disallowed.append((key, _echoed(value), why))
    completed = decide_with_defaults(tree, answers)
    decision, missing = completed.decision, completed.defaulted
    refused = {key for key, _, _ in drift.disallowed}
    drift.new_questions = [(question.id, question.default) for question in missing if question.id not in refused]
    drift.unanswered = [(question.id, question.default) for question in missing if question.id in refused]
    drift.with_defaults = bool(missing)
    drift.no_longer_asked = [
        (key, _echoed(recorded.answers[key])) for key in decision.unused_answers if key in recorded.answers
    ]
    drift.after = Verdict.of(decision)
    return drift


def _echoed(value: Any) -> Any:
    """A recorded value as the drift repeats it (text and JSON): as the YAML gave it, unless
    it is long or unsafe, then as `echo` shows it; a 3 MB answer is never repeated whole.
    A list (several answers) keeps its first items, each echoed."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, list):
        return [_echoed(item) for item in value[:_LIST_ITEMS]] + (["…"] if len(value) > _LIST_ITEMS else [])
    shown = echo(value)
    return value if shown == value else shown


#: How many items of a recorded list the drift repeats.
_LIST_ITEMS = 10


def _shown(value: Any) -> str:
    """An `_echoed` value in the text drift: a list as `[a, b]`, as it was written."""
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value)


def _echoed_verdict(value: Any) -> Any:
    """The report's own approach, techniques or outcome, echoed (they come from a file)."""
    return [echo(item, MAX_PATH) for item in value] if isinstance(value, list) else echo(value, MAX_PATH)


def listed_techniques(techniques: tuple[str, ...]) -> str:
    return ", ".join(techniques) if techniques else "none"


def _short(sha256: str) -> str:
    return sha256[:12]


def _bases(bases: tuple[TreeStamp, ...]) -> str:
    if not bases:
        return "no base tree"
    return ", then ".join(f"version {echo(base.version)} (sha256 {_short(base.sha256)})" for base in bases)


def render_text(drift: Drift, report: str, tree_source: str) -> str:
    recorded = drift.recorded
    out = [f"Replaying {echo(report, MAX_PATH)} with {echo(tree_source, MAX_PATH)}"]
    if drift.tree_changed:
        out.append(
            f"The tree has changed: the report used version {echo(recorded.version)} "
            f"(sha256 {_short(recorded.sha256)}), this is version {drift.tree_version} "
            f"(sha256 {_short(drift.tree_sha256)})."
        )
    else:
        out.append(f"Same tree as the report: version {drift.tree_version} (sha256 {_short(drift.tree_sha256)}).")
    if drift.bases_changed:
        out.append(
            f"The tree it extends has changed: the report used {_bases(drift.recorded.bases)}, "
            f"this is {_bases(drift.bases)}."
        )
    elif drift.bases:
        out.append(f"Same tree extended as the report: {_bases(drift.bases)}.")
    items = []
    for key, value in drift.removed:
        items.append(f"answer {key}: {_shown(value)} no longer exists: the tree has no question '{key}'")
    for key, value, why in drift.disallowed:
        items.append(f"answer {key}: {_shown(value)} is no longer allowed: {why}")
    for key, default in drift.unanswered:
        items.append(f"question '{key}' now needs another answer (its default is {default})")
    for key, default in drift.new_questions:
        items.append(f"new question '{key}' is not answered in the report (its default is {default})")
    for key, value in drift.no_longer_asked:
        items.append(f"answer {key}: {_shown(value)} is no longer asked on this path")
    if items:
        out += ["", "Drift in the answers:", *(f"  - {item}" for item in items)]
    before, after = drift.before, drift.after
    assert before is not None and after is not None
    out.append("")
    if drift.recommendation_changed:
        out.append(
            "The recommendation changed"
            + (" (deciding the unanswered questions with their defaults):" if drift.with_defaults else ":")
        )
        for name, old, new in (
            ("approach", before.approach, after.approach),
            ("techniques", listed_techniques(before.techniques), listed_techniques(after.techniques)),
            ("outcome", before.outcome, after.outcome),
        ):
            shown = echo(old, MAX_PATH)  # what the report says: from a file, so echoed
            out.append(f"  {name}: {shown} → {new}" if old != new else f"  {name}: {shown} (unchanged)")
    else:
        defaults = " (with the defaults of the unanswered questions)" if drift.with_defaults else ""
        out.append(
            f"The recommendation is the same{defaults}: "
            f"approach {after.approach}, techniques {listed_techniques(after.techniques)}, outcome {after.outcome}."
        )
    out.append("Result: " + ("changed" if drift.changed else "same"))
    return "\n".join(out) + "\n"


def as_dict(drift: Drift) -> dict[str, Any]:
    assert drift.before is not None and drift.after is not None
    return {
        "result": "changed" if drift.changed else "same",
        "report_tree": {"version": echo(drift.recorded.version, MAX_PATH), "sha256": drift.recorded.sha256},
        "tree": {"version": drift.tree_version, "sha256": drift.tree_sha256},
        "tree_changed": drift.tree_changed,
        "report_bases": [
            {"version": echo(base.version, MAX_PATH), "sha256": base.sha256} for base in drift.recorded.bases
        ],
        "bases": [{"version": base.version, "sha256": base.sha256} for base in drift.bases],
        "bases_changed": drift.bases_changed,
        "removed_answers": dict(drift.removed),
        "disallowed_answers": [{"question": key, "answer": value, "why": why} for key, value, why in drift.disallowed],
        "new_questions": [{"question": key, "default": default} for key, default in drift.new_questions],
        "unanswered_questions": [{"question": key, "default": default} for key, default in drift.unanswered],
        "no_longer_asked": dict(drift.no_longer_asked),
        "recommendation": {
            "changed": drift.recommendation_changed,
            "before": {key: _echoed_verdict(value) for key, value in drift.before.as_dict().items()},
            "after": drift.after.as_dict(),
            "with_defaults": drift.with_defaults,
        },
    }
