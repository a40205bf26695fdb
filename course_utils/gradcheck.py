r"""Numerical gradients, to check analytic derivatives and ``backward`` methods.

Central differences have error :math:`O(h^2)`, against :math:`O(h)` for one-sided ones:

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

Two tools use them:

* :func:`numerical_gradient` estimates the gradient of any scalar function;
* :func:`gradient_check` compares a layer's ``backward`` with that estimate and returns
  one number, the relative error; :func:`gradient_check_report` also says *what* went
  wrong (which array, NaN, a modified ``dout``, ...).

How :func:`gradient_check` measures the error
---------------------------------------------
For ``dx`` and for every parameter it compares the analytic gradient :math:`g_a`
(from ``backward``) with the numerical one :math:`g_n` as whole arrays:

.. math:: \text{error} = \frac{\lVert g_a - g_n \rVert}{\max(\lVert g_a \rVert + \lVert g_n \rVert,\ \text{floor})}

and returns the largest of these errors. The step is
:math:`h = \varepsilon^{1/3} \max(1, |x_i|) \approx 6 \cdot 10^{-6} \max(1, |x_i|)`
(:math:`\varepsilon` = float64's machine epsilon), which balances truncation and
rounding. The floor is the numerical gradient's own rounding noise divided by ``BUG``:
a difference smaller than that noise is never called a bug (it matters only when the
whole gradient is tiny, e.g. when every unit is saturated).

How to read it
--------------
=========================  ================  ================================================
relative error             verdict           meaning
=========================  ================  ================================================
below ``1e-7`` (``FINE``)  ``"fine"``        ``backward`` is right. Correct float64 layers
                                             typically give 1e-11 to 1e-9.
``1e-7`` to ``1e-4``       ``"suspicious"``  Look closer: an input next to a kink (ReLU at
                                             0), saturated units, float32 data, or a slip
                                             in a rarely used entry.
above ``1e-4`` (``BUG``)   ``"bug"``         ``backward`` does not compute the gradient of
                                             ``forward``.
``inf``                    ``"bug"``         The check failed outright: a NaN or inf
                                             gradient, ``backward`` changed ``dout`` (or
                                             ``forward`` changed ``x``) in place, a wrong
                                             shape, or a second call disagreed.
=========================  ================  ================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .i18n import _, pgettext
from .validation import as_float_array, check_positive

__all__ = ["numerical_gradient", "gradient_check", "gradient_check_report", "GradientCheckReport",
           "relative_error", "normwise_relative_error", "FINE", "BUG"]

#: Below this relative error, ``gradient_check`` calls a backward pass "fine".
FINE = 1e-7
#: Above this relative error, ``gradient_check`` calls a backward pass a "bug".
BUG = 1e-4

MACHINE_EPSILON = float(np.finfo(np.float64).eps)
#: The relative step of ``gradient_check``: the cube root of float64's machine epsilon
#: (about 6e-6) balances the truncation error (~h²) and the rounding error (~eps/h).
RELATIVE_STEP = MACHINE_EPSILON ** (1 / 3)
#: How many units in the last place a layer's output may be off by (the noise estimate).
ROUNDING_ULPS = 4
#: The smallest normal float64: the default floor of ``normwise_relative_error``.
TINY = float(np.finfo(np.float64).tiny)


# ----------------------------------------------------------------------- central differences
def _step_sizes(array: np.ndarray, eps: float | None) -> np.ndarray:
    """The step ``h`` for every entry: ``eps`` if given, else ``RELATIVE_STEP * max(1, |x|)``."""
    if eps is not None:
        return np.full(array.shape, eps, dtype=np.float64)
    return RELATIVE_STEP * np.maximum(1.0, np.abs(array))


def _central_differences(outputs: Callable[[], np.ndarray], array: np.ndarray, eps: float | None,
                         weights: np.ndarray | float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of ``sum(outputs() * weights)`` with respect to ``array``, by central differences.

    ``array`` is perturbed in place, one entry at a time, and always restored. The
    divisor is the distance actually travelled, ``(x + h) - (x - h)`` in floating
    point, not ``2h``. The two outputs are subtracted *element-wise before summing*:
    entries that did not move cancel exactly, so the rounding noise of a large sum
    does not swamp small gradients.

    Returns the gradient and, for each entry, a bound on its rounding noise: each
    output may be off by ``ROUNDING_ULPS`` units in its last place, and that error is
    divided by the step like the signal is. (An output can also fail to move at all,
    when its change is below its own rounding; hence every output counts, not only
    those that moved.)
    """
    steps = _step_sizes(array, eps)
    grad = np.zeros(array.shape, dtype=np.float64)
    noise = np.zeros(array.shape, dtype=np.float64)
    for index in np.ndindex(array.shape):
        original = array[index]
        try:
            array[index] = original + steps[index]
            upper = array[index]
            plus = np.asarray(outputs(), dtype=np.float64)
            array[index] = original - steps[index]
            lower = array[index]
            minus = np.asarray(outputs(), dtype=np.float64)
        finally:
            array[index] = original
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is reported as a NaN gradient
            grad[index] = np.sum((plus - minus) * weights) / (upper - lower)
            rounding = (np.abs(plus) + np.abs(minus)) * np.abs(weights)
            noise[index] = ROUNDING_ULPS * MACHINE_EPSILON * np.sum(rounding) / (upper - lower)
    return grad, noise


def _scalar(value) -> float:
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(_("f must return a scalar, got an array of shape {shape}").format(shape=value.shape))
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
        Step size ``h`` (the same for every entry). ``1e-6`` balances truncation error
        (~h²) and rounding (~1e-16/h) for inputs of size about 1.
        :func:`gradient_check` scales the step with ``|x|`` instead.

    Returns
    -------
    ndarray, float64, same shape as ``x``
    """
    eps = check_positive(eps, "eps")
    point = as_float_array(x).astype(np.float64)  # astype copies
    gradient, _noise = _central_differences(lambda: _scalar(f(point.copy())), point, eps)
    return gradient


# ----------------------------------------------------------------------- error measures
def _pair(analytic, numeric) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(_("analytic gradient has shape {analytic_shape} but numeric gradient has shape "
                           "{numeric_shape}").format(analytic_shape=a.shape, numeric_shape=n.shape))
    return a, n


def relative_error(analytic, numeric, floor: float = 1e-8) -> float:
    """Largest element-wise relative error ``|a - n| / max(|a|, |n|, floor)``.

    The floor keeps entries where both gradients are ~0 from dividing by 0.
    Rule of thumb: < 1e-7 is excellent, > 1e-4 means a bug. A NaN or infinite
    entry in either gradient gives ``inf`` (a failure, never hidden).

    Caveat: one entry decides. An entry whose true value is tiny (below the
    floor's scale) can look wrong from rounding noise alone; :func:`gradient_check`
    therefore uses :func:`normwise_relative_error`.
    """
    a, n = _pair(analytic, numeric)
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("inf")
    scale = np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)
    return float(np.max(np.abs(a - n) / scale))


def normwise_relative_error(analytic, numeric, tiny: float = TINY) -> float:
    r"""Relative error of two whole gradients, measured with norms.

    .. math:: \frac{\lVert g_a - g_n \rVert}{\max(\lVert g_a \rVert + \lVert g_n \rVert,\ \text{tiny})}

    It lies between 0 (equal) and 1 (e.g. opposite signs, or one of them 0).
    Unlike :func:`relative_error`, a tiny entry cannot dominate: each entry counts
    in proportion to its size. ``tiny`` (the smallest normal float64) only guards the
    division when both gradients are exactly 0, which gives 0. A NaN or infinite
    entry gives ``inf``.
    """
    a, n = _pair(analytic, numeric)
    if a.size == 0:
        return 0.0
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(n))):
        return float("inf")
    # Scale by the largest entry first, so squaring cannot overflow or underflow.
    scale = max(float(np.max(np.abs(a))), float(np.max(np.abs(n))))
    if scale == 0.0:
        return 0.0
    difference = np.linalg.norm((a - n) / scale)
    size = np.linalg.norm(a / scale) + np.linalg.norm(n / scale)
    return float(difference / max(size, tiny / scale))


# ----------------------------------------------------------------------- gradient check
@dataclass(frozen=True)
class GradientCheckReport:
    """The outcome of :func:`gradient_check_report`.

    Attributes
    ----------
    error : float
        The largest norm-wise relative error over ``dx`` and every parameter, or
        ``inf`` when ``problems`` is not empty.
    errors : dict
        Array name -> its relative error: ``"dx"``, then ``"W"``, ``"b"``, ... for a
        layer, or ``"layers[0].W"``, ... for a ``Sequential``.
    problems : tuple of str
        What made the check fail outright, in plain words (empty if nothing did).
    """

    error: float
    errors: dict
    problems: tuple = ()

    @property
    def verdict(self) -> str:
        """``"fine"`` (error below ``FINE``), ``"bug"`` (above ``BUG``) or ``"suspicious"`` in between."""
        if self.problems or not self.error <= BUG:
            return "bug"
        return "fine" if self.error < FINE else "suspicious"

    def __str__(self) -> str:
        """The verdict, each array's error and each problem, one per line, in the learner's language."""
        lines = [_("gradient check: {verdict} (relative error {error:.1e})").format(verdict=_verdict_word(self.verdict),
                                                                                    error=self.error)]
        lines += [f"  {name}: {error:.1e}" for name, error in self.errors.items()]
        lines += ["  " + _("problem: {problem}").format(problem=problem) for problem in self.problems]
        return "\n".join(lines)


def _verdict_word(verdict: str) -> str:
    """``"fine"``, ``"suspicious"`` or ``"bug"`` as a learner reads it (``.verdict`` itself stays English)."""
    if verdict == "fine":
        return pgettext("gradient check verdict", "fine")
    if verdict == "suspicious":
        return pgettext("gradient check verdict", "suspicious")
    return pgettext("gradient check verdict", "bug")


def _copies_of_grads(layer) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, parameter array, copy of its analytic gradient) for a layer or a Sequential."""
    sublayers = getattr(layer, "layers", None)
    named = [("", layer)] if sublayers is None else [(f"layers[{i}].", sub) for i, sub in enumerate(sublayers)]
    triples = []
    for prefix, sub in named:
        for name, param in getattr(sub, "params", {}).items():
            grad = getattr(sub, "grads", {}).get(name)
            grad = None if grad is None else np.array(grad, dtype=np.float64, copy=True)
            triples.append((prefix + name, param, grad))
    return triples


def _as_gradient(value, name: str, shape: tuple, problems: list[str]) -> np.ndarray | None:
    """``value`` as a float64 array of ``shape``, or None after noting the problem."""
    try:
        array = np.array(value, dtype=np.float64)  # a copy
    except (TypeError, ValueError):
        problems.append(_("{name} is {kind}, not an array of numbers").format(name=name, kind=type(value).__name__))
        return None
    if array.shape != shape:
        problems.append(_("{name} has shape {shape}, expected {expected}").format(name=name, shape=array.shape,
                                                                                 expected=shape))
        return None
    if not np.all(np.isfinite(array)):
        problems.append(_("{name} contains NaN or inf").format(name=name))
    return array


def gradient_check_report(layer, x, *targets, eps: float | None = None, seed: int = 0) -> GradientCheckReport:
    """Compare ``layer.backward`` with numerical gradients, and say what went wrong.

    Works for any object with ``forward``/``backward`` (a layer, a loss layer or a
    ``Sequential``). The scalar function checked is

    * ``L = sum(forward(x) * dout)`` with a seeded random ``dout`` for a layer, or
    * ``L = forward(x, *targets)`` for a loss layer (its output is a scalar; ``dout = 1``).

    Parameters in ``layer.params`` (if any) are checked too, against ``layer.grads``.

    Steps: ``forward`` then ``backward``, each given a fresh copy of its input; the check
    fails outright if ``backward`` changes ``dout`` in place or ``forward`` changes ``x``.
    A second ``forward``/``backward`` (fresh copies again) must give the same gradients.
    Then every entry of ``x`` and of each parameter is nudged by ``±h`` to get the
    numerical gradient, with ``h = RELATIVE_STEP * max(1, |value|)`` (``eps=None``) or
    ``h = eps``. Each array's error is :func:`normwise_relative_error`.

    Parameters
    ----------
    layer : object with ``forward`` and ``backward``
    x : array_like
        The input point (copied to float64; the caller's array is not changed).
    *targets : array_like
        Extra arguments of a loss layer's ``forward`` (the targets).
    eps : float, optional
        A fixed step instead of the relative one.
    seed : int
        Seed of the random ``dout``.

    Returns
    -------
    GradientCheckReport
        ``.error``, ``.errors`` per array, ``.problems`` and ``.verdict``; see the
        module docstring for the thresholds.
    """
    if eps is not None:
        eps = check_positive(eps, "eps")
    x = as_float_array(x).astype(np.float64)  # astype copies
    targets = tuple(np.array(target, copy=True) for target in targets)

    def run_forward(point: np.ndarray) -> np.ndarray:
        return np.asarray(layer.forward(point.copy(), *(np.array(t, copy=True) for t in targets)),
                          dtype=np.float64)

    problems: list[str] = []
    x_passed = x.copy()
    out = np.asarray(layer.forward(x_passed, *(np.array(t, copy=True) for t in targets)), dtype=np.float64)
    if not np.array_equal(x_passed, x, equal_nan=True):
        problems.append(_("forward changed its input x in place"))
    if not np.all(np.isfinite(out)):
        problems.append(_("forward returned NaN or inf"))
    is_loss = out.ndim == 0
    dout = np.float64(1.0) if is_loss else np.random.default_rng(seed).standard_normal(out.shape)

    def run_backward() -> tuple[np.ndarray | None, list]:
        dout_passed = np.array(dout, copy=True)  # fresh: backward may not touch the caller's dout
        dx = layer.backward(float(dout_passed) if is_loss else dout_passed)
        if not is_loss and not np.array_equal(dout_passed, dout):
            problems.append(_("backward changed dout in place (dout[...] = ..., dout *= ...); "
                              "it must build a new array"))
        return _as_gradient(dx, _("dx (what backward returned)"), x.shape, problems), _copies_of_grads(layer)

    analytic_dx, params = run_backward()
    run_forward(x)
    again_dx, params_again = run_backward()
    for name, param, grad in params:
        if grad is not None:
            _as_gradient(grad, f"grads['{name}']", param.shape, problems)
        else:
            problems.append(_("grads has no entry '{name}' for the parameter params['{name}']").format(name=name))
    if analytic_dx is not None and again_dx is not None and not _same(analytic_dx, again_dx):
        problems.append(_("a second forward/backward with the same x and dout gave a different dx"))
    for (name, _param, first), (_name, _param_again, second) in zip(params, params_again):
        if first is not None and second is not None and first.shape == second.shape and not _same(first, second):
            problems.append(_("a second forward/backward gave a different grads['{name}'] "
                              "(does backward add to the old gradient instead of replacing it?)").format(name=name))

    def outputs() -> np.ndarray:
        return run_forward(x)

    errors: dict[str, float] = {}
    to_check = [("dx", x, analytic_dx)] + [(name, param, grad) for name, param, grad in params]
    for name, point, analytic in to_check:
        if analytic is None or analytic.shape != point.shape:
            continue  # already reported as a problem
        numeric, noise = _central_differences(outputs, point, eps, dout)
        if not np.all(np.isfinite(numeric)):
            problems.append(_("the numerical gradient of {name} contains NaN or inf (forward is not finite near x)")
                            .format(name=name))
        # A difference below the numerical gradient's own rounding noise is no evidence of a
        # bug: the floor makes such a difference count as at most BUG (see the docstring).
        floor = max(float(np.linalg.norm(noise)) / BUG, TINY) if np.all(np.isfinite(noise)) else TINY
        errors[name] = normwise_relative_error(analytic, numeric, tiny=floor)
    run_forward(x)  # leave the layer's cache as it was after forward(x)
    problems = list(dict.fromkeys(problems))  # each problem once
    worst = float("inf") if problems else max(errors.values(), default=0.0)
    return GradientCheckReport(error=worst, errors=errors, problems=tuple(problems))


def _same(first: np.ndarray, second: np.ndarray) -> bool:
    return first.shape == second.shape and bool(np.allclose(first, second, rtol=1e-12, atol=0, equal_nan=True))


def gradient_check(layer, x, *targets, eps: float | None = None, seed: int = 0) -> float:
    """The largest relative error between ``layer.backward`` and the numerical gradient.

    ``gradient_check_report(layer, x, *targets).error``: see :func:`gradient_check_report`
    for how it is computed. Read it with the thresholds of this module:

    * below ``1e-7`` (``FINE``): the backward pass is right;
    * between ``1e-7`` and ``1e-4``: suspicious, look closer (kinks, saturation, float32);
    * above ``1e-4`` (``BUG``): a bug;
    * ``inf``: the check failed outright (NaN/inf gradient, ``dout`` or ``x`` modified in
      place, wrong shape, a second call disagreed); ``gradient_check_report`` says why.

    Returns
    -------
    float
        Never NaN: a comparison such as ``error < 1e-7`` is always meaningful.
    """
    return gradient_check_report(layer, x, *targets, eps=eps, seed=seed).error
