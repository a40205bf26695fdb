r"""Numerical gradients, to check analytic derivatives and ``backward`` methods.

Central differences have error :math:`O(\varepsilon^2)`, against :math:`O(\varepsilon)`
for one-sided ones:

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .validation import as_float_array, check_real

__all__ = ["numerical_gradient", "gradient_check", "relative_error"]


def _central_differences(outputs: Callable[[], np.ndarray], array: np.ndarray, eps: float,
                         weights: np.ndarray | float = 1.0) -> np.ndarray:
    """Gradient of ``sum(outputs() * weights)`` with respect to ``array``, by central differences.

    ``array`` is perturbed in place, one entry at a time, and restored. The two
    outputs are subtracted *element-wise before summing*: entries that did not move
    cancel exactly, so the rounding noise of a large sum does not swamp small gradients.
    """
    grad = np.zeros(array.shape, dtype=np.float64)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + eps
        plus = np.asarray(outputs(), dtype=np.float64)
        array[index] = original - eps
        minus = np.asarray(outputs(), dtype=np.float64)
        array[index] = original
        grad[index] = np.sum((plus - minus) * weights) / (2 * eps)
    return grad


def _scalar(value) -> float:
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
    return float(value.reshape(()))


def numerical_gradient(f: Callable[[np.ndarray], float], x, eps: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar function ``f`` at ``x`` by central differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a real scalar.
    x : array_like, any shape
        The point. It is copied to float64; the caller's array is never changed.
    eps : float
        Step size. ``1e-6`` balances truncation error (~eps²) and rounding (~1e-16/eps).

    Returns
    -------
    ndarray, float64, same shape as ``x``
    """
    eps = check_real(eps, "eps")
    if eps <= 0:
        raise ValueError(f"eps must be positive, got {eps}")
    point = as_float_array(x).astype(np.float64)  # astype copies
    return _central_differences(lambda: _scalar(f(point)), point, eps)


def relative_error(analytic, numeric, floor: float = 1e-8) -> float:
    """Largest element-wise ``|a - n| / max(|a|, |n|, floor)``.

    The floor keeps entries where both gradients are ~0 from dividing by 0.
    Rule of thumb: < 1e-7 is excellent, > 1e-4 means a bug.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic gradient has shape {a.shape} but numeric gradient has shape {n.shape}")
    if a.size == 0:
        return 0.0
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
    return float(np.max(np.abs(a - n) / scale))


def gradient_check(layer, x, *targets, eps: float = 1e-6, seed: int = 0) -> float:
    """Largest relative error between ``layer.backward`` and the numerical gradient.

    Works for any object with ``forward``/``backward`` (a layer, a loss layer or a
    ``Sequential``). The scalar function checked is

    * ``L = sum(forward(x) * dout)`` with a fixed random ``dout`` for a layer, or
    * ``L = forward(x, *targets)`` for a loss layer (then ``dout = 1``).

    Parameters in ``layer.params`` (if any) are checked too, against ``layer.grads``.

    Returns
    -------
    float
        Below ~1e-6 the backward pass is almost certainly right.
    """
    x = as_float_array(x).astype(np.float64)
    out = np.asarray(layer.forward(x, *targets))
    is_loss = out.ndim == 0
    dout = 1.0 if is_loss else np.random.default_rng(seed).standard_normal(out.shape)

    analytic_dx = layer.backward(dout)
    analytic_params = _params_and_grads(layer)

    def outputs_at(point: np.ndarray):
        return lambda: layer.forward(point, *targets)

    errors = [relative_error(analytic_dx, _central_differences(outputs_at(x), x, eps, dout))]
    for param, analytic in analytic_params:
        numeric = _central_differences(outputs_at(x), param, eps, dout)
        errors.append(relative_error(analytic, numeric))
    return max(errors)


def _params_and_grads(layer) -> list[tuple[np.ndarray, np.ndarray]]:
    """(parameter array, copy of its analytic gradient) for a layer or a Sequential."""
    pairs = []
    for sub in getattr(layer, "layers", [layer]):
        for name, param in getattr(sub, "params", {}).items():
            pairs.append((param, np.array(sub.grads[name], copy=True)))
    return pairs
