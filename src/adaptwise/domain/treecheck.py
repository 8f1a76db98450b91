"""What `adaptwise check` finds in a tree that is well-formed but wrong.

Pure analysis of a validated `Tree`: duplicate ids, dangling references, cycles,
unreachable nodes, thin questions (`questioncheck`) and outcomes; then, walking every
path symbolically (`treepaths`), rules and listed answers that earlier answers rule out,
modifiers that can never apply, and nodes no answers lead to. Each finding carries its path in the YAML data,
which the loader turns into file:line:col.
"""

from __future__ import annotations

from collections.abc import Iterator

from adaptwise.domain.conditioncheck import answer_values, condition_findings, dangling, ref_findings
from adaptwise.domain.costs import out_of_limits
from adaptwise.domain.errors import did_you_mean
from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.links import Path, reachable, references
from adaptwise.domain.model import Tree
from adaptwise.domain.questioncheck import question_findings
from adaptwise.domain.treepaths import reachable_by_answers

# Finding and Path are defined beside the links and analyses that share them; they are
# still imported from here.
__all__ = ["Finding", "Path", "check_tree", "condition_findings", "dangling"]

_NODE_SECTIONS = ("questions", "routes", "outcomes")


def check_tree(tree: Tree) -> list[Finding]:
    """Every problem found, in file order as far as sections allow.

    What answers can reach (dead rules, modifiers that never apply, outcomes never decided)
    is only asked of a tree without other problems: it needs sound references to walk.
    """
    findings = [
        *_ids(tree),
        *_duplicate_ids(tree),
        *question_findings(tree),
        *_routes(tree),
        *_outcomes(tree),
        *_modifiers(tree),
        *_requirements(tree),
        *_plan_questions(tree),
        *_roles(tree),
        *_cost_rules(tree),
        *_assumptions(tree),
        *_graph(tree),
    ]
    return findings or list(reachable_by_answers(tree))


def _ids(tree: Tree) -> Iterator[Finding]:
    from adaptwise.domain.idcheck import id_findings

    return id_findings(tree)


def _duplicate_ids(tree: Tree) -> Iterator[Finding]:
    # Nodes share one namespace: a route and a question may not both be called "budget".
    first: dict[str, Path] = {}
    for section in _NODE_SECTIONS:
        for index, node in enumerate(getattr(tree, section)):
            if node.id in first:
                yield Finding(
                    (section, index, "id"),
                    f"duplicate id '{node.id}' (first used at {_describe(first[node.id])})",
                    code="duplicate-id",
                )
            else:
                first[node.id] = (section, index, "id")
    for section in ("modifiers", "requirements", "techniques", "sources", "plan_questions"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(tree, section)):
            if item.id in seen:
                yield Finding((section, index, "id"), f"duplicate id '{item.id}' in {section}", code="duplicate-id")
            seen.add(item.id)


def _describe(path: Path) -> str:
    return ".".join(str(part) for part in path)


def _routes(tree: Tree) -> Iterator[Finding]:
    for index, route in enumerate(tree.routes):
        if not route.rules:
            yield Finding(("routes", index, "rules"), "a route needs at least one rule", code="route-without-rules")
        for rule_index, rule in enumerate(route.rules):
            yield from condition_findings(tree, rule.when, ("routes", index, "rules", rule_index, "when"), False)


def _outcomes(tree: Tree) -> Iterator[Finding]:
    for index, outcome in enumerate(tree.outcomes):
        here: Path = ("outcomes", index)
        if not any(line.strip() for line in outcome.rationale):
            yield Finding(
                here + ("rationale",), f"outcome '{outcome.id}' has no rationale", code="outcome-without-rationale"
            )
        yield from ref_findings(tree, outcome.techniques, here + ("techniques",), "technique")
        yield from ref_findings(tree, outcome.sources, here + ("sources",), "source")
        yield from ref_findings(tree, outcome.short_of, here + ("short_of",), "requirement")


def _modifiers(tree: Tree) -> Iterator[Finding]:
    for index, modifier in enumerate(tree.modifiers):
        here: Path = ("modifiers", index)
        yield from condition_findings(tree, modifier.when, here + ("when",), True)
        yield from ref_findings(tree, modifier.add_techniques, here + ("add_techniques",), "technique")
        yield from ref_findings(tree, modifier.sources, here + ("sources",), "source")


def _requirements(tree: Tree) -> Iterator[Finding]:
    for index, requirement in enumerate(tree.requirements):
        here: Path = ("requirements", index)
        if requirement.extends is not None:
            if requirement.extends not in tree.requirement_by_id:
                yield dangling(here + ("extends",), requirement.extends, "requirement", tree)
            elif _extends_cycle(tree, requirement.id):
                yield Finding(
                    here + ("extends",),
                    f"requirement '{requirement.id}' extends itself",
                    code="requirement-extends-itself",
                )
        for need_index, need in enumerate(requirement.needs):
            at = here + ("needs", need_index)
            yield from answer_values(tree, need.question, need.allowed, at + ("question",), at + ("allowed",))


def _extends_cycle(tree: Tree, start: str) -> bool:
    seen: set[str] = set()
    current: str | None = start
    while current is not None and current in tree.requirement_by_id:
        if current in seen:
            return True
        seen.add(current)
        current = tree.requirement_by_id[current].extends
    return False


def _plan_questions(tree: Tree) -> Iterator[Finding]:
    for index, plan in enumerate(tree.plan_questions):
        here: Path = ("plan_questions", index)
        for source_index, question_id in enumerate(plan.answered_from):
            if question_id not in tree.question_by_id:
                yield dangling(here + ("answered_from", source_index), question_id, "question", tree)
        for open_index, item in enumerate(plan.open_when):
            yield from condition_findings(tree, item.when, here + ("open_when", open_index, "when"), False)


#: Each role and whether its question is free text (True) or a choice (False).
_ROLE_KINDS = {"initiative": True, "budget": False, "budget_owner": True}


def _roles(tree: Tree) -> Iterator[Finding]:
    for role, is_text in _ROLE_KINDS.items():
        question_id = getattr(tree.roles, role)
        if question_id is None:
            continue
        here: Path = ("roles", role)
        question = tree.question_by_id.get(question_id)
        if question is None:
            yield dangling(here, question_id, "question", tree)
        elif question.is_text != is_text:
            kind = "a free-text" if is_text else "a choice"
            yield Finding(
                here, f"the {role.replace('_', ' ')} role needs {kind} question", question_id, code="role-question-kind"
            )
        elif question.is_multiple:
            yield Finding(
                here,
                f"the {role.replace('_', ' ')} role needs a question that takes one answer, not 'select: many'",
                question_id,
                code="role-question-select-many",
            )


def _cost_rules(tree: Tree) -> Iterator[Finding]:
    from adaptwise.domain.costcheck import cost_rule_findings

    return cost_rule_findings(tree)


def _assumptions(tree: Tree) -> Iterator[Finding]:
    for index, assumption in enumerate(tree.assumptions):
        here: Path = ("assumptions", index)
        yield from ref_findings(tree, assumption.sources, here + ("sources",), "source")
        if assumption.range is None and assumption.per_answer is None:
            yield Finding(
                here,
                f"assumption '{assumption.id}' needs 'range', 'per_answer' or both",
                code="assumption-without-figures",
            )
        if assumption.per_answer is not None:
            if assumption.question is None:
                yield Finding(
                    here,
                    f"assumption '{assumption.id}' has 'per_answer' but no 'question'",
                    code="per-answer-without-question",
                )
            elif (asked := tree.question_by_id.get(assumption.question)) is not None and asked.is_multiple:
                yield Finding(
                    here + ("question",),
                    f"assumption '{assumption.id}' has 'per_answer' of '{asked.id}', which takes several "
                    "answers; a figure per answer needs a question that takes one",
                    asked.id,
                    code="per-answer-of-select-many",
                )
            else:
                values = tuple(assumption.per_answer)
                yield from answer_values(
                    tree, assumption.question, values, here + ("question",), here + ("per_answer",), listed=False
                )
        ranges: list[tuple[tuple[str, ...], tuple[float, float]]] = [((), assumption.range)] if assumption.range else []
        ranges += [((key,), value) for key, value in (assumption.per_answer or {}).items()]
        for key, (low, high) in ranges:
            at = here + (("per_answer", *key) if key else ("range",))
            if low < 0 or low > high:
                yield Finding(
                    at,
                    f"assumption '{assumption.id}' needs 0 <= low <= high, got [{low:g}, {high:g}]",
                    code="range-out-of-order",
                )
            elif (limit := out_of_limits(assumption.id, (low, high))) is not None:
                yield Finding(at, f"{limit}, got [{low:g}, {high:g}]", code="figure-out-of-limits")


def _graph(tree: Tree) -> Iterator[Finding]:
    graph = references(tree)
    if tree.start not in graph:
        yield Finding(
            ("start",),
            f"start node '{tree.start}' does not exist",
            hint=did_you_mean(tree.start, graph),
            code="unknown-start",
            refers_to=(Target("node", tree.start),),
        )
        return
    for targets in graph.values():
        for target, path in targets:
            if target not in graph:
                yield Finding(
                    path,
                    f"'{target}' is not a question, route or outcome",
                    hint=did_you_mean(target, graph),
                    code="unknown-node",
                    refers_to=(Target("node", target),),
                )
    yield from _cycles(graph, tree.start)
    reached = reachable(graph, tree.start)
    for section in _NODE_SECTIONS:
        for index, node in enumerate(getattr(tree, section)):
            if node.id not in reached:
                yield Finding(
                    (section, index, "id"),
                    f"'{node.id}' cannot be reached from '{tree.start}'",
                    code="unreachable-node",
                    refers_to=(Target(section[:-1], node.id),),
                )


def _cycles(graph: dict[str, list[tuple[str, Path]]], start: str) -> Iterator[Finding]:
    """One finding per edge that closes a loop (iterative DFS: trees may be deep)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[tuple[str, Iterator[tuple[str, Path]]]] = [(start, iter(graph[start]))]
    state[start] = 1
    while stack:
        node, children = stack[-1]
        for target, path in children:
            if target not in graph:
                continue
            if state.get(target) == 1:
                yield Finding(path, f"'{node}' leads back to '{target}', making a loop", code="loop")
            elif target not in state:
                state[target] = 1
                stack.append((target, iter(graph[target])))
                break
        else:
            state[node] = 2
            stack.pop()
