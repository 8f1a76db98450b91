"""The path a decision took, as a Mermaid flowchart."""

from __future__ import annotations

from adaptwise.domain.decision import Decision
from adaptwise.domain.graph import mermaid_text


def mermaid_path(decision: Decision) -> list[str]:
    """The path taken as a Mermaid flowchart, the outcome highlighted (GitHub renders it)."""
    lines = ["flowchart TD"]
    steps = [step for step in decision.path if not step.question.is_text]
    for index, step in enumerate(steps):
        lines.append(f'    q{index}["{mermaid_text(step.question.prompt)}"]')
    lines.append(f'    outcome(["{mermaid_text(decision.approach_label + ": " + decision.headline)}"])')
    for index, step in enumerate(steps):
        target = f"q{index + 1}" if index + 1 < len(steps) else "outcome"
        lines.append(f'    q{index} -->|"{mermaid_text(step.label)}"| {target}')
    lines.append("    classDef decided fill:#d9f2d9,stroke:#2e7d32,stroke-width:2px")
    lines.append("    class outcome decided")
    return lines
