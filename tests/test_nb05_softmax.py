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
    "⏳ 05.output_layer: not answered yet.",                           # a multiple-choice question
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


def test_softmax_cross_entropy_gradient_is_derived_and_checked(outputs):
    """s - t from the Jacobian diag(s) - s s^T, the 1/B of a batch mean, and numerical checks of all three."""
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "J = \\mathrm{diag}(s) - s\\,s^{\\top}" in markdown
    assert "= -t_j + s_j \\sum_k t_k = s_j - t_j" in markdown
    assert "famously simple" not in markdown
    for label in [r"max \|numerical Jacobian - formula\| = (\S+)",
                  r"t = \[1\. 0\. 0\. 0\.\]: s - t = .*, max \|numerical - \(s - t\)\| = (\S+)",
                  r"t = \[0\.7 0\.1 0\.1 0\.1\]: s - t = .*, max \|numerical - \(s - t\)\| = (\S+)",
                  r"relative error \|analytic - numerical\| / \(\|analytic\| \+ \|numerical\|\): (\S+)",
                  r"max \|d LSE / da - softmax\(a\)\| = (\S+)"]:
        match = re.search(label, outputs)
        assert match, label
        assert float(match.group(1)) < 1e-8
    assert "backward() equals (softmax(A) - Y) / B: True" in outputs  # Y: the targets (T is the temperature)
    assert "without the 1/B the analytic gradient would be 3.0 times too large" in outputs


def test_soft_arg_max_and_log_sum_exp_are_named_precisely(outputs):
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "soft arg max" in markdown and "### 7.1 Log-sum-exp is the soft max" in markdown
    assert 'That is where the "max" in its name comes from' not in markdown
    assert "max(a) = 3.0000 <= LSE(a) = 3.4750 <= max(a) + log n = 4.9459" in outputs
    assert "T = 0.01: T * LSE(a / T) = 3.0000, softmax(a / T) = [0. 0. 0. 0. 0. 0. 1.]" in outputs


def test_one_hot_is_defined_where_first_used():
    cells = [c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown"]
    first = next(i for i, source in enumerate(cells) if "one-hot" in source.lower())
    assert "**one-hot**" in cells[first]


def test_sections_are_numbered_and_headings_start_cells():
    nb = read(NOTEBOOK)
    headings = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for number, line in enumerate(cell.source.splitlines()):
            if line.startswith(("## ", "### ")):
                assert number == 0, f"heading in the middle of a cell: {line!r}"
                headings.append(line)
                slide = cell.metadata["slideshow"]["slide_type"]
                assert slide == ("slide" if line.startswith("## ") else "subslide"), line
    sections = [h for h in headings if h.startswith("## ")]
    assert sections[-5:] == ["## 8. Explore"] + ["## Your turn", "## Summary", "## Common pitfalls", "## References"]  # closing sections unnumbered
    numbered = sections[:-4]
    assert [h.split(" ", 2)[1] for h in numbered] == [f"{n}." for n in range(1, len(numbered) + 1)]
    current = 0
    for heading in headings:
        if heading in sections[-4:]:
            continue
        if heading.startswith("## "):
            current, sub = int(heading.split(" ")[1].rstrip(".")), 0
        elif not heading.startswith("### Exercise"):
            sub += 1
            assert heading.split(" ")[1] == f"{current}.{sub}", heading
    exercises = [h.split(":")[0] for h in headings if h.startswith("### Exercise")]
    assert exercises == ["### Exercise 1", "### Exercise 2", "### Exercise 3"]
    assert nb.cells[1].metadata["slideshow"]["slide_type"] == "skip"
    assert sum(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in nb.cells) >= 2


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


def _softmax_shift_in_place(x, axis=-1):
    x = np.asarray(x, dtype=float)
    x -= np.max(x, axis=axis, keepdims=True)   # changes the caller's array
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def test_max_shift_in_place_fails_and_cannot_spoil_later_answers():
    verdict = nb05.softmax.verdict(_softmax_shift_in_place)
    assert not verdict.passed
    assert verdict.hint == nb05.IN_PLACE and "changed its input" in verdict.text
    naive = nb05.softmax.verdict(_softmax_naive)       # after the in-place answer: still judged on [1000, 1001]
    assert not naive.passed and naive.hint == nb05.OVERFLOW.hint
    assert nb05.softmax.verdict(nb05.softmax.model_answer()).passed


def _softmax_naive_silenced(x, axis=-1):
    with np.errstate(all="ignore"):
        return np.exp(x) / np.sum(np.exp(x), axis=axis, keepdims=True)


def _log_of_softmax_silenced(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    with np.errstate(divide="ignore"):
        return np.log(e / np.sum(e, axis=axis, keepdims=True))


def test_silenced_warnings_fail_with_their_hint():
    verdict = nb05.softmax.verdict(_softmax_naive_silenced)
    assert not verdict.passed and verdict.hint == nb05.SOFTMAX_SILENCED
    verdict = nb05.log_softmax.verdict(_log_of_softmax_silenced)
    assert not verdict.passed and verdict.hint == nb05.LOG_SILENCED and "-inf" in verdict.hint


def test_log_of_softmax_mistake_is_registered():
    """Recognised from its result alone, e.g. when the warning was silenced where the checker cannot see it."""
    hint = hint_of(nb05.log_softmax, wrong=nb05._log_of_softmax)
    assert hint == nb05.LOG_OF_ZERO
    assert any(m.wrong is nb05._log_softmax_without_shift for m in nb05.log_softmax.mistakes)


def _softmax_no_keepdims_anywhere(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis))
    return e / np.sum(e, axis=axis)


def test_missing_keepdims_gets_the_keepdims_hint():
    verdict = nb05.softmax.verdict(_softmax_no_keepdims_anywhere)
    assert not verdict.passed
    assert "could not be broadcast" in verdict.text   # the 2 x 3 batch comes before the square one
    assert verdict.hint == nb05.KEEPDIMS
    for wrong in (nb05._no_keepdims_anywhere, nb05._keepdims_only_in_sum, nb05._sum_without_keepdims):
        assert hint_of(nb05.softmax, wrong=wrong) == nb05.KEEPDIMS


@pytest.mark.parametrize("exercise, stub", [(nb05.softmax, "softmax"), (nb05.log_softmax, "log_softmax")])
def test_solutions_paste_over_the_stub(exercise, stub):
    assert exercise.model_answer().__name__ == stub
    cell = next(c.source for c in code_cells() if f"nb05.{stub}.check({stub})" in c.source)
    assert cell.startswith(f"def {stub}(x, axis=-1):")


def test_exercises_numbered_and_hints_graded():
    assert [e.number for e in (nb05.softmax, nb05.log_softmax, nb05.output_layer)] == [1, 2, 3]
    assert all(len(e.hints) >= 3 for e in (nb05.softmax, nb05.log_softmax, nb05.output_layer))
    assert nb05.output_layer.correct == "d"


@pytest.mark.parametrize("answer, passed", [("d", True), (" D ", True), ("a", False), ("b", False), ("c", False)])
def test_output_layer_choice(answer, passed):
    verdict = nb05.output_layer.verdict(answer)
    assert verdict.passed is passed
    if not passed:
        assert verdict.hint  # every wrong letter explains itself


# Review of 03-05: shifts other than the max, floored logs, sign slips, and the notebook's claims.
def _softmax_min_shift(x, axis=-1):
    e = np.exp(x - np.min(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_mean_shift(x, axis=-1):
    e = np.exp(x - np.mean(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


@pytest.mark.parametrize("learner, failing_input", [(_softmax_min_shift, "array([1000., 0.])"),
                                                     (_softmax_mean_shift, "array([ 1000., 0., -1000.])")])
def test_softmax_shift_by_min_or_mean_fails_with_the_max_hint(learner, failing_input):
    verdict = nb05.softmax.verdict(learner)
    assert not verdict.passed
    assert f"for input {failing_input}" in verdict.text
    assert verdict.hint == nb05.SHIFT_BY_MAX and "np.max(x, axis=axis, keepdims=True)" in verdict.hint


def test_both_checkers_use_the_logits_the_notebook_names():
    """The "Your turn" text says the checkers use [1000, 0] and [-1000, 0]."""
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "`[1000, 0]` and `[-1000, 0]`" in markdown
    for exercise in (nb05.softmax, nb05.log_softmax):
        inputs = [np.asarray(case.args[0]).tolist() for case in exercise.cases]
        assert [1000.0, 0.0] in inputs and [-1000.0, 0.0] in inputs, exercise.name


def _log_softmax_plus_epsilon(x, axis=-1):
    return np.log(cu.softmax(x, axis=axis) + 1e-12)


def _log_softmax_clipped(x, axis=-1):
    return np.log(np.clip(cu.softmax(x, axis=axis), 1e-300, None))


def _log_softmax_plus_log_sum_exp(x, axis=-1):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted + np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


@pytest.mark.parametrize("learner", [_log_softmax_plus_epsilon, _log_softmax_clipped])
def test_log_softmax_epsilon_fixes_get_the_never_log_a_probability_hint(learner):
    verdict = nb05.log_softmax.verdict(learner)
    assert not verdict.passed
    assert "for input array([1000., 0.])" in verdict.text
    assert verdict.hint == nb05.LOG_OF_FLOORED
    assert "-27.6" in verdict.hint and "-690.8" in verdict.hint   # the two numbers the hint quotes:
    assert f"{np.log(1e-12):.1f}" == "-27.6" and f"{np.log(1e-300):.1f}" == "-690.8"


def test_log_softmax_sign_slip_gets_its_hint():
    verdict = nb05.log_softmax.verdict(_log_softmax_plus_log_sum_exp)
    assert not verdict.passed
    assert verdict.hint == hint_of(nb05.log_softmax, wrong=nb05._shift_with_the_wrong_sign)
    assert "Check the sign" in verdict.hint


def test_floored_log_signature_does_not_fire_on_right_or_minus_inf_answers():
    signature = next(m.signature for m in nb05.log_softmax.mistakes if m.hint == nb05.LOG_OF_FLOORED)
    case = nb05.log_softmax.cases[2]
    assert np.asarray(case.args[0]).tolist() == [1000.0, 0.0]
    assert not signature(case, cu.log_softmax(np.array([1000.0, 0.0])))      # the right answer
    assert not signature(case, np.array([0.0, -np.inf]))                     # log(0): the divide-by-zero hint
    assert signature(case, np.array([0.0, np.log(1e-12)]))


def test_naive_formula_breaks_once_the_sum_overflows(scratch):
    """The pitfall: nan or all zeros once the SUM of the exponentials overflows."""
    with np.errstate(all="ignore"):
        below = scratch["softmax_naive"](np.array([709.5, 709.5]))   # each term finite, the sum is not
        above = scratch["softmax_naive"](np.array([710.0, 0.0]))
    assert np.all(np.isfinite(np.exp([709.5])))
    np.testing.assert_array_equal(below, [0.0, 0.0])
    assert np.isnan(above[0])
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "the sum of\n  the exponentials overflows" in markdown and "returns `nan` as soon as a" not in markdown


def test_review_wording_of_03_05():
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "$s_j / s_k = e^{a_j - a_k}$" in markdown and "y_j / y_k" not in markdown
    assert "The score 3 (item 7) is only 1.2 larger than the score 1.8 (item 6)" in markdown
    assert "targets $T$" not in markdown and "- T) / B" not in markdown
    assert "From here on we count classes from 0" in markdown
    assert "$z \\approx -745.1$" in markdown and "about $z = -746$" not in markdown
    smallest_positive = np.nextafter(0.0, 1.0)                           # 5e-324, a subnormal
    assert abs(np.log(smallest_positive) - np.log(2) - (-745.13)) < 0.01  # below log(it / 2), exp(z) rounds to 0
    assert np.exp(-745.0) > 0 and np.exp(-746.0) == 0                   # the grid points the text names
    assert "in $[0, 1]$ (in $(0, 1]$ on paper)" in markdown
    assert "`[-1000, -1001]`" in markdown


def test_choice_exercise_cell_offers_the_solution_the_text_points_to():
    cell = next(c.source for c in code_cells() if "nb05.output_layer.check(answer)" in c.source)
    assert "# nb05.output_layer.hint()" in cell and "# nb05.output_layer.solution()" in cell


def test_review2_wording_of_03_05():
    notebook = read("05")
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "one-hot vector of the largest score, 3 (item 7 in the bar chart, index 6)" in markdown
    exercise = markdown.split("### Exercise 3")[0]  # the text before the exercise must not give it away
    assert "dog *and* a person" not in exercise and "urgent *and* from a customer" in exercise
    assert "section 7 shows why it is not\nharmless once we take their logarithm" in markdown
    assert "the cells above and below are unchanged" not in code
    assert "this check does not use up draws from `rng`" in code
    assert "nearly uniform" not in markdown and "between 18 % and 32 % at $T = 5$" in markdown
    assert "every logit is below about $-745$" in markdown
