"""The report: one Markdown string (pasted into reviews, shown by the wizard) and its JSON twin.

Pure rendering of a `Decision`. Free text from the user is escaped so that it can never
become a heading, table, link or HTML.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from adaptwise.engine import Decision
from adaptwise.model import Tree

# CommonMark lets a backslash escape any ASCII punctuation, and an escaped character is
# always literal: escaping all of them is simple and provably safe.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_PLAIN_YAML = re.compile(r"^[a-z][a-z0-9_]*$")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def escape_markdown(text: str) -> str:
    """User text as literal Markdown: no markup, no HTML, one line."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def title(decision: Decision) -> str:
    initiative = decision.answers.get("initiative")
    return escape_markdown(initiative) if initiative else "Untitled initiative"


def technique_sentence(decision: Decision, tree: Tree) -> str:
    labels = [tree.technique_label(technique) for technique in decision.techniques]
    if not labels:
        return "No further techniques: the prompt and its evaluation are the whole plan."
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"Techniques: {listed}."


def render_markdown(decision: Decision, tree: Tree, *, sha256: str, today: date) -> str:
    """The whole report as Markdown."""
    out: list[str] = [
        f"# {title(decision)}: adaptwise recommendation ({today.isoformat()})",
        "",
        f"Recommendation: {decision.approach_label}",
        "",
        f"**{decision.headline}**",
        "",
        technique_sentence(decision, tree),
        "",
        "## Why",
        "",
        *_bullets(decision.rationale),
        "",
        "### Your answers, and what they meant",
        "",
    ]
    answered = [step for step in decision.path if step.answer or not step.question.is_text]
    for number, step in enumerate(answered, start=1):
        answer = escape_markdown(step.label) if step.question.is_text else step.label
        marker = " *(decisive)*" if step.decisive else ""
        out.append(f"{number}. {step.question.prompt} **{answer}**.{marker} {step.meant}")
    out += ["", "## The three questions", ""]
    for plan in decision.plan:
        line = f"- **{plan.ask}** {plan.answer(escape_markdown)}"
        if plan.open:
            line += " **Open:** " + " ".join(plan.notes)
        out.append(line)
    if decision.caveats:
        out += ["", "## Caveats", "", *_bullets(decision.caveats)]
    out += ["", "## Risks and common mistakes", "", *_bullets(decision.risks)]
    out += ["", "## Next steps", "", *_numbered(decision.next_steps)]
    out += ["", "## Not recommended", ""]
    for rejected in decision.not_recommended:
        out.append(f"- **{rejected.label}.** {rejected.why}")
    if decision.shortfalls:
        out += ["", "## What a more ambitious approach would need", ""]
        for shortfall in decision.shortfalls:
            out.append(f"- **{shortfall.label}** would need:")
            for missing in shortfall.missing:
                out.append(f"  - {missing.need} (you have: {missing.have})")
    out += ["", "## Sources", ""]
    for source in decision.sources:
        where = f"<{source.where}>" if source.where.startswith("https://") else f"`{source.where}`"
        out.append(f"- {source.title}: {where}")
    out += [
        "",
        "## Reproducibility",
        "",
        f"Decided with decision tree version {tree.version} (sha256 `{sha256}`): "
        f"approach `{decision.approach}`, techniques "
        f"{', '.join(f'`{technique}`' for technique in decision.techniques) or 'none'}, "
        f"outcome `{decision.outcome}`. "
        "Replay these answers with `adaptwise recommend --answers FILE`:",
        "",
        "```yaml",
        answers_yaml(decision.answers).rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(out)


def _bullets(lines: tuple[str, ...] | list[str]) -> list[str]:
    return [f"- {line}" for line in lines] or ["- None."]


def _numbered(lines: tuple[str, ...]) -> list[str]:
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]


def answers_yaml(answers: dict[str, str]) -> str:
    """Answers as a YAML answers file that replays the decision (no PyYAML needed)."""
    lines = []
    for key, value in answers.items():
        plain = _PLAIN_YAML.match(value) and value not in _YAML_WORDS
        # A JSON string is a valid YAML double-quoted scalar, escapes included.
        lines.append(f"{key}: {value if plain else json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def decision_dict(decision: Decision, tree: Tree, *, sha256: str) -> dict[str, Any]:
    """The decision as JSON-ready data (the `--format json` contract)."""
    return {
        "approach": decision.approach,
        "approach_label": decision.approach_label,
        "outcome": decision.outcome,
        "headline": decision.headline,
        "techniques": list(decision.techniques),
        "path": [
            {
                "question": step.question.id,
                "prompt": step.question.prompt,
                "answer": step.answer,
                "label": step.label,
                "meant": step.meant,
                "decisive": step.decisive,
            }
            for step in decision.path
        ],
        "rationale": list(decision.rationale),
        "questions": {
            plan.id: {"ask": plan.ask, "answer": plan.answer(), "open": plan.open, "notes": list(plan.notes)}
            for plan in decision.plan
        },
        "caveats": list(decision.caveats),
        "risks": list(decision.risks),
        "next_steps": list(decision.next_steps),
        "not_recommended": [
            {"approach": item.approach, "label": item.label, "why": item.why}
            for item in decision.not_recommended
        ],
        "blockers": {
            shortfall.requirement: {
                "approach": shortfall.approach,
                "label": shortfall.label,
                "missing": [
                    {"question": item.question, "need": item.need, "have": item.have}
                    for item in shortfall.missing
                ],
            }
            for shortfall in decision.shortfalls
        },
        "sources": [
            {"id": source.id, "title": source.title, "where": source.where} for source in decision.sources
        ],
        "answers": dict(decision.answers),
        "unused_answers": dict(decision.unused_answers),
        "tree": {"version": tree.version, "sha256": sha256},
    }


def render_json(decision: Decision, tree: Tree, *, sha256: str) -> str:
    return json.dumps(decision_dict(decision, tree, sha256=sha256), indent=2, ensure_ascii=False) + "\n"
