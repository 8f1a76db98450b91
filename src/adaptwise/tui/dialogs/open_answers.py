"""Load an answers file (YAML or JSON) from the welcome screen; errors stay in the dialog."""

from __future__ import annotations

from adaptwise.domain.errors import InputError
from adaptwise.domain.model import Tree
from adaptwise.tui.dialogs.path_dialog import PathDialog


class OpenAnswersDialog(PathDialog[dict[str, str]]):
    """Returns the checked answers, or None if the person cancelled."""

    def __init__(self, tree: Tree):
        super().__init__(
            "Load an answers file",
            "A YAML or JSON file of question ids and answers, e.g. one saved by adaptwise.",
            "Load",
            placeholder="answers.yaml",
        )
        self.decision_tree = tree

    def attempt(self) -> None:
        from adaptwise.files.answers_file import load_answers_file

        path = self.typed_path()
        if not path:
            self.show_error("Type the path of an answers file.")
            return
        try:
            answers = load_answers_file(path, self.decision_tree)
        except InputError as problem:
            self.show_error(problem.render())
            return
        self.dismiss(answers)
