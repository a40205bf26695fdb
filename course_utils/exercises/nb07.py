"""Exercises for notebook 07, the capstone: a training step, un-stalling a deep network, output activations."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import training
from ..layers import Affine, Layer, MSELoss, Sequential, Sigmoid
from ..training import train_step as reference_train_step
from .framework import (ChoiceExercise, Exercise, Incorrect, LearnerError, NotAnswered, call_learner, describe,
                        require_function)

# ------------------------------------------------------------------- train_step
#: The checker's learning rate: not a "round" default such as 0.1 or 0.01, so a hard-coded lr shows up.
CHECK_LR = 0.5
#: Steps per check: three, so that a step taken with last step's gradient ("update before backward") shows up.
CHECK_STEPS = 3


class _NoReturn:
    """Stands in for the ``None`` a learner's function returned, so it is not mistaken for a stub."""


def _check_problem() -> tuple[Sequential, np.ndarray, np.ndarray]:
    """A small seeded network 2 → 3 → 1 with sigmoids, six inputs and their 0/1 targets."""
    rng = np.random.default_rng(7)
    network = Sequential([Affine.initialise(2, 3, rng), Sigmoid(), Affine.initialise(3, 1, rng), Sigmoid()])
    X = rng.standard_normal((6, 2))
    t = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])   # the targets
    return network, X, t


def _parameters(network: Sequential) -> list[np.ndarray]:
    return [np.array(param, dtype=float) for layer in network.layers for param in getattr(layer, "params", {}).values()]


def _same_arrays(got: list[np.ndarray], expected: list[np.ndarray]) -> bool:
    """Equal length, equal shapes and close values: a network that lost layers or parameters never matches."""
    return len(got) == len(expected) and all(
        a.shape == b.shape and np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(got, expected))


def _forgot_update(network, loss, X, t, lr):
    value = loss.forward(network.forward(X), t)
    network.backward(loss.backward())
    return value


def _update_before_backward(network, loss, X, t, lr):
    value = loss.forward(network.forward(X), t)
    network.step(lr)  # uses the gradients of the *previous* step (zeros at first)
    network.backward(loss.backward())
    return value


def _gradient_ascent(network, loss, X, t, lr):
    value = loss.forward(network.forward(X), t)
    network.backward(loss.backward())
    network.step(-lr)  # param += lr * grad: uphill
    return value


def _loss_after_update(network, loss, X, t, lr):
    reference_train_step(network, loss, X, t, lr)
    return loss.forward(network.forward(X), t)


def _fixed_lr(lr):
    def step(network, loss, X, t, _lr):
        return reference_train_step(network, loss, X, t, lr)
    return step


FIXED_LR_HINT = (f"Your parameters moved as if lr were not {CHECK_LR}, the value this checker passes (a learning "
                 "rate of your own, or network.step called more than once?). Call network.step(lr) exactly once, "
                 "with the lr argument.")

#: The functions of ``course_utils.training`` that would do the exercise for the learner.
LIBRARY_STEPS = ("train_step", "train")
LIBRARY_HINT = ("The exercise is to write the four steps of section 1.1 yourself: network.forward, loss.forward, "
                "network.backward and network.step, without training.train_step or training.train.")


class _LibraryCalls:
    """While active, ``training.train_step`` and ``training.train`` still work but record that they were called.

    The learner's code looks them up as ``training.train_step``, so replacing the module's attributes
    is enough. The previous values (the learner's own redefinitions included) are put back on exit.
    """

    def __init__(self) -> None:
        self.called: list[str] = []

    def _recording(self, name: str, function: Callable) -> Callable:
        def recorded(*args: Any, **kwargs: Any) -> Any:
            self.called.append(name)
            return function(*args, **kwargs)
        return recorded

    def __enter__(self) -> "_LibraryCalls":
        self.previous = {name: getattr(training, name) for name in LIBRARY_STEPS}
        for name, function in self.previous.items():
            setattr(training, name, self._recording(name, function))
        return self

    def __exit__(self, *exc_info: Any) -> None:
        for name, function in self.previous.items():
            setattr(training, name, function)


class TrainStepExercise(Exercise):
    """The learner writes ``train_step(network, loss, X, t, lr) -> float``.

    The checker runs it ``CHECK_STEPS`` times on a small seeded network and compares
    the returned losses and the final parameters with the reference step. When they
    differ, it replays known wrong steps on a fresh copy of the same network and names
    the one that gives exactly the learner's numbers. An answer that is, or calls,
    ``training.train_step`` (or ``training.train``) is turned down with a friendly verdict:
    the exercise is to write the four steps.
    """

    MISTAKES: list[tuple[Callable, str]] = [
        (_forgot_update,
         "Your parameters never changed. After the backward pass, update them: network.step(lr) does "
         "param -= lr * grad for every layer. (If you did call step, check that network.backward(loss.backward()) "
         "runs before it, or there is no gradient to step with.)"),
        (_update_before_backward,
         "The update happens before the backward pass, so each step uses the previous step's gradient (zeros at "
         "first). Order: forward, loss.forward, network.backward(loss.backward()), then network.step(lr)."),
        (_gradient_ascent,
         "Your parameters moved uphill: the loss grows. Gradient descent subtracts, param -= lr * grad. Also check "
         "the argument order loss.forward(prediction, t): swapping them flips the sign of the gradient."),
        (_loss_after_update,
         "The parameters are right, but return the loss computed in the forward pass, before the update: it is "
         "the loss at the point where the gradient was taken, and it costs no extra forward pass."),
    ] + [(_fixed_lr(lr), FIXED_LR_HINT) for lr in (1.0, 0.1, 0.05, 0.01, 0.001)]

    def __init__(self) -> None:
        # Every expected trajectory is computed once, here, so that redefining training.train_step or a layer
        # method in a notebook cell later cannot change a verdict.
        self.expected_values, self.expected_params = self.trajectory(reference_train_step)
        self.mistake_trajectories = [(self.trajectory(wrong), hint) for wrong, hint in self.MISTAKES]
        self.check_X, self.check_t = _check_problem()[1:]
        super().__init__(
            name="07.train_step",
            title="implement train_step(network, loss, X, t, lr): one step of gradient descent",
            hints=[
                "Section 1.1 lists the four steps of a training step. Which object does each step use: the "
                "network or the loss?",
                "Four lines, in this order: forward pass, loss, backward pass, update. Then return the loss value.",
                "prediction = network.forward(X); value = loss.forward(prediction, t). Next, "
                "network.backward(loss.backward()) fills every layer's grads.",
                "Then network.step(lr) does param -= lr * grad for every layer, and `return value` (a float). "
                "Do not assign to layer.W: it is read-only; network.step(lr) updates the arrays in place.",
            ],
            solution='''
                def train_step(network, loss, X, t, lr):
                    prediction = network.forward(X)        # 1. forward pass
                    value = loss.forward(prediction, t)    # 2. loss: one number
                    network.backward(loss.backward())      # 3. backward pass: fills every layer's grads
                    network.step(lr)                       # 4. update: param -= lr * grad
                    return value
            ''',
        )

    @staticmethod
    def trajectory(step: Callable) -> tuple[list[Any], list[np.ndarray]]:
        """Run ``step`` ``CHECK_STEPS`` times on a fresh check network: (returned values, final parameters)."""
        network, X, t = _check_problem()
        loss = MSELoss()
        returned = [step(network, loss, X, t, CHECK_LR) for _ in range(CHECK_STEPS)]
        return returned, _parameters(network)

    def _learner_trajectory(self, answer: Callable) -> tuple[list[Any], list[np.ndarray], bool]:
        network, X, t = _check_problem()
        start = _parameters(network)
        loss = MSELoss()

        library = _LibraryCalls()

        def step_keeping_none():
            with library:   # inside the learner's call, so the learner's own redefinitions are what it wraps
                value = answer(network, loss, X, t, CHECK_LR)
            return _NoReturn if value is None else value

        returned = []
        for _ in range(CHECK_STEPS):
            value, _warnings = call_learner(step_keeping_none)
            returned.append(value)
            if library.called:
                raise Incorrect(f"your train_step calls training.{library.called[0]}, which does the whole step "
                                "for you.", LIBRARY_HINT)
            if not (np.array_equal(X, self.check_X) and np.array_equal(t, self.check_t)):
                raise Incorrect("your train_step changed X or t in place.",
                                "The data are inputs: read them, never write into them (no `X -= ...` or "
                                "`t[...] = ...`). Only the network's parameters change in a training step.")
        params = _parameters(network)
        if len(params) != len(start) or any(a.shape != b.shape for a, b in zip(params, start)):
            raise Incorrect(f"after your steps the network has {len(params)} parameter arrays with shapes "
                            f"{[p.shape for p in params]}; it started with {len(start)}: "
                            f"{[p.shape for p in start]}.",
                            "A training step changes the values of the parameters, never the network itself: "
                            "do not remove, add or replace layers or parameter arrays.")
        changed = any(not np.array_equal(a, b) for a, b in zip(params, start))
        return returned, params, changed

    def grade(self, answer: Any) -> str:
        require_function(answer, "train_step")
        if answer is reference_train_step or getattr(answer, "__code__", None) is reference_train_step.__code__:
            raise Incorrect("you passed the course's own training.train_step, not a function of yours.", LIBRARY_HINT)
        returned, params, changed = self._learner_trajectory(answer)
        if all(value is _NoReturn for value in returned):
            if not changed:
                raise NotAnswered()  # a stub whose body is `pass` or `...`
            raise Incorrect("your function returns nothing (None).",
                            "Return the loss value, the float that loss.forward(prediction, t) gave you.")
        first = returned[0]
        if isinstance(first, Layer):
            raise Incorrect(f"your function returned the loss layer {describe(first)}, not the loss value.",
                            "Return the number that loss.forward(prediction, t) returns.")
        try:
            values = np.array(returned, dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(f"your function returned {describe(first)}; expected one number (the loss).",
                            "Return the float that loss.forward(prediction, t) gives.") from None
        if values.shape != (CHECK_STEPS,):
            if values.size == CHECK_STEPS:   # one number per step, wrapped in an array or a list
                hint = "Return a single float (e.g. float(value)), not an array."
            else:
                hint = "Return loss.forward(prediction, t), a single float, not the prediction."
            raise Incorrect(f"your function returned {describe(first)}; expected one number (the loss).", hint)
        expected_values, expected_params = self.expected_values, self.expected_params
        values_ok = np.allclose(values, expected_values, rtol=1e-9, atol=1e-12)
        params_ok = _same_arrays(params, expected_params)
        if values_ok and params_ok:
            return (f"{CHECK_STEPS} steps in a row give the reference losses and parameters. "
                    "This is the loop inside every training run.")
        raise Incorrect(self._describe_difference(values, params, expected_values, expected_params),
                        self._recognise(values, params))

    def _recognise(self, values: np.ndarray, params: list[np.ndarray]) -> str | None:
        for (wrong_values, wrong_params), hint in self.mistake_trajectories:
            if np.allclose(values, wrong_values, rtol=1e-9, atol=1e-12) and _same_arrays(params, wrong_params):
                return hint
        return None

    @staticmethod
    def _describe_difference(values, params, expected_values, expected_params) -> str:
        lines = [f"after {CHECK_STEPS} steps (lr = {CHECK_LR}) on a small 2 → 3 → 1 network,"]
        lines.append(f"   returned losses expected: {describe(np.array(expected_values))}")
        lines.append(f"   returned losses got:      {describe(values)}")
        wrong = [i for i, (a, b) in enumerate(zip(params, expected_params))
                 if a.shape != b.shape or not np.allclose(a, b)]
        if wrong:
            lines.append(f"   and {len(wrong)} of {len(params)} parameter arrays differ from the reference")
        return "\n".join(lines)

    def hint_for_error(self, error: LearnerError) -> str | None:
        message = f"{type(error.original).__name__}: {error.original}"
        if "has no setter" in message or "can't set attribute" in message:
            return ("layer.W and layer.b are read-only attributes: `layer.W = ...` raises AttributeError, and so does "
                    "`layer.W -= ...`, but only after it has already changed the array (`-=` subtracts in place "
                    "first, then tries to assign). Update layer.params['W'] -= lr * layer.grads['W'], or simply "
                    "call network.step(lr).")
        if "before forward" in message:
            return ("Every backward needs its forward first: call network.forward(X), then "
                    "loss.forward(prediction, t), and only then loss.backward() and network.backward(...).")
        if "backward() missing 1 required positional argument" in message:
            return ("network.backward needs dL/d(prediction), the gradient that starts the backward pass: "
                    "pass loss.backward(), as in network.backward(loss.backward()).")
        if "dout has shape ()" in message:
            return ("network.backward needs dL/d(prediction), an array shaped like the prediction. "
                    "loss.backward() gives exactly that: network.backward(loss.backward()).")
        if "0-dimensional" in message or "length-1" in message:
            return ("loss.backward() takes no array: it starts the backward pass from dL/dL = 1 and returns "
                    "dL/d(prediction). Call it with no argument.")
        if "prediction has shape" in message:
            return "Pass the network's output and the targets to the loss: loss.forward(network.forward(X), t)."
        return None


train_step = TrainStepExercise()

# ---------------------------------------------------------------------- unstall
unstall = ChoiceExercise(
    name="07.unstall",
    title="un-stall a deep sigmoid network",
    question=("A network of 10 Affine layers, each followed by a sigmoid, with LeCun initialisation (weights "
              "N(0, 1/n_in)), trains on two moons. After 1000 steps its loss is still 0.693 (= ln 2, the loss of "
              "answering 0.5 every time), and at initialisation the weight gradient of layer 1 was about a "
              "millionth of layer 10's. Which single change is most likely to get it learning?"),
    options={
        "a": "train 10 times longer with the same settings",
        "b": "keep the sigmoids but initialise every weight with the small N(0, 0.01²)",
        "c": "use ReLU in the hidden layers, with He initialisation (keep the sigmoid at the output)",
        "d": "replace the output sigmoid by a softmax over two classes",
        "e": "divide the learning rate by 10",
    },
    correct="c",
    why=("ReLU's slope is exactly 1 for positive inputs, so the backward signal is not multiplied by "
         "σ' ≤ 0.25 at every layer, and He initialisation keeps its size roughly level from layer to layer. "
         "The first layers get a usable gradient and start learning. (Keep an eye on the learning rate: "
         "depending on the seed, such a network can learn at lr = 0.5 and then diverge; lr = 0.2 is safer.)"),
    explanations={
        "a": "The first layers receive a millionth of the gradient of the last one, so their weights barely move "
             "at all: ten times longer only multiplies almost nothing by ten. Fix the flow of the gradient "
             "instead.",
        "b": "Smaller weights make it worse: on the way back each layer multiplies the gradient by its weights "
             "and by σ' ≤ 0.25, so tiny weights shrink it even faster. Try "
             "training.gradient_norms_per_layer('sigmoid', 10, scheme='small').",
        "d": "The output is not the problem: softmax over two classes is the same function as one sigmoid "
             "(notebook 05). The gradient vanishes in the ten hidden sigmoids.",
        "e": "A smaller learning rate scales every update down, the already tiny updates of the first layers "
             "included. It helps when the loss explodes, not when it is stuck.",
    },
    hints=[
        "Which factor multiplies the gradient at every layer on its way back to the input?",
        "Besides the weights, every layer multiplies the gradient by the slope f'(z) of its activation "
        "(section 3). How large can σ'(z) be?",
        "σ'(z) is at most 0.25 (notebook 02). Which activation has slope exactly 1 wherever it is active, and "
        "which initialisation goes with it?",
    ],
)

# ------------------------------------------------------------ output_activation
output_activation = ChoiceExercise(
    name="07.output_activation",
    title="choose the output activation for three tasks",
    question=("Three networks share the same ReLU hidden layers but do different jobs: (1) predict tomorrow's "
              "temperature in °C, which can be negative; (2) say whether an email is spam; (3) say which one of "
              "10 digits an image shows. Which output activations, in the order (1), (2), (3)?"),
    options={
        "a": "identity, sigmoid, softmax",
        "b": "sigmoid, sigmoid, sigmoid",
        "c": "ReLU, softmax over one output, sigmoid",
        "d": "tanh, step, softmax",
    },
    correct="a",
    why=("A temperature can be any real number, so the output is the raw affine value (identity, trained with "
         "MSE). Spam or not is one yes/no event: one sigmoid gives its probability (BCE). One digit out of 10 "
         "is one choice among mutually exclusive classes: softmax gives 10 probabilities that sum to 1 "
         "(cross-entropy)."),
    explanations={
        "b": "A sigmoid squeezes the temperature into (0, 1), so the network can never say 25 °C. And ten "
             "independent sigmoids do not make the ten digits compete: their outputs need not sum to 1.",
        "c": "ReLU cannot output a negative temperature such as −5 °C. A softmax over a single output is always "
             "exactly 1, whatever the email; and one sigmoid cannot choose among 10 digits.",
        "d": "tanh only reaches (−1, 1), too narrow for temperatures. The step's derivative is 0 wherever it "
             "exists (it is undefined at the jump; notebook 01), so no gradient would ever reach the spam "
             "network's weights.",
    },
    hints=[
        "Ask of each task: what values must the output be able to take?",
        "(1) any real number, negative too; (2) one probability; (3) ten probabilities of classes that exclude "
        "each other.",
        "Any real number: no squashing (identity). One probability in (0, 1): sigmoid. Probabilities of n "
        "exclusive classes must sum to 1: softmax. Section 6's table has one row for each.",
    ],
)
