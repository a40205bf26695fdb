"""High-precision references (mpmath) and an error measure in units in the last place (ulp).

Shared by the accuracy tests and by ``bench/run_bench.py``. Each reference is written
so that it does not cancel at 200 bits: e.g. the sigmoid's derivative uses
``e/(1+e)^2`` with ``e = exp(-|x|)`` rather than ``s(1-s)``.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

mpmath.mp.prec = 200


def _mp(value: float) -> mpmath.mpf:
    return mpmath.mpf(float(value))


def _sigmoid(v):
    return 1 / (1 + mpmath.exp(-_mp(v)))


def _sigmoid_grad(v):
    e = mpmath.exp(-abs(_mp(v)))
    return e / (1 + e) ** 2


def _softplus(v):
    return mpmath.log1p(mpmath.exp(_mp(v)))


def _tanh_grad(v):
    return 1 / mpmath.cosh(_mp(v)) ** 2


#: name -> scalar mpmath function of a float
REFERENCES = {
    "sigmoid": _sigmoid,
    "sigmoid_grad": _sigmoid_grad,
    "softplus": _softplus,
    "tanh": lambda v: mpmath.tanh(_mp(v)),
    "tanh_grad": _tanh_grad,
    # Two-logit rows [x, 0]: softmax(x)[0] = sigmoid(x); log_softmax = -softplus(-x), -softplus(x)
    "softmax_pair": _sigmoid,
    "log_softmax_pair_first": lambda v: -_softplus(-v),
    "log_softmax_pair_second": lambda v: -_softplus(v),
}


def float_grid(n_linear: int = 20001, n_log: int = 4000, seed: int = 0) -> np.ndarray:
    """A dense test grid over the whole float64 range.

    ``n_linear`` points evenly over [-750, 750] (where the activations change, the
    sigmoid's subnormal tail included), plus ``n_log`` log-uniform magnitudes from
    1e-320 (subnormal) to 1e308 with random signs, plus the special values.
    """
    rng = np.random.default_rng(seed)
    linear = np.linspace(-750.0, 750.0, n_linear)
    magnitudes = 10.0 ** rng.uniform(-320, 308, n_log)
    signs = np.where(rng.random(n_log) < 0.5, -1.0, 1.0)
    tiny = np.array([0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, np.finfo(float).max, -np.finfo(float).max])
    return np.concatenate([linear, signs * magnitudes, tiny])


def ulp_errors(values: np.ndarray, name: str, grid: np.ndarray) -> np.ndarray:
    """|computed - exact| / ulp(exact) at every grid point (0 where both are the same infinity)."""
    reference = REFERENCES[name]
    values = np.asarray(values, dtype=np.float64).ravel()
    errors = np.empty(values.size)
    for i, (computed, x) in enumerate(zip(values, grid)):
        exact = reference(x)
        exact_float = float(exact)
        if np.isinf(exact_float) or not np.isfinite(computed):
            errors[i] = 0.0 if computed == exact_float else np.inf
            continue
        errors[i] = float(abs(_mp(computed) - exact) / math.ulp(exact_float))
    return errors
