#!/usr/bin/env bash
# Mutation score of src/adaptwise/domain/ against the fast domain tests (bench/mutation.md).
#
#   bash bench/run_mutation.sh [COMMIT]        # default: HEAD of this checkout
#
# Works in a private clone under $WORK (default: a new folder in /tmp), never in this
# checkout: mutmut rewrites a copy of the code, and the project never depends on it (it is
# installed into the clone's own venv only). One worker, at the lowest priority: the
# machine is shared. Takes about an hour on a busy 2-core machine; results are in
# $WORK/mutants, and `cd $WORK && .venv/bin/mutmut show NAME` shows one mutant.
set -euo pipefail

COMMIT=${1:-HEAD}
SOURCE=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
WORK=${WORK:-$(mktemp -d /tmp/adaptwise-mutation-XXXXXX)}
MUTMUT=${MUTMUT:-mutmut==3.8.1}
# Modules mutated in full, then a fixed-seed sample of the others (module:count).
FULL=${FULL:-"conditions walkthrough"}
SAMPLE=${SAMPLE:-"engine:100 model:40 costs:60 cost_formulas:80 insight:80 answers:120"}
SEED=${SEED:-21}

git clone -q "$SOURCE" "$WORK" && git -C "$WORK" checkout -q "$COMMIT"
cd "$WORK"
python3.11 -m venv .venv
nice -n 19 .venv/bin/pip install -q -c requirements/lock.txt -e '.[test]'
nice -n 19 .venv/bin/pip install -q "$MUTMUT"

# The configuration goes into the clone's pyproject only. The fast tests exercise the domain
# without Textual or subprocesses; the few whole-space tests among them (over ~1 s each under
# mutmut's trampolines) are deselected, or every surviving mutant would cost minutes.
cat >> pyproject.toml <<'EOF'

[tool.mutmut]
source_paths = ["src"]
only_mutate = ["src/adaptwise/domain/*"]
also_copy = ["decision_tree.yaml", "schema"]
pytest_add_cli_args = ["-n0", "-p", "no:randomly", "-p", "no:cacheprovider", "-q",
    "--deselect", "tests/test_conditions_any.py::test_an_any_decides_as_its_conditions_in_turn",
    "--deselect", "tests/test_costs.py::test_costs_rise_with_model_size_and_data",
    "--deselect", "tests/test_costs.py::test_every_contract_profile_has_ordered_ranges_and_a_true_budget_check",
    "--deselect", "tests/test_costs.py::test_the_path_picture_for_random_profiles",
    "--deselect", "tests/test_decision_model_v2.py::test_check_paths_names_answers_that_never_matter",
    "--deselect", "tests/test_decision_model_v2.py::test_several_gaps_get_at_least_what_each_gap_alone_gets",
    "--deselect", "tests/test_engine.py::test_contract_space_is_complete_and_exact",
    "--deselect", "tests/test_engine.py::test_every_modifier_fires_somewhere",
    "--deselect", "tests/test_insight.py::test_blockers_only_name_approaches_above_the_recommendation",
    "--deselect", "tests/test_insight.py::test_every_what_if_is_true_and_none_is_missing",
    "--deselect", "tests/test_insight.py::test_json_shape_of_what_if_blockers_and_unknowns",
    "--deselect", "tests/test_insight.py::test_possible_approaches_are_those_of_every_known_value",
    "--deselect", "tests/test_insight.py::test_possible_approaches_with_both_unknowns",
    "--deselect", "tests/test_numbers.py::test_any_override_is_refused_or_gives_finite_figures_and_strict_json",
    "--deselect", "tests/test_report.py::test_any_valid_free_text_adds_no_markup",
]
pytest_add_cli_args_test_selection = [
    "tests/test_engine_own_trees.py", "tests/test_walkthrough_own_trees.py",
    "tests/test_conditions_any.py", "tests/test_cost_declarations.py",
    "tests/test_engine.py", "tests/test_insight.py", "tests/test_costs.py",
    "tests/test_numbers.py", "tests/test_report.py", "tests/test_check.py",
    "tests/test_decision_model_v2.py", "tests/test_multiple_answers.py",
    "tests/test_shipped_tree_regression.py",
]
EOF

# Do not run `mutmut print-time-estimates` on its own in 3.8.1: it empties the stats file.
# The first run generates every mutant of domain/ and collects which tests reach which
# function; each run after that tests only the mutants it names.
set -f  # the mutant globs are mutmut's, not the shell's
first=""
for module in $FULL; do first="$first adaptwise.domain.$module.*"; done
# shellcheck disable=SC2086  # one glob per module
nice -n 19 .venv/bin/mutmut run --max-children 1 $first > run-full.log 2>&1 || true

.venv/bin/python - "$SEED" $SAMPLE > sample.txt <<'EOF'
import json, random, sys
rng = random.Random(int(sys.argv[1]))
for spec in sys.argv[2:]:
    module, count = spec.split(":")
    keys = sorted(json.load(open(f"mutants/src/adaptwise/domain/{module}.py.meta"))["exit_code_by_key"])
    print("\n".join(sorted(rng.sample(keys, min(int(count), len(keys))))))
EOF
# shellcheck disable=SC2046  # one argument per mutant name
nice -n 19 .venv/bin/mutmut run --max-children 1 $(cat sample.txt) > run-sample.log 2>&1 || true

# The score per module over the mutants tested (1 and 3 killed, 0 survived, 33 no tests).
.venv/bin/python - <<'EOF'
import collections, glob, json
print(f"{'module':16} {'mutants':>7} {'tested':>6} {'killed':>6} {'survived':>8} {'no tests':>8} {'timeout':>7}  score")
for meta in sorted(glob.glob("mutants/src/adaptwise/domain/**/*.meta", recursive=True)):
    codes = json.load(open(meta))["exit_code_by_key"]
    c = collections.Counter(
        "not run" if v is None else {1: "killed", 3: "killed", 0: "survived", 33: "no tests"}.get(v, "timeout")
        for v in codes.values()
    )
    tested = len(codes) - c["not run"]
    if tested:
        module = meta.split("domain/")[1][: -len(".py.meta")]
        score = 100 * (c["killed"] + c["timeout"]) / tested
        print(f"{module:16} {len(codes):7} {tested:6} {c['killed']:6} {c['survived']:8} {c['no tests']:8}"
              f" {c['timeout']:7}  {score:.1f}%")
EOF
echo "work folder: $WORK"
