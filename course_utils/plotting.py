"""Plotting helpers with one shared look: axis labels, a grid, a colour-blind-safe palette.

Every helper draws on an Axes (a new one if none is given) and returns it. The
library never calls ``plt.show()``: the notebook cell decides when to show.

Two habits keep the figures honest:

* A curve with a jump (the step function, the derivative of ReLU at 0) is drawn as
  two pieces with a gap, never with a vertical segment that would suggest that the
  function takes every value in between. An open circle marks each side's limit and
  a filled dot the value the function actually takes at the jump (the convention).
* Curves that coincide (ReLU, leaky ReLU and ELU are all ``x`` for ``x > 0``) get
  different line styles, so the one drawn first stays visible under the others.

Bad arguments raise ``TypeError``/``ValueError`` naming the argument. Titles, the graph's words
and the errors are in the learner's language (``course_utils.i18n``); function names, formulas
and numbers are the same in every language.
"""

from __future__ import annotations

from typing import Iterable

import matplotlib.pyplot as plt
import numpy as np

from .activations import ACTIVATIONS, Activation
from .i18n import _
from .validation import as_float_array, check_all_finite, check_choice, check_real

__all__ = ["PALETTE", "COLOURS", "LINE_STYLES", "GRAPH_COLOURS", "style_axes", "plot_activation",
           "plot_activations", "activation_names", "sigmoid_graph_values", "plot_sigmoid_graph",
           "update_sigmoid_graph"]

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

#: Line style per activation in comparison figures. ReLU, leaky ReLU and ELU coincide
#: for x > 0 (and leaky ReLU with alpha = 0.01 nearly coincides with ReLU for x < 0), so
#: ReLU is drawn wide and solid underneath, the other two narrower, dashed, on top.
#: The step function's flat pieces lie on the sigmoid's and tanh's tails: it goes on top, thin.
LINE_STYLES = {
    "step": {"linestyle": "-", "linewidth": 1.6, "zorder": 5},
    "relu": {"linestyle": "-", "linewidth": 4.0, "zorder": 2},
    "leaky_relu": {"linestyle": (0, (5, 2.5)), "linewidth": 2.0, "zorder": 3},
    "elu": {"linestyle": (0, (1.5, 2.5)), "linewidth": 2.4, "zorder": 4},
}

#: Colours of the computational-graph figure, by the name the notebooks use for them.
GRAPH_COLOURS = {"blue": "#0072B2", "red": "#D62728", "black": "#000000"}

#: Every activation of the course is smooth except, at most, at x = 0. A curve "jumps"
#: there when its values just left and just right of 0 differ by more than this.
_JUMP_TOLERANCE = 1e-6
_NEAR_ZERO = 1e-9


def activation_names() -> list[str]:
    """Names in ``ACTIVATIONS``, in course order."""
    return list(ACTIVATIONS)


# ------------------------------------------------------------------ argument checks
def _check_axes(ax: object) -> plt.Axes:
    """Return ``ax`` unchanged if it is a matplotlib Axes (``None`` means: make a new figure)."""
    if ax is None:
        return None
    if not isinstance(ax, plt.Axes):
        raise TypeError(_("ax must be a matplotlib Axes (for example from plt.subplots()), got {kind} {value!r}")
                        .format(kind=type(ax).__name__, value=ax))
    return ax


def _check_name(name: object, argument: str = "name") -> Activation:
    """Return the ``ACTIVATIONS`` entry for ``name``, or raise naming the argument."""
    if not isinstance(name, str):
        raise TypeError(_("{name} must be the name of an activation (a string such as 'relu'), got {kind} {value!r}")
                        .format(name=argument, kind=type(name).__name__, value=name))
    return ACTIVATIONS[check_choice(name, activation_names(), argument)]


def _check_flag(value: object, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(_("{name} must be True or False, got {kind} {value!r}")
                        .format(name=name, kind=type(value).__name__, value=value))
    return bool(value)


def _check_grid(x: object, name: str = "x") -> np.ndarray:
    """Return the points to draw at as a sorted 1-D float64 array, or raise naming ``name``.

    A grid needs at least two finite points that are not all equal, otherwise there
    is no curve to draw.
    """
    grid = as_float_array(x, name)
    if grid.ndim != 1:
        raise ValueError(_("{name} must be a 1-D array of points, got shape {shape}")
                         .format(name=name, shape=grid.shape))
    if grid.size < 2:
        raise ValueError(_("{name} must hold at least 2 points, got {count}").format(name=name, count=grid.size))
    check_all_finite(grid, name)
    grid = np.sort(grid.astype(np.float64))
    if grid[0] == grid[-1]:
        raise ValueError(_("{name} must span a range, but every point equals {value:g}").format(name=name,
                                                                                               value=grid[0]))
    return grid


def _check_limits(limits: object, name: str) -> tuple[float, float]:
    """Return ``(low, high)`` as floats with ``low < high``, or raise naming ``name``."""
    if isinstance(limits, (str, bytes)) or not isinstance(limits, (tuple, list, np.ndarray)) or len(limits) != 2:
        raise TypeError(_("{name} must be a pair (low, high), got {value!r}").format(name=name, value=limits))
    low, high = check_real(limits[0], f"{name}[0]"), check_real(limits[1], f"{name}[1]")
    if not low < high:
        raise ValueError(_("{name} must be (low, high) with low < high, got ({low:g}, {high:g})")
                         .format(name=name, low=low, high=high))
    return low, high


def _check_alpha(alpha: object, entry: Activation) -> float | None:
    if alpha is None or not entry.has_alpha:
        return None
    alpha = check_real(alpha, "alpha")
    if alpha < 0:
        raise ValueError(_("alpha must be >= 0, got {alpha:g}").format(alpha=alpha))
    return alpha


# ------------------------------------------------------------------ curves
def style_axes(ax: plt.Axes, title: str = "", xlabel: str = "x", ylabel: str = "",
               zero_lines: bool = True) -> plt.Axes:
    """Apply the course look to ``ax``: title, axis labels, a light grid and (optionally) the x and y axes at 0."""
    _check_axes(ax)
    if ax is None:
        raise TypeError(_("ax must be a matplotlib Axes, got None"))
    for value, name in [(title, "title"), (xlabel, "xlabel"), (ylabel, "ylabel")]:
        if not isinstance(value, str):
            raise TypeError(_("{name} must be a string, got {kind} {value!r}")
                            .format(name=name, kind=type(value).__name__, value=value))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.35)
    if _check_flag(zero_lines, "zero_lines"):
        ax.axhline(0, color="0.6", linewidth=0.8, zorder=0, gid="zero-line")
        ax.axvline(0, color="0.6", linewidth=0.8, zorder=0, gid="zero-line")
    return ax


def _call(function, x: np.ndarray | float, entry: Activation, alpha: float | None) -> np.ndarray:
    if entry.has_alpha:
        return function(x, entry.default_alpha if alpha is None else alpha)
    return function(x)


def _curve_with_gap(function, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict | None]:
    """Points for drawing ``function`` on the sorted grid ``x``, with a gap where it jumps at 0.

    Returns ``(xs, ys, jump)``. Without a jump, ``xs`` is ``x`` and ``ys`` is ``function(x)``.
    With a jump, the left piece ends at its limit at 0, then a NaN (matplotlib breaks a
    line at NaN) and the right piece starts at its own limit at 0; ``jump`` is
    ``{"left": limit from the left, "right": limit from the right, "value": function(0)}``.
    """
    y = np.asarray(function(x), dtype=float)
    if not x[0] < 0 < x[-1]:
        return x, y, None
    left = float(function(-_NEAR_ZERO))
    right = float(function(_NEAR_ZERO))
    if abs(right - left) <= _JUMP_TOLERANCE:
        return x, y, None
    on_left, on_right = x < 0, x > 0
    xs = np.concatenate([x[on_left], [0.0, np.nan, 0.0], x[on_right]])
    ys = np.concatenate([y[on_left], [left, np.nan, right], y[on_right]])
    return xs, ys, {"left": left, "right": right, "value": float(function(0.0))}


def _jump_marker_data(jump: dict | None) -> tuple[list[float], list[float], list[float], list[float]]:
    """Where to put the open circles (excluded limits) and the filled dot (the value at 0)."""
    if jump is None:
        return [], [], [], []
    excluded = [limit for limit in (jump["left"], jump["right"]) if limit != jump["value"]]
    return [0.0] * len(excluded), excluded, [0.0], [jump["value"]]


def _draw_jump_markers(ax: plt.Axes, jump: dict | None, colour: str, zorder: float = 4.5, size: float = 7):
    """Open circles at the excluded limits and a filled dot at the value taken at 0; returns both artists.

    The default ``zorder`` keeps them under a marker that a notebook adds with ``ax.plot`` (zorder 5).
    """
    open_x, open_y, value_x, value_y = _jump_marker_data(jump)
    (open_circles,) = ax.plot(open_x, open_y, linestyle="none", marker="o", markersize=size, markerfacecolor="white",
                              markeredgecolor=colour, markeredgewidth=1.8, zorder=zorder, label="_nolegend_",
                              gid="excluded-limit")
    (value_dot,) = ax.plot(value_x, value_y, linestyle="none", marker="o", markersize=size, color=colour,
                           zorder=zorder + 0.1, label="_nolegend_", gid="value-at-jump")
    return open_circles, value_dot


def _alpha_label(name: str, entry: Activation, alpha: float | None) -> str:
    if not entry.has_alpha:
        return name
    return f"{name} (α = {entry.default_alpha if alpha is None else alpha:g})"


def plot_activation(
    name: str,
    x: np.ndarray | None = None,
    ax: plt.Axes | None = None,
    alpha: float | None = None,
    derivative: bool = True,
) -> plt.Axes:
    """Draw one activation (solid) and, optionally, its derivative (dashed).

    Where a curve jumps (at x = 0: the step function; the derivatives of step, ReLU,
    leaky ReLU, and of ELU when alpha != 1) the line has a gap, an open circle marks
    each excluded limit and a filled dot the value taken at 0.

    Parameters
    ----------
    name : str
        A key of ``ACTIVATIONS``, e.g. ``"sigmoid"``.
    x : array_like, optional
        1-D points to draw at (sorted before drawing). Default ``np.linspace(-5, 5, 501)``.
    ax : Axes, optional
    alpha : float, optional
        For ``leaky_relu`` and ``elu`` (>= 0); ignored by the others.
    derivative : bool
        Also draw the derivative.

    Raises
    ------
    TypeError, ValueError
        For an unknown ``name``, a grid ``x`` that is not 1-D, finite and spanning a range,
        an ``ax`` that is not an Axes, or a negative or non-finite ``alpha``.
    """
    entry = _check_name(name)
    x = np.linspace(-5, 5, 501) if x is None else _check_grid(x)
    ax = _check_axes(ax)
    alpha = _check_alpha(alpha, entry)
    derivative = _check_flag(derivative, "derivative")
    if ax is None:
        _figure, ax = plt.subplots(figsize=(6, 4))
    colour = COLOURS[name]
    curves = [(entry.function, "-", 2.2, f"{name}(x)")]
    if derivative:
        curves.append((entry.derivative, "--", 1.6, f"{name}'(x)"))
    for function, linestyle, width, label in curves:
        xs, ys, jump = _curve_with_gap(lambda points: _call(function, points, entry, alpha), x)
        ax.plot(xs, ys, color=colour, linestyle=linestyle, linewidth=width, label=label)
        if jump is not None:
            _draw_jump_markers(ax, jump, colour)
    title = _alpha_label(name, entry, alpha)
    if derivative:
        title = _("{function} and its derivative").format(function=title)
    style_axes(ax, title=title, ylabel="f(x)")
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

    Each function keeps its colour from ``COLOURS``; ReLU, leaky ReLU and ELU, which
    coincide for x > 0, get the line styles of ``LINE_STYLES`` so none hides another.
    Jumps are drawn as in :func:`plot_activation`. Leaky ReLU and ELU use their default
    alpha, written in the legend.

    Parameters
    ----------
    names : list of str, optional
        Keys of ``ACTIVATIONS``. Default: all of them.
    x : array_like, optional
        1-D points to draw at. Default ``np.linspace(-5, 5, 501)``.
    ax : Axes, optional
    derivative : bool
        Draw the derivatives instead of the functions.
    ylim : (low, high), optional
    """
    if names is None:
        names = activation_names()
    elif isinstance(names, str):
        raise TypeError(_("names must be a list of activation names, got the string {value!r}; "
                          "write [{value!r}] for one function").format(value=names))
    else:
        try:
            names = list(names)
        except TypeError:
            raise TypeError(_("names must be a list of activation names, got {kind} {value!r}")
                            .format(kind=type(names).__name__, value=names)) from None
    if not names:
        raise ValueError(_("names must hold at least one activation name, got an empty list"))
    entries = [_check_name(name, "names") for name in names]
    x = np.linspace(-5, 5, 501) if x is None else _check_grid(x)
    ax = _check_axes(ax)
    derivative = _check_flag(derivative, "derivative")
    limits = None if ylim is None else _check_limits(ylim, "ylim")
    if ax is None:
        _figure, ax = plt.subplots(figsize=(7, 4.5))
    for name, entry in zip(names, entries):
        function = entry.derivative if derivative else entry.function
        style = LINE_STYLES.get(name, {"linestyle": "-", "linewidth": 2.0, "zorder": 2})
        label = _alpha_label(name + ("'" if derivative else ""), entry, None)
        xs, ys, jump = _curve_with_gap(lambda points: _call(function, points, entry, None), x)
        ax.plot(xs, ys, color=COLOURS[name], label=label, **style)
        if jump is not None:
            # wider lines get wider circles, so coinciding markers stay visible as rings
            _draw_jump_markers(ax, jump, COLOURS[name], zorder=6, size=4 + 1.5 * style["linewidth"])
    if derivative:
        style_axes(ax, title=_("Derivatives of activation functions"), ylabel="f'(x)")
    else:
        style_axes(ax, title=_("Activation functions"), ylabel="f(x)")
    if limits is not None:
        ax.set_ylim(*limits)
    ax.legend(loc="upper left", fontsize="small")
    return ax


# ------------------------------------------------------------------ computational graph
def sigmoid_graph_values(x: float, dout: float = 1.0) -> dict[str, list[float]]:
    r"""Forward and backward values on the computational graph of :math:`y = 1/(1 + e^{-x})`.

    The graph is ``x → ×(−1) → exp → +1 → / → y``. Returns a dict with

    * ``"forward"``: the value on each edge, left to right: ``[x, -x, e^{-x}, 1 + e^{-x}, y]``;
    * ``"backward"``: :math:`\partial L/\partial(\text{edge})` on the same edges, given
      :math:`\partial L/\partial y` = ``dout``: ``[dx, ..., dout]``;
    * ``"local"``: the local derivative of the node at the right end of each of the first
      four edges, ``[-1, e^{-x}, 1, -y^2]``, so that ``backward[i] = backward[i + 1] * local[i]``.

    Backward, right to left: ``/`` multiplies by :math:`-1/t^2 = -y^2`; ``+1`` passes the
    gradient on; ``exp`` multiplies by :math:`e^{-x}`; ``×(−1)`` multiplies by −1. The
    product is ``dout * y**2 * exp(-x) = dout * y * (1 - y)``. Meant for moderate ``x``
    (it follows the graph literally, so ``exp(-x)`` overflows below about -709).
    """
    x = check_real(x, "x")
    dout = check_real(dout, "dout")
    negated = -x
    exponential = float(np.exp(negated))
    denominator = 1.0 + exponential
    y = 1.0 / denominator
    local = [-1.0, exponential, 1.0, -1.0 / denominator**2]  # ×(−1), exp, +1, /
    grad_denominator = dout * local[3]  # through "/"
    grad_exponential = grad_denominator * local[2]  # through "+1"
    grad_negated = grad_exponential * local[1]  # through "exp"
    grad_x = grad_negated * local[0]  # through "×(−1)"
    return {
        "forward": [x, negated, exponential, denominator, y],
        "backward": [grad_x, grad_negated, grad_exponential, grad_denominator, dout],
        "local": local,
    }


#: The edge names written above the forward values of the sigmoid graph (the notebook's letters).
SIGMOID_GRAPH_EDGES = ["x", "a = −x", "b = exp(a)", "c = 1 + b", "y = 1/c"]
#: How each node's local derivative is written below the edge that enters it.
_LOCAL_DERIVATIVE_NAMES = ["∂a/∂x = −1", "∂b/∂a = exp(a)", "∂c/∂b = 1", "∂y/∂c = −y²"]
_NODE_LABELS = ["×(−1)", "exp", "+1", "/"]
_NODE_X = [2.0, 4.0, 6.0, 8.0]
_EDGE_ENDS = [0.0, *_NODE_X, 10.0]
_NODE_RADIUS_POINTS = 22


def _edge_middle(i: int) -> float:
    return (_EDGE_ENDS[i] + _EDGE_ENDS[i + 1]) / 2


def _arrow(ax: plt.Axes, start: float, end: float, height: float, colour: str, start_at_node: bool,
           end_at_node: bool, width: float) -> None:
    """An arrow along y = height that stops short of the node circles (their radius is fixed in points)."""
    gap = _NODE_RADIUS_POINTS + 3
    ax.annotate("", xy=(end, height), xytext=(start, height),
                arrowprops={"arrowstyle": "-|>,head_width=0.3,head_length=0.6", "color": colour, "lw": width,
                            "shrinkA": gap if start_at_node else 0, "shrinkB": gap if end_at_node else 0})


def plot_sigmoid_graph(x: float = 1.0, dout: float = 1.0, ax: plt.Axes | None = None) -> plt.Axes:
    """Draw the sigmoid's computational graph with its forward, backward and local-derivative values.

    * above each edge: its name and forward value (blue), computed left to right;
    * below each edge, under a leftward arrow: the backward value ∂L/∂(edge) (red),
      computed right to left;
    * under that, in black: the local derivative of the node at the edge's right end.
      Each red number is the red number to its right times this local derivative.

    Best at the default size (11 × 4 inches); readable down to about 9 × 2.8.

    Parameters
    ----------
    x : float
        The input.
    dout : float
        The upstream gradient ∂L/∂y arriving from the right.
    ax : Axes, optional
    """
    ax = _check_axes(ax)
    values = sigmoid_graph_values(x, dout)  # checks x and dout
    if ax is None:
        figure, ax = plt.subplots(figsize=(11, 4))
        figure.subplots_adjust(left=0.01, right=0.99)  # the graph needs no room for tick labels
    blue, red, black = GRAPH_COLOURS["blue"], GRAPH_COLOURS["red"], GRAPH_COLOURS["black"]
    for i in range(5):
        start, end = _EDGE_ENDS[i], _EDGE_ENDS[i + 1]
        middle = _edge_middle(i)
        _arrow(ax, start, end, 0.0, black, start_at_node=i > 0, end_at_node=i < 4, width=1.6)
        _arrow(ax, end, start, -0.5, red, start_at_node=i < 4, end_at_node=i > 0, width=1.3)
        ax.text(middle, 0.95, SIGMOID_GRAPH_EDGES[i], ha="center", va="bottom", fontsize=10, color="0.3",
                gid=f"edge-{i}")
        ax.text(middle, 0.3, "", ha="center", va="bottom", fontsize=12, fontweight="bold", color=blue,
                gid=f"forward-{i}")
        ax.text(middle, -0.75, "", ha="center", va="top", fontsize=12, fontweight="bold", color=red,
                gid=f"backward-{i}")
        ax.text(middle, -1.45, "", ha="center", va="top", fontsize=10, color=black, gid=f"local-{i}")
    for position, label in zip(_NODE_X, _NODE_LABELS):
        ax.plot(position, 0, marker="o", markersize=2 * _NODE_RADIUS_POINTS, markerfacecolor="white",
                markeredgecolor=black, markeredgewidth=1.6, zorder=3)
        ax.text(position, 0, label, ha="center", va="center", fontsize=12, zorder=4)
    ax.set_xlim(-0.1, 10.1)
    ax.set_ylim(-2.5, 1.6)
    ax.axis("off")
    update_sigmoid_graph(ax, x, dout)
    return ax


def _number(value: float) -> str:
    """Four significant digits, with a typographic minus sign like the formulas around it."""
    return f"{value:.4g}".replace("-", "\u2212")


def _graph_title(x: float, dout: float) -> str:
    """The three lines above the graph: the input, and how to read the colours."""
    return _("The sigmoid as a computational graph, x = {x}, ∂L/∂y = {dout}\n"
             "blue: forward values (left to right) · red: backward values ∂L/∂(edge) (right to left)\n"
             "each red number = the red number to its right × the black local derivative below it"
             ).format(x=_number(x), dout=_number(dout))


def update_sigmoid_graph(ax: plt.Axes, x: float, dout: float = 1.0) -> None:
    """Rewrite the numbers of a graph drawn by :func:`plot_sigmoid_graph` (faster than redrawing it)."""
    if _check_axes(ax) is None:
        raise TypeError(_("ax must be the Axes returned by plot_sigmoid_graph, got None"))
    values = sigmoid_graph_values(x, dout)
    for text in ax.texts:
        kind, _dash, index = (text.get_gid() or "").partition("-")
        if kind == "forward":
            text.set_text(_number(values["forward"][int(index)]))
        elif kind == "backward":
            text.set_text(_number(values["backward"][int(index)]))
        elif kind == "local" and int(index) < 4:
            i = int(index)
            text.set_text(f"× {_number(values['local'][i])}\n{_LOCAL_DERIVATIVE_NAMES[i]}")
        elif kind == "local":
            text.set_text(_("given\n(from the loss)"))
    ax.set_title(_graph_title(values["forward"][0], values["backward"][-1]), fontsize=10.5)
