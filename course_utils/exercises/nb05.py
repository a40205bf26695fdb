"""Exercises for notebook 05, softmax."""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Mistake


def _naive_whole_array(x, axis=-1):
    e = np.exp(np.asarray(x, dtype=float))
    return e / np.sum(e)


def _shift_by_global_max(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=axis, keepdims=True)


def _sum_without_keepdims(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis)


def _wrong_axis(x, axis=-1):
    x = np.asarray(x, dtype=float)
    other = 0 if x.ndim > 1 and axis in (-1, x.ndim - 1) else -1
    e = np.exp(x - np.max(x, axis=other, keepdims=True))
    return e / np.sum(e, axis=other, keepdims=True)


OVERFLOW = Mistake(
    warning_contains="overflow",
    hint="np.exp(1000) overflows to inf and inf/inf is nan. Subtract the max first: softmax is "
         "shift-invariant, so exp(x - max(x)) gives the same answer and the largest exponent is exp(0) = 1.",
)
NORMALISE_ALONG_AXIS = (
    "Normalise along `axis` only: np.sum(e, axis=axis, keepdims=True). Each row of a batch must sum to 1."
)

softmax = FunctionExercise(
    name="05.softmax",
    title="implement a stable softmax(x, axis=-1)",
    reference=activations.softmax,
    cases=[
        Case((np.array([1.0, 2.0, 3.0]),)),
        Case((np.array([-3, -1.5, 0.3, 0.6, 1, 1.8, 3]),)),
        Case((np.array([1000.0, 1001.0]),)),
        Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.0, 5.0, -5.0]]),)),
        Case((np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 0.0, 1.0]]),), {"axis": 0}),
        Case((np.array([[1000.0, 1001.0], [-1000.0, -1001.0]]),)),
        Case((np.array([-np.inf, 0.0, 1.0]),)),
    ],
    mistakes=[
        Mistake(wrong=_shift_by_global_max,
                hint="Subtract each row's own max, np.max(x, axis=axis, keepdims=True); one global max "
                     "leaves rows of very negative logits as exp(-2000) = 0, and then 0/0."),
        OVERFLOW,
        Mistake(wrong=_naive_whole_array, hint=NORMALISE_ALONG_AXIS),
        Mistake(wrong=_sum_without_keepdims,
                hint="Add keepdims=True to np.sum (and np.max): without it the row sums are broadcast "
                     "along the wrong axis."),
        Mistake(wrong=_wrong_axis, hint="Wrong axis: the `axis` argument says which axis holds one "
                                        "distribution. Use it in both np.max and np.sum."),
        Mistake(error_contains="could not be broadcast",
                hint="Add keepdims=True to np.sum and np.max, so the sums line up with their rows."),
    ],
    hints=[
        "Start from e = np.exp(x) / np.sum(np.exp(x)) and make it work for [1000, 1001].",
        "Subtract m = np.max(x, axis=axis, keepdims=True) before exponentiating.",
        "Divide by np.sum(e, axis=axis, keepdims=True).",
    ],
    solution='''
        def softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            shifted = x - np.max(x, axis=axis, keepdims=True)   # largest entry becomes 0
            e = np.exp(shifted)
            return e / np.sum(e, axis=axis, keepdims=True)
    ''',
)
