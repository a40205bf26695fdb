"""Exercises for notebook 02, the sigmoid."""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Mistake

OVERFLOW = Mistake(
    warning_contains="overflow",
    hint="`np.exp(-x)` overflows for x < -709. Use the stable form: with e = np.exp(-np.abs(x)), "
         "sigmoid is 1/(1+e) for x >= 0 and e/(1+e) for x < 0. Note that np.where evaluates *both* "
         "branches, so never put an exp that can overflow inside it.",
)

sigmoid = FunctionExercise(
    name="02.sigmoid",
    title="implement a stable sigmoid(x)",
    reference=activations.sigmoid,
    cases=[
        Case((np.array([0.0]),)),
        Case((np.array([-2.0, -1.0, 1.0, 2.0]),)),
        Case((np.array([[-10.0, 0.5], [3.0, 15.0]]),)),
        Case((np.array([-1000.0, -745.0, -710.0, 710.0, 1000.0]),)),
        Case((np.array([-np.inf, np.inf]),)),
    ],
    mistakes=[
        OVERFLOW,
        Mistake(wrong=lambda x: 1 / (1 + np.exp(np.asarray(x, dtype=float))),
                hint="Check the sign in the exponent: sigmoid(x) = 1 / (1 + exp(-x)), so sigmoid(2) > 0.5."),
        Mistake(error_contains="truth value of an array",
                hint="`if x >= 0:` works on one number only. Compute both branches on arrays with masks or "
                     "`np.where`, using e = np.exp(-np.abs(x)) so nothing overflows."),
    ],
    hints=[
        "The textbook 1/(1 + np.exp(-x)) is right mathematically, but np.exp(1000) is inf (with a warning).",
        "np.exp(-np.abs(x)) is always between 0 and 1, so it can never overflow.",
        "For x < 0, multiply top and bottom of 1/(1+e^{-x}) by e^{x}: sigmoid(x) = e^{x}/(1+e^{x}).",
    ],
    solution='''
        def sigmoid(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))          # in (0, 1]: cannot overflow
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    ''',
)

sigmoid_grad = FunctionExercise(
    name="02.sigmoid_grad",
    title="implement the derivative sigmoid_grad(x) = σ(x)(1 − σ(x))",
    reference=activations.sigmoid_grad,
    cases=[
        Case((np.array([0.0]),)),
        Case((np.array([-3.0, -1.0, 1.0, 3.0]),)),
        Case((np.array([[-0.5, 0.5], [2.0, -2.0]]),)),
        Case((np.array([-1000.0, 1000.0]),)),
    ],
    mistakes=[
        OVERFLOW,
        Mistake(wrong=lambda x: activations.sigmoid(x),
                hint="You returned σ(x) itself. The derivative is σ(x) * (1 - σ(x)), which peaks at 0.25 at x = 0."),
        Mistake(wrong=lambda x: activations.sigmoid(x) * (1 - np.asarray(x, dtype=float)),
                hint="Apply the formula to s = sigmoid(x), not to x: s * (1 - s)."),
    ],
    hints=[
        "First compute s = sigmoid(x) with a stable sigmoid.",
        "Then return s * (1 - s). At x = 0 this is 0.5 * 0.5 = 0.25.",
    ],
    solution='''
        def sigmoid_grad(x):
            x = np.asarray(x, dtype=float)
            e = np.exp(-np.abs(x))
            s = np.where(x >= 0, 1 / (1 + e), e / (1 + e))   # stable sigmoid
            return s * (1 - s)
    ''',
)
