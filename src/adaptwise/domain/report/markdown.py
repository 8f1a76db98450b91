"""The report as Markdown: pasted into reviews, shown by the wizard.

Pure rendering of a `Decision`. Free text from the user is escaped so that it can never
become a heading, table, link or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from adaptwise.domain.costs import NotEstimated, Range, with_overrides
from adaptwise.domain.decision import Decision, Step
from adaptwise.domain.insight import what_ifs_by_outcome
from adaptwise.domain.lineage import TreeStamp, stamps_text
from adaptwise.domain.literal_text import answers_yaml, escape_markdown
from adaptwise.domain.model import APPROACH_LABELS, Source, Tree
from adaptwise.domain.numbers import money, span
from adaptwise.domain.report.analysis import Analysis, analyse
from adaptwise.domain.report.charts import cost_bars
from adaptwise.domain.report.mermaid import mermaid_path


# CommonMark lets a backslash escape any ASCII punctuation, and an escaped character is
# always literal: escaping all of them is simple and provably safe.
def title(decision: Decision, tree: Tree) -> str:
    initiative = tree.initiative_name(decision.answers)
    return escape_markdown(initiative) if initiative else "Untitled initiative"


def technique_sentence(decision: Decision, tree: Tree) -> str:
    labels = [tree.technique_label(technique) for technique in decision.techniques]
    if not labels:
        return "No further techniques: the prompt and its evaluation are the whole plan."
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"Techniques: {listed}."


def render_markdown(
    decision: Decision,
    tree: Tree,
    *,
    sha256: str,
    today: date,
    overrides: Mapping[str, Range] | None = None,
    bases: tuple[TreeStamp, ...] = (),
    collapsible: bool = True,
) -> str:
    """The whole report as Markdown; `bases` are the trees a company tree extends.

    The first screen is the decision (verdict, why, the three questions, the top risk and
    the first step, then the caveats); reference material follows, the long parts in
    `<details>` blocks. With `collapsible` off (a viewer that drops HTML, such as the
    wizard's), those blocks are written as bold-titled paragraphs instead.
    """
    analysis = analyse(tree, decision, overrides)
    out = _first_screen(decision, tree, analysis, today)
    if decision.caveats:
        out += ["", "## Caveats", "", *_bullets(decision.caveats)]
    out += _answers(decision, tree)
    out += _what_would_change(decision, tree, analysis)
    out += _other_approaches(decision)
    out += _costs(decision, tree, analysis, collapsible)
    out += _sources_section(decision, tree, analysis, collapsible)
    out += ["", "## The path", ""]
    out += _details("The path as a flowchart (Mermaid)", ["```mermaid", *mermaid_path(decision), "```"], collapsible)
    out += [
        "",
        "## Reproducibility",
        "",
        f"Decided with decision tree version {tree.version} (sha256 `{sha256}`){stamps_text(bases)}: "
        f"approach `{decision.approach}`, techniques "
        f"{', '.join(f'`{technique}`' for technique in decision.techniques) or 'none'}, "
        f"outcome `{decision.outcome}`. "
        "Replay this report with `adaptwise replay REPORT.md`; the answers, for `adaptwise recommend --answers FILE`:",
        "",
        "```yaml",
        answers_yaml(tree.answers_data(decision.answers)).rstrip("\n"),
        "```",
        "",
    ]
    return "\n".join(out)


#: The why bullets on the first screen: the outcome's reasons, and the answers that decided.
MOST_REASONS = 4


def _first_screen(decision: Decision, tree: Tree, analysis: Analysis, today: date) -> list[str]:
    """The decision on one screen: verdict, why, the three questions, top risk, first step."""
    out: list[str] = [
        f"# {title(decision, tree)}: adaptwise recommendation ({today.isoformat()})",
        "",
        f"Recommendation: {decision.approach_label}",
        "",
        f"**{decision.headline}**",
        "",
        technique_sentence(decision, tree),
    ]
    if analysis.insight.decisive is not None:
        out += ["", analysis.insight.decisive.summary]
    decided_by = [step for step in decision.path if step.decisive and not step.question.is_text]
    reasons = list(decision.rationale[:MOST_REASONS])
    if decided_by:
        topics = ", ".join(dict.fromkeys(_topic(step) for step in decided_by))
        reasons.append(f"Decided by {topics} (your answers, each with what it meant, are below).")
    out += ["", "## Why", "", *_bullets(reasons)]
    out += ["", "## The three questions", ""]
    for plan in decision.plan:
        line = f"- **{plan.ask}** {plan.answer(escape_markdown)}"
        if plan.open:
            line += " **Open:** " + " ".join(plan.notes)
        out.append(line)
    # Paragraphs, not bullets: right after a list, bullets would join the three questions.
    if decision.risks:
        out += ["", f"**Top risk:** {decision.risks[0]}"]
    if decision.next_steps:
        out += ["", f"**First step:** {decision.next_steps[0]}"]
    return out


def _topic(step: Step) -> str:
    return step.question.topic or f"'{step.question.prompt}'"


def _answers(decision: Decision, tree: Tree) -> list[str]:
    """Each answer, and what it meant for this decision: a note only where the rule or a
    modifier that decided read the answer (another answer's note speaks of other outcomes)."""
    out = ["", "## Your answers, and what they meant", ""]
    answered = [step for step in decision.path if step.answer or not step.question.is_text]
    for number_, step in enumerate(answered, start=1):
        answer = escape_markdown(step.label) if step.question.is_text else step.label
        note = f" *(decisive)* {step.meant}" if step.decisive else ""
        out.append(f"{number_}. {step.question.prompt} **{answer}**.{note}")
    if decision.unused_answers:
        unused = ", ".join(
            escape_markdown(question.topic or question.id)
            for question_id in decision.unused_answers
            if (question := tree.question_by_id.get(question_id)) is not None
        )
        out += ["", f"Answered but not used, since this path does not ask about them: {unused}."]
    out += ["", "## Next steps", "", *_numbered(decision.next_steps)]
    if len(decision.risks) > 1:
        out += ["", "## Other risks and common mistakes", "", *_bullets(decision.risks[1:])]
    return out


def _what_would_change(decision: Decision, tree: Tree, analysis: Analysis) -> list[str]:
    insight = analysis.insight
    out = ["", "## What would change it", ""]
    if len(insight.possible_approaches) > 1:
        labels = " or ".join(APPROACH_LABELS[approach] for approach in insight.possible_approaches)
        out += [f'Because of the "Not sure" answers, the recommendation could still be {labels}.', ""]
    if insight.what_if:
        out += [f"- {line}" for line in what_ifs_by_outcome(tree, decision, insight)]
    else:
        out.append("No single different answer would change the approach.")
    return out


def _other_approaches(decision: Decision) -> list[str]:
    """Why not each other approach, and for the bigger ones what they would still need."""
    if not decision.not_recommended and not decision.shortfalls:
        return []
    out = ["", "## Not recommended", ""]
    needs = {
        shortfall.approach: "; ".join(f"{item.need}, where you have {item.have}" for item in shortfall.missing)
        for shortfall in reversed(decision.shortfalls)  # the first set for an approach speaks
    }
    labels = {shortfall.approach: shortfall.label for shortfall in decision.shortfalls}
    for rejected in decision.not_recommended:
        out.append(f"- **{rejected.label}.** {rejected.why}")
        if rejected.approach in needs:  # right below: the tree's "listed below" points here
            out.append(f"  - {labels[rejected.approach]} would need: {needs.pop(rejected.approach)}.")
    out += [f"- **{labels[approach]} would need:** {listed}." for approach, listed in needs.items()]
    return out


def main_flow(markdown: str) -> list[str]:
    """The report's lines outside `<details>` blocks, as a reader scrolls through them (a
    run of blank lines is one gap)."""
    lines: list[str] = []
    depth = 0
    for line in markdown.splitlines():
        if line.strip() == "<details>":
            depth += 1
        elif line.strip() == "</details>":
            depth -= 1
        elif depth == 0 and (line.strip() or (lines and lines[-1].strip())):
            lines.append(line)
    return lines


def _details(summary: str, lines: list[str], collapsible: bool) -> list[str]:
    """Reference material: a collapsed `<details>` block, or a bold-titled paragraph."""
    if collapsible:
        return ["<details>", f"<summary>{html_text(summary)}</summary>", "", *lines, "", "</details>"]
    return [f"**{summary}**", "", *lines]


def html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _costs(decision: Decision, tree: Tree, analysis: Analysis, collapsible: bool) -> list[str]:
    if not analysis.costs:
        return []
    out = [
        "",
        "## Cost and effort",
        "",
        "Ranges, not quotes: each rests on the assumptions in the last block of this section, "
        "which your tree's `assumptions:` section or `--assume ID=LOW:HIGH` can change.",
        "",
        "| Approach | Compute, API and hosting (first year) | GPU-hours | GPU memory | Elapsed | People | Total |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in analysis.costs:
        marker = " (recommended)" if row.approach == decision.approach else ""
        if isinstance(row, NotEstimated):  # one row in its place, the figures' cells left blank
            out.append(f"| {row.label}{marker} | {_cell(f'not estimated: {row.why}')} |  |  |  |  |  |")
            continue
        gpu = span(row.gpu_hours) if row.gpu_hours else "none"
        memory = f"{span(row.memory_gb)} GB" if row.memory_gb else "none"
        out.append(
            f"| {row.label}{marker} | {span(row.compute_usd, money)} | {gpu} | {memory} | "
            f"{span(row.elapsed_weeks)} weeks | {span(row.people_days)} person-days | "
            f"{span(row.total_usd, money)} |"
        )
    bars = cost_bars(analysis.costs, decision.approach, _budget_top(tree, decision, analysis))
    if bars:
        out += ["", "```text", *bars, "```"]
    over = [estimate for estimate in analysis.estimates if estimate.over_budget]
    budget_question = tree.roles.budget
    budget = decision.answers.get(budget_question) if budget_question else None
    if budget_question and budget and over:
        names = ", ".join(estimate.label for estimate in over)
        out += [
            "",
            f"**Over budget:** the low end of {names} already exceeds the stated budget "
            f"({tree.answer_label(budget_question, budget)}).",
        ]
    basis: list[str] = []
    for row in analysis.costs:
        basis.append(f"- **{row.label}**")
        lines = [f"Not estimated: {row.why}"] if isinstance(row, NotEstimated) else row.basis
        basis += [f"  - {line}" for line in lines]
    out += [""] + _details("How each range was reached", basis, collapsible)
    used = {assumption_id for estimate in analysis.estimates for assumption_id in estimate.assumptions}
    listed: list[str] = []
    for assumption in with_overrides(tree, analysis.overrides):
        if assumption.id not in used:
            continue
        value = assumption.value(dict(decision.answers))
        shown = span(value, _as_written) if value else "not applicable"
        changed = " (set for this run)" if assumption.id in analysis.overrides else ""
        cited = [tree.source_by_id[source].title for source in assumption.sources if source in tree.source_by_id]
        source = f" Source: {'; '.join(cited)}." if cited else " Source: none in the tree (its authors' estimate)."
        listed.append(f"- `{assumption.id}` = {shown} {assumption.unit}{changed}: {assumption.about}.{source}")
    if listed:  # none where no row could be estimated
        out += [""] + _details(f"The {len(listed)} assumptions used, each with its source", listed, collapsible)
    return out


def _cell(text: str) -> str:
    """Text from the tree as one table cell: a pipe would end the cell, a newline the row."""
    return " ".join(text.split()).replace("|", "\\|")


def _as_written(value: float) -> str:
    """An assumption as the tree states it (989, not 990): it is an input, not an estimate."""
    return f"{value:,g}"


def _sources_section(decision: Decision, tree: Tree, analysis: Analysis, collapsible: bool) -> list[str]:
    """Every source, in two collapsed lists: those behind the decision, those behind the costs.
    The text cites each by its title where it uses it."""
    out = ["", "## Sources", ""]
    out += _details(
        f"The {len(decision.sources)} sources behind this decision",
        [_source_line(source) for source in decision.sources] or ["- None."],
        collapsible,
    )
    extra = [source for source in _sources(decision, tree, analysis) if source not in decision.sources]
    if extra:
        out += [""] + _details(
            f"The {len(extra)} sources behind the cost figures", [_source_line(s) for s in extra], collapsible
        )
    return out


def _source_line(source: Source) -> str:
    if source.where.startswith("https://"):
        return f"- {source.title}: <{source.where}>"
    # An article without a link: its title says who published it, and when.
    return f"- {source.title}" + (f" ({source.where})" if source.where else "")


def _sources(decision: Decision, tree: Tree, analysis: Analysis) -> list[Source]:
    """The decision's sources, then those behind the cost assumptions used."""
    used = {assumption_id for estimate in analysis.estimates for assumption_id in estimate.assumptions}
    cited = [source for assumption in tree.assumptions if assumption.id in used for source in assumption.sources]
    extra = [tree.source_by_id[source] for source in dict.fromkeys(cited) if source in tree.source_by_id]
    return list(dict.fromkeys([*decision.sources, *extra]))


def _budget_top(tree: Tree, decision: Decision, analysis: Analysis) -> float | None:
    assumption = tree.assumption_by_id.get("budget_usd")
    if "budget_usd" in analysis.overrides:
        return analysis.overrides["budget_usd"][1]
    value = assumption.value(dict(decision.answers)) if assumption else None
    return value[1] if value and value[1] < 1e9 else None


def _bullets(lines: tuple[str, ...] | list[str]) -> list[str]:
    return [f"- {line}" for line in lines] or ["- None."]


def _numbered(lines: tuple[str, ...]) -> list[str]:
    return [f"{number}. {line}" for number, line in enumerate(lines, start=1)]
