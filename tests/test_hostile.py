"""The hostile pass, one test per class of fault, through the command line (in this process;
faults of descriptors and streams, and anything that could hang, in a subprocess):
every OSError is one line (never a traceback), nothing unsafe reaches a terminal or a
report, work on input stays linear, flags files take what the command line takes, and
the smaller defects (duplicate CSV columns, FIFOs, misleading messages, huge echoes)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_in_process

from adaptwise.domain.text import find_unsafe_character

TESTS = Path(__file__).parent
ANSWERS = TESTS / "data" / "answers" / "seed000_legal_contracts.yaml"
BASE = TESTS / "data" / "tree_tools" / "base.yaml"
HOSTILE = "\x1b[31m\x1b]2;pwned\x07\u202eevil\x9b"
"""CSI, OSC 2 (the window title), RLO and a C1 CSI: what the unsafe filter must stop."""


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """Exit `code`, no traceback, and the error as one `adaptwise: error:` line first."""
    assert result.returncode == code, (result.returncode, result.stdout[-300:], result.stderr[-800:])
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr, result.stderr
    assert result.stderr.startswith("adaptwise: error: "), result.stderr
    return result.stderr


def nothing_unsafe(*texts: str) -> None:
    for text in texts:
        found = find_unsafe_character(text.replace("\r\n", "\n"))
        assert found is None, (found, text[:300])


def run_to(cli_env, stdout, *args, stderr=subprocess.PIPE, timeout: float = 20):
    """A run with its stdout (or stderr) going where a test says, and Enter for every question."""
    return subprocess.run(
        [sys.executable, "-m", "adaptwise", *map(str, args)],
        stdout=stdout,
        stderr=stderr,
        input="\n" * 40,
        env=cli_env,
        timeout=timeout,
        text=True,
    )


@pytest.fixture(scope="module")
def made(cli_env, tmp_path_factory) -> dict[str, Path]:
    """Made once: a report exported by `recommend`, and the shipped tree's regression cases."""
    folder = tmp_path_factory.mktemp("made")
    for args in (
        ["recommend", "--answers", ANSWERS, "--defaults", "--out", folder / "report.md"],
        ["check", "--emit-tests", folder / "cases"],
    ):
        result = run_in_process([str(arg) for arg in args], cli_env)
        assert result.returncode == 0, result.stderr
    return {"report": folder / "report.md", "cases": folder / "cases"}


@pytest.fixture
def report(made: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the exported report, for a test to spoil."""
    path = tmp_path / "report.md"
    path.write_bytes(made["report"].read_bytes())
    return path


# --- 1. every OSError is one line naming the path and the cause ---------------------------


COMMANDS_WRITING_STDOUT = [
    ("recommend", "--answers", ANSWERS, "--defaults"),
    ("check",),
    ("check", "--run-tests", "{cases}"),
    ("replay", "{report}"),
    ("batch", ANSWERS, "--defaults"),
    ("schema",),
    ("graph",),
    ("completion", "bash"),
    ("--version",),
    ("--help",),
    ("ask", "--answers", ANSWERS),
]


@pytest.mark.parametrize("args", COMMANDS_WRITING_STDOUT, ids=lambda args: " ".join(map(str, args[:2])))
def test_a_full_stdout_is_one_line_and_a_non_zero_exit_in_every_command(cli_env, made, args):
    args = [str(arg).format(**made) for arg in args]
    with open("/dev/full", "w") as full:
        result = run_to(cli_env, full, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    # ask says its prompts on stderr first; every other command says nothing but the error
    shown = result.stderr.splitlines()[-1:] if args[0] == "ask" else result.stderr.splitlines()
    assert shown == ["adaptwise: error: standard output: cannot write (No space left on device)"]


def test_a_full_stderr_still_exits_non_zero_without_a_traceback(cli_env, tmp_path):
    with open("/dev/full", "w") as full:
        result = run_to(cli_env, subprocess.PIPE, "recommend", "--answers", tmp_path / "missing.yaml", stderr=full)
    assert result.returncode == 2 and result.stdout == ""


def test_a_closed_stderr_never_sends_errors_to_stdout(cli_env, tmp_path):
    script = f"{sys.executable} -m adaptwise recommend --answers {tmp_path / 'missing.yaml'} 2>&-"
    result = subprocess.run(["bash", "-c", script], env=cli_env, capture_output=True, text=True, timeout=20)
    assert (result.returncode, result.stdout) == (2, "")


def test_a_closed_pipe_ends_every_printing_command_quietly(cli_env, tmp_path):
    for args in (["check"], ["batch", ANSWERS, "--defaults"], ["--version"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "adaptwise", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env,
        )
        assert process.stdout is not None
        process.stdout.close()
        _, stderr = process.communicate(timeout=20)
        assert stderr == b"", stderr
        assert process.returncode in (0, 1)


def test_an_oserror_no_reader_caught_is_still_one_line(monkeypatch, capsys):
    """The last resort in `main`: whatever path a future command forgets to guard."""
    import errno

    from adaptwise import cli

    def unguarded(_args):
        raise OSError(errno.EIO, "Input/output error", "/mnt/flaky/answers.yaml")

    monkeypatch.setattr(cli, "_run", unguarded)
    assert cli.main(["anything"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "adaptwise: error: /mnt/flaky/answers.yaml: cannot go on (Input/output error)\n"


def test_a_removed_current_folder_is_one_line(cli_env, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"cd {gone} && rmdir {gone} && {sys.executable} -m adaptwise recommend @team.flags"
    result = subprocess.run(
        ["bash", "-c", script], env=cli_env | {"PYTHONSAFEPATH": "1"}, capture_output=True, text=True, timeout=20
    )
    assert result.stderr == "adaptwise: error: team.flags: cannot read this flags file (No such file or directory)\n"


def hostile_paths(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "file.txt").write_text("a file, not a folder\n")
    os.symlink("loop-b", tmp_path / "loop-a")
    os.symlink("loop-a", tmp_path / "loop-b")
    os.mkfifo(tmp_path / "fifo")
    return {
        "through a file": tmp_path / "file.txt" / "x",
        "name over 255 bytes": tmp_path / ("n" * 300),
        "symlink loop": tmp_path / "loop-a",
        "through a symlink loop": tmp_path / "loop-a" / "x",
        "fifo": tmp_path / "fifo",
        "device": Path("/dev/full"),
    }


KINDS = ["through a file", "name over 255 bytes", "symlink loop", "through a symlink loop", "fifo", "device"]


@pytest.mark.parametrize("kind", KINDS)
def test_out_to_a_path_that_cannot_be_written_is_one_line(run_cli, run_cli_process, tmp_path, kind):
    path = hostile_paths(tmp_path)[kind]
    run = run_cli_process if kind == "fifo" else run_cli  # a FIFO could hang: in a subprocess, with a timeout
    # one writer for every command (files/output.write_output): two commands are enough
    for args in (["recommend", "--answers", ANSWERS, "--defaults"], ["schema"])[: 2 if kind == "fifo" else 1]:
        error = one_line_error(run(*args, "--out", path, "--force", timeout=10))
        assert error.startswith(f"adaptwise: error: {path}: "), error
        assert error.count("\n") <= 2


@pytest.mark.parametrize("kind", KINDS)
def test_check_emit_and_run_tests_into_a_folder_that_cannot_be_used(run_cli, run_cli_process, tmp_path, kind):
    path = hostile_paths(tmp_path)[kind]
    run = run_cli_process if kind == "fifo" else run_cli  # a FIFO could hang: in a subprocess, with a timeout
    for option in ("--emit-tests", "--run-tests"):
        error = one_line_error(run("check", option, path, timeout=10))
        assert f"adaptwise: error: {path}: " in error


@pytest.mark.parametrize("kind", KINDS)
def test_batch_over_a_path_that_cannot_be_read_names_it(run_cli, run_cli_process, tmp_path, kind):
    path = hostile_paths(tmp_path)[kind]
    run = run_cli_process if kind == "fifo" else run_cli  # a FIFO could hang: in a subprocess, with a timeout
    for shown in (path, Path(f"{path}.csv")) if kind == "fifo" else (path,):
        if shown != path:
            os.mkfifo(shown)
        result = run("batch", shown, "--format", "json", timeout=10)
        assert "Traceback" not in result.stderr
        [invalid] = json.loads(result.stdout)["invalid"]
        assert invalid["error"].startswith(f"{shown}: "), invalid


@pytest.mark.parametrize("kind", KINDS)
def test_every_input_file_that_cannot_be_read_is_one_line(run_cli, run_cli_process, tmp_path, kind):
    path = hostile_paths(tmp_path)[kind]
    run = run_cli_process if kind == "fifo" else run_cli  # a FIFO could hang: in a subprocess, with a timeout
    # one reader for every input (files/textfiles.read_text_file): each kind through two,
    # and a FIFO, the one that could hang, through all four
    readers = (["recommend", "--answers", path], ["recommend", f"@{path}"], ["check", path], ["replay", path])
    for args in readers if kind == "fifo" else readers[:2]:
        error = one_line_error(run(*args, timeout=10))
        assert str(path) in error.splitlines()[0] or str(path) in error, error


# --- 2. nothing unsafe reaches a terminal or a report --------------------------------------


def test_the_output_boundary_escapes_what_any_command_prints(monkeypatch, capsys):
    """A command that forgets to escape still cannot print an escape sequence."""
    from adaptwise import cli

    def careless(_args):
        print(f"answer {HOSTILE}")
        print(f"warning {HOSTILE}", file=sys.stderr)
        return 0

    monkeypatch.setattr(cli, "_run", careless)
    assert cli.main(["anything"]) == 0
    captured = capsys.readouterr()
    nothing_unsafe(captured.out, captured.err)
    assert "\\u001b[31m" in captured.out and "\\u202eevil" in captured.err


@pytest.mark.parametrize("args", [[], ["wizard"]])
def test_only_the_full_screen_wizard_runs_past_the_filter(monkeypatch, capsys, args):
    """Textual owns the terminal and writes its own escape sequences (a crash report's colours)."""
    from adaptwise.cli import wizard

    def full_screen(_loaded, _answers):
        print("\x1b[1mbold\x1b[0m", file=sys.stderr)
        return 0

    monkeypatch.setenv("ADAPTWISE_CACHE_DIR", "")
    monkeypatch.setattr(wizard, "open_wizard", full_screen)
    from adaptwise import cli

    assert cli.main(args) == 0
    assert capsys.readouterr().err == "\x1b[1mbold\x1b[0m\n"


def hostile_report(report: Path) -> Path:
    text = report.read_text(encoding="utf-8")
    found = re.search(r"Decided with decision tree version (\S+) \(sha256 `[0-9a-f]{64}`\): approach `(\w+)`", text)
    assert found
    text = text.replace(
        found.group(0),
        found.group(0).replace(found.group(1), f"v{HOSTILE}", 1).replace(f"`{found.group(2)}`", f"`{HOSTILE}`"),
    )
    text = text.replace(", outcome `", f", `{HOSTILE}`, outcome `{HOSTILE}")
    hostile = report.with_name(f"report{HOSTILE}.md")
    hostile.write_text(text, encoding="utf-8")
    return hostile


def test_replay_never_prints_the_footers_escape_sequences(run_cli, report):
    hostile = hostile_report(report)
    for fmt in ("text", "json"):
        result = run_cli("replay", hostile, "--format", fmt)
        assert result.returncode == 1, result.stderr
        nothing_unsafe(result.stdout, result.stderr)
        assert "pwned" in result.stdout


def test_batch_never_passes_escapes_from_cells_headers_or_file_names(run_cli, tmp_path):
    table = tmp_path / f"q3{HOSTILE}.csv"
    table.write_text(f"initiative,task,data,x{HOSTILE}\nA{HOSTILE},text,some,\nB,text{HOSTILE},some,\n")
    answers = tmp_path / f"a{HOSTILE}.yaml"
    answers.write_text(f"task: text\ndata: some\ninitiative: x{HOSTILE}\n")
    for fmt in ("markdown", "csv", "json"):
        result = run_cli("batch", table, answers, tmp_path / f"missing{HOSTILE}.yaml", "--tree", BASE, "--format", fmt)
        nothing_unsafe(result.stdout, result.stderr)
        assert result.returncode == 1 and "pwned" in result.stdout
    out = tmp_path / "out.md"
    written = run_cli("batch", table, "--tree", BASE, "--out", out)
    nothing_unsafe(out.read_text(encoding="utf-8"), written.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", "--answers", "{dir}/missing{h}.yaml"],
        ["recommend", "@{dir}/missing{h}.flags"],
        ["recommend", "@{dir}/bad.flags"],
        ["recommend", "--tree", "{dir}/missing{h}.yaml"],
        ["recommend", "--tree", str(BASE), f"--task=text{HOSTILE}"],
        ["recommend", "--tree", str(BASE), f"--initiative=x{HOSTILE}"],
        ["recommend", f"--{HOSTILE}=x"],
        ["check", "{dir}/missing{h}.yaml"],
        ["replay", "{dir}/missing{h}.md"],
        ["check", "--run-tests", "{dir}/missing{h}"],
        ["recommend", "--defaults", "--out", "{dir}/out{h}.md"],
        [f"recommend{HOSTILE}"],
    ],
)
def test_no_input_kind_passes_an_escape_to_the_terminal(run_cli, tmp_path, args):
    (tmp_path / "bad.flags").write_text(f"--initiative=ok\n--task=x{HOSTILE}\n--{HOSTILE}\n")
    args = [arg.replace("{dir}", str(tmp_path)).replace("{h}", HOSTILE) for arg in args]
    result = run_cli(*args)
    assert "Traceback" not in result.stderr
    nothing_unsafe(result.stdout, result.stderr)


def test_bytes_that_are_not_utf8_in_names_and_arguments_are_escaped_not_a_crash(run_cli, tmp_path):
    """Undecodable bytes reach Python as lone surrogates, which no output can encode."""
    named = tmp_path / os.fsdecode(b"\xff\xfe.yaml")
    named.write_text("task: text\ndata: some\n")
    for args, shown in (
        (["batch", named, "--tree", BASE], True),
        (["check", tmp_path / os.fsdecode(b"\xff-missing.yaml")], True),
        (["recommend", "--answers", named, "--tree", BASE], False),
        (["recommend", "--tree", BASE, "--defaults", "--initiative", os.fsdecode(b"a\xffb")], False),
    ):
        result = run_cli(*args)  # text=True: the output must be UTF-8
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 1, 2)
        assert not shown or "\\udcff" in result.stdout + result.stderr


# --- 3. work on input stays linear, with stated caps ---------------------------------------


def test_a_wide_csv_header_is_checked_once_not_once_per_row(run_cli, tmp_path):
    from adaptwise.files.portfolio_inputs import MAX_CSV_COLUMNS

    table = tmp_path / "wide.csv"
    header = ["initiative", "task", "data"] + [f"extra_{index}" for index in range(MAX_CSV_COLUMNS - 3)]
    table.write_text(",".join(header) + "\n" + ("A,text,some" + "," * (MAX_CSV_COLUMNS - 3) + "\n") * 300)
    start = time.perf_counter()
    result = run_cli("batch", table, "--tree", BASE, "--format", "json", timeout=60)
    assert time.perf_counter() - start < 8  # quadratic, it took 11 s and more
    data = json.loads(result.stdout)
    assert len(data["invalid"]) == 300 and "unknown column 'extra_0'" in data["invalid"][0]["error"]


def test_a_csv_header_past_the_cap_is_refused_at_its_line(run_cli, tmp_path):
    from adaptwise.files.portfolio_inputs import MAX_CSV_COLUMNS

    table = tmp_path / "wider.csv"
    table.write_text(",".join(f"c{index}" for index in range(MAX_CSV_COLUMNS + 1)) + "\nA\n")
    [invalid] = json.loads(run_cli("batch", table, "--format", "json").stdout)["invalid"]
    assert invalid["error"].startswith(f"{table}:1: its header has {MAX_CSV_COLUMNS + 1:,} columns")


def test_check_is_linear_in_shadowed_copies_of_a_rule(run_cli, tmp_path):
    rule = (
        "      - when: {task: records}\n        then: classic_model\n        why: Records call for a classic model.\n"
    )
    tree = tmp_path / "copies.yaml"
    tree.write_text(BASE.read_text().replace(rule, rule * 3001, 1))
    start = time.perf_counter()
    error = one_line_error(run_cli("check", tree, timeout=60))
    assert time.perf_counter() - start < 8  # quadratic, 3,000 copies took about 15 s
    assert "has 3000 problems" in error
    assert "rule 3001 of route 'decide' can never hold: earlier rule 1 always takes these answers first" not in error
    assert "rule 2 of route 'decide' can never hold: earlier rule 1 always takes these answers first" in error


def test_a_megabyte_flags_file_is_refused_fast_at_the_cap(run_cli, tmp_path):
    from adaptwise.files.flags import MAX_FLAGS

    flags = tmp_path / "huge.flags"
    flags.write_text("".join(f"--initiative=line {number}\n" for number in range(40_000)))
    start = time.perf_counter()
    error = one_line_error(run_cli("recommend", f"@{flags}", "--tree", BASE, "--defaults"))
    assert time.perf_counter() - start < 8  # a parse per line and a quadratic lookup took minutes
    assert error.startswith(f"adaptwise: error: {flags}:{MAX_FLAGS + 1}:1: more than {MAX_FLAGS:,} flags")


def test_a_long_line_of_near_misses_in_a_footer_is_refused_fast(run_cli, tmp_path, report):
    text = report.read_text()
    near_misses = "Decided with decision tree version " * 20_000
    report.write_text(text.replace("## Reproducibility\n", f"## Reproducibility\n\n{near_misses}\n", 1))
    start = time.perf_counter()
    error = one_line_error(run_cli("replay", report))
    assert time.perf_counter() - start < 8  # the regex's backtracking took a minute
    assert re.search(r"its decision line is [0-9,]{7} characters long, more than the 4,096", error)


# --- 4. flags files take every option the command line takes -------------------------------


VALUE_OPTIONS = ["--answers", "--format", "--out", "--tree", "--assume", "--gpu-hour-usd", "--task", "--initiative"]
ASK_OPTIONS = ["--answers", "--out", "--tree", "--task", "--initiative"]


@pytest.mark.parametrize("option", VALUE_OPTIONS)
def test_a_flag_without_its_value_at_the_end_of_a_flags_file_is_placed(run_cli, tmp_path, option):
    flags = tmp_path / "team.flags"
    flags.write_text(f"--initiative=x\n{option}")  # the last line, without even a newline
    for command in ("recommend", "ask") if option in ASK_OPTIONS else ("recommend",):
        error = one_line_error(run_cli(command, f"@{flags}", "--tree", BASE))
        assert error.startswith(f"adaptwise: error: {flags}:2:1: argument {option}: expected one argument")


@pytest.mark.parametrize(
    "lines",
    [
        ["--format=json"],
        ["--format json"],
        ["--defaults"],
        ["--task=records"],
        ["--task records", "--initiative=Claims triage bot"],
        ["--tree={base}"],
        ["--answers={answers}"],
        ["--out={out}", "--force"],
    ],
)
def test_every_command_line_option_means_the_same_in_a_flags_file(run_cli, tmp_path, lines):
    answers = tmp_path / "answers.yaml"
    answers.write_text("task: text\ndata: many\n")
    (tmp_path / "out.md").write_text("old\n")
    lines = [line.format(base=BASE, answers=answers, out=tmp_path / "out.md") for line in lines]
    arguments = [part for line in lines for part in (line.split(" ", 1) if "=" not in line else [line])]
    base = ["recommend", "--tree", BASE, "--defaults", "--format", "json"]
    flags = tmp_path / "team.flags"
    flags.write_text("\n".join(lines) + "\n")
    by_flags = run_cli(*base, f"@{flags}")
    written = (tmp_path / "out.md").read_text()
    by_command_line = run_cli(*base, *arguments)
    assert by_flags.returncode == 0, by_flags.stderr
    assert (by_flags.stdout, by_flags.stderr) == (by_command_line.stdout, by_command_line.stderr)
    assert written == (tmp_path / "out.md").read_text()


def test_repeated_options_from_flags_files_and_the_command_line_all_count(run_cli, tmp_path):
    """Each --assume counts, whichever source gave it; for the same figure the later wins."""
    flags = tmp_path / "team.flags"
    flags.write_text("--assume mfu=0.31\n--assume epochs=2\n")
    result = run_cli(
        "recommend", "--defaults", "--format", "json", f"@{flags}", "--assume", "gpu_hour_usd=5", "--assume", "epochs=3"
    )
    assert result.returncode == 0, result.stderr
    assumptions = json.loads(result.stdout)["assumptions"]
    assert assumptions["mfu"]["value"] == [0.31, 0.31]
    assert assumptions["gpu_hour_usd"]["value"] == [5.0, 5.0]
    assert assumptions["epochs"]["value"] == [3.0, 3.0]


def test_a_flags_file_may_use_the_flags_of_the_tree_it_names(run_cli, tmp_path, tree):
    flags = tmp_path / "team.flags"
    prefix = next(
        (
            question.id[:n]
            for question in tree.questions
            for n in range(3, len(question.id))
            if sum(other.id.startswith(question.id[:n]) for other in tree.questions) > 1
        ),
        None,
    )
    assert prefix is not None
    (tmp_path / "tree.yaml").write_text(re.sub(r"\bdata\b", prefix, BASE.read_text()))
    flags.write_text(f"--{prefix}=some\n--tree={tmp_path / 'tree.yaml'}\n--task=text\n")
    result = run_cli("recommend", f"@{flags}", "--defaults", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["answers"][prefix] == "some"


# --- 5. the smaller defects ----------------------------------------------------------------


def test_a_duplicated_csv_column_is_refused_at_its_place(run_cli, tmp_path):
    table = tmp_path / "q3.csv"
    table.write_text("initiative,task,data,task\nA,text,some,records\n")
    [invalid] = json.loads(run_cli("batch", table, "--tree", BASE, "--format", "json").stdout)["invalid"]
    assert invalid["error"].startswith(f"{table}:1:4: duplicate column 'task' (columns 2 and 4)")


def test_a_fifo_named_like_a_case_never_blocks_run_tests(run_cli_process, tmp_path, made):
    cases = tmp_path / "cases"
    cases.mkdir()
    for case in made["cases"].iterdir():
        (cases / case.name).write_bytes(case.read_bytes())
    os.mkfifo(cases / "case-99-fifo.yaml")
    error = one_line_error(run_cli_process("check", "--run-tests", cases, timeout=10))
    assert f"{cases / 'case-99-fifo.yaml'}: is a named pipe (FIFO), not a file" in error


def test_a_dangling_symlink_is_called_one(run_cli, tmp_path):
    os.symlink("nowhere.yaml", tmp_path / "answers.yaml")
    error = one_line_error(run_cli("recommend", "--answers", tmp_path / "answers.yaml"))
    assert "is a symbolic link to" in error and "which does not exist" in error
    assert "did you mean" not in error


@pytest.mark.parametrize(("encoding", "name"), [("utf-32", "UTF-32"), ("utf-32-be", None), ("utf-16", "UTF-16")])
def test_utf32_and_utf16_are_named_for_what_they_are(run_cli, tmp_path, encoding, name):
    path = tmp_path / "answers.yaml"
    data = "task: text\n".encode(encoding)
    path.write_bytes(data if name else b"\x00\x00\xfe\xff" + data)
    assert f"(it is {name or 'UTF-32'})" in one_line_error(run_cli("recommend", "--answers", path))


def test_a_bad_sha256_in_a_footer_is_named_as_such(run_cli, tmp_path, report):
    text = report.read_text()
    report.write_text(re.sub(r"sha256 `[0-9a-f]{64}`", "sha256 `not-a-hash`", text))
    error = one_line_error(run_cli("replay", report))
    line = next(number for number, text in enumerate(report.read_text().splitlines(), 1) if "not-a-hash" in text)
    assert error.startswith(f"adaptwise: error: {report}:{line}:")
    assert "sha256 `not-a-hash`, which is not 64 lower-case hexadecimal digits" in error
    assert "lacks" not in error


def test_replay_never_echoes_a_huge_value_whole(run_cli, tmp_path, report):
    text = report.read_text()
    huge = "x" * 3_000_000
    head, fence, answers = text.rpartition("```yaml\n")
    first, rest = answers.split("\n", 1)
    key = first.split(":")[0]  # an answer the tree has, now 3 MB long
    report.write_text(f"{head}{fence}no_such_question: {huge[:500_000]}\n{key}: {huge}\n{rest}")
    for fmt in ("text", "json"):
        result = run_cli("replay", report, "--format", fmt)
        assert result.returncode == 1, result.stderr[:300]
        assert len(result.stdout) < 20_000 and len(result.stderr) < 5_000
        assert "3,000,000 characters" in result.stdout
