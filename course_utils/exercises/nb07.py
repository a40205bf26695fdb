"""Exercises for notebook 07, the capstone: a training step, un-stalling a deep network, output activations.

Every text a learner reads is in the learner's language (``course_utils.i18n``): constants are
marked with ``N_`` and translated when shown (``localize``); verdicts built at check time go
through ``_()`` / ``ngettext`` with named fields.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import training
from ..layers import Affine, Layer, MSELoss, Sequential, Sigmoid
from ..i18n import N_, _, ngettext
from ..training import train_step as reference_train_step
from .framework import (ChoiceExercise, Exercise, Incorrect, LearnerError, NotAnswered, call_learner, describe,
                        localize, require_function)

# ------------------------------------------------------------------- train_step
#: The checker's learning rate: not a "round" default such as 0.1 or 0.01, nor the notebook's 0.5, so an
#: answer that hard-codes a learning rate shows up.
CHECK_LR = 0.37
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


#: The hint for steps taken with another learning rate; ``{lr}`` is ``CHECK_LR``.
FIXED_LR_TEMPLATE = N_("Your parameters moved as if lr were not {lr}, the value this checker passes (a learning "
                       "rate of your own, or network.step called more than once?). Call network.step(lr) exactly "
                       "once, with the lr argument.")
#: That hint in English, as a learner of the English edition reads it.
FIXED_LR_HINT = FIXED_LR_TEMPLATE.format(lr=CHECK_LR)


def _fixed_lr_hint() -> str:
    """``FIXED_LR_TEMPLATE`` with ``CHECK_LR`` filled in, in the learner's language (called when shown)."""
    return localize(FIXED_LR_TEMPLATE).format(lr=CHECK_LR)


#: The functions of ``course_utils.training`` that would do the exercise for the learner.
LIBRARY_STEPS = ("train_step", "train")
LIBRARY_HINT = N_("The exercise is to write the four steps of section 1.1 yourself: network.forward, loss.forward, "
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

    #: Known wrong steps and their hints (texts for ``localize``: N_-marked, or a function that returns one).
    MISTAKES: list[tuple[Callable, Any]] = [
        (_forgot_update,
         N_("Your parameters never changed. After the backward pass, update them: network.step(lr) does "
            "param -= lr * grad for every layer. (If you did call step, check that network.backward(loss.backward()) "
            "runs before it, or there is no gradient to step with.)")),
        (_update_before_backward,
         N_("The update happens before the backward pass, so each step uses the previous step's gradient (zeros at "
            "first). Order: forward, loss.forward, network.backward(loss.backward()), then network.step(lr).")),
        (_gradient_ascent,
         N_("Your parameters moved uphill: the loss grows. Gradient descent subtracts, param -= lr * grad. Also check "
            "the argument order loss.forward(prediction, t): swapping them flips the sign of the gradient.")),
        (_loss_after_update,
         N_("The parameters are right, but return the loss computed in the forward pass, before the update: it is "
            "the loss at the point where the gradient was taken, and it costs no extra forward pass.")),
    ] + [(_fixed_lr(lr), _fixed_lr_hint) for lr in (0.5, 2 * CHECK_LR, 1.0, 0.1, 0.05, 0.01, 0.001)]   # 2 * CHECK_LR: stepped twice

    def __init__(self) -> None:
        # Every expected trajectory is computed once, here, so that redefining training.train_step or a layer
        # method in a notebook cell later cannot change a verdict.
        self.expected_values, self.expected_params = self.trajectory(reference_train_step)
        self.mistake_trajectories = [(self.trajectory(wrong), hint) for wrong, hint in self.MISTAKES]
        self.check_X, self.check_t = _check_problem()[1:]
        super().__init__(
            name="07.train_step",
            title=N_("implement train_step(network, loss, X, t, lr): one step of gradient descent"),
            hints=[
                N_("Section 1.1 lists the four steps of a training step. Which object does each step use: the "
                   "network or the loss?"),
                N_("Four lines, in this order: forward pass, loss, backward pass, update. Then return the loss value."),
                N_("prediction = network.forward(X); value = loss.forward(prediction, t). Next, "
                   "network.backward(loss.backward()) fills every layer's grads."),
                N_("Then network.step(lr) does param -= lr * grad for every layer, and `return value` (a float). "
                   "Do not assign to layer.W: it is read-only; network.step(lr) updates the arrays in place."),
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
        returned = [step(network, loss, X, t, CHECK_LR) for _step in range(CHECK_STEPS)]
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
        for _step in range(CHECK_STEPS):
            value, _warnings = call_learner(step_keeping_none)
            returned.append(value)
            if library.called:
                raise Incorrect(_("your train_step calls training.{function}, which does the whole step "
                                  "for you.").format(function=library.called[0]), LIBRARY_HINT)
            if not (np.array_equal(X, self.check_X) and np.array_equal(t, self.check_t)):
                raise Incorrect(_("your train_step changed X or t in place."),
                                _("The data are inputs: read them, never write into them (no `X -= ...` or "
                                  "`t[...] = ...`). Only the network's parameters change in a training step."))
        params = _parameters(network)
        if len(params) != len(start) or any(a.shape != b.shape for a, b in zip(params, start)):
            raise Incorrect(ngettext("after your steps the network has {count} parameter array with shape "
                                     "{shapes}; it started with {start}: {start_shapes}.",
                                     "after your steps the network has {count} parameter arrays with shapes "
                                     "{shapes}; it started with {start}: {start_shapes}.", len(params)).format(
                                count=len(params), shapes=[p.shape for p in params],
                                start=len(start), start_shapes=[p.shape for p in start]),
                            _("A training step changes the values of the parameters, never the network itself: "
                              "do not remove, add or replace layers or parameter arrays."))
        changed = any(not np.array_equal(a, b) for a, b in zip(params, start))
        return returned, params, changed

    def grade(self, answer: Any) -> str:
        require_function(answer, "train_step")
        if answer is reference_train_step or getattr(answer, "__code__", None) is reference_train_step.__code__:
            raise Incorrect(_("you passed the course's own training.train_step, not a function of yours."),
                            LIBRARY_HINT)
        returned, params, changed = self._learner_trajectory(answer)
        if all(value is _NoReturn for value in returned):
            if not changed:
                raise NotAnswered()  # a stub whose body is `pass` or `...`
            raise Incorrect(_("your function returns nothing (None)."),
                            _("Return the loss value, the float that loss.forward(prediction, t) gave you."))
        first = returned[0]
        if isinstance(first, Layer):
            raise Incorrect(_("your function returned the loss layer {layer}, not the loss value.").format(
                                layer=describe(first)),
                            _("Return the number that loss.forward(prediction, t) returns."))
        try:
            values = np.array(returned, dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(_("your function returned {value}; expected one number (the loss).").format(
                                value=describe(first)),
                            _("Return the float that loss.forward(prediction, t) gives.")) from None
        if values.shape != (CHECK_STEPS,):
            if values.size == CHECK_STEPS:   # one number per step, wrapped in an array or a list
                hint = _("Return a single float (e.g. float(value)), not an array.")
            else:
                hint = _("Return loss.forward(prediction, t), a single float, not the prediction.")
            raise Incorrect(_("your function returned {value}; expected one number (the loss).").format(
                                value=describe(first)), hint)
        expected_values, expected_params = self.expected_values, self.expected_params
        values_ok = np.allclose(values, expected_values, rtol=1e-9, atol=1e-12)
        params_ok = _same_arrays(params, expected_params)
        if values_ok and params_ok:
            return ngettext("{count} step gives the reference loss and parameters. "
                            "This is the loop inside every training run.",
                            "{count} steps in a row give the reference losses and parameters. "
                            "This is the loop inside every training run.", CHECK_STEPS).format(count=CHECK_STEPS)
        raise Incorrect(self._describe_difference(values, params, expected_values, expected_params),
                        self._recognise(values, params))

    def _recognise(self, values: np.ndarray, params: list[np.ndarray]) -> Any:
        """The hint of the known wrong step that gives exactly these numbers (a text for ``localize``), or None."""
        for (wrong_values, wrong_params), hint in self.mistake_trajectories:
            if np.allclose(values, wrong_values, rtol=1e-9, atol=1e-12) and _same_arrays(params, wrong_params):
                return hint
        return None

    @staticmethod
    def _describe_difference(values, params, expected_values, expected_params) -> str:
        text = ngettext("after {count} step (lr = {lr}) on a small 2 → 3 → 1 network,\n"
                        "   returned loss expected: {expected}\n"
                        "   returned loss got:      {actual}",
                        "after {count} steps (lr = {lr}) on a small 2 → 3 → 1 network,\n"
                        "   returned losses expected: {expected}\n"
                        "   returned losses got:      {actual}", CHECK_STEPS).format(
            count=CHECK_STEPS, lr=CHECK_LR, expected=describe(np.array(expected_values)), actual=describe(values))
        wrong = [i for i, (a, b) in enumerate(zip(params, expected_params))
                 if a.shape != b.shape or not np.allclose(a, b)]
        if wrong:
            text += "\n   " + _("and {count} of {total} parameter arrays differ from the reference").format(
                count=len(wrong), total=len(params))
        return text

    def hint_for_error(self, error: LearnerError) -> str | None:
        """A hint for an exception raised while the learner's step ran.

        Python's and NumPy's messages are recognised by their (English) words; the messages of
        ``course_utils.layers`` are in the learner's language, so those are recognised by the
        library function that raised them (``_raised_in``).
        """
        message = f"{type(error.original).__name__}: {error.original}"
        if "has no setter" in message or "can't set attribute" in message:
            return _("layer.W and layer.b are read-only attributes: `layer.W = ...` raises AttributeError, and so "
                     "does `layer.W -= ...`, but only after it has already changed the array (`-=` subtracts in "
                     "place first, then tries to assign). Update layer.params['W'] -= lr * layer.grads['W'], or "
                     "simply call network.step(lr).")
        if _raised_in(error, "_require_forward") is not None:   # "... backward was called before forward ..."
            return _("Every backward needs its forward first: call network.forward(X), then "
                     "loss.forward(prediction, t), and only then loss.backward() and network.backward(...).")
        if "backward() missing 1 required positional argument" in message:
            return _("network.backward needs dL/d(prediction), the gradient that starts the backward pass: "
                     "pass loss.backward(), as in network.backward(loss.backward()).")
        checked = _raised_in(error, "_check_dout")   # "dout has shape (), but forward produced shape ..."
        if checked is not None and np.ndim(checked.get("dout")) == 0:
            return _("network.backward needs dL/d(prediction), an array shaped like the prediction. "
                     "loss.backward() gives exactly that: network.backward(loss.backward()).")
        if "0-dimensional" in message or "length-1" in message:
            return _("loss.backward() takes no array: it starts the backward pass from dL/dL = 1 and returns "
                     "dL/d(prediction). Call it with no argument.")
        checked = _raised_in(error, "_check_pair")   # "prediction has shape ... but target has shape ..."
        if checked is not None and np.shape(checked.get("prediction")) != np.shape(checked.get("target")):
            return _("Pass the network's output and the targets to the loss: loss.forward(network.forward(X), t).")
        return None


def _raised_in(error: LearnerError, function_name: str) -> dict | None:
    """The local variables of ``course_utils.layers``' ``function_name`` if the learner's exception was raised there.

    Only the innermost frame counts: the ``raise`` must be in that function itself, not in
    something it called (``as_float_array`` refusing a string is not a shape error).
    """
    traceback = getattr(error.original, "__traceback__", None)
    if traceback is None:
        return None
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    frame = traceback.tb_frame
    if frame.f_code.co_name == function_name and frame.f_globals.get("__name__") == "course_utils.layers":
        return dict(frame.f_locals)
    return None

train_step = TrainStepExercise()

# ---------------------------------------------------------------------- unstall
unstall = ChoiceExercise(
    name="07.unstall",
    title=N_("un-stall a deep sigmoid network"),
    question=N_("A network of 10 Affine layers, each followed by a sigmoid, with LeCun initialisation (weights "
                "N(0, 1/n_in)), trains on two moons. After 1000 steps its loss is still 0.693 (= ln 2, the loss of "
                "answering 0.5 every time), and at initialisation the weight gradient of layer 1 was about a "
                "millionth of layer 10's. Which single change is most likely to get it learning?"),
    options={
        "a": N_("train 10 times longer with the same settings"),
        "b": N_("keep the sigmoids but initialise every weight with the small N(0, 0.01²)"),
        "c": N_("use ReLU in the hidden layers, with He initialisation (keep the sigmoid at the output)"),
        "d": N_("replace the output sigmoid by a softmax over two classes"),
        "e": N_("divide the learning rate by 10"),
    },
    correct="c",
    why=N_("ReLU's slope is exactly 1 for positive inputs, so the backward signal is not multiplied by "
           "σ' ≤ 0.25 at every layer, and He initialisation keeps its size roughly level from layer to layer. "
           "The first layers get a usable gradient and start learning. (Keep an eye on the learning rate: "
           "depending on the seed, such a network can learn at lr = 0.5 and then diverge; lr = 0.2 is safer.)"),
    explanations={
        "a": N_("The first layers receive a millionth of the gradient of the last one, so their weights barely move "
                "at all: ten times longer only multiplies almost nothing by ten. Fix the flow of the gradient "
                "instead."),
        "b": N_("Smaller weights make it worse: on the way back each layer multiplies the gradient by its weights "
                "and by σ' ≤ 0.25, so tiny weights shrink it even faster. Try "
                "training.gradient_norms_per_layer('sigmoid', 10, scheme='small')."),
        "d": N_("The output is not the problem: softmax over two classes is the same function as one sigmoid "
                "(notebook 05). The gradient vanishes in the ten hidden sigmoids."),
        "e": N_("A smaller learning rate scales every update down, the already tiny updates of the first layers "
                "included. It helps when the loss explodes, not when it is stuck."),
    },
    hints=[
        N_("Which factor multiplies the gradient at every layer on its way back to the input?"),
        N_("Besides the weights, every layer multiplies the gradient by the slope f'(z) of its activation "
           "(section 3). How large can σ'(z) be?"),
        N_("σ'(z) is at most 0.25 (notebook 02). Which activation has slope exactly 1 wherever it is active, and "
           "which initialisation goes with it?"),
    ],
)

# ------------------------------------------------------------ output_activation
output_activation = ChoiceExercise(
    name="07.output_activation",
    title=N_("choose the output activation for three tasks"),
    question=N_("Three networks share the same ReLU hidden layers but do different jobs: (1) predict tomorrow's "
                "temperature in °C, which can be negative; (2) say whether an email is spam; (3) say which one of "
                "10 digits an image shows. Which output activations, in the order (1), (2), (3)?"),
    options={
        "a": N_("identity, sigmoid, softmax"),
        "b": N_("sigmoid, sigmoid, sigmoid"),
        "c": N_("ReLU, softmax over one output, sigmoid"),
        "d": N_("tanh, step, softmax"),
    },
    correct="a",
    why=N_("A temperature can be any real number, so the output is the raw affine value (identity, trained with "
           "MSE). Spam or not is one yes/no event: one sigmoid gives its probability (BCE). One digit out of 10 "
           "is one choice among mutually exclusive classes: softmax gives 10 probabilities that sum to 1 "
           "(cross-entropy)."),
    explanations={
        "b": N_("A sigmoid squeezes the temperature into (0, 1), so the network can never say 25 °C. And ten "
                "independent sigmoids do not make the ten digits compete: their outputs need not sum to 1."),
        "c": N_("ReLU cannot output a negative temperature such as −5 °C. A softmax over a single output is always "
                "exactly 1, whatever the email; and one sigmoid cannot choose among 10 digits."),
        "d": N_("tanh only reaches (−1, 1), too narrow for temperatures. The step's derivative is 0 wherever it "
                "exists (it is undefined at the jump; notebook 01), so no gradient would ever reach the spam "
                "network's weights."),
    },
    hints=[
        N_("Ask of each task: what values must the output be able to take?"),
        N_("(1) any real number, negative too; (2) one probability; (3) ten probabilities of classes that exclude "
           "each other."),
        N_("Any real number: no squashing (identity). One probability in (0, 1): sigmoid. Probabilities of n "
           "exclusive classes must sum to 1: softmax. Section 6's table has one row for each."),
    ],
)
