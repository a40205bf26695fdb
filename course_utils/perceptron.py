r"""A single artificial neuron: an affine map followed by an activation.

.. math:: z = \mathbf{w} \cdot \mathbf{x} + b, \qquad y = f(z)

With the step function as ``f`` this is Rosenblatt's perceptron, which ``fit``
trains with the perceptron learning rule.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .activations import step
from .i18n import _
from .validation import as_float_array, check_positive, check_positive_int, check_real

__all__ = ["Perceptron"]


class Perceptron:
    """One neuron with weights ``w``, bias ``b`` and an activation function.

    Parameters
    ----------
    weights : array_like, shape (n_features,)
    bias : float
    activation : callable
        Applied to ``z`` element-wise. Default :func:`~course_utils.step`.

    Examples
    --------
    >>> neuron = Perceptron([0.3, 0.2, 0.5], bias=-0.5, activation=sigmoid)
    >>> neuron.affine([2, 2, 2])          # 0.3*2 + 0.2*2 + 0.5*2 - 0.5
    1.5
    """

    def __init__(self, weights, bias: float = 0.0, activation: Callable = step) -> None:
        weights = as_float_array(weights, "weights").astype(np.float64)
        if weights.ndim != 1 or weights.size == 0:
            raise ValueError(_("weights must be a non-empty 1-D array, got shape {shape}").format(shape=weights.shape))
        if not np.all(np.isfinite(weights)):
            raise ValueError(_("weights must be finite"))
        if not callable(activation):
            raise TypeError(_("activation must be a function, got {kind}").format(kind=type(activation).__name__))
        self.weights = weights.copy()
        self.bias = check_real(bias, "bias")
        self.activation = activation

    def _check_input(self, x, name: str = "x") -> np.ndarray:
        x = as_float_array(x, name)
        n = self.weights.size
        if x.ndim not in (1, 2) or x.shape[-1] != n:
            raise ValueError(_("{name} must have shape ({n},) or (n_samples, {n}) to match the weights, got {shape}")
                             .format(name=name, n=n, shape=x.shape))
        return x

    def affine(self, x) -> float | np.ndarray:
        """``z = x · w + b``: a float for one input of shape (n,), an array (m,) for a batch (m, n)."""
        x = self._check_input(x)
        z = x @ self.weights + self.bias
        return float(z) if x.ndim == 1 else z

    def forward(self, x) -> float | np.ndarray:
        """``activation(affine(x))``: a float for one input, an array (m,) for a batch."""
        z = self.affine(x)
        y = np.asarray(self.activation(z), dtype=np.float64)
        return float(y) if y.ndim == 0 else y

    def predict(self, x) -> float | np.ndarray:
        """Hard 0/1 decision ``step(z)``: 1 when ``z > 0`` (the same as sigmoid(z) > 0.5)."""
        z = self.affine(x)
        y = step(z)
        return float(y) if y.ndim == 0 else y

    def fit(self, X, y, lr: float = 0.1, epochs: int = 10) -> list[int]:
        r"""Train with Rosenblatt's perceptron learning rule; return errors per epoch.

        For each sample in order, with prediction :math:`\hat y = \mathrm{step}(z)`:

        .. math:: w \leftarrow w + \eta (y - \hat y) x, \qquad b \leftarrow b + \eta (y - \hat y)

        Correct predictions change nothing. If the data are linearly separable the
        errors reach 0 in finitely many epochs; for XOR they never do.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)
            Finite real numbers (NaN or inf is a ``ValueError``).
        y : array_like of 0/1 labels, shape (n_samples,)
        lr : float
            Learning rate :math:`\eta > 0`.
        epochs : int
            Passes over the data. All of them run, so the curve has ``epochs`` points.

        Returns
        -------
        list of int
            Number of misclassified samples (updates) in each epoch.
        """
        X = self._check_input(X, "X")
        if X.ndim != 2:
            raise ValueError(_("X must be 2-D (n_samples, {n}), got shape {shape}")
                             .format(n=self.weights.size, shape=X.shape))
        if not np.all(np.isfinite(X)):
            row = int(np.flatnonzero(~np.all(np.isfinite(X), axis=1))[0])
            raise ValueError(_("X must contain only finite numbers, but row {row} is {values}: "
                               "a NaN or inf would make every weight NaN").format(row=row, values=X[row].tolist()))
        y = as_float_array(y, "y")
        if y.shape != (X.shape[0],):
            raise ValueError(_("y must have shape ({n_samples},) to match X's rows, got {shape}")
                             .format(n_samples=X.shape[0], shape=y.shape))
        not_a_label = ~((y == 0) | (y == 1))
        if np.any(not_a_label):
            others = np.unique(y[not_a_label])[:5].tolist()
            if np.all((y == -1) | (y == 1)):  # the other common convention: say how to convert it
                message = _("y must contain only 0 and 1 labels, got also {others} "
                            "(for -1/+1 labels, pass (y + 1) / 2)")
            else:
                message = _("y must contain only 0 and 1 labels, got also {others}")
            raise ValueError(message.format(others=others))
        lr = check_positive(lr, "lr")
        epochs = check_positive_int(epochs, "epochs")

        errors_per_epoch = []
        for _epoch in range(epochs):
            errors = 0
            for x_i, target in zip(X, y):
                error = target - self.predict(x_i)
                if error != 0:
                    self.weights += lr * error * x_i
                    self.bias += lr * error
                    errors += 1
            errors_per_epoch.append(errors)
        return errors_per_epoch

    def __repr__(self) -> str:
        name = getattr(self.activation, "__name__", "activation")
        return f"Perceptron(weights={self.weights.tolist()}, bias={self.bias}, activation={name})"
