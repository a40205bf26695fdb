"""Plotting helpers with one shared look: axis labels, a grid, a colour-blind-safe palette.

Every helper draws on an Axes (a new one if none is given) and returns it. The
library never calls ``plt.show()``: the notebook cell decides when to show.
"""

from __future__ import annotations

from typing import Iterable

import matplotlib.pyplot as plt
import numpy as np

from .activations import ACTIVATIONS, Activation

__all__ = ["PALETTE", "COLOURS", "style_axes", "plot_activation", "plot_activations", "activation_names"]

#: Okabe–Ito palette: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

#: A fixed colour per activation, so the same function looks the same in every notebook.
COLOURS = {
    "step": "#000000",
    "identity": "#999999",
    "sigmoid": "#0072B2",
    "tanh": "#009E73",
    "relu": "#D55E00",
    "leaky_relu": "#CC79A7",
    "elu": "#E69F00",
    "softplus": "#56B4E9",
}


def activation_names() -> list[str]:
    """Names in ``ACTIVATIONS``, in course order."""
    return list(ACTIVATIONS)


def style_axes(ax: plt.Axes, title: str = "", xlabel: str = "x", ylabel: str = "") -> plt.Axes:
    """Apply the course look to ``ax``: title, axis labels, a light grid, a zero axis."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.35)
    ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.6", linewidth=0.8, zorder=0)
    return ax


def _lookup(name: str) -> Activation:
    if name not in ACTIVATIONS:
        raise ValueError(f"name must be one of {activation_names()}, got {name!r}")
    return ACTIVATIONS[name]


def _call(function, x: np.ndarray, entry: Activation, alpha: float | None) -> np.ndarray:
    if entry.has_alpha:
        return function(x, entry.default_alpha if alpha is None else alpha)
    return function(x)


def plot_activation(
    name: str,
    x: np.ndarray | None = None,
    ax: plt.Axes | None = None,
    alpha: float | None = None,
    derivative: bool = True,
) -> plt.Axes:
    """Draw one activation (solid) and, optionally, its derivative (dashed).

    Parameters
    ----------
    name : str
        A key of ``ACTIVATIONS``, e.g. ``"sigmoid"``.
    x : ndarray, optional
        Points to draw at. Default ``np.linspace(-5, 5, 501)``.
    ax : Axes, optional
    alpha : float, optional
        For ``leaky_relu`` and ``elu``; ignored by the others.
    derivative : bool
        Also draw the derivative.
    """
    entry = _lookup(name)
    x = np.linspace(-5, 5, 501) if x is None else np.asarray(x, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    colour = COLOURS[name]
    ax.plot(x, _call(entry.function, x, entry, alpha), color=colour, linewidth=2.2, label=f"{name}(x)")
    if derivative:
        ax.plot(x, _call(entry.derivative, x, entry, alpha), color=colour, linestyle="--", linewidth=1.6,
                label=f"{name}'(x)")
    style_axes(ax, title=f"{name} and its derivative" if derivative else name, ylabel="f(x)")
    ax.legend(loc="best")
    return ax


def plot_activations(
    names: Iterable[str] | None = None,
    x: np.ndarray | None = None,
    ax: plt.Axes | None = None,
    derivative: bool = False,
    ylim: tuple[float, float] | None = None,
) -> plt.Axes:
    """Comparison figure: several activations (or their derivatives) on one Axes.

    Parameters
    ----------
    names : iterable of str, optional
        Keys of ``ACTIVATIONS``. Default: all of them.
    derivative : bool
        Draw the derivatives instead of the functions.
    ylim : (low, high), optional
    """
    names = activation_names() if names is None else list(names)
    x = np.linspace(-5, 5, 501) if x is None else np.asarray(x, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    for name in names:
        entry = _lookup(name)
        function = entry.derivative if derivative else entry.function
        label = f"{name}'" if derivative else name
        ax.plot(x, _call(function, x, entry, None), color=COLOURS[name], linewidth=2, label=label)
    title = "Derivatives of activation functions" if derivative else "Activation functions"
    style_axes(ax, title=title, ylabel="f'(x)" if derivative else "f(x)")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(loc="upper left", fontsize="small")
    return ax
