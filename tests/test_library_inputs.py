"""The library refuses nonsense: bad arguments get a clear TypeError/ValueError naming the argument,
or the mathematically right value; layers never keep a reference the caller can change under them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import course_utils as cu
from course_utils import training


@pytest.fixture(autouse=True)
def _warnings_are_failures():
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ====================================================================== BCELoss
@pytest.mark.parametrize("prediction,match", [
    ([2.0, -1.0], r"prediction must hold probabilities .*not logits.*from -1 to 2"),
    ([0.5, 1.0000001], "prediction must hold probabilities"),
    ([0.5, np.nan], "prediction contains NaN"),
])
def test_bce_refuses_predictions_outside_zero_one(prediction, match):
    with pytest.raises(ValueError, match=match):
        cu.BCELoss().forward(prediction, [1.0, 0.0])


@pytest.mark.parametrize("target", [[1.5, 0.0], [-0.1, 1.0], [np.nan, 1.0]])
def test_bce_refuses_targets_outside_zero_one(target):
    with pytest.raises(ValueError, match="target"):
        cu.BCELoss().forward([0.3, 0.6], target)


@pytest.mark.parametrize("eps,error", [(-1e-12, ValueError), (0.0, ValueError), (0.5, ValueError), (np.nan, ValueError),
                                       (np.inf, ValueError), ("1e-12", TypeError), (None, TypeError)])
def test_bce_refuses_a_bad_eps(eps, error):
    with pytest.raises(error, match="eps"):
        cu.BCELoss(eps=eps)


def test_bce_still_accepts_the_edges_and_soft_targets():
    loss = cu.BCELoss()
    assert np.isfinite(loss.forward([0.0, 1.0], [1.0, 0.0]))  # saturated outputs: clipped, finite
    assert loss.forward([0.25, 0.75], [0.25, 0.75]) == pytest.approx(-np.log(0.75) * 0.75 - np.log(0.25) * 0.25)


# ====================================================================== SoftmaxCrossEntropy
def test_a_masked_logit_with_target_zero_contributes_nothing():
    masked = np.array([[2.0, -np.inf, 0.5], [-np.inf, 1.0, -1.0]])
    target = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    loss = cu.SoftmaxCrossEntropy()
    value = loss.forward(masked, target)
    # the same as the loss over the unmasked classes only
    expected = -(cu.log_softmax([2.0, 0.5])[0] + cu.log_softmax([1.0, -1.0])[1]) / 2
    assert value == pytest.approx(expected, rel=1e-15)
    gradient = loss.backward()
    assert np.all(np.isfinite(gradient)) and gradient[0, 1] == 0.0 and gradient[1, 0] == 0.0


def test_a_masked_logit_with_a_positive_target_gives_an_infinite_loss_without_a_warning():
    assert cu.SoftmaxCrossEntropy().forward([[0.0, -np.inf]], [[0.5, 0.5]]) == np.inf


@pytest.mark.parametrize("target,match", [
    ([[1.2, -0.2]], "non-negative"),
    ([[1.0, 1.0]], "row 0 sums to 2"),
    ([[0.3, 0.3]], "row 0 sums to 0.6"),
    ([[np.nan, 1.0]], "finite"),
])
def test_softmax_cross_entropy_refuses_targets_that_are_not_distributions(target, match):
    with pytest.raises(ValueError, match=match):
        cu.SoftmaxCrossEntropy().forward([[0.1, 0.2]], target)


def test_softmax_cross_entropy_explains_class_labels_and_shapes():
    with pytest.raises(ValueError, match=r"one-hot.*np\.eye"):
        cu.SoftmaxCrossEntropy().forward(np.zeros((3, 4)), [0, 2, 1])
    with pytest.raises(ValueError, match="shape"):
        cu.SoftmaxCrossEntropy().forward(np.zeros((3, 4)), np.eye(3))
    with pytest.raises(ValueError, match="NaN"):
        cu.SoftmaxCrossEntropy().forward([[np.nan, 0.0]], [[1.0, 0.0]])
    with pytest.raises(ValueError, match="only -inf"):
        cu.SoftmaxCrossEntropy().forward([[-np.inf, -np.inf]], [[1.0, 0.0]])


def test_softmax_cross_entropy_accepts_tiny_rounding_in_soft_targets():
    soft = np.full((2, 3), 1 / 3)  # each row sums to 1 - 1e-16 or so
    assert np.isfinite(cu.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), soft))


# ====================================================================== Perceptron.fit
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_perceptron_fit_refuses_non_finite_inputs(bad):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, bad], [1.0, 1.0]])
    neuron = cu.Perceptron([0.0, 0.0])
    with pytest.raises(ValueError, match=r"X must contain only finite numbers, but row 2"):
        neuron.fit(X, [0, 0, 0, 1])
    assert neuron.weights.tolist() == [0.0, 0.0]  # nothing changed


def test_perceptron_fit_names_wrong_labels_and_suggests_the_fix_for_plus_minus_one():
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match=r"0 and 1 labels, got also \[-1\.0\].*\(y \+ 1\) / 2"):
        cu.Perceptron([0.0, 0.0]).fit(X, [-1, 1])
    with pytest.raises(ValueError, match=r"0 and 1 labels, got also \[nan\]"):
        cu.Perceptron([0.0, 0.0]).fit(X, [np.nan, 1])


# ====================================================================== layers keep their own copies
def test_changing_x_between_forward_and_backward_cannot_corrupt_dW():
    rng = np.random.default_rng(0)
    W, b, x, dout = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer = cu.Affine(W, b)
    layer.forward(x)
    expected_dW = x.T @ dout
    x[...] = 0.0  # the caller reuses its buffer
    layer.backward(dout)
    assert np.allclose(layer.dW, expected_dW, rtol=1e-14, atol=0)


@pytest.mark.parametrize("make", [cu.Sigmoid, cu.Tanh, cu.ReLU, lambda: cu.LeakyReLU(0.1), cu.Identity])
def test_changing_the_input_or_the_output_cannot_change_backward(make):
    x = np.array([[-1.5, 0.5, 2.0]])
    dout = np.array([[0.3, -1.0, 2.0]])
    reference = make()
    reference.forward(x.copy())
    expected = reference.backward(dout)

    layer = make()
    x_passed = x.copy()
    out = layer.forward(x_passed)
    x_passed[...] = 7.0
    out[...] = -3.0  # e.g. a later in-place operation on the activations
    assert np.array_equal(layer.backward(dout), expected)


@pytest.mark.parametrize("make,prediction,target", [
    (cu.MSELoss, [[0.2, 0.9]], [[0.0, 1.0]]),
    (cu.BCELoss, [[0.2, 0.9]], [[0.0, 1.0]]),
    (cu.SoftmaxCrossEntropy, [[0.2, 0.9]], [[0.0, 1.0]]),
])
def test_losses_keep_their_own_prediction_and_target(make, prediction, target):
    reference = make()
    reference.forward(np.array(prediction), np.array(target))
    expected = reference.backward()

    loss = make()
    p, t = np.array(prediction), np.array(target)
    loss.forward(p, t)
    p[...] = 0.5
    t[...] = 0.5
    assert np.array_equal(loss.backward(), expected)


def test_affine_refuses_non_finite_parameters():
    with pytest.raises(ValueError, match="W must contain only finite"):
        cu.Affine([[np.nan]], [0.0])
    with pytest.raises(ValueError, match="b must contain only finite"):
        cu.Affine([[1.0]], [np.inf])


# ====================================================================== Affine.initialise schemes
@pytest.mark.parametrize("scheme,variance", [
    ("lecun", lambda n_in, n_out: 1 / n_in),
    ("glorot", lambda n_in, n_out: 2 / (n_in + n_out)),
    ("xavier", lambda n_in, n_out: 2 / (n_in + n_out)),
    ("he", lambda n_in, n_out: 2 / n_in),
    ("small", lambda n_in, n_out: 1e-4),
])
def test_initialisation_names_match_their_formulas(scheme, variance):
    n_in, n_out = 400, 100  # n_in != n_out, so LeCun and Glorot differ (by a factor 1.6)
    layer = cu.Affine.initialise(n_in, n_out, np.random.default_rng(0), scheme=scheme)
    expected = variance(n_in, n_out)
    assert abs(layer.W.var() / expected - 1) < 0.02  # 40,000 draws: sampling error ~0.7 %
    assert np.all(layer.b == 0)


def test_lecun_is_the_default_and_keeps_the_old_numbers():
    default = cu.Affine.initialise(5, 3, np.random.default_rng(1))
    lecun = cu.Affine.initialise(5, 3, np.random.default_rng(1), scheme="lecun")
    raw = np.random.default_rng(1).standard_normal((5, 3)) * np.sqrt(1.0 / 5)  # what "xavier" used to mean
    assert np.array_equal(default.W, lecun.W) and np.array_equal(default.W, raw)
    xavier = cu.Affine.initialise(5, 3, np.random.default_rng(1), scheme="xavier")
    glorot = cu.Affine.initialise(5, 3, np.random.default_rng(1), scheme="glorot")
    assert np.array_equal(xavier.W, glorot.W) and not np.array_equal(xavier.W, lecun.W)
    assert training.DEFAULT_SCHEME == {"sigmoid": "lecun", "tanh": "lecun", "identity": "lecun", "relu": "he",
                                       "leaky_relu": "he"}


@pytest.mark.parametrize("kwargs,error,match", [
    ({"n_in": 0}, ValueError, "n_in"), ({"n_out": 2.5}, TypeError, "n_out"), ({"rng": None}, TypeError, "rng"),
    ({"scheme": "Xavier"}, ValueError, "scheme"), ({"scheme": None}, ValueError, "scheme"),
])
def test_initialise_refuses_bad_arguments(kwargs, error, match):
    arguments = {"n_in": 2, "n_out": 3, "rng": np.random.default_rng(0), **kwargs}
    with pytest.raises(error, match=match):
        cu.Affine.initialise(**arguments)


def test_initialise_accepts_an_integer_seed():
    assert np.array_equal(cu.Affine.initialise(2, 3, 7).W, cu.Affine.initialise(2, 3, np.random.default_rng(7)).W)


# ====================================================================== Sequential
@pytest.mark.parametrize("layers,error,match", [
    (cu.Sigmoid(), TypeError, r"list of layers.*single Sigmoid.*\[ \]"),
    ([cu.Affine(np.ones((2, 1)), np.zeros(1)), cu.Sigmoid], TypeError,
     r"layers\[1\] is the class Sigmoid.*Sigmoid\(\)"),
    ([cu.Sigmoid(), "relu"], TypeError, r"layers\[1\] must be a layer"),
    ([cu.sigmoid], TypeError, r"layers\[0\] must be a layer"),
    (42, TypeError, "layers must be a list"),
    ([], ValueError, "empty"),
])
def test_sequential_refuses_what_is_not_a_list_of_layers(layers, error, match):
    with pytest.raises(error, match=match):
        cu.Sequential(layers)


def test_sequential_step_checks_lr_and_the_gradients():
    network = cu.Sequential([cu.Affine(np.ones((2, 1)), np.zeros(1))])
    with pytest.raises(TypeError, match="lr"):
        network.step("0.1")
    with pytest.raises(ValueError, match="lr"):
        network.step(np.nan)
    network.layers[0].grads["W"] = np.ones((1, 2))  # a transposed gradient
    with pytest.raises(ValueError, match=r"layers\[0\]\.grads\['W'\] has shape \(1, 2\)"):
        network.step(0.1)
    network.layers[0].grads["W"] = np.ones((2, 1))
    del network.layers[0].grads["b"]
    with pytest.raises(ValueError, match="no grads"):
        network.step(0.1)


# ====================================================================== training helpers
def _xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array([[0], [1], [1], [0]], dtype=float)


@pytest.mark.parametrize("network,loss,error,match", [
    ("net", cu.BCELoss(), TypeError, "network must be a Sequential"),
    ([cu.Affine(np.ones((2, 1)), np.zeros(1)), cu.Sigmoid()], cu.BCELoss(), TypeError, "network must be a Sequential"),
    (cu.Sequential, cu.BCELoss(), TypeError, "network is the class Sequential"),
    (None, cu.BCELoss(), TypeError, "network"),
    ("ok", cu.BCELoss, TypeError, r"loss is the class BCELoss.*BCELoss\(\)"),
    ("ok", "bce", TypeError, "loss must be a layer"),
])
def test_train_and_train_step_name_a_bad_network_or_loss(network, loss, error, match):
    X, t = _xor()
    if network == "ok":
        network = training.mlp([2, 2, 1], "sigmoid", 0, output="sigmoid")
    with pytest.raises(error, match=match):
        training.train(network, loss, X, t, lr=0.1, epochs=1)
    with pytest.raises(error, match=match):
        training.train_step(network, loss, X, t, lr=0.1)


@pytest.mark.parametrize("lr,error", [(0.0, ValueError), (-0.5, ValueError), ("0.1", TypeError), (np.inf, ValueError)])
def test_train_step_checks_lr(lr, error):
    X, t = _xor()
    network = training.mlp([2, 2, 1], "sigmoid", 0, output="sigmoid")
    with pytest.raises(error, match="lr"):
        training.train_step(network, cu.BCELoss(), X, t, lr)


def test_targets_without_the_column_axis_get_a_hint():
    X, t = _xor()
    network = training.mlp([2, 2, 1], "sigmoid", 0, output="sigmoid")
    with pytest.raises(ValueError, match=r"y\[:, None\]"):
        training.train(network, cu.BCELoss(), X, t.ravel(), lr=0.1, epochs=1)


def test_mlp_and_the_measuring_helpers_name_their_arguments():
    with pytest.raises(TypeError, match="sizes must be a list"):
        training.mlp(16, "relu", 0)
    with pytest.raises(TypeError, match=r"sizes\[1\]"):
        training.mlp([2, "16", 1], "relu", 0)
    with pytest.raises(ValueError, match="activation"):
        training.mlp([2, 3, 1], ["relu"], 0)
    with pytest.raises(TypeError, match="network"):
        training.weight_gradient_norms([cu.Affine(np.ones((2, 1)), np.zeros(1))])
    with pytest.raises(TypeError, match="network"):
        training.dead_unit_fraction("network", np.ones((2, 2)))
    with pytest.raises(TypeError, match=r"\bX\b"):
        training.dead_unit_fraction(training.mlp([2, 3, 1], "relu", 0), "X")
