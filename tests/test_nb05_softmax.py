"""Tests for notebook 05 (softmax): its from-scratch code, its stored examples and its exercises."""

from __future__ import annotations

import re

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb05

from .notebook_code import read, stored_text, tagged_code

NOTEBOOK = "05"


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def scratch() -> dict:
    namespace = tagged_code(NOTEBOOK)
    namespace.setdefault("np", np)  # the cells use the notebook's `np`; their functions look it up at call time
    return namespace


@pytest.fixture(scope="module")
def outputs() -> str:
    return stored_text(NOTEBOOK)


def code_cells() -> list:
    return [cell for cell in read(NOTEBOOK).cells if cell.cell_type == "code"]


def logit_grid(scale: float, count: int = 40, seed: int = 5) -> list[np.ndarray]:
    """Seeded vectors of logits of several lengths, at the given magnitude."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0.0, scale, size=int(rng.integers(1, 12))) for _ in range(count)]


def hint_of(exercise, wrong=None, warning=None) -> str:
    for mistake in exercise.mistakes:
        if (wrong is not None and mistake.wrong is wrong) or (warning is not None
                                                               and mistake.warning_contains == warning):
            return mistake.hint
    raise LookupError("no such mistake")


# ------------------------------------------------- (a) from-scratch code
def test_scratch_cells_define_the_expected_functions(scratch):
    assert callable(scratch["softmax_naive"])
    assert callable(scratch["softmax_stable"])


@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0, 100.0])
def test_naive_softmax_agrees_with_course_utils_for_moderate_logits(scratch, scale):
    for logits in logit_grid(scale):
        np.testing.assert_allclose(scratch["softmax_naive"](logits), cu.softmax(logits), rtol=1e-12, atol=1e-300)


def test_naive_softmax_breaks_on_large_logits_as_the_notebook_says(scratch):
    with np.errstate(all="ignore"):
        assert np.all(np.isnan(scratch["softmax_naive"](np.array([1000.0, 1001.0]))))
        assert np.all(np.isnan(scratch["softmax_naive"](np.array([-1000.0, -1001.0]))))
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        scratch["softmax_naive"](np.array([1000.0, 1001.0]))


@pytest.mark.parametrize("scale", [0.1, 1.0, 10.0, 100.0, 1000.0, 1e5])
def test_stable_softmax_agrees_with_course_utils_on_a_grid(scratch, scale):
    for logits in logit_grid(scale):
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):  # no overflow, no 0/0
            mine = scratch["softmax_stable"](logits)
        np.testing.assert_allclose(mine, cu.softmax(logits), rtol=1e-12, atol=1e-300)
        assert mine.sum() == pytest.approx(1.0, abs=1e-12)


def test_stable_softmax_on_the_notebook_examples(scratch):
    stable = scratch["softmax_stable"]
    np.testing.assert_allclose(stable([1000.0, 1001.0]), stable([0.0, 1.0]), rtol=1e-15)
    np.testing.assert_allclose(stable([1000.0, 1001.0]), [0.2689414213699951, 0.7310585786300049], rtol=1e-14)
    assert np.array_equal(np.round(stable([-3, -1.5, 0.3, 0.6, 1, 1.8, 3]), 3),
                          [0.002, 0.007, 0.042, 0.056, 0.084, 0.187, 0.622])


def test_naive_cell_is_the_source_formula():
    naive = next(c.source for c in code_cells() if "def softmax_naive" in c.source)
    assert "np.exp(a) / np.sum(np.exp(a))" in naive


# ----------------------------------------- (b) examples in stored outputs
@pytest.mark.parametrize("expected", [
    "[0.002 0.007 0.042 0.056 0.084 0.187 0.622]",                    # the source's printout, exactly
    "62.2 %",                                                         # the largest input's share
    "softmax_naive(big) = [nan nan]",                                 # break it: [1000, 1001]
    "FloatingPointError: overflow encountered in exp",
    "softmax_stable(big)  = [0.26894142 0.73105858]",                 # fixed
    "column sums: [1. 1. 1. 1.]",                                      # the wrong-axis mistake
    "row sums:    [1. 1. 1.]",                                         # the right axis
    "T = 0.25: [0.98  0.018 0.002 0.   ]",                            # temperature sharpens ...
    "T = 5.00: [0.322 0.263 0.238 0.177]",                            # ... and flattens
    "log(softmax(logits)) = [  0. -inf]",                             # log of an underflowed probability
    "log_softmax(logits)  = [    0. -1000.]",
    "loss from log(softmax): inf",
    "loss from log_softmax:  1000.0",
    "log(softmax) is -inf for every z <= -746",
    "⏳ 05.softmax: not implemented yet.",                             # stubs are stored unsolved
    "⏳ 05.log_softmax: not implemented yet.",
    "⏳ 05.output_layer: not implemented yet.",
])
def test_example_appears_in_stored_outputs(outputs, expected):
    assert expected in outputs


def test_source_example_is_printed_with_np_round():
    cell = next(c for c in code_cells() if "input_a = np.array([-3, -1.5, 0.3, 0.6, 1, 1.8, 3])" in c.source)
    assert "np.round(probabilities, 3)" in cell.source
    assert "[0.002 0.007 0.042 0.056 0.084 0.187 0.622]" in "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.parametrize("label", [
    r"max \|softmax_stable - cu\.softmax\| over \d+ vectors: (\S+)",
    r"max \|softmax\(\[z, 0\]\)\[0\] - sigmoid\(z\)\| over \d+ values of z: (\S+)",
    r"max \|softmax\(a \+ 100\) - softmax\(a\)\| = (\S+)",
])
def test_reported_differences_are_tiny(outputs, label):
    match = re.search(label, outputs)
    assert match, f"missing line matching {label!r}"
    assert float(match.group(1)) < 1e-12


def test_no_stderr_errors_or_warnings_in_outputs():
    for cell in code_cells():
        for out in cell.get("outputs", []):
            assert out.output_type != "error", cell.source[:60]
            assert not (out.output_type == "stream" and out.name == "stderr"), cell.source[:60]
            assert "Warning:" not in out.get("text", ""), cell.source[:60]


def test_only_the_widget_cell_ignores_its_output():
    marked = [c for c in code_cells() if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(marked) == 1
    assert marked[0].source.startswith("# NBVAL_IGNORE_OUTPUT")
    assert "SoftmaxExplorer(" in marked[0].source


def test_stubs_are_unsolved_and_hints_not_run():
    for name in ("softmax", "log_softmax"):
        cell = next(c for c in code_cells() if f"nb05.{name}.check(" in c.source)
        assert "raise NotImplementedError  # your code here" in cell.source
        for line in cell.source.splitlines():
            if ".hint()" in line or ".solution()" in line:
                assert line.lstrip().startswith("#"), line


def test_scratch_cells_are_tagged_and_plots_end_with_show():
    assert sum("scratch" in c.metadata.get("tags", []) for c in code_cells()) == 2
    for cell in code_cells():
        if "plt.subplots" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()")


# ------------------------------------------------------------- (c) exercises
def _learner_stub(x, axis=-1):
    raise NotImplementedError  # your code here


@pytest.mark.parametrize("exercise", [nb05.softmax, nb05.log_softmax, nb05.output_layer])
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", [nb05.softmax, nb05.log_softmax])
def test_stub_is_not_answered(exercise):
    verdict = exercise.verdict(_learner_stub)
    assert verdict.status == "not answered"
    assert exercise.verdict(...).status == "not answered"


def test_exercises_use_extreme_logits():
    for exercise in (nb05.softmax, nb05.log_softmax):
        largest = max(np.max(np.abs(np.asarray(case.args[0])[np.isfinite(case.args[0])])) for case in exercise.cases)
        assert largest >= 1000


def test_library_log_softmax_passes_too():
    assert nb05.log_softmax.verdict(cu.log_softmax).passed


# The classic softmax slips, written as a learner would write them.
def _softmax_naive(x, axis=-1):
    return np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True)


def _softmax_global_max(x, axis=-1):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_axis_zero(x, axis=-1):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def _softmax_ignores_axis(x, axis=-1):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_no_keepdims(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis)


@pytest.mark.parametrize("learner, hint", [
    (_softmax_naive, nb05.OVERFLOW.hint),
    (_softmax_global_max, hint_of(nb05.softmax, wrong=nb05._shift_by_global_max)),
    (_softmax_axis_zero, hint_of(nb05.softmax, wrong=nb05._wrong_axis)),
    (_softmax_ignores_axis, hint_of(nb05.softmax, wrong=nb05._wrong_axis)),
    (_softmax_no_keepdims, hint_of(nb05.softmax, wrong=nb05._sum_without_keepdims)),
])
def test_softmax_mistakes_get_their_hint(learner, hint):
    verdict = nb05.softmax.verdict(learner)
    assert not verdict.passed
    assert verdict.hint == hint, verdict.text


# The classic log_softmax slips, written as a learner would write them.
def _log_of_stable_softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return np.log(e / np.sum(e, axis=axis, keepdims=True))


def _log_of_naive_softmax(x, axis=-1):
    return np.log(np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True))


def _log_softmax_no_shift(x, axis=-1):
    return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))


def _log_softmax_forgot_log_sum_exp(x, axis=-1):
    return x - np.max(x, axis=axis, keepdims=True)


def _log_softmax_shift_only_inside(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    return x - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def _log_softmax_returns_probabilities(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax_global_max(x, axis=-1):
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _log_softmax_whole_array(x, axis=-1):
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted)))


def _log_softmax_no_keepdims(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis))


def _log_softmax_ignores_axis(x, axis=-1):
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


@pytest.mark.parametrize("learner, hint", [
    (_log_of_stable_softmax, hint_of(nb05.log_softmax, warning="divide by zero")),
    (_log_of_naive_softmax, hint_of(nb05.log_softmax, warning="overflow")),
    (_log_softmax_no_shift, hint_of(nb05.log_softmax, warning="overflow")),
    (_log_softmax_forgot_log_sum_exp, hint_of(nb05.log_softmax, wrong=nb05._only_the_shift)),
    (_log_softmax_shift_only_inside, hint_of(nb05.log_softmax, wrong=nb05._shift_missing_outside_the_log)),
    (_log_softmax_returns_probabilities, hint_of(nb05.log_softmax, wrong=nb05._probabilities_not_logs)),
    (_log_softmax_global_max, hint_of(nb05.log_softmax, wrong=nb05._log_softmax_by_global_max)),
    (_log_softmax_whole_array, hint_of(nb05.log_softmax, wrong=nb05._log_softmax_whole_array)),
    (_log_softmax_no_keepdims, hint_of(nb05.log_softmax, wrong=nb05._log_softmax_without_keepdims)),
    (_log_softmax_ignores_axis, hint_of(nb05.log_softmax, wrong=nb05._log_softmax_wrong_axis)),
])
def test_log_softmax_mistakes_get_their_hint(learner, hint):
    verdict = nb05.log_softmax.verdict(learner)
    assert not verdict.passed
    assert verdict.hint == hint, verdict.text


def test_log_softmax_hints_name_the_problem():
    assert "log(0)" in hint_of(nb05.log_softmax, warning="divide by zero")
    assert "max" in hint_of(nb05.log_softmax, warning="overflow")
    assert "log-sum-exp" in hint_of(nb05.log_softmax, wrong=nb05._only_the_shift)
    assert "probabilities" in hint_of(nb05.log_softmax, wrong=nb05._probabilities_not_logs)


def test_log_softmax_checker_reports_warnings_not_tracebacks(capsys):
    nb05.log_softmax.check(_log_of_stable_softmax)
    printed = capsys.readouterr()
    assert printed.err == ""
    assert "divide by zero encountered in log" in printed.out
    assert "input array([1000., 0.])" in printed.out


@pytest.mark.parametrize("answer, passed", [("b", True), (" B ", True), ("a", False), ("c", False), ("d", False)])
def test_output_layer_choice(answer, passed):
    verdict = nb05.output_layer.verdict(answer)
    assert verdict.passed is passed
    if not passed:
        assert verdict.hint  # every wrong letter explains itself
