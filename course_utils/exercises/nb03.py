"""Exercises for notebook 03, the perceptron.

* ``nand_weights`` (Exercise 1): choose (w1, w2, b) so that a step perceptron computes NAND.
* ``perceptron_update`` (Exercise 2): write one step of Rosenblatt's learning rule.
* ``linearly_separable`` (Exercise 3): which two-input gate can one perceptron not compute?

Every reference value is fixed when this module is imported: the checkers never look up
``course_utils.activations`` at check time, so a learner who redefines ``step`` or ``sigmoid``
in a notebook cell cannot change a verdict.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import Any, Callable

import numpy as np

from ..activations import sigmoid as _sigmoid  # bound once, at import
from ..i18n import N_, _, ngettext, pgettext
from .framework import (ChoiceExercise, Exercise, Incorrect, LearnerError, NotAnswered, call_learner, describe,
                        localize, require_function)

#: The four inputs (x1, x2) of a two-input gate, in truth-table order.
GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
#: NAND's outputs for those inputs: 0 only when both inputs are 1.
NAND_TARGETS = np.array([1.0, 1.0, 1.0, 0.0])


def _point(row: np.ndarray) -> str:
    return f"({int(row[0])}, {int(row[1])})"


def _number(value: float) -> str:
    """``value`` as short as possible but never rounded: ``1.5`` -> "1.5", ``1.0000001`` -> "1.0000001".

    ``f"{value:g}"`` keeps 6 significant digits, so it would print 1.0000001 as "1", a value that
    behaves differently (for NAND, b = 1 fails where b = 1.0000001 passes).
    """
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _step(z) -> np.ndarray:
    """1.0 where z > 0, else 0.0 (notebook 01's step; written here so no lookup happens at check time)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


# ------------------------------------------------------------------ NAND weights
class GateWeightsExercise(Exercise):
    """The answer is a triple ``(w1, w2, b)`` (or a function returning one).

    The checker runs ``step(w1*x1 + w2*x2 + b)`` on the four inputs, lists the
    inputs that come out wrong, and recognises the usual slips.
    """

    def __init__(self, name: str, title: str, gate: str, targets: np.ndarray, model: tuple[float, float, float],
                 hints: list[str], solution: str | tuple[str, ...]) -> None:
        super().__init__(name, title, hints, solution)
        self.gate = gate
        self.targets = np.asarray(targets, dtype=float)
        self.model = tuple(float(v) for v in model)

    def model_answer(self) -> tuple[float, float, float]:
        return self.model

    @staticmethod
    def _as_triple(answer: Any) -> tuple[float, float, float]:
        if callable(answer):
            answer, _warnings = call_learner(answer)
        if isinstance(answer, np.ndarray):
            answer = answer.tolist()
        if not isinstance(answer, (tuple, list)):
            raise Incorrect(_("expected three numbers (w1, w2, b), got {value}").format(value=describe(answer)),
                            _("Write the answer as a tuple, for example (0.5, -1.0, 2.0)."))
        if any(value is Ellipsis or value is None for value in answer):
            raise NotAnswered()
        if len(answer) != 3:
            message = ngettext("expected three numbers (w1, w2, b), got {count} value: {value}",
                               "expected three numbers (w1, w2, b), got {count} values: {value}",
                               len(answer)).format(count=len(answer), value=describe(answer))
            raise Incorrect(message, _("Two weights, one per input, and one bias: (w1, w2, b)."))
        triple = []
        for label, value in zip(("w1", "w2", "b"), answer):
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise Incorrect(_("{name} must be a number, got {value}").format(name=label, value=describe(value)))
            if not math.isfinite(value):
                raise Incorrect(_("{name} must be a finite number, got {value}").format(name=label, value=repr(value)))
            triple.append(float(value))
        return triple[0], triple[1], triple[2]

    def _computes_gate(self, w1: float, w2: float, b: float) -> bool:
        return bool(np.array_equal(_step(GATE_INPUTS @ np.array([w1, w2]) + b), self.targets))

    def grade(self, answer: Any) -> str:
        w1, w2, b = self._as_triple(answer)
        z = GATE_INPUTS @ np.array([w1, w2]) + b
        outputs = _step(z)
        wrong = np.flatnonzero(outputs != self.targets)
        if wrong.size == 0:
            return _("(w1, w2, b) = ({w1}, {w2}, {b}) computes {gate} on all four inputs: "
                     "the line {line} = 0 has (1, 1) alone on its 0 side.").format(
                         w1=_number(w1), w2=_number(w2), b=_number(b), gate=self.gate, line=_affine_text(w1, w2, b))
        lines = [_("step({line}) is wrong on {count} of the 4 inputs:").format(line=_affine_text(w1, w2, b),
                                                                                count=wrong.size)]
        for i in wrong:
            lines.append("   " + _("x = {point}: z = {z:g}, output {output}, {gate} needs {target}").format(
                point=_point(GATE_INPUTS[i]), z=z[i], output=int(outputs[i]), gate=self.gate,
                target=int(self.targets[i])))
        raise Incorrect("\n".join(lines), self._hint((w1, w2, b), z, wrong))

    def _hint(self, triple: tuple[float, float, float], z: np.ndarray, wrong: np.ndarray) -> str:
        w1, w2, b = triple
        reordered = [order for order in itertools.permutations(triple) if self._computes_gate(*order)]
        if reordered:
            order = reordered[0]
            return _("Your three numbers work, but in another order: ({first}, {second}, {third}). "
                     "The answer is (w1, w2, b): the two weights first, the bias last.").format(
                         first=_number(order[0]), second=_number(order[1]), third=_number(order[2]))
        if wrong.size == 4:
            return _("Every output is inverted: these weights compute AND, the opposite of NAND. "
                     "Negate all three numbers, (w1, w2, b) -> (-w1, -w2, -b), so that z changes sign "
                     "(and check that no point ends up with z exactly 0).")
        separator = pgettext("between the NAND conditions that are not met", "; ")
        conditions = separator.join(localize(NAND_CONDITIONS[i]) for i in wrong)
        unmet = _("Conditions not met: {conditions}.").format(conditions=conditions)
        on_line = [i for i in wrong if z[i] == 0]
        if not on_line:
            return unmet
        names = [_point(GATE_INPUTS[i]) for i in on_line]
        if len(names) == 1:
            points_text = names[0]
        else:
            points_text = _("{points} and {last}").format(points=", ".join(names[:-1]), last=names[-1])
        nudged_b = self._nudged_bias(w1, w2, b, z) if len(on_line) == len(wrong) else None
        if nudged_b is None:  # other points are wrong too, or a small nudge of b is not enough
            return _("At x = {points} z is exactly 0, and step(0) = 0 (the step needs z > 0 to output 1). "
                     "{unmet}").format(points=points_text, unmet=unmet)
        return _("At x = {points} z is exactly 0, and step(0) = 0 (the step needs z > 0 to output 1). "
                 "Those are your only wrong points, so move the line off them: raise b a little, "
                 "for example to b = {b}.").format(points=points_text, b=_number(nudged_b))

    def _nudged_bias(self, w1: float, w2: float, b: float, z: np.ndarray) -> float | None:
        """A bias a little above ``b`` (half the smallest non-zero |z|) if it makes the gate right, else None."""
        gaps = np.abs(z[z != 0])
        nudged_b = b + (float(gaps.min()) / 2 if gaps.size else 0.5)
        return nudged_b if self._computes_gate(w1, w2, nudged_b) else None


#: What z = w1·x1 + w2·x2 + b must satisfy at each input for NAND.
NAND_CONDITIONS = [
    N_("at (0, 0) z = b must be positive (the weights do not matter there)"),
    N_("at (0, 1) z = w2 + b must be positive"),
    N_("at (1, 0) z = w1 + b must be positive"),
    N_("at (1, 1) z = w1 + w2 + b must be 0 or below, so the weights must be negative enough to cancel b"),
]


def _affine_text(w1: float, w2: float, b: float) -> str:
    """``w1·x1 + w2·x2 + b`` with tidy signs: ``-1·x1 - 1·x2 + 1.5`` (numbers never rounded)."""
    text = f"{_number(w1)}·x1"
    for value, name in ((w2, "·x2"), (b, "")):
        sign = "-" if value < 0 else "+"
        text += f" {sign} {_number(abs(value))}{name}"
    return text


nand_weights = GateWeightsExercise(
    name="03.nand_weights",
    title=N_("find (w1, w2, b) so that step(w1·x1 + w2·x2 + b) computes NAND"),
    gate="NAND",
    targets=NAND_TARGETS,
    model=(-1.0, -1.0, 1.5),
    hints=[
        N_("Only one of the four points must output 0. Which one? The line must put it alone on one side."),
        N_("Write down the four conditions: (0,0) needs b > 0; (0,1) needs w2 + b > 0; "
           "(1,0) needs w1 + b > 0; (1,1) needs w1 + w2 + b <= 0."),
        N_("NAND is NOT AND: if (w1, w2, b) computes AND with no point exactly on the line, "
           "then (-w1, -w2, -b) computes NAND (every z changes sign)."),
        N_("Try a positive bias and two equal negative weights, each smaller in size than the bias "
           "but adding up to more than it, for example b = 1.5."),
    ],
    # The worked answer (code and numbers, shown as they are), then prose in the learner's language.
    solution=(
        "nand_guess = (-1.0, -1.0, 1.5)   # (w1, w2, b)\n"
        "\n"
        "(0, 0): z = 1.5 > 0   -> 1\n"
        "(0, 1): z = 0.5 > 0   -> 1\n"
        "(1, 0): z = 0.5 > 0   -> 1\n"
        "(1, 1): z = -0.5 <= 0 -> 0\n"
        "\n",
        N_("It is AND's (1, 1, -1.5) with every sign flipped. Any line that separates (1, 1)\n"
           "from the other three points works, with the shaded (output-1) side towards (0, 0)."),
    ),
)


# ------------------------------------------------------- one perceptron update
def _reference_update(w, b, x, y, lr):
    """Rosenblatt's rule: ŷ = step(w·x + b); w += lr(y - ŷ)x; b += lr(y - ŷ)."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y_hat = float(np.dot(w, x) + b > 0)
    error = y - y_hat
    return w + lr * error * x, b + lr * error


def _sigmoid_output(w, b, x, y, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - float(_sigmoid(np.dot(w, x) + b))
    return w + lr * error * x, b + lr * error


def _no_bias_update(w, b, x, y, lr):
    new_w, _new_b = _reference_update(w, b, x, y, lr)
    return new_w, b


def _no_bias_in_prediction(w, b, x, y, lr):
    """Predicts from np.dot(w, x) alone, without + b (and updates w and b correctly from that prediction)."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - float(np.dot(w, x) > 0)
    return w + lr * error * x, b + lr * error


def _flipped_sign(w, b, x, y, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = float(np.dot(w, x) + b > 0) - y
    return w + lr * error * x, b + lr * error


def _greater_or_equal(w, b, x, y, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - float(np.dot(w, x) + b >= 0)
    return w + lr * error * x, b + lr * error


def _raw_affine(w, b, x, y, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - (np.dot(w, x) + b)
    return w + lr * error * x, b + lr * error


def _no_learning_rate(w, b, x, y, lr):
    return _reference_update(w, b, x, y, 1.0)


def _target_instead_of_error(w, b, x, y, lr):
    """Moves by the target y alone, ignoring the prediction: right only when the prediction was 0."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    return w + lr * y * x, b + lr * y


#: Classic slips, in the order they are checked, with the hint each one earns.
UPDATE_MISTAKES: list[tuple[Callable, str]] = [
    (_sigmoid_output,
     N_("You used the sigmoid output σ(z) as the prediction. The perceptron rule uses the hard step "
        "prediction ŷ = 1 if z > 0 else 0, so the error y - ŷ is -1, 0 or +1 (and exactly 0 when the "
        "prediction is right).")),
    (_flipped_sign,
     N_("The sign of the error is flipped: use error = y - ŷ (target minus prediction), not ŷ - y. "
        "When the target is 1 but the perceptron said 0, the weights must move towards x, not away from it.")),
    (_target_instead_of_error,
     N_("The update must use the error y - ŷ, not the target y alone. Predict first, ŷ = 1 if z > 0 else 0; "
        "then a right prediction gives error 0 (nothing changes), and a wrong 1 for a target 0 gives error -1 "
        "(w and b move away from x).")),
    (_no_bias_update,
     N_("The weights are right but the bias did not change. Update it too: new_b = b + lr * (y - ŷ) "
        "(the bias is a weight whose input is always 1).")),
    (_no_bias_in_prediction,
     N_("Your prediction leaves out b: z = np.dot(w, x) + b.")),
    (_greater_or_equal,
     N_("At z = 0 exactly the step outputs 0 (the course's step needs z > 0, see notebook 01). "
        "Use `z > 0`, not `z >= 0`, for the prediction.")),
    (_raw_affine,
     N_("You used z itself as the prediction. Turn it into a 0/1 decision first: ŷ = 1 if z > 0 else 0.")),
    (_no_learning_rate,
     N_("The step size is off: multiply the change by the learning rate lr, for both w and b.")),
]

#: (w, b, x, y, lr), ordered: wrong prediction y=1, wrong prediction y=0, right predictions,
#: z exactly 0, then the classic 3-input example from the source post.
UPDATE_CASES = [
    (np.array([0.5, -0.5]), -0.2, np.array([1.0, 1.0]), 1, 0.1),
    (np.array([0.2, 0.4]), 0.1, np.array([1.0, 0.5]), 0, 0.5),
    (np.array([1.0, 1.0]), -0.5, np.array([1.0, 0.0]), 1, 0.1),
    (np.array([1.0, 1.0]), -1.5, np.array([1.0, 0.0]), 0, 0.1),
    (np.array([1.0, -1.0]), 0.0, np.array([2.0, 2.0]), 0, 0.25),
    (np.array([0.3, 0.2, 0.5]), -0.5, np.array([-3.0, -1.0, -2.0]), 1, 1.0),
]
#: The right (new_w, new_b) for each case, computed once, when the module is imported.
UPDATE_EXPECTED = [_reference_update(*case) for case in UPDATE_CASES]


class UpdateExercise(Exercise):
    """The learner writes ``perceptron_update(w, b, x, y, lr) -> (new_w, new_b)``."""

    def __init__(self, name: str, title: str, hints: list[str], solution: str, atol: float = 1e-9) -> None:
        super().__init__(name, title, hints, solution)
        self.atol = atol

    @staticmethod
    def _label(w, b, x, y, lr) -> str:
        return f"w={describe(w)}, b={b!r}, x={describe(x)}, y={y!r}, lr={lr!r}"

    def _unpack(self, result: Any, w: np.ndarray, label: str) -> tuple[np.ndarray, float]:
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Incorrect(_("for {label} you returned {value}; expected a pair (new_w, new_b)").format(
                                label=label, value=describe(result)),
                            _("End with `return new_w, new_b`."))
        if self._looks_swapped(result, w):
            raise Incorrect(_("for {label} you returned {value}: a single number first and an "
                              "array shaped like w second, i.e. (new_b, new_w)").format(
                                  label=label, value=describe(result)),
                            _("Swap the order: the exercise asks for `return new_w, new_b` (the weights first, "
                              "the bias second), and the caller unpacks it as `new_w, new_b = ...`."))
        try:
            new_w = np.asarray(result[0], dtype=float)
            new_b = np.asarray(result[1], dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(_("for {label} you returned {value}; new_w and new_b must be numbers").format(
                label=label, value=describe(result))) from None
        if new_w.shape != w.shape:
            raise Incorrect(_("for {label} new_w has shape {shape}; it must have w's shape {w_shape}").format(
                                label=label, shape=new_w.shape, w_shape=w.shape),
                            _("Update every weight: new_w = w + lr * error * x is an array like w."))
        if new_b.size != 1:
            raise Incorrect(_("for {label} new_b is {value}; the bias must be a single number").format(
                                label=label, value=describe(result[1])),
                            _("The bias changes by lr * error, a number, not by an array."))
        return new_w, float(new_b.reshape(()))

    @staticmethod
    def _looks_swapped(result: Any, w: np.ndarray) -> bool:
        """True when ``result`` is ``(number, array shaped like w)``: the bias and the weights swapped."""
        try:
            first = np.asarray(result[0], dtype=float)
            second = np.asarray(result[1], dtype=float)
        except (TypeError, ValueError):
            return False
        return first.size == 1 and w.size > 1 and second.shape == w.shape

    def _grade_case(self, answer: Callable, case: tuple, expected: tuple[np.ndarray, float]) -> None:
        w, b, x, y, lr = case
        label = self._label(w, b, x, y, lr)
        w_in, x_in = w.copy(), x.copy()
        try:
            result, _warnings = call_learner(answer, w_in, b, x_in, y, lr)
        except LearnerError as exc:
            raise LearnerError(exc.original, _("for {label}").format(label=label)) from None
        if not np.array_equal(w_in, w) or not np.array_equal(x_in, x):
            raise Incorrect(_("for {label} your function changed its input array in place").format(label=label),
                            _("Return new arrays, e.g. new_w = w + lr * error * x, instead of `w += ...`: "
                              "the caller's w should stay as it was."))
        new_w, new_b = self._unpack(result, w, label)
        expected_w, expected_b = expected
        if np.allclose(new_w, expected_w, rtol=0, atol=self.atol) and abs(new_b - expected_b) <= self.atol:
            return
        message = _("wrong update for {label}\n"
                    "   expected: new_w = {expected_w}, new_b = {expected_b:.6g}\n"
                    "   got:      new_w = {new_w}, new_b = {new_b:.6g}").format(
                        label=label, expected_w=describe(expected_w), expected_b=expected_b,
                        new_w=describe(new_w), new_b=new_b)
        raise Incorrect(message, self._hint(case, new_w, new_b))

    def _hint(self, case: tuple, new_w: np.ndarray, new_b: float) -> str | None:
        w, b, x, y, lr = case
        prediction_was_right = float(np.dot(w, x) + b > 0) == y
        for wrong, hint in UPDATE_MISTAKES:
            if wrong is _target_instead_of_error and prediction_was_right:
                continue  # the "already correct" hint below names the slip more precisely
            wrong_w, wrong_b = wrong(*case)
            if np.allclose(new_w, wrong_w, rtol=0, atol=self.atol) and abs(new_b - wrong_b) <= self.atol:
                return hint
        if prediction_was_right:
            return _("The prediction was already correct here (y - ŷ = 0), so nothing may change: "
                     "return w and b as they were. Only mistakes move the weights.")
        return None

    def grade(self, answer: Any) -> str:
        require_function(answer, "perceptron_update")
        for case, expected in zip(UPDATE_CASES, UPDATE_EXPECTED):
            self._grade_case(answer, case, expected)
        count = len(UPDATE_CASES)
        return ngettext("correct on all {count} test update: wrong predictions move w and b by "
                        "±lr·x and ±lr, right ones leave them alone.",
                        "correct on all {count} test updates: wrong predictions move w and b by "
                        "±lr·x and ±lr, right ones leave them alone.", count).format(count=count)


perceptron_update = UpdateExercise(
    name="03.perceptron_update",
    title=N_("implement one step of the perceptron learning rule, returning (new_w, new_b)"),
    hints=[
        N_("Three steps, as in section 4 of the notebook: predict with the step, compute the error, "
           "then move w and b by an amount proportional to that error."),
        N_("First the prediction: z = np.dot(w, x) + b, then y_hat = 1 if z > 0 else 0 (the step, not the sigmoid)."),
        N_("The error is y - y_hat: +1, 0 or -1. When it is 0 nothing changes."),
        N_("new_w = w + lr * error * x and new_b = b + lr * error. End with `return new_w, new_b`, "
           "in that order."),
    ],
    solution='''
        def perceptron_update(w, b, x, y, lr):
            w = np.asarray(w, dtype=float)
            x = np.asarray(x, dtype=float)
            z = np.dot(w, x) + b
            y_hat = 1.0 if z > 0 else 0.0      # step prediction (strict >)
            error = y - y_hat                  # +1, 0 or -1
            new_w = w + lr * error * x         # new arrays: the caller's w is untouched
            new_b = b + lr * error             # the bias learns like a weight whose input is 1
            return new_w, new_b
    ''',
)


# --------------------------------------------------------------- conceptual
linearly_separable = ChoiceExercise(
    name="03.linearly_separable",
    title=N_("which gate can a single step perceptron not compute?"),
    question=N_("A single perceptron step(w1·x1 + w2·x2 + b) can compute three of these four gates. "
                "Which one can it NOT compute, whatever the weights?"),
    options={
        "a": N_("NOR: 1 only when both inputs are 0"),
        "b": N_("x1 AND NOT x2: 1 only for (1, 0)"),
        "c": N_("XNOR: 1 when the two inputs are equal"),
        "d": N_("x1: copies the first input and ignores the second"),
    },
    correct="c",
    why=N_("XNOR is 1 at (0, 0) and (1, 1) and 0 at (0, 1) and (1, 0): the two classes sit on opposite "
           "diagonals, so no straight line separates them. It is XOR with the outputs inverted, and "
           "inverting the outputs never makes a gate separable."),
    explanations={
        "a": N_("NOR is OR inverted: (w1, w2, b) = (-1, -1, 0.5) works. A line cuts (0, 0) off from the rest."),
        "b": N_("One point, (1, 0), against the other three: (w1, w2, b) = (1, -1, -0.5) works."),
        "d": N_("The vertical line x1 = 0.5 does it: (w1, w2, b) = (1, 0, -0.5)."),
    },
    hints=[
        N_("Draw the four points and colour them by the gate's output. Can one straight line split the colours?"),
        N_("Three of the four gates put a single point, or one side of the square, against the rest. "
           "One gate does something else: find it."),
        N_("Which gate has its 1s on one diagonal and its 0s on the other, like XOR?"),
    ],
)
