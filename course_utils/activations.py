r"""Activation functions and their derivatives, written for stability.

Every function here

* accepts a Python scalar, a nested list or an ndarray of any shape (empty too)
  and returns an ndarray of the same shape (0-d for a scalar input);
* keeps a floating input's dtype (float16/32/64) and computes bool and integer
  inputs in float64;
* raises no RuntimeWarning for any finite or infinite input, maps ``±inf`` to the
  correct limit and propagates NaN;
* raises ``TypeError``/``ValueError`` naming the argument for bad input.

Conventions at the kinks (one source of truth, also used by ``layers``)
----------------------------------------------------------------------
The derivative of a piecewise function is undefined at its kink. We pick the
value of the *left* piece, i.e. the point belongs to the "off" side:

* ``step_grad(threshold) == 0`` (it is 0 everywhere else too);
* ``relu_grad(0) == 0``  (same as the mask ``x <= 0`` in *Deep Learning from Scratch*);
* ``leaky_relu_grad(0) == alpha``;
* ``elu_grad(0) == alpha`` (equal to 1, i.e. smooth, when ``alpha == 1``).

``KINK_SIDE`` records this in one place; tests check every function against it.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from .validation import as_float_array, check_axis, check_real

__all__ = [
    "step", "step_grad",
    "identity", "identity_grad",
    "sigmoid", "sigmoid_grad",
    "tanh", "tanh_grad",
    "relu", "relu_grad",
    "leaky_relu", "leaky_relu_grad",
    "elu", "elu_grad",
    "softplus", "softplus_grad",
    "softmax", "log_softmax",
    "Activation", "ACTIVATIONS", "KINK_SIDE",
]

#: At a kink, the derivative takes the value of the piece on this side.
KINK_SIDE = "left"


def _keep_nan(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Return ``values`` with NaN wherever ``x`` is NaN (derivatives of NaN are NaN)."""
    return np.asarray(np.where(np.isnan(x), x, values))


# --------------------------------------------------------------------------- step
def step(x, threshold: float = 0.0) -> np.ndarray:
    r"""Binary step (threshold) function.

    .. math:: \mathrm{step}(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    threshold : float
        :math:`\theta`, a finite real number. ``x == threshold`` gives 0 (strict ``>``).

    Returns
    -------
    ndarray, same shape as ``x``
        0.0 or 1.0 in ``x``'s floating dtype; NaN stays NaN.

    Notes
    -----
    Derivative: 0 everywhere except at the threshold, where it is undefined
    (see :func:`step_grad`). That is why gradient descent cannot train it.
    """
    x = as_float_array(x)
    threshold = check_real(threshold, "threshold")
    out = (x > threshold).astype(x.dtype)
    return _keep_nan(x, out)


def step_grad(x, threshold: float = 0.0) -> np.ndarray:
    """Derivative of :func:`step`: 0 everywhere (0 by convention at the threshold).

    Shapes and dtypes as in :func:`step`. NaN stays NaN.
    """
    x = as_float_array(x)
    check_real(threshold, "threshold")
    return _keep_nan(x, np.zeros_like(x))


# ----------------------------------------------------------------------- identity
def identity(x) -> np.ndarray:
    r"""Identity (linear) activation :math:`f(x) = x`. Returns a new array; derivative 1."""
    x = as_float_array(x)
    return x.copy()


def identity_grad(x) -> np.ndarray:
    """Derivative of :func:`identity`: 1 everywhere; NaN stays NaN."""
    x = as_float_array(x)
    return _keep_nan(x, np.ones_like(x))


# ------------------------------------------------------------------------ sigmoid
def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid, computed without overflow.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}} \in (0, 1)

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, same shape and floating dtype as ``x``

    Notes
    -----
    The textbook form ``1 / (1 + exp(-x))`` overflows (and warns) for
    ``x < -709``. With :math:`e = e^{-|x|} \le 1` nothing can overflow:

    * :math:`x \ge 0`: :math:`\sigma(x) = 1/(1 + e)`
    * :math:`x < 0`:   :math:`\sigma(x) = e/(1 + e)`

    The second branch keeps full relative accuracy in the far negative tail, where
    the true value is tiny or even subnormal (within 2 ulp of the exact value
    everywhere in float64). Derivative: :func:`sigmoid_grad`.

    The code builds the numerator (1 or e) and the denominator in place, with no
    extra temporary arrays: on a million numbers that makes it about as fast as
    ``scipy.special.expit`` (``make bench`` measures the ratio).
    """
    x = as_float_array(x)
    e = np.exp(-np.abs(x))  # between 0 and 1, so nothing below can overflow
    # The numerator is 1 where x >= 0 and e where x < 0. The comparison (x >= 0)
    # counts as 1 or 0 and e lies between 0 and 1, so the larger of the two is it.
    numerator = np.maximum(e, x >= 0)
    e += 1  # e becomes the denominator 1 + e (in place: no new array)
    numerator /= e
    return np.asarray(numerator)


def sigmoid_grad(x) -> np.ndarray:
    r"""Derivative of the sigmoid, accurate in both tails.

    .. math:: \sigma'(x) = \sigma(x)\,(1 - \sigma(x)) = \frac{e^{-|x|}}{(1 + e^{-|x|})^2}

    Its maximum is 0.25 at ``x = 0``. The form on the right avoids ``1 - σ(x)``,
    which cancels to 0 for large ``x``. Shapes and dtypes as in :func:`sigmoid`.
    """
    x = as_float_array(x)
    e = np.exp(-np.abs(x))
    return np.asarray(e / (1 + e) ** 2)


# --------------------------------------------------------------------------- tanh
def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent, :math:`\tanh(x) = 2\sigma(2x) - 1 \in (-1, 1)`.

    Zero-centred, but it saturates like the sigmoid. Uses ``np.tanh``, which is
    already stable. Shapes and dtypes as in :func:`sigmoid`.
    """
    x = as_float_array(x)
    return np.asarray(np.tanh(x))


def tanh_grad(x) -> np.ndarray:
    r"""Derivative of tanh, accurate in both tails.

    .. math:: \tanh'(x) = 1 - \tanh^2(x) = \frac{4 e^{-2|x|}}{(1 + e^{-2|x|})^2}

    Its maximum is 1 at ``x = 0``. ``1 - tanh(x)**2`` would cancel to 0 for
    ``|x| > 19``; the form on the right does not.
    """
    x = as_float_array(x)
    magnitude = np.minimum(np.abs(x), 1000)  # exp(-2000) is already 0; this keeps 2*|x| from overflowing
    e = np.exp(-2 * magnitude)
    return np.asarray(4 * e / (1 + e) ** 2)


# --------------------------------------------------------------------------- relu
def relu(x) -> np.ndarray:
    r"""Rectified linear unit, :math:`\mathrm{ReLU}(x) = \max(0, x)`, element-wise.

    Works on arrays, unlike Python's scalar ``max(0.0, x)``. NaN stays NaN.
    Derivative: :func:`relu_grad`.
    """
    x = as_float_array(x)
    return np.asarray(np.maximum(x, 0))


def relu_grad(x) -> np.ndarray:
    """Derivative of ReLU: 1 for ``x > 0``, 0 for ``x <= 0`` (0 at the kink by convention)."""
    x = as_float_array(x)
    return _keep_nan(x, (x > 0).astype(x.dtype))


# --------------------------------------------------------------------- leaky relu
def leaky_relu(x, alpha: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like, any shape
    alpha : float
        Slope for negative inputs, a finite real number (usually small, e.g. 0.01).

    Notes
    -----
    ``max(alpha * x, x)`` gives the same result only when ``alpha <= 1`` (for the usual
    small positive slopes: ``0 < alpha <= 1``); for ``alpha > 1`` it swaps the two pieces.
    With ``alpha == 0`` this is ReLU (and ``-inf`` maps to 0, not ``0 * -inf``).
    """
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    if alpha == 0:
        return relu(x)  # avoids 0 * -inf = nan
    return np.asarray(np.where(x > 0, x, alpha * x))


def leaky_relu_grad(x, alpha: float = 0.01) -> np.ndarray:
    """Derivative of leaky ReLU: 1 for ``x > 0``, ``alpha`` for ``x <= 0`` (``alpha`` at 0)."""
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    slopes = np.where(x > 0, 1, alpha).astype(x.dtype)
    return _keep_nan(x, slopes)


# ---------------------------------------------------------------------------- elu
def elu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit.

    .. math:: \mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    Tends to :math:`-\alpha` as :math:`x \to -\infty`. Uses ``expm1`` for accuracy
    near 0, and only ever exponentiates ``min(x, 0)``, so it cannot overflow.
    """
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    negative_part = alpha * np.expm1(np.minimum(x, 0))
    return np.asarray(np.where(x > 0, x, negative_part))


def elu_grad(x, alpha: float = 1.0) -> np.ndarray:
    r"""Derivative of ELU: 1 for ``x > 0``, :math:`\alpha e^{x}` for ``x <= 0`` (``alpha`` at 0)."""
    x = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    negative_slope = alpha * np.exp(np.minimum(x, 0))
    return _keep_nan(x, np.where(x > 0, 1, negative_slope).astype(x.dtype))


# ----------------------------------------------------------------------- softplus
def softplus(x) -> np.ndarray:
    r"""Softplus, a smooth ReLU: :math:`\ln(1 + e^{x})`, computed stably.

    .. math:: \mathrm{softplus}(x) = \max(x, 0) + \ln\!\left(1 + e^{-|x|}\right)

    The naive form overflows for ``x > 709`` and loses every digit for
    ``x < -37`` (``log(1 + tiny)`` rounds to 0). ``log1p`` keeps the tiny tail.
    Derivative: :func:`softplus_grad` (the sigmoid).
    """
    x = as_float_array(x)
    return np.asarray(np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))))


def softplus_grad(x) -> np.ndarray:
    """Derivative of softplus, which is exactly :func:`sigmoid`."""
    return sigmoid(x)


# ------------------------------------------------------------------------ softmax
def _shift_by_max(x: np.ndarray, axis: int) -> np.ndarray:
    """Return ``x - max(x)`` along ``axis``: every entry <= 0, the max at 0.

    Subtracting the max changes nothing mathematically (softmax is shift-invariant)
    but keeps ``exp`` from overflowing. Rows whose max is ``+inf`` need care because
    ``inf - inf`` is NaN: there the ``+inf`` entries become 0 (they share the
    probability) and the rest ``-inf``.
    """
    row_max = np.max(x, axis=axis, keepdims=True)
    # A row may span more than the float range (e.g. [-1e308, 1e308]): then x - max
    # overflows to -inf, which is right, as exp(-inf) = 0 and the true value underflows too.
    with np.errstate(over="ignore"):
        if np.all(np.isfinite(row_max)):
            return x - row_max  # the common, fast path
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf in the rows fixed just below
        shifted = x - row_max
    infinite_row = np.isposinf(row_max)
    shifted = np.where(infinite_row, np.where(np.isposinf(x), 0.0, -np.inf), shifted)
    # A row of only -inf has no finite logit: its result is NaN, by definition.
    return np.where(np.isneginf(row_max), np.nan, shifted).astype(x.dtype)


def _prepare_softmax_input(x, axis) -> tuple[np.ndarray, int, tuple]:
    x = as_float_array(x)
    shape = x.shape
    if x.ndim == 0:  # one logit: treat it as a row of length 1
        x = x.reshape(1)
    axis = check_axis(axis, x.ndim)
    return x, axis, shape


def softmax(x, axis: int = -1) -> np.ndarray:
    r"""Softmax along ``axis``: positive outputs that sum to 1.

    .. math:: \mathrm{softmax}(x)_k = \frac{e^{x_k - m}}{\sum_i e^{x_i - m}}, \quad m = \max_i x_i

    Parameters
    ----------
    x : array_like, any shape
        Logits. A scalar is a row of one logit (its softmax is 1).
    axis : int
        The axis that holds one distribution. Default -1: each *row* of a
        ``(batch, classes)`` array sums to 1.

    Returns
    -------
    ndarray, same shape and floating dtype as ``x``

    Notes
    -----
    Subtracting the max (shift invariance) prevents ``exp`` overflow, so
    ``softmax([1000, 1001])`` works where the naive formula returns NaN.
    A ``-inf`` logit gets probability exactly 0; ``+inf`` logits share all the
    probability; a row with no finite logit (all ``-inf``) or with a NaN is NaN.
    A row that spans more than the float range (``[-1e308, 1e308]``) gives exactly
    0 for the far logit, without a warning.
    Caveat: ``x - m`` is rounded when the logits differ a lot in magnitude, so
    far-tail probabilities carry a relative error of about ``|x - m|`` ulps.
    The Jacobian is ``diag(s) - s sᵀ``; see ``layers.SoftmaxCrossEntropy``.
    """
    x, axis, shape = _prepare_softmax_input(x, axis)
    if x.size == 0:
        return np.empty(shape, dtype=x.dtype)
    exps = np.exp(_shift_by_max(x, axis))
    probabilities = exps / np.sum(exps, axis=axis, keepdims=True)
    return probabilities.reshape(shape)


def log_softmax(x, axis: int = -1) -> np.ndarray:
    r"""Logarithm of :func:`softmax`, computed without ever taking ``log(0)``.

    .. math:: \log \mathrm{softmax}(x)_k = (x_k - m) - \log \sum_i e^{x_i - m}

    Cross-entropy losses use this directly: it stays finite for very negative
    logits (where ``log(softmax(x))`` would give ``-inf`` and a warning) and it
    is exactly ``-inf`` only for a ``-inf`` logit.

    Notes
    -----
    The sum always contains the max's ``e^0 = 1``; we take it out and use
    ``log1p`` of the rest, so a dominant logit's log-probability (a tiny negative
    number) keeps its digits. Shapes, dtypes and caveats as in :func:`softmax`.
    """
    x, axis, shape = _prepare_softmax_input(x, axis)
    if x.size == 0:
        return np.empty(shape, dtype=x.dtype)
    shifted = _shift_by_max(x, axis)
    exps = np.exp(shifted)
    # Remove one "1" (the max itself) from the sum, then use log1p(rest).
    argmax = np.argmax(shifted, axis=axis, keepdims=True)
    np.put_along_axis(exps, argmax, 0, axis=axis)
    log_normaliser = np.log1p(np.sum(exps, axis=axis, keepdims=True))
    return (shifted - log_normaliser).reshape(shape)


# ----------------------------------------------------------------------- registry
class Activation(NamedTuple):
    """One registry entry: the function, its derivative and a few facts for tables and plots."""

    name: str
    function: Callable[..., np.ndarray]
    derivative: Callable[..., np.ndarray]
    has_alpha: bool = False
    default_alpha: float | None = None
    output_range: str = ""
    zero_centred: bool = False


#: name -> Activation. Plotting and widgets iterate over this. Softmax is not here:
#: it maps a whole vector to a vector, so it has no element-wise derivative.
ACTIVATIONS: dict[str, Activation] = {
    entry.name: entry
    for entry in [
        Activation("step", step, step_grad, output_range="{0, 1}"),
        Activation("identity", identity, identity_grad, output_range="(-inf, inf)", zero_centred=True),
        Activation("sigmoid", sigmoid, sigmoid_grad, output_range="(0, 1)"),
        Activation("tanh", tanh, tanh_grad, output_range="(-1, 1)", zero_centred=True),
        Activation("relu", relu, relu_grad, output_range="[0, inf)"),
        Activation("leaky_relu", leaky_relu, leaky_relu_grad, True, 0.01, "(-inf, inf)"),
        Activation("elu", elu, elu_grad, True, 1.0, "(-alpha, inf)"),
        Activation("softplus", softplus, softplus_grad, output_range="(0, inf)"),
    ]
}
