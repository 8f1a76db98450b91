"""What the wizard hands over for a walk: the report, the answers file, and their file names.

UI-free, so the terminal and the served wizard name and render them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from adaptwise.domain.decision import Decision
from adaptwise.domain.engine import decide
from adaptwise.domain.text import slug

if TYPE_CHECKING:
    from adaptwise.files.trees import LoadedTree


@dataclass(frozen=True, slots=True)
class WalkExports:
    loaded: LoadedTree
    answers: Mapping[str, str]
    today: date

    def decision(self) -> Decision:
        return decide(self.loaded.tree, self.answers)

    def report(self, *, collapsible: bool = True) -> str:
        """THE report: the core renderer's string, saved unchanged; shown with `collapsible`
        off, since Textual's Markdown drops the HTML of `<details>` and their titles with it."""
        from adaptwise.domain.report import render_markdown

        return render_markdown(
            self.decision(),
            self.loaded.tree,
            sha256=self.loaded.sha256,
            today=self.today,
            bases=self.loaded.bases,
            collapsible=collapsible,
        )

    def answers_file_text(self) -> str:
        """The answers given so far as an answers file: several answers as a YAML list."""
        from adaptwise.domain.literal_text import answers_yaml

        given = {key: value for key, value in self.answers.items() if value != ""}
        return answers_yaml(self.loaded.tree.answers_data(given))

    def export_name(self) -> str:
        return self._file_name(f"{self.today.isoformat()}.md")

    def answers_name(self) -> str:
        return self._file_name("answers.yaml")

    def _file_name(self, ending: str) -> str:
        name = slug(self.loaded.tree.initiative_name(self.answers))
        return f"adaptwise-{name + '-' if name else ''}{ending}"
