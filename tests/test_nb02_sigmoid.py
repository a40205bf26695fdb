"""Tests for notebook 02 (sigmoid): its from-scratch code, its stored outputs and its exercises."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils as cu
from course_utils.exercises import nb02
from tests.notebook_code import read, stored_text, tagged_code
from tests.test_nb00_welcome import (assert_choice_answers_spread, assert_numbered_sections,
                                     assert_solutions_paste_over_stubs)

NOTEBOOK = "02"


@pytest.fixture(scope="module")
def scratch() -> dict:
    return tagged_code(NOTEBOOK)


@pytest.fixture(scope="module")
def text() -> str:
    return stored_text(NOTEBOOK)


@pytest.fixture(scope="module")
def cells():
    return read(NOTEBOOK).cells


def _code_cells(cells):
    return [c for c in cells if c.cell_type == "code"]


def _outputs_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


# ------------------------------------------------------------------ (a) from-scratch code
def test_scratch_cells_define_the_two_sigmoids(scratch):
    assert callable(scratch["sig"])
    assert callable(scratch["sigmoid_stable"])


def test_naive_sig_agrees_with_reference_where_it_does_not_overflow(scratch):
    x = np.linspace(-700, 700, 14_001)
    with np.errstate(over="raise"):
        np.testing.assert_allclose(scratch["sig"](x), cu.sigmoid(x), rtol=1e-12, atol=0)


def test_naive_sig_overflows_below_minus_709_as_the_notebook_says(scratch):
    with np.errstate(over="raise"):
        scratch["sig"](np.array([-709.0]))  # still fine
        with pytest.raises(FloatingPointError):
            scratch["sig"](np.array([-710.0]))


def test_stable_sigmoid_matches_reference_on_a_wide_grid_without_overflow(scratch):
    x = np.concatenate([np.linspace(-1000, 1000, 20_001), [-np.inf, np.inf, -745.0, -746.0, 710.0, -710.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            mine = scratch["sigmoid_stable"](x)
    np.testing.assert_allclose(mine, cu.sigmoid(x), rtol=1e-15, atol=0)
    assert mine[-6] == 0.0 and mine[-5] == 1.0  # the limits at -inf and +inf


def test_stable_sigmoid_keeps_shapes_and_nan(scratch):
    sigmoid_stable = scratch["sigmoid_stable"]
    assert sigmoid_stable(0.0).shape == ()
    assert float(sigmoid_stable(0.0)) == 0.5
    grid = np.array([[-3.0, np.nan], [0.5, 40.0]])
    result = sigmoid_stable(grid)
    assert result.shape == (2, 2)
    assert np.isnan(result[0, 1])
    np.testing.assert_allclose(result[~np.isnan(grid)], cu.sigmoid(grid[~np.isnan(grid)]), rtol=1e-15)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=True, width=64))
def test_stable_sigmoid_matches_reference_for_any_float(scratch, x):
    sigmoid_stable = scratch["sigmoid_stable"]
    with np.errstate(over="raise", invalid="raise"):
        mine = float(sigmoid_stable(x))
    expected = float(cu.sigmoid(x))
    assert 0.0 <= mine <= 1.0
    assert mine == pytest.approx(expected, rel=1e-14, abs=0)


def test_notebook_stable_sigmoid_passes_the_exercise_checker(scratch):
    # The stable form shown in the notebook is a valid answer to exercise 1 (by another route).
    assert nb02.sigmoid.verdict(scratch["sigmoid_stable"]).passed


def test_notebook_naive_sig_fails_the_checker_with_the_overflow_hint(scratch):
    verdict = nb02.sigmoid.verdict(scratch["sig"])
    assert not verdict.passed
    assert verdict.hint.startswith(nb02.OVERFLOW_NEGATIVE)


# ------------------------------------------------------------------ (b) stored outputs
CLASSIC_PRINTOUT = """\
Applying Sigmoid Activation on (1.0) gives 0.7
Applying Sigmoid Activation on (-10.0) gives 0.0
Applying Sigmoid Activation on (0.0) gives 0.5
Applying Sigmoid Activation on (15.0) gives 1.0
Applying Sigmoid Activation on (-2.0) gives 0.1
"""


def test_classic_printout_is_stored_exactly(cells):
    outputs = [_outputs_of(c) for c in _code_cells(cells)]
    assert CLASSIC_PRINTOUT in outputs, "the five-line printout must be one cell's complete output"
    source = next(c.source for c in _code_cells(cells) if _outputs_of(c) == CLASSIC_PRINTOUT)
    assert "'Applying Sigmoid Activation on (%.1f) gives %.1f' % (x, sig(x))" in source


def test_more_digits_show_that_the_printout_was_rounded(text):
    assert "exact float64: 0.7310585786300049" in text
    assert "exact float64: 0.999999694097773" in text
    assert "exact float64: 4.5397868702434395e-05" in text


def test_the_point_where_sig_becomes_exactly_one_is_printed_and_really_is_the_smallest(scratch, text):
    match = re.search(r"smallest x with sig\(x\) == 1\.0 : ([0-9.]+)", text)
    assert match, "the notebook must print where sig(x) becomes exactly 1.0"
    x_exact_one = float(match.group(1))
    assert 36.7 < x_exact_one < 36.8
    sig = scratch["sig"]
    assert sig(x_exact_one) == 1.0
    assert sig(np.nextafter(x_exact_one, 0.0)) < 1.0
    assert x_exact_one == pytest.approx(53 * np.log(2), rel=1e-15)
    assert "no x below x_exact_one gives 1.0: True" in text


def test_source_plot_uses_its_grid_and_axis_labels(cells):
    sources = [c.source for c in _code_cells(cells)]
    plot = next(s for s in sources if "np.linspace(-10, 10, 50)" in s)
    assert 'xlabel="x"' in plot and 'ylabel="Sigmoid(x)"' in plot
    assert plot.rstrip().endswith("plt.show()")


def test_every_plot_cell_ends_with_show(cells):
    for cell in _code_cells(cells):
        if "plt.subplots" in cell.source or "plot_activation(" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()"), cell.source[:60]


def test_derivative_maximum_is_printed(text):
    assert "largest slope: 0.2500 at x = 0.0" in text
    match = re.search(r"max \|central difference - s\(1 - s\)\| = ([0-9.e+-]+)", text)
    assert match and float(match.group(1)) < 1e-8


def test_vanishing_gradient_table_shows_the_bound(text):
    assert " 1   2.500e-01" in text
    assert "10   9.537e-07" in text
    rows = re.findall(r"^\s*(\d+)\s+([0-9.e+-]+)\s+([0-9.e+-]+)$", text, flags=re.MULTILINE)
    table = {int(n): (float(b), float(s)) for n, b, s in rows}
    assert set(table) >= {1, 2, 3, 5, 10, 20}
    for n, (bound, sampled) in table.items():
        assert bound == pytest.approx(0.25 ** n, rel=1e-3)
        assert 0 < sampled <= bound  # the product of slopes can never beat the bound


def test_gradient_signs_are_shared_for_sigmoid_inputs(text):
    assert "sigmoid inputs [1. 1. 1. 1. 1.]" in text
    assert "sigmoid inputs [-1. -1. -1. -1. -1.]" in text
    assert re.search(r"tanh inputs \[[^\]]*-1\.[^\]]*\]", text), "tanh inputs should give mixed signs"
    assert "sigmoid inputs:  100% of steps move w1 and w2 in the same direction" in text


def test_zigzag_claims_match_the_printed_distances(text, cells):
    distances = dict(re.findall(r"(sigmoid|tanh)\s+inputs: .*distance to the target after 30 steps: ([0-9.]+)", text))
    assert float(distances["sigmoid"]) > 0.1
    assert float(distances["tanh"]) < 1e-4
    prose = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert f"{float(distances['sigmoid']):.2f} away from the target" in prose


def test_tanh_identity_is_verified(text):
    match = re.search(r"max \|tanh\(x\) - \(2 sigma\(2x\) - 1\)\| on \[-5, 5\]: ([0-9.e+-]+)", text)
    assert match and float(match.group(1)) < 1e-14


def test_overflow_is_caught_and_explained_without_warning_text(text, cells):
    assert "FloatingPointError caught: overflow encountered in exp" in text
    # No warning reached the outputs; the one printed line naming it is the counting demo's own print.
    assert not any(o.get("name") == "stderr" for c in _code_cells(cells) for o in c.outputs)
    warning_lines = [line for line in text.splitlines() if "Warning" in line]
    assert warning_lines == ["the warning shown: overflow encountered in exp (a RuntimeWarning)"]
    assert "sigmoid_stable(-745) = 4.941e-324" in text
    match = re.search(r"max \|sigmoid_stable - cu.sigmoid\| on \d+ inputs.*: ([0-9.e+-]+)", text)
    assert match and float(match.group(1)) == 0.0


def test_only_the_widget_cell_ignores_its_output(cells):
    marked = [c for c in _code_cells(cells) if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(marked) == 1
    assert marked[0].source.startswith("# NBVAL_IGNORE_OUTPUT")
    assert "NeuronExplorer(" in marked[0].source
    assert marked[0].source.rstrip().splitlines()[-1] == "explorer"


def test_exercise_stubs_are_stored_unsolved(cells, text):
    for name in ["02.sigmoid", "02.sigmoid_grad", "02.gradient_signs"]:
        assert f"⏳ {name}: not implemented yet" in text or f"⏳ {name}: not answered yet" in text
    assert "💡 Hints" not in text and "📖 Solution" not in text
    stubs = [c.source for c in _code_cells(cells) if "raise NotImplementedError  # your code here" in c.source]
    assert len(stubs) == 2


def test_template_parts_are_present(cells):
    markdown = [c.source for c in cells if c.cell_type == "markdown"]
    opening = markdown[0]
    assert opening.startswith("# 02 · Sigmoid")
    for part in ["**Learning objectives.**", "**Estimated time:**", "[01 · The threshold function](01_threshold.ipynb)"]:
        assert part in opening
    headings = [line for m in markdown for line in m.splitlines() if line.startswith("## ")]
    assert headings[-3:] == ["## Summary", "## Common pitfalls", "## References"]
    assert "## Your turn" in headings
    everything = "\n".join(markdown)
    assert "[glossary](../docs/glossary.md)" in everything
    assert "https://www.digitalocean.com/community/tutorials/sigmoid-activation-function-python" in everything
    setup = _code_cells(cells)[0].source
    assert "rng = cu.setup()" in setup and "from course_utils.exercises import nb02" in setup


# ------------------------------------------------------------------ (c) exercises
@pytest.mark.parametrize("exercise", [nb02.sigmoid, nb02.sigmoid_grad, nb02.gradient_signs])
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", [nb02.sigmoid, nb02.sigmoid_grad])
def test_stub_is_not_answered(exercise):
    def stub(x):
        raise NotImplementedError  # your code here

    assert exercise.verdict(stub).status == "not answered"
    assert exercise.verdict(lambda x: None).status == "not answered"
    assert exercise.verdict(...).status == "not answered"


def _naive(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _where_both_branches(x):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def _scalar_if(x):
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def _branches_swapped(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))


def _same_branch_both_sides(x):
    e = np.exp(-np.abs(np.asarray(x, dtype=float)))
    return 1 / (1 + e)


@pytest.mark.parametrize(
    "wrong, hint_part",
    [
        (_naive, "for every x < -709.78"),
        (_where_both_branches, "np.where evaluates *both*"),
        (lambda x: 1 / (1 + np.exp(np.asarray(x, dtype=float))), "σ(-x) = 1 - σ(x)"),
        (_branches_swapped, "branches"),
        (_same_branch_both_sides, "you used 1/(1+e) on both sides"),
        (_scalar_if, "`if x >= 0:` works on one number only"),
    ],
)
def test_sigmoid_mistakes_get_their_hint(wrong, hint_part):
    verdict = nb02.sigmoid.verdict(wrong)
    assert not verdict.passed
    assert verdict.hint is not None and hint_part in verdict.hint, verdict.text


def _stable(x):
    return cu.sigmoid(x)


@pytest.mark.parametrize(
    "wrong, hint_part",
    [
        (lambda x: _naive(x) * (1 - _naive(x)), "for every x < -709.78"),
        (lambda x: np.exp(-np.asarray(x, dtype=float)) / (1 + np.exp(-np.asarray(x, dtype=float))) ** 2,
         "for every x < -709.78"),
        (lambda x: _stable(x), "You returned σ(x) itself"),
        (lambda x: _stable(x) * (1 - np.asarray(x, dtype=float)), "not to x"),
        (lambda x: _stable(x) * (_stable(x) - 1), "The sign is flipped"),
        (lambda x: 1 - _stable(x) ** 2, "tanh's derivative"),
    ],
)
def test_sigmoid_grad_mistakes_get_their_hint(wrong, hint_part):
    verdict = nb02.sigmoid_grad.verdict(wrong)
    assert not verdict.passed
    assert verdict.hint is not None and hint_part in verdict.hint, verdict.text


def test_sigmoid_grad_accepts_the_stable_exp_form():
    def from_abs(x):
        e = np.exp(-np.abs(np.asarray(x, dtype=float)))
        return e / (1 + e) ** 2

    assert nb02.sigmoid_grad.verdict(from_abs).passed


@pytest.mark.parametrize("letter", [k for k in nb02.gradient_signs.options if k != nb02.gradient_signs.correct])
def test_gradient_signs_wrong_letters_explain_themselves(letter):
    verdict = nb02.gradient_signs.verdict(letter)
    assert not verdict.passed
    assert verdict.hint == nb02.gradient_signs.explanations[letter]


def test_gradient_signs_answer_format():
    assert nb02.gradient_signs.verdict(f" {nb02.gradient_signs.correct.upper()} ").passed
    assert not nb02.gradient_signs.verdict("e").passed
    assert nb02.gradient_signs.verdict(...).status == "not answered"


def test_gradient_signs_claim_holds_numerically():
    # The claim behind the correct answer: dL/dw_i = delta * a_i has the sign of delta when a_i > 0.
    a = cu.sigmoid(np.random.default_rng(2).normal(size=(100, 3)) * 10)
    assert np.all(a > 0)
    assert np.all(np.sign(-0.3 * a) == -1)


# ------------------------------------------------------------------ (d) the claims of issue 10
def _markdown(cells) -> str:
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


def test_sigma_minus_745_true_and_computed_values_are_told_apart(text, cells):
    """True σ(-745) ≈ 2.82e-324; float64 rounds it up to 2^-1074 ≈ 4.94e-324; σ(-746) rounds to 0."""
    assert "x = -745: true sigma(x) = e^x / (1 + e^x) = 2.82e-324, float64 result = 4.941e-324" in text
    assert "x = -746: true sigma(x) = e^x / (1 + e^x) = 1.04e-324, float64 result = 0.000e+00" in text
    assert "half of it:                2^-1075 = 2.47e-324" in text
    assert float(cu.sigmoid(-745.0)) == np.finfo(np.float64).smallest_subnormal
    prose = _markdown(cells)
    assert "2.8 \\times 10^{-324}" in prose and "rounds it *up*" in prose
    assert "\\sigma(-745) \\approx 4.9 \\times 10^{-324}$, the smallest" not in prose


def test_python_warns_once_per_location_not_on_every_input(text, cells):
    assert "1000 overflowing calls of sig: 1 warning shown" in text
    prose = _markdown(cells)
    assert "floods" not in prose and "once per line of code" in prose


def test_the_exact_zero_of_the_naive_slope_at_minus_700_is_explained(text, cells):
    assert "(1 + e^700)^2 in float64      = inf" in text
    assert "naive slope at -700            = 0.0" in text
    assert "s(1 - s) with s = sigma(-700)  = 9.860e-305" in text
    assert "overflows to $\\infty$" in _markdown(cells)


def test_the_vanishing_bound_is_an_upper_bound_and_names_the_weights(cells):
    prose = _markdown(cells)
    assert "at least a factor" not in prose and "by at least $0.25^n$" not in prose
    assert "a factor of at most $0.25^n$" in prose and "\\prod_k w_k" in prose


def test_sections_are_numbered_and_headings_start_their_cells(cells):
    assert_numbered_sections(read(NOTEBOOK))


def test_solutions_paste_over_the_stubs():
    assert_solutions_paste_over_stubs(read(NOTEBOOK), nb02)


def test_choice_answers_are_spread_over_the_options():
    from course_utils.exercises import nb00, nb01
    assert_choice_answers_spread([nb00.why_nonlinear, nb01.information_loss, nb01.no_gradient,
                                  nb02.gradient_signs])


# ------------------------------------------------------------------ (e) the sigmoid checker cannot be fooled
def _silenced_naive(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _silenced_with_warnings_module(x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _clipped(x):
    return 1 / (1 + np.exp(-np.clip(np.asarray(x, dtype=float), -500, 500)))


def _clipped_709(x):
    return 1 / (1 + np.exp(-np.clip(np.asarray(x, dtype=float), -709, 709)))


def _tanh_form(x):
    return 0.5 * (1 + np.tanh(np.asarray(x, dtype=float) / 2))


def _one_minus(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), 1 - 1 / (1 + e))


def _exp_x_everywhere(x):
    x = np.asarray(x, dtype=float)
    return np.exp(x) / (1 + np.exp(x))


def _math_exp(x):
    import math
    return 1 / (1 + math.exp(-x))


def _in_place(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    x[...] = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return x


@pytest.mark.parametrize("wrong, hint", [
    (_silenced_naive, "SILENCED"),
    (_silenced_with_warnings_module, "SILENCED"),
    (_clipped, "CLIPPED"),
    (_clipped_709, "CLIPPED"),
    (_tanh_form, "CANCELLATION"),
    (_one_minus, "CANCELLATION"),
    (_math_exp, "MATH_EXP"),
    (_in_place, "READ_ONLY"),
])
def test_sigmoid_checker_fails_hidden_or_inaccurate_answers_with_a_targeted_hint(wrong, hint):
    verdict = nb02.sigmoid.verdict(wrong)
    assert not verdict.passed, verdict.text
    assert verdict.hint == getattr(nb02, hint).hint, verdict.text
    assert "Traceback" not in verdict.text


def test_overflow_hint_names_the_side_that_overflows():
    negative = nb02.sigmoid.verdict(_naive)
    positive = nb02.sigmoid.verdict(_exp_x_everywhere)
    both = nb02.sigmoid.verdict(_where_both_branches)
    assert "x < -709.78" in negative.hint and "x > 709.78" not in negative.hint
    assert "x > 709.78" in positive.hint and "very positive x" in positive.hint
    assert "x < -709.78" in both.hint and "very positive x" in both.hint


def _masked(x):
    x = np.asarray(x, dtype=float)
    result = np.empty_like(x)
    negative = x < 0
    result[~negative] = 1 / (1 + np.exp(-x[~negative]))
    result[negative] = np.exp(x[negative]) / (1 + np.exp(x[negative]))
    return result


@pytest.mark.parametrize("correct", [
    lambda x: np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float))),
    _masked,
])
def test_sigmoid_checker_accepts_other_accurate_routes(scratch, correct):
    assert nb02.sigmoid.verdict(correct).passed
    assert nb02.sigmoid.verdict(scratch["sigmoid_stable"]).passed


def test_sigmoid_checker_tests_the_subnormal_tail():
    inputs = np.concatenate([case.args[0].ravel() for case in nb02.sigmoid.cases])
    for x0 in (-720.0, -740.0, -800.0):
        assert x0 in inputs
    assert nb02.sigmoid.atol < np.finfo(np.float64).smallest_subnormal * 3


def test_redefining_the_reference_does_not_change_the_verdict(monkeypatch):
    fake = lambda x: np.full(np.shape(x), 0.5)  # noqa: E731
    monkeypatch.setattr(cu.activations, "sigmoid", fake)
    monkeypatch.setattr(cu, "sigmoid", fake)
    assert nb02.sigmoid.verdict(nb02.sigmoid.model_answer()).passed
    assert not nb02.sigmoid.verdict(fake).passed


def test_first_hint_is_a_nudge_and_the_last_nearly_the_answer():
    for exercise in (nb02.sigmoid, nb02.sigmoid_grad):
        first, last = exercise.hints[0], exercise.hints[-1]
        assert len(exercise.hints) >= 3
        assert "np.abs" not in first and "np.where" not in first and "s * (1 - s)" not in first
    assert "np.where" in nb02.sigmoid.hints[-1]
    assert "s * (1 - s)" in nb02.sigmoid_grad.hints[-1]


# ------------------------------------------------------------------ (f) review 00-02: honest verdicts
def _where_silenced(x):
    """The notebook's own safe formula, needlessly wrapped in np.errstate: right values, silenced warnings."""
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _two_exp_where_silenced(x):
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


@pytest.mark.parametrize("answer", [_where_silenced, _two_exp_where_silenced])
def test_right_values_with_silenced_warnings_fail_without_a_false_hint(answer):
    verdict = nb02.sigmoid.verdict(answer)
    assert not verdict.passed
    assert verdict.hint == nb02.VALUES_RIGHT_BUT_SILENCED, verdict.text
    assert "your values are right on every test input" in verdict.text
    assert "far negative tail" not in verdict.text


def _float32_sigmoid(x):
    x = np.asarray(x, dtype=np.float32)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


@pytest.mark.parametrize("answer, note", [
    (_float32_sigmoid, "your result is float32"),
    (lambda x: _float32_sigmoid(x).astype(float), "agree to about 6 significant digits"),
])
def test_float32_answers_are_told_about_precision(answer, note):
    verdict = nb02.sigmoid.verdict(answer)
    assert not verdict.passed
    assert verdict.hint == nb02.LOW_PRECISION_HINT and note in verdict.text, verdict.text


def test_the_product_form_of_the_slope_passes_with_a_note_and_the_model_answer_without():
    def product_form(x):
        s = cu.sigmoid(x)
        return s * (1 - s)

    verdict = nb02.sigmoid_grad.verdict(product_form)
    assert verdict.passed and "gives 0.0 at x = 40" in verdict.text, verdict.text
    model = nb02.sigmoid_grad.verdict(nb02.sigmoid_grad.model_answer())
    assert model.passed and "Note" not in model.text
    assert float(cu.sigmoid(40.0)) == 1.0 and float(cu.sigmoid_grad(40.0)) == pytest.approx(4.248e-18, rel=1e-3)


def test_the_prose_about_cu_sigmoid_matches_its_source(cells):
    import inspect
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    source = inspect.getsource(cu.activations.sigmoid)
    assert "in a single `np.where`" not in markdown
    assert "np.where" not in source.split('"""')[-1]
    if "`np.maximum(e, x >= 0)`" in markdown:
        assert "np.maximum(e, x >= 0)" in source


def test_the_slope_limits_in_the_prose_match_the_printed_numbers(cells, text):
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for name in ("float64", "float32"):
        printed = re.search(rf"^{name}: \(1 \+ e\^-x\)\^2 overflows below x = (-[0-9.]+)$", text, re.MULTILINE)
        assert printed and f"$x = {printed.group(1)}$" in markdown, name
    assert "float32 naive slope at x = -44: 7.781e-20, at x = -45: 0.000e+00" in text
    assert re.search(r"^x = 40: s\(1 - s\) = 0\.0000e\+00 .* cu\.sigmoid_grad = 4\.2484e-18", text, re.MULTILINE)
    assert re.search(r"^x = 30: .* relative error 1\.0e-03$", text, re.MULTILINE)


def test_the_height_example_uses_notebook_01s_model(text):
    k, h0 = 14 / 49, 169.0
    for height in (150, 160, 170, 180, 190):
        p = float(cu.sigmoid(k * (height - h0)))
        assert re.search(rf"height {height} cm -> P\(man\) = sigma\([+-][0-9.]+\) = {p:.3f}$", text, re.MULTILINE)
    assert "0.881" not in text


# ------------------------------------------------------------------ (g) second review of 00-02
@pytest.mark.parametrize("exercise, bypass", [
    (nb02.sigmoid, lambda x: cu.sigmoid(x)),
    (nb02.sigmoid, lambda x: cu.activations.sigmoid(np.asarray(x, dtype=float))),
    (nb02.sigmoid, cu.sigmoid),
    (nb02.sigmoid_grad, lambda x: cu.sigmoid_grad(x)),
    (nb02.sigmoid_grad, cu.sigmoid_grad),
], ids=["sigmoid via cu", "sigmoid via activations", "sigmoid itself", "grad via cu", "grad itself"])
def test_answers_that_call_the_reference_fail_with_a_friendly_verdict(exercise, bypass):
    originals = cu.sigmoid, cu.sigmoid_grad, cu.activations.sigmoid, cu.activations.sigmoid_grad
    verdict = exercise.verdict(bypass)
    assert not verdict.passed and verdict.hint == exercise.calls_reference_hint, verdict.text
    assert f"calls `cu.{exercise.reference_name}`" in verdict.text and "Traceback" not in verdict.text
    assert (cu.sigmoid, cu.sigmoid_grad, cu.activations.sigmoid, cu.activations.sigmoid_grad) == originals


def test_the_slope_may_use_cu_sigmoid():
    def product_form(x):
        s = cu.sigmoid(x)
        return s * (1 - s)

    assert nb02.sigmoid_grad.verdict(product_form).passed


def test_the_naive_slope_with_its_warning_silenced_gets_a_targeted_hint():
    def silenced_slope(x):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(-np.asarray(x, dtype=float))
            return e / (1 + e) ** 2

    verdict = nb02.sigmoid_grad.verdict(silenced_slope)
    assert not verdict.passed and verdict.hint == nb02.SILENCED_SLOPE.hint, verdict.text
    assert "nan" in verdict.text


def test_the_exercise_texts_forbid_the_references(cells):
    prose = " ".join(_markdown(cells).split())
    assert "without calling `cu.sigmoid`" in prose and "without calling `cu.sigmoid_grad`" in prose


def test_second_review_corrections_are_in_the_prose(cells, text):
    prose = " ".join(_markdown(cells).split())
    code = "\n".join(c.source for c in _code_cells(cells))
    assert "(0.959: probably, not certainly)" in prose and "height 180 cm -> P(man) = sigma(+3.14) = 0.959" in text
    assert "it overflows for x < -709.78)" in code
    assert "even if it hides the warning with `np.errstate` or clips" not in prose          # clipping never gives 0.0
    assert "\\sigma(-500) \\approx 7.1 \\times 10^{-218}" in prose
    assert float(cu.sigmoid(-500.0)) == pytest.approx(7.1e-218, rel=0.01)
    # "saturate" means the flat tails only; float64's exact 1.0 is said in plain words
    assert not re.search(r"(?<!\*)\*saturates\*(?!\*)", prose) and "on: it saturates" not in prose
    assert "x_saturate" not in code
    assert "the computed sigmoid is stuck at 1" in prose
    # 53 ln 2 is not a float64: the float nearest to it lies just below it and still gives 1 - 2.2e-16,
    # and the next float up is the first that gives exactly 1.0 (third review).
    assert "But $53 \\ln 2$ is not a float64" in prose and "the first to give exactly 1.0" in prose
    nearest = 53 * np.log(2)
    assert 1 / (1 + np.exp(-nearest)) < 1.0 == 1 / (1 + np.exp(-np.nextafter(nearest, 100.0)))
    assert repr(float(np.nextafter(nearest, 100.0))) == "36.73680056967711"
    assert 1.0 + 2.0 ** -53 == 1.0 and 1.0 + 2.0 ** -52 > 1.0
    assert "From here on, $x$ is the neuron's input and $z = wx + b$ its pre-activation." in prose


def test_the_delta_example_does_not_print_the_answer_to_exercise_3(text):
    assert "delta = -0.3" not in text and "delta = -0.5" in text
    assert "dL/dz = -0.3" in nb02.gradient_signs.question


def test_the_gradient_figure_has_no_zero_line(cells):
    figure = next(c.source for c in _code_cells(cells) if "Gradient factor through n sigmoid layers" in c.source)
    assert "zero_lines=False" in figure


def test_bold_is_kept_for_terms(cells):
    prose = _markdown(cells)
    for emphasis in ("greater than 1", "one decimal place", "rounds to exactly 1", "at most", "once per line of code",
                     "up together or down together", "only on its own entries", "warning-free and accurate", "both"):
        assert f"**{emphasis}**" not in prose and f"*{emphasis}*" in prose, emphasis
