"""The decision tree's domain model: questions, options, routes, outcomes, modifiers.

These are plain frozen dataclasses so that the scripted path never imports pydantic
(importing `pydantic.BaseModel` alone costs more than our whole start-up budget). pydantic
validates them when a tree is loaded (`adaptwise.files.validation`) and generates the JSON Schema
from them, so this module (with `questions`, `model_types` and `declarations`) is the one
definition of the tree's shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from adaptwise.domain.conditions import CompiledCondition, compile_condition
from adaptwise.domain.declarations import Assumption, CostModel, CostRule, Roles
from adaptwise.domain.model_types import (
    APPROACH_LABELS,
    APPROACHES,
    FORBID_EXTRA,
    Approach,
    Condition,
    Id,
    NonEmpty,
)
from adaptwise.domain.questions import CHOICE_SEPARATOR, Option, Question

# The tree's shape is one import: its questions, declarations and basic types are re-exported here.
__all__ = [
    "APPROACHES",
    "APPROACH_LABELS",
    "CHOICE_SEPARATOR",
    "Approach",
    "Assumption",
    "Condition",
    "CostModel",
    "CostRule",
    "Option",
    "Question",
    "Roles",
]


@dataclass(frozen=True, slots=True)
class Rule:
    """One branch of a route: if `when` holds, go to `then`."""

    __pydantic_config__ = FORBID_EXTRA

    when: Condition
    then: Id
    why: str = ""
    """Why this branch exists, in a phrase; shown in the decision path."""


@dataclass(frozen=True, slots=True)
class Route:
    """A routing node: the first rule whose condition holds decides where the path goes."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    rules: tuple[Rule, ...]
    otherwise: Id
    help: str = ""


@dataclass(frozen=True, slots=True)
class NotRecommended:
    """An approach an outcome advises against, and why."""

    __pydantic_config__ = FORBID_EXTRA

    approach: Approach
    why: NonEmpty


@dataclass(frozen=True, slots=True)
class Outcome:
    """A leaf: the recommendation itself."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    approach: Approach
    headline: NonEmpty
    rationale: tuple[str, ...]
    techniques: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    not_recommended: tuple[NotRecommended, ...] = ()
    sources: tuple[str, ...] = ()
    short_of: tuple[str, ...] = ()
    """Requirement sets of more ambitious approaches: the decision names what is missing."""
    approach_label: str = ""
    """How front ends name the approach for this outcome, when the approach's own label
    would mislead ('Train a classic ML model' rather than 'Training'); empty for that label."""

    @property
    def label(self) -> str:
        """The approach as people see it for this outcome."""
        return self.approach_label or APPROACH_LABELS[self.approach]


@dataclass(frozen=True, slots=True)
class Modifier:
    """A cross-cutting concern declared once, applied to every decision it matches."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    when: Condition
    add_techniques: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Need:
    """One thing an approach needs, e.g. a budget over $1M."""

    __pydantic_config__ = FORBID_EXTRA

    question: Id
    allowed: tuple[str, ...]
    need: NonEmpty
    """How the missing piece is named, e.g. 'a budget over $1M'."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a more ambitious approach needs; used by routes (`meets`) and to name blockers."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    approach: Approach
    label: NonEmpty
    """How the approach is named when its blockers are listed, e.g. 'Training from scratch'."""
    needs: tuple[Need, ...]
    extends: str | None = None
    """Another requirement set whose needs this one inherits (its own needs win)."""


@dataclass(frozen=True, slots=True)
class OpenWhen:
    __pydantic_config__ = FORBID_EXTRA

    when: Condition
    says: NonEmpty


@dataclass(frozen=True, slots=True)
class PlanQuestion:
    """One of the three questions every plan must answer, answered from the answers."""

    __pydantic_config__ = FORBID_EXTRA

    id: Id
    ask: NonEmpty
    answered_from: tuple[str, ...]
    open_when: tuple[OpenWhen, ...] = ()


@dataclass(frozen=True, slots=True)
class Technique:
    __pydantic_config__ = FORBID_EXTRA

    id: Id
    label: NonEmpty
    meaning: NonEmpty
    in_what_ifs: Literal["tracked", "named", "silent"] = "named"
    """How "what would change it" treats the technique: `tracked`, its arrival or departure
    is a what-if even when the approach holds; `named`, it is named when the approach
    changes; `silent`, never named (it comes with every approach that has it)."""


@dataclass(frozen=True, slots=True)
class Source:
    __pydantic_config__ = FORBID_EXTRA

    id: Id
    title: NonEmpty
    where: str = ""
    """A public address, or (for an article without a link) where it appeared, in words."""


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    __pydantic_config__ = FORBID_EXTRA

    term: NonEmpty
    meaning: NonEmpty


@dataclass(frozen=True, eq=False)
class Tree:
    """A whole decision tree. Compared by identity, so analyses can memoise per tree."""

    __pydantic_config__ = FORBID_EXTRA

    version: NonEmpty
    title: NonEmpty
    start: Id
    questions: tuple[Question, ...]
    routes: tuple[Route, ...]
    outcomes: tuple[Outcome, ...]
    plan_questions: tuple[PlanQuestion, ...]
    techniques: tuple[Technique, ...]
    sources: tuple[Source, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    intro: tuple[str, ...] = ()
    """What adaptwise does, in a few sentences, for the welcome screen."""
    assumptions: tuple[Assumption, ...] = ()
    """Figures for the cost and effort estimates (see `adaptwise.domain.costs`)."""
    roles: Roles = field(default_factory=Roles)
    cost_rules: tuple[CostRule, ...] = ()

    # Lookups are built once per tree; cached_property writes to __dict__, which a frozen
    # dataclass without slots allows.
    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    @cached_property
    def route_by_id(self) -> dict[str, Route]:
        return {route.id: route for route in self.routes}

    @cached_property
    def outcome_by_id(self) -> dict[str, Outcome]:
        return {outcome.id: outcome for outcome in self.outcomes}

    @cached_property
    def technique_by_id(self) -> dict[str, Technique]:
        return {technique.id: technique for technique in self.techniques}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def requirement_needs(self) -> dict[str, tuple[Need, ...]]:
        """Each requirement set's needs, with `extends` resolved (a cycle is cut, not followed)."""
        by_id = {requirement.id: requirement for requirement in self.requirements}
        resolved: dict[str, tuple[Need, ...]] = {}
        for requirement in self.requirements:
            chain: list[Requirement] = []
            current: Requirement | None = requirement
            while current is not None and current not in chain:
                chain.append(current)
                current = by_id.get(current.extends) if current.extends else None
            needs: dict[str, Need] = {}
            for ancestor in reversed(chain):  # the most derived set's needs win
                for need in ancestor.needs:
                    needs[need.question] = need
            resolved[requirement.id] = tuple(needs.values())
        return resolved

    def accepting(self, question_id: str, allowed: Iterable[str]) -> frozenset[str]:
        """The whole answers to a question that a condition naming `allowed` holds for."""
        question = self.question_by_id.get(question_id)
        return question.accepting(allowed) if question else frozenset(allowed)

    @cached_property
    def compiled_needs(self) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
        return {
            name: tuple((need.question, self.accepting(need.question, need.allowed)) for need in needs)
            for name, needs in self.requirement_needs.items()
        }

    @cached_property
    def compiled_conditions(self) -> dict[int, CompiledCondition]:
        """Every condition the tree holds, compiled, by identity (they live as long as the tree)."""
        conditions = [rule.when for route in self.routes for rule in route.rules]
        conditions += [modifier.when for modifier in self.modifiers]
        conditions += [item.when for plan in self.plan_questions for item in plan.open_when]
        conditions += [rule.when for rule in self.cost_rules]
        return {id(when): compile_condition(when, self.accepting) for when in conditions}

    @cached_property
    def assumption_by_id(self) -> dict[str, Assumption]:
        return {assumption.id: assumption for assumption in self.assumptions}

    @cached_property
    def requirement_by_id(self) -> dict[str, Requirement]:
        return {requirement.id: requirement for requirement in self.requirements}

    def initiative_name(self, answers: Mapping[str, str]) -> str:
        """The initiative as the person named it, or "" where the tree or the answers don't."""
        role = self.roles.initiative
        return answers.get(role, "") if role else ""

    def answers_data(self, answers: Mapping[str, str]) -> dict[str, str | list[str]]:
        """Answers as files and JSON write them: each combination as the list of its values."""
        questions = self.question_by_id
        return {
            key: question.as_data(value) if (question := questions.get(key)) else value
            for key, value in answers.items()
        }

    def technique_label(self, technique_id: str) -> str:
        technique = self.technique_by_id.get(technique_id)
        return technique.label if technique else technique_id.replace("_", " ")

    def answer_label(self, question_id: str, value: str | None) -> str:
        """The label a person sees for an answer (free text is shown as typed)."""
        if value is None:
            return "not answered"
        question = self.question_by_id.get(question_id)
        options = question.options_of(value) if question else ()
        return "; ".join(option.label for option in options) if options else value
