"""Load an answers file (YAML or JSON) from the welcome screen; errors stay in the dialog."""

from __future__ import annotations

from adaptwise.domain.model import Tree
from adaptwise.tui.dialogs.path_dialog import PathDialog


class OpenAnswersDialog(PathDialog[dict[str, str]]):
    """Returns the checked answers, or None if the person cancelled."""

    EMPTY = "Type the path of an answers file."

    def __init__(self, tree: Tree):
        super().__init__(
            "Load an answers file",
            "A YAML or JSON file of question ids and answers, e.g. one saved by adaptwise.",
            "Load",
            placeholder="answers.yaml",
        )
        self.decision_tree = tree

    def act(self, path: str) -> None:
        from adaptwise.files.answers_file import load_answers_file

        self.close(load_answers_file(path, self.decision_tree))
