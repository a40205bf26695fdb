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
def test_scratch_sigmoid_layer_agrees_with_course_utils(scratch, x):
    mine, reference = scratch["Sigmoid"](), cu.Sigmoid()
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # stable: no overflow (underflow to 0 is fine)
        out = mine.forward(x)
    np.testing.assert_array_equal(out, reference.forward(x))
    np.testing.assert_array_equal(mine.out, out)
    dout = np.random.default_rng(0).normal(size=x.shape)
    dout_before = dout.copy()
    np.testing.assert_allclose(mine.backward(dout), reference.backward(dout), rtol=1e-15, atol=0)
    np.testing.assert_array_equal(dout, dout_before)


def test_scratch_sigmoid_passes_gradient_check(scratch):
    x = np.random.default_rng(1).normal(0.0, 2.0, size=(4, 3))
    assert cu.gradient_check(scratch["Sigmoid"](), x) < 1e-7


def test_scratch_cells_are_tagged():
    tagged = [c for c in read(NOTEBOOK).cells if "scratch" in c.metadata.get("tags", [])]
    assert len(tagged) == 2
    assert any("class Sigmoid" in c.source for c in tagged)


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


def test_printed_relative_errors_are_small():
    import re
    text = all_output()
    errors = [float(v) for v in re.findall(r"relative error:? ([0-9.]+e[-+][0-9]+)", text)]
    assert len(errors) >= 5  # single layer, batch, dx, dW, db
    assert max(errors) < 1e-7


def test_exercise_stubs_are_stored_unsolved():
    text = all_output()
    for name in ("06.sigmoid_backward", "06.tanh_layer", "06.saturation"):
        assert f"⏳ {name}: not implemented yet" in text
    assert "✅" not in text and "💡" not in text and "📖" not in text


def test_saturation_quiz_numbers_are_true():
    y = float(cu.Sigmoid().forward(np.array([30.0]))[0])
    assert y < 1.0
    assert y * (1 - y) == pytest.approx(9.4e-14, rel=0.01)


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


@pytest.mark.parametrize("letter", ["a", "c", "d"])
def test_saturation_wrong_letters_explain(letter):
    verdict = nb06.saturation.verdict(letter)
    assert not verdict.passed and verdict.hint == nb06.saturation.explanations[letter]
