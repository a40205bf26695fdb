"""Exercises for notebook 02, the sigmoid.

Exercise 1 (``02.sigmoid``) tests *accuracy in the tails*, not only the absence of
warnings: at x = -720 the true sigmoid is about 2.0e-313 (a subnormal float64), and an
answer that silences the overflow warning, clips its input, or cancels ``1 - (almost 1)``
returns 0.0 or a much larger number there, so it fails with a hint that names the slip.
"""

import numpy as np

from .. import activations
from .framework import Case, ChoiceExercise, FunctionExercise, Incorrect, LearnerError, Mistake, call_learner

# Captured once, when this module is imported: redefining cu.sigmoid in a notebook cell
# cannot change what the checkers expect.
_sigmoid = activations.sigmoid
_sigmoid_grad = activations.sigmoid_grad


def _read_only(array: np.ndarray) -> np.ndarray:
    """The stored test inputs cannot be changed in place, even by an answer that tries."""
    array.flags.writeable = False
    return array


def _frozen(reference, cases):
    """A reference that returns the expected values computed now, when the checker is defined."""
    def key(args, kwargs):
        return tuple((a.shape, a.dtype.str, a.tobytes()) if isinstance(a, np.ndarray) else repr(a)
                     for a in list(args) + sorted(kwargs.items()))

    expected = {key(case.args, case.kwargs): reference(*case.args, **case.kwargs) for case in cases}

    def frozen_reference(*args, **kwargs):
        stored = expected.get(key(args, kwargs))
        return reference(*args, **kwargs) if stored is None else stored.copy()

    return frozen_reference


def _naive(x):
    """The textbook form: overflows (inf, with a warning) for x < -709.78."""
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


# --------------------------------------------------------------------- hints for slips
OVERFLOW_NEGATIVE = (
    "Your code overflows for very negative x. There, `np.exp(-x)` is e^(-x) = e^(+|x|), which is larger than "
    "the largest float64 (about 1.8e308 = e^709.78) for every x < -709.78. Only ever exponentiate a number "
    "that is <= 0, such as -np.abs(x)."
)
OVERFLOW_POSITIVE = (
    "Your code overflows for very positive x. A form that uses `np.exp(x)`, such as e^x / (1 + e^x), "
    "computes e^710 = inf for every x > 709.78, and inf / inf is nan. Use that form only where x < 0; for "
    "x >= 0 use 1 / (1 + np.exp(-x)). Only ever exponentiate a number that is <= 0."
)
BOTH_BRANCHES = (
    " And if you use np.where: np.where evaluates *both* branches on every element before it chooses, so an "
    "exp that can overflow must not appear in either branch."
)
#: Kept for the tests and for other code that imports it: the hint for the classic overflow.
OVERFLOW = Mistake(warning_contains="overflow", hint=OVERFLOW_NEGATIVE)

SILENCED = Mistake(
    wrong=_naive,
    hint="The warning is gone, but the answer is still wrong in the far negative tail: the textbook "
         "1 / (1 + np.exp(-x)) gives 1 / (1 + inf) = 0.0 for every x < -709.78, while the true sigmoid is "
         "tiny but not zero there (σ(-720) ≈ 2.0e-313 fits in a float64). Silencing a warning "
         "(np.errstate, warnings.filterwarnings) does not fix the overflow: never exponentiate a positive number.",
)


def _looks_clipped(case: Case, result: np.ndarray) -> bool:
    """Several different very negative inputs all gave the same non-zero output: the input was clipped."""
    x = np.asarray(case.args[0], dtype=float)
    tail = np.isfinite(x) & (x < -709)
    if tail.sum() < 2 or result.shape != x.shape:
        return False
    values = result[tail]
    return bool(np.all(values == values[0]) and values[0] > 0)


CLIPPED = Mistake(
    signature=_looks_clipped,
    hint="Your outputs for x below -709 are all the same, and far too large: it looks as if you clipped x "
         "(for example np.clip(x, -500, 500)). Clipping avoids the overflow but changes the answer: "
         "σ(-720) ≈ 2.0e-313, not σ(-500) ≈ 7.1e-218. Instead, never exponentiate a positive number: "
         "with e = np.exp(-np.abs(x)), use e / (1 + e) where x < 0.",
)
CANCELLATION = Mistake(
    signature=lambda case, result: _cancels(case, result),
    hint="Your results for very negative x are 0.0 (or wrong in the first digits) although σ(-40) ≈ 4.2e-18 "
         "is far from 0 in float64. Forms such as 1 - 1/(1 + e^x) or (1 + tanh(x/2)) / 2 subtract two numbers "
         "that are almost equal, and the subtraction wipes out every significant digit (cancellation). "
         "For x < 0 compute e / (1 + e) with e = np.exp(x) directly: a small number divided by about 1 stays accurate.",
)


def _cancels(case: Case, result: np.ndarray) -> bool:
    """Moderately negative inputs (nothing overflows there) came out as 0 or inaccurate: digits were cancelled."""
    x = np.asarray(case.args[0], dtype=float)
    tail = np.isfinite(x) & (x <= -30) & (x > -700)
    if not tail.any() or result.shape != x.shape:
        return False
    expected = _sigmoid(x[tail])
    return bool(np.any(np.abs(result[tail] - expected) > 1e-6 * expected))


MATH_EXP = Mistake(
    error_contains="converted to Python scalars",
    hint="`math.exp` works on one Python number at a time, so it fails on a NumPy array. Use `np.exp`, which "
         "applies the exponential to every element of an array at once.",
)
SCALAR_IF = Mistake(
    error_contains="truth value of an array",
    hint="`if x >= 0:` works on one number only. Compute both cases on arrays with a boolean mask "
         "(`positive = x >= 0`, then `result[positive] = ...`) or with `np.where`, using "
         "e = np.exp(-np.abs(x)) so that nothing overflows.",
)
READ_ONLY = Mistake(
    error_contains="read-only",
    hint="Your function changes its input array in place (for example `x[...] = ...` or `x -= ...`). A "
         "function should leave the caller's array alone: write the results into a new array, such as "
         "`result = np.empty_like(x)`, or use expressions that return new arrays.",
)


class StableFunctionExercise(FunctionExercise):
    """A function exercise whose overflow hint names the side that overflowed.

    The warning text is the same for both sides ("overflow encountered in exp"), so on an
    overflow we run the answer once more on -1000 and once on +1000 to see which side it is.
    """

    def grade(self, answer) -> str:
        try:
            return super().grade(answer)
        except Incorrect as verdict:
            if verdict.hint == OVERFLOW.hint or "overflow" in verdict.message:
                raise Incorrect(verdict.message, self._overflow_hint(answer)) from None
            raise

    @staticmethod
    def _overflow_hint(answer) -> str:
        sides = []
        for side, probe in (("negative", -1000.0), ("positive", 1000.0)):
            try:
                _, messages = call_learner(answer, np.array([probe, 0.0]))
            except Exception:
                continue
            if any("overflow" in message for message in messages):
                sides.append(side)
        hint = OVERFLOW_POSITIVE if sides == ["positive"] else OVERFLOW_NEGATIVE
        if sides == ["negative", "positive"]:
            hint = OVERFLOW_NEGATIVE + " The same holds for very positive x if you also use np.exp(x)."
        return hint + BOTH_BRANCHES


# ----------------------------------------------------------------------- 02.sigmoid
SIGMOID_CASES = [
    Case((_read_only(np.array([0.0])),)),
    Case((_read_only(np.array([-2.0, -1.0, 1.0, 2.0])),)),
    Case((_read_only(np.array([[-10.0, 0.5], [3.0, 15.0]])),)),
    # Moderately far out: no overflow yet, but 1 - (almost 1) cancels to 0 here.
    Case((_read_only(np.array([-40.0, -30.0, 30.0, 40.0])),)),
    # The far negative tail: the naive form overflows; the true values are tiny or subnormal.
    Case((_read_only(np.array([-1000.0, -800.0, -745.0, -740.0, -720.0, -710.0])),)),
    # The far positive tail: a form that uses np.exp(x) overflows here.
    Case((_read_only(np.array([710.0, 800.0, 1000.0])),)),
    Case((_read_only(np.array([-np.inf, np.inf])),)),
]

sigmoid = StableFunctionExercise(
    name="02.sigmoid",
    title="implement a stable sigmoid(x)",
    reference=_frozen(_sigmoid, SIGMOID_CASES),
    cases=SIGMOID_CASES,
    mistakes=[
        OVERFLOW,
        CLIPPED,
        CANCELLATION,
        SILENCED,
        Mistake(wrong=lambda x: 1 / (1 + np.exp(np.asarray(x, dtype=float))),
                hint="Your function returns σ(-x) = 1 - σ(x). Check the sign in the exponent "
                     "(sigmoid(x) = 1 / (1 + exp(-x)), so sigmoid(2) > 0.5), or whether your two branches "
                     "(x >= 0 and x < 0) are swapped."),
        Mistake(wrong=lambda x: _sigmoid(np.abs(np.asarray(x, dtype=float))),
                hint="For negative x your result is above 0.5: you used 1/(1+e) on both sides. With "
                     "e = np.exp(-np.abs(x)), the x < 0 branch is e/(1+e)."),
        SCALAR_IF,
        MATH_EXP,
        READ_ONLY,
    ],
    # Relative accuracy everywhere; the absolute slack is two subnormal steps (about 1e-323), so an
    # answer that returns 0.0 where the true value is 2.0e-313 fails.
    rtol=1e-9,
    atol=1e-323,
    hints=[
        "Run the textbook 1 / (1 + np.exp(-x)) on x = -1000 and look at what np.exp(-x) is there.",
        "np.exp of a number <= 0 lies in (0, 1] and can never overflow. Which expression in x is always <= 0?",
        "Let e = np.exp(-np.abs(x)). For x >= 0, sigmoid(x) = 1 / (1 + e). For x < 0, multiply the top and "
        "bottom of 1 / (1 + e^(-x)) by e^x: sigmoid(x) = e^x / (1 + e^x) = e / (1 + e).",
        "Put the two cases together with `np.where(x >= 0, 1 / (1 + e), e / (1 + e))`: both branches are "
        "safe to evaluate everywhere, because e <= 1.",
    ],
    solution='''
        def my_sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))          # in (0, 1]: cannot overflow
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ''',
)


# ------------------------------------------------------------------ 02.sigmoid_grad
SIGMOID_GRAD_CASES = [
    Case((_read_only(np.array([0.0, 2.0])),)),
    Case((_read_only(np.array([-3.0, -1.0, 1.0, 3.0])),)),
    Case((_read_only(np.array([[-0.5, 0.5], [2.0, -2.0]])),)),
    Case((_read_only(np.array([-1000.0, -710.0])),)),
    Case((_read_only(np.array([710.0, 1000.0])),)),
]

sigmoid_grad = StableFunctionExercise(
    name="02.sigmoid_grad",
    title="implement the derivative sigmoid_grad(x) = σ(x)(1 − σ(x))",
    reference=_frozen(_sigmoid_grad, SIGMOID_GRAD_CASES),
    cases=SIGMOID_GRAD_CASES,
    mistakes=[
        OVERFLOW,
        Mistake(wrong=lambda x: _sigmoid(x),
                hint="You returned σ(x) itself. The derivative is σ(x) * (1 - σ(x)), which peaks at 0.25 at x = 0."),
        Mistake(wrong=lambda x: _sigmoid(x) * (1 - np.asarray(x, dtype=float)),
                hint="Apply the formula to s = sigmoid(x), not to x: s * (1 - s)."),
        Mistake(wrong=lambda x: -_sigmoid_grad(x),
                hint="The sign is flipped. The sigmoid only ever increases, so its slope is positive: "
                     "use s * (1 - s), not s * (s - 1)."),
        Mistake(wrong=lambda x: 1 - _sigmoid(x) ** 2,
                hint="1 - s**2 is the pattern of tanh's derivative (1 - tanh²). For the sigmoid it is s * (1 - s)."),
        SCALAR_IF,
        MATH_EXP,
        READ_ONLY,
    ],
    hints=[
        "What is σ'(0)? The notebook's derivation gives it in terms of σ(0) = 0.5.",
        "First compute s = sigmoid(x) with a stable sigmoid (your answer to exercise 1 works).",
        "Then return s * (1 - s). At x = 0 this is 0.5 * 0.5 = 0.25.",
    ],
    solution='''
        def my_sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))   # stable sigmoid
            return s * (1 - s)
    ''',
)


# ---------------------------------------------------------------- 02.gradient_signs
gradient_signs = ChoiceExercise(
    name="02.gradient_signs",
    title="the signs of the weight gradients behind sigmoid inputs",
    question="A neuron computes z = w1*a1 + w2*a2 + w3*a3 + b, where a1, a2, a3 are outputs of sigmoid "
             "neurons in the layer before. For one training example, backpropagation gives dL/dz = -0.3. "
             "What are the signs of dL/dw1, dL/dw2 and dL/dw3?",
    options={
        "a": "All three are positive.",
        "b": "All three are negative.",
        "c": "It depends on the weights w1, w2, w3: the signs can be mixed.",
        "d": "All three are zero, because the sigmoid saturates.",
    },
    correct="b",
    why="dL/dw_i = dL/dz * a_i, and every a_i is a sigmoid output, so a_i > 0. Each gradient therefore "
        "has the sign of dL/dz = -0.3: all negative. Gradient descent then moves all three weights up "
        "together, which is why sigmoid inputs lead to zig-zag updates.",
    explanations={
        "a": "Look at the sign of dL/dz. dL/dw_i = dL/dz * a_i with a_i > 0, so the gradient keeps the sign of dL/dz.",
        "c": "The weights do not appear in dL/dw_i = dL/dz * a_i. Only dL/dz and a_i do, and a_i > 0 for "
             "every sigmoid output.",
        "d": "A sigmoid output is never exactly 0 in theory (it lies in (0, 1)), and dL/dz = -0.3 is not zero, "
             "so dL/dw_i = dL/dz * a_i is not zero.",
    },
    hints=[
        "z is a sum of w_i * a_i. How does z change when w_i grows by a little?",
        "dz/dw_i = a_i, so by the chain rule dL/dw_i = dL/dz * a_i.",
        "What sign does a sigmoid output a_i always have? Multiply it by dL/dz = -0.3.",
    ],
)
