"""gradient_check is a judge: it must not raise false alarms on correct layers, and it must
flag every wrong backward (wrong values, NaN, a modified dout, a gradient that accumulates).

The random draws are seeded, so a failure here is reproducible. Sizes are small (1-5) to
keep the suite fast; the scales go up to 4, which saturates some tanh/sigmoid units.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import course_utils as cu
from course_utils.gradcheck import BUG, FINE

DRAWS_PER_KIND = 130  # 9 kinds: 1,170 random correct layers and stacks


@pytest.fixture(autouse=True)
def _warnings_are_failures():
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ------------------------------------------------------------------ random correct layers
def _sizes(rng: np.random.Generator) -> tuple[int, int, int, int]:
    batch, n_in, n_out, hidden = (int(v) for v in rng.integers(1, 6, size=4))
    return batch, n_in, n_out, hidden


def _away_from_the_kink(rng: np.random.Generator, shape: tuple, scale: float) -> np.ndarray:
    """Normal values, none closer to 0 than 1e-3 (the step is about 6e-6, so no ±h crosses the kink)."""
    x = rng.normal(scale=scale, size=shape)
    return np.where(np.abs(x) < 1e-3, np.copysign(2e-3, x), x)


def _affine(rng, n_in, n_out, scale):
    return cu.Affine(rng.normal(scale=scale, size=(n_in, n_out)), rng.normal(scale=scale, size=n_out))


def draw_correct(kind: str, rng: np.random.Generator) -> tuple[object, tuple]:
    """A correct layer (or stack, or loss) of ``kind`` and the arguments of gradient_check."""
    batch, n_in, n_out, hidden = _sizes(rng)
    scale = float(rng.uniform(0.2, 4.0))
    if kind == "Affine":
        return _affine(rng, n_in, n_out, scale), (rng.normal(scale=scale, size=(batch, n_in)),)
    if kind in ("Sigmoid", "Tanh"):
        return getattr(cu, kind)(), (rng.normal(scale=scale, size=(batch, n_in)),)
    if kind == "ReLU":
        return cu.ReLU(), (_away_from_the_kink(rng, (batch, n_in), scale),)
    if kind == "LeakyReLU":
        return cu.LeakyReLU(float(rng.uniform(0.01, 0.5))), (_away_from_the_kink(rng, (batch, n_in), scale),)
    if kind in ("Affine-Tanh-Affine", "Affine-Sigmoid-Affine"):
        activation = cu.Tanh() if "Tanh" in kind else cu.Sigmoid()
        network = cu.Sequential([_affine(rng, n_in, hidden, scale), activation, _affine(rng, hidden, n_out, scale)])
        return network, (rng.normal(scale=scale, size=(batch, n_in)),)
    if kind == "SoftmaxCrossEntropy":
        classes = n_out + 1
        logits = rng.normal(scale=scale, size=(batch, classes))
        if rng.random() < 0.5:
            targets = np.eye(classes)[rng.integers(0, classes, size=batch)]
        else:
            targets = rng.dirichlet(np.ones(classes), size=batch)
        return cu.SoftmaxCrossEntropy(), (logits, targets)
    if kind == "BCELoss":
        probabilities = rng.uniform(0.02, 0.98, size=(batch, n_out))
        if rng.random() < 0.5:
            targets = rng.integers(0, 2, size=(batch, n_out)).astype(float)
        else:
            targets = rng.uniform(0.0, 1.0, size=(batch, n_out))
        return cu.BCELoss(), (probabilities, targets)
    raise ValueError(kind)


KINDS = ["Affine", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Affine-Tanh-Affine", "Affine-Sigmoid-Affine",
         "SoftmaxCrossEntropy", "BCELoss"]


def _largest_local_derivative(layer, x: np.ndarray) -> float:
    """The largest derivative of a hidden activation at its pre-activation, for a 3-layer stack."""
    first, activation, _ = layer.layers
    z = x @ first.W + first.b
    derivative = cu.tanh_grad(z) if isinstance(activation, cu.Tanh) else cu.sigmoid_grad(z)
    return float(derivative.max())


@pytest.mark.parametrize("kind", KINDS)
def test_no_false_alarm_on_random_correct_layers(kind):
    rng = np.random.default_rng(KINDS.index(kind))
    for draw in range(DRAWS_PER_KIND):
        layer, arguments = draw_correct(kind, rng)
        report = cu.gradient_check_report(layer, *arguments, seed=draw)
        assert report.problems == (), f"{kind}, draw {draw}: {report}"
        assert report.error <= BUG, f"{kind}, draw {draw}: false alarm\n{report}"
        if report.error >= FINE:
            # "Suspicious" is allowed only for its documented cause: saturation. Here every hidden
            # unit is saturated, so the whole gradient is tiny and near the rounding noise.
            assert "-" in kind, f"{kind}, draw {draw}: a single layer should be fine\n{report}"
            assert _largest_local_derivative(layer, arguments[0]) < 1e-3, f"{kind}, draw {draw}: {report}"


def test_an_unsaturated_network_is_fine_every_time():
    rng = np.random.default_rng(99)
    for draw in range(100):
        n_in, hidden, n_out = (int(v) for v in rng.integers(1, 6, size=3))
        network = cu.Sequential([cu.Affine.initialise(n_in, hidden, rng, scheme="glorot"), cu.Tanh(),
                                 cu.Affine.initialise(hidden, n_out, rng, scheme="glorot")])
        assert cu.gradient_check(network, rng.normal(size=(4, n_in)), seed=draw) < FINE


# ------------------------------------------------------------------ wrong backward passes
class SigmoidWithoutOneMinus(cu.Sigmoid):
    def backward(self, dout):
        return dout * self.out


class SigmoidOfX(cu.Sigmoid):
    def forward(self, x):
        self.x = np.array(x, dtype=float)
        return super().forward(x)

    def backward(self, dout):
        return dout * self.x * (1 - self.x)


class TanhWithoutSquare(cu.Tanh):
    def backward(self, dout):
        return dout * (1 - self.out)


class ReLUWithoutMask(cu.ReLU):
    def backward(self, dout):
        return np.array(dout, dtype=float)


class AffineWithOneRowOfBias(cu.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["b"] = np.asarray(dout)[0].copy()  # forgot to sum over the batch
        return dx


class AffineWithHalfWeights(cu.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["W"] = self.grads["W"] / 2
        return dx


class AffineThatAccumulates(cu.Affine):
    """grads["W"] += ... without ever resetting: right the first time, wrong the second."""

    def backward(self, dout):
        old = self.grads["W"].copy()
        dx = super().backward(dout)
        self.grads["W"] = old + self.grads["W"]
        return dx


class SoftmaxCrossEntropyWithoutBatchMean(cu.SoftmaxCrossEntropy):
    def backward(self, dout=1.0):
        return dout * (self.probabilities - self.target)


class BCEWithWrongSign(cu.BCELoss):
    def backward(self, dout=1.0):
        return -super().backward(dout)


class SigmoidWithOneNaN(cu.Sigmoid):
    def backward(self, dout):
        dx = super().backward(dout)
        dx.reshape(-1)[-1] = np.nan  # the NaN is last, where Python's max would have dropped it
        return dx


class SigmoidThatReturnsInf(cu.Sigmoid):
    def backward(self, dout):
        super().backward(dout)
        return np.full(self.out.shape, np.inf)


class ReLUFromTheTextbook(cu.ReLU):
    """Deep Learning from Scratch's ``dout[mask] = 0; return dout``: right values, caller's dout zeroed."""

    def backward(self, dout):
        dout[self.local_grad == 0] = 0
        return dout


class SigmoidThatScalesDoutInPlace(cu.Sigmoid):
    def backward(self, dout):
        dout *= self.out * (1 - self.out)
        return dout


class TanhThatZeroesDoutAfterwards(cu.Tanh):
    def backward(self, dout):
        dx = super().backward(dout)
        dout[...] = 0
        return dx


def _mixed_signs(rng, shape, scale):
    x = _away_from_the_kink(rng, shape, scale)
    x.reshape(-1)[0] = -abs(x.reshape(-1)[0])  # at least one negative input (where the ReLU mask matters)
    return x


def draw_wrong(name: str, rng: np.random.Generator) -> tuple[object, tuple]:
    batch, n_in, n_out, hidden = _sizes(rng)
    batch += 1  # at least 2 examples, so that "forgot to sum over the batch" shows
    scale = float(rng.uniform(0.3, 3.0))
    x = rng.normal(scale=scale, size=(batch, n_in))
    if name in ("SigmoidWithoutOneMinus", "SigmoidOfX", "SigmoidWithOneNaN", "SigmoidThatReturnsInf",
                "SigmoidThatScalesDoutInPlace", "TanhWithoutSquare", "TanhThatZeroesDoutAfterwards"):
        return globals()[name](), (x,)
    if name in ("ReLUWithoutMask", "ReLUFromTheTextbook"):
        return globals()[name](), (_mixed_signs(rng, (batch, n_in), scale),)
    if name in ("AffineWithOneRowOfBias", "AffineWithHalfWeights", "AffineThatAccumulates"):
        layer = globals()[name](rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))
        return layer, (x,)
    if name == "wrong layer inside a stack":
        network = cu.Sequential([_affine(rng, n_in, hidden, 1.0), TanhWithoutSquare(),
                                 _affine(rng, hidden, n_out, 1.0)])
        return network, (x,)
    if name == "SoftmaxCrossEntropyWithoutBatchMean":
        classes = n_out + 1
        return SoftmaxCrossEntropyWithoutBatchMean(), (x[:, :1] * rng.normal(size=(1, classes)),
                                                      np.eye(classes)[rng.integers(0, classes, size=batch)])
    if name == "BCEWithWrongSign":
        probabilities = rng.uniform(0.05, 0.95, size=(batch, n_out))
        return BCEWithWrongSign(), (probabilities, rng.integers(0, 2, size=(batch, n_out)).astype(float))
    raise ValueError(name)


WRONG = ["SigmoidWithoutOneMinus", "SigmoidOfX", "TanhWithoutSquare", "ReLUWithoutMask", "AffineWithOneRowOfBias",
         "AffineWithHalfWeights", "AffineThatAccumulates", "wrong layer inside a stack",
         "SoftmaxCrossEntropyWithoutBatchMean", "BCEWithWrongSign", "SigmoidWithOneNaN", "SigmoidThatReturnsInf",
         "ReLUFromTheTextbook", "SigmoidThatScalesDoutInPlace", "TanhThatZeroesDoutAfterwards"]
#: Wrong passes whose *values* are right: only the check of dout, the NaN check or a second call can catch them.
OUTRIGHT = {"AffineThatAccumulates": "different grads['W']", "SigmoidWithOneNaN": "NaN",
            "SigmoidThatReturnsInf": "NaN or inf", "ReLUFromTheTextbook": "changed dout in place",
            "SigmoidThatScalesDoutInPlace": "changed dout in place", "TanhThatZeroesDoutAfterwards": "changed dout"}


@pytest.mark.parametrize("name", WRONG)
def test_every_wrong_backward_is_flagged(name):
    rng = np.random.default_rng(WRONG.index(name) + 1000)
    for draw in range(40):
        layer, arguments = draw_wrong(name, rng)
        report = cu.gradient_check_report(layer, *arguments, seed=draw)
        error = cu.gradient_check(layer, *arguments, seed=draw)
        assert error > BUG and report.verdict == "bug", f"{name}, draw {draw}: {report}"
        assert not np.isnan(error)
        if name in OUTRIGHT:
            assert error == np.inf
            assert any(OUTRIGHT[name] in problem for problem in report.problems), report


def test_the_textbook_relu_passed_the_old_check_because_it_reused_dout():
    """The old gradient_check weighted the numerical gradient with the dout that backward had zeroed."""
    x = np.array([[-1.0, 2.0, -3.0], [0.5, -0.5, 4.0]])
    report = cu.gradient_check_report(ReLUFromTheTextbook(), x)
    assert report.errors["dx"] < FINE  # the values are right...
    assert report.error == np.inf  # ...but the caller's dout was destroyed
    assert report.problems == ("backward changed dout in place (dout[...] = ..., dout *= ...); "
                               "it must build a new array",)


def test_a_forward_that_changes_x_in_place_is_flagged():
    class ShiftingSoftmaxLoss(cu.SoftmaxCrossEntropy):
        def forward(self, prediction, target):
            prediction -= prediction.max(axis=-1, keepdims=True)  # the in-place max shift
            return super().forward(prediction, target)

    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    report = cu.gradient_check_report(ShiftingSoftmaxLoss(), logits, np.eye(3)[[1, 2]])
    assert "forward changed its input x in place" in report.problems
    assert logits.tolist() == [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]  # the caller's array is never touched


def test_backward_returning_the_wrong_shape_or_none_is_a_problem_not_a_crash():
    class ReturnsNothing(cu.Sigmoid):
        def backward(self, dout):
            super().backward(dout)

    class ReturnsTransposed(cu.Sigmoid):
        def backward(self, dout):
            return super().backward(dout).T

    x = np.ones((2, 3))
    assert cu.gradient_check(ReturnsNothing(), x) == np.inf
    report = cu.gradient_check_report(ReturnsTransposed(), x)
    assert report.error == np.inf and any("shape (3, 2)" in problem for problem in report.problems)


def test_a_forward_that_is_nan_near_x_is_a_failure():
    class LogLayer(cu.Sigmoid):
        def forward(self, x):
            self.x = np.array(x, dtype=float)
            with np.errstate(all="ignore"):
                return np.log(self.x)

        def backward(self, dout):
            with np.errstate(all="ignore"):
                return dout / self.x

    near_zero = cu.gradient_check_report(LogLayer(), np.array([1.0, 2.0, 1e-7]))  # log(1e-7 - h) is NaN
    assert near_zero.error == np.inf and near_zero.verdict == "bug"
    assert near_zero.problems == ("the numerical gradient of dx contains NaN or inf (forward is not finite near x)",)
    at_zero = cu.gradient_check_report(LogLayer(), np.array([1.0, 2.0, 0.0]))  # log(0) = -inf
    assert at_zero.error == np.inf and "forward returned NaN or inf" in at_zero.problems


# ------------------------------------------------------------------ the measures themselves
@pytest.mark.parametrize("position", [0, 1, 4])
def test_nan_anywhere_is_a_failure_in_both_measures(position):
    analytic = np.ones(5)
    numeric = np.ones(5)
    numeric[position] = np.nan
    assert cu.relative_error(analytic, numeric) == np.inf
    assert cu.normwise_relative_error(analytic, numeric) == np.inf
    assert cu.normwise_relative_error(numeric, analytic) == np.inf


def test_normwise_relative_error_values():
    assert cu.normwise_relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert cu.normwise_relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert cu.normwise_relative_error([1.0, 0.0], [-1.0, 0.0]) == 1.0  # opposite signs
    assert cu.normwise_relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0
    # one tiny entry that is completely wrong does not dominate, as it would element-wise
    assert cu.normwise_relative_error([1.0, 1e-12], [1.0, -1e-12]) < 1e-11
    assert cu.relative_error([1.0, 1e-12], [1.0, -1e-12], floor=1e-20) > 1.0
    # no overflow or underflow in the norms
    assert cu.normwise_relative_error([1e300, 1e300], [1e300, 1e300]) == 0.0
    assert cu.normwise_relative_error([1e-300, 0.0], [2e-300, 0.0]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="shape"):
        cu.normwise_relative_error([1.0], [1.0, 2.0])


def test_the_step_scales_with_x_so_large_inputs_are_checked_accurately():
    layer = cu.Affine(np.array([[2.0], [-1.0]]), np.array([0.5]))
    x = np.array([[1e6, -3e5]])
    # A fixed step of 1e-6 is only ~10 float spacings at x = 1e6: the old check was noisy here.
    assert cu.gradient_check_report(layer, x).errors["dx"] < FINE
    assert cu.gradient_check_report(layer, x, eps=1e-6).errors["dx"] > 1e-6
    # The output is 2.3e6, so the bias gradient (a step of 6e-6 on an output with spacing 5e-10)
    # carries rounding noise of up to ~4e-5: not fine, but never a false alarm.
    assert cu.gradient_check(layer, x) < BUG


def test_gradient_check_refuses_a_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        cu.gradient_check(cu.Sigmoid(), np.ones(2), eps=-1e-6)
    with pytest.raises(TypeError, match="eps"):
        cu.gradient_check(cu.Sigmoid(), np.ones(2), eps="small")


def test_gradient_check_leaves_the_layer_as_forward_x_left_it():
    layer = cu.Sigmoid()
    x = np.array([0.5, -1.0])
    cu.gradient_check(layer, x)
    assert np.array_equal(layer.out, cu.sigmoid(x))


def test_the_report_reads_well():
    report = cu.gradient_check_report(cu.Affine(np.ones((2, 1)), np.zeros(1)), np.ones((3, 2)))
    assert list(report.errors) == ["dx", "W", "b"]
    assert report.verdict == "fine"
    assert str(report).startswith("gradient check: fine (relative error ")
    network = cu.Sequential([cu.Affine(np.ones((2, 2)), np.zeros(2)), cu.Tanh()])
    assert list(cu.gradient_check_report(network, np.ones((1, 2))).errors) == ["dx", "layers[0].W", "layers[0].b"]
