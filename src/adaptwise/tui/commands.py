"""The command palette (ctrl+p): export, save answers, copy, start over, glossary, theme."""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider


class WizardCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        return [
            ("Export report", app.action_export, "Save the report as a Markdown file (ctrl+s)"),
            ("Save answers", app.action_save_answers, "Save the answers file, to replay or script later"),
            ("Copy report to clipboard", app.action_copy_report, "Copy the report's Markdown"),
            ("Start over", app.action_start_over, "Clear every answer and begin again"),
            ("Glossary and help", app.action_help, "The terms the questions use, and the keys (F1)"),
            ("Switch theme", app.action_change_theme, "Pick a colour theme"),
            ("Load answers file", app.action_load_answers, "Fill in answers from a YAML or JSON file"),
            ("Forget saved session", app.action_forget_session, "Delete the autosaved answers"),
        ]

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
