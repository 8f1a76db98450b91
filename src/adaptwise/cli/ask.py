"""`adaptwise ask`: the wizard as line-by-line prompts, for screen readers, dumb terminals and logs.

Same engine, same walkthrough (`domain.walkthrough`), same review and report as the
full-screen wizard, in plain text only (no escape codes). Prompts go to stderr and the
report to stdout (or `--out`), so `adaptwise ask < answers.txt > report.md` works. When
stdin is not a terminal, each line read is echoed so that a log shows what was answered.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from typing import TYPE_CHECKING, TextIO

from adaptwise.cli import exits
from adaptwise.domain.answers import choice_answer, read_choice
from adaptwise.domain.engine import decide
from adaptwise.domain.errors import InputError
from adaptwise.domain.model import Tree
from adaptwise.domain.questions import CHOICE_SEPARATOR, Question
from adaptwise.domain.text import clean_text
from adaptwise.domain.walkthrough import Stage, Walkthrough

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree

#: What a person types to go back, at a question or the review.
BACK = "b"

KEYS_HINT = "? for help, b to go back"


class _InputEnded(Exception):
    pass


class _Bad(Exception):
    """A line that answers nothing, when stdin is not a person who could try again."""


class _Back(Exception):
    """The person typed b."""


class PlainSession:
    def __init__(self, tree: Tree, answers: dict[str, str], stdin: TextIO, prompts: TextIO):
        self.tree = tree
        self.walkthrough = Walkthrough.with_answers(tree, answers) if answers else Walkthrough.fresh(tree)
        self.stdin = stdin
        self.prompts = prompts
        self.interactive = _isatty(stdin)
        self.line_number = 0

    # --- input and output ---------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.prompts.write(text + "\n")
        self.prompts.flush()

    def read(self, prompt: str) -> str:
        self.prompts.write(prompt)
        self.prompts.flush()
        line = self.stdin.readline()
        if line == "":
            if self.interactive:
                self.say()
            raise _InputEnded
        self.line_number += 1
        line = line.rstrip("\r\n")
        if not self.interactive:
            self.say(clean_text(line))  # echo, so a log reads like the session did
        return line

    def complain(self, message: str) -> None:
        if not self.interactive:
            raise _Bad(f"line {self.line_number}: {message}")
        self.say(f"  {message}")

    # --- the walk -------------------------------------------------------------------------

    def run(self) -> None:
        """Ask, review and change answers until the person confirms the review."""
        while self.walkthrough.stage is not Stage.RECOMMENDATION:
            question = self.walkthrough.question
            if question is not None:
                self.ask(question)
            else:
                self.review()

    def ask(self, question: Question) -> None:
        """Ask one question until it gets an answer, or the person goes back."""
        where = self.walkthrough.progress()
        self.say()
        self.say(f"Question {where.position} of about {where.estimated_total}")
        self.say(question.prompt)
        current = self.walkthrough.current
        # Each kind of question has its way of being asked on a line (answer_kinds.py).
        asking = {"text": self._ask_text, "several": self._ask_several, "choice": self._ask_choice}
        try:
            value = asking[question.kind.name](question, current)
        except _Back:
            self.walkthrough = self.walkthrough.back()
            return
        self.walkthrough = self.walkthrough.answer(value)
        if self.walkthrough.dropped:
            self.say("  These answers no longer apply and were removed:")
            for dropped in self.walkthrough.dropped:
                self.say(f"    - {dropped.question.prompt} ({clean_text(dropped.label)})")

    def _go_back(self) -> None:
        """Raise _Back, unless this is the first question: then say so, and it is asked again."""
        if self.walkthrough.back().stage is Stage.START:
            self.say("  This is the first question.")
            return
        raise _Back

    def _ask_text(self, question: Question, current: str | None) -> str:
        hint = "Optional: type an answer, or press Enter to skip"
        if current:
            hint = f"Optional: press Enter to keep '{current}', or type a new answer ('-' clears it)"
        self.say(f"  ({hint}; {KEYS_HINT}.)")
        while True:
            line = self.read("> ")
            if line.strip() == "?":
                self.show_help(question)
                continue
            if line.strip().lower() == BACK:
                self._go_back()
                continue
            typed = clean_text(line)
            if len(typed) > question.max_length:
                self.complain(f"That is {len(typed)} characters; the limit is {question.max_length}.")
                continue
            if typed == "" and current:
                typed = current
            elif typed == "-":
                typed = ""
            if clean_text(line) != " ".join(line.split()):
                self.say("  (Control characters were removed.)")
            return typed

    def _ask_choice(self, question: Question, current: str | None) -> str:
        chosen = current if current in question.values else question.default
        for number, option in enumerate(question.options, start=1):
            mark = "*" if option.value == chosen else " "
            self.say(f" {mark}{number:>2}. {option.label}")
            if option.explanation:
                self.say(f"       {option.explanation}")
        default_number = question.values.index(chosen) + 1 if chosen in question.values else None
        keep = f"Enter = {default_number}, " if default_number else ""
        self.say(f"  (Type a number; {keep}{KEYS_HINT}.)")
        while True:
            line = self._read_answer(question)
            if line is None:
                continue
            value = self._choice(question, line, chosen)
            if value is None:
                count = len(question.options)
                self.complain(f"'{clean_text(line)[:40]}' is not one of the numbers 1 to {count}.")
                continue
            return value

    def _read_answer(self, question: Question) -> str | None:
        """A line typed at a choice, or None when it was '?' (help shown) or back (gone back)."""
        line = self.read("> ").strip()
        if line == "?":
            self.show_help(question)
            return None
        if line.lower() == BACK:
            self._go_back()
            return None
        return line

    def _ask_several(self, question: Question, current: str | None) -> str:
        """A question that takes several answers: numbers or ids, separated by commas or spaces."""
        chosen = current if current is not None and choice_answer(question, current) else question.default
        marked = question.parts(chosen) if chosen else ()
        for number, option in enumerate(question.options, start=1):
            mark = "*" if option.value in marked else " "
            self.say(f" {mark}{number:>2}. {option.label}" + ("  (on its own only)" if option.alone else ""))
            if option.explanation:
                self.say(f"       {option.explanation}")
        numbers = [str(question.values.index(value) + 1) for value in marked if value in question.values]
        keep = f"Enter = {','.join(numbers)}; " if numbers else ""
        self.say(f"  (Choose all that apply: numbers or ids separated by commas or spaces; {keep}{KEYS_HINT}.)")
        while True:
            line = self._read_answer(question)
            if line is None:
                continue
            if line == "" and chosen:
                return chosen
            value, why = self._several(question, line)
            if value is None:
                self.complain(why)
                continue
            return value

    @staticmethod
    def _several(question: Question, line: str) -> tuple[str | None, str]:
        """The answer typed as numbers or ids, or None and why it is none, in one line."""
        count = len(question.options)
        values = []
        for token in re.split(r"[\s,]+", line):
            if not token:
                continue
            if token.isdigit() and 1 <= int(token) <= count:
                values.append(question.options[int(token) - 1].value)
            elif question.option(token) is not None:
                values.append(token)
            else:
                return None, f"'{clean_text(token)[:40]}' is not one of the numbers 1 to {count}."
        if not values:
            return None, f"Type one or more of the numbers 1 to {count}."
        try:
            return read_choice(question, CHOICE_SEPARATOR.join(values)), ""
        except InputError as error:
            return None, error.problems[0].message + "."

    @staticmethod
    def _choice(question: Question, line: str, chosen: str | None) -> str | None:
        if line == "":
            return chosen
        if line.isdigit() and 1 <= int(line) <= len(question.options):
            return question.options[int(line) - 1].value
        if line in question.values:  # option ids work too, as in answers files
            return line
        return None

    def show_help(self, question: Question) -> None:
        if question.help:
            self.say(f"  {question.help}")
        if self.tree.glossary:
            self.say("  Glossary:")
            for entry in self.tree.glossary:
                self.say(f"    {entry.term}: {entry.meaning}")

    # --- review -------------------------------------------------------------------------

    def review(self) -> None:
        """List every answer; a number changes that answer, Enter (or end of input) confirms."""
        path = self.walkthrough.path
        self.say()
        self.say("Review your answers")
        for number, question in enumerate(path, start=1):
            answer = self.walkthrough.answers.get(question.id, "")
            label = self.tree.answer_label(question.id, answer) if answer else "(skipped)"
            self.say(f" {number:>2}. {question.prompt}")
            self.say(f"     {clean_text(label)}")
        self.say("  (Type a number to change that answer, b to go back, or press Enter to see the recommendation.)")
        while True:
            try:
                line = self.read("> ").strip()
            except _InputEnded:
                line = ""  # every question is answered: the end of input confirms
            if line == "":
                self.walkthrough = self.walkthrough.confirm()
                return
            if line.lower() == BACK:
                self.walkthrough = self.walkthrough.back()
                return
            if line.isdigit() and 1 <= int(line) <= len(path):
                self.walkthrough = self.walkthrough.edit(path[int(line) - 1].id)
                return
            self.complain(f"'{clean_text(line)[:40]}' is not one of the numbers 1 to {len(path)}.")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def run_plain(
    loaded: LoadedTree,
    answers: dict[str, str] | None = None,
    *,
    out: str | None,
    force: bool,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    prompts: TextIO | None = None,
    today: date | None = None,
) -> int:
    """Run the plain prompt session; returns the exit code (0, 2 or 130)."""
    from adaptwise.domain.report import render_markdown
    from adaptwise.files.output import write_output

    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    prompts = prompts if prompts is not None else sys.stderr
    tree = loaded.tree
    if stdin is None or stdin.closed:
        prompts.write("adaptwise ask: standard input is closed; nothing to read answers from\n")
        return exits.BAD_INPUT
    session = PlainSession(tree, dict(answers or {}), stdin, prompts)
    if session.interactive:
        session.say(tree.title)
        for sentence in tree.intro:
            session.say(sentence)
    try:
        session.run()
    except _InputEnded:
        at = session.walkthrough.question
        name = f" at question '{at.id}' ({at.prompt})" if at else ""
        prompts.write(
            f"adaptwise ask: the input ended before a decision{name}; "
            f"{len(session.walkthrough.answers)} answered. Give one line per question, or use "
            "`adaptwise recommend --answers FILE` for scripts.\n"
        )
        return exits.BAD_INPUT
    except _Bad as error:
        prompts.write(f"adaptwise ask: {error}\n")
        return exits.BAD_INPUT
    except KeyboardInterrupt:
        prompts.write("\nadaptwise ask: stopped; nothing was written.\n")
        return exits.INTERRUPTED

    decision = decide(tree, session.walkthrough.answers)
    report = render_markdown(decision, tree, sha256=loaded.sha256, today=today or date.today(), bases=loaded.bases)
    if out is None or out == "-":
        stdout.write(report if report.endswith("\n") else report + "\n")
        stdout.flush()
        return exits.OK
    try:
        written = write_output(report, out, force=force)
    except InputError as error:
        prompts.write(f"adaptwise ask: {error.render()}\n")
        return exits.BAD_INPUT
    session.say()
    session.say(f"Recommendation: {decision.approach_label}")
    session.say(f"Saved the report to {written}")
    return exits.OK
