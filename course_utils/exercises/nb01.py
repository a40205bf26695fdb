"""Exercises for notebook 01, the threshold (step) function."""

import numpy as np

import course_utils

from .. import activations
from ..i18n import N_, _
from .framework import (Case, ChoiceExercise, FunctionExercise, Incorrect, Mistake, frozen_reference, read_only,
                        require_function)


class ReferenceWatch:
    """Notices an answer that calls the course's reference function instead of computing the result itself.

    ``watch.wrap(answer)`` returns a function that runs ``answer`` while ``course_utils.<name>`` (``cu.step``)
    and ``course_utils.activations.<name>`` are replaced by a wrapper that records the call and then calls the
    function it replaced. The replaced functions are put back as soon as ``answer`` returns or fails, so the
    wrapper is never seen outside the learner's call. Afterwards ``watch.called`` is True if the reference was
    called, or was itself the answer. Notebook 02's checkers use it too.

    Not noticed: a copy of the reference bound to another name before the check, such as
    ``from course_utils import step as reference``.
    """

    OWNERS = (course_utils, activations)

    def __init__(self, name: str) -> None:
        self.name = name
        self.trusted = getattr(activations, name)  # inside a verdict: the original, put back by the framework
        self.called = False

    def _recording(self, function):
        def recorded(*args, **kwargs):
            self.called = True
            return function(*args, **kwargs)
        return recorded

    def wrap(self, answer):
        def watched(*args, **kwargs):
            replaced = [(owner, getattr(owner, self.name)) for owner in self.OWNERS]
            if answer is self.trusted or any(answer is function for _owner, function in replaced):
                self.called = True
            for owner, function in replaced:
                setattr(owner, self.name, self._recording(function))
            try:
                return answer(*args, **kwargs)
            finally:
                for owner, function in replaced:
                    setattr(owner, self.name, function)
        return watched


SCALAR_ONLY = Mistake(
    error_contains="truth value of an array",
    hint=N_("`if x > threshold:` looks at one number at a time, but x is an array. Compare the whole "
            "array at once: `x > threshold` gives an array of True/False, and `.astype(float)` turns it into 1.0/0.0."),
)

READ_ONLY = Mistake(
    error_contains="read-only",
    hint=N_("Your function changes its input array in place (for example `x[x > threshold] = 1`). A function "
            "should leave the caller's array alone: build a new array, for example with "
            "`(x > threshold).astype(float)`."),
)

STEP_CASES = [
    Case((read_only(np.array([-2.0, -0.5, 0.5, 3.0])),)),
    Case((read_only(np.array([-1.0, 0.0, 1.0])),)),
    Case((read_only(np.array([0.5, 1.5, 2.5])),), {"threshold": 1.5}),
    Case((read_only(np.array([[-1.0, 2.0], [3.0, -4.0]])),), {"threshold": 0.0}),
    Case((read_only(np.array([-np.inf, 1e308, np.inf])),), {"threshold": 1.0}),
]

BOOLEAN_HINT = N_(
    "Your function returns True/False. The exercise asks for the numbers 1.0 and 0.0, like `cu.step`, so that "
    "the output can go straight into the next layer's arithmetic: convert the comparison with "
    "`(x > threshold).astype(float)`."
)


CALLS_REFERENCE_HINT = N_(
    "Write the step yourself with a comparison, without `cu.step`: `x > threshold` compares every element "
    "of an array at once."
)


def _is_boolean(result) -> bool:
    """Is ``result`` a boolean array or a Python/NumPy bool (True/False rather than 1.0/0.0)?"""
    if isinstance(result, (bool, np.bool_)):
        return True
    return isinstance(result, np.ndarray) and result.dtype == np.bool_


class StepExercise(FunctionExercise):
    """``01.step``: the values must be right *and* be numbers (floats, or the tutorial's integers), not booleans.

    NumPy turns True/False into 1.0/0.0 when it compares values, so a comparison ``x > threshold``
    returned as it is would otherwise pass.
    """

    def grade(self, answer) -> str:
        require_function(answer, self.function_name)
        watch = ReferenceWatch("step")
        message = super().grade(watch.wrap(answer))
        if watch.called:
            message = _("your values are right, but your function calls `cu.{name}`, the reference it is "
                        "compared with, so the check cannot tell whether your own code works.").format(name="step")
            raise Incorrect(message, CALLS_REFERENCE_HINT)
        return message

    def _compare(self, expected: np.ndarray, actual) -> str | None:
        problem = super()._compare(expected, actual)
        if problem is None and _is_boolean(actual):
            return "\n   " + _("(your result holds True/False; the exercise asks for the numbers 1.0 and 0.0)")
        return problem

    def _hint_for(self, case, actual, messages, wrong_results=None) -> str | None:
        if _is_boolean(actual):
            return BOOLEAN_HINT
        return super()._hint_for(case, actual, messages, wrong_results)


step = StepExercise(
    name="01.step",
    title=N_("implement step(x, threshold=0.0) for arrays"),
    reference=frozen_reference(activations.step, STEP_CASES),
    cases=STEP_CASES,
    mistakes=[
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) >= threshold).astype(float),
                hint=N_("At x == threshold the step outputs 0, not 1: use `>` rather than `>=`.")),
        Mistake(wrong=lambda x, threshold=0.0: (np.asarray(x) > 0).astype(float),
                hint=N_("You compared with 0. Compare with the `threshold` argument instead.")),
        SCALAR_ONLY,
        READ_ONLY,
    ],
    hints=[
        N_("Avoid `if`: a NumPy comparison such as `x > threshold` works on a whole array at once."),
        N_("`x > threshold` gives an array of True/False values; `.astype(float)` turns them into 1.0/0.0."),
        N_("Start with `x = np.asarray(x, dtype=float)` so lists work too, then "
           "`return (x > threshold).astype(float)`."),
    ],
    solution='''
        def step(x, threshold=0.0):
            x = np.asarray(x, dtype=float)
            return (x > threshold).astype(float)
    ''',
)

information_loss = ChoiceExercise(
    name="01.information_loss",
    title=N_("what a hard threshold throws away"),
    question=N_("A step neuron labels everyone taller than 170 cm as a man (output 1). A person of 171 cm and a "
                "person of 195 cm both get output 1. What does this output hide?"),
    options={
        "a": N_("How sure we can be: by the notebook's exact model a man is only somewhat more likely than a woman "
                "at 171 cm (P(man | 171 cm) ≈ 0.64), but almost certain at 195 cm (P(man | 195 cm) > 0.99), and "
                "the output 1 cannot say so."),
        "b": N_("Nothing: in the notebook's data nearly everyone above 170 cm is a man, so the output 1 is right "
                "for both of them, and a second number would only repeat what the output already says."),
        "c": N_("The threshold: a later layer cannot tell that the cut is at 170 cm, and knowing it would be "
                "enough to work out the probability of 'man'."),
        "d": N_("Nothing that matters: choosing the best threshold (169 cm for the notebook's data, where the "
                "probability crosses 0.5) makes the 0/1 output as informative as any probability could be."),
    },
    correct="a",
    why=N_("A hard 0/1 output says 'certain' on both sides of the threshold. The notebook's exact model gives a "
           "probability that grows smoothly with height (0.64 at 171 cm, more than 0.99 at 195 cm), and a smooth "
           "activation such as the sigmoid can report it."),
    explanations={
        "b": N_("Heights of women and men overlap: in the notebook's data many women are taller than 170 cm "
                "(the table shows 42% women among people around 170 cm). Height makes 'man' more likely, not certain."),
        "c": N_("Knowing that the cut is at 170 cm does not help: the people of 171 cm and 195 cm still both "
                "get 1, so nothing tells them apart, although P(man) is about 0.64 for one and above 0.99 for the "
                "other. What is missing is how sure we can be about each label."),
        "d": N_("Even the best threshold gives the same output 1 just above it and far above it. Moving "
                "the threshold changes where the jump is, not the fact that the output carries no 'how sure'."),
    },
    hints=[
        N_("Look at the figure of the fraction of men per height bin. Is it 0 or 1, or something in between?"),
        N_("Compare P(man | height) at 171 cm and at 195 cm with the step's output at those heights."),
        N_("The notebook's exact model gives P(man | 171 cm) ≈ 0.64 and P(man | 195 cm) > 0.99, while the step "
           "gives 1 for both. What is lost?"),
    ],
)

no_gradient = ChoiceExercise(
    name="01.no_gradient",
    title=N_("why gradient descent cannot train a step neuron"),
    question=N_("You train a neuron step(h - θ), where h is a person's height, by gradient descent on the "
                "threshold θ. The numerical gradient of the loss with respect to θ comes out as 0.0, and θ "
                "never moves. Why?"),
    options={
        "a": N_("The learning rate is too small: the gradient is so tiny that it prints as 0.0, and a learning rate "
                "a million times larger would move θ."),
        "b": N_("The loss is the error rate, a fraction between 0 and 1, and gradient descent needs a loss "
                "that can grow without limit."),
        "c": N_("NumPy cannot differentiate a comparison such as h > θ, so the numerical gradient falls back to 0."),
        "d": N_("The step is flat on both sides of the threshold: a small change of θ changes no output, so the "
                "loss does not change and its slope is 0."),
    },
    correct="d",
    why=N_("The derivative of the step is 0 everywhere except at the threshold, where it does not exist. "
           "A zero gradient gives gradient descent no direction, so smooth activations replace the step."),
    explanations={
        "a": N_("The update is learning rate × gradient, and the gradient is exactly 0.0. Any learning rate "
                "times 0 is still 0."),
        "b": N_("A loss between 0 and 1 is fine: the sigmoid neuron in the notebook has such a loss and learns. "
                "Look at the slope of the step neuron's loss instead."),
        "c": N_("The numerical gradient needs no calculus from NumPy: it just evaluates the loss at θ ± ε. "
                "Ask what those two losses are."),
    },
    hints=[
        N_("The numerical gradient is (loss(θ + ε) - loss(θ - ε)) / (2ε). When are the two losses equal?"),
        N_("Does any person's output change when the threshold moves by a millionth of a centimetre?"),
        N_("If no output changes, loss(θ + ε) = loss(θ - ε), so the numerical gradient is exactly 0."),
    ],
)
