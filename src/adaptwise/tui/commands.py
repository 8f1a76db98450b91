"""The command palette (ctrl+p): export, save answers, copy, start over, glossary, theme.

Each command names an app action, as the bindings do, so the palette and the keys run the
same code.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
