"""Exercises for notebook 04, ReLU and its variants."""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Incorrect, Mistake

SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint="Python's `max(0, x)` and `if x > 0:` handle one number at a time; x is an array. "
         "Use element-wise NumPy: `np.maximum(x, 0)`, `x > 0`, or `np.where(x > 0, a, b)`.",
)

NP_MAX_IS_A_REDUCTION = Mistake(
    error_contains="only integer scalar arrays can be converted to a scalar index",
    hint="`np.max(a, b)` is a reduction: it returns the largest entry of `a`, and its second argument is an "
         "*axis*. For the element-wise maximum of two arrays use `np.maximum(a, b)`.",
)
ALPHA_NAME = Mistake(
    error_contains="unexpected keyword argument 'alpha'",
    hint="The checker calls your function as f(x, alpha=0.1), so the parameter must be called `alpha`.",
)
ALPHA_DEFAULT = Mistake(
    error_contains="required positional argument: 'alpha'",
    hint="Give alpha a default value in the signature (0.01 for leaky ReLU, 1.0 for ELU), "
         "so that f(x) works too.",
)
MASK_TIMES_INF = Mistake(
    warning_contains="invalid value",
    hint="Multiplying by a 0/1 mask turns an infinite input into nan, because inf * 0 = nan. "
         "Select values with np.where(x > 0, a, b) instead of adding masked products.",
)
IN_PLACE = ("Build a new array instead of writing into x: `np.where(x > 0, a, b)` or `(x > 0).astype(float)` "
            "return fresh arrays. Note that `np.asarray(x, dtype=float)` does not copy a float array, so "
            "`x[x <= 0] *= alpha` still writes into the caller's data.")


class _ElementwiseExercise(FunctionExercise):
    """A FunctionExercise that hands every case a fresh copy and reports changes to the input.

    Writing into ``x`` (``x[x <= 0] *= alpha``) returns the right values but silently
    corrupts the caller's array, the same fault as the classic ``Relu.backward``
    that set ``dout[mask] = 0``. Passing copies also keeps the module's cases intact.
    """

    def _grade_case(self, answer, case: Case) -> None:
        fresh = Case(tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in case.args),
                     dict(case.kwargs))
        super()._grade_case(answer, fresh)
        for before, after in zip(case.args, fresh.args):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
                raise Incorrect(f"the values are right, but your function changed its input array in place "
                                f"(input {case.label()}).", IN_PLACE)


relu_grad = _ElementwiseExercise(
    name="04.relu_grad",
    title="implement relu_grad(x): 1 where x > 0, else 0",
    reference=activations.relu_grad,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([0.0]),)),
        Case((np.array([[-1.0, 0.0], [0.0, 2.0]]),)),
        Case((np.array([-np.inf, -1e-300, 1e-300, np.inf]),)),
    ],
    mistakes=[
        Mistake(wrong=lambda x: (np.asarray(x) >= 0).astype(float),
                hint="At the kink x = 0 the course's convention is relu_grad(0) = 0 (x <= 0 counts as 'off', "
                     "the same as the ReLU layer's mask). Use `x > 0`, not `x >= 0`."),
        Mistake(wrong=lambda x: np.heaviside(np.asarray(x, dtype=float), 0.5),
                hint="At the kink x = 0 you return 0.5 (np.heaviside(x, 0.5), or a central difference "
                     "taken exactly at 0). The course's convention is relu_grad(0) = 0: use `x > 0`."),
        Mistake(wrong=lambda x: activations.relu(x),
                hint="You returned relu(x) itself. The derivative is a 0/1 mask: 1 where x > 0, 0 elsewhere."),
        SCALAR_ONLY,
    ],
    hints=[
        "ReLU is x for x > 0 (slope 1) and 0 for x <= 0 (slope 0).",
        "`(x > 0).astype(float)` turns the comparison into 1.0/0.0.",
    ],
    solution='''
        def relu_grad(x):
            x = np.asarray(x, dtype=float)
            return (x > 0).astype(float)
    ''',
)


# ------------------------------------------------------------------ leaky ReLU
def _leaky_ignoring_alpha(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, 0.01 * x)


def _leaky_via_maximum(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.maximum(alpha * x, x)


def _leaky_swapped(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha * x, x)


def _leaky_without_leak(x, alpha=0.01):
    return np.maximum(np.asarray(x, dtype=float), 0)


leaky_relu = _ElementwiseExercise(
    name="04.leaky_relu",
    title="implement a vectorised leaky_relu(x, alpha=0.01)",
    reference=activations.leaky_relu,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([-1.0, 0.0, 1.0]),)),
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),), {"alpha": 0.1}),
        Case((np.array([[-4.0, 2.0], [3.0, -1.0]]),), {"alpha": 0.2}),
        Case((np.array([-3.0, -1.0, 0.0, 1.0, 3.0]),), {"alpha": 2.0}),
        Case((np.array([-2.0, 0.0, 2.0]),), {"alpha": 0.0}),
        Case((np.array([-np.inf, -1e-300, 1e300, np.inf]),), {"alpha": 0.01}),
    ],
    mistakes=[
        Mistake(wrong=_leaky_via_maximum,
                hint="np.maximum(alpha * x, x) equals leaky ReLU only when alpha <= 1. For alpha = 2 it picks "
                     "2x for positive x and x for negative x. Choose the branch by the sign of x instead: "
                     "np.where(x > 0, x, alpha * x)."),
        Mistake(wrong=_leaky_ignoring_alpha,
                hint="Your negative side uses the slope 0.01 whatever alpha is. Multiply by the `alpha` "
                     "argument, not by the number 0.01."),
        Mistake(wrong=_leaky_without_leak,
                hint="That is plain ReLU: negative inputs give 0. Leaky ReLU lets them through scaled, "
                     "as alpha * x."),
        Mistake(wrong=_leaky_swapped,
                hint="The branches are swapped: x > 0 should give x itself, and x <= 0 should give alpha * x."),
        MASK_TIMES_INF,
        SCALAR_ONLY,
        NP_MAX_IS_A_REDUCTION,
        ALPHA_NAME,
        ALPHA_DEFAULT,
    ],
    hints=[
        "Leaky ReLU is x where x > 0 and alpha * x everywhere else.",
        "`np.where(condition, a, b)` picks a where condition is True and b elsewhere, element by element.",
        "Start with `x = np.asarray(x, dtype=float)` so lists and integers work too; use `alpha`, not 0.01.",
    ],
    solution='''
        def leaky_relu(x, alpha=0.01):
            x = np.asarray(x, dtype=float)
            return np.where(x > 0, x, alpha * x)
    ''',
)


# ------------------------------------------------------------------------ ELU
def _elu_ignoring_alpha(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _elu_swapped(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha * np.expm1(x), x)


def _elu_scaled_positive_side(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha * x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_without_minus_one(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0)))


def _elu_wrong_sign_in_exponent(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(-np.minimum(x, 0)))


elu = _ElementwiseExercise(
    name="04.elu",
    title="implement elu(x, alpha=1.0) without overflow",
    reference=activations.elu,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([-1.0, 0.0, 1.0]),)),
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),), {"alpha": 0.5}),
        Case((np.array([[-3.0, 2.0], [0.25, -0.25]]),), {"alpha": 2.0}),
        Case((np.array([-1e-10, 1e-10]),)),
        Case((np.array([-1000.0, -50.0, 50.0, 710.0, 1000.0]),)),
        Case((np.array([-np.inf, np.inf]),), {"alpha": 1.5}),
    ],
    mistakes=[
        Mistake(warning_contains="overflow",
                hint="np.where evaluates *both* branches for every element, so np.exp(x) is computed for "
                     "x = 1000 too, where it overflows, even though that value is thrown away. Only "
                     "exponentiate the non-positive part: np.exp(np.minimum(x, 0))."),
        Mistake(wrong=_elu_swapped,
                hint="The branches are swapped: x > 0 should give x itself, and x <= 0 should give "
                     "alpha * (exp(x) - 1)."),
        Mistake(wrong=_elu_without_minus_one,
                hint="Don't forget the - 1: the negative branch is alpha * (exp(x) - 1), which is 0 at x = 0 "
                     "and tends to -alpha as x goes to -inf."),
        Mistake(wrong=_elu_wrong_sign_in_exponent,
                hint="Check the sign in the exponent: it is exp(x), not exp(-x). For x < 0, ELU is negative."),
        Mistake(wrong=_elu_scaled_positive_side,
                hint="For x > 0, ELU is x itself. alpha only scales the negative branch."),
        Mistake(wrong=_elu_ignoring_alpha,
                hint="Your negative branch ignores alpha. Multiply exp(x) - 1 by the `alpha` argument."),
        MASK_TIMES_INF,
        SCALAR_ONLY,
        ALPHA_NAME,
        ALPHA_DEFAULT,
    ],
    hints=[
        "ELU is x for x > 0 and alpha * (exp(x) - 1) for x <= 0.",
        "np.where(x > 0, a, b) computes both a and b for every element before choosing.",
        "np.exp(np.minimum(x, 0)) never sees a positive number, so it cannot overflow.",
    ],
    solution='''
        def elu(x, alpha=1.0):
            x = np.asarray(x, dtype=float)
            negative_part = alpha * (np.exp(np.minimum(x, 0)) - 1)   # exp never sees x > 0
            return np.where(x > 0, x, negative_part)
    ''',
)
