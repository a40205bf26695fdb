"""course_utils.datasets and course_utils.training: shapes, determinism, geometry, gradients, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import course_utils as cu
from course_utils import datasets, training

GENERATORS = [datasets.xor_points, datasets.two_moons, datasets.spirals]
IDS = ["xor_points", "two_moons", "spirals"]


@pytest.fixture(autouse=True)
def _floating_point_errors_are_failures():
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ====================================================================== datasets
@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
@given(n=st.integers(1, 300), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=25, deadline=None)
def test_shapes_and_dtypes(make, n, seed):
    X, y = make(n, seed)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_same_seed_same_data_and_generator_or_int_agree(make):
    X1, y1 = make(50, 3)
    X2, y2 = make(50, 3)
    X3, y3 = make(50, np.random.default_rng(3))
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert np.array_equal(X1, X3) and np.array_equal(y1, y3)
    X4, _ = make(50, 4)
    assert not np.array_equal(X1, X4)


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
def test_a_shared_generator_advances(make):
    rng = np.random.default_rng(0)
    X1, _ = make(20, rng)
    X2, _ = make(20, rng)
    assert not np.array_equal(X1, X2)


def test_xor_points_without_noise_are_the_truth_table():
    X, y = datasets.xor_points(200, 0, noise=0.0)
    assert set(map(tuple, X.astype(int))) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert np.array_equal(y, (X[:, 0] != X[:, 1]).astype(int))


def test_xor_points_labels_follow_the_nearest_corner_for_small_noise():
    X, y = datasets.xor_points(500, 1, noise=0.1)
    corners = np.round(np.clip(X, 0, 1))
    assert np.mean(y == (corners[:, 0] != corners[:, 1])) > 0.99


def test_two_moons_without_noise_lie_on_their_half_circles():
    X, y = datasets.two_moons(101, 2, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    assert len(upper) == 50 and len(lower) == 51
    assert np.allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0) and np.all(upper[:, 1] >= 0)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0) and np.all(lower[:, 1] <= 0.5)


def test_two_moons_classes_are_shuffled():
    _, y = datasets.two_moons(200, 0)
    assert 0 < np.argmax(y) < 50  # not 100 zeros followed by 100 ones


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_spirals_without_noise_follow_their_arm(classes):
    X, y = datasets.spirals(120, 1, classes=classes, noise=0.0, turns=1.5)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.all(radius <= 1.0)
    assert np.array_equal(np.bincount(y), np.full(classes, 120 // classes))
    expected_angle = 2 * np.pi * (1.5 * radius + y / classes)
    difference = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected_angle)))
    assert np.allclose(difference[radius > 1e-9], 0.0, atol=1e-9)


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
@pytest.mark.parametrize("n,error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError),
                                     ("10", TypeError)])
def test_bad_n_is_named(make, n, error):
    with pytest.raises(error, match=r"\bn\b"):
        make(n, 0)


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
@pytest.mark.parametrize("rng,error", [(None, TypeError), ("0", TypeError), (1.5, TypeError), (True, TypeError),
                                       (-1, ValueError)])
def test_bad_rng_is_named(make, rng, error):
    with pytest.raises(error, match="rng"):
        make(10, rng)


@pytest.mark.parametrize("make", GENERATORS, ids=IDS)
@pytest.mark.parametrize("noise,error", [(-0.1, ValueError), (np.nan, ValueError), ("0.1", TypeError)])
def test_bad_noise_is_named(make, noise, error):
    with pytest.raises(error, match="noise"):
        make(10, 0, noise=noise)


@pytest.mark.parametrize("kwargs,name", [({"classes": 1}, "classes"), ({"classes": 2.0}, "classes"),
                                         ({"turns": 0}, "turns"), ({"turns": -1.0}, "turns")])
def test_bad_spiral_arguments_are_named(kwargs, name):
    with pytest.raises((TypeError, ValueError), match=name):
        datasets.spirals(10, 0, **kwargs)


# ====================================================================== training: mlp
def test_mlp_stacks_affine_and_activation_layers():
    net = training.mlp([2, 5, 4, 1], "tanh", 0, output="sigmoid")
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Affine", "Tanh", "Affine", "Tanh", "Affine", "Sigmoid"]
    shapes = [layer.W.shape for layer in net.layers if isinstance(layer, cu.Affine)]
    assert shapes == [(2, 5), (5, 4), (4, 1)]
    assert all(np.all(layer.b == 0) for layer in net.layers if isinstance(layer, cu.Affine))


def test_mlp_without_output_activation_ends_with_affine():
    net = training.mlp([3, 4, 2], "relu", 0)
    assert isinstance(net.layers[-1], cu.Affine)
    assert net.forward(np.ones((5, 3))).shape == (5, 2)


@pytest.mark.parametrize("activation,scale", [("sigmoid", 1.0), ("tanh", 1.0), ("relu", 2.0), ("leaky_relu", 2.0)])
def test_mlp_uses_the_matching_initialisation(activation, scale):
    net = training.mlp([400, 400, 1], activation, 0)
    std = net.layers[0].W.std()
    assert abs(std - np.sqrt(scale / 400)) < 0.02 * np.sqrt(scale / 400)


def test_mlp_scheme_can_be_overridden():
    net = training.mlp([400, 400, 1], "relu", 0, scheme="small")
    assert abs(net.layers[0].W.std() - 0.01) < 0.0005


def test_mlp_is_deterministic_for_an_integer_seed():
    a, b = training.mlp([2, 3, 1], "relu", 5), training.mlp([2, 3, 1], "relu", 5)
    assert all(np.array_equal(x.W, y.W) for x, y in zip(a.layers[::2], b.layers[::2]))


@pytest.mark.parametrize("kwargs,match", [
    ({"sizes": [2], "activation": "relu"}, "sizes"),
    ({"sizes": [2, 0, 1], "activation": "relu"}, "sizes"),
    ({"sizes": [2, 3, 1], "activation": "softmax"}, "activation"),
    ({"sizes": [2, 3, 1], "activation": "relu", "output": "step"}, "output"),
    ({"sizes": [2, 3, 1], "activation": "relu", "scheme": "glorot_uniform"}, "scheme"),
])
def test_mlp_bad_arguments_are_named(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        training.mlp(rng=0, **kwargs)


# ====================================================================== training: steps
def _xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array([[0], [1], [1], [0]], dtype=float)


def test_train_step_is_forward_loss_backward_update():
    X, t = _xor()
    net, twin = training.mlp([2, 3, 1], "sigmoid", 1, output="sigmoid"), training.mlp([2, 3, 1], "sigmoid", 1,
                                                                                         output="sigmoid")
    returned = training.train_step(net, cu.MSELoss(), X, t, 0.3)

    loss = cu.MSELoss()
    expected = loss.forward(twin.forward(X), t)
    twin.backward(loss.backward())
    for layer in twin.layers:
        for name in layer.params:
            layer.params[name] = layer.params[name] - 0.3 * layer.grads[name]
    assert returned == pytest.approx(expected, rel=1e-12)
    for a, b in zip(net.layers, twin.layers):
        for name in a.params:
            assert np.allclose(a.params[name], b.params[name], rtol=1e-12, atol=0)


def test_train_returns_one_loss_per_epoch_and_solves_xor():
    X, t = _xor()
    net = training.mlp([2, 2, 1], "sigmoid", 0, output="sigmoid")
    losses = training.train(net, cu.BCELoss(), X, t, lr=1.0, epochs=3000)
    assert len(losses) == 3000 and all(isinstance(v, float) for v in losses)
    assert losses[-1] < 0.01 < losses[0]
    assert np.array_equal(net.forward(X) > 0.5, t == 1)


def test_train_is_deterministic():
    X, t = _xor()
    runs = [training.train(training.mlp([2, 4, 1], "tanh", 3, output="sigmoid"), cu.BCELoss(), X, t, 0.5, 50)
            for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("kwargs,match", [({"lr": 0.0}, "lr"), ({"lr": -1.0}, "lr"), ({"lr": "0.1"}, "lr"),
                                          ({"epochs": 0}, "epochs"), ({"epochs": 2.5}, "epochs")])
def test_train_bad_arguments_are_named(kwargs, match):
    X, t = _xor()
    arguments = {"lr": 0.1, "epochs": 1, **kwargs}
    with pytest.raises((TypeError, ValueError), match=match):
        training.train(training.mlp([2, 2, 1], "relu", 0), cu.MSELoss(), X, t, **arguments)


# ====================================================================== training: gradient norms
def test_weight_gradient_norms_match_numerical_gradients():
    rng = np.random.default_rng(4)
    net = training.mlp([3, 4, 4, 2], "tanh", rng, output="sigmoid")
    X, targets = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    loss = cu.MSELoss()

    def loss_value():
        return loss.forward(net.forward(X), targets)

    loss_value()
    net.backward(loss.backward())
    analytic = training.weight_gradient_norms(net)
    numeric = []
    for layer in net.layers:
        if isinstance(layer, cu.Affine):
            W = layer.params["W"]

            def at(point, W=W):
                saved = W.copy()
                W[...] = point
                value = loss_value()
                W[...] = saved
                return value

            numeric.append(np.linalg.norm(cu.numerical_gradient(at, W.copy())))
    assert analytic.shape == (3,)
    assert np.allclose(analytic, numeric, rtol=1e-6)


def test_gradient_norms_per_layer_rebuilds_the_described_experiment():
    norms = training.gradient_norms_per_layer("sigmoid", depth=4, width=6, rng=9, samples=7)
    rng = np.random.default_rng(9)
    net = training.mlp([6] * 5, "sigmoid", rng, output="sigmoid")
    X, targets = rng.standard_normal((7, 6)), rng.standard_normal((7, 6))
    loss = cu.MSELoss()
    loss.forward(net.forward(X), targets)
    net.backward(loss.backward())
    assert np.array_equal(norms, training.weight_gradient_norms(net))


def test_gradient_norms_vanish_for_sigmoid_but_not_for_tanh_or_relu():
    sigmoid = training.gradient_norms_per_layer("sigmoid", 10)
    assert sigmoid.shape == (10,)
    assert sigmoid[0] / sigmoid[-1] < 1e-5
    assert np.all(np.diff(np.log(sigmoid)) > 0)  # shrinks at every layer towards the input
    for name in ("tanh", "relu"):
        norms = training.gradient_norms_per_layer(name, 10)
        assert 0.1 < norms[0] / norms[-1] < 10


def test_small_initialisation_makes_every_gradient_vanish():
    sigmoid = training.gradient_norms_per_layer("sigmoid", 10, scheme="small")
    assert sigmoid[0] / sigmoid[-1] < 1e-12
    for name in ("tanh", "relu"):
        small = training.gradient_norms_per_layer(name, 10, scheme="small")
        matched = training.gradient_norms_per_layer(name, 10)
        assert np.all(small < 1e-10) and np.all(matched > 1e-2)


def test_gradient_norms_are_reproducible_for_an_integer_seed():
    assert np.array_equal(training.gradient_norms_per_layer("tanh", 6, rng=2),
                          training.gradient_norms_per_layer("tanh", 6, rng=2))


@pytest.mark.parametrize("kwargs,match", [({"activation": "gelu"}, "activation"), ({"depth": 0}, "depth"),
                                          ({"width": 0}, "width"), ({"samples": 0}, "samples"),
                                          ({"rng": None}, "rng")])
def test_gradient_norms_bad_arguments_are_named(kwargs, match):
    arguments = {"activation": "relu", "depth": 3, **kwargs}
    with pytest.raises((TypeError, ValueError), match=match):
        training.gradient_norms_per_layer(**arguments)


# ====================================================================== training: dead units
def _relu_net(W1, b1, W2=None, b2=None):
    layers = [cu.Affine(W1, b1), cu.ReLU()]
    if W2 is not None:
        layers += [cu.Affine(W2, b2), cu.ReLU()]
    return cu.Sequential(layers)


def test_dead_unit_fraction_counts_units_off_for_every_input():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[1.0, -1.0, 0.0, 1.0], [1.0, -1.0, 0.0, -1.0]])
    b = np.array([0.0, 0.0, 0.0, 0.0])
    # unit 0 always on, unit 1 always negative, unit 2 exactly 0 (counts as off: relu_grad(0) = 0),
    # unit 3 on for the first input only
    assert training.dead_unit_fraction(_relu_net(W, b), X) == pytest.approx(2 / 4)


def test_dead_unit_fraction_pools_every_relu_layer():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    W1, b1 = np.eye(2), np.zeros(2)                                # both alive
    W2, b2 = np.array([[1.0, -1.0, 1.0], [1.0, -1.0, 1.0]]), np.array([0.0, 0.0, -100.0])  # 2 of 3 dead
    assert training.dead_unit_fraction(_relu_net(W1, b1, W2, b2), X) == pytest.approx(2 / 5)


def test_dead_unit_fraction_needs_a_relu_layer():
    net = training.mlp([2, 3, 1], "tanh", 0)
    with pytest.raises(ValueError, match="ReLU"):
        training.dead_unit_fraction(net, np.ones((4, 2)))


def test_a_large_learning_rate_kills_relu_units_on_two_moons():
    X, y = datasets.two_moons(200, 1, noise=0.15)
    fractions = {}
    for lr in (0.5, 2.0):
        net = training.mlp([2, 16, 16, 16, 16, 16, 16, 1], "relu", 0, output="sigmoid")
        training.train(net, cu.BCELoss(), X, y[:, None].astype(float), lr, 100)
        fractions[lr] = training.dead_unit_fraction(net, X)
    assert fractions[0.5] < 0.3 < 0.5 < fractions[2.0]
