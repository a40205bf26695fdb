"""Activations: shapes, dtypes, special values, accuracy (mpmath), agreement with SciPy, bad input."""

import warnings

import numpy as np
import pytest
import scipy.special

import course_utils as cu
from course_utils.activations import ACTIVATIONS

from .high_precision import float_grid, ulp_errors

ALL_ELEMENTWISE = [(name, entry.function) for name, entry in ACTIVATIONS.items()] + \
                  [(f"{name}_grad", entry.derivative) for name, entry in ACTIVATIONS.items()]
VECTOR = [("softmax", cu.softmax), ("log_softmax", cu.log_softmax)]
EVERY_FUNCTION = ALL_ELEMENTWISE + VECTOR
IDS = [name for name, _ in EVERY_FUNCTION]

SPECIAL = np.array([-np.inf, -1e308, -1000.0, -745.0, -709.8, -40.0, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 40.0,
                    709.8, 1000.0, 1e308, np.inf, np.nan])


@pytest.fixture(autouse=True)
def _floating_point_errors_are_failures():
    """Any overflow/invalid/divide warning inside a test becomes an exception."""
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ------------------------------------------------------------------ shapes, dtypes
@pytest.mark.parametrize("name,function", EVERY_FUNCTION, ids=IDS)
@pytest.mark.parametrize("value,shape", [
    (1.5, ()), ([1.0, -2.0], (2,)), ([[1, 2, 3], [4, 5, 6]], (2, 3)), (np.zeros((2, 3, 4)), (2, 3, 4)),
    (np.array([]), (0,)), (np.zeros((3, 0)), (3, 0)),
])
def test_every_function_keeps_the_shape(name, function, value, shape):
    result = function(value)
    assert isinstance(result, np.ndarray)
    assert result.shape == shape


@pytest.mark.parametrize("name,function", EVERY_FUNCTION, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_floating_dtype_is_kept(name, function, dtype):
    x = np.linspace(-3, 3, 7).astype(dtype)
    assert function(x).dtype == dtype


@pytest.mark.parametrize("name,function", EVERY_FUNCTION, ids=IDS)
@pytest.mark.parametrize("value", [np.array([1, -2, 3]), np.array([True, False]), [1, 2]])
def test_integer_and_bool_inputs_compute_in_float64(name, function, value):
    result = function(value)
    assert result.dtype == np.float64
    assert np.allclose(result, function(np.asarray(value, dtype=np.float64)))


# ------------------------------------------------------------------ special values
@pytest.mark.parametrize("name,function", ALL_ELEMENTWISE, ids=[n for n, _ in ALL_ELEMENTWISE])
def test_no_warning_for_any_finite_or_infinite_input_and_nan_propagates(name, function):
    result = function(SPECIAL)  # the autouse fixture turns any warning into a failure
    assert np.isnan(result[-1])
    assert not np.any(np.isnan(result[:-1]))


@pytest.mark.parametrize("name,minus_inf,plus_inf", [
    ("step", 0.0, 1.0), ("identity", -np.inf, np.inf), ("sigmoid", 0.0, 1.0), ("tanh", -1.0, 1.0),
    ("relu", 0.0, np.inf), ("leaky_relu", -np.inf, np.inf), ("elu", -1.0, np.inf), ("softplus", 0.0, np.inf),
])
def test_infinities_map_to_the_limits(name, minus_inf, plus_inf):
    assert ACTIVATIONS[name].function(np.array([-np.inf, np.inf])).tolist() == [minus_inf, plus_inf]


@pytest.mark.parametrize("name,minus_inf,plus_inf", [
    ("step", 0.0, 0.0), ("identity", 1.0, 1.0), ("sigmoid", 0.0, 0.0), ("tanh", 0.0, 0.0), ("relu", 0.0, 1.0),
    ("leaky_relu", 0.01, 1.0), ("elu", 0.0, 1.0), ("softplus", 0.0, 1.0),
])
def test_derivatives_at_infinity(name, minus_inf, plus_inf):
    assert ACTIVATIONS[name].derivative(np.array([-np.inf, np.inf])).tolist() == [minus_inf, plus_inf]


def test_leaky_relu_with_alpha_zero_is_relu_even_at_minus_infinity():
    assert cu.leaky_relu(np.array([-np.inf, -2.0, 3.0]), alpha=0.0).tolist() == [0.0, 0.0, 3.0]


# ------------------------------------------------------------------ conventions
def test_kink_conventions_take_the_left_piece():
    assert cu.KINK_SIDE == "left"
    assert float(cu.step(0.0)) == 0.0 and float(cu.step(2.0, threshold=2.0)) == 0.0
    assert float(cu.step_grad(0.0)) == 0.0
    assert float(cu.relu_grad(0.0)) == 0.0
    assert float(cu.leaky_relu_grad(0.0, alpha=0.2)) == 0.2
    assert float(cu.elu_grad(0.0, alpha=0.5)) == 0.5


def test_step_is_strict_and_uses_the_threshold():
    assert cu.step([-1.0, 0.0, 0.5, 1.0, 2.0], threshold=1.0).tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]


def test_known_values():
    assert float(cu.sigmoid(0.0)) == 0.5
    assert float(cu.sigmoid_grad(0.0)) == 0.25
    assert float(cu.tanh_grad(0.0)) == 1.0
    assert np.allclose(cu.softplus([0.0]), np.log(2.0))
    assert np.allclose(cu.elu([-1.0], alpha=2.0), 2.0 * (np.exp(-1.0) - 1.0))
    assert cu.leaky_relu([-10.0, -20.0, 3.0]).tolist() == [-0.1, -0.2, 3.0]


def test_max_form_of_leaky_relu_holds_only_for_alpha_up_to_one():
    x = np.linspace(-5, 5, 101)
    for alpha in (0.01, 0.5, 1.0):
        assert np.array_equal(cu.leaky_relu(x, alpha), np.maximum(alpha * x, x))
    assert not np.array_equal(cu.leaky_relu(x, 2.0), np.maximum(2.0 * x, x))


# ------------------------------------------------------------------ softmax family
def test_softmax_of_the_seed_example():
    a = np.array([-3, -1.5, 0.3, 0.6, 1, 1.8, 3])
    assert np.round(cu.softmax(a), 3).tolist() == [0.002, 0.007, 0.042, 0.056, 0.084, 0.187, 0.622]


def test_softmax_is_stable_for_huge_logits():
    assert np.allclose(cu.softmax([1000.0, 1001.0]), [1 / (1 + np.e), np.e / (1 + np.e)])
    assert np.allclose(cu.log_softmax([1000.0, 0.0]), [0.0, -1000.0])


def test_minus_infinity_gets_probability_exactly_zero():
    assert cu.softmax([-np.inf, 0.0, 1.0])[0] == 0.0
    assert cu.log_softmax([-np.inf, 0.0, 1.0])[0] == -np.inf


def test_rows_with_plus_infinity_share_the_probability():
    assert cu.softmax([np.inf, 1.0, np.inf]).tolist() == [0.5, 0.0, 0.5]
    assert cu.log_softmax([np.inf, 1.0]).tolist() == [0.0, -np.inf]


def test_only_rows_without_a_finite_logit_are_nan():
    x = np.array([[-np.inf, -np.inf], [-np.inf, 2.0], [np.nan, 1.0]])
    for function in (cu.softmax, cu.log_softmax):
        result = function(x)
        assert np.all(np.isnan(result[0])) and np.all(np.isnan(result[2]))
        assert not np.any(np.isnan(result[1]))


@pytest.mark.parametrize("dtype,big", [(np.float64, 1e308), (np.float32, 3e38), (np.float16, 6e4)])
def test_a_row_spanning_more_than_the_float_range_gives_zero_without_a_warning(dtype, big):
    row = np.array([-big, big, 0.0], dtype=dtype)  # max - min overflows the dtype
    assert cu.softmax(row).tolist() == [0.0, 1.0, 0.0]  # the autouse fixture turns a warning into a failure
    assert cu.softmax(row).dtype == dtype
    assert cu.log_softmax(row)[0] == -np.inf and cu.log_softmax(row)[1] == 0.0


def test_softmax_axis():
    x = np.arange(6.0).reshape(2, 3)
    assert np.allclose(cu.softmax(x, axis=-1).sum(axis=-1), 1.0)
    assert np.allclose(cu.softmax(x, axis=0).sum(axis=0), 1.0)
    assert np.allclose(cu.softmax(x, axis=0), cu.softmax(x.T, axis=1).T)


def test_softmax_of_a_scalar_is_one():
    assert cu.softmax(3.0).shape == () and float(cu.softmax(3.0)) == 1.0
    assert float(cu.log_softmax(3.0)) == 0.0


@pytest.mark.parametrize("shape,axis", [((7,), -1), ((50, 10), -1), ((4, 5, 6), 1), ((30, 3), 0)])
def test_softmax_and_log_softmax_agree_with_scipy(shape, axis):
    x = np.random.default_rng(1).normal(scale=20, size=shape)
    assert np.allclose(cu.softmax(x, axis), scipy.special.softmax(x, axis=axis), rtol=1e-13, atol=0)
    # atol: for a dominant logit SciPy rounds log(1 + tiny) to 0, where course_utils keeps -tiny (see the ulp tests)
    assert np.allclose(cu.log_softmax(x, axis), scipy.special.log_softmax(x, axis=axis), rtol=1e-13, atol=1e-15)


def test_sigmoid_and_softplus_agree_with_scipy_in_the_normal_range():
    x = np.linspace(-700, 700, 10001)
    assert np.allclose(cu.sigmoid(x), scipy.special.expit(x), rtol=1e-14, atol=0)
    assert np.allclose(cu.softplus(x), np.logaddexp(0.0, x), rtol=1e-14, atol=0)


# ------------------------------------------------------------------ accuracy in ulps
GRID = float_grid()


@pytest.mark.parametrize("name,function,max_ulp", [
    ("sigmoid", cu.sigmoid, 2.0),
    ("softplus", cu.softplus, 2.0),
    ("tanh", cu.tanh, 2.0),
    ("sigmoid_grad", cu.sigmoid_grad, 4.0),
    ("tanh_grad", cu.tanh_grad, 4.0),
])
def test_accuracy_against_mpmath_on_a_dense_grid(name, function, max_ulp):
    errors = ulp_errors(function(GRID), name, GRID)
    worst = int(np.argmax(errors))
    assert errors[worst] <= max_ulp, f"{name}: {errors[worst]:.2f} ulp at x = {GRID[worst]!r}"


def test_sigmoid_keeps_the_subnormal_tail():
    x = np.array([-720.0, -740.0, -744.0])
    assert np.all(cu.sigmoid(x) > 0)  # naive forms and scipy's expit give 0 or warn here
    assert np.allclose(cu.sigmoid(x), np.exp(x), rtol=1e-6)


@pytest.mark.parametrize("function,column,name", [
    (cu.softmax, 0, "softmax_pair"),
    (cu.log_softmax, 0, "log_softmax_pair_first"),
    (cu.log_softmax, 1, "log_softmax_pair_second"),
])
def test_softmax_family_accuracy_on_two_logit_rows(function, column, name):
    grid = GRID[np.abs(GRID) < 1e300]  # [x, 0] rows
    rows = np.stack([grid, np.zeros_like(grid)], axis=-1)
    errors = ulp_errors(function(rows)[:, column], name, grid)
    assert errors.max() <= 2.0, f"{name}: {errors.max():.2f} ulp at x = {grid[np.argmax(errors)]!r}"


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("name,function", EVERY_FUNCTION, ids=IDS)
@pytest.mark.parametrize("bad", ["1.0", None, np.array(["a"]), np.array([1, "a"], dtype=object), [1 + 2j],
                                 [[1, 2], [3]], {"x": 1}])
def test_bad_x_raises_a_type_error_naming_x(name, function, bad):
    with pytest.raises(TypeError, match=r"\bx\b"):
        function(bad)


@pytest.mark.parametrize("function", [cu.leaky_relu, cu.leaky_relu_grad, cu.elu, cu.elu_grad])
@pytest.mark.parametrize("alpha,error", [(np.nan, ValueError), (np.inf, ValueError), ("0.1", TypeError),
                                         (True, TypeError), (None, TypeError), (1j, TypeError)])
def test_bad_alpha_is_refused(function, alpha, error):
    with pytest.raises(error, match="alpha"):
        function([1.0, -1.0], alpha)


@pytest.mark.parametrize("function", [cu.step, cu.step_grad])
def test_bad_threshold_is_refused(function):
    with pytest.raises(ValueError, match="threshold"):
        function([1.0], threshold=np.nan)
    with pytest.raises(TypeError, match="threshold"):
        function([1.0], threshold="0")


@pytest.mark.parametrize("function", [cu.softmax, cu.log_softmax])
@pytest.mark.parametrize("axis,error", [(1.0, TypeError), ("0", TypeError), (True, TypeError), (None, TypeError),
                                        (2, ValueError), (-3, ValueError)])
def test_bad_axis_is_refused(function, axis, error):
    with pytest.raises(error, match="axis"):
        function(np.zeros((2, 3)), axis=axis)


def test_inputs_are_never_modified():
    x = np.array([-2.0, 0.0, 3.0])
    for _, function in EVERY_FUNCTION:
        function(x)
    assert x.tolist() == [-2.0, 0.0, 3.0]
    assert cu.identity(x) is not x
