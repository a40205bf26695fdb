"""Notebook 06, backpropagation through a sigmoid layer: scratch code, stored outputs, exercises."""

from __future__ import annotations

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb06
from tests.notebook_code import read, stored_text, tagged_code

NOTEBOOK = "06"


@pytest.fixture(scope="module")
def scratch() -> dict:
    return tagged_code(NOTEBOOK)


def cell_outputs() -> list[str]:
    """Each code cell's text outputs, with stream chunks joined as the learner sees them."""
    texts = []
    for cell in read(NOTEBOOK).cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            parts.extend(v for k, v in out.get("data", {}).items() if k == "text/plain")
        texts.append("".join(parts))
    return texts


def all_output() -> str:
    return "\n".join(cell_outputs())


# ------------------------------------------------------------------ (a) scratch code
def test_walkthrough_matches_course_utils_graph(scratch):
    reference = cu.plotting.sigmoid_graph_values(scratch["x"], scratch["dout"])
    mine_forward = [scratch[name] for name in ("x", "a", "b", "c", "y")]
    mine_backward = [scratch[name] for name in ("dx", "da", "db", "dc", "dy")]
    np.testing.assert_allclose(mine_forward, reference["forward"], rtol=1e-15)
    np.testing.assert_allclose(mine_backward, reference["backward"], rtol=1e-15)


def test_walkthrough_equals_the_simplified_formula(scratch):
    x, dout, y = scratch["x"], scratch["dout"], scratch["y"]
    assert scratch["dx"] == pytest.approx(dout * y * (1 - y), rel=1e-12)
    assert scratch["dx"] == pytest.approx(dout * float(cu.sigmoid_grad(x)), rel=1e-12)


@pytest.mark.parametrize("x", [
    np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),
    np.linspace(-50, 50, 101),
    np.array([[-1000.0, -745.0, -40.0], [40.0, 710.0, 1000.0]]),
    np.array([-np.inf, np.inf]),
    np.array([24.0, 32.0, 5.0]),
    np.random.default_rng(6).normal(0.0, 5.0, size=(3, 4, 5)),
])
def test_scratch_sigmoid_forward_agrees_with_course_utils(scratch, x):
    mine, reference = scratch["Sigmoid"](), cu.Sigmoid()
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # stable: no overflow (underflow to 0 is fine)
        out = mine.forward(x)
    np.testing.assert_array_equal(out, reference.forward(x))
    np.testing.assert_array_equal(mine.out, out)


def test_scratch_sigmoid_leaves_backward_to_exercise_1(scratch):
    """Section 4 shows forward only, so exercise 1 is not a copy of a class printed above it."""
    assert not hasattr(scratch["Sigmoid"], "backward")
    code_before_exercises = []
    for cell in read(NOTEBOOK).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## Your turn"):
            break
        if cell.cell_type == "code":
            code_before_exercises.append(cell.source)
    assert not any("def backward(self, dout)" in source and "self.out" in source and "1.0 - self.out" in source
                   for source in code_before_exercises)


def test_scratch_sigmoid_completed_by_the_model_answer_passes_exercise_1(scratch):
    class Completed(scratch["Sigmoid"]):
        def backward(self, dout):
            return dout * self.out * (1.0 - self.out)

    assert nb06.sigmoid_backward.verdict(Completed).passed
    x = np.random.default_rng(1).normal(0.0, 2.0, size=(4, 3))
    assert cu.gradient_check(Completed(), x) < 1e-7


def test_tanh_exercise_prompt_leaves_the_derivative_to_the_learner():
    prompt = next(c.source for c in read(NOTEBOOK).cells
                  if c.cell_type == "markdown" and c.source.startswith("### Exercise 2"))
    assert "1 - y^2" not in prompt and "1 - y**2" not in prompt and "in terms of the output" in prompt
    for exercise in (nb06.sigmoid_backward, nb06.tanh_layer):   # the title is printed above every hint
        assert "1 - out" not in exercise.title and "dx =" not in exercise.title, exercise.title


def test_speaker_notes_are_labelled():
    notes = [c.source for c in read(NOTEBOOK).cells
             if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    assert len(notes) >= 3
    assert all(source.startswith("**Speaker notes.** ") for source in notes), notes


def test_scratch_cells_are_tagged():
    tagged = [c for c in read(NOTEBOOK).cells if "scratch" in c.metadata.get("tags", [])]
    assert len(tagged) == 3
    assert any("class Sigmoid" in c.source for c in tagged)
    assert any("apple_price" in c.source for c in tagged)


def test_shopping_bill_backward_matches_numerical_gradient(scratch):
    """Section 2.1: the add and multiply nodes, walked by hand, give the numerical gradient of the bill."""
    names = ("apple_price", "apple_count", "orange_price", "orange_count", "tax")

    def bill(v):
        return (v[0] * v[1] + v[2] * v[3]) * v[4]

    point = np.array([scratch[n] for n in names])
    analytic = np.array([scratch[f"d_{n}"] for n in names])
    np.testing.assert_allclose(analytic, cu.numerical_gradient(bill, point), rtol=1e-6)
    # the numbers of Deep Learning from Scratch, figure 5-17
    np.testing.assert_allclose(analytic, [2.2, 110.0, 3.3, 165.0, 650.0], rtol=1e-12)
    assert scratch["paid"] == pytest.approx(715.0)


def test_branches_add_up_is_shown_and_true():
    text = all_output()
    assert "each path gives 3.0; their sum dL/dx = 6.0" in text
    assert "numerical gradient: 6.000000   (the derivative of x² is 2x = 6.0)" in text
    assert "paid: 715.0" in text and "dL/d(orange count) = 165.0" in text


# ----------------------------------------------------------------- (b) stored outputs
def test_forward_24_32_5_is_shown_exactly():
    assert "array([1.        , 1.        , 0.99330715])" in stored_text(NOTEBOOK)


def test_the_float64_claims_are_true_and_printed():
    """The prose says sigma(24), sigma(32) < 1.0 in float64 and sigma(37) == 1.0; check both the maths and the output."""
    y = cu.sigmoid(np.array([24.0, 32.0, 36.0, 37.0, 38.0]))
    assert y[0] < 1.0 and y[1] < 1.0 and y[2] < 1.0
    assert y[3] == 1.0 and y[4] == 1.0
    assert 1 - y[0] > 1e5 * np.spacing(1.0)
    text = all_output()
    assert "x = 24:  y = 0.99999999996224864   1 - y = 3.775e-11   y == 1.0 is False" in text
    assert "x = 32:  y = 0.99999999999998734   1 - y = 1.266e-14   y == 1.0 is False" in text
    assert "x = 37: exp(-x) = 8.53e-17   1 + exp(-x) == 1.0 is True   y == 1.0 is True" in text
    assert "x = 36: exp(-x) = 2.32e-16   1 + exp(-x) == 1.0 is False   y == 1.0 is False" in text


def test_walkthrough_table_is_stored():
    text = all_output()
    assert "node by node:             dL/dx = 0.393224" in text
    assert "dL/dy * y * (1 - y):      dL/dx = 0.393224" in text
    assert "1 + exp(-x)        1.367879     -1.068893" in text


def test_in_place_relu_demo_shows_the_corruption():
    text = all_output()
    assert "in place: dx1 = [0. 0. 1.]  dx2 = [0. 0. 1.]  dout is now [0. 0. 1.]" in text
    assert "cu.ReLU:  dx1 = [0. 1. 1.]  dx2 = [1. 0. 1.]  dout is now [1. 1. 1.]" in text


def test_normwise_relative_error_reads_as_the_notebook_says():
    """Section 4.3: 0 when the gradients agree, 1 when opposite, and 1 when backward returns zeros."""
    gradient = np.array([0.3, -1.2, 2.0])
    assert cu.normwise_relative_error(gradient, gradient) == 0.0
    assert cu.normwise_relative_error(-gradient, gradient) == pytest.approx(1.0)
    assert cu.normwise_relative_error(np.zeros(3), gradient) == pytest.approx(1.0)
    text = "\n".join(c.source for c in read(NOTEBOOK).cells if c.cell_type == "markdown")
    assert "a `backward` that returns zeros scores 1" in text
    assert "where the input was not positive ($x \\le 0$)" in text


def test_printed_relative_errors_are_small():
    import re
    text = all_output()
    errors = [float(v) for v in re.findall(r"relative error:? ([0-9.]+e[-+][0-9]+)", text)]
    assert len(errors) >= 5  # single layer, batch, dx, dW, db
    assert max(errors) < 1e-7


def test_exercise_stubs_are_stored_unsolved():
    text = all_output()
    for name in ("06.sigmoid_backward", "06.tanh_layer"):
        assert f"⏳ {name}: not implemented yet" in text
    assert "⏳ 06.saturation: not answered yet" in text  # a multiple-choice question
    assert "✅" not in text and "💡" not in text and "📖" not in text


def test_saturation_quiz_numbers_are_true():
    y = float(cu.Sigmoid().forward(np.array([30.0]))[0])
    assert y < 1.0
    assert y * (1 - y) == pytest.approx(9.35e-14, rel=0.001)       # float64, what backward returns
    assert "9.3e-14" in nb06.saturation.options["d"] and "1 − 9.35e-14 in float64" in nb06.saturation.why


# --------------------------------------------------------------------- (c) exercises
EXERCISES = [nb06.sigmoid_backward, nb06.tanh_layer, nb06.saturation]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
@pytest.mark.parametrize("answer", [None, ...])
def test_unanswered(exercise, answer):
    assert exercise.verdict(answer).status == "not answered"


def _stable_sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class GivenSigmoid:
    """MySigmoid as given in the notebook (forward done, backward a stub)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.x = np.asarray(x, dtype=float)  # kept so that mistakes using x can be written
        self.out = _stable_sigmoid(x)
        return self.out

    def backward(self, dout):
        raise NotImplementedError  # your code here


class GivenTanh(GivenSigmoid):
    def forward(self, x):
        self.x = np.asarray(x, dtype=float)
        self.out = np.tanh(x)
        return self.out


@pytest.mark.parametrize("exercise, base", [(nb06.sigmoid_backward, GivenSigmoid), (nb06.tanh_layer, GivenTanh)],
                         ids=["sigmoid", "tanh"])
def test_stub_class_is_not_answered(exercise, base):
    assert exercise.verdict(base).status == "not answered"


def _with_backward(base, backward):
    return type("Learner", (base,), {"backward": backward})


def _every_backward_mistake():
    for exercise, base in [(nb06.sigmoid_backward, GivenSigmoid), (nb06.tanh_layer, GivenTanh)]:
        for index, mistake in enumerate(exercise.backward_mistakes):
            yield pytest.param(exercise, base, mistake, id=f"{exercise.name}-{index}")


@pytest.mark.parametrize("exercise, base, mistake", list(_every_backward_mistake()))
def test_each_backward_mistake_gets_its_own_hint(exercise, base, mistake):
    learner = _with_backward(base, lambda self, dout: mistake.wrong(self.x, self.out, dout))
    verdict = exercise.verdict(learner)
    assert not verdict.passed
    assert verdict.hint == mistake.hint, verdict.text


# The classic mistakes named in the issue, written the way a learner would write them.
def _x_instead_of_out(self, dout):
    return dout * self.x * (1 - self.x)


def _forgot_dout(self, dout):
    return self.out * (1 - self.out)


def _mutates_dout(self, dout):
    dout *= self.out * (1 - self.out)
    return dout


def _book_style_mutation(self, dout):
    dx = dout
    dx[...] = dx * self.out * (1 - self.out)
    return dx


def _sums_over_batch(self, dout):
    return np.sum(dout * self.out * (1 - self.out), axis=0)


def _dot_product(self, dout):
    return np.dot(dout.ravel(), (self.out * (1 - self.out)).ravel())


def _flattens(self, dout):
    return (dout * self.out * (1 - self.out)).ravel()


def _destroys_cache(self, dout):
    self.out *= 1 - self.out
    return dout * self.out


def _raises(self, dout):
    return dout * self.undefined_attribute


@pytest.mark.parametrize("backward, hint_part", [
    (_x_instead_of_out, "not x(1 − x)"),
    (_forgot_dout, "You forgot dout"),
    (_mutates_dout, "Never modify dout"),
    (_book_style_mutation, "Never modify dout"),
    (_sums_over_batch, "np.sum"),
    (_dot_product, "one number"),
    (_flattens, "same shape as dout"),
    (_raises, None),
])
def test_sigmoid_classic_mistakes(backward, hint_part):
    verdict = nb06.sigmoid_backward.verdict(_with_backward(GivenSigmoid, backward))
    assert verdict.status == "incorrect"
    assert "Traceback" not in verdict.text
    assert len(verdict.text.splitlines()[0]) < 400
    if hint_part is not None:
        assert verdict.hint is not None and hint_part in verdict.hint, verdict.text


def test_destroyed_cache_is_caught():
    verdict = nb06.sigmoid_backward.verdict(_with_backward(GivenSigmoid, _destroys_cache))
    assert not verdict.passed
    assert "self.out" in (verdict.hint or "")


def test_learner_exception_is_one_line_with_hint():
    class NoSelf(GivenSigmoid):
        def backward(dout):  # noqa: N805 - the slip under test
            return dout

    verdict = nb06.sigmoid_backward.verdict(NoSelf)
    assert verdict.text.startswith("❌ 06.sigmoid_backward: your code raised TypeError")
    assert "self" in verdict.hint


def test_instance_and_function_answers():
    class Right(GivenSigmoid):
        def backward(self, dout):
            return dout * self.out * (1 - self.out)

    assert nb06.sigmoid_backward.verdict(Right()).passed  # an instance works too
    verdict = nb06.sigmoid_backward.verdict(lambda dout: dout)
    assert not verdict.passed and "Pass the class itself" in verdict.hint


# Tanh: mistakes in forward, in caching and in backward.
class TanhForgetsCache:
    def forward(self, x):
        return np.tanh(x)

    def backward(self, dout):
        return dout * (1 - self.out**2)


class TanhNaiveForward:
    def forward(self, x):
        self.out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out**2)


class TanhUsesSigmoid:
    def forward(self, x):
        self.out = _stable_sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class TanhMissingSquare:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out)


class TanhUsesX:
    def forward(self, x):
        self.x = x
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1 - self.x**2)


class TanhNoReturn:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        dx = dout * (1 - self.out**2)  # noqa: F841 - the missing return is the slip under test


class TanhMutates:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        dout *= 1 - self.out**2
        return dout


@pytest.mark.parametrize("answer, hint_part", [
    (TanhForgetsCache, "self.out = ..."),
    (TanhNaiveForward, "np.tanh"),
    (TanhUsesSigmoid, "That is the sigmoid"),
    (TanhMissingSquare, "The square is missing"),
    (TanhUsesX, "not 1 − x²"),
    (TanhNoReturn, "`return`"),
    (TanhMutates, "Never modify dout"),
])
def test_tanh_classic_mistakes(answer, hint_part):
    verdict = nb06.tanh_layer.verdict(answer)
    assert verdict.status == "incorrect"
    assert verdict.hint is not None and hint_part in verdict.hint, verdict.text


class TanhViaExpForward:
    """A correct formula, 2 / (1 + exp(-2x)) - 1, that overflows for x = -1000."""

    def forward(self, x):
        self.out = 2 / (1 + np.exp(-2 * x)) - 1
        return self.out

    def backward(self, dout):
        return dout * (1 - self.out**2)


class TanhCoshBackward:
    """A correct backward, dout / cosh(x)², whose cosh overflows for |x| = 1000."""

    def forward(self, x):
        self.x = x
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout / np.cosh(self.x) ** 2


def test_tanh_overflow_hints_name_what_overflowed():
    verdict = nb06.tanh_layer.verdict(TanhViaExpForward)
    assert verdict.status == "incorrect" and "overflow" in verdict.text
    assert "forward overflowed" in verdict.hint and "np.tanh(x)" in verdict.hint
    assert "e^x" not in verdict.hint   # the learner did not write the textbook formula
    verdict = nb06.tanh_layer.verdict(TanhCoshBackward)
    assert verdict.status == "incorrect" and "overflow" in verdict.text
    assert "backward overflowed" in verdict.hint and "self.out" in verdict.hint
    assert "not exp(x)" not in verdict.hint


def test_tanh_reference_is_course_utils_layer():
    class Reference:
        def __init__(self):
            self.layer = cu.Tanh()

        @property
        def out(self):
            return self.layer.out

        def forward(self, x):
            return self.layer.forward(x)

        def backward(self, dout):
            return self.layer.backward(dout)

    assert nb06.tanh_layer.verdict(Reference).passed


@pytest.mark.parametrize("letter", ["a", "b", "c"])
def test_saturation_wrong_letters_explain(letter):
    verdict = nb06.saturation.verdict(letter)
    assert not verdict.passed and verdict.hint == nb06.saturation.explanations[letter]


# --------------------------------------------------------------- (d) binary cross-entropy (section 7)
def test_bce_table_is_printed_and_true():
    text = all_output()
    assert "ln 2 = 0.6931" in text
    assert " 0.5  |        0.6931 |        0.6931" in text
    for p in (0.99, 0.9, 0.5, 0.1, 0.01):
        assert f" {p:<4} | {-np.log(p):13.4f} | {-np.log(1 - p):13.4f}" in text


@pytest.mark.parametrize("seed", range(20))
def test_bce_gradient_through_the_sigmoid_is_sigma_minus_t_over_n(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 12))
    z = rng.normal(0.0, 3.0, size=n)
    t = rng.integers(0, 2, size=n).astype(float)
    sigmoid_layer, bce = cu.Sigmoid(), cu.BCELoss()
    bce.forward(sigmoid_layer.forward(z), t)
    through_layers = sigmoid_layer.backward(bce.backward())
    formula = (cu.sigmoid(z) - t) / n

    def mean_bce(values):
        p = cu.sigmoid(values)
        return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))

    np.testing.assert_allclose(through_layers, formula, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(cu.numerical_gradient(mean_bce, z), formula, rtol=1e-5, atol=1e-9)


def test_bce_cell_reports_agreement():
    import re
    text = all_output()
    error = float(re.search(r"relative error vs numerical gradient: (\S+)", text).group(1))
    gap = float(re.search(r"max abs difference vs cu.Sigmoid \+ cu.BCELoss: (\S+)", text).group(1))
    assert error < 1e-6 and gap < 1e-15


# --------------------------------------------------------------- (e) structure and wording
def _markdown_cells():
    return [c for c in read(NOTEBOOK).cells if c.cell_type == "markdown"]


def test_objectives_say_tanh_caches_its_output_too():
    objectives = next(c.source for c in _markdown_cells() if "**Learning objectives.**" in c.source)
    assert "instead" not in objectives
    assert "Sigmoid and Tanh layers cache their output" in objectives


def test_sections_are_numbered_and_each_heading_starts_its_cell():
    import re
    numbered = []
    for cell in _markdown_cells():
        lines = cell.source.splitlines()
        for line in lines[1:]:
            assert not line.startswith("#"), f"heading in the middle of a cell: {line!r}"
        first = lines[0]
        if first.startswith("## ") and not first.startswith(("## Your turn", "## Summary", "## Common pitfalls",
                                                             "## References")):
            numbered.append(re.match(r"## (\d+)\. ", first).group(1))
        if first.startswith("### ") and not first.startswith("### Exercise"):
            assert re.match(r"### \d+\.\d+ ", first), first
    assert numbered == [str(i) for i in range(1, len(numbered) + 1)]
    assert len(numbered) >= 8


def test_exercises_are_labelled_in_order():
    import re
    labels = [int(n) for c in _markdown_cells() for n in re.findall(r"^### Exercise (\d+)", c.source, flags=re.M)]
    assert labels == [1, 2, 3]


def test_add_and_multiply_nodes_come_before_the_sigmoid_graph():
    sources = [c.source for c in _markdown_cells()]
    first = lambda text: next(i for i, s in enumerate(sources) if text in s)  # noqa: E731
    assert first("**add node**") <= first("**multiply node**") < first("## 3. The sigmoid as a computational graph")
    assert first("### 2.2 Branches add up") < first("## 3. The sigmoid")
    assert first("**binary cross-entropy**") < first("## Your turn")


def test_setup_cell_is_skipped_in_slides():
    first_code = next(c for c in read(NOTEBOOK).cells if c.cell_type == "code")
    assert "cu.setup()" in first_code.source
    assert first_code.metadata["slideshow"]["slide_type"] == "skip"


# --------------------------------------------------------------- (f) checker robustness
def test_expected_values_are_captured_when_the_checker_is_defined(monkeypatch):
    """Redefining a course_utils function in a notebook cannot change a verdict."""
    import course_utils.activations as activations

    class Right(GivenSigmoid):
        def backward(self, dout):
            return dout * self.out * (1 - self.out)

    class Wrong(GivenSigmoid):
        def backward(self, dout):
            return np.zeros_like(dout)

    monkeypatch.setattr(activations, "sigmoid", lambda x: np.zeros_like(np.asarray(x, dtype=float)))
    monkeypatch.setattr(cu, "sigmoid", lambda x: np.zeros_like(np.asarray(x, dtype=float)))
    assert nb06.sigmoid_backward.verdict(Right).passed
    assert not nb06.sigmoid_backward.verdict(Wrong).passed


def test_check_inputs_cannot_be_changed_by_a_learner():
    class Mutates(GivenSigmoid):
        def forward(self, x):
            out = super().forward(x)
            x[...] = 0.0
            return out

        def backward(self, dout):
            return dout * self.out * (1 - self.out)

    verdict = nb06.sigmoid_backward.verdict(Mutates)
    assert not verdict.passed and "changed its input x in place" in verdict.text
    class Right(GivenSigmoid):
        def backward(self, dout):
            return dout * self.out * (1 - self.out)
    assert nb06.sigmoid_backward.verdict(Right).passed


@pytest.mark.parametrize("exercise, giveaway", [(nb06.sigmoid_backward, "return dout"),
                                                (nb06.tanh_layer, "return dout"),
                                                (nb06.saturation, "9.4e-14")], ids=["sigmoid", "tanh", "saturation"])
def test_hints_are_graded_from_a_nudge_to_the_answer(exercise, giveaway):
    assert len(exercise.hints) >= 3
    assert giveaway not in exercise.hints[0]       # the first hint is a nudge
    assert giveaway in exercise.hints[-1] or giveaway in exercise.solution_text


def test_saturation_answer_is_not_b():
    assert nb06.saturation.correct != "b"


# --------------------------------------------------------------- (f) second learner review
def _code_and_markdown_before_the_exercises() -> str:
    sources = []
    for cell in read(NOTEBOOK).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## Your turn"):
            break
        sources.append(cell.source)
    return "\n".join(sources)


def test_section_5_leaves_the_answers_of_exercises_1_and_2_to_the_learner():
    before = _code_and_markdown_before_the_exercises()
    for giveaway in ("1 - y**2", "1 - y^2", "\\tanh^2", "tanh.backward", "`dout * y * (1 - y)`"):
        assert giveaway not in before, giveaway
    table = next(c.source for c in _markdown_cells() if c.source.startswith("## 5. Other layers"))
    assert "| Sigmoid | $y = \\sigma(x)$ | the output $y$ | *exercise 1* |" in table
    assert "| Tanh | $y = \\tanh(x)$ | the output $y$ | *exercise 2* |" in table
    prompt = next(c.source for c in _markdown_cells() if c.source.startswith("### Exercise 2"))
    assert "table of section 5" not in prompt and "(up to $\\lvert x \\rvert = 1000$)" in prompt


def test_checker_inputs_reach_the_size_the_prompts_announce():
    for exercise in (nb06.sigmoid_backward, nb06.tanh_layer):
        assert max(np.max(np.abs(x)) for x, _ in exercise.cases) == 1000.0
    prompts = [c.source for c in _markdown_cells() if c.source.startswith(("### Exercise 1", "### Exercise 2"))]
    assert all("saturated inputs" in p and "1000" in p for p in prompts)


def test_overflow_threshold_is_minus_709_78():
    text = "\n".join(c.source for c in _markdown_cells())
    assert text.count("$x < -709.78$") == 2 and "$x < -709$" not in text
    with np.errstate(over="raise"):
        np.exp(709.78)                      # 1 / (1 + exp(-x)) at x = -709.78: still finite
        with pytest.raises(FloatingPointError):
            np.exp(709.79)


def test_add_and_multiply_nodes_use_inputs_u_and_v():
    nodes = next(c.source for c in _markdown_cells() if c.source.startswith("## 2. The add and multiply nodes"))
    assert "$z = u + v$" in nodes and "$z = u \\cdot v$" in nodes
    assert "x + y" not in nodes and "x \\cdot y" not in nodes


CLIP_ROWS = {10.0: " 10 |  4.5e-05 |     0.999955 | 0.999955", 28.0: " 28 |  6.9e-13 |     1.000000 | 0.691462",
             30.0: " 30 |  9.3e-14 |     1.000000 | 0.093483", 40.0: " 40 |  0.0e+00 |     1.000000 | 0.000000"}


@pytest.mark.parametrize("score", sorted(CLIP_ROWS))
def test_bce_clip_table_is_printed_and_true(score):
    """Section 7.1: past BCELoss's clip the two-step gradient falls below sigma(z) - t, and reaches 0 from z = 37."""
    assert CLIP_ROWS[score] in all_output()
    sigmoid_layer, bce = cu.Sigmoid(), cu.BCELoss()
    bce.forward(sigmoid_layer.forward(np.array([score])), np.array([0.0]))
    two_steps = sigmoid_layer.backward(bce.backward())[0]
    assert f"{two_steps:.6f}" == CLIP_ROWS[score].split("|")[-1].strip()
    assert bce.eps == 1e-12


def test_bce_clip_claims_hold_in_both_directions():
    def two_steps(z, t):
        sigmoid_layer, bce = cu.Sigmoid(), cu.BCELoss()
        bce.forward(sigmoid_layer.forward(np.array([z])), np.array([t]))
        return sigmoid_layer.backward(bce.backward())[0]

    assert two_steps(27.0, 0.0) == pytest.approx(float(cu.sigmoid(27.0)), rel=1e-9)   # inside the clip: equal
    for z in (28.0, 30.0, 33.0, 36.0):                                                 # "from |z| ≈ 28 ... below"
        assert 0 < two_steps(z, 0.0) < 0.7 * float(cu.sigmoid(z))
        assert -0.7 < two_steps(-z, 1.0) < 0                                           # the mirror case shrinks too
    assert two_steps(37.0, 0.0) == 0.0 and two_steps(40.0, 0.0) == 0.0                # "from z ≈ 37 exactly 0"
    assert abs(two_steps(-40.0, 1.0)) < 1e-5                                           # "shrinks the same way"
    text = "\n".join(c.source for c in _markdown_cells())
    assert "here even bit for bit" in text and "though in general they may differ" not in text
    assert "clips $p$ to $[10^{-12},\\, 1 - 10^{-12}]$" in text and '"with logits" loss' in text


def test_new_cells_have_slide_metadata():
    for cell in read(NOTEBOOK).cells:
        assert "slide_type" in cell.metadata.get("slideshow", {}), cell.source[:60]
