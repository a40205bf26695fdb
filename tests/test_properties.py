"""Property-based tests (hypothesis) of the identities the course teaches."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import course_utils as cu
from course_utils.activations import ACTIVATIONS
from course_utils.gradcheck import FINE

finite = st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-50, max_value=50, allow_nan=False, allow_infinity=False)
logit_rows = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6), elements=moderate)


@given(finite)
def test_sigmoid_is_symmetric(x):
    # Exact in real arithmetic; in float64, 1 - σ(x) rounds by up to ulp(1)/2 = 1.1e-16 and σ itself
    # is within 2 ulp (<= 2.2e-16 below 1), so the two sides may differ by about 3.3e-16.
    assert abs(float(cu.sigmoid(-x)) - (1 - float(cu.sigmoid(x)))) <= 3.4e-16


@given(finite)
def test_tanh_is_a_rescaled_sigmoid(x):
    assert abs(float(cu.tanh(x)) - (2 * float(cu.sigmoid(2 * x)) - 1)) <= 4.5e-16


@given(logit_rows)
def test_softmax_rows_are_distributions(x):
    p = cu.softmax(x)
    assert np.all(p >= 0) and np.all(p <= 1)
    assert np.allclose(p.sum(axis=-1), 1.0, rtol=0, atol=1e-14)


@given(logit_rows, st.floats(min_value=-100, max_value=100))
def test_softmax_is_shift_invariant(x, c):
    assert np.allclose(cu.softmax(x + c), cu.softmax(x), rtol=1e-12, atol=1e-14)


@given(st.floats(min_value=-700, max_value=700))
def test_two_class_softmax_is_the_sigmoid(z):
    assert np.isclose(cu.softmax([z, 0.0])[0], cu.sigmoid(z), rtol=1e-14, atol=0)


@given(logit_rows)
def test_log_softmax_is_the_log_of_softmax(x):
    assert np.allclose(np.exp(cu.log_softmax(x)), cu.softmax(x), rtol=1e-12, atol=1e-300)


away_from_kinks = st.floats(min_value=-6, max_value=6).filter(lambda v: abs(v) > 1e-3)


@settings(max_examples=40)
@given(hnp.arrays(np.float64, st.integers(1, 6), elements=away_from_kinks),
       st.sampled_from([name for name in ACTIVATIONS if name != "step"]))
def test_each_derivative_matches_the_numerical_gradient(x, name):
    entry = ACTIVATIONS[name]
    numeric = cu.numerical_gradient(lambda v: np.sum(entry.function(v)), x)
    assert np.allclose(entry.derivative(x), numeric, rtol=1e-6, atol=1e-8)


LAYERS = {
    "Sigmoid": cu.Sigmoid, "Tanh": cu.Tanh, "ReLU": cu.ReLU, "LeakyReLU": lambda: cu.LeakyReLU(0.1),
    "Identity": cu.Identity,
}


@settings(max_examples=30)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4), elements=away_from_kinks),
       st.sampled_from(sorted(LAYERS)))
def test_each_activation_layer_passes_gradient_check(x, name):
    # The norm-wise error weighs each entry by its size, so a saturated entry (tanh'(6) = 2.5e-5)
    # cannot dominate: every draw is "fine". A wrong backward gives errors of order 1
    # (see tests/test_gradcheck_reliability.py).
    assert cu.gradient_check(LAYERS[name](), x) < FINE


@settings(max_examples=25)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 5), st.integers(0, 10_000))
def test_affine_passes_gradient_check(n_in, n_out, batch, seed):
    rng = np.random.default_rng(seed)
    layer = cu.Affine(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))
    assert cu.gradient_check(layer, rng.normal(size=(batch, n_in))) < FINE


@settings(max_examples=25)
@given(st.integers(1, 4), st.integers(2, 4), st.integers(0, 10_000))
def test_loss_layers_pass_gradient_check(batch, classes, seed):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(batch, classes))
    one_hot = np.eye(classes)[rng.integers(0, classes, size=batch)]
    assert cu.gradient_check(cu.SoftmaxCrossEntropy(), logits, one_hot) < FINE
    assert cu.gradient_check(cu.MSELoss(), logits, one_hot) < FINE
    probabilities = rng.uniform(0.05, 0.95, size=(batch, classes))
    assert cu.gradient_check(cu.BCELoss(), probabilities, one_hot) < FINE
