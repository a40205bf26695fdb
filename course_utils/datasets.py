r"""Small, seeded 2-D toy datasets for classification: XOR clouds, two moons, spirals.

Every generator

* takes the number of points ``n`` and ``rng``: a ``numpy.random.Generator`` or an
  integer seed (the same seed always gives the same data);
* returns ``X`` of shape ``(n, 2)`` (float64) and ``y`` of shape ``(n,)`` (int64
  class labels ``0, 1, ...``), with the classes in a random order;
* raises ``TypeError`` / ``ValueError`` naming the argument for bad input.

For a binary classifier with one sigmoid output, pass the targets as a column:
``y[:, None]`` has shape ``(n, 1)``, like the network's output.
"""

from __future__ import annotations

import numpy as np

from .i18n import _
from .validation import as_generator, check_positive, check_positive_int, check_real

__all__ = ["xor_points", "two_moons", "spirals"]


def _check_noise(noise: object) -> float:
    noise = check_real(noise, "noise")
    if noise < 0:
        raise ValueError(_("noise must be >= 0 (a standard deviation), got {noise}").format(noise=noise))
    return noise


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def xor_points(n: int, rng, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    r"""Noisy copies of the four XOR inputs, labelled :math:`y = x_1 \oplus x_2`.

    Each point picks a corner of the unit square, (0, 0), (0, 1), (1, 0) or (1, 1),
    at random and adds Gaussian noise. The label is 1 for (0, 1) and (1, 0), 0 for
    the other two corners: no straight line separates the classes.

    Parameters
    ----------
    n : int
        Number of points, >= 1.
    rng : numpy.random.Generator or int
        The generator to draw from, or a seed.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate, >= 0.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64, values in {0, 1}
    """
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    rng = as_generator(rng)
    corners = rng.integers(0, 2, size=(n, 2))
    y = (corners[:, 0] ^ corners[:, 1]).astype(np.int64)
    X = corners + noise * rng.standard_normal((n, 2))
    return X.astype(np.float64), y


def two_moons(n: int, rng, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaving half circles ("moons").

    Class 0 lies on the upper half circle :math:`(\cos t, \sin t)`, class 1 on the
    lower one :math:`(1 - \cos t, \tfrac12 - \sin t)`, with :math:`t` uniform in
    :math:`[0, \pi]`. Gaussian noise is added to both coordinates.

    Parameters
    ----------
    n : int
        Number of points, >= 1: ``n // 2`` in class 0 and the rest in class 1.
    rng : numpy.random.Generator or int
        The generator to draw from, or a seed.
    noise : float
        Standard deviation of the Gaussian noise, >= 0. Around 0.1 the moons are
        clearly separate; around 0.3 they overlap.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64, values in {0, 1}
    """
    n = check_positive_int(n, "n")
    noise = _check_noise(noise)
    rng = as_generator(rng)
    n_upper = n // 2
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t[:n_upper]), np.sin(t[:n_upper])])
    lower = np.column_stack([1 - np.cos(t[n_upper:]), 0.5 - np.sin(t[n_upper:])])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=np.int64), np.ones(n - n_upper, dtype=np.int64)])
    return _shuffled(X, y, rng)


def spirals(n: int, rng, classes: int = 2, noise: float = 0.2, turns: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""Interleaved spiral arms, one per class.

    A point of class :math:`k` at radius :math:`r \sim U(0, 1)` sits at angle
    :math:`\theta = 2\pi\,(\text{turns}\cdot r + k/\text{classes}) + \varepsilon`,
    :math:`\varepsilon \sim N(0, \text{noise}^2)`, that is at
    :math:`r(\cos\theta, \sin\theta)`. The arms wind around each other, so only a
    network with a curved decision boundary can separate them.

    Parameters
    ----------
    n : int
        Number of points, >= 1, shared as evenly as possible between the classes.
    rng : numpy.random.Generator or int
        The generator to draw from, or a seed.
    classes : int
        Number of arms (classes), >= 2.
    noise : float
        Standard deviation of the angle noise in radians, >= 0.
    turns : float
        How many full turns each arm makes, > 0.

    Returns
    -------
    X : ndarray, shape (n, 2), float64, inside the unit disc (up to noise)
    y : ndarray, shape (n,), int64, values in {0, ..., classes - 1}
    """
    n = check_positive_int(n, "n")
    classes = check_positive_int(classes, "classes")
    if classes < 2:
        raise ValueError(_("classes must be at least 2, got {classes}").format(classes=classes))
    noise = _check_noise(noise)
    turns = check_positive(turns, "turns")
    rng = as_generator(rng)
    y = np.arange(n, dtype=np.int64) % classes
    radius = rng.uniform(0.0, 1.0, size=n)
    angle = 2 * np.pi * (turns * radius + y / classes) + noise * rng.standard_normal(n)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _shuffled(X, y, rng)
