"""The Perceptron and the gradient-checking tools."""

import numpy as np
import pytest

import course_utils as cu

GATES_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_the_sigmoid_perceptron_example_from_the_sources():
    neuron = cu.Perceptron([0.3, 0.2, 0.5], bias=-0.5, activation=cu.sigmoid)
    inputs = [[-3, -1, -2], [0.3, 0.4, -0.5], [-0.4, 0.2, 0.7], [0.1, 0.5, 0.9], [0.6, 0.7, 0.9], [1.2, 0.4, 1.5],
              [2, 2, 2]]
    affines = [round(neuron.affine(x), 3) for x in inputs]
    outputs = [round(neuron.forward(x), 3) for x in inputs]
    assert affines == [-2.6, -0.58, -0.23, 0.08, 0.27, 0.69, 1.5]
    assert outputs == [0.069, 0.359, 0.443, 0.52, 0.567, 0.666, 0.818]
    assert np.allclose(neuron.forward(np.array(inputs)), outputs, atol=5e-4)


def test_affine_gives_a_float_for_one_input_and_an_array_for_a_batch():
    neuron = cu.Perceptron([1.0, 2.0], bias=0.5)
    assert isinstance(neuron.affine([1.0, 1.0]), float)
    assert neuron.affine(GATES_X).shape == (4,)


@pytest.mark.parametrize("gate,targets", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0])])
def test_the_learning_rule_learns_linearly_separable_gates(gate, targets):
    neuron = cu.Perceptron([0.0, 0.0], bias=0.0)
    errors = neuron.fit(GATES_X, targets, lr=0.1, epochs=20)
    assert len(errors) == 20 and errors[0] > 0 and errors[-1] == 0
    assert neuron.predict(GATES_X).tolist() == targets


def test_the_learning_rule_never_learns_xor():
    errors = cu.Perceptron([0.0, 0.0]).fit(GATES_X, [0, 1, 1, 0], lr=0.1, epochs=50)
    assert min(errors) > 0


def test_mismatched_shapes_and_bad_labels_are_clear_errors():
    neuron = cu.Perceptron([1.0, 2.0])
    with pytest.raises(ValueError, match=r"x must have shape \(2,\)"):
        neuron.affine([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y must have shape"):
        neuron.fit(GATES_X, [0, 1])
    with pytest.raises(ValueError, match="0 and 1"):
        neuron.fit(GATES_X, [0, 2, 1, 0])
    with pytest.raises(ValueError, match="lr"):
        neuron.fit(GATES_X, [0, 0, 0, 1], lr=0)
    with pytest.raises(TypeError, match="epochs"):
        neuron.fit(GATES_X, [0, 0, 0, 1], epochs=2.5)
    with pytest.raises(ValueError, match="weights"):
        cu.Perceptron([[1.0]])
    with pytest.raises(TypeError, match="activation"):
        cu.Perceptron([1.0], activation="sigmoid")


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 2, 2)])
def test_numerical_gradient_works_for_any_shape_and_leaves_x_alone(shape):
    x = np.random.default_rng(0).normal(size=shape)
    before = x.copy()
    grad = cu.numerical_gradient(lambda v: np.sum(v**3), x)
    assert grad.shape == shape
    assert np.allclose(grad, 3 * x**2, rtol=1e-7, atol=1e-9)
    assert np.array_equal(x, before)


def test_numerical_gradient_refuses_non_scalar_functions_and_bad_eps():
    with pytest.raises(ValueError, match="scalar"):
        cu.numerical_gradient(lambda v: v, np.ones(2))
    with pytest.raises(ValueError, match="eps"):
        cu.numerical_gradient(np.sum, np.ones(2), eps=0.0)


def test_gradient_check_catches_a_wrong_backward():
    class WrongSigmoid(cu.Sigmoid):
        def backward(self, dout):
            return dout * self.out  # forgot (1 - out)

    x = np.linspace(-2, 2, 5)
    assert cu.gradient_check(cu.Sigmoid(), x) < 1e-7
    assert cu.gradient_check(WrongSigmoid(), x) > 0.1


def test_gradient_check_also_checks_parameters():
    class WrongBias(cu.Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.grads["b"] = self.grads["b"] * 2
            return dx

    rng = np.random.default_rng(0)
    W, b, x = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 3))
    assert cu.gradient_check(cu.Affine(W, b), x) < 1e-7
    assert cu.gradient_check(WrongBias(W, b), x) > 0.1


def test_relative_error_floor():
    assert cu.relative_error([0.0], [1e-12]) < 1e-3
    assert cu.relative_error([1.0], [1.1]) == pytest.approx(0.1 / 1.1)
