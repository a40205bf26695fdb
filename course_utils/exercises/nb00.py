"""Exercises for notebook 00: what a neuron computes, and why it needs a non-linearity."""

import numpy as np

from ..i18n import N_, _, ngettext
from .framework import (read_only, Case, ChoiceExercise, Exercise, FunctionExercise, Incorrect, LearnerError, Mistake,
                        call_learner, describe, require_function)


READ_ONLY = Mistake(
    error_contains="read-only",
    hint=N_("Your function changes its input array in place (for example `x *= 2`). A function should leave "
            "the caller's array alone: return a new array, for example `return 2 * x`."),
)


# --------------------------------------------------------------------- 00.double
double = FunctionExercise(
    name="00.double",
    title=N_("warm-up: return twice the input"),
    reference=lambda x: 2 * np.asarray(x, dtype=float),
    cases=[
        Case((read_only(np.array([1.0, 2.0, 3.0])),)),
        Case((read_only(np.array([-0.5, 0.0, 10.0])),)),
        Case((read_only(np.array([[1.0, -1.0], [2.5, 4.0]])),)),
    ],
    mistakes=[
        Mistake(wrong=lambda x: np.asarray(x, dtype=float) + 2,
                hint=N_("You added 2. Twice the input means multiplying by 2: `2 * x`.")),
        Mistake(wrong=lambda x: np.asarray(x, dtype=float) ** 2,
                hint=N_("You squared the input. Twice the input is `2 * x`, not `x ** 2`.")),
        READ_ONLY,
    ],
    hints=[
        N_("NumPy applies arithmetic to every element of an array at once: no loop is needed."),
        N_("`return 2 * x` is the whole answer."),
    ],
    solution='''
        def double(x):
            return 2 * np.asarray(x, dtype=float)
    ''',
)


# --------------------------------------------------------------- 00.why_nonlinear
why_nonlinear = ChoiceExercise(
    name="00.why_nonlinear",
    title=N_("why a network needs a non-linear activation"),
    question=N_("You stack ten layers, each computing x W + b, with NO activation function in between. "
                "What can this network compute?"),
    options={
        "a": N_("Any continuous function, if the layers are wide enough: each layer composes one more map, and "
                "ten composed maps can bend the output where one cannot."),
        "b": N_("Polynomials of x up to degree 10: each of the ten layers multiplies by one more matrix, so the "
                "output can contain x to the tenth power."),
        "c": N_("Only what a single layer x W + b can compute: an affine map (a linear map plus a constant)."),
        "d": N_("The same as one layer when every W is square; with layers of different widths (3 → 8 → 2, ...) "
                "the stack can compute more than one layer."),
    },
    correct="c",
    why=N_("Each layer is an affine map, and an affine map of an affine map is again affine, so the ten "
           "layers collapse into one x W + b: linear regression. An activation between the layers breaks the "
           "collapse."),
    explanations={
        "a": N_("Depth only helps when something non-linear sits between the layers. Multiply out "
                "(x W1 + b1) W2 + b2: it is again x W + b, however many layers you stack, so nothing can bend."),
        "b": N_("The matrices multiply each other, not x: (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2). "
                "x is never multiplied by itself, so its power stays 1."),
        "d": N_("The widths do not matter: a (3, 8) matrix times an (8, 2) matrix is again a matrix, of shape "
                "(3, 2). Any stack of layers collapses into one x W + b."),
    },
    hints=[
        N_("Write two layers as one formula: (x W1 + b1) W2 + b2, and multiply out the brackets."),
        N_("Is the result of the first hint again of the form x W + b? Then what about ten layers?"),
    ],
)


# ------------------------------------------------------------------ 00.neuron_z
def _neuron_z(x, w, b):
    """z = w·x + b for one input (shape (n,)) or a batch of inputs (shape (m, n))."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    return x @ w + b


WRONG_ORDER_HINT = N_(
    "Order matters in a matrix product. A batch x has shape (m, n), one input per row, and w has shape (n,). "
    "`w @ x` pairs w's n weights with x's m rows: it fails when m != n, and when m == n it silently mixes up "
    "the inputs. Put the batch first: `x @ w` gives one z per row."
)
WRONG_ORDER_ERROR = Mistake(error_contains="mismatch in its core dimension", hint=WRONG_ORDER_HINT)
WRONG_ORDER_NOT_ALIGNED = Mistake(error_contains="not aligned", hint=WRONG_ORDER_HINT)  # np.dot(w, x)

# `np.sum(x * w, axis=1)` fails on one input of shape (n,), which has only axis 0 (AxisError).
# Listed before ONE_INPUT_ONLY, whose "out of bounds" would also match this message.
AXIS_1 = Mistake(
    error_contains="axis 1 is out of bounds",
    hint=N_("`axis=1` works for a batch of shape (m, n) but not for one input of shape (n,), which has only "
            "axis 0. Use `axis=-1`, the last axis: it is the axis of the n features in both cases."),
)
ONE_INPUT_HINT = N_(
    "Your code handles one input only. For a batch, x has shape (m, n), one input per row: use x @ w + b, "
    "which gives one z per row."
)
# A loop over the features, `sum(x[i] * w[i] for i in range(len(w))) + b`: x[i] is a row of a batch,
# and a batch with fewer rows than features runs out of rows (IndexError).
ONE_INPUT_ONLY = Mistake(error_contains="out of bounds for axis 0", hint=ONE_INPUT_HINT)
# `float(np.dot(x, w)) + b`: a batch gives several numbers, which float() cannot turn into one.
ONE_INPUT_FLOAT = Mistake(error_contains="converted to Python scalars", hint=ONE_INPUT_HINT)

neuron_z = FunctionExercise(
    name="00.neuron_z",
    title=N_("compute a neuron's weighted sum z = w·x + b"),
    reference=_neuron_z,
    cases=[
        Case((read_only(np.array([1.0, 2.0])), read_only(np.array([0.5, -1.0])), 0.25)),
        Case((read_only(np.array([-3.0, -1.0, -2.0])), read_only(np.array([0.3, 0.2, 0.5])), -0.5)),
        Case((read_only(np.array([0.0, 0.0, 0.0])), read_only(np.array([4.0, 5.0, 6.0])), 2.0)),
        # A batch of 2 inputs with 3 features each: one z per row.
        Case((read_only(np.array([[-3.0, -1.0, -2.0], [2.0, 2.0, 2.0]])), read_only(np.array([0.3, 0.2, 0.5])),
              -0.5)),
        # A square batch (3 inputs, 3 features): here `w @ x` runs without an error but mixes up the inputs.
        Case((read_only(np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])),
              read_only(np.array([0.5, 2.0, -1.0])), 0.5)),
    ],
    mistakes=[
        WRONG_ORDER_ERROR,
        WRONG_ORDER_NOT_ALIGNED,
        AXIS_1,
        ONE_INPUT_ONLY,
        ONE_INPUT_FLOAT,
        Mistake(wrong=lambda x, w, b: np.asarray(w, dtype=float) @ np.asarray(x, dtype=float) + b,
                hint=WRONG_ORDER_HINT),
        Mistake(wrong=lambda x, w, b: np.asarray(x, dtype=float) @ np.asarray(w, dtype=float),
                hint=N_("You left out the bias: z = w·x + b, so add b after the weighted sum.")),
        Mistake(wrong=lambda x, w, b: np.asarray(x, dtype=float) * np.asarray(w, dtype=float) + b,
                hint=N_("`x * w` multiplies element by element but does not add the products up. "
                        "The weighted sum is `np.sum(x * w, axis=-1)`, or simply `x @ w`.")),
        Mistake(wrong=lambda x, w, b: np.sum(np.asarray(x, dtype=float) * np.asarray(w, dtype=float) + b,
                                             axis=-1),
                hint=N_("You added b to every product, so the bias was counted once per input. "
                        "Sum the products first, then add b once.")),
        Mistake(wrong=lambda x, w, b: np.sum(np.asarray(x, dtype=float) * np.asarray(w, dtype=float)) + b,
                hint=N_("For a batch (one input per row) `np.sum(x * w)` adds up the whole batch into one "
                        "number. Sum along the last axis only: `np.sum(x * w, axis=-1)`, or use `x @ w`.")),
        READ_ONLY,
    ],
    hints=[
        N_("Multiply each input by its weight, add the products up, then add the bias once."),
        N_("`x @ w` computes the sum of x[i] * w[i]; for a batch x of shape (m, n) it gives one z per row."),
        N_("The whole answer fits in one line: `return x @ w + b` (after turning x and w into float arrays)."),
    ],
    solution='''
        def neuron_z(x, w, b):
            x = np.asarray(x, dtype=float)
            w = np.asarray(w, dtype=float)
            return x @ w + b          # one z per row of x
    ''',
)


# -------------------------------------------------------------------- 00.collapse
def _collapse(layers):
    """The single affine map (W, b) equal to applying every (W_k, b_k) in ``layers`` in turn."""
    W, b = layers[0]
    for W_next, b_next in layers[1:]:
        W, b = W @ W_next, b @ W_next + b_next
    return W, b


def _wrong_fold(combine):
    """A wrong collapse that applies ``combine(W, b, W_next, b_next)`` at every layer."""
    def collapse(layers):
        W, b = layers[0]
        for W_next, b_next in layers[1:]:
            W, b = combine(W, b, W_next, b_next)
        return W, b
    return collapse


_rng = np.random.default_rng(2024)
#: Networks to test with, each a list of (W, b) layers: two square layers, three rectangular ones, one layer.
COLLAPSE_CASES = [
    [(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0])),
     (np.array([[0.5, 0.0], [-1.0, 2.0]]), np.array([0.25, 0.5]))],
    [(_rng.standard_normal((3, 4)), _rng.standard_normal(4)),
     (_rng.standard_normal((4, 2)), _rng.standard_normal(2)),
     (_rng.standard_normal((2, 1)), _rng.standard_normal(1))],
    [(np.array([[2.0, -1.0]]), np.array([3.0, 0.5]))],
]

#: Classic slips, as wrong implementations, with the hint each one earns (checked in order).
COLLAPSE_SLIPS = [
    (_wrong_fold(lambda W, b, Wn, bn: (W @ Wn, b + bn)),
     N_("Adding the biases forgets that an earlier bias also passes through the later layers: "
        "(x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2). Update b as `b @ W_next + b_next`.")),
    (_wrong_fold(lambda W, b, Wn, bn: (W @ Wn, b @ Wn)),
     N_("Almost: you pushed the bias through the next layer's matrix but forgot to add that layer's own bias.")),
    (_wrong_fold(lambda W, b, Wn, bn: (W @ Wn, bn)),
     N_("The earlier biases are missing: each one reaches the output through every later matrix.")),
    (_wrong_fold(lambda W, b, Wn, bn: (W @ Wn, b @ (W @ Wn) + bn)),
     N_("You updated W first and then pushed b through the *new* W. Both updates must use the old values: "
        "write them in one line, `W, b = W @ W_next, b @ W_next + b_next`.")),
    (_wrong_fold(lambda W, b, Wn, bn: (Wn @ W, b @ Wn + bn)),
     N_("Order matters for matrices. With row vectors, x meets W1 first and then W2, so the combined "
        "matrix is W1 @ W2, not W2 @ W1.")),
    (_wrong_fold(lambda W, b, Wn, bn: (W @ Wn, Wn @ b + bn)),
     N_("The course writes inputs as rows (x W + b), so the bias goes through the next layer as `b @ W_next`, "
        "not `W_next @ b`.")),
    (_wrong_fold(lambda W, b, Wn, bn: (W * Wn, b @ Wn + bn)),
     N_("`W * W_next` multiplies entry by entry. Applying one layer after another is a matrix product: `W @ W_next`.")),
    (lambda layers: _collapse(layers[:2]),
     N_("Your answer matches the first two layers only. Loop over *every* layer after the first.")),
    (lambda layers: _collapse(layers[1:]),
     N_("Your answer skips the first layer. Start from W, b = layers[0] and fold in layers[1:], one at a time.")),
    (lambda layers: _collapse(layers)[::-1],
     N_("Your W and b are right, but in the wrong order: you returned (b, W). The checker reads your answer as "
        "`W, b = collapse(layers)`, so return the matrix first: `return W, b`.")),
]


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b)


def _copy(layers):
    return [(W.copy(), b.copy()) for W, b in layers]


class CollapseExercise(Exercise):
    """The learner returns (W, b) such that x W + b equals the whole stack of linear layers, for every x."""

    def grade(self, answer) -> str:
        require_function(answer, "collapse")
        for layers in COLLAPSE_CASES:
            self._grade_case(answer, layers)
        count = len(COLLAPSE_CASES)
        return ngettext("correct on all {count} test network. However many linear layers you stack, "
                        "they are one x W + b.",
                        "correct on all {count} test networks. However many linear layers you stack, "
                        "they are one x W + b.", count).format(count=count)

    def _grade_case(self, answer, layers) -> None:
        shapes = " → ".join(str(W.shape) for W, _bias in layers)
        label = ngettext("{count} layer with W shapes {shapes}", "{count} layers with W shapes {shapes}",
                         len(layers)).format(count=len(layers), shapes=shapes)
        try:
            result, messages = call_learner(answer, _copy(layers))
        except LearnerError as exc:
            raise LearnerError(exc.original, _("for {label}").format(label=label)) from None
        if messages:
            raise Incorrect(_("for {label} your code gave a warning: {warning}").format(label=label,
                                                                                       warning=messages[0]))
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Incorrect(_("return two things, the matrix and the bias (`return W, b`); got {value}")
                            .format(value=describe(result)))
        try:
            W, b = (np.asarray(part, dtype=float) for part in result)
        except (TypeError, ValueError):
            raise Incorrect(_("W and b must be arrays of numbers")) from None
        W_expected, b_expected = _collapse(layers)
        if _same(W, W_expected) and _same(b, b_expected):
            return
        hint = self._recognise(layers, W, b)
        if W.shape != W_expected.shape:
            raise Incorrect(_("for {label}, W should have shape {expected} (inputs × outputs), got {actual}")
                            .format(label=label, expected=W_expected.shape, actual=W.shape), hint)
        if b.shape != b_expected.shape:
            raise Incorrect(_("for {label}, b should have shape {expected} (one per output), got {actual}")
                            .format(label=label, expected=b_expected.shape, actual=b.shape), hint)
        wrong = "W" if not _same(W, W_expected) else "b"
        expected, actual = (W_expected, W) if wrong == "W" else (b_expected, b)
        raise Incorrect(_("{name} is wrong for {label}\n   expected: {expected}\n   got:      {actual}")
                        .format(name=wrong, label=label, expected=describe(expected), actual=describe(actual)), hint)

    @staticmethod
    def _recognise(layers, W, b) -> str | None:
        for wrong, hint in COLLAPSE_SLIPS:
            try:
                with np.errstate(all="ignore"):
                    W_wrong, b_wrong = wrong(_copy(layers))
            except (ValueError, IndexError):
                continue
            if _same(W, W_wrong) and _same(b, b_wrong):
                return hint
        return None

    def hint_for_error(self, error) -> str | None:
        message = str(error.original)
        if "mismatch in its core dimension" in message or "not aligned" in message:
            return _("A matrix product A @ B needs A's columns to match B's rows. With row vectors the input "
                     "meets W1 first, so the combined matrix is W1 @ W2 @ ... (shape inputs × outputs).")
        if isinstance(error.original, IndexError):
            return _("A network may have a single layer. Start from W, b = layers[0] and loop over layers[1:].")
        return None


collapse = CollapseExercise(
    name="00.collapse",
    title=N_("collapse any stack of linear layers into one: return (W, b)"),
    hints=[
        N_("For two layers you saw W = W1 @ W2 and b = b1 @ W2 + b2. A third layer is applied to that result."),
        N_("Start with W, b = layers[0], then for each (W_next, b_next) in layers[1:] replace W and b "
           "by the collapse of (W, b) followed by (W_next, b_next)."),
        N_("Inside the loop: `W, b = W @ W_next, b @ W_next + b_next` (update both at once)."),
    ],
    solution='''
        def collapse(layers):
            W, b = layers[0]
            for W_next, b_next in layers[1:]:
                # (x W + b) W_next + b_next = x (W W_next) + (b W_next + b_next)
                W, b = W @ W_next, b @ W_next + b_next
            return W, b
    ''',
)
