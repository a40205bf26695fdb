"""Exercises for notebook 01, the threshold (step) function."""

import numpy as np

from .. import activations
from .framework import Case, ChoiceExercise, FunctionExercise, Mistake

SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint="`if x > threshold:` looks at one number at a time, but x is an array. Compare the whole "
         "array at once: `x > threshold` gives an array of True/False, and `.astype(float)` turns it into 1.0/0.0.",
)

step = FunctionExercise(
    name="01.step",
    title="implement step(x, threshold=0.0) for arrays",
    reference=activations.step,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([-1.0, 0.0, 1.0]),)),
        Case((np.array([0.5, 1.5, 2.5]),), {"threshold": 1.5}),
        Case((np.array([[-1.0, 2.0], [3.0, -4.0]]),), {"threshold": 0.0}),
        Case((np.array([-np.inf, 1e308, np.inf]),), {"threshold": 1.0}),
    ],
    mistakes=[
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) >= threshold).astype(float),
                hint="At x == threshold the step outputs 0, not 1: use `>` rather than `>=`."),
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) > 0).astype(float),
                hint="You compared with 0. Compare with the `threshold` argument instead."),
        SCALAR_ONLY,
    ],
    hints=[
        "`x > threshold` on a NumPy array gives an array of True/False values.",
        "Convert booleans to numbers with `.astype(float)`.",
        "Start with `x = np.asarray(x, dtype=float)` so lists work too.",
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
        "a": "Nothing: both people are taller than 170 cm, so both are men.",
        "b": "How likely each label is: a man is barely more likely than a woman at 171 cm but almost "
             "certain at 195 cm, and the output 1 cannot say so.",
        "c": "Their exact heights, which the network needs to print at the end.",
        "d": "Nothing that matters, as long as we pick the best possible threshold.",
    },
    correct="b",
    why="A hard 0/1 output says 'certain' on both sides of the threshold. What the data supports is a "
        "probability that grows smoothly with height, and a smooth activation such as the sigmoid can report it.",
    explanations={
        "a": "Heights of men and women overlap: in the notebook's data some women are taller than 170 cm "
             "and some men are shorter. Height makes 'man' more likely, not certain.",
        "c": "The aim is not to print the height. Look at how sure we should be about each label.",
        "d": "Even the best threshold gives the same output 1 just above it and far above it. Moving "
             "the threshold changes where the jump is, not the fact that the output carries no 'how sure'.",
    },
    hints=[
        "Look at the figure of the fraction of men per height bin. Is it 0 or 1, or something in between?",
        "Compare that fraction at 171 cm and at 195 cm with the step's output at those heights.",
    ],
)

no_gradient = ChoiceExercise(
    name="01.no_gradient",
    title="why gradient descent cannot train a step neuron",
    question="You train a neuron step(x - θ) by gradient descent on θ. The numerical gradient of the loss "
             "with respect to θ comes out as 0.0, and θ never moves. Why?",
    options={
        "a": "The learning rate is too small; a larger one would move θ.",
        "b": "The step is flat on both sides of the threshold: a small change of θ changes no output, so the "
             "loss does not change and its slope is 0.",
        "c": "Gradient descent only works for outputs between -1 and 1.",
        "d": "NumPy cannot compute gradients of comparisons such as x > θ.",
    },
    correct="b",
    why="The derivative of the step is 0 everywhere except at the threshold, where it does not exist. "
        "A zero gradient gives gradient descent no direction, so smooth activations replace the step.",
    explanations={
        "a": "The update is learning rate × gradient, and the gradient is exactly 0.0. Any learning rate "
             "times 0 is still 0.",
        "c": "The step's outputs, 0 and 1, are already in that range. Look at the slope instead.",
        "d": "The numerical gradient needs no calculus from NumPy: it just evaluates the loss at θ ± ε. "
             "Ask what those two losses are.",
    },
    hints=[
        "The numerical gradient is (loss(θ + ε) - loss(θ - ε)) / (2ε). When are the two losses equal?",
        "Does any person's output change when the threshold moves by a millionth of a centimetre?",
    ],
)
