"""Input checks shared by every public function of ``course_utils``.

Each check either returns a clean value or raises a ``TypeError`` / ``ValueError``
whose message names the offending argument, so a learner sees *what* was wrong
instead of a NumPy error from deep inside a formula.

The messages are in the learner's language (``course_utils.i18n``). A message that several
modules need is written once, here: ``check_positive``, ``check_choice`` and
``check_all_finite`` exist so that "lr must be positive" is one sentence to translate, not four.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .i18n import _

__all__ = ["as_float_array", "check_real", "check_positive", "check_axis", "check_positive_int", "check_choice",
           "check_all_finite", "as_generator"]


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
        raise TypeError(_("{name} must be a real number or an array of real numbers, got a string {value!r}")
                        .format(name=name, value=x))
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists, for example
        raise TypeError(_("{name} must be a rectangular array of real numbers ({reason})")
                        .format(name=name, reason=exc)) from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "biu":
        return arr.astype(np.float64)
    if kind == "c":
        raise TypeError(_("{name} must be real, got complex values (dtype {dtype})").format(name=name, dtype=arr.dtype))
    raise TypeError(_("{name} must contain real numbers, got dtype {dtype} (from {kind})")
                    .format(name=name, dtype=arr.dtype, kind=type(x).__name__))


def check_real(value: object, name: str, *, finite: bool = True) -> float:
    """Return ``value`` as a Python float, or raise naming ``name``.

    Booleans are refused: ``alpha=True`` is almost always a slip.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(_("{name} must be a real number, got {kind} {value!r}")
                        .format(name=name, kind=type(value).__name__, value=value))
    value = float(value)
    if math.isnan(value) or (finite and math.isinf(value)):
        raise ValueError(_("{name} must be a finite real number, got {value!r}").format(name=name, value=value))
    return value


def check_positive(value: object, name: str) -> float:
    """Return ``value`` as a Python float > 0 (a step size, a learning rate, ...), or raise naming ``name``."""
    value = check_real(value, name)
    if value <= 0:
        raise ValueError(_("{name} must be positive, got {value}").format(name=name, value=value))
    return value


def check_axis(axis: object, ndim: int, name: str = "axis") -> int:
    """Return ``axis`` normalised to ``0 <= axis < ndim``, or raise naming it."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(_("{name} must be an integer, got {kind} {value!r}")
                        .format(name=name, kind=type(axis).__name__, value=axis))
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(_("{name}={axis} is out of range for an input with {ndim} dimension(s)")
                         .format(name=name, axis=axis, ndim=ndim))
    return axis % ndim


def check_positive_int(value: object, name: str) -> int:
    """Return ``value`` as an int >= 1, or raise naming ``name``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(_("{name} must be a positive integer, got {kind} {value!r}")
                        .format(name=name, kind=type(value).__name__, value=value))
    if value < 1:
        raise ValueError(_("{name} must be a positive integer, got {value}").format(name=name, value=value))
    return int(value)


def check_choice(value: object, choices: list[str], name: str) -> str:
    """Return ``value`` if it is one of the names in ``choices``, or raise a ``ValueError`` naming ``name``.

    Anything that is not a string (``None``, a list, ...) is refused the same way; the message
    lists ``choices`` in the order given.
    """
    if not isinstance(value, str) or value not in choices:
        raise ValueError(_("{name} must be one of {choices}, got {value!r}").format(name=name, choices=choices,
                                                                                     value=value))
    return value


def check_all_finite(values: np.ndarray, name: str) -> None:
    """Raise a ``ValueError`` naming ``name`` if ``values`` holds a NaN or an infinity."""
    if not np.all(np.isfinite(values)):
        raise ValueError(_("{name} must contain only finite numbers (no NaN or inf)").format(name=name))


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
            raise ValueError(_("{name} must be a non-negative integer seed, got {value}").format(name=name, value=rng))
        return np.random.default_rng(int(rng))
    raise TypeError(_("{name} must be a numpy.random.Generator or an integer seed, got {kind} {value!r}")
                    .format(name=name, kind=type(rng).__name__, value=rng))
