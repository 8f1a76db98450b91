"""The command line: argument parsing, precedence of answers, and exit codes.

Exit codes: 0 success, 2 bad input (printed on one screen, no traceback), 130 interrupted.
`recommend` and `check` never import Textual; the wizard is imported only when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from adaptwise import __version__
from adaptwise.domain.errors import InputError, Problem, did_you_mean

EXIT_OK = 0


EXIT_CHANGED = 1  # check --run-tests and replay: decisions moved; batch: some initiatives invalid


EXIT_BAD_INPUT = 2


EXIT_INTERRUPTED = 130


_SUPPRESS = argparse.SUPPRESS


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and "_ARGCOMPLETE" in os.environ:  # the shell asks for completions
        _complete()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(args)
    except InputError as error:
        _print_error(error)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _run(args: list[str]) -> int:
    if not args:
        return _wizard(_load(None), {})
    command = args[0]
    if command in ("-h", "--help"):
        _top_parser().print_help()
        return EXIT_OK
    if command == "--version":
        print(_version_text())
        return EXIT_OK
    handlers = {
        "recommend": _recommend,
        "check": _check,
        "wizard": _wizard_command,
        "ask": _ask,
        "replay": _replay,
        "batch": _batch,
        "schema": _schema,
        "graph": _graph,
        "completion": _completion,
    }
    if command not in handlers:
        hint = did_you_mean(command, handlers)
        raise InputError(Problem(
            f"unknown command '{command}'",
            expected="one of " + ", ".join(handlers),
            hint=hint or "run 'adaptwise --help'",
        ))
    return handlers[command](args[1:])


def _top_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="adaptwise",
        description=(
            "Decide between prompt engineering, fine-tuning and training, with the reasons. "
            "With no command, opens the wizard."
        ),
        epilog="Run 'adaptwise COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="store_true", help="show the version and the tree's version")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    commands.add_parser("wizard", help="the interactive wizard (the default)")
    commands.add_parser("recommend", help="decide from answers given as flags or files, for scripts")
    commands.add_parser("ask", help="the wizard as plain line-by-line prompts (screen readers, logs)")
    commands.add_parser("check", help="check a decision tree for mistakes; emit and run regression answers")
    commands.add_parser("replay", help="re-decide an exported report with the current tree and report the drift")
    commands.add_parser("batch", help="decide a portfolio of answers files or a CSV, one row per initiative")
    commands.add_parser("schema", help="print the JSON Schema of a tree file or of an answers file")
    commands.add_parser("graph", help="print the whole tree as a Mermaid or Graphviz picture")
    commands.add_parser("completion", help="print the shell code for tab completion (bash, zsh, fish)")
    return parser


def _version_text() -> str:
    from adaptwise.files.trees import load_tree

    try:
        tree_version = load_tree().tree.version
    except InputError:
        tree_version = "unreadable"
    return f"adaptwise {__version__} (decision tree {tree_version})"


def _print_error(error: InputError) -> None:
    text = error.render()
    first, _, rest = text.partition("\n")
    print(f"adaptwise: error: {first}" + (f"\n{rest}" if rest else ""), file=sys.stderr)


def _tree_argument(args: list[str]) -> str | None:
    """`--tree` must be known before the question flags it defines can be parsed."""
    for index, arg in enumerate(args):
        if arg == "--tree" and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--tree="):
            return arg.split("=", 1)[1]
    return None


def _answer_options(parser: argparse.ArgumentParser, tree) -> None:
    group = parser.add_argument_group(
        "answers", "One flag per question of the tree (from --tree, or the shipped one)."
    )
    for question in tree.questions:
        names = [f"--{question.id}"]
        if "_" in question.id:
            names.append(f"--{question.id.replace('_', '-')}")
        if question.is_text:
            help_text = f"{question.prompt} Free text, optional."
        else:
            help_text = f"{question.prompt} One of: {', '.join(question.values)}."
        group.add_argument(*names, dest=f"answer:{question.id}", metavar="VALUE", default=_SUPPRESS, help=help_text)


def _parse(parser: argparse.ArgumentParser, args: list[str], where: str | None) -> argparse.Namespace:
    namespace, unknown = parser.parse_known_args(args)
    if unknown:
        known = [option for action in parser._actions for option in action.option_strings]
        problems = [
            Problem(
                f"unknown option '{item.split('=', 1)[0]}'" if item.startswith("-") else f"unexpected argument '{item}'",
                file=where,
                hint=did_you_mean(item.split("=", 1)[0], known) if item.startswith("-") else None,
            )
            for item in unknown
        ]
        raise InputError(problems)
    return namespace


def _split_flag_files(args: list[str]) -> tuple[list[str], list[tuple[str, list]]]:
    """Command-line arguments, and each `@file`'s flags (which rank below them)."""
    direct: list[str] = []
    files: list[tuple[str, list]] = []
    after_value_option = False
    for arg in args:
        if arg.startswith("@") and not after_value_option:
            from adaptwise.files.flags import read_flags

            files.append((arg[1:], read_flags([arg])))
        else:
            direct.append(arg)
        after_value_option = arg.startswith("--") and "=" not in arg and arg not in _SWITCHES
    return direct, files


_SWITCHES = {"--defaults", "--force", "--help", "-h"}


def _gather(parser: argparse.ArgumentParser, args: list[str], tree) -> tuple[argparse.Namespace, dict[str, str]]:
    """Options and answers from every source, applied lowest precedence first."""
    from adaptwise.domain.answers import Origin, check_answers
    from adaptwise.files.answers_file import load_answers_file

    direct, flag_files = _split_flag_files(args)
    options: dict[str, Any] = {}
    layers: list[dict[str, str]] = []
    for name, flags in flag_files:
        namespace = _parse(parser, [flag.text for flag in flags], name)
        options.update(vars(namespace))
        origins = _flag_origins(parser, flags)
        layers.append(_answers_in(namespace, tree, check_answers, lambda key, _of_key: origins.get(key, Origin(name))))
    namespace = _parse(parser, direct, None)
    options.update(vars(namespace))
    command_line = _answers_in(namespace, tree, check_answers, lambda key, _of_key: Origin("command line"))

    answers: dict[str, str] = {}
    if options.get("answers"):
        answers.update(load_answers_file(options["answers"], tree))
    for layer in layers:
        answers.update(layer)
    answers.update(command_line)
    return argparse.Namespace(**{k: v for k, v in options.items() if not k.startswith("answer:")}), answers


def _flag_origins(parser: argparse.ArgumentParser, flags: list) -> dict:
    """For each question id, the flags-file line that set it last (later flags win)."""
    from adaptwise.domain.answers import Origin

    by_option = {
        option: action.dest.split(":", 1)[1]
        for action in parser._actions
        if action.dest.startswith("answer:")
        for option in action.option_strings
    }
    origins = {}
    for flag in flags:
        question_id = by_option.get(flag.text.split("=", 1)[0])
        if question_id is not None:
            origins[question_id] = Origin(flag.file, flag.line, flag.column)
    return origins


def _answers_in(namespace: argparse.Namespace, tree, check_answers, locate) -> dict[str, str]:
    raw = {key.split(":", 1)[1]: value for key, value in vars(namespace).items() if key.startswith("answer:")}
    return check_answers(tree, raw, locate)


def _load(tree_path: str | None):
    from adaptwise.files.trees import load_tree

    return load_tree(tree_path)


def _recommend_parser(tree) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="adaptwise recommend",
        description="Decide from answers given in an answers file, flags files (@FILE) and flags.",
        epilog=(
            "Precedence: a flag on the command line, then a flags or answers file, then (only "
            "with --defaults) the question's default. Exit codes: 0 decided, 2 bad or missing input."
        ),
    )
    parser.add_argument("--answers", metavar="FILE", default=_SUPPRESS, help="a YAML or JSON answers file")
    parser.add_argument("--defaults", action="store_true", default=_SUPPRESS, help="answer unanswered questions with their defaults")
    parser.add_argument("--format", choices=("markdown", "json"), default=_SUPPRESS, help="report format (default: markdown)")
    parser.add_argument("--out", metavar="PATH", default=_SUPPRESS, help="where to write the report; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", default=_SUPPRESS, help="replace an existing --out file")
    parser.add_argument("--tree", metavar="PATH", default=_SUPPRESS, help="a custom decision tree (default: the shipped one)")
    costs = parser.add_argument_group("cost assumptions", "Override a figure from the tree's assumptions: section for this run.")
    costs.add_argument("--assume", metavar="ID=LOW[:HIGH]", action="append", default=_SUPPRESS, help="e.g. --assume mfu=0.3:0.4 (repeatable)")
    costs.add_argument("--gpu-hour-usd", metavar="USD", default=_SUPPRESS, help="GPU rental price, the same as --assume gpu_hour_usd=USD")
    _answer_options(parser, tree)
    return parser


def _overrides(options: argparse.Namespace, tree) -> dict[str, tuple[float, float]]:
    """Cost assumptions set on the command line, checked against the tree's."""
    from adaptwise.domain.costs import out_of_limits, parse_override

    written = [(f"--assume {text}", text) for text in getattr(options, "assume", [])]
    if hasattr(options, "gpu_hour_usd"):
        written.append((f"--gpu-hour-usd {options.gpu_hour_usd}", f"gpu_hour_usd={options.gpu_hour_usd}"))
    overrides: dict[str, tuple[float, float]] = {}
    problems = []
    for flag, text in written:
        try:
            name, value = parse_override(text)
        except ValueError as error:
            problems.append(Problem(f"{flag}: {error}"))
            continue
        if name not in tree.assumption_by_id:
            problems.append(Problem(
                f"{flag}: the tree has no assumption '{name}'",
                hint=did_you_mean(name, tree.assumption_by_id) or "see the tree's assumptions: section",
            ))
            continue
        if (limit := out_of_limits(name, value)) is not None:
            problems.append(Problem(f"{flag}: {limit}"))
            continue
        overrides[name] = value
    if problems:
        raise InputError(problems)
    return overrides


def _recommend(args: list[str]) -> int:
    from adaptwise.domain.engine import decide_with_defaults

    loaded = _load(_tree_argument(args))
    parser = _recommend_parser(loaded.tree)
    if "-h" in args or "--help" in args:
        parser.print_help()
        return EXIT_OK
    options, answers = _gather(parser, args, loaded.tree)
    decision = decide_with_defaults(
        loaded.tree,
        answers,
        defaults=getattr(options, "defaults", False),
        advice="answer with --QUESTION=VALUE or an answers file, or pass --defaults",
    ).decision
    overrides = _overrides(options, loaded.tree)
    text = _render(decision, loaded, getattr(options, "format", "markdown"), overrides)
    _write(text, getattr(options, "out", "-"), getattr(options, "force", False))
    return EXIT_OK


def _render(decision, loaded, fmt: str, overrides=None) -> str:
    from adaptwise.domain.report import render_json, render_markdown

    if fmt == "json":
        return render_json(decision, loaded.tree, sha256=loaded.sha256, overrides=overrides)
    return render_markdown(decision, loaded.tree, sha256=loaded.sha256, today=report_date(), overrides=overrides)


def report_date():
    """Today, or SOURCE_DATE_EPOCH's date, for reproducible reports."""
    from datetime import date, datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def _write(text: str, out: str, force: bool) -> None:
    from adaptwise.files.output import write_output

    written = write_output(text, out, force=force)
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)


def _check(args: list[str]) -> int:
    from adaptwise.files.trees import check_tree_file

    parser = argparse.ArgumentParser(
        prog="adaptwise check",
        description=(
            "Check a decision tree: schema errors, duplicate ids, dangling references, cycles, "
            "unreachable nodes, thin questions and outcomes, route rules and listed answers that "
            "earlier answers rule out, modifiers that can never apply, and outcomes no answers "
            "reach. With --emit-tests, write answers files covering every edge of the tree; with "
            "--run-tests, decide them again and report every decision that changed."
        ),
        epilog=(
            "Exit codes: 0 the tree is clean (and, with --run-tests, no decision changed); "
            "1 with --run-tests, some decisions changed; 2 the tree has problems or bad input."
        ),
    )
    parser.add_argument("tree", nargs="?", metavar="TREE", help="the tree to check (default: the shipped one)")
    parser.add_argument("--emit-tests", metavar="DIR", help="write regression answers files covering every edge into DIR")
    parser.add_argument("--run-tests", metavar="DIR", help="decide the answers files in DIR again and report what changed")
    parser.add_argument("--force", action="store_true", help="with --emit-tests, replace the cases already in DIR")
    options = parser.parse_args(args)
    if options.emit_tests and options.run_tests:
        raise InputError(Problem("--emit-tests and --run-tests cannot be used together"))
    loaded, problems = check_tree_file(options.tree)
    if problems:
        raise InputError(problems, f"{problems[0].file} has {len(problems)} problem{'s' if len(problems) > 1 else ''}")
    assert loaded is not None
    tree = loaded.tree
    print(
        f"{loaded.source}: OK. Version {tree.version}: {len(tree.questions)} questions, "
        f"{len(tree.routes)} route{'s' if len(tree.routes) != 1 else ''}, {len(tree.outcomes)} outcomes, "
        f"{len(tree.modifiers)} modifiers, {len(tree.requirements)} requirement sets."
    )
    if options.emit_tests:
        return _emit_tests(loaded, options.emit_tests, options.force)
    if options.run_tests:
        return _run_tests(loaded, options.run_tests)
    return EXIT_OK


def _emit_tests(loaded, folder: str, force: bool) -> int:
    from adaptwise.domain.pathspace import describe_edge
    from adaptwise.files.regression_cases import emit

    coverage, written = emit(loaded.tree, loaded.sha256, folder, force=force)
    covered = len(coverage.edges) - len(coverage.uncoverable)
    print(f"wrote {len(written)} regression cases to {folder}, covering {covered} of {len(coverage.edges)} edges")
    for edge in coverage.uncoverable:
        print(f"  not coverable: {describe_edge(loaded.tree, edge)} (no answers take it)")
    return EXIT_OK


def _run_tests(loaded, folder: str) -> int:
    from adaptwise.files.regression_cases import rerun

    results = rerun(loaded.tree, folder)
    changed = [result for result in results if result.changed]
    for result in changed:
        print(f"{result.file}: changed")
        for change in result.changes:
            print(f"  {change}")
    print(
        f"{len(results)} regression case{'s' if len(results) != 1 else ''}: "
        + (f"{len(changed)} changed" if changed else "no decision changed")
    )
    return EXIT_CHANGED if changed else EXIT_OK


def _replay(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="adaptwise replay",
        description=(
            "Re-decide an exported Markdown report: read the answers and the tree's version and "
            "sha256 from its Reproducibility section, decide again with the current tree, and say "
            "what changed: answers that no longer exist or are no longer allowed, new questions "
            "(and what their defaults give), answers no longer asked, and whether the "
            "recommendation changed, from what to what."
        ),
        epilog=(
            "Exit codes: 0 same (every answer still valid, nothing new to answer, the same "
            "recommendation); 1 changed; 2 cannot replay (no readable footer, bad tree or input)."
        ),
    )
    parser.add_argument("report", metavar="REPORT.md", help="a report exported by adaptwise (Markdown)")
    parser.add_argument("--tree", metavar="PATH", help="the tree to replay with (default: the shipped one)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    options = parser.parse_args(args)
    from adaptwise.domain.drift import as_dict, render_text, replay
    from adaptwise.files.footer import read_report

    recorded = read_report(options.report)
    loaded = _load(options.tree)
    drift = replay(loaded.tree, loaded.sha256, recorded)
    if options.format == "json":
        import json

        text = json.dumps(as_dict(drift), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(drift, options.report, loaded.source)
    _write(text, "-", False)
    return EXIT_CHANGED if drift.changed else EXIT_OK


def _batch(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="adaptwise batch",
        description=(
            "Decide a portfolio: answers files (YAML or JSON), folders of them (*.yaml, *.yml, "
            "*.json), or CSV files with one initiative per row and a column per question id "
            "(an empty cell is unanswered). The summary has one row per initiative (name, "
            "approach, techniques, budget owner or 'not named', open questions), the counts "
            "per approach, and every invalid initiative with its error; an invalid one never "
            "stops the rest. CSV output has the rows only (invalid ones with their error)."
        ),
        epilog=(
            "Exit codes: 0 every initiative decided; 1 some were invalid (the summary lists "
            "them, the rest are decided); 2 bad input (nothing to decide, bad tree or --out)."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="an answers file, a folder of them, or a CSV file")
    parser.add_argument("--defaults", action="store_true", help="answer unanswered questions with their defaults")
    parser.add_argument("--format", choices=("markdown", "csv", "json"), default="markdown", help="summary format (default: markdown)")
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write the summary; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument("--tree", metavar="PATH", help="a custom decision tree (default: the shipped one)")
    options = parser.parse_args(args)
    from adaptwise.cli.progress import TerminalProgress
    from adaptwise.domain import portfolio
    from adaptwise.files.portfolio_inputs import initiatives

    loaded = _load(options.tree)
    items = initiatives(options.paths)
    if not items:
        raise InputError(Problem(
            "no answers files found in " + ", ".join(options.paths),
            expected="answers files (*.yaml, *.yml, *.json), folders of them, or CSV files",
        ))
    # A bar only where a person watches, and only when the wait is noticeable.
    progress = TerminalProgress() if sys.stderr.isatty() and len(items) >= 200 else None
    result = portfolio.decide_all(loaded.tree, items, defaults=options.defaults, progress=progress)
    if options.format == "json":
        text = portfolio.render_json(result, loaded.tree, loaded.sha256)
    elif options.format == "csv":
        text = portfolio.render_csv(result)
    else:
        text = portfolio.render_markdown(result, loaded.tree, loaded.sha256)
    _write(text, options.out, options.force)
    return EXIT_CHANGED if result.invalid else EXIT_OK


def _schema(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="adaptwise schema",
        description=(
            "Print a JSON Schema: of a decision-tree file (tree, the default; generated from the "
            "model, for editors), or of an answers file for a tree (answers: its question ids and "
            "allowed values)."
        ),
        epilog="Exit codes: 0 printed, 2 bad input.",
    )
    parser.add_argument("kind", nargs="?", choices=("tree", "answers"), default="tree", help="which schema (default: tree)")
    parser.add_argument("--tree", metavar="PATH", help="with answers: the tree whose answers (default: the shipped one)")
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write it; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    options = parser.parse_args(args)
    from adaptwise.files.editor_schemas import answers_schema, as_text, tree_schema

    if options.kind == "answers":
        schema = answers_schema(_load(options.tree).tree)
    else:
        if options.tree:
            raise InputError(Problem("--tree applies to 'answers' only; a tree's schema is the same for every tree"))
        schema = tree_schema()
    _write(as_text(schema), options.out, options.force)
    return EXIT_OK


def _graph(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="adaptwise graph",
        description=(
            "Print the whole tree as a picture: every question, option edge (options leading to the "
            "same node share one edge), route rule, and outcome. Mermaid renders on GitHub; dot "
            "renders with Graphviz (`dot -Tsvg`)."
        ),
        epilog="Exit codes: 0 printed, 2 bad input.",
    )
    parser.add_argument("--tree", metavar="PATH", help="the tree to draw (default: the shipped one)")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="picture format (default: mermaid)")
    parser.add_argument("--out", metavar="PATH", default="-", help="where to write it; '-' is stdout (default)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument(
        "--readme", metavar="FILE",
        help="instead of printing, replace the Mermaid picture between the adaptwise graph markers in FILE",
    )
    options = parser.parse_args(args)
    from adaptwise.domain import graph

    tree = _load(options.tree).tree
    if options.readme:
        return _update_readme(options.readme, tree)
    text = graph.dot(tree) if options.format == "dot" else graph.mermaid(tree)
    _write(text, options.out, options.force)
    return EXIT_OK


def _update_readme(path: str, tree) -> int:
    from adaptwise.domain import graph
    from adaptwise.files.output import write_output
    from adaptwise.files.textfiles import read_text_file

    text = read_text_file(path, max_bytes=4 << 20, what="README")
    if graph.README_BEGIN not in text or graph.README_END not in text:
        raise InputError(Problem(
            "has no generated picture to replace",
            file=path,
            expected=f"the lines {graph.README_BEGIN} and {graph.README_END}",
        ))
    updated = graph.replace_readme_block(text, tree)
    if updated != text:
        write_output(updated, path, force=True)
    print(f"{path}: picture {'updated' if updated != text else 'already current'}", file=sys.stderr)
    return EXIT_OK


_SHELLS = ("bash", "zsh", "fish", "tcsh", "powershell")


def _completion(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="adaptwise completion",
        description=(
            "Print the shell code that makes Tab complete adaptwise's commands, options and "
            "answers (via argcomplete). Add to ~/.bashrc: eval \"$(adaptwise completion bash)\""
        ),
        epilog="Exit codes: 0 printed, 2 bad input.",
    )
    parser.add_argument("shell", nargs="?", choices=_SHELLS, default="bash", help="the shell (default: bash)")
    options = parser.parse_args(args)
    import argcomplete

    _write(argcomplete.shellcode(["adaptwise"], shell=options.shell), "-", False)
    return EXIT_OK


def _complete() -> None:
    """Answer the shell's completion request and exit (argcomplete is imported only here)."""
    import argcomplete

    argcomplete.autocomplete(_completion_parser(), always_complete_options="long")
    sys.exit(EXIT_OK)  # only reached when argcomplete did not take over


def _completion_parser() -> argparse.ArgumentParser:
    """Every command with its options, and each question flag with its answers."""
    try:
        tree = _load(None).tree
    except InputError:
        tree = None
    parser = argparse.ArgumentParser(prog="adaptwise")
    parser.add_argument("--version", action="store_true")
    commands = parser.add_subparsers(dest="command")
    file_options = ("--answers", "--out", "--tree")
    shapes: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]], bool]] = {
        # command: (options taking a value or none, options with fixed choices, answers flags)
        "recommend": (file_options + ("--defaults", "--force"), {"--format": ("markdown", "json")}, True),
        "wizard": (("--answers", "--tree"), {}, True),
        "ask": (("--answers", "--tree", "--out", "--force"), {}, True),
        "check": (("--emit-tests", "--run-tests", "--force"), {}, False),
        "replay": (("--tree",), {"--format": ("text", "json")}, False),
        "batch": (("--defaults", "--out", "--force", "--tree"), {"--format": ("markdown", "csv", "json")}, False),
        "schema": (("--tree", "--out", "--force"), {}, False),
        "graph": (("--tree", "--out", "--force", "--readme"), {"--format": ("mermaid", "dot")}, False),
        "completion": ((), {}, False),
    }
    for name, (plain, fixed, answers) in shapes.items():
        command = commands.add_parser(name)
        for option in plain:
            if option in _SWITCHES:
                command.add_argument(option, action="store_true")
            else:
                command.add_argument(option)
        for option, choices in fixed.items():
            command.add_argument(option, choices=choices)
        if answers and tree is not None:
            for question in tree.questions:
                if question.is_text:
                    command.add_argument(f"--{question.id}")
                else:
                    command.add_argument(f"--{question.id}", choices=question.values)
        if name in ("check", "replay", "batch"):
            command.add_argument("paths", nargs="*")
        elif name == "schema":
            command.add_argument("kind", nargs="?", choices=("tree", "answers"))
        elif name == "completion":
            command.add_argument("shell", nargs="?", choices=_SHELLS)
    return parser


def _session_parser(prog: str, description: str, *, output: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--answers", metavar="FILE", default=_SUPPRESS, help="start from the answers in this file (or pass @FLAGS)")
    parser.add_argument("--tree", metavar="PATH", default=_SUPPRESS, help="a custom decision tree")
    if output:
        parser.add_argument("--out", metavar="PATH", default=_SUPPRESS, help="write the report here instead of printing it")
        parser.add_argument("--force", action="store_true", default=_SUPPRESS, help="replace an existing --out file")
    return parser


def _wizard_command(args: list[str]) -> int:
    loaded = _load(_tree_argument(args))
    parser = _session_parser(
        "adaptwise wizard",
        "Open the wizard. With answers, they are filled in and it opens on the review.",
        output=False,
    )
    _answer_options(parser, loaded.tree)
    if "-h" in args or "--help" in args:
        parser.print_help()
        return EXIT_OK
    _, answers = _gather(parser, args, loaded.tree)
    return _wizard(loaded, answers)


def _wizard(loaded, answers: dict[str, str]) -> int:
    from adaptwise.tui.app import run_wizard  # Textual is imported only here

    return run_wizard(loaded, answers or None)


def _ask(args: list[str]) -> int:
    loaded = _load(_tree_argument(args))
    parser = _session_parser(
        "adaptwise ask",
        "The wizard as plain line-by-line prompts, for screen readers, dumb terminals and logs.",
        output=True,
    )
    _answer_options(parser, loaded.tree)
    if "-h" in args or "--help" in args:
        parser.print_help()
        return EXIT_OK
    options, answers = _gather(parser, args, loaded.tree)
    from adaptwise.cli.ask import run_plain

    return run_plain(loaded, answers or None, out=getattr(options, "out", None), force=getattr(options, "force", False))
