"""Exercises for notebook 02, the sigmoid.

Exercise 1 (``02.sigmoid``) tests *accuracy in the tails*, not only the absence of
warnings: at x = -720 the true sigmoid is about 2.0e-313 (a subnormal float64), and an
answer that silences the overflow warning, clips its input, or cancels ``1 - (almost 1)``
returns 0.0 or a much larger number there, so it fails with a hint that names the slip.
"""

import re

import numpy as np

from .. import activations
from ..i18n import N_, _
from .framework import (read_only, frozen_reference, Case, ChoiceExercise, FunctionExercise, Incorrect, LearnerError,
                        Mistake, call_learner, describe, fresh_copy, localize, require_function)
from .nb01 import ReferenceWatch

# Captured once, when this module is imported: redefining cu.sigmoid in a notebook cell
# cannot change what the checkers expect.
_sigmoid = activations.sigmoid
_sigmoid_grad = activations.sigmoid_grad


def _naive(x):
    """The textbook form: overflows (inf, with a warning) for x < -709.78."""
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


# --------------------------------------------------------------------- hints for slips
OVERFLOW_NEGATIVE = N_(
    "Your code overflows for very negative x. There, `np.exp(-x)` is e^(-x) = e^(+|x|), which is larger than "
    "the largest float64 (about 1.8e308 = e^709.78) for every x < -709.78. Only ever exponentiate a number "
    "that is <= 0, such as -np.abs(x)."
)
OVERFLOW_POSITIVE = N_(
    "Your code overflows for very positive x. A form that uses `np.exp(x)`, such as e^x / (1 + e^x), "
    "computes e^710 = inf for every x > 709.78, and inf / inf is nan. Use that form only where x < 0; for "
    "x >= 0 use 1 / (1 + np.exp(-x)). Only ever exponentiate a number that is <= 0."
)
BOTH_BRANCHES = N_(
    " And if you use np.where: np.where evaluates *both* branches on every element before it chooses, so an "
    "exp that can overflow must not appear in either branch."
)
#: Added to OVERFLOW_NEGATIVE when the code overflows on both sides. Like BOTH_BRANCHES it continues the hint
#: before it, so it starts with a space; the hint is given to the framework as a tuple of parts.
BOTH_SIDES = N_(" The same holds for very positive x if you also use np.exp(x).")
#: Kept for the tests and for other code that imports it: the hint for the classic overflow.
OVERFLOW = Mistake(warning_contains="overflow", hint=OVERFLOW_NEGATIVE)

def _shows_slip(wrong, reference):
    """A ``Mistake.signature``: the result equals ``wrong``'s output on the entries where ``wrong`` is wrong.

    Comparing on every entry (as ``Mistake(wrong=...)`` does) would also "recognise" the slip on
    inputs where the slip does not show, for example the naive sigmoid at x = 0 or x = 2, and
    give a correct-looking answer a hint about a problem it does not have.
    """
    def signature(case: Case, result: np.ndarray) -> bool:
        x = np.asarray(case.args[0], dtype=float)
        with np.errstate(all="ignore"):
            wrong_values = np.asarray(wrong(x), dtype=float)
            right_values = np.asarray(reference(x), dtype=float)
        if wrong_values.shape != result.shape:
            return False
        shows = ~np.isclose(wrong_values, right_values, rtol=1e-9, atol=1e-323, equal_nan=True)
        return bool(shows.any() and np.allclose(result[shows], wrong_values[shows], rtol=1e-9, atol=1e-323,
                                                 equal_nan=True))

    return signature


SILENCED = Mistake(
    signature=_shows_slip(_naive, _sigmoid),
    hint=N_("The warning is gone, but the answer is still wrong in the far negative tail: the textbook "
            "1 / (1 + np.exp(-x)) gives 1 / (1 + inf) = 0.0 for every x < -709.78, while the true sigmoid is "
            "tiny but not zero there (σ(-720) ≈ 2.0e-313 fits in a float64). Silencing a warning "
            "(np.errstate, warnings.filterwarnings) does not fix the overflow: never exponentiate a positive number."),
)


def _looks_clipped(case: Case, result: np.ndarray) -> bool:
    """Several different very negative inputs all gave the same non-zero output: the input was clipped."""
    x = np.asarray(case.args[0], dtype=float)
    tail = np.isfinite(x) & (x < -709)
    if tail.sum() < 2 or result.shape != x.shape:
        return False
    values = result[tail]
    return bool(np.all(values == values[0]) and values[0] > 0)


def _naive_slope(x):
    """The textbook slope e^(-x) / (1 + e^(-x))^2: inf / inf = nan for x < -709.78."""
    e = np.exp(-np.asarray(x, dtype=float))
    return e / (1 + e) ** 2


SILENCED_SLOPE = Mistake(
    signature=_shows_slip(_naive_slope, _sigmoid_grad),
    hint=N_("The warning is gone, but the overflow is not: for x < -709.78, e = np.exp(-x) is inf, and "
            "e / (1 + e)**2 is inf / inf = nan. Silencing a warning (np.errstate, warnings.filterwarnings) does "
            "not fix that. Use e = np.exp(-np.abs(x)), which is never larger than 1."),
)


CLIPPED = Mistake(
    signature=_looks_clipped,
    hint=N_("Your outputs for x below -709 are all the same, and far too large: it looks as if you clipped x "
            "(for example np.clip(x, -500, 500)). Clipping avoids the overflow but changes the answer: "
            "σ(-720) ≈ 2.0e-313, not σ(-500) ≈ 7.1e-218. Instead, never exponentiate a positive number: "
            "with e = np.exp(-np.abs(x)), use e / (1 + e) where x < 0."),
)
CANCELLATION = Mistake(
    signature=lambda case, result: _cancels(case, result),
    hint=N_("Your results for very negative x are 0.0 (or wrong in the first digits) although σ(-40) ≈ 4.2e-18 "
            "is far from 0 in float64. Forms such as 1 - 1/(1 + e^x) or (1 + tanh(x/2)) / 2 subtract two numbers "
            "that are almost equal, and the subtraction wipes out every significant digit (cancellation). "
            "For x < 0 compute e / (1 + e) with e = np.exp(x) directly: a small number divided by about 1 stays "
            "accurate."),
)


def _cancels(case: Case, result: np.ndarray) -> bool:
    """Moderately negative inputs (nothing overflows there) came out as 0 or inaccurate: digits were cancelled."""
    x = np.asarray(case.args[0], dtype=float)
    tail = np.isfinite(x) & (x <= -30) & (x > -700)
    if not tail.any() or result.shape != x.shape:
        return False
    expected = _sigmoid(x[tail])
    return bool(np.any(np.abs(result[tail] - expected) > 1e-6 * expected))


def _is_low_precision(result) -> bool:
    """Is ``result`` an array of a float type with fewer digits than float64 (float32 or float16)?"""
    dtype = getattr(result, "dtype", None)
    return isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize < 8


def _float32_digits(reference):
    """A ``Mistake.signature``: right to float32 precision (about 7 digits) but not to float64's."""
    def signature(case: Case, result: np.ndarray) -> bool:
        expected = reference(np.asarray(case.args[0], dtype=float))
        if result.shape != expected.shape:
            return False
        with np.errstate(all="ignore"):
            close_for_float32 = np.allclose(result, expected, rtol=1e-6, atol=0)
            close_for_float64 = np.allclose(result, expected, rtol=1e-9, atol=1e-323)
        return bool(close_for_float32 and not close_for_float64)

    return signature


LOW_PRECISION_HINT = N_(
    "Your values are right to about 7 significant digits only, as if they were computed in float32 "
    "(`np.float32`, about 7 digits) instead of float64 (about 16). The checker asks for float64 accuracy. "
    "Keep the input's dtype: start with `x = np.asarray(x, dtype=float)` and do not convert to np.float32 anywhere."
)
LOW_PRECISION = Mistake(signature=_float32_digits(_sigmoid), hint=LOW_PRECISION_HINT)
LOW_PRECISION_GRAD = Mistake(signature=_float32_digits(_sigmoid_grad), hint=LOW_PRECISION_HINT)

MATH_EXP = Mistake(
    error_contains="converted to Python scalars",
    hint=N_("`math.exp` works on one Python number at a time, so it fails on a NumPy array. Use `np.exp`, which "
            "applies the exponential to every element of an array at once."),
)
SCALAR_IF = Mistake(
    error_contains="truth value of an array",
    hint=N_("`if x >= 0:` works on one number only. Compute both cases on arrays with a boolean mask "
            "(`positive = x >= 0`, then `result[positive] = ...`) or with `np.where`, using "
            "e = np.exp(-np.abs(x)) so that nothing overflows."),
)
READ_ONLY = Mistake(
    error_contains="read-only",
    hint=N_("Your function changes its input array in place (for example `x[...] = ...` or `x -= ...`). A "
            "function should leave the caller's array alone: write the results into a new array, such as "
            "`result = np.empty_like(x)`, or use expressions that return new arrays."),
)


class StableFunctionExercise(FunctionExercise):
    """A function exercise for the sigmoid and its slope, with four refinements.

    * **Values first.** When the answer switches NumPy's warnings off (``np.errstate``), its
      values are checked on every case before the verdict is given: wrong values are
      reported as such (with the hint for that slip), and right values get a verdict that
      says so, instead of a hint about a bug the answer does not have.
    * **Precision.** An answer computed in float32 agrees with the expected values to the 6
      digits shown; the verdict says that the digits beyond those differ, and why.
    * **The side of an overflow.** The warning text is the same for both sides ("overflow
      encountered in exp"), so on an overflow the answer is run once more on -1000 and once
      on +1000 to see which side it is.
    * **Your own code.** An answer that calls the course's reference, ``cu.<reference_name>``, fails
      even when its values are right, with ``calls_reference_hint``.
    """

    def __init__(self, *args, reference_name: str, calls_reference_hint: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reference_name = reference_name
        self.calls_reference_hint = calls_reference_hint

    def grade(self, answer) -> str:
        require_function(answer, self.function_name)
        watch = ReferenceWatch(self.reference_name)
        message = self._grade_values_and_warnings(watch.wrap(answer))
        if watch.called:
            message = _("your values are right, but your function calls `cu.{name}`, the reference it is "
                        "compared with, so the check cannot tell whether your own code works.").format(
                            name=self.reference_name)
            raise Incorrect(message, self.calls_reference_hint)
        return message

    def _grade_values_and_warnings(self, answer) -> str:
        try:
            return super().grade(answer)
        except Incorrect as verdict:
            if "SilencedWarning" in verdict.message:
                silenced = "SilencedWarning" + verdict.message.partition("SilencedWarning")[2].split("\n")[0]
                self._grade_values_only(answer, silenced)  # raises on the first case with wrong values
                raise Incorrect(_values_right_but_silenced(silenced), VALUES_RIGHT_BUT_SILENCED) from None
            # NumPy's warning text ("overflow encountered in exp") is never translated.
            if verdict.hint in (OVERFLOW.hint, localize(OVERFLOW.hint)) or "overflow" in verdict.message:
                raise Incorrect(verdict.message, self._overflow_hint(answer)) from None
            raise

    def _grade_values_only(self, answer, silenced: str) -> None:
        """Compare the answer's values with the expected ones on every case, ignoring warnings.

        ``silenced`` (the framework's "SilencedWarning: ..." message) is added to a wrong-values verdict.
        """
        for index, template in enumerate(self._templates):
            pristine = self._inputs[index]
            given = fresh_copy(template.args)
            try:
                actual, _warnings = call_learner(answer, *given)
            except LearnerError as exc:
                raise LearnerError(exc.original, _("for input {label}").format(label=pristine.label())) from None
            problem = self._compare(np.asarray(self._expected[index]), actual)
            if problem is not None:
                message = _("wrong result for input {label}\n"
                            "   expected: {expected}\n"
                            "   got:      {actual}{problem}\n"
                            "   (also, {silenced})").format(
                                label=pristine.label(), expected=describe(np.asarray(self._expected[index])),
                                actual=describe(actual), problem=problem,
                                silenced=silenced.removeprefix("SilencedWarning: "))
                raise Incorrect(message, self._hint_for(pristine, actual, [], self._wrong_results[index]))

    def _compare(self, expected: np.ndarray, actual) -> str | None:
        problem = super()._compare(expected, actual)
        if problem == "" and _is_low_precision(actual):
            return "\n   " + _("(your result is {dtype}, which keeps about 7 significant digits: it looks "
                                "the same as the expected values here, but the check asks for 9)").format(
                                    dtype=actual.dtype)
        if problem == "":
            with np.errstate(all="ignore"):
                agree_to_7_digits = np.allclose(np.asarray(actual, dtype=float), expected, rtol=1e-6, atol=0)
            if agree_to_7_digits:
                return "\n   " + _("(the values agree to about 6 significant digits, so they look the same here, "
                                    "but the check asks for 9)")
        return problem

    @staticmethod
    def _overflow_hint(answer) -> tuple[str, ...]:
        """The hint for an overflow, as N_-marked parts (the framework translates each and joins them)."""
        sides = []
        for side, probe in (("negative", -1000.0), ("positive", 1000.0)):
            try:
                _result, messages = call_learner(answer, np.array([probe, 0.0]))
            except Exception:
                continue
            if any("overflow" in message for message in messages):
                sides.append(side)
        if sides == ["negative", "positive"]:
            return OVERFLOW_NEGATIVE, BOTH_SIDES, BOTH_BRANCHES
        hint = OVERFLOW_POSITIVE if sides == ["positive"] else OVERFLOW_NEGATIVE
        return hint, BOTH_BRANCHES


#: The call that switched warnings off, as the framework's "SilencedWarning: ..." message quotes it (code,
#: so it reads the same in every language): np.errstate(over='ignore'), warnings.simplefilter('ignore'), ...
_SILENCING_CALL = re.compile(r"(?:np\.errstate|np\.seterr|warnings\.simplefilter|warnings\.filterwarnings)\([^()]*\)")


def _values_right_but_silenced(silenced: str) -> str:
    """The verdict for right values from code that switched warnings off; ``silenced`` is the framework's message."""
    found = _SILENCING_CALL.search(silenced)
    call = found.group(0) if found else silenced
    if call.startswith("np."):
        return _("your values are right on every test input, but your code switched NumPy's warnings off "
                 "with {call}").format(call=call)
    return _("your values are right on every test input, but your code switched warnings off with {call}").format(
        call=call)


VALUES_RIGHT_BUT_SILENCED = N_(
    "Your values are right, but the exercise asks for code that needs no np.errstate: a warning that is "
    "switched off can hide a wrong value in another program. Exponentiate only -|x|: with "
    "e = np.exp(-np.abs(x)), every number your code computes is between 0 and 2, so there is nothing to silence."
)


# ----------------------------------------------------------------------- 02.sigmoid
SIGMOID_CASES = [
    Case((read_only(np.array([0.0])),)),
    Case((read_only(np.array([-2.0, -1.0, 1.0, 2.0])),)),
    Case((read_only(np.array([[-10.0, 0.5], [3.0, 15.0]])),)),
    # Moderately far out: no overflow yet, but 1 - (almost 1) cancels to 0 here.
    Case((read_only(np.array([-40.0, -30.0, 30.0, 40.0])),)),
    # The far negative tail: the naive form overflows; the true values are tiny or subnormal.
    Case((read_only(np.array([-1000.0, -800.0, -745.0, -740.0, -720.0, -710.0])),)),
    # The far positive tail: a form that uses np.exp(x) overflows here.
    Case((read_only(np.array([710.0, 800.0, 1000.0])),)),
    Case((read_only(np.array([-np.inf, np.inf])),)),
]

sigmoid = StableFunctionExercise(
    name="02.sigmoid",
    title=N_("implement a stable sigmoid(x)"),
    reference_name="sigmoid",
    calls_reference_hint=N_("Write the formula yourself, without `cu.sigmoid`: the point of the exercise is a "
                            "sigmoid that never overflows. `nb02.sigmoid.hint()` gives a start."),
    reference=frozen_reference(_sigmoid, SIGMOID_CASES),
    cases=SIGMOID_CASES,
    mistakes=[
        OVERFLOW,
        CLIPPED,
        CANCELLATION,
        LOW_PRECISION,
        SILENCED,
        Mistake(wrong=lambda x: 1 / (1 + np.exp(np.asarray(x, dtype=float))),
                hint=N_("Your function returns σ(-x) = 1 - σ(x). Check the sign in the exponent "
                        "(sigmoid(x) = 1 / (1 + exp(-x)), so sigmoid(2) > 0.5), or whether your two branches "
                        "(x >= 0 and x < 0) are swapped.")),
        Mistake(wrong=lambda x: _sigmoid(np.abs(np.asarray(x, dtype=float))),
                hint=N_("For negative x your result is above 0.5: you used 1/(1+e) on both sides. With "
                        "e = np.exp(-np.abs(x)), the x < 0 branch is e/(1+e).")),
        SCALAR_IF,
        MATH_EXP,
        READ_ONLY,
    ],
    # Relative accuracy everywhere; the absolute slack is two subnormal steps (about 1e-323), so an
    # answer that returns 0.0 where the true value is 2.0e-313 fails.
    rtol=1e-9,
    atol=1e-323,
    hints=[
        N_("Run the textbook 1 / (1 + np.exp(-x)) on x = -1000 and look at what np.exp(-x) is there."),
        N_("np.exp of a number <= 0 lies in (0, 1] and can never overflow. Which expression in x is always <= 0?"),
        N_("Let e = np.exp(-np.abs(x)). For x >= 0, sigmoid(x) = 1 / (1 + e). For x < 0, multiply the top and "
           "bottom of 1 / (1 + e^(-x)) by e^x: sigmoid(x) = e^x / (1 + e^x) = e / (1 + e)."),
        N_("Put the two cases together with `np.where(x >= 0, 1 / (1 + e), e / (1 + e))`: both branches are "
           "safe to evaluate everywhere, because e <= 1."),
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
    Case((read_only(np.array([0.0, 2.0])),)),
    Case((read_only(np.array([-3.0, -1.0, 1.0, 3.0])),)),
    Case((read_only(np.array([[-0.5, 0.5], [2.0, -2.0]])),)),
    Case((read_only(np.array([-1000.0, -710.0])),)),
    Case((read_only(np.array([710.0, 1000.0])),)),
]

class SlopeExercise(StableFunctionExercise):
    """``02.sigmoid_grad``: ``s * (1 - s)`` passes, and its verdict notes what it loses for large x."""

    def grade(self, answer) -> str:
        text = super().grade(answer)
        try:
            at_40, _warnings = call_learner(answer, np.array([40.0]))
            lost_tail = float(np.asarray(at_40, dtype=float).ravel()[0]) == 0.0
        except Exception:
            lost_tail = False
        if lost_tail:
            text = _("{verdict} Note: your answer gives 0.0 at x = 40, where the true slope is 4.2e-18. With s = 1.0 "
                     "exactly (for x >= 36.74), s * (1 - s) is 0. The form e / (1 + e)**2 with "
                     "e = np.exp(-np.abs(x)) keeps this tail too.").format(verdict=text)
        return text


sigmoid_grad = SlopeExercise(
    name="02.sigmoid_grad",
    title=N_("implement the derivative sigmoid_grad(x) = σ(x)(1 − σ(x))"),
    reference_name="sigmoid_grad",
    calls_reference_hint=N_("Compute the slope yourself, without `cu.sigmoid_grad`: σ'(x) = σ(x)(1 − σ(x)). "
                            "Calling a sigmoid (yours from exercise 1, or `cu.sigmoid`) is fine."),
    reference=frozen_reference(_sigmoid_grad, SIGMOID_GRAD_CASES),
    cases=SIGMOID_GRAD_CASES,
    mistakes=[
        OVERFLOW,
        SILENCED_SLOPE,
        LOW_PRECISION_GRAD,
        Mistake(wrong=lambda x: _sigmoid(x),
                hint=N_("You returned σ(x) itself. The derivative is σ(x) * (1 - σ(x)), which peaks at 0.25 "
                        "at x = 0.")),
        Mistake(wrong=lambda x: _sigmoid(x) * (1 - np.asarray(x, dtype=float)),
                hint=N_("Apply the formula to s = sigmoid(x), not to x: s * (1 - s).")),
        Mistake(wrong=lambda x: -_sigmoid_grad(x),
                hint=N_("The sign is flipped. The sigmoid only ever increases, so its slope is positive: "
                        "use s * (1 - s), not s * (s - 1).")),
        Mistake(wrong=lambda x: 1 - _sigmoid(x) ** 2,
                hint=N_("1 - s**2 is the pattern of tanh's derivative (1 - tanh²). For the sigmoid it is "
                        "s * (1 - s).")),
        SCALAR_IF,
        MATH_EXP,
        READ_ONLY,
    ],
    hints=[
        N_("What is σ'(0)? The notebook's derivation gives it in terms of σ(0) = 0.5."),
        N_("First compute s = sigmoid(x) with a stable sigmoid (your answer to exercise 1 works)."),
        N_("Then return s * (1 - s). At x = 0 this is 0.5 * 0.5 = 0.25. (The same product, written as "
           "e / (1 + e)**2 with e = np.exp(-np.abs(x)), also keeps the tiny slopes for x above 36.74.)"),
    ],
    solution='''
        def my_sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))        # in (0, 1]: cannot overflow
            # This is s * (1 - s) with s = sigmoid(x), for both signs of x. Written this way it
            # keeps the tiny slopes for large x too, where s rounds to 1.0 and 1 - s to 0.
            return e / (1 + e) ** 2
    ''',
)


# ---------------------------------------------------------------- 02.gradient_signs
gradient_signs = ChoiceExercise(
    name="02.gradient_signs",
    title=N_("the signs of the weight gradients behind sigmoid inputs"),
    question=N_("A neuron computes z = w1*a1 + w2*a2 + w3*a3 + b, where a1, a2, a3 are outputs of sigmoid "
                "neurons in the layer before. For one training example, backpropagation gives dL/dz = -0.3. "
                "What are the signs of dL/dw1, dL/dw2 and dL/dw3?"),
    options={
        "a": N_("All three are positive."),
        "b": N_("All three are negative."),
        "c": N_("It depends on the weights w1, w2, w3: the signs can be mixed."),
        "d": N_("All three are zero, because the sigmoid saturates."),
    },
    correct="b",
    why=N_("dL/dw_i = dL/dz * a_i, and every a_i is a sigmoid output, so a_i > 0. Each gradient therefore "
           "has the sign of dL/dz = -0.3: all negative. Gradient descent then moves all three weights up "
           "together, which is why sigmoid inputs lead to zig-zag updates."),
    explanations={
        "a": N_("Look at the sign of dL/dz. dL/dw_i = dL/dz * a_i with a_i > 0, so the gradient keeps the sign "
                "of dL/dz."),
        "c": N_("The weights do not appear in dL/dw_i = dL/dz * a_i. Only dL/dz and a_i do, and a_i > 0 for "
                "every sigmoid output."),
        "d": N_("A sigmoid output is never exactly 0 in theory (it lies in (0, 1)), and dL/dz = -0.3 is not zero, "
                "so dL/dw_i = dL/dz * a_i is not zero."),
    },
    hints=[
        N_("z is a sum of w_i * a_i. How does z change when w_i grows by a little?"),
        N_("dz/dw_i = a_i, so by the chain rule dL/dw_i = dL/dz * a_i."),
        N_("What sign does a sigmoid output a_i always have? Multiply it by dL/dz = -0.3."),
    ],
)
