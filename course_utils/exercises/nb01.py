"""Exercises for notebook 01, the threshold (step) function."""

import numpy as np

from .. import activations
from .framework import Case, ChoiceExercise, FunctionExercise, Mistake


def _read_only(array: np.ndarray) -> np.ndarray:
    """The stored test inputs cannot be changed in place, even by an answer that tries."""
    array.flags.writeable = False
    return array


def _frozen(reference, cases):
    """A reference that returns the expected values computed now, when the checker is defined.

    Redefining ``cu.step`` (or a NumPy function) in a notebook cell therefore cannot change a verdict.
    """
    def key(args, kwargs):
        return tuple((a.shape, a.dtype.str, a.tobytes()) if isinstance(a, np.ndarray) else repr(a)
                     for a in list(args) + sorted(kwargs.items()))

    expected = {key(case.args, case.kwargs): reference(*case.args, **case.kwargs) for case in cases}

    def frozen_reference(*args, **kwargs):
        stored = expected.get(key(args, kwargs))
        return reference(*args, **kwargs) if stored is None else stored.copy()

    return frozen_reference


SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint="`if x > threshold:` looks at one number at a time, but x is an array. Compare the whole "
         "array at once: `x > threshold` gives an array of True/False, and `.astype(float)` turns it into 1.0/0.0.",
)

READ_ONLY = Mistake(
    error_contains="read-only",
    hint="Your function changes its input array in place (for example `x[x > threshold] = 1`). A function "
         "should leave the caller's array alone: build a new array, for example with `(x > threshold).astype(float)`.",
)

STEP_CASES = [
    Case((_read_only(np.array([-2.0, -0.5, 0.5, 3.0])),)),
    Case((_read_only(np.array([-1.0, 0.0, 1.0])),)),
    Case((_read_only(np.array([0.5, 1.5, 2.5])),), {"threshold": 1.5}),
    Case((_read_only(np.array([[-1.0, 2.0], [3.0, -4.0]])),), {"threshold": 0.0}),
    Case((_read_only(np.array([-np.inf, 1e308, np.inf])),), {"threshold": 1.0}),
]

step = FunctionExercise(
    name="01.step",
    title="implement step(x, threshold=0.0) for arrays",
    reference=_frozen(activations.step, STEP_CASES),
    cases=STEP_CASES,
    mistakes=[
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) >= threshold).astype(float),
                hint="At x == threshold the step outputs 0, not 1: use `>` rather than `>=`."),
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) > 0).astype(float),
                hint="You compared with 0. Compare with the `threshold` argument instead."),
        SCALAR_ONLY,
        READ_ONLY,
    ],
    hints=[
        "Avoid `if`: a NumPy comparison such as `x > threshold` works on a whole array at once.",
        "`x > threshold` gives an array of True/False values; `.astype(float)` turns them into 1.0/0.0.",
        "Start with `x = np.asarray(x, dtype=float)` so lists work too, then "
        "`return (x > threshold).astype(float)`.",
    ],
    solution='''
        def step(x, threshold=0.0):
            x = np.asarray(x, dtype=float)
            return (x > threshold).astype(float)
    ''',
)

information_loss = ChoiceExercise(
    name="01.information_loss",
    title="what a hard threshold throws away",
    question="A step neuron labels everyone taller than 170 cm as a man (output 1). A person of 171 cm and a "
             "person of 195 cm both get output 1. What does this output hide?",
    options={
        "a": "How sure we can be: in the notebook's data a man is only somewhat more likely than a woman at "
             "171 cm (P(man) ≈ 0.64), but almost certain at 195 cm (P(man) > 0.99), and the output 1 "
             "cannot say so.",
        "b": "Nothing: both people are taller than 170 cm, so both are men.",
        "c": "Their exact heights, which the network needs to print at the end.",
        "d": "Nothing that matters, as long as we pick the best possible threshold.",
    },
    correct="a",
    why="A hard 0/1 output says 'certain' on both sides of the threshold. What the data supports is a "
        "probability that grows smoothly with height (0.64 at 171 cm, more than 0.99 at 195 cm), and a smooth "
        "activation such as the sigmoid can report it.",
    explanations={
        "b": "Heights of women and men overlap: in the notebook's data some women are taller than 170 cm "
             "and some men are shorter. Height makes 'man' more likely, not certain.",
        "c": "The aim is not to print the height. Look at how sure we should be about each label.",
        "d": "Even the best threshold gives the same output 1 just above it and far above it. Moving "
             "the threshold changes where the jump is, not the fact that the output carries no 'how sure'.",
    },
    hints=[
        "Look at the figure of the fraction of men per height bin. Is it 0 or 1, or something in between?",
        "Compare P(man | height) at 171 cm and at 195 cm with the step's output at those heights.",
        "The notebook's model gives P(man | 171 cm) ≈ 0.64 and P(man | 195 cm) > 0.99, while the step gives 1 "
        "for both. What is lost?",
    ],
)

no_gradient = ChoiceExercise(
    name="01.no_gradient",
    title="why gradient descent cannot train a step neuron",
    question="You train a neuron step(h - θ), where h is a person's height, by gradient descent on the "
             "threshold θ. The numerical gradient of the loss with respect to θ comes out as 0.0, and θ "
             "never moves. Why?",
    options={
        "a": "The learning rate is too small; a larger one would move θ.",
        "b": "Gradient descent only works for outputs between -1 and 1.",
        "c": "NumPy cannot compute gradients of comparisons such as h > θ.",
        "d": "The step is flat on both sides of the threshold: a small change of θ changes no output, so the "
             "loss does not change and its slope is 0.",
    },
    correct="d",
    why="The derivative of the step is 0 everywhere except at the threshold, where it does not exist. "
        "A zero gradient gives gradient descent no direction, so smooth activations replace the step.",
    explanations={
        "a": "The update is learning rate × gradient, and the gradient is exactly 0.0. Any learning rate "
             "times 0 is still 0.",
        "b": "The step's outputs, 0 and 1, are already in that range. Look at the slope instead.",
        "c": "The numerical gradient needs no calculus from NumPy: it just evaluates the loss at θ ± ε. "
             "Ask what those two losses are.",
    },
    hints=[
        "The numerical gradient is (loss(θ + ε) - loss(θ - ε)) / (2ε). When are the two losses equal?",
        "Does any person's output change when the threshold moves by a millionth of a centimetre?",
        "If no output changes, loss(θ + ε) = loss(θ - ε), so the numerical gradient is exactly 0.",
    ],
)
