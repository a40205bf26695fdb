"""Exercises for notebook 01, the threshold (step) function."""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Mistake

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
