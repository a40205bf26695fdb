"""The checker framework: verdicts, friendliness, determinism, and the classic mistakes."""

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import EXERCISES, ChoiceExercise, FunctionExercise, nb01, nb02, nb04, nb05


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_model_answer_passes(name):
    exercise = EXERCISES[name]
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text
    assert verdict.text.startswith("✅")


@pytest.mark.parametrize("name", sorted(EXERCISES))
@pytest.mark.parametrize("stub", [None, ...])
def test_unanswered_stubs_say_not_implemented_yet(name, stub):
    verdict = EXERCISES[name].verdict(stub)
    assert verdict.status == "not answered"
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
