"""Plotting helpers with one shared look: axis labels, a grid, a colour-blind-safe palette.

Every helper draws on an Axes (a new one if none is given) and returns it. The
library never calls ``plt.show()``: the notebook cell decides when to show.
"""

from __future__ import annotations

from typing import Iterable

import matplotlib.pyplot as plt
import numpy as np

from .activations import ACTIVATIONS, Activation

__all__ = ["PALETTE", "COLOURS", "style_axes", "plot_activation", "plot_activations", "activation_names",
           "sigmoid_graph_values", "plot_sigmoid_graph", "update_sigmoid_graph"]

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


def style_axes(ax: plt.Axes, title: str = "", xlabel: str = "x", ylabel: str = "",
               zero_lines: bool = True) -> plt.Axes:
    """Apply the course look to ``ax``: title, axis labels, a light grid and (optionally) the x and y axes at 0."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.35)
    if zero_lines:
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


def sigmoid_graph_values(x: float, dout: float = 1.0) -> dict[str, list[float]]:
    r"""Forward and backward values on the computational graph of :math:`y = 1/(1 + e^{-x})`.

    The graph is ``x → ×(−1) → exp → +1 → / → y``. Returns a dict with

    * ``"forward"``: the value on each edge, left to right: ``[x, -x, e^{-x}, 1 + e^{-x}, y]``;
    * ``"backward"``: :math:`\partial L/\partial(\text{edge})` on the same edges, given
      :math:`\partial L/\partial y` = ``dout``: ``[dx, ..., dout]``.

    Backward, right to left: ``/`` multiplies by :math:`-1/t^2 = -y^2`; ``+1`` passes the
    gradient on; ``exp`` multiplies by :math:`e^{-x}`; ``×(−1)`` multiplies by −1. The
    product is ``dout * y**2 * exp(-x) = dout * y * (1 - y)``. Meant for moderate ``x``
    (it follows the graph literally, so ``exp(-x)`` overflows below about -709).
    """
    negated = -x
    exponential = float(np.exp(negated))
    denominator = 1.0 + exponential
    y = 1.0 / denominator
    grad_denominator = dout * (-1.0 / denominator**2)  # through "/"
    grad_exponential = grad_denominator * 1.0  # through "+1"
    grad_negated = grad_exponential * exponential  # through "exp"
    grad_x = grad_negated * -1.0  # through "×(−1)"
    return {
        "forward": [x, negated, exponential, denominator, y],
        "backward": [grad_x, grad_negated, grad_exponential, grad_denominator, dout],
    }


def plot_sigmoid_graph(x: float = 1.0, dout: float = 1.0, ax: plt.Axes | None = None) -> plt.Axes:
    """Draw the sigmoid's computational graph with forward (blue, above) and backward (red, below) values.

    Parameters
    ----------
    x : float
        The input.
    dout : float
        The upstream gradient dL/dy arriving from the right.
    """
    values = sigmoid_graph_values(x, dout)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 2.8))
    nodes = ["×(−1)", "exp", "+1", "/"]
    node_x = [1.5, 3.0, 4.5, 6.0]
    edge_ends = [0.0] + node_x + [7.5]
    edge_labels = SIGMOID_GRAPH_EDGES
    for i in range(5):
        start, end = edge_ends[i] + (0.35 if i > 0 else 0.0), edge_ends[i + 1] - (0.35 if i < 4 else 0.0)
        ax.annotate("", xy=(end, 0), xytext=(start, 0), arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 1.5})
        middle = (edge_ends[i] + edge_ends[i + 1]) / 2
        ax.text(middle, 0.55, f"{edge_labels[i]}\n{values['forward'][i]:.4g}", ha="center", va="bottom",
                color=PALETTE[0], fontsize=9, gid=f"forward-{i}")
        ax.text(middle, -0.55, f"{values['backward'][i]:.4g}", ha="center", va="top", color=PALETTE[1], fontsize=9,
                gid=f"backward-{i}")
    for position, label in zip(node_x, nodes):
        ax.add_patch(plt.Circle((position, 0), 0.35, facecolor="white", edgecolor="black", linewidth=1.5, zorder=3))
        ax.text(position, 0, label, ha="center", va="center", fontsize=10, zorder=4)
    ax.set_xlim(-0.3, 7.8)
    ax.set_ylim(-1.5, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_graph_title(x, dout), fontsize=9)
    return ax


def _graph_title(x: float, dout: float) -> str:
    return f"Sigmoid as a computational graph: forward (blue, above), backward ∂L/∂· (red, below); " \
           f"x = {x:g}, ∂L/∂y = {dout:g}"


#: The edge names written above the forward values of the sigmoid graph.
SIGMOID_GRAPH_EDGES = ["x", "−x", "exp(−x)", "1+exp(−x)", "y"]


def update_sigmoid_graph(ax: plt.Axes, x: float, dout: float = 1.0) -> None:
    """Rewrite the numbers of a graph drawn by :func:`plot_sigmoid_graph` (faster than redrawing it)."""
    values = sigmoid_graph_values(x, dout)
    for text in ax.texts:
        kind, _, index = (text.get_gid() or "").partition("-")
        if kind == "forward":
            text.set_text(f"{SIGMOID_GRAPH_EDGES[int(index)]}\n{values['forward'][int(index)]:.4g}")
        elif kind == "backward":
            text.set_text(f"{values['backward'][int(index)]:.4g}")
    ax.set_title(_graph_title(x, dout), fontsize=9)
