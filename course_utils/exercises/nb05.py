"""Exercises for notebook 05, softmax.

* ``softmax`` (Exercise 1): a stable softmax along ``axis``.
* ``log_softmax`` (Exercise 2): a stable log_softmax, never ``log`` of a probability.
* ``output_layer`` (Exercise 3): sigmoid or softmax for a multi-label problem?

The library functions used as references and inside the mistakes are bound here, once,
when the module is imported. The framework hands every case a fresh copy of its inputs,
so an answer that shifts ``x`` in place (``x -= x.max(...)``) fails with ``IN_PLACE``
and cannot spoil the cases for later answers.

Every text a learner reads is marked with ``N_``; the framework shows it in the learner's
language (``course_utils.i18n``).
"""

import numpy as np

from ..activations import log_softmax as _library_log_softmax
from ..activations import softmax as _library_softmax
from ..i18n import N_
from .framework import Case, ChoiceExercise, FunctionExercise, Mistake


def _naive_softmax(x, axis=-1):
    """The textbook formula along ``axis``, without the max shift: nan for [1000, 1001]."""
    e = np.exp(np.asarray(x, dtype=float))
    return e / np.sum(e, axis=axis, keepdims=True)


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


def _no_keepdims_anywhere(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis))
    return e / np.sum(e, axis=axis)


def _keepdims_only_in_sum(x, axis=-1):
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.max(x, axis=axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def _wrong_axis(x, axis=-1):
    x = np.asarray(x, dtype=float)
    other = 0 if x.ndim > 1 and axis in (-1, x.ndim - 1) else -1
    e = np.exp(x - np.max(x, axis=other, keepdims=True))
    return e / np.sum(e, axis=other, keepdims=True)


def _shift_by_min(x, axis=-1):
    """Shift invariance with the wrong shift: after subtracting the min, [1000, 0] still computes exp(1000)."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.min(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _shift_by_mean(x, axis=-1):
    """The mean shift: fine while the logits of a slice lie within about 709 of their mean, [1000, 0, -1000] is not."""
    x = np.asarray(x, dtype=float)
    e = np.exp(x - np.mean(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


OVERFLOW = Mistake(
    warning_contains="overflow",
    hint=N_("np.exp(1000) overflows to inf and inf/inf is nan. Subtract the max first: softmax is "
            "shift-invariant, so exp(x - max(x)) gives the same answer and the largest exponent is exp(0) = 1."),
)
NORMALISE_ALONG_AXIS = N_(
    "Normalise along `axis` only: np.sum(e, axis=axis, keepdims=True). Each row of a batch must sum to 1."
)
KEEPDIMS = N_(
    "Add keepdims=True to np.max and np.sum. Without it, the max and the sum of each row come back as a "
    "1-D array of shape (rows,), which NumPy lines up with the *columns* when you subtract or divide: "
    "a broadcasting error for most shapes, and silently wrong numbers for square ones."
)
SOFTMAX_SILENCED = N_(
    "Your code switches NumPy's warnings off. The problem behind the warning stays: np.exp(1000) is still inf, "
    "and inf / inf is still nan. Remove the silencing and subtract each row's max first; then the largest "
    "exponent is exp(0) = 1 and nothing can overflow."
)
SHIFT_BY_MAX = N_(
    "Shift invariance allows any shift, but only subtracting the max makes the largest exponent exp(0) = 1. "
    "Your shift (the min or the mean?) leaves large positive exponents: after subtracting the min, [1000, 0] "
    "still computes exp(1000) = inf, and after subtracting the mean, so does [1000, 0, -1000]. "
    "Subtract m = np.max(x, axis=axis, keepdims=True)."
)
IN_PLACE = N_(
    "Do the max shift on a new array: `shifted = x - np.max(x, axis=axis, keepdims=True)`, not "
    "`x -= ...`. The in-place version changes the caller's logits (np.asarray does not copy a float array), "
    "so the same logits give a different answer the next time they are used."
)

softmax = FunctionExercise(
    name="05.softmax",
    title=N_("implement a stable softmax(x, axis=-1)"),
    reference=_library_softmax,
    cases=[
        Case((np.array([1.0, 2.0, 3.0]),)),
        Case((np.array([-3, -1.5, 0.3, 0.6, 1, 1.8, 3]),)),
        Case((np.array([1000.0, 1001.0]),)),
        Case((np.array([1000.0, 0.0]),)),
        Case((np.array([-1000.0, 0.0]),)),
        Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 5.0]]),)),
        Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.0, 5.0, -5.0]]),)),
        Case((np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 0.0, 1.0]]),), {"axis": 0}),
        Case((np.array([[1000.0, 1001.0], [-1000.0, -1001.0]]),)),
        Case((np.array([1000.0, 0.0, -1000.0]),)),
        Case((np.array([-np.inf, 0.0, 1.0]),)),
    ],
    mistakes=[
        Mistake(warning_contains="SilencedWarning", hint=SOFTMAX_SILENCED),
        # Before OVERFLOW: these shifts overflow too, and their own hint says what to shift by.
        Mistake(wrong=_shift_by_min, hint=SHIFT_BY_MAX),
        Mistake(wrong=_shift_by_mean, hint=SHIFT_BY_MAX),
        Mistake(wrong=_shift_by_global_max,
                hint=N_("Subtract each row's own max, np.max(x, axis=axis, keepdims=True); one global max "
                        "leaves rows of very negative logits as exp(-2000) = 0, and then 0/0.")),
        OVERFLOW,
        Mistake(wrong=_naive_softmax, hint=OVERFLOW.hint),
        Mistake(wrong=_naive_whole_array, hint=NORMALISE_ALONG_AXIS),
        Mistake(signature=lambda case, actual: actual.ndim > 1 and bool(np.isclose(np.sum(actual), 1.0)),
                hint=NORMALISE_ALONG_AXIS),
        Mistake(wrong=_sum_without_keepdims, hint=KEEPDIMS),
        Mistake(wrong=_no_keepdims_anywhere, hint=KEEPDIMS),
        Mistake(wrong=_keepdims_only_in_sum, hint=KEEPDIMS),
        Mistake(wrong=_wrong_axis, hint=N_("Wrong axis: the `axis` argument says which axis holds one "
                                           "distribution. Use it in both np.max and np.sum.")),
        Mistake(error_contains="could not be broadcast", hint=KEEPDIMS),
    ],
    hints=[
        N_("The textbook formula np.exp(x) / np.sum(np.exp(x)) fails for [1000, 1001]. Which property of softmax "
           "(section 3) lets you change the logits without changing the answer?"),
        N_("Subtract m = np.max(x, axis=axis, keepdims=True) before exponentiating: shifted = x - m (a new array)."),
        N_("Divide by np.sum(e, axis=axis, keepdims=True), so that each slice along `axis` sums to 1."),
        N_("shifted = x - np.max(x, axis=axis, keepdims=True); e = np.exp(shifted); "
           "return e / np.sum(e, axis=axis, keepdims=True)."),
    ],
    solution='''
        def softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            shifted = x - np.max(x, axis=axis, keepdims=True)   # largest entry becomes 0
            e = np.exp(shifted)
            return e / np.sum(e, axis=axis, keepdims=True)
    ''',
    in_place_hint=IN_PLACE,
    number=1,
)


# ------------------------------------------------------------------ log_softmax
LOG_OF_ZERO = N_(
    "np.log(softmax(x)) is exact on paper, but for x = [1000, 0] the second probability is exp(-1000), "
    "which underflows to 0, and log(0) = -inf. Never form the probability: compute "
    "(x - m) - log(sum(exp(x - m))) directly, with m = max(x)."
)
LOG_OF_FLOORED = N_(
    "Adding a small eps before the log, or clipping the probabilities, only replaces -inf by a wrong finite "
    "number: for x = [1000, 0] the true log-probability of the second class is -1000, but log(0 + 1e-12) = -27.6 "
    "and log(1e-300) = -690.8. Never take the log of a probability: compute (x - m) - log(sum(exp(x - m))) "
    "directly, with m = max(x)."
)
LOG_SILENCED = N_(
    "Your code switches NumPy's warnings off. The problem behind the warning stays: np.log(softmax(x)) still "
    "gives -inf for x = [1000, 0], because exp(-1000) underflows to 0 and log(0) = -inf. Remove the silencing "
    "and compute (x - m) - log(sum(exp(x - m))) directly, with m = max(x): that log never sees a 0."
)

def _log_of_softmax(x, axis=-1):
    """log(softmax(x)): right in theory, but exp(-1000) underflows to 0 and log(0) = -inf."""
    return np.log(_library_softmax(x, axis=axis))


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


def _shift_with_the_wrong_sign(x, axis=-1):
    """(x - m) + LSE instead of (x - m) - LSE: too large by twice the log-sum-exp."""
    x = np.asarray(x, dtype=float)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted + np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _log_of_a_floored_probability(case, actual):
    """True when ``actual`` looks like log(p + eps) or log(clip(p, tiny, None)).

    Such an answer is right wherever the probability is not tiny, and where the true log-probability
    is very negative it gives a finite number that is too large, and never below log(5e-324) = -744.4,
    the log of the smallest positive float64.
    """
    expected = _library_log_softmax(*case.args, **case.kwargs)
    if actual.shape != expected.shape or not np.all(np.isfinite(actual)):
        return False
    differs = ~np.isclose(actual, expected, rtol=1e-6, atol=1e-9)
    return bool(np.any(differs) and np.all(expected[differs] < -20)
                and np.all(actual[differs] > expected[differs]) and np.all(actual[differs] >= -745.2))


def _probabilities_not_logs(x, axis=-1):
    return _library_softmax(x, axis=axis)


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
    return _library_log_softmax(x, axis=other)


log_softmax = FunctionExercise(
    name="05.log_softmax",
    title=N_("implement a stable log_softmax(x, axis=-1)"),
    reference=_library_log_softmax,
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
        Mistake(warning_contains="SilencedWarning", hint=LOG_SILENCED),
        # Result-based mistakes first: some of them also warn, and their own hint is the better one.
        Mistake(wrong=_only_the_shift,
                hint=N_("You subtracted the max but not the log-sum-exp. log_softmax(x) = (x - m) - "
                        "log(sum(exp(x - m))): without the second term the largest logit gets log-probability 0, "
                        "i.e. probability 1, and the exponentials of your result do not sum to 1.")),
        Mistake(wrong=_shift_missing_outside_the_log,
                hint=N_("You subtracted the max m inside the exponential but not outside: use (x - m) - "
                        "log(sum(exp(x - m))). Your result is too large by exactly m.")),
        Mistake(wrong=_shift_with_the_wrong_sign,
                hint=N_("Check the sign: log_softmax(x) = (x - m) - log(sum(exp(x - m))), minus the log-sum-exp. "
                        "With + your values are too large by twice the log-sum-exp, and the largest is even "
                        "positive, which no log-probability can be.")),
        Mistake(signature=_log_of_a_floored_probability, hint=LOG_OF_FLOORED),
        Mistake(wrong=_probabilities_not_logs,
                hint=N_("You returned the probabilities softmax(x). log_softmax returns their logarithms "
                        "(numbers <= 0), computed without ever forming the tiny probabilities.")),
        Mistake(wrong=_log_softmax_by_global_max,
                hint=N_("Subtract each row's own max, np.max(x, axis=axis, keepdims=True). With one global max, "
                        "a row of very negative logits becomes exp(-2000) = 0 everywhere, and log(0) = -inf.")),
        Mistake(wrong=_log_softmax_whole_array,
                hint=N_("Normalise along `axis` only: np.sum(np.exp(shifted), axis=axis, keepdims=True). "
                        "Each row of a batch is one distribution, so each row needs its own log-sum-exp.")),
        Mistake(wrong=_log_softmax_without_keepdims,
                hint=N_("Add keepdims=True to np.sum (and np.max): without it the log-sum-exp of each row is "
                        "broadcast along the wrong axis.")),
        Mistake(wrong=_log_softmax_wrong_axis,
                hint=N_("Wrong axis: the `axis` argument says which axis holds one distribution. Use it in both "
                        "np.max and np.sum.")),
        Mistake(warning_contains="overflow",
                hint=N_("np.exp(1000) overflows to inf. Subtract the max m first: log_softmax(x) = (x - m) - "
                        "log(sum(exp(x - m))). Every exponent is then <= 0 and the sum is at least 1.")),
        Mistake(warning_contains="divide by zero", hint=LOG_OF_ZERO),
        Mistake(error_contains="could not be broadcast", hint=KEEPDIMS),
        # Seen without a warning when the warning was silenced in a way the framework cannot see:
        Mistake(wrong=_log_of_softmax, hint=LOG_OF_ZERO),
        Mistake(wrong=_log_softmax_without_shift,
                hint=N_("exp(1000) overflows to inf, and log(inf) = inf. Subtract the max m first: "
                        "log_softmax(x) = (x - m) - log(sum(exp(x - m))).")),
    ],
    hints=[
        N_("Take the log of the softmax formula on paper first: log(e^x_k / sum e^x_i) simplifies. "
           "Which part must never be computed?"),
        N_("On paper log_softmax(x) = x - log(sum(exp(x))). Make that work for x = [1000, 0] and [-1000, 0]."),
        N_("Subtract m = np.max(x, axis=axis, keepdims=True) first: shifted = x - m. Shift invariance "
           "means log_softmax(x) = log_softmax(shifted)."),
        N_("Return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)). Do not call np.log on "
           "probabilities: they can underflow to exactly 0."),
    ],
    solution='''
        def log_softmax(x, axis=-1):
            x = np.asarray(x, dtype=float)
            shifted = x - np.max(x, axis=axis, keepdims=True)             # largest entry becomes 0
            log_sum_exp = np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))  # sum >= 1: no log(0)
            return shifted - log_sum_exp
    ''',
    in_place_hint=IN_PLACE,
    number=2,
)


# ------------------------------------------------------------------- which output
output_layer = ChoiceExercise(
    name="05.output_layer",
    title=N_("choose the output layer for a multi-label problem"),
    question=N_("A photo classifier must say, for each of dog, cat, tiger and person, whether it appears in the "
                "photo. One photo can show a dog AND a person. Which output layer fits?"),
    options={
        "a": N_("softmax over the 4 scores"),
        "b": N_("softmax over the 4 scores with a low temperature, T = 0.1"),
        "c": N_("ReLU on each score"),
        "d": N_("one sigmoid per score (4 independent probabilities)"),
    },
    correct="d",
    why=N_("The four events are not mutually exclusive, so each gets its own yes/no probability: a sigmoid per "
           "class. Softmax forces the probabilities to sum to 1, so a dog and a person could not both be "
           "likely."),
    explanations={
        "a": N_("Softmax makes the classes compete: its outputs sum to 1, so 'dog' and 'person' cannot both be "
                "near 1. That suits exactly-one-of-n problems, not this one."),
        "b": N_("Temperature only sharpens or flattens the distribution; the outputs still sum to 1, so two "
                "classes still cannot both be likely."),
        "c": N_("ReLU outputs are in [0, inf): they are not probabilities at all."),
    },
    hints=[
        N_("Can two of the answers be 'yes' for the same photo?"),
        N_("What do softmax's outputs always add up to? Can 'dog' and 'person' then both be near 1?"),
        N_("Softmax answers 'which one of n?'; a sigmoid answers 'yes or no?' for one event."),
    ],
    number=3,
)
