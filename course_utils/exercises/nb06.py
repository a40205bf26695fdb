"""Exercises for notebook 06, backpropagation through a sigmoid layer.

The answers here are layer *classes* with ``forward`` and ``backward``, so the two
coding exercises use ``LayerExercise``: it builds a fresh layer for every test input,
runs ``forward`` then ``backward``, and checks, in this order,

1. that ``forward`` gives the right values and caches them in ``self.out``;
2. that ``backward`` leaves ``dout`` unchanged (the classic ``dout[mask] = 0`` bug);
3. that ``dx`` has the shape of ``dout`` and the right values (classic slips such as
   using ``x`` instead of ``out`` or forgetting ``dout`` get a targeted hint);
4. that a second ``backward`` call gives the same answer (no state destroyed);
5. finally, a gradient check against the numerical gradient (``gradient_check``).

Learner code runs through ``call_learner``, so exceptions and NumPy warnings become
one-line verdicts, never tracebacks.

Every text a learner reads is in the learner's language (``course_utils.i18n``): constants
are marked with ``N_`` and translated when shown; verdicts built at check time go through
``_()`` with named fields. ``ERROR_HINTS`` keys are Python's and NumPy's own (English) messages.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .. import activations
from ..gradcheck import gradient_check
from ..i18n import N_, _, ngettext
from .framework import ChoiceExercise, Exercise, Incorrect, LearnerError, call_learner, describe

__all__ = ["LayerExercise", "BackwardMistake", "ForwardMistake", "sigmoid_backward", "tanh_layer", "saturation"]

#: Largest relative error that the final gradient check accepts: the "fine" threshold of
#: ``course_utils.gradcheck`` (correct float64 layers give about 1e-11 to 1e-9).
GRADIENT_CHECK_TOLERANCE = 1e-7

MUTATION_HINT = N_("Never modify dout inside backward (no `dout *= ...`, `dout[...] = ...` or `dx = dout; dx *= ...`). "
                   "The same dout array can feed several branches of a network, and the caller may still need it. "
                   "Build a new array instead: `return dout * ...`.")


def _same(wrong: Callable, args: tuple, actual: np.ndarray) -> bool:
    """Does ``wrong(*args)`` equal the learner's ``actual`` (same shape, close values)?"""
    try:
        with np.errstate(all="ignore"):
            expected = np.asarray(wrong(*args), dtype=float)
    except Exception:
        return False
    return expected.shape == actual.shape and bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-12,
                                                               equal_nan=True))


@dataclass
class BackwardMistake:
    """A classic wrong ``backward``: ``wrong(x, out, dout)`` gives the wrong ``dx``."""

    wrong: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]
    hint: str

    def matches(self, x: np.ndarray, out: np.ndarray, dout: np.ndarray, actual: np.ndarray) -> bool:
        return _same(self.wrong, (x, out, dout), actual)


@dataclass
class ForwardMistake:
    """A classic wrong ``forward``: ``wrong(x)`` gives the wrong output."""

    wrong: Callable[[np.ndarray], Any]
    hint: str

    def matches(self, x: np.ndarray, actual: np.ndarray) -> bool:
        return _same(self.wrong, (x,), actual)


# Exceptions the learner's class may raise, and what usually causes them.
ERROR_HINTS = [
    ("takes 1 positional argument but 2 were given",
     N_("A method's first parameter must be `self`: `def forward(self, x):` and `def backward(self, dout):`.")),
    ("missing 1 required positional argument",
     N_("The checker creates your layer with no arguments, e.g. MyTanh(), and calls forward(x) then backward(dout). "
        "Check the parameters of __init__, forward and backward.")),
    ("has no attribute 'out'",
     N_("backward reads self.out, so forward must store its result there: `self.out = ...` before `return`.")),
    ("has no attribute 'x'",
     N_("You read self.x, but forward does not store x. You do not need it: write the derivative with self.out.")),
    ("NoneType",
     N_("self.out is still None when backward runs: forward must save its output with `self.out = ...`.")),
    ("name 'x' is not defined",
     N_("backward only receives dout; x is not available there. Use the output that forward cached in self.out.")),
    ("name 'out' is not defined",
     N_("Inside a method the cached output is `self.out`, not `out`.")),
    ("could not be broadcast",
     N_("dout and self.out have the same shape, so an element-wise product needs no reshaping, np.dot or @.")),
]


def _shape_hint(expected: tuple, actual: tuple) -> str:
    if len(actual) == 0 or int(np.prod(actual)) == 1:
        return _("You reduced the gradient to one number (with np.sum, np.dot, or a sum over the batch axis). "
                 "backward returns one gradient per input element: dx has the same shape as dout. "
                 "Multiply element by element with `*`, without np.dot or np.sum.")
    if len(expected) > 1 and actual == expected[1:]:
        return _("You summed over the batch axis. Only parameters (like an Affine layer's W and b) sum their "
                 "gradients over the batch; an activation layer returns one gradient per element, shaped like dout.")
    return _("dx must have the same shape as dout (and as x): keep the element-wise product, without reshape or "
             "flatten.")


class LayerExercise(Exercise):
    """The learner writes an element-wise layer class; it is compared with a reference layer.

    Parameters
    ----------
    function : callable
        The activation, ``y = function(x)`` (what ``forward`` must return and cache in ``out``).
    local_gradient : callable
        ``dy/dx`` written in terms of the output: ``local_gradient(out)``.
    cases : list of (x, dout)
        Inputs and upstream gradients, from simple to extreme.
    backward_mistakes, forward_mistakes : lists
        Classic slips, recognised from the learner's result.
    forward_hint : str
        The hint for a ``forward`` with wrong values that matches no known slip.
    forward_overflow_hint : str
        The hint for a ``forward`` that overflows (the test inputs reach ``x = ±1000``);
        ``forward_hint`` when empty.
    """

    def __init__(self, name: str, title: str, function: Callable, local_gradient: Callable,
                 cases: Sequence[tuple], hints: Sequence[str], solution: str,
                 backward_mistakes: Sequence[BackwardMistake] = (), forward_mistakes: Sequence[ForwardMistake] = (),
                 forward_hint: str = "", forward_overflow_hint: str = "",
                 gradient_check_input: np.ndarray | None = None,
                 rtol: float = 1e-6, atol: float = 1e-12) -> None:
        super().__init__(name, title, hints, solution)
        self.function = function
        self.local_gradient = local_gradient
        self.cases = [(np.array(x, dtype=float), np.array(dout, dtype=float)) for x, dout in cases]
        for x, dout in self.cases:
            x.setflags(write=False)      # the learner only ever gets copies
            dout.setflags(write=False)
        self.backward_mistakes = list(backward_mistakes)
        self.forward_mistakes = list(forward_mistakes)
        self.forward_hint = forward_hint
        self.forward_overflow_hint = forward_overflow_hint
        if gradient_check_input is None:
            gradient_check_input = np.array([[-2.5, -0.7, 0.0, 0.4], [1.3, -1.9, 2.2, 0.05], [0.9, -0.2, 3.0, -4.0]])
        self.gradient_check_input = np.asarray(gradient_check_input, dtype=float)
        self.rtol = rtol
        self.atol = atol
        # Expected values are computed once, here, so that redefining a course_utils or NumPy function in a
        # notebook cell later cannot change a verdict.
        self.expected = []
        for x, dout in self.cases:
            with np.errstate(all="ignore"):
                expected_out = np.array(function(x), dtype=float)
                expected_dx = dout * np.asarray(local_gradient(expected_out), dtype=float)
            expected_out.setflags(write=False)
            expected_dx.setflags(write=False)
            self.expected.append((expected_out, expected_dx))

    # ------------------------------------------------------------------ helpers
    def _factory(self, answer: Any) -> Callable[[], Any]:
        """A function that returns a fresh layer (or the learner's own instance)."""
        if inspect.isclass(answer):
            missing = [m for m in ("forward", "backward") if not callable(getattr(answer, m, None))]
            if missing:
                if len(missing) == 2:
                    message = _("your class {name} has no method forward or backward.")
                else:
                    message = _("your class {name} has no method {method}.")
                raise Incorrect(message.format(name=answer.__name__, method=missing[0]),
                                _("A layer needs both `def forward(self, x):` and `def backward(self, dout):`, "
                                  "indented inside the class."))

            def make() -> Any:
                return self._run(answer, what=f"{answer.__name__}()", context=_("while creating the layer"))
            return make
        if callable(getattr(answer, "forward", None)) and callable(getattr(answer, "backward", None)):
            return lambda: answer  # an instance: use it as it is
        if callable(answer):
            raise Incorrect(_("expected a layer class with forward and backward methods, got the function "
                              "{name}.").format(name=getattr(answer, '__name__', '?')),
                            _("Pass the class itself, without calling it: check(MyTanh), not check(MyTanh.backward)."))
        raise Incorrect(_("expected a layer class with forward and backward methods, got {value}.").format(
                            value=describe(answer)),
                        _("Pass the class itself, without calling it: check(MyTanh)."))

    def _run(self, function: Callable, *args: Any, what: str, context: str) -> Any:
        """Call learner code; a None result means a missing `return` (a stub still gives NotAnswered).

        ``what`` is the call, as code (``"forward(x)"``); ``context`` says where, in the learner's
        language (``"for x = ..."``).
        """
        try:
            boxed, messages = call_learner(lambda: [function(*args)])
        except LearnerError as exc:
            raise LearnerError(exc.original, context) from None
        if messages:
            raise Incorrect(_("{what} gave a warning {context}: {warning}").format(
                                what=what, context=context, warning=messages[0]),
                            self._warning_hint(what, messages[0]))
        if boxed[0] is None:
            raise Incorrect(_("{what} returned None {context}.").format(what=what, context=context),
                            _("End {method} with a `return` statement that returns the array it computed.").format(
                                method=what.split('(')[0]))
        return boxed[0]

    def _warning_hint(self, what: str, message: str) -> str:
        """The hint for a NumPy warning (overflow, invalid value, division by zero) in forward or backward."""
        overflowed = "overflow" in message
        if what.startswith("forward"):
            if overflowed and self.forward_overflow_hint:
                return self.forward_overflow_hint
            if self.forward_hint:
                return self.forward_hint
            return _("Compute forward without overflow (see the notebook's stable form).")
        if overflowed:
            return _("backward overflowed for large |x| (the checker tries x = ±1000). Write it with dout and the "
                     "cached self.out only: the derivative written with the output y stays between 0 and 1 for "
                     "every x, while exp or cosh of 1000 does not fit in a float64.")
        return _("backward only needs dout and the cached self.out: multiply them, without dividing and without "
                 "recomputing the activation from x.")

    @staticmethod
    def _as_numbers(value: Any, what: str, context: str) -> np.ndarray:
        try:
            return np.array(value, dtype=float)  # a copy, so later in-place changes cannot alter it
        except (TypeError, ValueError):
            raise Incorrect(_("{what} returned {value} {context}, which is not an array of numbers.").format(
                                what=what, value=describe(value), context=context),
                            _("Return a NumPy array shaped like the input.")) from None

    def _close(self, actual: np.ndarray, expected: np.ndarray) -> bool:
        return bool(np.allclose(actual, expected, rtol=self.rtol, atol=self.atol, equal_nan=True))

    # ------------------------------------------------------------------ grading
    def grade(self, answer: Any) -> str:
        make_layer = self._factory(answer)
        for (x, dout), (expected_out, expected_dx) in zip(self.cases, self.expected):
            self._grade_case(make_layer, x, dout, expected_out, expected_dx)
        self._gradient_check(make_layer)
        count = len(self.cases)
        return ngettext("correct on the {count} test input (vectors, batches and saturated values), dout is left "
                        "unchanged, and backward agrees with the numerical gradient (relative error below "
                        "{tolerance:.0e}). Well done!",
                        "correct on all {count} test inputs (vectors, batches and saturated values), dout is left "
                        "unchanged, and backward agrees with the numerical gradient (relative error below "
                        "{tolerance:.0e}). Well done!", count).format(count=count, tolerance=GRADIENT_CHECK_TOLERANCE)

    def _grade_case(self, make_layer: Callable[[], Any], x: np.ndarray, dout: np.ndarray,
                    expected_out: np.ndarray, expected_dx: np.ndarray) -> None:
        layer = make_layer()
        context = _("for x = {x}").format(x=describe(x))
        x_passed = x.copy()
        out = self._as_numbers(self._run(layer.forward, x_passed, what="forward(x)", context=context),
                               "forward(x)", context)
        if not np.array_equal(x_passed, x, equal_nan=True):
            raise Incorrect(_("forward changed its input x in place {context}.").format(context=context),
                            _("forward must not modify x: compute a new array for the output."))
        if out.shape != expected_out.shape or not self._close(out, expected_out):
            shapes = ""
            if out.shape != expected_out.shape:
                shapes = "\n   " + _("(expected shape {expected}, got {actual})").format(
                    expected=expected_out.shape, actual=out.shape)
            hint = next((m.hint for m in self.forward_mistakes if m.matches(x, out)), self.forward_hint or None)
            raise Incorrect(_("forward(x) gives wrong values {context}\n"
                              "   expected: {expected}\n"
                              "   got:      {actual}").format(
                                context=context, expected=describe(expected_out), actual=describe(out)) + shapes,
                            hint)
        cached = getattr(layer, "out", None)
        try:
            cached_ok = cached is not None and self._close(np.asarray(cached, dtype=float), expected_out)
        except (TypeError, ValueError):
            cached_ok = False
        if not cached_ok:
            raise Incorrect(_("forward returns the right values but does not cache them in self.out {context}.")
                            .format(context=context),
                            _("Store the output before returning it: `self.out = ...` then `return self.out`. "
                              "backward needs it, because the derivative is written in terms of the output."))

        context = _("for x = {x}, dout = {dout}").format(x=describe(x), dout=describe(dout))
        dout_passed = dout.copy()
        dx = self._as_numbers(self._run(layer.backward, dout_passed, what="backward(dout)", context=context),
                              "backward(dout)", context)
        if not np.array_equal(dout_passed, dout, equal_nan=True):
            raise Incorrect(_("backward changed dout in place {context}: afterwards dout was {dout}.").format(
                                context=context, dout=describe(dout_passed)),
                            MUTATION_HINT)
        if dx.shape != expected_dx.shape:
            raise Incorrect(_("backward returned shape {actual}, but dout has shape {expected} {context}.").format(
                                actual=dx.shape, expected=dout.shape, context=context),
                            _shape_hint(expected_dx.shape, dx.shape))
        if not self._close(dx, expected_dx):
            hint = next((m.hint for m in self.backward_mistakes if m.matches(x, expected_out, dout, dx)), None)
            raise Incorrect(_("backward gives wrong values {context}\n"
                              "   expected: {expected}\n"
                              "   got:      {actual}").format(
                                context=context, expected=describe(expected_dx), actual=describe(dx)),
                            hint)
        second_call = _("{context} (second call)").format(context=context)
        again = self._as_numbers(self._run(layer.backward, dout.copy(), what="backward(dout)", context=second_call),
                                 "backward(dout)", context)
        if again.shape != dx.shape or not self._close(again, dx):
            raise Incorrect(_("calling backward a second time with the same dout gave a different result "
                              "{context}.").format(context=context),
                            _("backward must not change self.out (no `self.out *= ...` or `self.out -= ...`): "
                              "build new arrays, so backward can be called again."))

    def _gradient_check(self, make_layer: Callable[[], Any]) -> None:
        layer = make_layer()
        context = _("during the gradient check")
        try:
            error, messages = call_learner(gradient_check, layer, self.gradient_check_input.copy())
        except LearnerError as exc:
            raise LearnerError(exc.original, context) from None
        if messages:
            raise Incorrect(_("your layer gave a warning {context}: {warning}").format(
                context=context, warning=messages[0]))
        if not np.isfinite(error):
            raise Incorrect(_("the gradient check failed outright: backward gave NaN or inf, changed dout in place, "
                              "or returned an array of the wrong shape."),
                            _("backward must return a new array, dout times the derivative of forward, shaped like "
                              "dout."))
        if not error <= GRADIENT_CHECK_TOLERANCE:
            raise Incorrect(_("the gradient check failed: backward differs from the numerical gradient of "
                              "sum(forward(x) * dout) by a relative error of {error:.1e}.").format(error=error),
                            _("backward must return dout times the derivative of forward, element by element."))

    def hint_for_error(self, error: LearnerError) -> str | None:
        message = f"{type(error.original).__name__}: {error.original}"
        return next((hint for text, hint in ERROR_HINTS if text in message), None)


# ----------------------------------------------------------------- test inputs
def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """Shared inputs: dout is never all ones, so forgetting dout shows."""
    return [
        (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), np.array([1.5, -1.0, 2.0, 0.5, -3.0])),
        (np.array([[-1.0, 0.3, 4.0], [2.5, -3.0, 0.1]]), np.array([[0.2, -1.1, 0.7], [1.3, 0.4, -2.0]])),
        (np.array([[[0.7, -1.2], [3.5, -0.1]], [[-2.2, 1.8], [0.0, 5.0]]]),
         np.array([[[-0.6, 2.5], [1.0, -1.4]], [[0.8, -0.3], [1.7, 2.1]]])),
        (np.array([-1000.0, -40.0, 40.0, 1000.0]), np.array([1.0, -2.0, 3.0, 0.5])),
    ]


def _sigmoid_of(values: np.ndarray) -> np.ndarray:
    return activations.sigmoid(values)


# ----------------------------------------------------------- sigmoid backward
sigmoid_backward = LayerExercise(
    name="06.sigmoid_backward",
    title=N_("implement MySigmoid.backward"),
    function=activations.sigmoid,
    local_gradient=lambda out: out * (1.0 - out),
    cases=_cases(),
    backward_mistakes=[
        BackwardMistake(lambda x, out, dout: out * (1 - out),
                        N_("You forgot dout. backward receives the upstream gradient dL/dy and must return "
                           "dL/dx = dL/dy * dy/dx: multiply the local derivative out * (1 - out) by dout.")),
        BackwardMistake(lambda x, out, dout: dout * x * (1 - x),
                        N_("You used x where the formula needs the output y = σ(x): the derivative is y(1 − y), "
                           "not x(1 − x). Use self.out.")),
        BackwardMistake(lambda x, out, dout: dout * _sigmoid_of(out) * (1 - _sigmoid_of(out)),
                        N_("You applied the sigmoid a second time: self.out is already y = σ(x), so the derivative "
                           "is simply self.out * (1 - self.out). (sigmoid_grad expects x, not y.)")),
        BackwardMistake(lambda x, out, dout: -dout * out**2,
                        N_("You stopped after the '/' node (dout · (−y²)). Carry on through '+1' (unchanged), "
                           "'exp' (× exp(−x)) and '×(−1)' (× −1), or use the simplified result dout · y(1 − y).")),
        BackwardMistake(lambda x, out, dout: -dout * out * (1 - out),
                        N_("The sign is flipped. The '/' node contributes −y² and the '×(−1)' node contributes −1: "
                           "the two minus signs cancel, so dx = +dout * out * (1 - out).")),
        BackwardMistake(lambda x, out, dout: dout * out**2 * np.exp(x),
                        N_("The 'exp' node multiplies by its own forward output, exp(−x), not exp(x). "
                           "Simpler: use dout * out * (1 - out).")),
        BackwardMistake(lambda x, out, dout: dout * out,
                        N_("A factor is missing: the derivative is out * (1 - out), and you only multiplied by out.")),
        BackwardMistake(lambda x, out, dout: dout * (1 - out),
                        N_("A factor is missing: the derivative is out * (1 - out), and you only multiplied by (1 - out).")),
        BackwardMistake(lambda x, out, dout: dout * out * (1 + out),
                        N_("Check the sign inside the bracket: the derivative is out * (1 - out), which is at most 0.25.")),
    ],
    forward_hint=N_("forward was given in the notebook: restore it (the stable sigmoid that stores self.out) and "
                    "write only backward."),
    hints=[
        N_("backward gets dout = dL/dy and must return dL/dx = dL/dy · dy/dx (the chain rule)."),
        N_("For the sigmoid, dy/dx = y(1 − y), and forward saved y in self.out."),
        N_("One line: `return dout * self.out * (1.0 - self.out)`. It builds a new array and leaves dout alone."),
    ],
    solution='''
        class MySigmoid:
            def __init__(self):
                self.out = None                      # y, saved by forward for backward

            def forward(self, x):
                x = np.asarray(x, dtype=float)
                e = np.exp(-np.abs(x))               # stable: e is in (0, 1]
                self.out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
                return self.out

            def backward(self, dout):
                # dL/dx = dL/dy * y * (1 - y): a new array, dout is not modified
                return dout * self.out * (1.0 - self.out)
    ''',
)


# ------------------------------------------------------------------ tanh layer
def _naive_tanh(x: np.ndarray) -> np.ndarray:
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


tanh_layer = LayerExercise(
    name="06.tanh_layer",
    title=N_("implement a Tanh layer: forward and backward"),
    function=activations.tanh,
    local_gradient=lambda out: 1.0 - out**2,
    cases=_cases(),
    backward_mistakes=[
        BackwardMistake(lambda x, out, dout: 1 - out**2,
                        N_("You forgot dout: return dout * (1 - self.out**2), the upstream gradient times the "
                           "local derivative.")),
        BackwardMistake(lambda x, out, dout: dout * (1 - out),
                        N_("The square is missing: tanh'(x) = 1 − tanh(x)², so use 1 - self.out**2, not 1 - self.out.")),
        BackwardMistake(lambda x, out, dout: dout * (1 - x**2),
                        N_("You used x where the formula needs the output y = tanh(x): the derivative is 1 − y², "
                           "not 1 − x². Use self.out.")),
        BackwardMistake(lambda x, out, dout: dout * (1 - np.tanh(out) ** 2),
                        N_("You applied tanh a second time: self.out is already tanh(x), so the derivative is "
                           "1 - self.out**2.")),
        BackwardMistake(lambda x, out, dout: dout * out * (1 - out),
                        N_("That is the sigmoid's derivative, y(1 − y). For tanh it is 1 − y².")),
        BackwardMistake(lambda x, out, dout: dout * (1 - out) ** 2,
                        N_("Square only the output: 1 - self.out**2 means 1 − y², not (1 − y)².")),
        BackwardMistake(lambda x, out, dout: dout * (out**2 - 1),
                        N_("The sign is flipped: tanh is increasing, so its derivative 1 − y² is positive.")),
        BackwardMistake(lambda x, out, dout: dout * 2 * out,
                        N_("You differentiated y² instead of using tanh'(x) = 1 − tanh(x)².")),
    ],
    forward_mistakes=[
        ForwardMistake(lambda x: activations.sigmoid(x),
                       N_("That is the sigmoid. forward should compute tanh: `np.tanh(x)`.")),
        ForwardMistake(lambda x: 2 * activations.sigmoid(x) - 1,
                       N_("tanh(x) = 2σ(2x) − 1: the sigmoid's argument is 2x. Simpler: use `np.tanh(x)`.")),
        ForwardMistake(lambda x: x,
                       N_("forward returned x unchanged. Compute and return `np.tanh(x)`.")),
    ],
    forward_hint=N_("forward must return tanh(x): use `np.tanh(x)`, which is exact and never overflows."),
    forward_overflow_hint=N_("forward overflowed for large |x| (the checker tries x = ±1000): use `np.tanh(x)`, "
                             "which never overflows."),
    hints=[
        N_("Copy the shape of the Sigmoid layer: __init__ sets self.out = None, forward stores its output in self.out."),
        N_("forward: `self.out = np.tanh(x)` then `return self.out`."),
        N_("backward: tanh'(x) = 1 − tanh(x)², so `return dout * (1.0 - self.out**2)`."),
    ],
    solution='''
        class MyTanh:
            def __init__(self):
                self.out = None                      # y = tanh(x), saved for backward

            def forward(self, x):
                self.out = np.tanh(x)                # np.tanh never overflows
                return self.out

            def backward(self, dout):
                # dL/dx = dL/dy * (1 - y**2): a new array, dout is not modified
                return dout * (1.0 - self.out**2)
    ''',
)


# ------------------------------------------------------------ saturation quiz
saturation = ChoiceExercise(
    name="06.saturation",
    title=N_("what a saturated sigmoid sends backwards"),
    question=N_("A sigmoid unit receives x = 30 for every training example, and the gradient arriving from above is "
                "dL/dy = 1. What does its backward pass send to the layers below?"),
    options={
        "a": N_("dL/dx = 1: the sigmoid passes the gradient on unchanged, like the '+' node."),
        "b": N_("nan: σ(30) is exactly 1.0 in float64, so 1 − y is 0 and the division fails."),
        "c": N_("Exactly 0.0, because σ(30) prints as 1."),
        "d": N_("dL/dx = y(1 − y) ≈ 9.3e-14: not zero, but so small that the weights below barely change "
                "(a vanishing gradient)."),
    },
    correct="d",
    why=N_("σ(30) = 1 − 9.36e-14 in exact arithmetic, and 1 − 9.35e-14 in float64 (section 7 prints 9.3e-14): it prints as 1. but is not exactly 1.0 (that only happens from x ≈ 37 on). "
           "The gradient y(1 − y) is tiny, so a saturated sigmoid almost stops the learning signal."),
    explanations={
        "a": N_("Only the '+1' node inside the graph passes the gradient on unchanged. The whole sigmoid multiplies "
                "it by y(1 − y), which is at most 0.25."),
        "b": N_("backward multiplies; it never divides. And σ(30) is not exactly 1.0: print 1 - y for y = σ(30)."),
        "c": N_("Printing rounds to 8 digits; the stored float64 is 1 − 9.35e-14. Compare with the [24, 32, 5] "
                "example: 1 - y was not 0 there either."),
    },
    hints=[
        N_("What does backward compute from dout and the cached y: does it add, multiply or divide?"),
        N_("backward returns dout * y * (1 - y). In section 4.1, 1 - σ(32) printed as about 1.3e-14, not 0. "
           "What does that say about 1 - σ(30)?"),
        N_("For large x, 1 − σ(x) ≈ e^(−x), and e^(−30) ≈ 9.4e-14: small, but not 0, and no nan."),
    ],
)
