"""Exercises for notebook 02, the sigmoid."""

import numpy as np

from .. import activations
from .framework import Case, ChoiceExercise, FunctionExercise, Mistake

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
                hint="Your function returns σ(-x) = 1 - σ(x). Check the sign in the exponent "
                     "(sigmoid(x) = 1 / (1 + exp(-x)), so sigmoid(2) > 0.5), or whether your two branches "
                     "(x >= 0 and x < 0) are swapped."),
        Mistake(wrong=lambda x: activations.sigmoid(np.abs(np.asarray(x, dtype=float))),
                hint="For negative x your result is above 0.5: you used 1/(1+e) on both sides. With "
                     "e = np.exp(-np.abs(x)), the x < 0 branch is e/(1+e)."),
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
        Case((np.array([0.0, 2.0]),)),
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
        Mistake(wrong=lambda x: -activations.sigmoid_grad(x),
                hint="The sign is flipped. The sigmoid only ever increases, so its slope is positive: "
                     "use s * (1 - s), not s * (s - 1)."),
        Mistake(wrong=lambda x: 1 - activations.sigmoid(x) ** 2,
                hint="1 - s**2 is the pattern of tanh's derivative (1 - tanh²). For the sigmoid it is s * (1 - s)."),
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


gradient_signs = ChoiceExercise(
    name="02.gradient_signs",
    title="the signs of the weight gradients behind sigmoid inputs",
    question="A neuron computes z = w1*a1 + w2*a2 + w3*a3 + b, where a1, a2, a3 are outputs of sigmoid "
             "neurons in the layer before. For one training example, backpropagation gives dL/dz = -0.3. "
             "What are the signs of dL/dw1, dL/dw2 and dL/dw3?",
    options={
        "a": "All three are negative.",
        "b": "All three are positive.",
        "c": "It depends on the weights w1, w2, w3: the signs can be mixed.",
        "d": "All three are zero, because the sigmoid saturates.",
    },
    correct="a",
    why="dL/dw_i = dL/dz * a_i, and every a_i is a sigmoid output, so a_i > 0. Each gradient therefore "
        "has the sign of dL/dz = -0.3: all negative. Gradient descent then moves all three weights up "
        "together, which is why sigmoid inputs lead to zig-zag updates.",
    explanations={
        "b": "Look at the sign of dL/dz. dL/dw_i = dL/dz * a_i with a_i > 0, so the gradient keeps the sign of dL/dz.",
        "c": "The weights do not appear in dL/dw_i = dL/dz * a_i. Only dL/dz and a_i do, and a_i > 0 for "
             "every sigmoid output.",
        "d": "A sigmoid output is never exactly 0 in theory (it lies in (0, 1)), and dL/dz = -0.3 is not zero, "
             "so dL/dw_i = dL/dz * a_i is not zero.",
    },
    hints=[
        "z is a sum of w_i * a_i, so dz/dw_i = a_i. By the chain rule, dL/dw_i = dL/dz * a_i.",
        "What sign does a sigmoid output a_i always have?",
    ],
)
