"""The command palette (ctrl+p): export, save answers, copy, start over, glossary, theme.

Each command names an app action, as the bindings do, so the palette and the keys run the
same code.
"""

from __future__ import annotations

from functools import partial
from typing import TypeVar

from textual import on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.widgets import Button, Input, OptionList

#: (name, action, what it does)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Export report", "export", "Save the report as a Markdown file (ctrl+s)"),
    ("Save answers", "save_answers", "Save the answers file, to replay or script later"),
    ("Copy report to clipboard", "copy_report", "Copy the report's Markdown"),
    ("Start over", "start_over", "Clear every answer and begin again"),
    ("Glossary and help", "help", "The terms the questions use, and the keys (F1)"),
    ("Switch theme", "change_theme", "Pick a colour theme"),
    ("Load answers file", "load_answers", "Fill in answers from a YAML or JSON file"),
    ("Forget saved session", "forget_session", "Delete the autosaved answers"),
)


class WizardCommands(Provider):
    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)


Returned = TypeVar("Returned")


class WizardPalette(CommandPalette):
    """Textual's palette, made safe for keys that come faster than it opens and closes.

    - Two Enters in one read submitted it twice: the second ran the command again and
      dismissed the screen beneath (with only the welcome screen there, the stack emptied
      and the app ended). Once it is not the screen on top, what its input, button and list
      still say is dropped before Textual's own handlers see it, and `dismiss` does nothing.
    - Closed before it had mounted (ctrl+p Escape in one read), its mount still started a
      search that looked for its list, gone by then (NoMatches). It closes once mounted, and
      its searches end when it closes.
    """

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(Button.Pressed)
    @on(OptionList.OptionSelected)
    def drop_when_closed(self, event: Message) -> None:
        if not self.is_active:
            event.prevent_default()  # the base class's handlers do not run
            event.stop()

    def dismiss(self, result: None = None) -> AwaitComplete:
        if not self.is_active:
            return AwaitComplete()  # closed already: not the screen beneath
        if not self.is_mounted:
            self.call_later(self._close_once_mounted)
            return AwaitComplete()
        self.workers.cancel_node(self)
        return super().dismiss(result)

    def _close_once_mounted(self) -> None:
        self.dismiss()


def open_palette(app: App[Returned]) -> None:
    """ctrl+p: the palette, unless one is open anywhere in the stack.

    Textual's own action looks only at the screen on top: a second ctrl+p in the same read,
    or one under a dialog opened over the palette, made a second palette with the same id
    (DuplicateIds, and the app ended).
    """
    if app.use_command_palette and not any(isinstance(screen, CommandPalette) for screen in app.screen_stack):
        app.push_screen(WizardPalette(id="--command-palette"))
