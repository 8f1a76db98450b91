"""flagsfile: @file expansion that keeps order, names file:line, and never recurses forever."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from adaptwise.domain.errors import InputError, Problem
from adaptwise.files.flags import MAX_NESTING, expand_flag_files


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> None:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def problems_of(argv, **options) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        expand_flag_files(argv, **options)
    return caught.value.problems


def test_arguments_without_at_pass_through():
    argv = ["recommend", "--budget=low", "-", "--x", "a@b"]
    assert expand_flag_files(argv) == argv


def test_every_line_form():
    write(
        "team.flags",
        "# team defaults\n"
        "\n"
        "--initiative=Claims triage bot\n"
        "--budget low\n"
        "   --defaults   \n"
        "--notes=  padded  \n"
        "--offset -5\n"
        "--empty=\n"
        "--tag=Team #1 bot\n"
        "--latency=seconds # trailing comment\n"
        "--owner=ana\t# after a tab\n"
        "--hash=#\n",
    )
    assert expand_flag_files(["@team.flags"]) == [
        "--initiative=Claims triage bot",
        "--budget=low",
        "--defaults",
        "--notes=padded",
        "--offset=-5",
        "--empty=",
        "--tag=Team #1 bot",
        "--latency=seconds",
        "--owner=ana",
        "--hash=#",
    ]


def test_order_is_kept_so_later_flags_win():
    write("team.flags", "--budget=low\n--latency=seconds\n")
    argv = ["recommend", "--budget=high", "@team.flags", "--latency=minutes"]
    expanded = expand_flag_files(argv)
    assert expanded == [
        "recommend",
        "--budget=high",
        "--budget=low",
        "--latency=seconds",
        "--latency=minutes",
    ]
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("--budget")
    parser.add_argument("--latency")
    parsed = parser.parse_args(expanded)
    assert (parsed.budget, parsed.latency) == ("low", "minutes")


def test_a_value_starting_with_a_dash_stays_a_value():
    write("f.flags", "--offset -5\n--name @handle\n")
    parser = argparse.ArgumentParser()
    parser.add_argument("--offset")
    parser.add_argument("--name")
    parsed = parser.parse_args(expand_flag_files(["@f.flags"]))
    assert (parsed.offset, parsed.name) == ("-5", "@handle")


def test_crlf_and_bom_are_fine():
    Path("win.flags").write_bytes("\ufeff--a=1\r\n# c\r\n--b 2\r\n".encode())
    assert expand_flag_files(["@win.flags"]) == ["--a=1", "--b=2"]


def test_empty_file_expands_to_nothing():
    write("empty.flags", "")
    assert expand_flag_files(["--x", "@empty.flags", "--y"]) == ["--x", "--y"]


def test_nested_files_are_relative_to_the_including_file():
    write("flags/team.flags", "--a=1\n@common.flags\n--c=3\n")
    write("flags/common.flags", "--b=2\n@sub/deep.flags\n")
    write("flags/sub/deep.flags", "--d=4\n")
    write("common.flags", "--wrong=this is the cwd one\n")
    assert expand_flag_files(["@flags/team.flags", "--e=5"]) == [
        "--a=1",
        "--b=2",
        "--d=4",
        "--c=3",
        "--e=5",
    ]


def test_base_folder_for_top_level_files(tmp_path):
    write("conf/x.flags", "--a=1\n@y.flags\n")
    write("conf/y.flags", "--b=2\n")
    assert expand_flag_files(["@x.flags"], base=Path("conf")) == ["--a=1", "--b=2"]
    assert expand_flag_files([f"@{tmp_path / 'conf' / 'y.flags'}"], base=Path("elsewhere")) == ["--b=2"]


def test_the_same_file_twice_is_not_a_cycle():
    write("a.flags", "--a=1\n")
    write("b.flags", "@a.flags\n@a.flags\n")
    assert expand_flag_files(["@a.flags", "@b.flags"]) == ["--a=1"] * 3


def test_a_file_including_itself():
    write("team.flags", "--a=1\n\n@team.flags\n")
    (problem,) = problems_of(["@team.flags"])
    assert str(problem).splitlines()[0] == "team.flags:3: includes itself"
    assert problem.hint == "the loop: team.flags:3 → team.flags"


def test_a_cycle_through_other_files_names_the_chain():
    write("team.flags", "--a=1\n# shared\n@common.flags\n")
    write("common.flags", "@more.flags\n")
    write("more.flags", "--b=2\n@team.flags\n")
    (problem,) = problems_of(["@team.flags"])
    assert (problem.file, problem.line) == ("team.flags", 3)
    assert problem.message == "includes itself via common.flags, more.flags"
    assert problem.hint == ("the loop: team.flags:3 → common.flags:1 → more.flags:2 → team.flags")


def test_a_cycle_through_a_symlink_is_still_a_cycle():
    write("real.flags", "@alias.flags\n")
    os.symlink("real.flags", "alias.flags")
    (problem,) = problems_of(["@real.flags"])
    assert problem.message == "includes itself via alias.flags"
    assert problem.hint == "the loop: real.flags:1 → alias.flags"


def test_nesting_is_capped():
    for level in range(MAX_NESTING + 1):
        write(f"f{level}.flags", f"--level={level}\n@f{level + 1}.flags\n")
    write(f"f{MAX_NESTING + 1}.flags", "--last\n")
    (problem,) = problems_of(["@f0.flags"])
    assert (problem.file, problem.line) == (f"f{MAX_NESTING - 1}.flags", 2)
    assert problem.message == f"f{MAX_NESTING}.flags: flags files nest more than 16 deep"


def test_nesting_up_to_the_cap_is_fine():
    for level in range(MAX_NESTING):
        write(f"f{level}.flags", f"--level={level}\n@f{level + 1}.flags\n")
    write(f"f{MAX_NESTING}.flags", "--last\n")
    problems = problems_of(["@f0.flags"])
    assert "nest more than" in problems[0].message
    write(f"f{MAX_NESTING - 1}.flags", "--last\n")
    assert expand_flag_files(["@f0.flags"])[-1] == "--last"


def test_an_include_bomb_without_a_cycle_is_stopped():
    # Each file includes the next one twice: 2**15 reads without ever looping.
    for level in range(15):
        write(f"b{level}.flags", f"@b{level + 1}.flags\n@b{level + 1}.flags\n")
    write("b15.flags", "--x=1\n")
    (problem,) = problems_of(["@b0.flags"])
    assert problem.message.endswith("more than 256 flags files read; stopping here")


def test_missing_file_on_the_command_line():
    (problem,) = problems_of(["@nope.flags"])
    assert str(problem) == "nope.flags: no such file"


def test_missing_nested_file_points_at_the_include_line():
    write("team.flags", "--a=1\n  @missing.flags\n")
    (problem,) = problems_of(["@team.flags"])
    assert (problem.file, problem.line, problem.column) == ("team.flags", 2, 3)
    assert problem.message == "missing.flags: no such file"


def test_oversized_flags_file(monkeypatch):
    monkeypatch.setattr("adaptwise.files.flags.MAX_BYTES", 10)
    write("big.flags", "--a=" + "x" * 20 + "\n")
    (problem,) = problems_of(["@big.flags"])
    assert str(problem) == "big.flags: is 25 bytes; flags files are capped at 10 bytes"


def test_binary_flags_file():
    Path("bin.flags").write_bytes(b"\xff\xd8\xff\xe0")
    (problem,) = problems_of(["@bin.flags"])
    assert problem.message.startswith("is not a text file")


def test_bad_lines_are_each_located():
    write("team.flags", "--ok=1\nbudget=low\n  -b low\n--\n-- spaced\n")
    problems = problems_of(["@team.flags"])
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("team.flags", 2, 1),
        ("team.flags", 3, 3),
        ("team.flags", 4, 1),
        ("team.flags", 5, 1),
    ]
    assert all(p.message == "expected --question=value" for p in problems)
    assert problems[0].hint is not None and problems[0].hint.startswith("found 'budget=low'")


def test_unsafe_characters_are_located():
    write("evil.flags", "--ok=1\n--title=\x1b]2;pwned\x07\n--name=a\u202eb\n")
    problems = problems_of(["@evil.flags"])
    assert [(p.line, p.column) for p in problems] == [(2, 9), (3, 9)]
    assert problems[0].message == "contains the unsafe character U+001B ESCAPE"
    assert problems[1].message == "contains the unsafe character U+202E RIGHT-TO-LEFT OVERRIDE"


def test_a_bare_at_sign():
    (problem,) = problems_of(["@"])
    assert problem.message == "'@' must be followed by a flags file name"
    write("x.flags", "@\n")
    (problem,) = problems_of(["@x.flags"])
    assert (problem.file, problem.line) == ("x.flags", 1)


def test_problems_from_several_files_are_gathered():
    write("a.flags", "oops\n")
    write("b.flags", "also oops\n")
    with pytest.raises(InputError) as caught:
        expand_flag_files(["@a.flags", "@b.flags"])
    assert [p.file for p in caught.value.problems] == ["a.flags", "b.flags"]
    assert caught.value.summary == "2 problems in flags files"


def test_home_folder_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    write("home.flags", "--a=1\n")
    assert expand_flag_files(["@~/home.flags"]) == ["--a=1"]


def test_the_number_of_flags_is_capped_at_the_line_past_it():
    from adaptwise.files.flags import MAX_FLAGS

    write("many.flags", "# a comment does not count\n" + "--defaults\n" * (MAX_FLAGS + 5))
    [problem] = problems_of(["@many.flags"])
    assert (problem.file, problem.line, problem.column) == ("many.flags", MAX_FLAGS + 2, 1)
    assert problem.message == f"more than {MAX_FLAGS:,} flags; stopping here"
    write("enough.flags", "--defaults\n" * MAX_FLAGS)
    assert len(expand_flag_files(["@enough.flags"])) == MAX_FLAGS


def test_a_flood_of_bad_lines_is_cut_short():
    write("bad.flags", "budget=low\n" * 50_000)
    problems = problems_of(["@bad.flags"])
    assert len(problems) == 100 and problems[-1].line == 100


def test_a_file_just_over_the_cap_says_by_how_much():
    write("big.flags", "#" * ((1 << 20) + 1000))
    [problem] = problems_of(["@big.flags"])
    assert problem.message == "is 1,049,576 bytes; flags files are capped at 1 MiB"


def test_a_fifo_as_a_flags_file_is_refused_without_waiting():
    os.mkfifo("team.flags")
    [problem] = problems_of(["@team.flags"])
    assert str(problem) == "team.flags: is a named pipe (FIFO), not a file"
