"""The decision tree's domain model: questions, options, routes, outcomes, modifiers.

These are plain frozen dataclasses so that the scripted path never imports pydantic
(importing `pydantic.BaseModel` alone costs more than our whole start-up budget). pydantic
validates them when a tree is loaded (`adaptwise.schema`) and generates the JSON Schema
from them, so this module is the one definition of the tree's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, Literal

Approach = Literal["prompt_engineering", "fine_tuning", "training"]


#: The contract's approaches, from least to most ambitious, with the labels people see.
APPROACH_LABELS: dict[str, str] = {
    "prompt_engineering": "Prompt engineering",
    "fine_tuning": "Fine-tuning",
    "training": "Training",
}


APPROACHES: tuple[str, ...] = tuple(APPROACH_LABELS)


@dataclass(frozen=True, slots=True)
class MinLength:
    """pydantic metadata: a string at least this long (annotated-types costs 8 ms to import)."""

    min_length: int

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = self.min_length
        return schema


@dataclass(frozen=True, slots=True)
class StrictNumber:
    """pydantic metadata: a real number, never a boolean or a numeric string."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


NonEmpty = Annotated[str, MinLength(1)]


Id = Annotated[str, MinLength(1)]


Number = Annotated[float, StrictNumber()]


Range = tuple[Number, Number]


#: A condition maps question ids to the answer (or any of the answers) that satisfy it.
#: Two more keys are understood: `meets` names requirement sets that must all hold, and
#: (in modifiers only) `approach` matches the decided approach. All entries must hold.
Condition = dict[str, str | list[str]]


# How pydantic validates these classes (a plain dict, so this module never imports pydantic):
# a typo in a tree key is an error, never silently ignored, and errors never echo the input,
# which is how an alias bomb turns an error message into minutes and gigabytes.
_FORBID_EXTRA: Any = {"extra": "forbid", "hide_input_in_errors": True}


@dataclass(frozen=True, slots=True)
class Option:
    """One allowed answer to a choice question."""

    __pydantic_config__ = _FORBID_EXTRA

    value: Id
    """The stable snake_case id written in answers files."""
    label: NonEmpty
    """What the screens show."""
    explanation: str = ""
    """One line saying what choosing this option means, shown as the highlight moves."""
    means: str = ""
    """What this answer means for the decision, shown in the report's 'Why'."""
    next: str | None = None
    """The node this answer leads to; defaults to the question's own `next`."""
    if_chosen: str = ""
    """This answer as a condition in a sentence, e.g. 'the budget were over $1M'."""
    unsure: bool = False
    """A 'Not sure' answer: the tree treats it conservatively and reports a caveat."""
    caveat: str = ""
    """Added to the decision whenever this answer is given (required for 'Not sure')."""


@dataclass(frozen=True)
class Question:
    """A question node: a choice among options, or optional free text."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    prompt: NonEmpty
    help: str = ""
    """Plain words explaining the question's terms."""
    topic: str = ""
    """What the question is about, as a phrase: 'the budget', 'how good the data is'."""
    type: Literal["choice", "text"] = "choice"
    options: tuple[Option, ...] = ()
    default: str | None = None
    next: str | None = None
    """Where every option without its own `next` leads (and where a text question leads)."""
    placeholder: str = ""
    max_length: int = 200
    """Free text longer than this is refused."""

    @property
    def is_text(self) -> bool:
        return self.type == "text"

    @cached_property
    def option_by_value(self) -> dict[str, Option]:
        return {option.value: option for option in self.options}

    def option(self, value: str) -> Option | None:
        return self.option_by_value.get(value)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    def leads_to(self, value: str | None) -> str | None:
        """The id of the node an answer leads to."""
        option = self.option(value) if value is not None else None
        if option is not None and option.next is not None:
            return option.next
        return self.next


@dataclass(frozen=True, slots=True)
class Rule:
    """One branch of a route: if `when` holds, go to `then`."""

    __pydantic_config__ = _FORBID_EXTRA

    when: Condition
    then: Id
    why: str = ""
    """Why this branch exists, in a phrase; shown in the decision path."""


@dataclass(frozen=True, slots=True)
class Route:
    """A routing node: the first rule whose condition holds decides where the path goes."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    rules: tuple[Rule, ...]
    otherwise: Id
    help: str = ""


@dataclass(frozen=True, slots=True)
class NotRecommended:
    """An approach an outcome advises against, and why."""

    __pydantic_config__ = _FORBID_EXTRA

    approach: Approach
    why: NonEmpty


@dataclass(frozen=True, slots=True)
class Outcome:
    """A leaf: the recommendation itself."""

    __pydantic_config__ = _FORBID_EXTRA

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


@dataclass(frozen=True, slots=True)
class Modifier:
    """A cross-cutting concern declared once, applied to every decision it matches."""

    __pydantic_config__ = _FORBID_EXTRA

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

    __pydantic_config__ = _FORBID_EXTRA

    question: Id
    allowed: tuple[str, ...]
    need: NonEmpty
    """How the missing piece is named, e.g. 'a budget over $1M'."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """What a more ambitious approach needs; used by routes (`meets`) and to name blockers."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    approach: Approach
    label: NonEmpty
    """How the approach is named when its blockers are listed, e.g. 'Training from scratch'."""
    needs: tuple[Need, ...]
    extends: str | None = None
    """Another requirement set whose needs this one inherits (its own needs win)."""


@dataclass(frozen=True, slots=True)
class OpenWhen:
    __pydantic_config__ = _FORBID_EXTRA

    when: Condition
    says: NonEmpty


@dataclass(frozen=True, slots=True)
class PlanQuestion:
    """One of the three questions every plan must answer, answered from the answers."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    ask: NonEmpty
    answered_from: tuple[str, ...]
    open_when: tuple[OpenWhen, ...] = ()


@dataclass(frozen=True, slots=True)
class Technique:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    label: NonEmpty
    meaning: NonEmpty
    in_what_ifs: Literal["tracked", "named", "silent"] = "named"
    """How "what would change it" treats the technique: `tracked`, its arrival or departure
    is a what-if even when the approach holds; `named`, it is named when the approach
    changes; `silent`, never named (it comes with every approach that has it)."""


#: The cost models, each the arithmetic for one approach's row (see `adaptwise.domain.costs`).
CostModel = Literal[
    "prompting", "prompting_with_retrieval", "peft", "full_fine_tuning",
    "continued_pretraining", "classic_model", "pretraining",
]


@dataclass(frozen=True, slots=True)
class CostRule:
    """Which cost model prices an approach's row: for each approach the first rule that
    holds wins, so each approach ends with a rule without conditions."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    approach: Approach
    model: CostModel
    when: Condition = field(default_factory=dict)
    """Answers that must hold, as in a route; `approach` matches the decided approach."""
    if_technique: str | None = None
    """... and the decision includes this technique."""


@dataclass(frozen=True, slots=True)
class Source:
    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    title: NonEmpty
    where: NonEmpty
    """A file name under the seeds, or a public address."""


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    __pydantic_config__ = _FORBID_EXTRA

    term: NonEmpty
    meaning: NonEmpty


@dataclass(frozen=True, slots=True)
class Assumption:
    """A figure the cost estimates rest on, with its source; a company may edit it."""

    __pydantic_config__ = _FORBID_EXTRA

    id: Id
    about: NonEmpty
    """What the figure is and where it comes from, in a phrase shown in reports."""
    unit: NonEmpty
    range: Range | None = None
    """Low and high; equal for a single figure."""
    question: str | None = None
    per_answer: dict[str, Range] | None = None
    """Ranges that depend on an answer to `question`, e.g. examples per data volume."""
    sources: tuple[str, ...] = ()

    def value(self, answers: dict[str, str]) -> tuple[float, float] | None:
        """This figure's (low, high) for these answers, or None where it does not apply."""
        if self.per_answer is not None and self.question is not None:
            return self.per_answer.get(answers.get(self.question, ""))
        return self.range


@dataclass(frozen=True, slots=True)
class Roles:
    """Which questions play a part the code must know: the tree names them, never Python.

    Each is a question id; `check` verifies it exists and has the right kind. A tree may
    leave a role out, and the feature that needs it (a titled report, a budget check, a
    budget owner in a portfolio) does without.
    """

    __pydantic_config__ = _FORBID_EXTRA

    initiative: str | None = None
    """Free text naming the initiative: report titles, export file names, portfolio rows."""
    budget: str | None = None
    """The budget question: its answer sets the budget line the cost ranges are checked against."""
    budget_owner: str | None = None
    """Free text naming whose budget it is."""


@dataclass(frozen=True, eq=False)
class Tree:
    """A whole decision tree. Compared by identity, so analyses can memoise per tree."""

    __pydantic_config__ = _FORBID_EXTRA

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
    roles: Roles = Roles()
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

    @cached_property
    def compiled_needs(self) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
        return {
            name: tuple((need.question, frozenset(need.allowed)) for need in needs)
            for name, needs in self.requirement_needs.items()
        }

    @cached_property
    def compiled_conditions(self) -> dict[int, CompiledCondition]:
        """Every condition the tree holds, compiled, by identity (they live as long as the tree)."""
        conditions = [rule.when for route in self.routes for rule in route.rules]
        conditions += [modifier.when for modifier in self.modifiers]
        conditions += [item.when for plan in self.plan_questions for item in plan.open_when]
        conditions += [rule.when for rule in self.cost_rules]
        return {id(when): _compile(when) for when in conditions}

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

    def technique_label(self, technique_id: str) -> str:
        technique = self.technique_by_id.get(technique_id)
        return technique.label if technique else technique_id.replace("_", " ")

    def answer_label(self, question_id: str, value: str | None) -> str:
        """The label a person sees for an answer (free text is shown as typed)."""
        if value is None:
            return "not answered"
        question = self.question_by_id.get(question_id)
        option = question.option(value) if question else None
        return option.label if option else value


#: Keys a condition may use besides question ids.
CONDITION_KEYWORDS = frozenset({"meets", "approach"})


def condition_holds(
    tree: Tree, when: Condition, answers: dict[str, str], approach: str | None = None
) -> bool:
    """Whether every entry of a condition holds for these answers."""
    compiled = tree.compiled_conditions.get(id(when)) or _compile(when)
    for key, allowed, requirements in compiled:
        if requirements:
            for name in requirements:
                for question, accepted in tree.compiled_needs[name]:
                    if answers.get(question) not in accepted:
                        return False
        elif (approach if key == "approach" else answers.get(key)) not in allowed:
            return False
    return True


CompiledCondition = tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]


def _compile(when: Condition) -> CompiledCondition:
    """A condition as (key, accepted values, requirement ids) triples, for fast evaluation."""
    entries: list[tuple[str, frozenset[str], tuple[str, ...]]] = []
    for key, expected in when.items():
        values = (expected,) if isinstance(expected, str) else tuple(expected)
        if key == "meets":
            entries.append((key, frozenset(), values))
        else:
            entries.append((key, frozenset(values), ()))
    return tuple(entries)


def unmet_needs(tree: Tree, requirement_id: str, answers: dict[str, str]) -> list[Need]:
    return [
        need
        for need in tree.requirement_needs[requirement_id]
        if answers.get(need.question) not in need.allowed
    ]


def condition_questions(tree: Tree, when: Condition) -> set[str]:
    """The question ids a condition reads, including those behind `meets`."""
    read: set[str] = set()
    for key, expected in when.items():
        if key == "meets":
            for name in (expected,) if isinstance(expected, str) else expected:
                read.update(need.question for need in tree.requirement_needs.get(name, ()))
        elif key not in CONDITION_KEYWORDS:
            read.add(key)
    return read
