"""Notebook 01 (threshold / step function): from-scratch code, stored outputs and exercises."""

import re

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb01
from course_utils.widgets import ThresholdExplorer
from tests.notebook_code import read, stored_text, tagged_code
from tests.test_nb00_welcome import (assert_choice_answers_spread, assert_numbered_sections,
                                     assert_solutions_paste_over_stubs)

GRID = np.arange(-10, 10, 0.01)


@pytest.fixture(scope="module")
def scratch():
    return tagged_code("01")


@pytest.fixture(scope="module")
def outputs():
    return stored_text("01")


@pytest.fixture(scope="module")
def sources():
    return [c.source for c in read("01").cells if c.cell_type == "code"]


def stub(*args, **kwargs):
    raise NotImplementedError


# ------------------------------------------------------------------ from scratch
@pytest.mark.parametrize("threshold", [-2.5, -0.01, 0.0, 0.01, 1.0, 3.0, 9.99])
def test_threshold_function_agrees_with_course_utils_on_the_grid(scratch, threshold):
    ours = scratch["threshold_function"](GRID, threshold)
    np.testing.assert_array_equal(ours, cu.step(GRID, threshold))


@pytest.mark.parametrize("threshold", [-3.0, 0.0, 0.5, 160.0])
def test_threshold_function_gives_zero_exactly_at_the_threshold(scratch, threshold):
    points = np.array([threshold - 1e-9, threshold, threshold + 1e-9, np.nextafter(threshold, np.inf)])
    np.testing.assert_array_equal(scratch["threshold_function"](points, threshold), [0, 0, 1, 1])
    np.testing.assert_array_equal(cu.step(points, threshold), [0, 0, 1, 1])


def test_threshold_function_keeps_the_shape(scratch):
    x = np.array([[-1.0, 2.0], [0.0, 5.0]])
    ours = scratch["threshold_function"](x)
    assert ours.shape == (2, 2)
    np.testing.assert_array_equal(ours, cu.step(x))


def test_central_difference_agrees_with_numerical_gradient(scratch):
    central_difference = scratch["central_difference"]
    x = np.linspace(-4, 4, 41)
    for function in (cu.sigmoid, cu.tanh, cu.softplus):
        ours = central_difference(function, x)
        reference = cu.numerical_gradient(lambda v, f=function: np.sum(f(v)), x)
        np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(central_difference(cu.sigmoid, x), cu.sigmoid_grad(x), rtol=1e-6, atol=1e-9)


def test_central_difference_of_the_step_is_zero_away_from_and_huge_at_the_threshold(scratch):
    central_difference = scratch["central_difference"]
    away = GRID[np.abs(GRID) > 1e-3]
    np.testing.assert_array_equal(central_difference(cu.step, away), np.zeros_like(away))
    assert float(central_difference(cu.step, 0.0, 1e-6)) == pytest.approx(5e5)


# ---------------------------------------------------------------- stored outputs
def test_the_tutorial_plot_uses_its_grid_and_a_grid(sources):
    plot_cells = [s for s in sources if "plt.show()" in s and "threshold_function(z)" in s]
    assert plot_cells, "the tutorial's plot cell is missing"
    assert "np.arange(-10, 10, 0.01)" in plot_cells[0] and "grid(True)" in plot_cells[0]


def test_step_examples_and_scalar_pitfall_are_shown(outputs):
    assert "threshold 0          : [0 0 0 1 1]" in outputs
    assert "threshold 0.5        : [0 0 0 0 1]" in outputs
    assert "ValueError: The truth value of an array with more than one element is ambiguous" in outputs


def test_comparison_with_course_utils_is_exact(outputs):
    differences = re.findall(r"max \|ours - course_utils\| = (\S+)", outputs)
    assert len(differences) == 3 and all(float(d) == 0.0 for d in differences)
    assert "the one nearest to 0 is -2.1e-13, not 0" in outputs


def test_hard_thresholds_at_160_and_180_cm(outputs):
    assert "threshold 160 cm, accuracy 70.0%" in outputs
    assert "threshold 180 cm, accuracy 64.4%" in outputs
    # The prose quotes these counts: 12 men at or below 160 cm, 2 women above 180 cm.
    assert re.search(r"at or below \(output 0, 'woman'\):\s+413 women,\s+12 men", outputs)
    assert re.search(r"above\s+\(output 1, 'man'\)  :\s+2 women,\s+290 men", outputs)


def test_probability_table_rises_smoothly(outputs):
    rows = re.findall(r"^\s*(\d+) cm\s+([01])\s+([01])\s+(\d+)% of\s+\d+\s+([0-9.]+)$", outputs, re.MULTILINE)
    assert [int(r[0]) for r in rows] == [150, 160, 165, 170, 175, 180, 190]
    probabilities = [float(r[4]) for r in rows]
    assert probabilities == sorted(probabilities) and 0 < probabilities[0] < 0.01 and probabilities[-1] > 0.99
    expected = cu.sigmoid(14 / 49 * (np.array([150, 160, 165, 170, 175, 180, 190]) - 169.0))
    np.testing.assert_allclose(probabilities, np.round(expected, 3))
    step_160 = [int(r[1]) for r in rows]
    assert step_160 == [0, 0, 1, 1, 1, 1, 1]   # 160 cm itself gives 0: the strict >


def test_derivative_blows_up_at_the_threshold(outputs):
    for eps, slope in [("1e-01", "5"), ("1e-02", "50"), ("1e-04", "5,000"), ("1e-06", "500,000")]:
        assert re.search(rf"eps = {eps}:.*= +{slope}$", outputs, re.MULTILINE), eps
    assert "max |ours - reference| = 0.0" in outputs


def test_gradient_descent_stalls_for_step_and_moves_for_sigmoid(outputs):
    step = re.search(r"step neuron\s*: gradient at 150 cm = (\S+), after 200 steps theta = ([0-9.]+) cm", outputs)
    sigmoid = re.search(r"sigmoid neuron: gradient at 150 cm = (\S+), after 200 steps theta = ([0-9.]+) cm, "
                        r"error rate of step\(h - theta\) = ([0-9.]+)%", outputs)
    assert step and float(step.group(1)) == 0.0 and float(step.group(2)) == 150.0
    assert sigmoid and float(sigmoid.group(1)) < 0 and abs(float(sigmoid.group(2)) - 169.0) < 1.0
    assert float(sigmoid.group(3)) < 20.0


def test_exercise_stubs_are_stored_unsolved(outputs):
    for name in ("01.step", "01.information_loss", "01.no_gradient"):
        assert f"⏳ {name}: not implemented yet" in outputs or f"⏳ {name}: not answered yet" in outputs
        assert f"✅ {name}" not in outputs
    assert "💡 Hints" not in outputs and "📖 Solution" not in outputs


def test_widget_cell_is_the_only_ignored_cell(sources):
    marked = [s for s in sources if "NBVAL_IGNORE_OUTPUT" in s]
    assert len(marked) == 1 and marked[0].startswith("# NBVAL_IGNORE_OUTPUT")
    assert marked[0].rstrip().splitlines()[-1].startswith("ThresholdExplorer(")


def test_threshold_explorer_on_the_notebook_data_counts_correctly():
    rng = np.random.default_rng(0)   # the notebook's cu.setup() seed
    women, men = rng.normal(162.0, 7.0, 1000), rng.normal(176.0, 7.0, 1000)
    explorer = ThresholdExplorer(women, men, labels=("women", "men"), threshold=160.0, unit="(cm)")
    assert explorer.update() == "threshold 160.0: 413/1000 women and 988/1000 men correct, accuracy 70.0%"


# --------------------------------------------------------------------- exercises
def test_step_model_answer_passes():
    verdict = nb01.step.verdict(nb01.step.model_answer())
    assert verdict.passed, verdict.text


def test_step_stub_is_not_answered():
    assert nb01.step.verdict(stub).status == "not answered"


def test_step_catches_greater_or_equal():
    verdict = nb01.step.verdict(lambda x, threshold=0.0: (np.asarray(x) >= threshold).astype(float))
    assert not verdict.passed and "`>` rather than `>=`" in verdict.hint


def test_step_catches_an_ignored_threshold():
    verdict = nb01.step.verdict(lambda x, threshold=0.0: (np.asarray(x) > 0).astype(float))
    assert not verdict.passed and "threshold" in verdict.hint


def test_step_catches_scalar_only_code():
    def step(x, threshold=0.0):
        if x > threshold:
            return 1.0
        return 0.0

    verdict = nb01.step.verdict(step)
    assert not verdict.passed and verdict.hint == nb01.SCALAR_ONLY.hint


def test_step_accepts_the_tutorials_integer_version():
    verdict = nb01.step.verdict(lambda x, threshold=0: np.array(x > threshold, dtype=np.int32))
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", [nb01.information_loss, nb01.no_gradient], ids=lambda e: e.name)
def test_choice_exercises(exercise):
    assert exercise.verdict(exercise.model_answer()).passed
    assert exercise.verdict(...).status == "not answered"
    for letter in exercise.options:
        if letter != exercise.correct:
            verdict = exercise.verdict(letter)
            assert not verdict.passed and verdict.hint == exercise.explanations[letter]
    assert not exercise.verdict("z").passed


def test_step_answer_that_changes_its_input_fails_and_the_test_inputs_survive():
    def step(x, threshold=0.0):
        x[...] = x > threshold          # overwrites the caller's array
        return x

    before = [np.array(case.args[0], copy=True) for case in nb01.step.cases]
    verdict = nb01.step.verdict(step)
    assert not verdict.passed and "in place" in verdict.hint
    for old, case in zip(before, nb01.step.cases):
        np.testing.assert_array_equal(old, case.args[0])
    assert nb01.step.verdict(nb01.step.model_answer()).passed


def test_redefining_cu_step_does_not_change_the_verdict(monkeypatch):
    monkeypatch.setattr(cu.activations, "step", lambda x, threshold=0.0: np.zeros(np.shape(x)))
    monkeypatch.setattr(cu, "step", lambda x, threshold=0.0: np.zeros(np.shape(x)))
    assert nb01.step.verdict(nb01.step.model_answer()).passed
    assert not nb01.step.verdict(lambda x, threshold=0.0: np.zeros(np.shape(x))).passed


def test_information_loss_option_agrees_with_the_notebooks_model():
    """The correct option quotes P(man | 171 cm) and P(man | 195 cm) of the notebook's exact model."""
    k, h0 = 14 / 49, 169.0
    p171, p195 = (float(cu.sigmoid(k * (h - h0))) for h in (171, 195))
    text = nb01.information_loss.options[nb01.information_loss.correct]
    assert f"P(man | 171 cm) ≈ {p171:.2f}" in text and 0.6 < p171 < 0.7
    assert "P(man | 195 cm) > 0.99" in text and p195 > 0.99
    assert "exact model" in text and "in the notebook's data" not in text   # the data give 0.58 at 171 cm
    assert f"The notebook's exact model gives P(man | 171 cm) ≈ {p171:.2f}" in nb01.information_loss.hints[-1]
    assert "barely" not in " ".join(nb01.information_loss.options.values())


def test_information_loss_distractor_is_false_not_half_true():
    """Option (c) used to say that the neuron keeps only the side of 170 cm, which is true."""
    options = nb01.information_loss.options
    assert "keeps only which side" not in " ".join(options.values())
    assert options["c"].startswith("The threshold:") and nb01.information_loss.correct != "c"
    assert "170 cm" in nb01.information_loss.explanations["c"]


def test_the_dots_sentence_matches_the_binned_data():
    """Near 169 cm the bins at 169 and 171 cm give 0.57 and 0.58: one above the curve, one below."""
    from course_utils.notebook_setup import SEED
    rng = np.random.default_rng(SEED)                  # the notebook's draws, in the notebook's order
    women, men = rng.normal(162.0, 7.0, size=1000), rng.normal(176.0, 7.0, size=1000)
    heights = np.concatenate([women, men])
    is_man = np.concatenate([np.zeros(1000), np.ones(1000)])
    fraction = {centre: is_man[(heights >= centre - 1) & (heights < centre + 1)].mean() for centre in (169, 171)}
    curve = {centre: float(cu.sigmoid(14 / 49 * (centre - 169.0))) for centre in (169, 171)}
    assert abs(fraction[169] - fraction[171]) < 0.01
    assert fraction[169] > curve[169] and fraction[171] < curve[171]
    markdown = "\n".join(c.source for c in read("01").cells if c.cell_type == "markdown")
    assert (f"the dots at 169 and 171 cm sit at {fraction[169]:.2f} and {fraction[171]:.2f}: the first above the "
            f"curve's {curve[169]:.2f}, the second below its {curve[171]:.2f}") in markdown


def test_one_symbol_one_meaning_in_the_prose():
    """The step's input is z in the maths; bold x is only ever the neuron's input vector."""
    markdown = "\n".join(c.source for c in read("01").cells if c.cell_type == "markdown")
    assert "\\mathrm{step}(z)" in markdown
    assert not re.search(r"\$x\b|\$x [=<>]|\\mathrm\{step\}\(x\)|f'\(x\)", markdown)


def test_sections_are_numbered_and_headings_start_their_cells():
    assert_numbered_sections(read("01"))


def test_solutions_paste_over_the_stubs():
    assert_solutions_paste_over_stubs(read("01"), nb01)


def test_hints_go_from_a_nudge_to_the_answer():
    hints = nb01.step.hints
    assert len(hints) >= 2 and ".astype(float)" not in hints[0] and "return" in hints[-1]


# ------------------------------------------------------------------ review 00-02: booleans, prose
def test_step_that_returns_booleans_fails_with_a_hint():
    verdict = nb01.step.verdict(lambda x, threshold=0.0: np.asarray(x) > threshold)
    assert not verdict.passed and verdict.hint == nb01.BOOLEAN_HINT, verdict.text
    assert "True/False" in verdict.text and "Traceback" not in verdict.text


def test_summary_gives_the_sign_of_the_bias_and_does_not_call_relu_smooth():
    markdown = "\n".join(c.source for c in read("01").cells if c.cell_type == "markdown")
    assert "b = -\\theta" in markdown
    assert "the threshold plays the\n  role of the bias" not in markdown
    assert "Smooth activations fix this" not in markdown and "replaced the step with\nsmooth" not in markdown
    assert "`.astype(float)`" in markdown and "`np.array(..., dtype=np.int32)`" in markdown


def test_the_170_cm_sentence_matches_the_table(outputs):
    row = re.search(r"^ 170 cm .* (\d+)% of\s+\d+\s+([0-9.]+)$", outputs, re.MULTILINE)
    assert row, "170 cm row missing"
    markdown = "\n".join(c.source for c in read("01").cells if c.cell_type == "markdown")
    assert f"({row.group(1)}% in the data, {row.group(2)} by the exact formula" in markdown


@pytest.mark.parametrize("bypass", [
    lambda x, threshold=0.0: cu.step(x, threshold),
    lambda x, threshold=0.0: cu.activations.step(x, threshold=threshold),
    cu.step,
], ids=["cu.step", "activations.step", "the reference itself"])
def test_step_that_calls_cu_step_fails_with_a_friendly_verdict(bypass):
    original = cu.step
    verdict = nb01.step.verdict(bypass)
    assert not verdict.passed and verdict.hint == nb01.CALLS_REFERENCE_HINT, verdict.text
    assert "calls `cu.step`" in verdict.text and "Traceback" not in verdict.text
    assert cu.step is original and cu.activations.step is original     # the recording wrapper is gone
    assert nb01.step.verdict(nb01.step.model_answer()).passed


def test_the_exercise_text_forbids_cu_step():
    markdown = "\n".join(c.source for c in read("01").cells if c.cell_type == "markdown")
    assert "without calling `cu.step`" in markdown


def test_the_recording_wrapper_is_removed_when_the_answer_is_stopped(monkeypatch):
    monkeypatch.setattr(nb01.step, "time_limit", 0.5)
    original = cu.step

    def calls_then_hangs(x, threshold=0.0):
        cu.step(x, threshold)
        while True:
            pass

    verdict = nb01.step.verdict(calls_then_hangs)
    assert not verdict.passed and verdict.text.startswith("⏱"), verdict.text
    assert cu.step is original and cu.activations.step is original
