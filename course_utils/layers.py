r"""Layers with ``forward`` and ``backward``, in the style of *Deep Learning from Scratch*.

Every layer

* caches in ``forward(x)`` exactly what ``backward`` needs, as its own copy: changing
  ``x`` (or the returned output) between ``forward`` and ``backward`` cannot corrupt
  the gradients;
* returns ``dx = dL/dx`` from ``backward(dout)``, where ``dout = dL/d(output)``;
* never modifies ``dout`` (the classic ``Relu.backward`` did ``dout[mask] = 0``);
* raises ``RuntimeError`` when ``backward`` is called before ``forward``;
* works for batches of any leading shape ``(..., features)``.

Layers with parameters keep them in ``params`` (name -> array) and their
gradients in ``grads`` (same names), so ``gradient_check`` and ``Sequential.step``
can treat every layer the same way.

The element-wise layers take their local derivative from ``activations``
(``relu_grad`` and friends), so the convention at the kink (x = 0 counts as the
"off" side) is the same everywhere.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np

from .activations import leaky_relu, leaky_relu_grad, log_softmax, relu, relu_grad, sigmoid, softmax, tanh
from .i18n import _
from .validation import as_float_array, as_generator, check_all_finite, check_choice, check_positive_int, check_real

__all__ = [
    "Layer", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity", "Affine",
    "MSELoss", "BCELoss", "SoftmaxCrossEntropy", "Sequential",
]


class Layer:
    """Base class: parameter bookkeeping and the "forward first" check."""

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def _require_forward(self, cached: object) -> None:
        if cached is None:
            raise RuntimeError(_("{layer}.backward was called before forward: call forward(x) first")
                               .format(layer=type(self).__name__))

    def _check_dout(self, dout, expected_shape: tuple) -> np.ndarray:
        dout = as_float_array(dout, "dout")
        if dout.shape != expected_shape:
            raise ValueError(_("dout has shape {shape}, but forward produced shape {expected}")
                             .format(shape=dout.shape, expected=expected_shape))
        return dout

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Layer):
    r"""Sigmoid layer. Caches its output ``out`` because :math:`\sigma' = y(1-y)`.

    Storing ``y`` rather than ``x`` means backward needs no second ``exp``.
    ``forward`` returns a copy of ``out``, so a caller who changes the result in place
    cannot change what ``backward`` uses.
    """

    def __init__(self) -> None:
        super().__init__()
        self.out: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        self.out = sigmoid(x)
        return self.out.copy(order="K")

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.out)
        dout = self._check_dout(dout, self.out.shape)
        return dout * (1.0 - self.out) * self.out


class Tanh(Layer):
    r"""Tanh layer. Caches its output ``out`` because :math:`\tanh' = 1 - y^2`."""

    def __init__(self) -> None:
        super().__init__()
        self.out: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        self.out = tanh(x)
        return self.out.copy(order="K")  # the caller may change the result; backward keeps its own y

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.out)
        dout = self._check_dout(dout, self.out.shape)
        return dout * (1.0 - self.out**2)


class ReLU(Layer):
    """ReLU layer. Caches the local derivative ``relu_grad(x)`` (a 0/1 mask; 0 at x = 0)."""

    def __init__(self) -> None:
        super().__init__()
        self.local_grad: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        self.local_grad = relu_grad(x)
        return relu(x)

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.local_grad)
        dout = self._check_dout(dout, self.local_grad.shape)
        return dout * self.local_grad


class LeakyReLU(Layer):
    """Leaky ReLU layer with slope ``alpha`` for ``x <= 0``. Caches ``leaky_relu_grad(x)``."""

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = check_real(alpha, "alpha")
        self.local_grad: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        self.local_grad = leaky_relu_grad(x, self.alpha)
        return leaky_relu(x, self.alpha)

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.local_grad)
        dout = self._check_dout(dout, self.local_grad.shape)
        return dout * self.local_grad

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


class Identity(Layer):
    """Identity layer: passes values forward and gradients backward unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.shape: tuple | None = None

    def forward(self, x) -> np.ndarray:
        x = as_float_array(x)
        self.shape = x.shape
        return x.copy()

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.shape)
        return self._check_dout(dout, self.shape).copy()


class Affine(Layer):
    r"""Fully connected layer :math:`y = xW + b`.

    Parameters
    ----------
    W : array_like, shape (n_in, n_out)
    b : array_like, shape (n_out,)

    Shapes
    ------
    ``forward``: ``x`` of shape ``(..., n_in)`` gives ``(..., n_out)``.
    ``backward``: ``dx = dout @ W.T``; ``dW = x.T @ dout`` and ``db = sum(dout)``,
    summed over every leading (batch) axis.

    ``forward`` caches a copy of ``x``: ``dW`` needs the input, and the caller may
    reuse or change its array before ``backward`` runs.
    """

    def __init__(self, W, b) -> None:
        super().__init__()
        W = as_float_array(W, "W").astype(np.float64)
        b = as_float_array(b, "b").astype(np.float64)
        if W.ndim != 2:
            raise ValueError(_("W must be 2-D with shape (n_in, n_out), got shape {shape}").format(shape=W.shape))
        if b.shape != (W.shape[1],):
            raise ValueError(_("b must have shape ({n_out},) to match W's {n_out} outputs, got {shape}")
                             .format(n_out=W.shape[1], shape=b.shape))
        check_all_finite(W, "W")
        check_all_finite(b, "b")
        self.params = {"W": W.copy(), "b": b.copy()}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.x: np.ndarray | None = None

    #: The names that ``initialise`` accepts for ``scheme`` ("xavier" is another name for "glorot").
    SCHEMES = ("lecun", "glorot", "xavier", "he", "small")

    @classmethod
    def initialise(cls, n_in: int, n_out: int, rng, scheme: str = "lecun") -> "Affine":
        r"""A layer with random weights :math:`W \sim N(0, \sigma^2)` and zero bias.

        Parameters
        ----------
        n_in, n_out : int
            Number of inputs and outputs (W has shape ``(n_in, n_out)``), each >= 1.
        rng : numpy.random.Generator or int
            The generator to draw from, or a seed.
        scheme : str
            The variance :math:`\sigma^2` of the weights:

            * ``"lecun"`` (default): :math:`1/n_\text{in}` (LeCun et al., 1998); it keeps the
              variance of ``x @ W`` equal to that of one input, which suits sigmoid and tanh;
            * ``"glorot"``, also called ``"xavier"``: :math:`2/(n_\text{in} + n_\text{out})`
              (Glorot and Bengio, 2010), a compromise between the forward and backward passes;
            * ``"he"``: :math:`2/n_\text{in}` (He et al., 2015): ReLU zeroes half its inputs,
              so it needs twice the variance;
            * ``"small"``: :math:`0.01^2`, the classic textbook choice (it makes the signal
              shrink in deep networks).
        """
        n_in = check_positive_int(n_in, "n_in")
        n_out = check_positive_int(n_out, "n_out")
        rng = as_generator(rng)
        check_choice(scheme, sorted(cls.SCHEMES), "scheme")
        if scheme == "small":
            standard_deviation = 0.01
        else:
            variances = {"lecun": 1.0 / n_in, "glorot": 2.0 / (n_in + n_out), "xavier": 2.0 / (n_in + n_out),
                         "he": 2.0 / n_in}
            standard_deviation = np.sqrt(variances[scheme])
        W = rng.standard_normal((n_in, n_out)) * standard_deviation
        return cls(W, np.zeros(n_out))

    @property
    def W(self) -> np.ndarray:
        return self.params["W"]

    @property
    def b(self) -> np.ndarray:
        return self.params["b"]

    @property
    def dW(self) -> np.ndarray:
        return self.grads["W"]

    @property
    def db(self) -> np.ndarray:
        return self.grads["b"]

    def forward(self, x) -> np.ndarray:
        x = as_float_array(x)
        if x.ndim == 0 or x.shape[-1] != self.W.shape[0]:
            raise ValueError(_("x must have shape (..., {n_in}) to match W, got {shape}")
                             .format(n_in=self.W.shape[0], shape=x.shape))
        self.x = x.copy(order="K")  # our own copy: dW = x.T @ dout must see the x of this forward pass
        return self.x @ self.W + self.b

    def backward(self, dout) -> np.ndarray:
        self._require_forward(self.x)
        dout = self._check_dout(dout, self.x.shape[:-1] + (self.W.shape[1],))
        x_rows = self.x.reshape(-1, self.W.shape[0])
        dout_rows = dout.reshape(-1, self.W.shape[1])
        self.grads["W"] = x_rows.T @ dout_rows
        self.grads["b"] = dout_rows.sum(axis=0)
        return dout @ self.W.T

    def __repr__(self) -> str:
        return f"Affine(n_in={self.W.shape[0]}, n_out={self.W.shape[1]})"


# -------------------------------------------------------------------------- losses
class _Loss(Layer):
    """Shared checks for loss layers: ``forward(prediction, target)`` returns a float.

    Loss layers keep their own copies of ``prediction`` and ``target``.
    """

    def _check_pair(self, prediction, target) -> tuple[np.ndarray, np.ndarray]:
        prediction = as_float_array(prediction, "prediction").copy(order="K")  # our own copies, kept for backward
        target = as_float_array(target, "target").copy(order="K")
        if prediction.shape != target.shape:
            if prediction.shape == target.shape + (1,):  # targets without the column axis: say how to add it
                message = _("prediction has shape {prediction_shape} but target has shape {target_shape} "
                            "(for one output per example, pass the targets as a column: y[:, None])")
            else:
                message = _("prediction has shape {prediction_shape} but target has shape {target_shape}")
            raise ValueError(message.format(prediction_shape=prediction.shape, target_shape=target.shape))
        if prediction.size == 0:
            raise ValueError(_("prediction is empty: a loss needs at least one value"))
        return prediction, target

    def backward(self, dout=1.0) -> np.ndarray:
        self._require_forward(getattr(self, "target", None))
        dout = check_real(float(as_float_array(dout, "dout")), "dout")
        return dout * self._local_gradient()


def _check_probabilities(values: np.ndarray, name: str) -> None:
    """Raise a ValueError naming ``name`` ("prediction" or "target") unless every entry lies in [0, 1].

    Each argument has its own whole sentences (a translator can then word each one naturally).
    """
    if np.any(np.isnan(values)):
        if name == "prediction":
            raise ValueError(_("prediction contains NaN; it must hold probabilities (sigmoid outputs, not logits) "
                               "in [0, 1]"))
        raise ValueError(_("target contains NaN; it must hold targets in [0, 1]"))
    if values.min() < 0 or values.max() > 1:
        if name == "prediction":
            message = _("prediction must hold probabilities (sigmoid outputs, not logits) in [0, 1], "
                        "got values from {low:.4g} to {high:.4g}")
        else:
            message = _("target must hold targets in [0, 1], got values from {low:.4g} to {high:.4g}")
        raise ValueError(message.format(low=values.min(), high=values.max()))


class MSELoss(_Loss):
    r"""Mean squared error :math:`L = \frac{1}{N}\sum (y - t)^2` over all N elements.

    ``backward()`` returns :math:`\partial L/\partial y = 2(y - t)/N`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.prediction: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, prediction, target) -> float:
        self.prediction, self.target = self._check_pair(prediction, target)
        return float(np.mean((self.prediction - self.target) ** 2))

    def _local_gradient(self) -> np.ndarray:
        return 2 * (self.prediction - self.target) / self.prediction.size


class BCELoss(_Loss):
    r"""Binary cross-entropy on probabilities, averaged over all N elements.

    .. math:: L = -\frac{1}{N}\sum \big[t \log p + (1 - t)\log(1 - p)\big]

    Parameters
    ----------
    eps : float
        ``p`` is clipped to ``[eps, 1 - eps]`` so a saturated sigmoid output (exactly
        0 or 1 in float64) gives a large but finite loss instead of ``log(0)``.
        A small positive number, ``0 < eps < 0.5``.

    ``forward(p, t)`` takes probabilities ``p`` in [0, 1] (sigmoid outputs, not logits)
    and targets ``t`` in [0, 1] (usually 0/1 labels) of the same shape; anything else is
    a ``ValueError``. ``backward()`` returns :math:`(p - t) / (p(1-p)N)` at the clipped ``p``.
    """

    def __init__(self, eps: float = 1e-12) -> None:
        super().__init__()
        self.eps = check_real(eps, "eps")
        if not 0 < self.eps < 0.5:
            raise ValueError(_("eps must be a small positive number (0 < eps < 0.5), got {eps}").format(eps=self.eps))
        self.p: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, prediction, target) -> float:
        prediction, target = self._check_pair(prediction, target)
        _check_probabilities(prediction, "prediction")
        _check_probabilities(target, "target")
        self.target = target
        self.p = np.clip(prediction, self.eps, 1 - self.eps)
        losses = self.target * np.log(self.p) + (1 - self.target) * np.log1p(-self.p)
        return float(-np.mean(losses))

    def _local_gradient(self) -> np.ndarray:
        return (self.p - self.target) / (self.p * (1 - self.p) * self.p.size)


class SoftmaxCrossEntropy(_Loss):
    r"""Softmax followed by cross-entropy, on logits of shape ``(batch, classes)``.

    .. math:: L = -\frac{1}{B}\sum_{n} \sum_k t_{nk} \log \mathrm{softmax}(z_n)_k

    ``target`` holds one-hot (or probability) rows of the same shape: non-negative,
    each row summing to 1 (within 1e-6); anything else is a ``ValueError``. Uses
    ``log_softmax``, so large logits cannot overflow. ``backward()`` returns the
    famously simple :math:`(\mathrm{softmax}(z) - t)/B`.

    A logit of ``-inf`` masks its class (probability exactly 0). A masked class with
    target 0 adds exactly 0 to the loss (the convention :math:`0 \log 0 = 0`); with a
    positive target the loss is ``inf``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.probabilities: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, prediction, target) -> float:
        logits, target = as_float_array(prediction, "prediction"), as_float_array(target, "target")
        if logits.ndim == 2 and target.shape == logits.shape[:1]:
            raise ValueError(_("target has shape {target_shape}, one class label per example, but SoftmaxCrossEntropy "
                               "needs one-hot rows of shape {logits_shape}: np.eye({classes})[labels] "
                               "turns labels into them")
                             .format(target_shape=target.shape, logits_shape=logits.shape, classes=logits.shape[1]))
        logits, target = self._check_pair(logits, target)
        if logits.ndim != 2:
            raise ValueError(_("logits must be 2-D (batch, classes), got shape {shape}").format(shape=logits.shape))
        if np.any(np.isnan(logits)):
            raise ValueError(_("prediction (the logits) contains NaN"))
        if np.any(np.all(np.isneginf(logits), axis=-1)):
            raise ValueError(_("prediction (the logits) has a row of only -inf: no class is left to predict"))
        _check_distributions(target)
        self.target = target
        self.probabilities = softmax(logits, axis=-1)
        log_probabilities = log_softmax(logits, axis=-1)
        # t * log p, but exactly 0 where t == 0: a masked class (log p = -inf) would give 0 * -inf = NaN.
        terms = np.multiply(target, log_probabilities, out=np.zeros_like(log_probabilities), where=target > 0)
        return float(-np.sum(terms) / logits.shape[0])

    def _local_gradient(self) -> np.ndarray:
        return (self.probabilities - self.target) / self.target.shape[0]


def _check_distributions(target: np.ndarray) -> None:
    """Raise a ValueError naming ``target`` unless each row is a probability distribution."""
    if not np.all(np.isfinite(target)):
        raise ValueError(_("target must contain only finite numbers (one-hot or probability rows)"))
    if np.any(target < 0):
        raise ValueError(_("target must be non-negative (one-hot or probability rows), got {value:.4g}")
                         .format(value=target.min()))
    row_sums = target.sum(axis=-1)
    wrong = np.flatnonzero(np.abs(row_sums - 1) > 1e-6)
    if wrong.size:
        raise ValueError(_("each row of target must sum to 1 (one-hot or probability rows); row {row} "
                           "sums to {total:.6g}").format(row=wrong[0], total=row_sums[wrong[0]]))


# ------------------------------------------------------------------------ sequence
def _check_layer(layer: object, name: str) -> None:
    """Raise a TypeError naming ``name`` unless ``layer`` has ``forward`` and ``backward`` methods."""
    if isinstance(layer, type):
        raise TypeError(_("{name} is the class {cls}, not a layer: write {cls}() with parentheses to make one")
                        .format(name=name, cls=layer.__name__))
    if not (callable(getattr(layer, "forward", None)) and callable(getattr(layer, "backward", None))):
        raise TypeError(_("{name} must be a layer with forward and backward methods, got {kind}")
                        .format(name=name, kind=type(layer).__name__))


class Sequential:
    """A list of layers applied in order; ``backward`` runs them in reverse.

    Parameters
    ----------
    layers : list of layers
        Objects with ``forward`` and ``backward`` (and, for trainable layers, ``params``
        and ``grads``). At least one.

    >>> net = Sequential([Affine.initialise(2, 3, rng), Sigmoid(), Affine.initialise(3, 1, rng), Sigmoid()])
    >>> y = net.forward(X); loss = MSELoss(); loss.forward(y, t)
    >>> net.backward(loss.backward()); net.step(lr=0.5)
    """

    def __init__(self, layers: Iterable[Layer]) -> None:
        if hasattr(layers, "forward") or isinstance(layers, (str, bytes, type)):
            raise TypeError(_("layers must be a list of layers, e.g. Sequential([Affine(W, b), Sigmoid()]); "
                              "got a single {kind}: put it in [ ]")
                            .format(kind=getattr(layers, "__name__", type(layers).__name__)))
        try:
            layers = list(layers)
        except TypeError:
            raise TypeError(_("layers must be a list of layers, got {kind}").format(kind=type(layers).__name__)) \
                from None
        if not layers:
            raise ValueError(_("layers is empty: a Sequential needs at least one layer"))
        for i, layer in enumerate(layers):
            _check_layer(layer, f"layers[{i}]")
        self.layers = layers

    def forward(self, x) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout) -> np.ndarray:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def step(self, lr: float) -> None:
        """Plain gradient descent: ``param -= lr * grad`` for every parameter, in place."""
        lr = check_real(lr, "lr")
        for i, layer in enumerate(self.layers):
            grads = getattr(layer, "grads", {})
            for name, param in getattr(layer, "params", {}).items():
                if name not in grads:
                    raise ValueError(_("layers[{index}] has params['{name}'] but no grads['{name}']: "
                                       "call backward before step").format(index=i, name=name))
                grad = np.asarray(grads[name])
                if grad.shape != np.shape(param):
                    raise ValueError(_("layers[{index}].grads['{name}'] has shape {shape}, but the parameter has "
                                       "shape {expected}").format(index=i, name=name, shape=grad.shape,
                                                                  expected=np.shape(param)))
                param -= lr * grad

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"
