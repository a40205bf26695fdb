"""Exercises for notebook 05, softmax."""

import numpy as np

from .. import activations
from .framework import Case, ChoiceExercise, FunctionExercise, Mistake


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
        Mistake(signature=lambda case, actual: actual.ndim > 1 and bool(np.isclose(np.sum(actual), 1.0)),
                hint=NORMALISE_ALONG_AXIS),
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


# ------------------------------------------------------------------ log_softmax
def _log_of_softmax(x, axis=-1):
    """log(softmax(x)): right in theory, but exp(-1000) underflows to 0 and log(0) = -inf."""
    return np.log(activations.softmax(x, axis=axis))


def _log_softmax_without_shift(x, axis=-1):
    x = np.asarray(x, dtype=float)
    return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))


def _only_the_shift(x, axis=-1):
    """Subtracts the max but forgets the log-sum-exp: the max gets log-probability 0."""
    x = np.asarray(x, dtype=float)
    return x - np.max(x, axis=axis, keepdims=True)


def _shift_missing_outside_the_log(x, axis=-1):
    """x - log(sum(exp(x - m))): the max was subtracted inside the exponent only."""
    x = np.asarray(x, dtype=float)
    m = np.max(x, axis=axis, keepdims=True)
    return x - np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))


def _probabilities_not_logs(x, axis=-1):
    return activations.softmax(x, axis=axis)


def _log_softmax_by_global_max(x, axis=-1):
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _log_softmax_whole_array(x, axis=-1):
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x)
    return shifted - np.log(np.sum(np.exp(shifted)))


def _log_softmax_without_keepdims(x, axis=-1):
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis))


def _log_softmax_wrong_axis(x, axis=-1):
    x = np.asarray(x, dtype=float)
    other = 0 if x.ndim > 1 and axis in (-1, x.ndim - 1) else -1
    return activations.log_softmax(x, axis=other)


log_softmax = FunctionExercise(
    name="05.log_softmax",
    title="implement a stable log_softmax(x, axis=-1)",
    reference=activations.log_softmax,
    cases=[
        Case((np.array([1.0, 2.0, 3.0]),)),
        Case((np.array([-3, -1.5, 0.3, 0.6, 1, 1.8, 3]),)),
        Case((np.array([1000.0, 0.0]),)),
        Case((np.array([-1000.0, 0.0]),)),
        Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.0, 5.0, -5.0]]),)),
        Case((np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 0.0, 1.0]]),), {"axis": 0}),
        Case((np.array([[1000.0, 1001.0, 0.0], [-1000.0, -1001.0, -1002.0]]),)),
        Case((np.array([-np.inf, 0.0, 1.0]),)),
    ],
    mistakes=[
        # Result-based mistakes first: some of them also warn, and their own hint is the better one.
        Mistake(wrong=_only_the_shift,
                hint="You subtracted the max but not the log-sum-exp. log_softmax(x) = (x - m) - "
                     "log(sum(exp(x - m))): without the second term the largest logit gets log-probability 0, "
                     "i.e. probability 1, and the exponentials of your result do not sum to 1."),
        Mistake(wrong=_shift_missing_outside_the_log,
                hint="You subtracted the max m inside the exponential but not outside: use (x - m) - "
                     "log(sum(exp(x - m))). Your result is too large by exactly m."),
        Mistake(wrong=_probabilities_not_logs,
                hint="You returned the probabilities softmax(x). log_softmax returns their logarithms "
                     "(numbers <= 0), computed without ever forming the tiny probabilities."),
        Mistake(wrong=_log_softmax_by_global_max,
                hint="Subtract each row's own max, np.max(x, axis=axis, keepdims=True). With one global max, "
                     "a row of very negative logits becomes exp(-2000) = 0 everywhere, and log(0) = -inf."),
        Mistake(wrong=_log_softmax_whole_array,
                hint="Normalise along `axis` only: np.sum(np.exp(shifted), axis=axis, keepdims=True). "
                     "Each row of a batch is one distribution, so each row needs its own log-sum-exp."),
        Mistake(wrong=_log_softmax_without_keepdims,
                hint="Add keepdims=True to np.sum (and np.max): without it the log-sum-exp of each row is "
                     "broadcast along the wrong axis."),
        Mistake(wrong=_log_softmax_wrong_axis,
                hint="Wrong axis: the `axis` argument says which axis holds one distribution. Use it in both "
                     "np.max and np.sum."),
        Mistake(warning_contains="overflow",
                hint="np.exp(1000) overflows to inf. Subtract the max m first: log_softmax(x) = (x - m) - "
                     "log(sum(exp(x - m))). Every exponent is then <= 0 and the sum is at least 1."),
        Mistake(warning_contains="divide by zero",
                hint="np.log(softmax(x)) is exact on paper, but for x = [1000, 0] the second probability is "
                     "exp(-1000), which underflows to 0, and log(0) = -inf. Never form the probability: "
                     "compute (x - m) - log(sum(exp(x - m))) directly, with m = max(x)."),
        Mistake(error_contains="could not be broadcast",
                hint="Add keepdims=True to np.sum and np.max, so the row results line up with their rows."),
    ],
    hints=[
        "On paper log_softmax(x) = x - log(sum(exp(x))). Make that work for x = [1000, 0] and [-1000, 0].",
        "Subtract m = np.max(x, axis=axis, keepdims=True) first: shifted = x - m. Shift invariance "
        "means log_softmax(x) = log_softmax(shifted).",
        "Return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)). Do not call np.log on "
        "probabilities: they can underflow to exactly 0.",
    ],
    solution='''
        def log_softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            shifted = x - np.max(x, axis=axis, keepdims=True)             # largest entry becomes 0
            log_sum_exp = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))  # sum >= 1: no log(0)
            return shifted - log_sum_exp
    ''',
)


# ------------------------------------------------------------------- which output
output_layer = ChoiceExercise(
    name="05.output_layer",
    title="choose the output layer for a multi-label problem",
    question=("A photo classifier must say, for each of dog, cat, tiger and person, whether it appears in the "
              "photo. One photo can show a dog AND a person. Which output layer fits?"),
    options={
        "a": "softmax over the 4 scores",
        "b": "one sigmoid per score (4 independent probabilities)",
        "c": "softmax over the 4 scores with a low temperature, T = 0.1",
        "d": "ReLU on each score",
    },
    correct="b",
    why=("The four events are not mutually exclusive, so each gets its own yes/no probability: a sigmoid per "
         "class. Softmax forces the probabilities to sum to 1, so a dog and a person could not both be "
         "likely."),
    explanations={
        "a": "Softmax makes the classes compete: its outputs sum to 1, so 'dog' and 'person' cannot both be "
             "near 1. That suits exactly-one-of-n problems, not this one.",
        "c": "Temperature only sharpens or flattens the distribution; the outputs still sum to 1, so two "
             "classes still cannot both be likely.",
        "d": "ReLU outputs are in [0, inf): they are not probabilities at all.",
    },
    hints=[
        "Can two of the answers be 'yes' for the same photo?",
        "Softmax answers 'which one of n?'; a sigmoid answers 'yes or no?' for one event.",
    ],
)
