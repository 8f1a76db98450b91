"""yamlsafe: hostile YAML is refused at its line:column, never half-loaded or crashed on."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import adaptwise
from adaptwise.domain.errors import InputError, Problem
from adaptwise.domain.text import UNSAFE_RANGES, clean_text, escape_unsafe, find_unsafe_character
from adaptwise.files.yamlsafe import Located, load_yaml, load_yaml_file

HOSTILE = Path(__file__).parent / "data" / "hostile"
SRC = str(Path(adaptwise.__file__).resolve().parents[1])


@pytest.fixture(params=["libyaml", "pure-python"], autouse=True)
def loader(request, monkeypatch):
    """Every test runs with libyaml and with PyYAML's pure-Python parser."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML was built without libyaml")
    else:
        monkeypatch.setattr(yaml, "__with_libyaml__", False)
    return request.param


def refusal(text: str | bytes, source: str = "answers.yaml") -> tuple[Problem, ...]:
    with pytest.raises(InputError) as caught:
        load_yaml(text, source)
    return caught.value.problems


def only_problem(text: str | bytes, source: str = "answers.yaml") -> Problem:
    problems = refusal(text, source)
    assert len(problems) == 1, problems
    return problems[0]


# -- what is accepted ----------------------------------------------------------


def test_plain_data_with_positions():
    located = load_yaml(
        textwrap.dedent(
            """\
            initiative: Claims triage bot
            budget_tokens: 2000
            ratio: 0.25
            realtime: true
            notes: ~
            tags:
              - a
              - {b: "no", c: False}
            """
        ),
        "answers.yaml",
    )
    assert located.data == {
        "initiative": "Claims triage bot",
        "budget_tokens": 2000,
        "ratio": 0.25,
        "realtime": True,
        "notes": None,
        "tags": ["a", {"b": "no", "c": False}],
    }
    assert located.source == "answers.yaml"
    assert located.positions[()] == (1, 1)
    assert located.positions[("initiative",)] == (1, 13)
    assert located.key_positions[("initiative",)] == (1, 1)
    assert located.positions[("budget_tokens",)] == (2, 16)
    assert located.positions[("tags",)] == (7, 3)
    assert located.positions[("tags", 0)] == (7, 5)
    assert located.positions[("tags", 1)] == (8, 5)
    assert located.positions[("tags", 1, "b")] == (8, 9)
    assert located.key_positions[("tags", 1, "c")] == (8, 15)
    assert json.loads(json.dumps(located.data)) == located.data


def test_position_falls_back_to_key_then_ancestor():
    located = Located(
        data={"a": {"b": 1}},
        positions={(): (1, 1), ("a", "b"): (2, 6)},
        key_positions={("a",): (1, 1), ("a", "b"): (2, 3)},
        source="x.yaml",
    )
    assert located.position(("a", "b")) == (2, 6)
    assert located.position(["a"]) == (1, 1)  # only the key is known
    assert located.position(("a", "b", "missing", 3)) == (2, 6)  # nearest ancestor
    assert located.position(("zzz",)) == (1, 1)  # the root
    assert Located(None, {}, {}, "x").position(("a",)) == (None, None)


def test_true_false_in_any_case_are_booleans():
    located = load_yaml("[true, True, TRUE, false, False, FALSE]", "t.yaml")
    assert located.data == [True, True, True, False, False, False]


def test_dates_and_times_stay_text():
    located = load_yaml("a: 2024-01-01\nb: 2024-01-01 10:30:00\nc: 2001-12-14t21:59:43.10-05:00\n", "t")
    assert located.data == {
        "a": "2024-01-01",
        "b": "2024-01-01 10:30:00",
        "c": "2001-12-14t21:59:43.10-05:00",
    }


def test_quoted_values_are_text_whatever_they_look_like():
    located = load_yaml('a: "no"\nb: \'010\'\nc: "1:20"\nd: "~"\n"yes": "<<"\n', "t")
    assert located.data == {"a": "no", "b": "010", "c": "1:20", "d": "~", "yes": "<<"}


def test_numbers_that_mean_the_same_in_every_yaml():
    located = load_yaml("[0, -7, +3, 1.5, -0.25, 1., 2.5e+3, 1e3]", "t")
    # `1e3` is text to PyYAML (it wants a dot and a signed exponent); we agree with it.
    assert located.data == [0, -7, 3, 1.5, -0.25, 1.0, 2500.0, "1e3"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "~", "null\n", "---\n...\n", "\ufeff"])
def test_empty_document_gives_none(text):
    assert load_yaml(text, "empty.yaml").data is None


def test_empty_file_gives_none():
    assert load_yaml_file(HOSTILE / "empty.yaml").data is None


def test_bom_is_fine_and_columns_ignore_it():
    located = load_yaml("\ufeffa: 1\n".encode(), "bom.yaml")
    assert located.data == {"a": 1}
    assert located.positions[("a",)] == (1, 4)


def test_columns_count_characters_not_bytes():
    located = load_yaml("é: [ü, x]\n", "t")
    assert located.positions[("é", 1)] == (1, 8)


def test_tabs_and_newlines_in_text_are_fine():
    assert load_yaml('a: "x\\ty\\nz"\n', "t").data == {"a": "x\ty\nz"}


# -- hostile files --------------------------------------------------------------


def test_alias_bomb_is_refused_at_the_first_anchor():
    problem = only_problem((HOSTILE / "alias_bomb.yaml").read_bytes(), "bomb.yaml")
    assert (problem.file, problem.line, problem.column) == ("bomb.yaml", 1, 4)
    assert "anchors and aliases" in problem.message
    assert "&a" in problem.message
    assert problem.hint is not None and "never need them" in problem.hint


def test_a_lone_alias_is_refused():
    # An undefined alias is a composer error in PyYAML; the scan must refuse it first.
    problem = only_problem("a: *nowhere\n")
    assert (problem.line, problem.column) == (1, 4)
    assert "*nowhere" in problem.message


def test_python_tag_is_refused():
    problem = only_problem((HOSTILE / "python_tag.yaml").read_text(), "answers.yaml")
    assert (problem.line, problem.column) == (2, 9)
    assert problem.message == ("explicit YAML tags (!!python/object/apply:os.system) are not allowed")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x: null}\n", "!!set"),
        ("a: !!timestamp 2024-01-01\n", "!!timestamp"),
        ("a: !!str plain\n", "!!str"),
        ("a: !foo bar\n", "!foo"),
        ("a: ! bar\n", "(!)"),
        ("a: !<tag:example.com,2024:x> bar\n", "tag:example.com,2024:x"),
    ],
)
def test_every_explicit_tag_is_refused(text, shown):
    problem = only_problem(text)
    assert (problem.line, problem.column) == (1, 4)
    assert shown in problem.message


def test_duplicate_keys_name_both_lines():
    problem = only_problem((HOSTILE / "duplicate_keys.yaml").read_text())
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message.startswith("duplicate key 'budget' (lines 2 and 4)")


def test_duplicate_keys_in_nested_and_flow_mappings():
    problems = refusal("a:\n  x: 1\n  z: 2\n  x: 3\nb: {k: 1, k: 2}\n")
    assert [(p.line, p.column) for p in problems] == [(4, 3), (5, 11)]
    assert "(lines 2 and 4)" in problems[0].message
    assert "(lines 5 and 5)" in problems[1].message


def test_yaml11_booleans_are_refused_each_at_its_place():
    problems = refusal((HOSTILE / "yaml11_booleans.yaml").read_text())
    assert [(p.line, p.column) for p in problems] == [(1, 9), (2, 13), (3, 11), (4, 10)]
    assert problems[0].message == "'no' is read as a YAML 1.1 boolean (false)"
    assert problems[0].hint == 'quote it ("no") if you meant the text, or write true or false'
    assert problems[1].message == "'yes' is read as a YAML 1.1 boolean (true)"
    assert problems[3].message == "'y' is read as a YAML 1.1 boolean (true)"


def test_yaml11_boolean_as_a_key_is_refused():
    problem = only_problem("on: push\n")
    assert (problem.line, problem.column) == (1, 1)
    assert "'on' is read as a YAML 1.1 boolean" in problem.message


@pytest.mark.parametrize(
    "value, message",
    [
        ("010", "'010' is a YAML 1.1 octal number (it would mean 8)"),
        ("0x1F", "'0x1F' is a YAML 1.1 hexadecimal number (it would mean 31)"),
        ("0b101", "'0b101' is a YAML 1.1 binary number (it would mean 5)"),
        ("1:20", "'1:20' is a YAML 1.1 base-60 number (it would mean 80)"),
        ("1_000", "'1_000' is a YAML 1.1 number with '_' separators (it would mean 1000)"),
        ("1_000.5", "'1_000.5' is a YAML 1.1 number with '_' separators (it would mean 1000.5)"),
        (".inf", "'.inf' is YAML for infinity, which adaptwise does not accept"),
        ("-.Inf", "'-.Inf' is YAML for infinity, which adaptwise does not accept"),
        (".NaN", "'.NaN' is YAML for not-a-number, which adaptwise does not accept"),
        ("1.0e+400", "'1.0e+400' is too large a number"),
    ],
)
def test_version_dependent_numbers_are_refused(value, message):
    problem = only_problem(f"budget: {value}\n")
    assert (problem.line, problem.column) == (1, 9)
    assert problem.message == message


def test_huge_integer_is_refused_not_crashed_on():
    problem = only_problem((HOSTILE / "huge_int.yaml").read_text())
    assert (problem.line, problem.column) == (1, 16)
    assert problem.message == "a 5000-digit number is too long"


def test_merge_key_is_refused():
    problem = only_problem("base: {a: 1}\nother:\n  <<: {b: 2}\n")
    assert (problem.line, problem.column) == (3, 3)
    assert "merge keys" in problem.message


@pytest.mark.parametrize(
    "text, shown, position",
    [
        ("1: x\n", "the number 1", (1, 1)),
        ("a:\n  2.5: x\n", "the number 2.5", (2, 3)),
        ("null: x\n", "null", (1, 1)),
        ("~: x\n", "null", (1, 1)),
        ("true: x\n", "the boolean true", (1, 1)),
        ("[a]: x\n", "a list or mapping", (1, 1)),
        ("? {a: 1}\n: x\n", "a list or mapping", (1, 3)),
    ],
)
def test_keys_must_be_text(text, shown, position):
    problem = only_problem(text)
    assert problem.message == f"mapping keys must be text, not {shown}"
    assert (problem.line, problem.column) == position


def test_multiple_documents_are_refused_at_the_second():
    problem = only_problem((HOSTILE / "multiple_documents.yaml").read_text())
    assert (problem.line, problem.column) == (2, 1)
    assert problem.message.startswith("more than one YAML document")


def test_osc_title_sequence_is_refused():
    problem = only_problem((HOSTILE / "control_chars.yaml").read_text())
    assert (problem.line, problem.column) == (1, 13)
    assert "U+001B ESCAPE" in problem.message


def test_bidi_override_is_refused():
    problem = only_problem((HOSTILE / "bidi.yaml").read_text())
    assert (problem.line, problem.column) == (1, 13)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in problem.message
    assert "character 5 of the text" in problem.message


@pytest.mark.parametrize(
    "escape, shown",
    [
        ("\\a", "U+0007 BELL"),
        ("\\x7f", "U+007F DELETE"),
        ("\\x9b", "U+009B CONTROL SEQUENCE INTRODUCER"),
        ("\\r", "U+000D CARRIAGE RETURN"),
        ("\\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\\u061c", "U+061C ARABIC LETTER MARK"),
        ("\\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ],
)
def test_unsafe_characters_in_values_and_keys(escape, shown):
    value = only_problem(f'a: "x{escape}"\n')
    assert (value.line, value.column) == (1, 4)
    assert shown in value.message
    key = only_problem(f'"k{escape}": 1\n')
    assert (key.line, key.column) == (1, 1)
    assert shown in key.message


def test_messages_never_echo_unsafe_characters():
    problems = refusal('a: !<%1B]2;x%07> v\n"k\\e": 1\n"k\\e": 2\n')
    assert problems[0].message == "explicit YAML tags (\\u001b]2;x\\u0007) are not allowed"
    assert problems[-1].message.startswith("duplicate key 'k\\u001b' (lines 2 and 3)")
    assert all(find_unsafe_character(str(problem)) is None for problem in problems)


def test_raw_control_character_is_located():
    problem = only_problem("a: ok\nb: x\x1by\n")
    assert (problem.line, problem.column) == (2, 5)
    assert "U+001B ESCAPE" in problem.message


def test_binary_garbage_is_not_a_text_file():
    problem = only_problem((HOSTILE / "binary_garbage.bin").read_bytes(), "answers.yaml")
    assert problem.file == "answers.yaml"
    assert problem.message == "is not a text file (byte 0x89 at offset 0 is not UTF-8)"


def test_nul_bytes_are_not_text():
    problem = only_problem((HOSTILE / "nul_bytes.yaml").read_bytes())
    assert problem.message == "is not a text file (it contains NUL bytes)"
    problem = only_problem("a: b\x00c\n")
    assert problem.message == "is not a text file (it contains NUL characters)"


def test_syntax_error_gives_problem_and_place():
    problem = only_problem("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.message.startswith("not valid YAML: ")
    assert problem.line is not None and problem.column is not None


def test_syntax_error_line_and_column_are_one_based():
    problem = only_problem("a: 1\nb: c: d\n")
    assert (problem.line, problem.column) == (2, 5)
    assert "mapping values are not allowed" in problem.message


def test_problems_are_listed_in_reading_order_with_a_summary():
    with pytest.raises(InputError) as caught:
        load_yaml("a: yes\nb: 010\na: 1\n", "many.yaml")
    assert [p.line for p in caught.value.problems] == [1, 2, 3]
    assert caught.value.summary == "many.yaml has 3 problems"


def test_a_flood_of_problems_is_cut_short():
    with pytest.raises(InputError) as caught:
        load_yaml("- yes\n" * 50_000, "flood.yaml")
    assert len(caught.value.problems) == 100


def test_depth_limit_is_exact():
    assert load_yaml("[" * 64 + "]" * 64, "t").data is not None
    problem = only_problem("[" * 65 + "]" * 65)
    assert (problem.line, problem.column) == (1, 65)
    assert problem.message == "nested more than 64 levels deep"
    assert load_yaml("[[1]]", "t", max_depth=2).data == [[1]]
    with pytest.raises(InputError):
        load_yaml("[[1]]", "t", max_depth=1)


# -- in a subprocess, with memory capped, so a regression crashes or times out ----

_GUARDED = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))
import yaml
yaml.__with_libyaml__ = sys.argv[1] == "libyaml" and yaml.__with_libyaml__
from adaptwise.domain.errors import InputError
from adaptwise.files.yamlsafe import load_yaml
kind = sys.argv[2]
if kind == "flow":
    text = "[" * 100_000 + "]" * 100_000
elif kind == "flow-mapping":
    text = "{a: " * 100_000 + "}" * 100_000
elif kind == "block":
    text = "- " * 100_000 + "x\\n"
else:
    text = open(kind, encoding="utf-8").read()
try:
    load_yaml(text, "hostile.yaml")
except InputError as error:
    print(json.dumps([[p.line, p.column, p.message] for p in error.problems]))
else:
    print("loaded")
"""


def run_guarded(loader: str, kind: str) -> list[Any]:
    environment = {**os.environ, "PYTHONPATH": SRC}
    finished = subprocess.run(
        [sys.executable, "-c", _GUARDED, loader, kind],
        capture_output=True,
        text=True,
        timeout=10,
        env=environment,
    )
    assert finished.returncode == 0, finished.stderr
    found: list[Any] = json.loads(finished.stdout)
    return found


@pytest.mark.parametrize("kind", ["flow", "flow-mapping", "block"])
def test_deep_nesting_is_refused_with_our_own_limit(loader, kind):
    """One limit and one message under either parser, whatever libyaml's own limit is.

    libyaml 0.2.6 (PyYAML 6.0.4) refuses nesting past 1,000 levels by itself, and scans
    ahead far enough to hit that first; the refusal must still be ours, located, within
    the subprocess's time limit and memory cap.
    """
    [[line, column, message]] = run_guarded(loader, kind)
    assert message == "nested more than 64 levels deep"
    assert line == 1 and isinstance(column, int) and column > 0


def test_deep_nesting_is_refused_at_the_same_place_by_both_parsers():
    assert run_guarded("libyaml", "flow") == run_guarded("pure-python", "flow")


def test_alias_bomb_is_refused_under_a_memory_cap(loader):
    problems = run_guarded(loader, str(HOSTILE / "alias_bomb.yaml"))
    assert problems[0][:2] == [1, 4]
    assert "anchors and aliases" in problems[0][2]


# -- properties -------------------------------------------------------------------

# FUZZ_EXAMPLES=20000 for a longer hunt; the default keeps the suite quick.
_FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_FUZZ
@given(st.text())
def test_any_text_loads_or_is_an_input_error(text):
    try:
        located = load_yaml(text, "fuzz.yaml")
    except InputError as error:
        assert find_unsafe_character(error.render()) is None  # messages are safe to print
        return
    json.dumps(located.data, allow_nan=False)


@_FUZZ
@given(st.binary())
def test_any_bytes_load_or_are_an_input_error(data):
    with contextlib.suppress(InputError):
        load_yaml(data, "fuzz.yaml")


_YAMLISH = st.lists(
    st.sampled_from(
        [
            *"ab01:- \n[]{},#'\"!&*.~_+eExyn\\|>?%@`\t=",
            "yes",
            "no",
            "true",
            "null",
            "0x",
            ".inf",
            "2024-01-01",
            "1:20",
            "\u202e",
            "\\e",
            ": ",
            "\n  ",
            "- ",
        ]
    ),
    max_size=30,
).map("".join)


def _as_text(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.ScalarNode) -> Any:
    """A scalar's text, as safe_load reads a string (typed for add_constructor's stubs)."""
    return yaml.SafeLoader.construct_scalar(loader, node)


def _dates_as_text(base: type[yaml.SafeLoader | yaml.CSafeLoader]) -> type[yaml.SafeLoader | yaml.CSafeLoader]:
    """safe_load's loader, except that timestamps stay text (as in load_yaml)."""
    # type() is typed as making a plain `type`; the class it makes here is a `base`.
    loader = cast("type[yaml.SafeLoader | yaml.CSafeLoader]", type(f"DatesAsText{base.__name__}", (base,), {}))
    loader.add_constructor("tag:yaml.org,2002:timestamp", _as_text)
    return loader


# libyaml and the pure-Python scanner disagree on a few corner cases (a trailing tab),
# so each is compared with itself.
_REFERENCE = {
    "libyaml": _dates_as_text(getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
    "pure-python": _dates_as_text(yaml.SafeLoader),
}


@_FUZZ
@given(_YAMLISH)
def test_accepted_yaml_means_what_safe_load_says(loader, text):
    try:
        located = load_yaml(text, "fuzz.yaml")
    except InputError as error:
        assert find_unsafe_character(error.render()) is None  # messages are safe to print
        return
    try:
        expected = yaml.load(text, Loader=_REFERENCE[loader])
    except yaml.YAMLError:
        # '=' alone is the one thing we accept as text that safe_load cannot construct.
        assert "=" in text
        return
    assert located.data == expected
    json.dumps(located.data, allow_nan=False)


# -- find_unsafe_character ------------------------------------------------------


def test_find_unsafe_character():
    assert find_unsafe_character("plain text, tabs\tand\nnewlines, é, 中文, emoji 🙂") is None
    assert find_unsafe_character("\x1b]2;title\x07") == (0, "U+001B ESCAPE")
    assert find_unsafe_character("ab\x07") == (2, "U+0007 BELL")
    assert find_unsafe_character("x\x00") == (1, "U+0000 NULL")
    assert find_unsafe_character("x\x01") == (1, "U+0001 CONTROL CHARACTER")
    assert find_unsafe_character("x\x85") == (1, "U+0085 NEXT LINE")
    assert find_unsafe_character("x\x9d") == (1, "U+009D OPERATING SYSTEM COMMAND")
    assert find_unsafe_character("x\u200e") == (1, "U+200E LEFT-TO-RIGHT MARK")
    assert find_unsafe_character("x\u2069") == (1, "U+2069 POP DIRECTIONAL ISOLATE")
    assert find_unsafe_character("x\u2060") == (1, "U+2060 WORD JOINER")
    assert find_unsafe_character("\u200d") == (0, "U+200D ZERO WIDTH JOINER")


def _range_ends() -> list[str]:
    """The first and last character of every range of the one unsafe set."""
    ends = []
    for characters, _why in UNSAFE_RANGES:
        ends += [characters[0], characters[-1]] if len(characters) == 3 else [characters]
    return ends


@pytest.mark.parametrize("character", _range_ends(), ids=lambda character: f"U+{ord(character):04X}")
def test_one_unsafe_set_for_every_path(character, tmp_path, loaded_tree):
    """Refused in YAML, flags files and answers, removed from typed text, escaped in messages.

    U+2061..U+2064 and U+206A..U+206F were once only removed from typed text, and every
    other path let them through.
    """
    from adaptwise.domain.answers import check_answers
    from adaptwise.files.flags import expand_flag_files

    code = f"U+{ord(character):04X}"
    found = find_unsafe_character(character)
    assert found is not None
    assert find_unsafe_character(f"ok{character}") == (2, found[1])
    assert code in only_problem(f'a: "x\\u{ord(character):04x}"\n').message
    flags = tmp_path / "evil.flags"
    flags.write_text(f"--title=a{character}b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        expand_flag_files([f"@{flags}"])
    assert code in caught.value.problems[0].message or "NUL bytes" in caught.value.problems[0].message
    text_question = next(question for question in loaded_tree.tree.questions if question.is_text)
    with pytest.raises(InputError) as caught:
        check_answers(loaded_tree.tree, {text_question.id: f"a{character}b"})
    assert code in caught.value.problems[0].message
    assert clean_text(f"a{character}b") in ("ab", "a b")  # C0 separators are whitespace to split()
    assert escape_unsafe(f"a{character}b") == f"a\\u{ord(character):04x}b"
    (duplicate,) = refusal(f'"k\\u{ord(character):04x}": 1\n"k\\u{ord(character):04x}": 2\n')[-1:]
    assert f"'k\\u{ord(character):04x}'" in duplicate.message


# -- files ------------------------------------------------------------------------


def test_load_yaml_file_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("answers.yaml").write_text("a: no\n")
    problem = only_problem_file("answers.yaml")
    assert problem.location == "answers.yaml:1:4"


def only_problem_file(path, **options) -> Problem:
    with pytest.raises(InputError) as caught:
        load_yaml_file(path, **options)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def test_load_yaml_file_refuses_oversized_and_missing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("tree.yaml").write_text("a: 1\n" * 1000)
    problem = only_problem_file("tree.yaml", max_bytes=1024, what="decision tree")
    assert str(problem) == "tree.yaml: is 4.9 KiB; decision trees are capped at 1 KiB"
    assert str(only_problem_file("nope.yaml")) == "nope.yaml: no such file"
    problem = only_problem_file(HOSTILE / "binary_garbage.bin")
    assert problem.message.startswith("is not a text file")
