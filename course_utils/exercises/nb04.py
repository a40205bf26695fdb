"""Exercises for notebook 04, ReLU and its variants.

* ``leaky_relu`` (Exercise 1): a vectorised leaky ReLU with an ``alpha`` argument.
* ``elu`` (Exercise 2): ELU that never overflows, and never needs its warnings silenced.
* ``relu_grad`` (Exercise 3): ReLU's derivative, with the course's convention at 0.

The framework hands every case a fresh copy of its inputs, reports an answer that
writes into them (with the ``IN_PLACE`` hint below), computes the expected values when
the checkers are defined, and turns code that silences NumPy's warnings into a
"SilencedWarning" message.
"""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Mistake

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
SILENCED_OVERFLOW = (
    "Your code switches NumPy's overflow warning off (np.errstate, np.seterr or warnings.filterwarnings). "
    "The overflow still happens: np.where computes np.exp(x) for every element, also for x = 1000, where it "
    "is inf, before throwing that value away. Silencing is a bad habit because it hides every overflow in "
    "the block, including a real one whose inf would reach your result. Remove the silencing and compute "
    "exp only where it is used: np.exp(np.minimum(x, 0)) never sees a positive number, so nothing overflows."
)
IN_PLACE = ("Build a new array instead of writing into x: `np.where(x > 0, a, b)` or `(x > 0).astype(float)` "
            "return fresh arrays. Note that `np.asarray(x, dtype=float)` does not copy a float array, so "
            "`x[x <= 0] *= alpha` still writes into the caller's data.")


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


leaky_relu = FunctionExercise(
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
        "Leaky ReLU is x where x > 0 and alpha * x everywhere else. Which NumPy tool picks between two "
        "values element by element?",
        "`np.where(condition, a, b)` picks a where condition is True and b elsewhere, element by element.",
        "Start with `x = np.asarray(x, dtype=float)` so lists and integers work too; then "
        "`np.where(x > 0, x, alpha * x)`, with the `alpha` argument, not 0.01.",
    ],
    solution='''
        def my_leaky_relu(x, alpha=0.01):
            x = np.asarray(x, dtype=float)
            return np.where(x > 0, x, alpha * x)   # a new array: x itself is not changed
    ''',
    in_place_hint=IN_PLACE,
    number=1,
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


elu = FunctionExercise(
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
        Mistake(warning_contains="SilencedWarning", hint=SILENCED_OVERFLOW),
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
        "ELU is x for x > 0 and alpha * (exp(x) - 1) for x <= 0. Where could exp overflow?",
        "np.where(x > 0, a, b) computes both a and b for every element before choosing, so exp(1000) is "
        "computed even though it is thrown away.",
        "np.exp(np.minimum(x, 0)) never sees a positive number, so it cannot overflow: use it for the "
        "negative branch, and do not switch warnings off. np.expm1(t) computes e^t - 1 in one step, "
        "accurately even for tiny t (section 3.1).",
    ],
    solution='''
        def my_elu(x, alpha=1.0):
            x = np.asarray(x, dtype=float)
            negative_part = alpha * np.expm1(np.minimum(x, 0))   # e^t - 1, accurate for tiny t; t <= 0 never overflows
            return np.where(x > 0, x, negative_part)
    ''',
    in_place_hint=IN_PLACE,
    number=2,
)


# ------------------------------------------------------------------ ReLU's derivative
relu_grad = FunctionExercise(
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
        "Sketch ReLU: what is its slope to the right of 0, and to the left?",
        "ReLU is x for x > 0 (slope 1) and 0 for x <= 0 (slope 0). At x = 0 itself the course uses 0.",
        "A comparison such as `x > 0` gives an array of True/False; `.astype(float)` turns it into 1.0/0.0.",
    ],
    solution='''
        def my_relu_grad(x):
            x = np.asarray(x, dtype=float)
            return (x > 0).astype(float)   # 1 where x > 0; 0 elsewhere, including x = 0
    ''',
    in_place_hint=IN_PLACE,
    number=3,
)
