"""Notebook 04 (ReLU and its variants): from-scratch code, stored examples and exercises."""

from __future__ import annotations

import re

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb04
from tests.notebook_code import read, stored_text, tagged_code

NOTEBOOK = "04"

# A grid that includes the kink, tiny values, and inputs where a naive exp overflows.
GRID = np.concatenate([
    np.linspace(-10, 10, 2001),
    [0.0, -0.0, 1e-300, -1e-300, -40.0, 40.0, -745.0, 710.0, 800.0, -800.0, 1e300, -1e300],
])
ALPHAS = [0.0, 0.01, 0.1, 0.5, 1.0, 2.0]


@pytest.fixture(scope="module")
def scratch() -> dict:
    return tagged_code(NOTEBOOK)  # scratch cells may use `np`; tagged_code provides it


@pytest.fixture(scope="module")
def outputs() -> str:
    return stored_text(NOTEBOOK)


@pytest.fixture(scope="module")
def code_cells() -> list:
    return [c for c in read(NOTEBOOK).cells if c.cell_type == "code"]


# ------------------------------------------------------------------ (a) from-scratch code
def test_scratch_cells_define_the_four_functions(scratch):
    for name in ["relu", "leaky_relu", "elu", "softplus"]:
        assert callable(scratch.get(name)), f"no scratch cell defines {name}"


def test_scratch_relu_matches_course_utils(scratch):
    np.testing.assert_array_equal(scratch["relu"](GRID), cu.relu(GRID))
    batch = GRID[:2000].reshape(40, 50)
    np.testing.assert_array_equal(scratch["relu"](batch), cu.relu(batch))


@pytest.mark.parametrize("alpha", ALPHAS)
def test_scratch_leaky_relu_matches_course_utils(scratch, alpha):
    finite = GRID  # alpha = 0 and -inf would give 0 * -inf; the grid is finite
    np.testing.assert_allclose(scratch["leaky_relu"](finite, alpha), cu.leaky_relu(finite, alpha), rtol=0, atol=0)


def test_scratch_leaky_relu_default_alpha_is_001(scratch):
    np.testing.assert_array_equal(scratch["leaky_relu"](np.array([-10.0, -20.0])), [-0.1, -0.2])


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_scratch_elu_matches_course_utils_without_warnings(scratch, alpha):
    # pytest turns RuntimeWarning into an error (pyproject), so an overflowing exp fails here.
    np.testing.assert_allclose(scratch["elu"](GRID, alpha), cu.elu(GRID, alpha), rtol=1e-15, atol=0)


def test_scratch_softplus_matches_course_utils_in_both_tails(scratch):
    np.testing.assert_allclose(scratch["softplus"](GRID), cu.softplus(GRID), rtol=1e-15, atol=0)
    assert scratch["softplus"](np.array([-40.0]))[0] > 0  # the naive form gives exactly 0 here
    assert scratch["softplus"](np.array([800.0]))[0] == 800.0


def test_scratch_functions_accept_scalars(scratch):
    assert float(scratch["relu"](-3.0)) == 0.0
    assert float(scratch["leaky_relu"](-3.0, 0.1)) == pytest.approx(-0.3)
    assert float(scratch["elu"](0.0)) == 0.0
    assert float(scratch["softplus"](0.0)) == pytest.approx(np.log(2.0))


# ------------------------------------------------------------------ (b) stored examples
RELU_LINES = """\
Applying Relu on (1.0) gives 1.0
Applying Relu on (-10.0) gives 0.0
Applying Relu on (0.0) gives 0.0
Applying Relu on (15.0) gives 15.0
Applying Relu on (-20.0) gives 0.0
"""

LEAKY_LINES = """\
Applying Leaky Relu on (1.0) gives 1.0
Applying Leaky Relu on (-10.0) gives -0.1
Applying Leaky Relu on (0.0) gives 0.0
Applying Leaky Relu on (15.0) gives 15.0
Applying Leaky Relu on (-20.0) gives -0.2
"""


def test_scalar_relu_printout_reproduced_exactly(outputs):
    assert RELU_LINES in outputs


def test_scalar_leaky_relu_printout_reproduced_exactly(outputs):
    assert LEAKY_LINES in outputs


def test_scalar_versions_use_the_tutorials_code(code_cells):
    sources = [c.source for c in code_cells]
    assert any("max(0.0, x)" in s and "'Applying Relu on (%.1f) gives %.1f'" in s for s in sources)
    assert any("if x > 0:" in s and "0.01 * x" in s and "'Applying Leaky Relu on (%.1f) gives %.1f'" in s
               for s in sources)


def test_scalar_failure_on_array_is_explained_without_traceback(outputs, code_cells):
    assert "raised ValueError: The truth value of an array with more than one element is ambiguous" in outputs
    assert "Why: max() needs one True/False" in outputs
    for cell in code_cells:
        assert all(out.get("output_type") != "error" for out in cell.get("outputs", []))
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr"
    assert "Traceback" not in outputs


def _table_rows(outputs: str) -> list[tuple[float, float, float]]:
    pattern = re.compile(r"^\s*(-?\d+\.\d) \|\s+([\d.]+)% \|\s+(\d+)%$", re.MULTILINE)
    return [(float(a), float(b), float(c)) for a, b, c in pattern.findall(outputs)]


def test_dead_relu_table_grows_as_bias_shifts_negative(outputs):
    rows = _table_rows(outputs)
    assert [row[0] for row in rows] == [0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0]
    zero_entries = [row[1] for row in rows]
    dead = [row[2] for row in rows]
    assert zero_entries == sorted(zero_entries) and dead == sorted(dead)
    assert dead[0] == 0 and dead[-1] >= 90
    assert 45 <= zero_entries[0] <= 55  # about half the entries are off with zero bias


def test_dead_units_get_no_weight_gradient(outputs):
    match = re.search(r"dead units: (\d+) of 100\nunits whose weights and bias get a gradient of exactly 0: (\d+)\n"
                      r"same units: True", outputs)
    assert match and match.group(1) == match.group(2) and int(match.group(1)) > 0


def test_leaky_relu_never_dies(outputs):
    assert re.search(r"-6\.0 \|\s+\d+% \|\s+0% \| 0\.01", outputs)


def test_max_shortcut_fails_for_alpha_2(outputs):
    assert re.search(r"alpha = 0\.01: max\(alpha\*z, z\) = .*same: True", outputs)
    assert re.search(r"alpha =  1\.0: .*same: True", outputs)
    assert re.search(r"alpha =  2\.0: .*same: False", outputs)


def test_overflows_are_caught_and_explained(outputs):
    assert "FloatingPointError: overflow encountered in exp" in outputs
    assert "softplus_naive(800) raised FloatingPointError" in outputs
    assert "Warning:" not in outputs


def test_kink_conventions_are_printed(outputs):
    assert "relu: f'(0) = 0.00" in outputs
    assert "leaky_relu: f'(0) = 0.01" in outputs
    assert "elu: f'(0) = 1.00" in outputs
    assert "(relu(h) - relu(-h)) / 2h = 0.50" in outputs


def test_classic_comparison_figure_follows_the_source(code_cells):
    cell = next(c for c in code_cells if "np.arange(-10, 10, 0.01)" in c.source)
    for fragment in ['color="black"', 'color="blue"', 'color="red"', 'color="green"', "plt.ylim([-1.5, 5])",
                     "plt.grid(True)", "cu.step(x)", "cu.sigmoid(x)", "cu.relu(x)", "cu.tanh(x)"]:
        assert fragment in cell.source
    assert any("image/png" in out.get("data", {}) for out in cell.outputs)


def test_every_plot_cell_ends_with_show(code_cells):
    for cell in code_cells:
        if "plt.subplots" in cell.source or "plt.plot" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()"), cell.source[:60]


def test_widget_cell_is_the_only_ignored_cell(code_cells):
    ignored = [c for c in code_cells if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(ignored) == 1
    assert ignored[0].source.startswith("# NBVAL_IGNORE_OUTPUT")
    assert ignored[0].source.rstrip().endswith('ActivationExplorer(name="leaky_relu", alpha=0.1)')


def test_gelu_does_not_use_scipy(code_cells):
    assert not any("scipy" in c.source for c in code_cells)


@pytest.mark.parametrize("exercise", ["relu_grad", "leaky_relu_grad", "elu_grad"])
def test_exercise_stubs_are_stored_unsolved(exercise, code_cells, outputs):
    cell = next(c for c in code_cells if f"nb04.{exercise}.check(" in c.source)
    assert "raise NotImplementedError  # your code here" in cell.source
    assert f"# nb04.{exercise}.hint()" in cell.source and f"# nb04.{exercise}.solution()" in cell.source
    assert f"⏳ 04.{exercise}: not implemented yet." in outputs
    assert "📖" not in outputs and "💡" not in outputs  # no hint or solution output stored


def test_template_sections_present():
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert markdown.startswith("# 04 · ReLU and its variants")
    sections = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert sections[-5:] == ["## 6. Explore"] + ["## Your turn", "## Summary", "## Common pitfalls", "## References"]
    assert "[03 · The perceptron](03_perceptron.ipynb)" in markdown
    assert "[glossary](../docs/glossary.md)" in markdown
    assert "https://www.digitalocean.com/community/tutorials/sigmoid-activation-function-python" in markdown


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
    assert sections[-4:] == ["## Your turn", "## Summary", "## Common pitfalls", "## References"]  # the template's closing sections, unnumbered
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


def test_dead_units_revive_only_below_the_first_layer(outputs):
    """The claim 'dead for good' holds for the first layer only; the notebook shows both."""
    match = re.search(r"layer 1: dead at the start: +(\d+), dead at some step: +(\d+), came back to life: +(\d+)\n"
                      r"layer 2: dead at the start: +(\d+), dead at some step: +(\d+), came back to life: +(\d+)",
                      outputs)
    assert match
    layer1_back, layer2_start, layer2_back = int(match.group(3)), int(match.group(4)), int(match.group(6))
    assert layer1_back == 0 and layer2_start > 0 and layer2_back > 0
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "stays dead\nfor good" not in markdown and "never changes them again" not in markdown
    assert "**In a deeper layer**" in markdown


def test_softplus_is_not_said_to_pass_exactly_one(outputs):
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "every rectifier passes exactly 1" not in markdown
    assert "Softplus passes $\\sigma(z)$, which is always below 1" in markdown
    assert "  softplus |     0.805 | 0.00669 |  0.50 | 0.99331" in outputs  # the number the text quotes


def test_forward_references_are_explained():
    """`backward`, `dW` and `db` are explained in one sentence before use; `local_grad` is not used."""
    nb = read(NOTEBOOK)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not any("local_grad" in source for source in code)
    first_backward = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and ".backward(" in c.source)
    before = "\n".join(c.source for c in nb.cells[:first_backward] if c.cell_type == "markdown")
    for word in ("`forward`", "`backward`", "`dout`", "`dW`", "`db`", "notebook 06"):
        assert word in before, word


# ------------------------------------------------------------------ (c) exercises
@pytest.mark.parametrize("exercise", [nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad])
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", [nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad])
def test_stub_and_none_are_not_answered(exercise):
    def stub(x, alpha=0.01):
        raise NotImplementedError

    assert exercise.verdict(stub).status == "not answered"
    assert exercise.verdict(None).status == "not answered"
    assert exercise.verdict(lambda x, alpha=1.0: None).status == "not answered"


def _hint_of(exercise, function) -> str | None:
    verdict = exercise.verdict(function)
    assert not verdict.passed, f"{function} should fail {exercise.name}"
    return verdict.hint


# --- leaky_relu_grad
def _leaky_grad_scalar(x, alpha=0.01):
    return 1.0 if x > 0 else alpha


def _leaky_grad_masks_times_x(x, alpha=0.01):
    return (x > 0) * x / x + alpha * (x <= 0)   # x / x is nan at 0 and at ±inf


def _leaky_grad_in_place(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    x[x > 0] = 1.0
    x[x <= 0] = alpha
    return x


def _leaky_grad_wrong_parameter_name(x, slope=0.01):
    return np.where(x > 0, 1.0, slope)


def _leaky_grad_no_default(x, alpha):
    return np.where(x > 0, 1.0, alpha)


LEAKY_GRAD_CASES = [
    (nb04._leaky_grad_right_piece_at_zero, "leaky_relu_grad(0) = alpha"),
    (nb04._leaky_grad_ignoring_alpha, "slope 0.01 whatever alpha is"),
    (nb04._leaky_grad_without_leak, "That is ReLU's derivative"),
    (nb04._leaky_grad_function_itself, "You returned leaky ReLU itself"),
    (nb04._leaky_grad_alpha_times_x, "not alpha * x"),
    (nb04._leaky_grad_swapped, "branches are swapped"),
    (_leaky_grad_scalar, "handle one number at a time"),
    (_leaky_grad_in_place, "`x[x <= 0] = alpha` still writes"),
    (_leaky_grad_wrong_parameter_name, "must be called `alpha`"),
    (_leaky_grad_no_default, "Give alpha a default value"),
]


@pytest.mark.parametrize("function, hint_fragment", LEAKY_GRAD_CASES, ids=[f.__name__ for f, _ in LEAKY_GRAD_CASES])
def test_leaky_relu_grad_mistakes_get_their_hint(function, hint_fragment):
    hint = _hint_of(nb04.leaky_relu_grad, function)
    assert hint is not None and hint_fragment in hint


def test_leaky_relu_grad_nan_from_masks_fails():
    verdict = nb04.leaky_relu_grad.verdict(_leaky_grad_masks_times_x)
    assert not verdict.passed


def test_leaky_relu_grad_mask_arithmetic_without_x_passes():
    """(x > 0) + alpha * (x <= 0) never multiplies an infinite x, so it is a right answer."""
    verdict = nb04.leaky_relu_grad.verdict(lambda x, alpha=0.01: (x > 0) + alpha * (x <= 0))
    assert verdict.passed, verdict.text


def test_in_place_answer_does_not_corrupt_the_cases():
    before = [np.array(case.args[0], copy=True) for case in nb04.leaky_relu_grad.cases]
    nb04.leaky_relu_grad.verdict(_leaky_grad_in_place)
    for original, case in zip(before, nb04.leaky_relu_grad.cases):
        np.testing.assert_array_equal(case.args[0], original)
    assert nb04.leaky_relu_grad.verdict(nb04.leaky_relu_grad.model_answer()).passed


@pytest.mark.parametrize("exercise", [nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad], ids=lambda e: e.name)
def test_grad_cases_cover_the_kink_infinities_and_huge_values(exercise):
    values = np.concatenate([np.ravel(case.args[0]) for case in exercise.cases])
    assert 0.0 in values and np.inf in values and -np.inf in values
    assert np.any(np.isfinite(values) & (np.abs(values) > 700))  # exp would overflow there


def test_grad_kink_cases_tell_the_two_pieces_apart():
    """At 0 some case must use an alpha whose left slope differs from the right slope 1."""
    for exercise in (nb04.leaky_relu_grad, nb04.elu_grad):
        assert any(0.0 in np.ravel(case.args[0]) and case.kwargs.get("alpha", 1.0) != 1.0
                   for case in exercise.cases), exercise.name


def test_grad_references_follow_the_kink_convention():
    assert cu.KINK_SIDE == "left"
    for exercise, alpha in ((nb04.leaky_relu_grad, 0.1), (nb04.elu_grad, 0.5)):
        assert float(exercise.reference(np.array([0.0]), alpha=alpha)[0]) == alpha
    assert float(nb04.relu_grad.reference(np.array([0.0]))[0]) == 0.0


def test_leaky_relu_grad_cases_cover_alpha_above_one_zero_and_non_default():
    alphas = [case.kwargs.get("alpha", 0.01) for case in nb04.leaky_relu_grad.cases]
    assert any(a > 1 for a in alphas) and 0.0 in alphas and any(0 < a < 1 and a != 0.01 for a in alphas)


# --- elu_grad
def _elu_grad_naive(x, alpha=1.0):
    return np.where(x > 0, 1.0, alpha * np.exp(x))


def _elu_grad_scalar(x, alpha=1.0):
    return 1.0 if x > 0 else alpha * np.exp(x)


def _elu_grad_masks(x, alpha=1.0):
    return (x > 0) * 1.0 + (x <= 0) * alpha * np.exp(x)


def _elu_grad_in_place(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    negative = x <= 0
    x[negative] = alpha * np.exp(x[negative])
    x[~negative] = 1.0
    return x


ELU_GRAD_CASES = [
    (_elu_grad_naive, "evaluates *both* branches"),
    (nb04._elu_grad_right_piece_at_zero, "elu_grad(0) = alpha"),
    (nb04._elu_grad_keeping_minus_one, "a constant's slope is 0"),
    (nb04._elu_grad_function_itself, "You returned ELU itself"),
    (nb04._elu_grad_wrong_sign_in_exponent, "sign in the exponent"),
    (nb04._elu_grad_scaled_positive_side, "alpha only scales the negative branch"),
    (nb04._elu_grad_ignoring_alpha, "ignores alpha"),
    (nb04._elu_grad_swapped, "branches are swapped"),
    (_elu_grad_masks, "evaluates *both* branches"),
    (_elu_grad_scalar, "handle one number at a time"),
    (_elu_grad_in_place, "`x[x > 0] = 1` followed by"),
]


@pytest.mark.parametrize("function, hint_fragment", ELU_GRAD_CASES, ids=[f.__name__ for f, _ in ELU_GRAD_CASES])
def test_elu_grad_mistakes_get_their_hint(function, hint_fragment):
    hint = _hint_of(nb04.elu_grad, function)
    assert hint is not None and hint_fragment in hint


def _elu_grad_naive_silenced_errstate(x, alpha=1.0):
    with np.errstate(over="ignore"):  # the very pattern section 3.1 shows
        return np.where(x > 0, 1.0, alpha * np.exp(x))


def _elu_grad_naive_silenced_seterr(x, alpha=1.0):
    old = np.seterr(all="ignore")
    try:
        return np.where(x > 0, 1.0, alpha * np.exp(x))
    finally:
        np.seterr(**old)


def _elu_grad_naive_silenced_warnings(x, alpha=1.0):
    import warnings
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        return np.where(x > 0, 1.0, alpha * np.exp(x))


@pytest.mark.parametrize("function", [_elu_grad_naive_silenced_errstate, _elu_grad_naive_silenced_seterr,
                                      _elu_grad_naive_silenced_warnings])
def test_elu_grad_with_the_overflow_silenced_fails_with_its_hint(function):
    probe = np.array([-1.0, 0.0, 1000.0])
    with np.errstate(over="ignore"):
        assert np.array_equal(function(probe, alpha=0.5), cu.elu_grad(probe, alpha=0.5))  # right values
    verdict = nb04.elu_grad.verdict(function)
    assert not verdict.passed
    assert verdict.hint == nb04.SILENCED_OVERFLOW
    assert "bad habit" in verdict.hint and "np.exp(np.minimum(x, 0))" in verdict.hint


def test_elu_grad_naive_fails_only_because_of_the_overflow():
    verdict = nb04.elu_grad.verdict(_elu_grad_naive)
    assert "gave a warning: RuntimeWarning: overflow encountered in exp" in verdict.text
    assert "x = 710, 1000" in verdict.text


def test_elu_grad_via_elu_plus_alpha_passes():
    """ELU'(x) = ELU(x) + alpha for x <= 0: a correct route the checker must accept."""
    def via_elu(x, alpha=1.0):
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0)) + alpha)

    assert nb04.elu_grad.verdict(via_elu).passed


def test_elu_grad_solution_exponentiates_only_the_non_positive_part():
    assert "np.exp(np.minimum(x, 0))" in nb04.elu_grad.solution_text
    assert nb04.elu_grad.verdict(nb04.elu_grad.model_answer()).passed


# --- all three
STUB_NAMES = {"04.relu_grad": "my_relu_grad", "04.leaky_relu_grad": "my_leaky_relu_grad",
              "04.elu_grad": "my_elu_grad"}


@pytest.mark.parametrize("exercise", [nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad], ids=lambda e: e.name)
def test_solutions_paste_over_the_stub(exercise, code_cells):
    """The model answer defines the stub's own function name, so it can be pasted over the stub."""
    name = STUB_NAMES[exercise.name]
    assert exercise.model_answer().__name__ == name
    stub = next(c.source for c in code_cells if f"nb04.{exercise.name.split('.')[1]}.check({name})" in c.source)
    assert stub.startswith(f"def {name}(")


def test_exercises_are_numbered_in_notebook_order():
    exercises = (nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad)
    assert [e.number for e in exercises] == [1, 2, 3]
    names = [name for name in cu.exercises.EXERCISES if name.startswith("04.")]
    assert names == ["04.relu_grad", "04.leaky_relu_grad", "04.elu_grad"]
    assert min(len(e.hints) for e in exercises) >= 3
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    headings = re.findall(r"^### Exercise (\d): (.*)$", markdown, flags=re.MULTILINE)
    assert headings == [("1", "the derivative of ReLU"), ("2", "the derivative of leaky ReLU"),
                        ("3", "the derivative of ELU, without overflow")]


def test_exercises_are_not_answered_in_the_notebook(code_cells):
    """The body implements leaky_relu and elu; the exercises' solutions must not appear in it (review 2)."""
    body = "\n".join(c.source for c in code_cells)
    for exercise in (nb04.relu_grad, nb04.leaky_relu_grad, nb04.elu_grad):
        code = [line.split("#")[0].strip() for line in exercise.solution_text.splitlines()]
        key_line = next(line for line in code if line.startswith("return"))
        assert key_line.removeprefix("return ").strip() not in body, exercise.name


def test_exercise_texts_mention_the_infinities():
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    for number in (1, 2, 3):
        text = markdown.split(f"### Exercise {number}:")[1].split("###")[0]
        assert "$\\pm\\infty$" in text, number
    assert "the checker of exercise 3 rejects it" in markdown


# --- relu_grad
RELU_GRAD_CASES = [
    (lambda x: (np.asarray(x) >= 0).astype(float), "Use `x > 0`, not `x >= 0`"),
    (lambda x: np.heaviside(np.asarray(x, dtype=float), 0.5), "you return 0.5"),
    (lambda x: np.maximum(x, 0), "You returned relu(x) itself"),
    (lambda x: 1.0 if x > 0 else 0.0, "handle one number at a time"),
]


@pytest.mark.parametrize("function, hint_fragment", RELU_GRAD_CASES,
                         ids=["greater_equal", "heaviside_half", "relu_itself", "scalar_only"])
def test_relu_grad_mistakes_get_their_hint(function, hint_fragment):
    hint = _hint_of(nb04.relu_grad, function)
    assert hint is not None and hint_fragment in hint


def test_relu_grad_in_place_is_reported():
    def in_place(x):
        x = np.asarray(x, dtype=float)
        x[x > 0] = 1.0
        x[x <= 0] = 0.0
        return x

    verdict = nb04.relu_grad.verdict(in_place)
    assert not verdict.passed and "changed its input array in place" in verdict.text
    assert "alpha" not in verdict.hint and "`x[x > 0] = 1` followed by `x[x <= 0] = 0`" in verdict.hint


def test_relu_grad_boolean_mask_is_accepted():
    assert nb04.relu_grad.verdict(lambda x: x > 0).passed


# Review of 03-05: wording that must match the figures and the printed counts.
def test_layer_two_counts_in_the_text_match_the_output(outputs):
    match = re.search(r"layer 2: dead at the start: +(\d+), dead at some step: +(\d+), came back to life: +(\d+)",
                      outputs)
    assert match
    start, some, back = (int(group) for group in match.groups())
    markdown = " ".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown").replace("\n", " ")
    assert (f"In layer 2, {start} units started dead and {some - start} more died during training ({some} were "
            f"dead at some step); only {back} came back to life") in markdown


def test_review_wording_of_03_05(code_cells):
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "bounded, S-shaped" not in markdown
    assert "S-shaped\nfunctions (step, sigmoid, tanh) plus the identity for comparison" in markdown
    assert "Korean activation-function blog" not in markdown
    assert markdown.count("The AI-BT blog") == 2 and "- AI-BT (blog *AI-BLACK-TIGER*)" in markdown
    assert "(with plain gradient descent, as here)" in markdown
    assert "| step | 0 for $z \\ne 0$ | 0 (jump at 0: derivative undefined; the course uses 0) |" in markdown
    figure = next(c.source for c in code_cells if "fig.suptitle(\"Each activation" in c.source)
    assert "at the kink (dot)" not in figure and "the derivative value used at z = 0 (dot)" in figure


def test_review2_wording_of_03_05(code_cells):
    markdown = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "whatever the weights do on top" not in markdown
    assert "large weights, in turn, push the sigmoid into its flat tails" in markdown
    assert "(about half, always)" not in markdown
    assert "(about half even at shift 0, where no unit is dead)" in markdown
    code = "\n".join(c.source for c in code_cells)
    assert "as before" not in code
    assert "this demo does not use up draws from `rng`" in code
