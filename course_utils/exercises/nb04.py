"""Exercises for notebook 04, ReLU and its variants."""

import numpy as np

from .. import activations
from .framework import Case, FunctionExercise, Mistake

SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint="Python's `max(0, x)` and `if x > 0:` handle one number at a time; x is an array. "
         "Use element-wise NumPy: `np.maximum(x, 0)`, `x > 0`, or `np.where(x > 0, a, b)`.",
)

relu_grad = FunctionExercise(
    name="04.relu_grad",
    title="implement relu_grad(x): 1 where x > 0, else 0",
    reference=activations.relu_grad,
    cases=[
        Case((np.array([-2.0, -0.5, 0.5, 3.0]),)),
        Case((np.array([0.0]),)),
        Case((np.array([[-1.0, 0.0], [0.0, 2.0]]),)),
        Case((np.array([-np.inf, -1e-300, 1e-300, np.inf]),)),
    ],
    mistakes=[
        Mistake(wrong=lambda x: (np.asarray(x) >= 0).astype(float),
                hint="At the kink x = 0 the course's convention is relu_grad(0) = 0 (x <= 0 counts as 'off', "
                     "the same as the ReLU layer's mask). Use `x > 0`, not `x >= 0`."),
        Mistake(wrong=lambda x: activations.relu(x),
                hint="You returned relu(x) itself. The derivative is a 0/1 mask: 1 where x > 0, 0 elsewhere."),
        SCALAR_ONLY,
    ],
    hints=[
        "ReLU is x for x > 0 (slope 1) and 0 for x <= 0 (slope 0).",
        "`(x > 0).astype(float)` turns the comparison into 1.0/0.0.",
    ],
    solution='''
        def relu_grad(x):
            x = np.asarray(x, dtype=float)
            return (x > 0).astype(float)
    ''',
)
