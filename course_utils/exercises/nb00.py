"""Exercises for notebook 00: what a neuron computes, and why it needs a non-linearity."""

import numpy as np

from .framework import Case, ChoiceExercise, Exercise, FunctionExercise, Incorrect, Mistake, call_learner, describe


# ------------------------------------------------------------------ 00.neuron_z
def _neuron_z(x, w, b):
    """z = w·x + b for one input (shape (n,)) or a batch of inputs (shape (m, n))."""
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    return x @ w + b


neuron_z = FunctionExercise(
    name="00.neuron_z",
    title="compute a neuron's weighted sum z = w·x + b",
    reference=_neuron_z,
    cases=[
        Case((np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.25)),
        Case((np.array([-3.0, -1.0, -2.0]), np.array([0.3, 0.2, 0.5]), -0.5)),
        Case((np.array([0.0, 0.0, 0.0]), np.array([4.0, 5.0, 6.0]), 2.0)),
        Case((np.array([[-3.0, -1.0, -2.0], [2.0, 2.0, 2.0]]), np.array([0.3, 0.2, 0.5]), -0.5)),
    ],
    mistakes=[
        Mistake(wrong=lambda x, w, b: np.asarray(x, dtype=float) @ np.asarray(w, dtype=float),
                hint="You left out the bias: z = w·x + b, so add b after the weighted sum."),
        Mistake(wrong=lambda x, w, b: np.asarray(x, dtype=float) * np.asarray(w, dtype=float) + b,
                hint="`x * w` multiplies element by element but does not add the products up. "
                     "The weighted sum is `np.sum(x * w, axis=-1)`, or simply `x @ w`."),
        Mistake(wrong=lambda x, w, b: np.sum(np.asarray(x, dtype=float) * np.asarray(w, dtype=float) + b,
                                             axis=-1),
                hint="You added b to every product, so the bias was counted once per input. "
                     "Sum the products first, then add b once."),
        Mistake(wrong=lambda x, w, b: np.sum(np.asarray(x, dtype=float) * np.asarray(w, dtype=float)) + b,
                hint="For a batch (one input per row) `np.sum(x * w)` adds up the whole batch into one "
                     "number. Sum along the last axis only: `np.sum(x * w, axis=-1)`, or use `x @ w`."),
    ],
    hints=[
        "Multiply each input by its weight, add the products up, then add the bias once.",
        "`x @ w` computes the sum of x[i] * w[i]; for a batch x of shape (m, n) it gives one z per row.",
        "The whole answer fits in one line: `return x @ w + b` (after turning x and w into float arrays).",
    ],
    solution='''
        def neuron_z(x, w, b):
            x = np.asarray(x, dtype=float)
            w = np.asarray(w, dtype=float)
            return x @ w + b          # one z per row of x
    ''',
)


# -------------------------------------------------------------------- 00.collapse
def _collapse(W1, b1, W2, b2):
    """The single affine map equal to x -> (x W1 + b1) W2 + b2."""
    return W1 @ W2, b1 @ W2 + b2


_COLLAPSE_RNG = np.random.default_rng(2024)
#: (W1, b1, W2, b2) to test with: square, rectangular, and one input -> one output.
COLLAPSE_CASES = [
    (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, -1.0]),
     np.array([[0.5, 0.0], [-1.0, 2.0]]), np.array([0.25, 0.5])),
    (_COLLAPSE_RNG.standard_normal((3, 4)), _COLLAPSE_RNG.standard_normal(4),
     _COLLAPSE_RNG.standard_normal((4, 2)), _COLLAPSE_RNG.standard_normal(2)),
    (np.array([[2.0]]), np.array([3.0]), np.array([[-4.0]]), np.array([1.0])),
]

#: Classic slips: (predicate on the learner's (W, b) for a case, hint).
_COLLAPSE_SLIPS = [
    (lambda W, b, W1, b1, W2, b2: _same(b, b1 + b2) if b1.shape == b2.shape else False,
     "b1 + b2 forgets that b1 also passes through the second layer: the first layer's bias is "
     "multiplied by W2 like everything else. Expand (x W1 + b1) W2 + b2."),
    (lambda W, b, W1, b1, W2, b2: _same(b, b1 @ W2),
     "Almost: you pushed b1 through W2 but forgot to add the second layer's own bias b2."),
    (lambda W, b, W1, b1, W2, b2: _same(b, b2),
     "The first layer's bias b1 is missing: it reaches the output as b1 @ W2."),
    (lambda W, b, W1, b1, W2, b2: W1.shape == W2.shape and _same(W, W1 * W2),
     "`W1 * W2` multiplies entry by entry. Applying one layer after the other is a matrix product: W1 @ W2."),
    (lambda W, b, W1, b1, W2, b2: W2.shape[1] == W1.shape[0] and _same(W, W2 @ W1),
     "Order matters for matrices. With row vectors, x W1 comes first and then W2, so the combined "
     "matrix is W1 @ W2, not W2 @ W1."),
]


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b)


class CollapseExercise(Exercise):
    """The learner returns (W, b) such that x W + b equals the two stacked layers, for every x."""

    def grade(self, answer) -> str:
        if not callable(answer):
            raise Incorrect(f"expected a function, got {type(answer).__name__}. Pass the function itself: "
                            "check(collapse), not check(collapse(W1, b1, W2, b2)).")
        for W1, b1, W2, b2 in COLLAPSE_CASES:
            self._grade_case(answer, W1, b1, W2, b2)
        return (f"correct on all {len(COLLAPSE_CASES)} test networks. Two linear layers really are one: "
                "W = W1 @ W2 and b = b1 @ W2 + b2.")

    def _grade_case(self, answer, W1, b1, W2, b2) -> None:
        label = f"W1 of shape {W1.shape}, W2 of shape {W2.shape}"
        result, messages = call_learner(answer, W1.copy(), b1.copy(), W2.copy(), b2.copy())
        if messages:
            raise Incorrect(f"for {label} your code gave a warning: {messages[0]}")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Incorrect(f"return two things, the matrix and the bias: `return W, b`; got {describe(result)}")
        try:
            W, b = (np.asarray(part, dtype=float) for part in result)
        except (TypeError, ValueError):
            raise Incorrect("W and b must be arrays of numbers") from None
        W_expected, b_expected = _collapse(W1, b1, W2, b2)
        for slip, hint in _COLLAPSE_SLIPS:
            try:
                recognised = slip(W, b, W1, b1, W2, b2)
            except ValueError:
                recognised = False
            if recognised and not (_same(W, W_expected) and _same(b, b_expected)):
                raise Incorrect(f"wrong (W, b) for {label}", hint)
        if W.shape != W_expected.shape:
            raise Incorrect(f"for {label}, W should have shape {W_expected.shape} (inputs × outputs), "
                            f"got {W.shape}")
        if b.shape != b_expected.shape:
            raise Incorrect(f"for {label}, b should have shape {b_expected.shape} (one per output), got {b.shape}")
        if not _same(W, W_expected):
            raise Incorrect(f"W is wrong for {label}\n   expected: {describe(W_expected)}\n   got:      {describe(W)}")
        if not _same(b, b_expected):
            raise Incorrect(f"b is wrong for {label}\n   expected: {describe(b_expected)}\n   got:      {describe(b)}")


collapse = CollapseExercise(
    name="00.collapse",
    title="collapse two linear layers into one: return (W, b)",
    hints=[
        "Write the second layer applied to the first: y = (x W1 + b1) W2 + b2.",
        "Multiply out the brackets: y = x (W1 W2) + (b1 W2 + b2). Read W and b off that line.",
        "In NumPy the matrix product is `@`: W = W1 @ W2 and b = b1 @ W2 + b2.",
    ],
    solution='''
        def collapse(W1, b1, W2, b2):
            W = W1 @ W2            # (n_in, n_hidden) @ (n_hidden, n_out) -> (n_in, n_out)
            b = b1 @ W2 + b2       # the first bias also passes through the second layer
            return W, b
    ''',
)


# --------------------------------------------------------------- 00.why_nonlinear
why_nonlinear = ChoiceExercise(
    name="00.why_nonlinear",
    title="why a network needs a non-linear activation",
    question="You stack ten layers, each computing x W + b, with NO activation function in between. "
             "What can this network compute?",
    options={
        "a": "Anything, if the layers are wide enough: depth makes it more powerful.",
        "b": "Only what a single layer x W + b can compute: a linear (affine) map.",
        "c": "Nothing useful, because its outputs are always between 0 and 1.",
        "d": "Only logic gates such as AND and OR.",
    },
    correct="b",
    why="Each layer is an affine map, and an affine map of an affine map is again affine, so the ten "
        "layers collapse into one x W + b: linear regression. An activation between the layers breaks the collapse.",
    explanations={
        "a": "Depth only helps when something non-linear sits between the layers. Multiply out "
             "(x W1 + b1) W2 + b2: it is again x W + b, however many layers you stack.",
        "c": "Nothing squashes the outputs here: without an activation, x W + b can be any real number.",
        "d": "A linear map cannot even be a logic gate's 0/1 output; it is just x W + b, a straight line "
             "(or plane). Look again at what stacking two such maps gives.",
    },
    hints=[
        "Write two layers as one formula: (x W1 + b1) W2 + b2, and multiply out the brackets.",
        "Is the result of the first hint again of the form x W + b? Then what about ten layers?",
    ],
)
