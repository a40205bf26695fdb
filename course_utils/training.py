r"""Training small networks, and measuring what happens inside them.

Everything here works on a :class:`~course_utils.layers.Sequential` of course layers:

* ``mlp`` builds Affine → activation → ... → Affine (→ output activation);
* ``train_step`` is one step of full-batch gradient descent, ``train`` repeats it;
* ``weight_gradient_norms`` and ``gradient_norms_per_layer`` show how the gradient
  shrinks (or not) on its way back to the input;
* ``dead_unit_fraction`` counts ReLU units that output 0 for every input.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .i18n import _
from .layers import Affine, Identity, LeakyReLU, MSELoss, ReLU, Sequential, Sigmoid, Tanh, _check_layer
from .validation import as_float_array, as_generator, check_choice, check_positive, check_positive_int

__all__ = ["HIDDEN_LAYERS", "DEFAULT_SCHEME", "mlp", "train_step", "train", "weight_gradient_norms",
           "gradient_norms_per_layer", "dead_unit_fraction"]

#: Activation name -> layer class, for ``mlp``.
HIDDEN_LAYERS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "leaky_relu": LeakyReLU, "identity": Identity}

#: The initialisation that suits each activation: LeCun, N(0, 1/n_in), for the S-shaped
#: ones, He, N(0, 2/n_in), for the ReLU family (see ``Affine.initialise``).
DEFAULT_SCHEME = {"sigmoid": "lecun", "tanh": "lecun", "identity": "lecun", "relu": "he", "leaky_relu": "he"}


def _check_activation(name: object, argument: str) -> str:
    return check_choice(name, sorted(HIDDEN_LAYERS), argument)


def _check_network(network: object) -> Sequential:
    """Raise a TypeError naming ``network`` unless it is a ``Sequential`` (or behaves like one)."""
    if isinstance(network, type):
        raise TypeError(_("network is the class {cls}, not a network: build one first, "
                          "e.g. training.mlp([2, 8, 1], 'tanh', rng=0)").format(cls=network.__name__))
    if not all(callable(getattr(network, method, None)) for method in ("forward", "backward", "step")) or \
            not isinstance(getattr(network, "layers", None), list):
        raise TypeError(_("network must be a Sequential (with layers, forward, backward and step), got {kind}")
                        .format(kind=type(network).__name__))
    return network


def _check_loss(loss: object) -> None:
    """Raise a TypeError naming ``loss`` unless it is a loss layer *instance*."""
    if isinstance(loss, type):
        raise TypeError(_("loss is the class {cls}, not a loss layer: write {cls}() with parentheses")
                        .format(cls=loss.__name__))
    _check_layer(loss, "loss")


def _check_lr(lr: object) -> float:
    return check_positive(lr, "lr")


def mlp(sizes: Sequence[int], activation: str, rng, output: str | None = None,
        scheme: str | None = None) -> Sequential:
    """A multi-layer perceptron: Affine layers with ``activation`` between them.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[2, 16, 16, 1]`` gives
        Affine(2→16) → act → Affine(16→16) → act → Affine(16→1).
    activation : str
        Hidden activation: ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"`` or ``"identity"``.
    rng : numpy.random.Generator or int
        Draws the initial weights (biases start at 0).
    output : str, optional
        Activation after the last Affine (e.g. ``"sigmoid"`` for a binary
        classifier). ``None`` leaves the raw scores (logits).
    scheme : str, optional
        ``"lecun"``, ``"glorot"`` (or ``"xavier"``), ``"he"`` or ``"small"``; see
        ``Affine.initialise``. Default: ``DEFAULT_SCHEME[activation]`` (LeCun for
        sigmoid, tanh and identity; He for the ReLU family).
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(_("sizes must be a list of layer widths such as [2, 16, 1], got {kind}")
                        .format(kind=type(sizes).__name__))
    sizes = [check_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(_("sizes needs at least an input and an output width, got {sizes}").format(sizes=sizes))
    activation = _check_activation(activation, "activation")
    if output is not None:
        _check_activation(output, "output")
    rng = as_generator(rng)
    scheme = DEFAULT_SCHEME[activation] if scheme is None else scheme
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Affine.initialise(n_in, n_out, rng, scheme=scheme))
        is_last = i == len(sizes) - 2
        if not is_last:
            layers.append(HIDDEN_LAYERS[activation]())
        elif output is not None:
            layers.append(HIDDEN_LAYERS[output]())
    return Sequential(layers)


def train_step(network: Sequential, loss, X, y, lr: float) -> float:
    """One step of gradient descent on the whole batch; returns the loss *before* the update.

    1. forward: ``prediction = network.forward(X)``;
    2. loss: ``value = loss.forward(prediction, y)``;
    3. backward: ``network.backward(loss.backward())`` fills every ``grads``;
    4. update: ``network.step(lr)`` does ``param -= lr * grad``.

    ``network`` is a ``Sequential``, ``loss`` a loss layer such as ``BCELoss()``,
    ``lr`` a positive learning rate; anything else is a clear ``TypeError``/``ValueError``.
    """
    _check_network(network)
    _check_loss(loss)
    lr = _check_lr(lr)
    prediction = network.forward(X)
    value = loss.forward(prediction, y)
    network.backward(loss.backward())
    network.step(lr)
    return value


def train(network: Sequential, loss, X, y, lr: float, epochs: int) -> list[float]:
    """Full-batch gradient descent for ``epochs`` steps; returns the loss of every step.

    ``y`` must have the network's output shape, e.g. ``(n, 1)`` for one sigmoid output.
    """
    _check_network(network)
    _check_loss(loss)
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    lr = _check_lr(lr)
    epochs = check_positive_int(epochs, "epochs")
    return [train_step(network, loss, X, y, lr) for _epoch in range(epochs)]


def weight_gradient_norms(network: Sequential) -> np.ndarray:
    """The norm ‖∂L/∂W‖ of each Affine layer's weight gradient, input side first.

    Call it after ``network.backward(...)``: it reads the stored ``grads``.
    """
    _check_network(network)
    return np.array([np.linalg.norm(layer.grads["W"]) for layer in network.layers if isinstance(layer, Affine)])


def gradient_norms_per_layer(activation: str, depth: int, width: int = 32, rng=0, samples: int = 64,
                             scheme: str | None = None) -> np.ndarray:
    r"""‖∂L/∂W‖ for each of ``depth`` Affine layers of a fresh, untrained network.

    The network is ``depth`` blocks of Affine(width→width) followed by ``activation``.
    It gets ``samples`` random inputs, its outputs are compared with random targets
    by the mean squared error, and one backward pass fills the gradients.

    For sigmoid each layer multiplies the backward signal by :math:`\sigma' \le 0.25`,
    so the norms shrink geometrically towards the input (the vanishing gradient);
    ReLU with He initialisation keeps them roughly level.

    Parameters
    ----------
    activation : str
        A key of ``HIDDEN_LAYERS``.
    depth : int
        Number of Affine layers, >= 1.
    width : int
        Units per layer.
    rng : numpy.random.Generator or int
        Weights, inputs and targets are drawn from it. With an integer seed the
        result depends only on the arguments.
    samples : int
        Batch size.
    scheme : str, optional
        Weight initialisation; default ``DEFAULT_SCHEME[activation]``.

    Returns
    -------
    ndarray, shape (depth,)
        Entry 0 is the layer next to the input.
    """
    activation = _check_activation(activation, "activation")
    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    samples = check_positive_int(samples, "samples")
    rng = as_generator(rng)
    network = mlp([width] * (depth + 1), activation, rng, output=activation, scheme=scheme)
    X = rng.standard_normal((samples, width))
    targets = rng.standard_normal((samples, width))
    loss = MSELoss()
    loss.forward(network.forward(X), targets)
    network.backward(loss.backward())
    return weight_gradient_norms(network)


def dead_unit_fraction(network: Sequential, X) -> float:
    """Fraction of ReLU units (over all ReLU layers) that output 0 for *every* row of ``X``.

    Such a unit passes no gradient back for any of these inputs (``relu_grad`` is 0
    for ``z <= 0``), so gradient descent can no longer change the weights feeding it:
    it is "dead" on this data. Runs ``network.forward(X)`` and reads each ReLU layer's
    cached mask.
    """
    _check_network(network)
    network.forward(as_float_array(X, "X"))
    masks = [layer.local_grad for layer in network.layers if isinstance(layer, ReLU)]
    if not masks:
        raise ValueError(_("network has no ReLU layer, so no unit can be dead"))
    dead = 0
    total = 0
    for mask in masks:
        rows = mask.reshape(-1, mask.shape[-1])
        dead += int(np.sum(np.all(rows == 0, axis=0)))
        total += rows.shape[1]
    return dead / total
