"""Input checks shared by every public function of ``course_utils``.

Each check either returns a clean value or raises a ``TypeError`` / ``ValueError``
whose message names the offending argument, so a learner sees *what* was wrong
instead of a NumPy error from deep inside a formula.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["as_float_array", "check_real", "check_axis", "check_positive_int", "as_generator"]


def as_float_array(x: object, name: str = "x") -> np.ndarray:
    """Convert ``x`` to a floating ndarray, refusing inputs that would mislead.

    Parameters
    ----------
    x : scalar, nested list or ndarray
        Real numbers of any shape, the empty array included.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    ndarray
        Same shape as ``x`` (0-d for a scalar). A floating input keeps its dtype
        (float16, float32, float64); bool and integer inputs become float64.
        The result never shares memory with ``x``'s caller-visible buffer in a
        way that a function could write to: functions here never write into it.

    Raises
    ------
    TypeError
        For strings, ``None``, objects, complex numbers and other non-real data.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got a string {x!r}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a rectangular array of real numbers ({exc})") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{name} must be real, got complex values (dtype {arr.dtype})")
    raise TypeError(f"{name} must contain real numbers, got dtype {arr.dtype} (from {type(x).__name__})")


def check_real(value: object, name: str, *, finite: bool = True) -> float:
    """Return ``value`` as a Python float, or raise naming ``name``.

    Booleans are refused: ``alpha=True`` is almost always a slip.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return value


def check_axis(axis: object, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` normalised to ``0 <= axis < ndim``, or raise naming it."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(axis).__name__} {axis!r}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an input with {ndim} dimension(s)")
    return axis % ndim


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int >= 1, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def as_generator(rng: object, name: str = "rng") -> np.random.Generator:
    """Return ``rng`` itself if it is a ``Generator``, or ``np.random.default_rng(rng)`` for an integer seed.

    Raises
    ------
    TypeError
        For anything else (``None`` included: an unseeded generator would make results
        change from run to run).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"{name} must be a non-negative integer seed, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"{name} must be a numpy.random.Generator or an integer seed, got {type(rng).__name__} {rng!r}")
