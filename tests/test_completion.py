"""Tab completion, asked as a shell asks it: argcomplete's protocol, in this process and
(for one test) in a subprocess.

What is expected comes from the parser itself (its --help) and from the tree, so an
option, question or assumption added without completion fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from adaptwise.cli.parser import COMMAND_NAMES, build_complete_parser
from adaptwise.domain.idcheck import RESERVED_QUESTION_IDS

MINIMAL_TREE = Path(__file__).parent / "data" / "trees" / "minimal.yaml"


class _Completed(Exception):
    """argcomplete's exit, raised in place of ending the test process."""


def _completion_env(cli_env, answer: Path, line: str, space: bool) -> dict[str, str]:
    env = {
        **cli_env,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_STDOUT_FILENAME": str(answer),
    }
    if not space:
        env["_ARGCOMPLETE_SUPPRESS_SPACE"] = "1"
    return env


def complete(cli_env, tmp_path: Path, line: str, *, space: bool = False) -> list[str]:
    """What Tab offers at the end of `line`: the CLI's own completion answers argcomplete's
    protocol in this process (`complete_in_a_shell` below runs it as a shell does)."""
    import argcomplete.finders

    from adaptwise.cli.completion import complete as answer_the_shell

    def finished(code: int) -> None:
        raise _Completed(code)

    answer = tmp_path / "completions.txt"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in _completion_env(cli_env, answer, line, space).items():
            patch.setenv(name, value)
        # argcomplete writes its debug output to fd 9 if it is open; in pytest it may be a
        # worker's pipe, which closing the debug stream would break.
        patch.setattr(argcomplete.finders.CompletionFinder, "_init_debug_stream", lambda _self: None)
        with pytest.raises(_Completed) as done:
            answer_the_shell(exit_method=finished)
    assert done.value.args == (0,)
    return [item for item in answer.read_text(encoding="utf-8").split("\n") if item]


def complete_in_a_shell(cli_env, tmp_path: Path, line: str, *, space: bool = False) -> list[str]:
    """What Tab offers, asked as a shell asks: `python -m adaptwise` in argcomplete's environment."""
    answer = tmp_path / "completions.txt"
    result = subprocess.run(
        [sys.executable, "-m", "adaptwise"],
        env=_completion_env(cli_env, answer, line, space),
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return [item for item in answer.read_text(encoding="utf-8").split("\n") if item]


def options_in_help(help_text: str) -> set[str]:
    """Every option string the help lists (the invocation column, not the prose)."""
    found: set[str] = set()
    for line in help_text.splitlines():
        if re.match(r"  -", line):
            invocation = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            found.update(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", invocation))
    return found


@pytest.fixture(scope="module")
def parsers(loaded_tree):
    return build_complete_parser(loaded_tree)


# --- every command, every option ---------------------------------------------------------------


def test_tab_offers_every_command_and_the_top_level_options(cli_env, tmp_path, parsers):
    offered = complete_in_a_shell(cli_env, tmp_path, "adaptwise ")
    expected = set(parsers.commands) | {option for option in parsers.top.option_strings if option.startswith("--")}
    assert set(offered) == expected
    assert set(parsers.commands) == set(COMMAND_NAMES)


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_tab_offers_every_option_of_every_command(cli_env, tmp_path, parsers, command):
    parser = parsers.commands[command]
    declared = set(parser.option_strings)
    assert declared == options_in_help(parser.format_help()), "the parser records every option it shows"
    offered = complete(cli_env, tmp_path, f"adaptwise {command} --")
    assert sorted(offered) == sorted(option for option in declared if option.startswith("--"))


@pytest.mark.parametrize("command", [name for name in COMMAND_NAMES if name in ("recommend", "wizard", "ask")])
def test_question_flags_cannot_shadow_an_option(command):
    """A tree may not use these ids for questions (`check` refuses them): the parser keeps to that list."""
    own = build_complete_parser(None).commands[command].option_strings
    assert {option.lstrip("-").replace("-", "_") for option in own} <= RESERVED_QUESTION_IDS


# --- questions and their answers -----------------------------------------------------------------


def test_both_spellings_of_every_question_flag_are_offered(cli_env, tmp_path, tree):
    offered = set(complete(cli_env, tmp_path, "adaptwise recommend --"))
    for question in tree.questions:
        assert f"--{question.id}" in offered
        assert f"--{question.id.replace('_', '-')}" in offered


@pytest.mark.parametrize("spelling", ["underscores", "dashes"])
def test_each_question_flag_offers_its_answers(cli_env, tmp_path, tree, spelling):
    for question in tree.questions:
        flag = f"--{question.id}" if spelling == "underscores" else f"--{question.id.replace('_', '-')}"
        offered = complete(cli_env, tmp_path, f"adaptwise recommend {flag} ")
        assert offered == list(question.values), flag  # free text: nothing, not file names


def test_a_dashed_flag_completes_a_partly_typed_answer(cli_env, tmp_path, tree):
    """`--base-models be<Tab>` offered nothing while `--base_models be<Tab>` completed."""
    question = next(q for q in tree.questions if "_" in q.id and not q.is_text)
    value = question.values[-1]
    prefix = value[:2]
    expected = [v for v in question.values if v.startswith(prefix)]
    for flag in (f"--{question.id}", f"--{question.id.replace('_', '-')}"):
        assert complete(cli_env, tmp_path, f"adaptwise recommend {flag} {prefix}") == expected
        assert complete(cli_env, tmp_path, f"adaptwise wizard {flag}={prefix}") == [f"{flag}={v}" for v in expected]


def test_the_tree_given_with_tree_names_the_question_flags(cli_env, tmp_path, tree):
    from adaptwise.files.trees import load_tree

    minimal = load_tree(MINIMAL_TREE).tree
    offered = set(complete(cli_env, tmp_path, f"adaptwise recommend --tree {MINIMAL_TREE} --"))
    assert {f"--{question.id}" for question in minimal.questions} <= offered
    only_shipped = {question.id for question in tree.questions} - {question.id for question in minimal.questions}
    assert only_shipped
    assert not {f"--{question_id}" for question_id in only_shipped} & offered


# --- cost assumptions -------------------------------------------------------------------------------


def test_the_cost_options_are_offered(cli_env, tmp_path):
    """`recommend --as<Tab>` offered nothing: --assume and --gpu-hour-usd were missing."""
    assert complete(cli_env, tmp_path, "adaptwise recommend --as") == ["--assume"]
    assert complete(cli_env, tmp_path, "adaptwise recommend --gpu") == ["--gpu-hour-usd"]


def test_assume_offers_the_trees_assumption_ids(cli_env, tmp_path, tree):
    """`--assume <Tab>` inserted `--`; it offers `id=` for every assumption of the tree."""
    offered = complete(cli_env, tmp_path, "adaptwise recommend --assume ")
    assert offered == [f"{assumption.id}=" for assumption in tree.assumptions]
    assert not any(item.startswith("-") for item in offered)


def test_a_unique_assumption_id_is_completed_without_a_space(cli_env, tmp_path, tree):
    ids = [assumption.id for assumption in tree.assumptions]
    unique = next(i for i in ids if sum(other.startswith(i[:3]) for other in ids) == 1)
    assert complete(cli_env, tmp_path, f"adaptwise recommend --assume {unique[:3]}", space=True) == [f"{unique}="]


# --- the hook -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "complete"), ("zsh", "compdef"), ("fish", "complete --command adaptwise")]
)
def test_completion_prints_the_hook(run_cli, shell, marker):
    result = run_cli("completion", shell)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout and "adaptwise" in result.stdout
