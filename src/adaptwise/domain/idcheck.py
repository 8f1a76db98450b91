"""What `adaptwise check` finds in a tree's ids: each must be snake_case ASCII, and a question
id must not be one of the command line's own options (its flag would shadow one).

Look-alike letters (a Cyrillic "а" in "tаsk"), spaces and capitals would otherwise pass,
and lead to messages such as "unknown question 'task'; did you mean 'tаsk'?".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from adaptwise.domain.findings import Finding, Target
from adaptwise.domain.model import Tree

#: Ids of questions, routes, outcomes and every other entry: a lower-case ASCII letter, then
#: letters, digits and underscores. (Answer values may start with a digit: `10k_to_100k`.)
ID = re.compile(r"[a-z][a-z0-9_]*")

#: The options `adaptwise recommend` has besides one per question; a question with one of
#: these ids (or their dashed spelling) would shadow it. The CLI's tests hold its parser to
#: this list.
RESERVED_QUESTION_IDS = frozenset(
    {
        "answers",
        "assume",
        "defaults",
        "force",
        "format",
        "gpu_hour_usd",
        "h",
        "help",
        "out",
        "tree",
        "version",
    }
)

_SECTIONS = (
    "questions",
    "routes",
    "outcomes",
    "modifiers",
    "requirements",
    "plan_questions",
    "techniques",
    "sources",
    "assumptions",
    "cost_rules",
)


def id_findings(tree: Tree) -> Iterator[Finding]:
    for section in _SECTIONS:
        for index, item in enumerate(getattr(tree, section)):
            if not ID.fullmatch(item.id):
                yield Finding(
                    (section, index, "id"),
                    f"'{_shown(item.id)}' is not a snake_case id",
                    expected="a lower-case letter, then lower-case letters, digits and underscores (ASCII)",
                    code="not-snake-case",
                    refers_to=(Target(section[:-1], item.id),),
                )
    for index, question in enumerate(tree.questions):
        if question.id in RESERVED_QUESTION_IDS:
            yield Finding(
                ("questions", index, "id"),
                f"the question id '{question.id}' is taken by the command line's --{question.id.replace('_', '-')}",
                question.id,
                hint="choose another id",
                code="reserved-question-id",
                refers_to=(Target("question", question.id),),
            )


def _shown(text: str) -> str:
    """The id with anything outside ASCII written as a code point, so look-alikes show."""
    return "".join(char if char.isascii() and char.isprintable() else f"\\u{ord(char):04x}" for char in text)
