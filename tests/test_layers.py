"""Layers: forward/backward contracts, caching, batches, conventions, losses, Sequential."""

import numpy as np
import pytest

import course_utils as cu

ELEMENTWISE = [cu.Sigmoid, cu.Tanh, cu.ReLU, lambda: cu.LeakyReLU(0.2), cu.Identity]
IDS = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity"]


def test_sigmoid_layer_caches_its_output_and_reproduces_the_classic_example():
    layer = cu.Sigmoid()
    out = layer.forward(np.array([24, 32, 5]))
    assert np.array_equal(layer.out, out) and layer.out is not out  # the caller gets a copy
    assert repr(out) == "array([1.        , 1.        , 0.99330715])"
    assert np.allclose(layer.backward(np.ones(3)), out * (1 - out))


@pytest.mark.parametrize("make", ELEMENTWISE, ids=IDS)
def test_backward_before_forward_is_a_clear_error(make):
    with pytest.raises(RuntimeError, match="before forward"):
        make().backward(np.ones(3))


@pytest.mark.parametrize("make", ELEMENTWISE + [lambda: cu.Affine(np.ones((3, 2)), np.zeros(2))],
                         ids=IDS + ["Affine"])
def test_backward_never_mutates_dout_and_handles_leading_shapes(make):
    layer = make()
    x = np.random.default_rng(0).normal(size=(2, 4, 3))
    out = layer.forward(x)
    dout = np.random.default_rng(1).normal(size=out.shape)
    before = dout.copy()
    dx = layer.backward(dout)
    assert np.array_equal(dout, before)
    assert dx.shape == x.shape


@pytest.mark.parametrize("make", ELEMENTWISE, ids=IDS)
def test_dout_with_the_wrong_shape_is_refused(make):
    layer = make()
    layer.forward(np.zeros(3))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones(4))


def test_relu_and_leaky_relu_layers_follow_the_kink_convention_of_the_functions():
    x = np.array([-1.0, 0.0, 2.0])
    relu, leaky = cu.ReLU(), cu.LeakyReLU(0.3)
    relu.forward(x)
    leaky.forward(x)
    assert np.array_equal(relu.backward(np.ones(3)), cu.relu_grad(x))
    assert np.array_equal(leaky.backward(np.ones(3)), cu.leaky_relu_grad(x, 0.3))


def test_tanh_layer_uses_one_minus_y_squared():
    layer = cu.Tanh()
    y = layer.forward(np.array([0.5, -1.0]))
    assert np.allclose(layer.backward(np.ones(2)), 1 - y**2)


def test_affine_forward_and_gradients():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = np.array([0.5, -0.5])
    layer = cu.Affine(W, b)
    x = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    assert np.allclose(layer.forward(x), x @ W + b)
    dout = np.array([[1.0, 0.0], [0.0, 1.0]])
    dx = layer.backward(dout)
    assert np.allclose(dx, dout @ W.T)
    assert np.allclose(layer.dW, x.T @ dout) and np.allclose(layer.db, dout.sum(axis=0))
    assert layer.dW.shape == W.shape and layer.db.shape == b.shape


def test_affine_copies_its_parameters_and_validates_shapes():
    W = np.ones((2, 3))
    layer = cu.Affine(W, np.zeros(3))
    layer.params["W"] += 1
    assert W[0, 0] == 1.0
    with pytest.raises(ValueError, match="W must be 2-D"):
        cu.Affine(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="b must have shape"):
        cu.Affine(np.ones((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match="x must have shape"):
        layer.forward(np.ones((4, 5)))


def test_affine_initialise_is_seeded_and_scaled():
    a = cu.Affine.initialise(100, 50, np.random.default_rng(0), scheme="he")
    b = cu.Affine.initialise(100, 50, np.random.default_rng(0), scheme="he")
    assert np.array_equal(a.W, b.W) and np.all(a.b == 0)
    assert 0.12 < a.W.std() < 0.16  # sqrt(2/100) = 0.141
    with pytest.raises(ValueError, match="scheme"):
        cu.Affine.initialise(2, 2, np.random.default_rng(0), scheme="magic")


def test_losses_values_and_errors():
    assert cu.MSELoss().forward([1.0, 3.0], [0.0, 0.0]) == 5.0
    bce = cu.BCELoss()
    assert np.isclose(bce.forward([0.5], [1.0]), np.log(2))
    assert np.isfinite(bce.forward([1.0, 0.0], [0.0, 1.0]))  # saturated outputs: clipped, finite
    sce = cu.SoftmaxCrossEntropy()
    assert np.isclose(sce.forward([[1000.0, 0.0]], [[0.0, 1.0]]), 1000.0)
    assert np.allclose(sce.backward(), [[1.0, -1.0]])
    with pytest.raises(ValueError, match="shape"):
        cu.MSELoss().forward([1.0, 2.0], [1.0])
    with pytest.raises(RuntimeError, match="before forward"):
        cu.MSELoss().backward()


def test_sequential_learns_xor_deterministically():
    rng = np.random.default_rng(0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([[0], [1], [1], [0]], dtype=float)
    net = cu.Sequential([cu.Affine.initialise(2, 4, rng), cu.Sigmoid(), cu.Affine.initialise(4, 1, rng), cu.Sigmoid()])
    loss = cu.MSELoss()
    for _ in range(4000):
        loss.forward(net.forward(X), t)
        net.backward(loss.backward())
        net.step(lr=2.0)
    assert np.array_equal(net.forward(X) > 0.5, t > 0.5)
    assert cu.gradient_check(net, X) < 1e-6
