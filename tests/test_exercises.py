"""The checker framework: verdicts, friendliness, determinism, and the classic mistakes.

Attacks that could hang or corrupt the interpreter live in test_checker_attacks.py (fresh processes).
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import (EXERCISES, Case, ChoiceExercise, Exercise, FunctionExercise, Mistake, nb01, nb02,
                                    nb04, nb05)
from course_utils.exercises.__main__ import NOTEBOOKS, by_notebook, solutions_markdown
from course_utils.exercises.framework import changed, describe, fresh_copy, frozen_copy, same_values

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_model_answer_passes(name):
    exercise = EXERCISES[name]
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text
    assert verdict.text.startswith("✅")


@pytest.mark.parametrize("name", sorted(EXERCISES))
@pytest.mark.parametrize("stub", [None, ...])
def test_unanswered_stubs_say_not_implemented_yet(name, stub):
    exercise = EXERCISES[name]
    verdict = exercise.verdict(stub)
    assert verdict.status == "not answered"
    if isinstance(exercise, ChoiceExercise):  # the answer is a letter, not code
        assert "not answered yet. Replace the `...` with the letter of your answer" in verdict.text
        assert "NotImplementedError" not in verdict.text
    else:
        assert "not implemented yet" in verdict.text


@pytest.mark.parametrize("name", sorted(n for n, e in EXERCISES.items() if isinstance(e, FunctionExercise)))
def test_stub_functions_say_not_implemented_yet(name):
    def stub(*args, **kwargs):
        raise NotImplementedError

    def returns_nothing(*args, **kwargs):
        pass

    for answer in (stub, returns_nothing):
        assert "not implemented yet" in EXERCISES[name].verdict(answer).text


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_has_hints_and_a_solution(name, capsys):
    exercise = EXERCISES[name]
    exercise.hint()
    exercise.solution()
    printed = capsys.readouterr().out
    assert "1." in printed and exercise.name in printed and len(exercise.solution_text) > 10


def test_check_prints_one_deterministic_verdict(capsys):
    def wrong(x, threshold=0.0):
        return (np.asarray(x) >= threshold).astype(float)

    nb01.step.check(wrong)
    first = capsys.readouterr().out
    nb01.step.check(wrong)
    assert capsys.readouterr().out == first
    assert first.startswith("❌") and "Traceback" not in first


def test_a_crashing_function_gets_a_one_line_summary_not_a_traceback():
    def crashes(x, threshold=0.0):
        return 1 / 0

    verdict = nb01.step.verdict(crashes)
    assert not verdict.passed
    assert "ZeroDivisionError: division by zero" in verdict.text
    assert "Traceback" not in verdict.text and verdict.text.count("\n") <= 2


def test_passing_the_result_instead_of_the_function_is_explained():
    verdict = nb02.sigmoid.verdict(np.array([0.5]))
    assert "Pass the function itself" in verdict.text


@pytest.mark.parametrize("name", sorted(n for n, e in EXERCISES.items() if isinstance(e, FunctionExercise)))
def test_pass_the_function_message_names_the_real_function(name):
    exercise = EXERCISES[name]
    text = exercise.verdict(np.array([0.5])).text
    assert f"check({exercise.function_name})" in text and "my_function" not in text
    assert exercise.function_name in exercise.solution_text or exercise.function_name.endswith(name.partition(".")[2])


# ------------------------------------------------------------------ graded hints
def test_hint_reveals_one_more_level_at_each_call(capsys):
    exercise = FunctionExercise("99.graded", "a test exercise", lambda x: x, [Case((np.array([1.0]),))],
                                hints=["H1 nudge", "H2 push", "H3 answer"], solution="def f(x):\n    return x")
    try:
        printed = []
        for _ in range(4):
            exercise.hint()
            printed.append(capsys.readouterr().out)
        assert "hint 1 of 3" in printed[0] and "H1 nudge" in printed[0] and "H2" not in printed[0]
        assert "Run .hint() again" in printed[0]
        assert "hint 2 of 3" in printed[1] and "1. H1 nudge" in printed[1] and "2. H2 push" in printed[1]
        assert "H3" not in printed[1]
        assert "hint 3 of 3" in printed[2] and "3. H3 answer" in printed[2] and ".solution()" in printed[2]
        assert printed[3] == printed[2]          # after the last hint, the same three again
        exercise.hint(level=1)
        assert "hint 1 of 3" in capsys.readouterr().out
    finally:
        del EXERCISES["99.graded"]


def test_a_single_hint_keeps_working(capsys):
    exercise = ChoiceExercise("99.single", "one hint", "Pick a.", {"a": "yes", "b": "no"}, "a", "because",
                              {"b": "no"}, hints=["the only hint"])
    try:
        exercise.hint()
        exercise.hint()
        printed = capsys.readouterr().out
        assert printed.count("1. the only hint") == 2 and "hint 1 of 1" in printed
    finally:
        del EXERCISES["99.single"]


# ------------------------------------------------------------------ numbering and the solutions listing
def _headings_above_checks():
    """(exercise name, label of the heading above its check cell) for every check call in the notebooks."""
    found = []
    for number, filename in NOTEBOOKS.items():
        cells = json.loads((ROOT / "notebooks" / filename).read_text(encoding="utf-8"))["cells"]
        heading = ""
        for cell in cells:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                headings = re.findall(r"^#+\s+(.*)$", source, flags=re.MULTILINE)
                if headings:
                    heading = headings[-1]
                continue
            for short in re.findall(rf"^\s*nb{number}\.(\w+)\.check\(", source, flags=re.MULTILINE):
                match = re.match(r"Exercise (\d+)\b", heading)
                found.append((f"{number}.{short}", f"Exercise {match.group(1)}" if match else "Warm-up"))
    return found


def test_exercise_labels_match_the_notebook_headings():
    pairs = _headings_above_checks()
    assert {name for name, _ in pairs} == set(EXERCISES), "every exercise is checked in its notebook"
    for name, label in pairs:
        assert EXERCISES[name].label == label, f"{name}: notebook says {label!r}, checker says {EXERCISES[name].label!r}"


def test_solutions_listing_is_in_notebook_order_and_up_to_date():
    for number, exercises in by_notebook().items():
        labels = [exercise.label for exercise in exercises]
        numbered = [label for label in labels if label != "Warm-up"]
        assert numbered == [f"Exercise {i}" for i in range(1, len(numbered) + 1)], (number, labels)
    text = (ROOT / "docs" / "solutions.md").read_text(encoding="utf-8")
    assert text == solutions_markdown(), "run `make solutions` to regenerate docs/solutions.md"
    headings = re.findall(r"^### (.*) \(`(\d\d\.\w+)`\)$", text, flags=re.MULTILINE)
    assert [name for _, name in headings] == [e.name for group in by_notebook().values() for e in group]


def test_numbers_and_time_limits_are_validated():
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="number"):
            Exercise("99.bad", "t", ["h"], "s", number=bad)
    with pytest.raises(ValueError, match="time_limit"):
        Exercise("99.bad", "t", ["h"], "s", time_limit=0)
    assert "99.bad" not in EXERCISES


# ------------------------------------------------------------------ copies and comparisons
def test_fresh_and_frozen_copies_are_deep_and_keep_or_drop_the_writeable_flag():
    read_only = np.array([1.0, 2.0])
    read_only.flags.writeable = False
    data = ([np.array([3.0]), read_only], {"b": np.array([4.0])}, 5.0)
    fresh, frozen = fresh_copy(data), frozen_copy(data)
    assert same_values(fresh, data) and same_values(frozen, data)
    assert fresh[0][0].flags.writeable and not fresh[0][1].flags.writeable
    assert not frozen[0][0].flags.writeable and not frozen[1]["b"].flags.writeable
    fresh[0][0][0] = 99.0
    assert data[0][0][0] == 3.0 and changed(data, fresh) == "argument 1"
    assert changed((1.0, np.array([np.nan])), (1.0, np.array([np.nan]))) is None
    assert changed({"axis": 0}, {"axis": 1}) == "argument 'axis'"


def test_describe_never_raises():
    class Hostile:
        def __repr__(self):
            raise SystemExit("no")
    assert describe(Hostile()) == "<Hostile object that cannot be shown>"
    assert describe("x" * 1000).endswith("…") and len(describe("x" * 1000)) == 160


def test_an_overflow_names_the_side_where_it_happens():
    def overflows_for_large_x(x):
        return np.exp(np.asarray(x, dtype=float)) / (1 + np.exp(np.asarray(x, dtype=float)))

    text = nb02.sigmoid.verdict(overflows_for_large_x).text
    assert "x > +709" in text and "x < -709" not in text.split("💡")[0]

    def overflows_for_very_negative_x(x):
        return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))

    text = nb02.sigmoid.verdict(overflows_for_very_negative_x).text
    assert "x < -709" in text.split("💡")[0]


def test_a_warning_without_a_known_mistake_gets_the_generic_side_aware_hint():
    exercise = FunctionExercise("99.exp", "exp", lambda x: np.minimum(np.asarray(x), 0.0),
                                [Case((np.array([-1.0, 800.0, 1000.0]),))], hints=["h"],
                                solution="def f(x):\n    return x", mistakes=[Mistake(hint="unrelated", wrong=np.sin)])
    try:
        verdict = exercise.verdict(lambda x: np.log(np.exp(x)))
        assert "it overflows at x = 800, 1000, that is for x > +709" in verdict.text
        assert "x > +709" in verdict.hint
    finally:
        del EXERCISES["99.exp"]


# ------------------------------------------------------------------ classic mistakes
def _hint(exercise, answer):
    verdict = exercise.verdict(answer)
    assert not verdict.passed, verdict.text
    assert verdict.hint, verdict.text
    return verdict.hint


def test_step_greater_or_equal_is_caught():
    assert "`>` rather than `>=`" in _hint(nb01.step, lambda x, threshold=0.0: (np.asarray(x) >= threshold) * 1.0)


def test_step_ignoring_the_threshold_is_caught():
    assert "threshold" in _hint(nb01.step, lambda x, threshold=0.0: (np.asarray(x) > 0) * 1.0)


def test_scalar_only_step_is_caught():
    def scalar_step(x, threshold=0.0):
        return 1.0 if x > threshold else 0.0

    assert "one number at a time" in _hint(nb01.step, scalar_step)


def test_naive_sigmoid_overflow_is_caught():
    assert "overflows" in _hint(nb02.sigmoid, lambda x: 1 / (1 + np.exp(-np.asarray(x, dtype=float))))


def test_where_based_sigmoid_that_still_overflows_is_caught():
    def where_sigmoid(x):
        x = np.asarray(x, dtype=float)
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

    assert "np.where evaluates *both*" in _hint(nb02.sigmoid, where_sigmoid)


def test_sigmoid_grad_returning_sigmoid_is_caught():
    assert "σ(x) itself" in _hint(nb02.sigmoid_grad, cu.sigmoid)


def test_naive_softmax_overflow_and_missing_max_shift_are_caught():
    def naive(x, axis=-1):
        x = np.asarray(x, dtype=float)
        return np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True)

    assert "Subtract the max" in _hint(nb05.softmax, naive)


def test_softmax_over_the_whole_array_is_caught():
    def whole_array(x, axis=-1):
        x = np.asarray(x, dtype=float)
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e)

    assert "axis" in _hint(nb05.softmax, whole_array)


def test_softmax_wrong_axis_is_caught():
    def wrong_axis(x, axis=-1):
        x = np.asarray(x, dtype=float)
        e = np.exp(x - np.max(x, axis=0, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    assert "Wrong axis" in _hint(nb05.softmax, wrong_axis)


def test_softmax_missing_keepdims_is_caught():
    def no_keepdims(x, axis=-1):
        x = np.asarray(x, dtype=float)
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis)

    assert "keepdims=True" in _hint(nb05.softmax, no_keepdims)


def test_softmax_global_max_is_caught():
    def global_max(x, axis=-1):
        x = np.asarray(x, dtype=float)
        e = np.exp(x - np.max(x))
        return e / np.sum(e, axis=axis, keepdims=True)

    assert "each row's own max" in _hint(nb05.softmax, global_max)


def test_relu_grad_convention_at_zero_is_caught():
    assert "relu_grad(0) = 0" in _hint(nb04.relu_grad, lambda x: (np.asarray(x) >= 0).astype(float))


def test_scalar_only_relu_grad_is_caught():
    def scalar_grad(x):
        return 1.0 if x > 0 else 0.0

    assert "np.maximum" in _hint(nb04.relu_grad, scalar_grad)


def test_choice_exercises_explain_wrong_letters():
    choices = [e for e in EXERCISES.values() if isinstance(e, ChoiceExercise)]
    for exercise in choices:
        wrong_letters = [letter for letter in exercise.options if letter != exercise.correct]
        for letter in wrong_letters:
            verdict = exercise.verdict(letter)
            assert not verdict.passed
        assert "one of the letters" in exercise.verdict(42).text


def test_exercise_names_are_unique_and_numbered():
    for name in EXERCISES:
        number, _, short = name.partition(".")
        assert number.isdigit() and len(number) == 2 and short
