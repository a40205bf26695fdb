"""Exercises for notebook 04, ReLU and its variants.

* ``relu_grad`` (Exercise 1): ReLU's derivative, with the course's convention at 0.
* ``leaky_relu_grad`` (Exercise 2): leaky ReLU's derivative, with an ``alpha`` argument.
* ``elu_grad`` (Exercise 3): ELU's derivative, which never overflows and never needs its warnings silenced.

The notebook's body implements ``leaky_relu`` and ``elu`` themselves, so the exercises ask for
what it does not show: the derivatives, with the convention at the kink (the left piece, as in
``course_utils.activations.KINK_SIDE``).

The framework hands every case a fresh copy of its inputs, reports an answer that
writes into them (with the ``*_IN_PLACE`` hints below), computes the expected values when
the checkers are defined, and turns code that silences NumPy's warnings into a
"SilencedWarning" message.

Every text a learner reads is marked with ``N_``; the framework shows it in the learner's
language (``course_utils.i18n``).
"""

import numpy as np

from .. import activations
from ..i18n import N_
from .framework import Case, FunctionExercise, Mistake

SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint=N_("Python's `max(0, x)` and `if x > 0:` handle one number at a time; x is an array. "
            "Use element-wise NumPy: `np.maximum(x, 0)`, `x > 0`, or `np.where(x > 0, a, b)`."),
)

NP_MAX_IS_A_REDUCTION = Mistake(
    error_contains="only integer scalar arrays can be converted to a scalar index",
    hint=N_("`np.max(a, b)` is a reduction: it returns the largest entry of `a`, and its second argument is an "
            "*axis*. For the element-wise maximum of two arrays use `np.maximum(a, b)`."),
)
ALPHA_NAME = Mistake(
    error_contains="unexpected keyword argument 'alpha'",
    hint=N_("The checker calls your function as f(x, alpha=0.1), so the parameter must be called `alpha`."),
)
ALPHA_DEFAULT = Mistake(
    error_contains="required positional argument: 'alpha'",
    hint=N_("Give alpha a default value in the signature (0.01 for leaky ReLU, 1.0 for ELU), "
            "so that f(x) works too."),
)
MASK_TIMES_INF = Mistake(
    warning_contains="invalid value",
    hint=N_("Multiplying by a 0/1 mask turns an infinite input into nan, because inf * 0 = nan. "
            "Select values with np.where(x > 0, a, b) instead of adding masked products."),
)
SILENCED_OVERFLOW = N_(
    "Your code switches NumPy's overflow warning off (np.errstate, np.seterr or warnings.filterwarnings). "
    "The overflow still happens: np.where computes np.exp(x) for every element, also for x = 1000, where it "
    "is inf, before throwing that value away. Silencing is a bad habit because it hides every overflow in "
    "the block, including a real one whose inf would reach your result. Remove the silencing and compute "
    "exp only where it is used: np.exp(np.minimum(x, 0)) never sees a positive number, so nothing overflows."
)


# The hints for an answer that writes into its input: each names the new array to build and the slip that writes
# into the caller's data. One whole sentence per exercise, so that a translator sees it as it is shown.
RELU_IN_PLACE = N_(
    "Build a new array instead of writing into x: `(x > 0).astype(float)` returns a fresh one. Note that "
    "`np.asarray(x, dtype=float)` does not copy a float array, so `x[x > 0] = 1` followed by `x[x <= 0] = 0` "
    "still writes into the caller's data."
)
LEAKY_RELU_IN_PLACE = N_(
    "Build a new array instead of writing into x: `np.where(x > 0, 1.0, alpha)` returns a fresh one. Note that "
    "`np.asarray(x, dtype=float)` does not copy a float array, so `x[x <= 0] = alpha` still writes into the "
    "caller's data."
)
ELU_IN_PLACE = N_(
    "Build a new array instead of writing into x: `np.where(x > 0, 1.0, negative_slope)` returns a fresh one. "
    "Note that `np.asarray(x, dtype=float)` does not copy a float array, so `x[x > 0] = 1` followed by "
    "`x[x <= 0] = ...` still writes into the caller's data."
)


# ------------------------------------------------------------------ ReLU's derivative
relu_grad = FunctionExercise(
    name="04.relu_grad",
    title=N_("implement relu_grad(x): 1 where x > 0, else 0"),
    reference=activations.relu_grad,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([0.0]),)),
        Case((np.array([[-1.0, 0.0], [0.0, 2.0]]),)),
        Case((np.array([-np.inf, -1e300, -1e-300, 1e-300, 1e300, np.inf]),)),
    ],
    mistakes=[
        Mistake(wrong=lambda x: (np.asarray(x) >= 0).astype(float),
                hint=N_("At the kink x = 0 the course's convention is relu_grad(0) = 0 (x <= 0 counts as 'off', "
                        "the same as the ReLU layer's mask). Use `x > 0`, not `x >= 0`.")),
        Mistake(wrong=lambda x: np.heaviside(np.asarray(x, dtype=float), 0.5),
                hint=N_("At the kink x = 0 you return 0.5 (np.heaviside(x, 0.5), or a central difference "
                        "taken exactly at 0). The course's convention is relu_grad(0) = 0: use `x > 0`.")),
        Mistake(wrong=lambda x: activations.relu(x),
                hint=N_("You returned relu(x) itself. The derivative is a 0/1 mask: 1 where x > 0, 0 elsewhere.")),
        SCALAR_ONLY,
    ],
    hints=[
        N_("Sketch ReLU: what is its slope to the right of 0, and to the left?"),
        N_("ReLU is x for x > 0 (slope 1) and 0 for x <= 0 (slope 0). At x = 0 itself the course uses 0."),
        N_("A comparison such as `x > 0` gives an array of True/False; `.astype(float)` turns it into 1.0/0.0."),
    ],
    solution='''
        def my_relu_grad(x):
            x = np.asarray(x, dtype=float)
            return (x > 0).astype(float)   # 1 where x > 0; 0 elsewhere, including x = 0
    ''',
    in_place_hint=RELU_IN_PLACE,
    number=1,
)


# ------------------------------------------------------------ leaky ReLU's derivative
def _leaky_grad_right_piece_at_zero(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0, alpha)


def _leaky_grad_ignoring_alpha(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, 0.01)


def _leaky_grad_without_leak(x, alpha=0.01):
    return (np.asarray(x, dtype=float) > 0).astype(float)


def _leaky_grad_function_itself(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * x)


def _leaky_grad_alpha_times_x(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * x)


def _leaky_grad_swapped(x, alpha=0.01):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha, 1.0)


leaky_relu_grad = FunctionExercise(
    name="04.leaky_relu_grad",
    title=N_("implement leaky_relu_grad(x, alpha=0.01): 1 where x > 0, else alpha"),
    reference=activations.leaky_relu_grad,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),), {"alpha": 0.1}),
        Case((np.array([-1.0, 0.0, 1.0]),), {"alpha": 0.1}),
        Case((np.array([[-4.0, 2.0], [3.0, 0.0]]),), {"alpha": 0.2}),
        Case((np.array([-3.0, -1.0, 0.0, 1.0, 3.0]),), {"alpha": 2.0}),
        Case((np.array([-2.0, 0.0, 2.0]),), {"alpha": 0.0}),
        Case((np.array([-np.inf, -1e300, -1e-300, 1e-300, 1e300, np.inf]),), {"alpha": 0.01}),
    ],
    mistakes=[
        Mistake(wrong=_leaky_grad_right_piece_at_zero,
                hint=N_("At the kink x = 0 the course takes the slope of the left piece: leaky_relu_grad(0) = alpha, "
                        "just as relu_grad(0) = 0 (section 4). Use `x > 0`, not `x >= 0`.")),
        Mistake(wrong=_leaky_grad_ignoring_alpha,
                hint=N_("Your negative side uses the slope 0.01 whatever alpha is. Use the `alpha` argument, "
                        "not the number 0.01.")),
        Mistake(wrong=_leaky_grad_without_leak,
                hint=N_("That is ReLU's derivative: 0 for x <= 0. Leaky ReLU is alpha * x there, so its slope "
                        "there is alpha.")),
        Mistake(wrong=_leaky_grad_function_itself,
                hint=N_("You returned leaky ReLU itself. The derivative is its slope: 1 where x > 0, alpha elsewhere.")),
        Mistake(wrong=_leaky_grad_alpha_times_x,
                hint=N_("For x <= 0 leaky ReLU is alpha * x, and the slope of alpha * x is alpha (a constant), "
                        "not alpha * x.")),
        Mistake(wrong=_leaky_grad_swapped,
                hint=N_("The branches are swapped: x > 0 should give 1 and x <= 0 should give alpha.")),
        MASK_TIMES_INF,
        SCALAR_ONLY,
        ALPHA_NAME,
        ALPHA_DEFAULT,
    ],
    hints=[
        N_("Sketch leaky ReLU: what is its slope to the right of 0, to the left, and which one does the course "
           "use at 0 itself (section 4)?"),
        N_("The slope is 1 where x > 0 and alpha where x <= 0, including x = 0. Which NumPy tool picks between "
           "two values element by element?"),
        N_("Start with `x = np.asarray(x, dtype=float)` so lists and integers work too; then "
           "`np.where(x > 0, 1.0, alpha)`, with the `alpha` argument, not 0.01."),
    ],
    solution='''
        def my_leaky_relu_grad(x, alpha=0.01):
            x = np.asarray(x, dtype=float)
            return np.where(x > 0, 1.0, alpha)   # alpha at x = 0 (the left piece); a new array
    ''',
    in_place_hint=LEAKY_RELU_IN_PLACE,
    number=2,
)


# ----------------------------------------------------------------- ELU's derivative
def _elu_grad_right_piece_at_zero(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def _elu_grad_ignoring_alpha(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))


def _elu_grad_keeping_minus_one(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0)))


def _elu_grad_function_itself(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def _elu_grad_wrong_sign_in_exponent(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, 1.0, alpha * np.exp(-np.minimum(x, 0)))


def _elu_grad_scaled_positive_side(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha, alpha * np.exp(np.minimum(x, 0)))


def _elu_grad_swapped(x, alpha=1.0):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, alpha * np.exp(np.minimum(x, 0)), 1.0)


elu_grad = FunctionExercise(
    name="04.elu_grad",
    title=N_("implement elu_grad(x, alpha=1.0): 1 where x > 0, else alpha·e^x, without overflow"),
    reference=activations.elu_grad,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),), {"alpha": 0.5}),
        Case((np.array([-1.0, 0.0, 1.0]),), {"alpha": 0.5}),
        Case((np.array([[-3.0, 2.0], [0.25, -0.25]]),), {"alpha": 2.0}),
        Case((np.array([-1e-10, 0.0, 1e-10]),), {"alpha": 2.0}),
        Case((np.array([-1000.0, -50.0, 50.0, 710.0, 1000.0]),)),
        Case((np.array([-np.inf, -1e300, 1e300, np.inf]),), {"alpha": 1.5}),
    ],
    mistakes=[
        Mistake(warning_contains="SilencedWarning", hint=SILENCED_OVERFLOW),
        Mistake(warning_contains="overflow",
                hint=N_("np.where evaluates *both* branches for every element, so np.exp(x) is computed for "
                        "x = 1000 too, where it overflows, even though that value is thrown away. Only "
                        "exponentiate the non-positive part: np.exp(np.minimum(x, 0)).")),
        Mistake(wrong=_elu_grad_right_piece_at_zero,
                hint=N_("At the kink x = 0 the course takes the slope of the left piece: elu_grad(0) = alpha "
                        "(section 4). With alpha = 1 both pieces give 1, but not with alpha = 0.5. "
                        "Use `x > 0`, not `x >= 0`.")),
        Mistake(wrong=_elu_grad_keeping_minus_one,
                hint=N_("The - 1 of alpha * (exp(x) - 1) is a constant, and a constant's slope is 0: the derivative "
                        "is alpha * exp(x), with no - 1.")),
        Mistake(wrong=_elu_grad_function_itself,
                hint=N_("You returned ELU itself. The derivative is its slope: 1 where x > 0, alpha * exp(x) elsewhere.")),
        Mistake(wrong=_elu_grad_wrong_sign_in_exponent,
                hint=N_("Check the sign in the exponent: the slope is alpha * exp(x), not alpha * exp(-x). "
                        "It shrinks towards 0 as x goes to -inf.")),
        Mistake(wrong=_elu_grad_scaled_positive_side,
                hint=N_("For x > 0 ELU is x itself, so its slope there is 1 whatever alpha is. alpha only scales "
                        "the negative branch.")),
        Mistake(wrong=_elu_grad_ignoring_alpha,
                hint=N_("Your negative branch ignores alpha. Multiply exp(x) by the `alpha` argument.")),
        Mistake(wrong=_elu_grad_swapped,
                hint=N_("The branches are swapped: x > 0 should give 1 and x <= 0 should give alpha * exp(x).")),
        MASK_TIMES_INF,
        SCALAR_ONLY,
        ALPHA_NAME,
        ALPHA_DEFAULT,
    ],
    hints=[
        N_("ELU is x for x > 0 and alpha * (exp(x) - 1) for x <= 0. Differentiate each piece. At x = 0 the course "
           "uses the left piece (section 4). Where could exp overflow?"),
        N_("The slopes are 1 and alpha * exp(x). np.where(x > 0, a, b) computes both a and b for every element "
           "before choosing, so exp(1000) is computed even though it is thrown away."),
        N_("np.exp(np.minimum(x, 0)) never sees a positive number, so it cannot overflow: use it for the "
           "negative branch, and do not switch warnings off."),
    ],
    solution='''
        def my_elu_grad(x, alpha=1.0):
            x = np.asarray(x, dtype=float)
            negative_slope = alpha * np.exp(np.minimum(x, 0))   # exp only ever sees values <= 0
            return np.where(x > 0, 1.0, negative_slope)        # alpha at x = 0 (the left piece)
    ''',
    in_place_hint=ELU_IN_PLACE,
    number=3,
)
