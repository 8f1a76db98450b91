"""The report: one Markdown string (pasted into reviews, shown by the wizard) and its JSON twin.

Pure rendering of a `Decision`, in parts: `markdown` (the report itself), `contract` (the
typed `--format json` contract), `charts` (the cost bars), `mermaid` (the path as a
flowchart) and `analysis` (what they all derive from a decision). The names below are the
report's public face: `from adaptwise.domain.report import X` keeps working for each.
"""

from __future__ import annotations

from adaptwise.domain.literal_text import answers_yaml, escape_markdown
from adaptwise.domain.report.analysis import Analysis, analyse
from adaptwise.domain.report.charts import BAR_WIDTH, cost_bars
from adaptwise.domain.report.contract import DecisionContract, decision_dict, render_json
from adaptwise.domain.report.markdown import (
    MOST_REASONS,
    html_text,
    main_flow,
    render_markdown,
    technique_sentence,
    title,
)
from adaptwise.domain.report.mermaid import mermaid_path

__all__ = [
    "BAR_WIDTH",
    "MOST_REASONS",
    "Analysis",
    "DecisionContract",
    "analyse",
    "answers_yaml",
    "cost_bars",
    "decision_dict",
    "escape_markdown",
    "html_text",
    "main_flow",
    "mermaid_path",
    "render_json",
    "render_markdown",
    "technique_sentence",
    "title",
]
