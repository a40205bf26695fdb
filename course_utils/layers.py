r"""Layers with ``forward`` and ``backward``, in the style of *Deep Learning from Scratch*.

Every layer

* caches in ``forward(x)`` exactly what ``backward`` needs;
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
from .validation import as_float_array, check_real

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
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward: call forward(x) first")

    def _check_dout(self, dout, expected_shape: tuple) -> np.ndarray:
        dout = as_float_array(dout, "dout")
        if dout.shape != expected_shape:
            raise ValueError(f"dout has shape {dout.shape}, but forward produced shape {expected_shape}")
        return dout

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Sigmoid(Layer):
    r"""Sigmoid layer. Caches its output ``out`` because :math:`\sigma' = y(1-y)`.

    Storing ``y`` rather than ``x`` means backward needs no second ``exp``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.out: np.ndarray | None = None

    def forward(self, x) -> np.ndarray:
        self.out = sigmoid(x)
        return self.out

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
        return self.out

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
    """

    def __init__(self, W, b) -> None:
        super().__init__()
        W = as_float_array(W, "W").astype(np.float64)
        b = as_float_array(b, "b").astype(np.float64)
        if W.ndim != 2:
            raise ValueError(f"W must be 2-D with shape (n_in, n_out), got shape {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"b must have shape ({W.shape[1]},) to match W's {W.shape[1]} outputs, got {b.shape}")
        self.params = {"W": W.copy(), "b": b.copy()}
        self.grads = {"W": np.zeros_like(W), "b": np.zeros_like(b)}
        self.x: np.ndarray | None = None

    @classmethod
    def initialise(cls, n_in: int, n_out: int, rng: np.random.Generator, scheme: str = "xavier") -> "Affine":
        """A layer with random weights and zero bias.

        ``scheme="xavier"`` draws W ~ N(0, 1/n_in) (suits sigmoid and tanh);
        ``"he"`` draws W ~ N(0, 2/n_in) (suits ReLU); ``"small"`` uses N(0, 0.01^2),
        the classic textbook choice.
        """
        scales = {"xavier": np.sqrt(1.0 / n_in), "he": np.sqrt(2.0 / n_in), "small": 0.01}
        if scheme not in scales:
            raise ValueError(f"scheme must be one of {sorted(scales)}, got {scheme!r}")
        W = rng.standard_normal((n_in, n_out)) * scales[scheme]
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
            raise ValueError(f"x must have shape (..., {self.W.shape[0]}) to match W, got {x.shape}")
        self.x = x
        return x @ self.W + self.b

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
    """Shared checks for loss layers: ``forward(prediction, target)`` returns a float."""

    def _check_pair(self, prediction, target) -> tuple[np.ndarray, np.ndarray]:
        prediction = as_float_array(prediction, "prediction")
        target = as_float_array(target, "target")
        if prediction.shape != target.shape:
            raise ValueError(f"prediction has shape {prediction.shape} but target has shape {target.shape}")
        if prediction.size == 0:
            raise ValueError("prediction is empty: a loss needs at least one value")
        return prediction, target

    def backward(self, dout=1.0) -> np.ndarray:
        self._require_forward(getattr(self, "target", None))
        dout = check_real(float(as_float_array(dout, "dout")), "dout")
        return dout * self._local_gradient()


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

    ``p`` is clipped to ``[eps, 1 - eps]`` so a saturated sigmoid output (exactly
    0 or 1 in float64) gives a large but finite loss instead of ``log(0)``.
    ``backward()`` returns :math:`(p - t) / (p(1-p)N)` at the clipped ``p``.
    """

    def __init__(self, eps: float = 1e-12) -> None:
        super().__init__()
        self.eps = check_real(eps, "eps")
        self.p: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, prediction, target) -> float:
        prediction, self.target = self._check_pair(prediction, target)
        self.p = np.clip(prediction, self.eps, 1 - self.eps)
        losses = self.target * np.log(self.p) + (1 - self.target) * np.log1p(-self.p)
        return float(-np.mean(losses))

    def _local_gradient(self) -> np.ndarray:
        return (self.p - self.target) / (self.p * (1 - self.p) * self.p.size)


class SoftmaxCrossEntropy(_Loss):
    r"""Softmax followed by cross-entropy, on logits of shape ``(batch, classes)``.

    .. math:: L = -\frac{1}{B}\sum_{n} \sum_k t_{nk} \log \mathrm{softmax}(z_n)_k

    ``target`` holds one-hot (or probability) rows of the same shape. Uses
    ``log_softmax``, so large logits cannot overflow. ``backward()`` returns the
    famously simple :math:`(\mathrm{softmax}(z) - t)/B`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.probabilities: np.ndarray | None = None
        self.target: np.ndarray | None = None

    def forward(self, prediction, target) -> float:
        logits, self.target = self._check_pair(prediction, target)
        if logits.ndim != 2:
            raise ValueError(f"logits must be 2-D (batch, classes), got shape {logits.shape}")
        self.probabilities = softmax(logits, axis=-1)
        return float(-np.sum(self.target * log_softmax(logits, axis=-1)) / logits.shape[0])

    def _local_gradient(self) -> np.ndarray:
        return (self.probabilities - self.target) / self.target.shape[0]


# ------------------------------------------------------------------------ sequence
class Sequential:
    """A list of layers applied in order; ``backward`` runs them in reverse.

    >>> net = Sequential([Affine.initialise(2, 3, rng), Sigmoid(), Affine.initialise(3, 1, rng), Sigmoid()])
    >>> y = net.forward(X); loss = MSELoss(); loss.forward(y, t)
    >>> net.backward(loss.backward()); net.step(lr=0.5)
    """

    def __init__(self, layers: Iterable[Layer]) -> None:
        self.layers = list(layers)

    def forward(self, x) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout) -> np.ndarray:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def step(self, lr: float) -> None:
        """Plain gradient descent: ``param -= lr * grad`` for every parameter."""
        lr = check_real(lr, "lr")
        for layer in self.layers:
            for name, param in layer.params.items():
                param -= lr * layer.grads[name]

    def __repr__(self) -> str:
        return "Sequential([" + ", ".join(repr(layer) for layer in self.layers) + "])"
