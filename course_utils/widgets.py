"""Interactive explorers for the notebooks, built on ipywidgets.

Each explorer draws a matplotlib figure off-screen and shows it as a PNG inside
an ``ipywidgets.Image``, with a text readout below. Moving a control calls
``update()``, which redraws the figure and refreshes the readout. This keeps
every update fast (tens of milliseconds) and needs no special matplotlib backend.

Display an explorer by making it the last expression of a cell. In tests and
benchmarks call ``update()`` directly, or set a control's ``value``.

Labels, readouts and the words in the figures are in the learner's language
(:func:`course_utils.i18n.set_language`): they are translated when an explorer is built and
each time it is redrawn. Names of functions (``relu``), gates (``AND``) and maths stay as they are.
"""

from __future__ import annotations

import asyncio
import io
import struct
import time
import zlib
from typing import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D
from matplotlib.ticker import MaxNLocator
from PIL import Image

from . import i18n
from .activations import ACTIVATIONS, sigmoid, softmax, step
from .i18n import N_, _, ngettext, pgettext
from .plotting import (COLOURS, PALETTE, _call, _check_grid, _check_name, _curve_with_gap, _draw_jump_markers,
                       _jump_marker_data, _number, activation_names, plot_sigmoid_graph, sigmoid_graph_values,
                       style_axes, update_sigmoid_graph)
from .validation import as_float_array, check_positive_int, check_real

__all__ = ["Explorer", "ActivationExplorer", "NeuronExplorer", "ThresholdExplorer", "GateExplorer",
           "SoftmaxExplorer", "BackpropExplorer", "GradientFlowExplorer", "GATES", "GATE_INPUTS"]

#: Truth tables of two-input logic gates, for the perceptron notebooks.
GATES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}
#: The four inputs (x1, x2) that the truth tables above refer to, in order.
GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)

#: Marker shapes for GateExplorer: circle = target 1, cross = target 0.
_MARKER_PATHS = {m: MarkerStyle(m).get_path().transformed(MarkerStyle(m).get_transform()) for m in ("o", "X")}

#: Labels that the notebooks give to explorers (ThresholdExplorer, SoftmaxExplorer). The notebooks'
#: code is the same in every edition, so the explorer shows these words in the learner's language.
NOTEBOOK_LABELS = (N_("women"), N_("men"), N_("dog"), N_("cat"), N_("tiger"), N_("person"))


#: Figures are laid out at 80 dots per inch (their size on the page) and rendered with
#: PIXEL_SCALE times as many pixels in each direction, so they stay sharp on high-density
#: screens and projectors. 1.5 is a compromise: 2 is sharper, but each update takes longer.
#: An explorer can choose its own scale (``Explorer.pixel_scale``).
CSS_DPI = 80
PIXEL_SCALE = 1.5

#: While a slider is dragged, redraw at most once per this many seconds; the last position
#: is always drawn. Without this, a drag sends values faster than a redraw takes, and the
#: picture lags further and further behind the slider.
MIN_SECONDS_BETWEEN_DRAWS = 0.1


def _png_without_row_filters(pixels: np.ndarray, level: int = 1) -> bytes:
    """Encode an opaque picture as a PNG file whose rows are stored as they are (PNG filter type 0).

    Parameters
    ----------
    pixels : ndarray of uint8, shape (height, width, 3 or 4)
        RGB or RGBA rows, top row first. An alpha channel is dropped (the picture is opaque).
    level : int
        zlib's compression level; 1 is the fastest.

    Notes
    -----
    A PNG file is a signature and three chunks: IHDR (size and pixel format), IDAT (the rows,
    each prefixed by its filter type, compressed with zlib) and IEND. Each chunk is
    ``length + type + data + CRC-32(type + data)``. Pillow tries five row filters on every row
    and keeps the best; for a picture that is mostly one flat colour with text on it (the
    computational graph), no filter at all compresses as well and takes about half the time.
    """
    height, width = pixels.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # column 0: filter type 0 ("none")
    rows[:, 1:] = pixels[:, :, :3].reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    # width, height, 8 bits per channel, colour type 2 (RGB), default compression, filtering, no interlace
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
            + chunk(b"IEND", b""))


def _shown_label(label: str) -> str:
    """``label`` in the learner's language if the course's catalog has it (:data:`NOTEBOOK_LABELS`), else as given."""
    if not label:
        return label  # gettext would return the catalog's header for ""
    return i18n._(label)  # i18n._, not _: the extractor only takes string literals in _()


def _slider(description: str, value: float, low: float, high: float, step_size: float) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step_size, description=description,
                               continuous_update=True, readout_format=".2f")


def _start_value(value: object, name: str, low: float, high: float) -> float:
    """Return ``value`` as a float if a slider from ``low`` to ``high`` can show it, or raise naming ``name``.

    (A slider would silently move a value outside its range to the nearest end.)
    """
    value = check_real(value, name)
    if not low <= value <= high:
        raise ValueError(_("{name} must lie between {low:g} and {high:g} (the slider's range), got {value:g}")
                         .format(name=name, low=low, high=high, value=value))
    return value


def _check_choice(value: object, name: str, choices) -> str:
    """Return ``value`` if it is one of ``choices`` (strings), or raise naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(_("{name} must be a string, one of {choices}, got {kind} {value!r}")
                        .format(name=name, choices=list(choices), kind=type(value).__name__, value=value))
    if value not in choices:
        raise ValueError(_("{name} must be one of {choices}, got {value!r}").format(name=name, choices=list(choices),
                                                                                    value=value))
    return value


def _check_strings(values: object, name: str) -> list[str]:
    """Return ``values`` as a non-empty list of strings, or raise naming ``name``."""
    if isinstance(values, (str, bytes)):
        raise TypeError(_("{name} must be a list of strings, got the single string {value!r}")
                        .format(name=name, value=values))
    try:
        values = list(values)
    except TypeError:
        raise TypeError(_("{name} must be a list of strings, got {kind} {value!r}")
                        .format(name=name, kind=type(values).__name__, value=values)) from None
    if not values:
        raise ValueError(_("{name} must not be empty").format(name=name))
    for value in values:
        if not isinstance(value, str):
            raise TypeError(_("every entry of {name} must be a string, got {kind} {value!r}")
                            .format(name=name, kind=type(value).__name__, value=value))
    return values


def _check_sample(values: object, name: str) -> np.ndarray:
    """Return a non-empty sample of finite numbers as a flat float array, or raise naming ``name``."""
    sample = as_float_array(values, name).ravel()
    if sample.size == 0:
        raise ValueError(_("{name} must hold at least one value, got an empty array").format(name=name))
    if not np.all(np.isfinite(sample)):
        raise ValueError(_("{name} must contain only finite numbers (no NaN or inf)").format(name=name))
    return sample


class Explorer:
    """Base class: controls on top, the figure, then a one-line readout.

    Subclasses build ``self.controls`` (name -> widget) and implement

    * ``setup()``: draw what never changes (axes, labels, data) and create the
      artists that will move, once;
    * ``draw(**values) -> str``: update those artists for the control values and
      return the readout text.

    Updating artists instead of clearing the axes keeps each redraw fast, because
    matplotlib does not rebuild the ticks and labels every time.
    """

    #: Pixels per CSS pixel of the picture (see PIXEL_SCALE).
    pixel_scale = PIXEL_SCALE

    def __init__(self, controls: dict[str, widgets.Widget], figsize: tuple[float, float] = (6.4, 3.6)) -> None:
        if not isinstance(controls, dict) or not all(isinstance(c, widgets.ValueWidget) for c in controls.values()):
            raise TypeError(_("controls must be a dict of ipywidgets controls (name -> slider or menu), got {value!r}")
                            .format(value=controls))
        if isinstance(figsize, (str, bytes)) or not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise TypeError(_("figsize must be a pair (width, height) in inches, got {value!r}").format(value=figsize))
        width, height = check_real(figsize[0], "figsize[0]"), check_real(figsize[1], "figsize[1]")
        if not (0 < width <= 30 and 0 < height <= 30):
            raise ValueError(_("figsize must be (width, height) between 0 and 30 inches, got ({width:g}, {height:g})")
                             .format(width=width, height=height))
        self.controls = controls
        self._last_draw = float("-inf")  # perf_counter() at the end of the last update
        self._pending_draw = None  # an update scheduled on the kernel's event loop, or None
        self._background = None  # the static part of the figure, saved for moving_artists()
        self.figure = Figure(figsize=(width, height), dpi=CSS_DPI * self.pixel_scale)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        # The picture is shown at the figure's size in CSS pixels, whatever its pixel count.
        width_px = round(width * CSS_DPI)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%"))
        self.readout = widgets.HTML()
        self.setup()
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(controls.values())), self.image, self.readout])
        self.draw(**self.values())
        self.figure.tight_layout()  # once: later updates keep the same layout
        self.figure.set_layout_engine(None)  # otherwise every savefig draws the figure twice
        self.update()

    def values(self) -> dict[str, object]:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change: dict) -> None:
        """Redraw for a changed control.

        A change made by code is drawn at once. A value from the browser is drawn just after the kernel
        has answered its message, at most once per ``MIN_SECONDS_BETWEEN_DRAWS``, with the newest values.
        """
        # ipywidgets locks the properties that a message from the browser is setting; a change made
        # by code (a cell, a test) is drawn at once, so the next line of code sees the new picture.
        from_browser = bool(getattr(change["owner"], "_property_lock", None))
        try:
            loop = asyncio.get_running_loop()  # in Jupyter, the kernel's event loop
        except RuntimeError:  # no event loop (a script, a test)
            loop = None
        if loop is None or not from_browser:
            self.update()
            return
        if self._pending_draw is not None:
            return  # the scheduled update will read the newest values
        # Draw after this message is handled, never inside it: the browser sends the next value only
        # once the kernel has answered this one, so answering first keeps a slow link's round trips
        # free of drawing time (measured by bench/widget_latency.py).
        wait = max(0.0, self._last_draw + MIN_SECONDS_BETWEEN_DRAWS - time.perf_counter())
        self._pending_draw = loop.call_later(wait, self._draw_pending)

    def _draw_pending(self) -> None:
        self._pending_draw = None
        self.update()

    def update(self) -> str:
        """Redraw for the current control values; return the readout text."""
        text = self.draw(**self.values())
        moving = self.moving_artists()
        pixels = self._draw_only(moving) if moving else self._draw_all()
        self.image.value = self.encode_png(pixels)
        self.readout.value = f"<code>{text}</code>"
        self._last_draw = time.perf_counter()
        return text

    def encode_png(self, pixels: np.ndarray) -> bytes:
        """The picture ``pixels`` (height × width × 4, RGBA, opaque) as the bytes of a PNG file."""
        # The figure is opaque: dropping the alpha channel makes the PNG smaller and quicker to encode.
        # Level 1 is zlib's fastest compression (slightly larger files).
        buffer = io.BytesIO()
        Image.fromarray(pixels).convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def setup(self) -> None:
        """Draw the static parts. The default draws nothing."""

    def moving_artists(self) -> list:
        """The artists that ``draw`` changes, if everything else stays as it is; [] means "redraw it all".

        Then each update draws only these on top of a saved picture of the rest (axes, ticks,
        labels, grid): "blitting", several times faster than drawing the whole figure.
        """
        return []

    def _draw_all(self) -> np.ndarray:
        """The whole figure, drawn afresh: its pixels (the canvas's own memory, height × width × 4)."""
        canvas = self.figure.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())

    def _draw_only(self, moving: list) -> np.ndarray:
        """The figure's pixels: the saved background with the ``moving`` artists drawn on top."""
        canvas = self.figure.canvas
        moving = [artist for artist in moving if artist is not None]
        for artist in moving:
            artist.set_animated(True)  # a full draw leaves animated artists out
        if self._background is None:
            self._save_background()
        canvas.restore_region(self._background)
        for artist in moving:
            self.figure.draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())

    def _save_background(self) -> None:
        """Draw the figure without its animated (moving) artists and keep the picture as the background.

        ``draw`` sets ``self._background = None`` when something in the background changes (an axis
        limit, say); the next update then saves a new one.
        """
        canvas = self.figure.canvas
        canvas.draw()
        self._background = canvas.copy_from_bbox(self.figure.bbox)

    def draw(self, **values) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # A short, stable text for places that cannot show widgets (and for nbval).
        bundle["text/plain"] = _("{explorer}: run this cell in JupyterLab to interact.").format(
            explorer=type(self).__name__)
        return bundle


class ActivationExplorer(Explorer):
    """A function dropdown and an alpha slider; draws f (solid) and f' (dashed).

    The alpha slider only matters for ``leaky_relu`` and ``elu``.
    """

    def __init__(self, name: str = "relu", alpha: float = 0.1, x: np.ndarray | None = None) -> None:
        _check_name(name)
        alpha = _start_value(alpha, "alpha", 0.0, 2.0)
        self.x = np.linspace(-4, 4, 401) if x is None else _check_grid(x)
        controls = {
            "name": widgets.Dropdown(options=activation_names(), value=name, description=_("function")),
            "alpha": _slider("alpha", alpha, 0.0, 2.0, 0.01),
        }
        super().__init__(controls)

    def setup(self) -> None:
        (self.function_line,) = self.ax.plot(self.x, self.x, linewidth=2.2)
        (self.derivative_line,) = self.ax.plot(self.x, self.x, linestyle="--", linewidth=1.6)
        # Where a curve jumps at 0: open circles at the limits it never takes, a dot at its value.
        self.jump_markers = [_draw_jump_markers(self.ax, None, "black") for _ in range(2)]
        style_axes(self.ax, ylabel="f(x)")
        self.ax.set_ylim(-2.2, 4.2)
        self._legend_name = None  # the function the legend was built for

    def moving_artists(self) -> list:
        markers = [marker for pair in self.jump_markers for marker in pair]
        return [self.function_line, self.derivative_line, *markers, self.ax.title, self.ax.get_legend()]

    def draw(self, name: str, alpha: float) -> str:
        entry = ACTIVATIONS[name]
        self.controls["alpha"].disabled = not entry.has_alpha
        kwargs = {"alpha": alpha} if entry.has_alpha else {}
        curves = [(self.function_line, entry.function, f"{name}(x)"),
                  (self.derivative_line, entry.derivative, f"{name}'(x)")]
        for (line, function, label), (open_circles, value_dot) in zip(curves, self.jump_markers):
            xs, ys, jump = _curve_with_gap(lambda points: _call(function, points, entry, alpha), self.x)
            line.set_data(xs, ys)
            line.set_color(COLOURS[name])
            line.set_label(label)
            open_x, open_y, value_x, value_y = _jump_marker_data(jump)
            open_circles.set_data(open_x, open_y)
            open_circles.set_markeredgecolor(COLOURS[name])
            value_dot.set_data(value_x, value_y)
            value_dot.set_color(COLOURS[name])
        if entry.has_alpha:
            title = _("{name} and its derivative (alpha = {alpha:.2f})").format(name=name, alpha=alpha)
        else:
            title = _("{name} and its derivative").format(name=name)
        self.ax.set_title(title)
        if name != self._legend_name:  # the legend shows the name and colour only: rebuild it when they change
            self.ax.legend(loc="upper left")
            self._legend_name = name
        at_zero = float(entry.derivative(0.0, **kwargs))
        at_minus_two = float(entry.function(-2.0, **kwargs))
        if name in ("step", "relu", "leaky_relu", "elu"):
            readout = _("{name}: f(-2) = {f_at_minus_two:.4f}, f'(0) = {slope_at_zero:.4f} "
                        "(a convention: f has a jump or a corner at 0)")
        else:
            readout = "{name}: f(-2) = {f_at_minus_two:.4f}, f'(0) = {slope_at_zero:.4f}"  # formulas only
        return readout.format(name=name, f_at_minus_two=at_minus_two, slope_at_zero=at_zero)


class NeuronExplorer(Explorer):
    """Sliders for w and b; draws sigmoid(w*x + b) against the step function.

    As w grows the sigmoid gets steeper and approaches the step at x = -b/w.
    """

    def __init__(self, w: float = 1.0, b: float = 0.0) -> None:
        w, b = _start_value(w, "w", -10.0, 10.0), _start_value(b, "b", -10.0, 10.0)
        self.x = np.linspace(-10, 10, 801)
        controls = {"w": _slider("w", w, -10.0, 10.0, 0.1), "b": _slider("b", b, -10.0, 10.0, 0.1)}
        super().__init__(controls)

    def setup(self) -> None:
        (self.step_line,) = self.ax.plot(self.x, self.x, color=COLOURS["step"], linewidth=1.2, label="step(w·x + b)")
        (self.sigmoid_line,) = self.ax.plot(self.x, self.x, color=COLOURS["sigmoid"], linewidth=2.2,
                                            label="σ(w·x + b)")
        style_axes(self.ax, title=_("A sigmoid neuron"), ylabel=pgettext("axis label", "output"))
        self.ax.set_ylim(-0.1, 1.1)
        self.ax.legend(loc="upper left")

    def moving_artists(self) -> list:
        return [self.step_line, self.sigmoid_line, self.ax.get_legend()]

    def draw(self, w: float, b: float) -> str:
        z = w * self.x + b
        self.step_line.set_ydata(step(z))
        self.sigmoid_line.set_ydata(sigmoid(z))
        if w == 0:
            return _("w = 0: the output is σ(b) = {output:.3f} for every x").format(output=float(sigmoid(b)))
        midpoint = -b / w + 0.0  # + 0.0 turns -0.0 into 0.0
        return _("midpoint x = -b/w = {midpoint:.2f}; steepest slope σ'·w = w/4 = {slope:.2f}").format(
            midpoint=midpoint, slope=w / 4)


class ThresholdExplorer(Explorer):
    """A threshold slider over two 1-D samples (e.g. heights of two groups).

    Everything above the threshold is labelled as group B, the rest as group A. The ``labels``
    are shown in the learner's language when the course's catalog has them (the notebooks' labels).
    """

    def __init__(self, group_a, group_b, labels: Sequence[str] = ("A", "B"), threshold: float | None = None,
                 unit: str = "") -> None:
        self.group_a = _check_sample(group_a, "group_a")
        self.group_b = _check_sample(group_b, "group_b")
        self.labels = tuple(_check_strings(labels, "labels"))
        if len(self.labels) != 2:
            raise ValueError(ngettext("labels must name the two groups, got {count} label: {labels}",
                                      "labels must name the two groups, got {count} labels: {labels}",
                                      len(self.labels)).format(count=len(self.labels), labels=self.labels))
        if not isinstance(unit, str):
            raise TypeError(_("unit must be a string such as '(cm)', got {kind} {value!r}")
                            .format(kind=type(unit).__name__, value=unit))
        self.unit = unit
        everything = np.concatenate([self.group_a, self.group_b])
        low, high = float(np.floor(everything.min())), float(np.ceil(everything.max()))
        if high - low < 1:  # every value equal: give the slider some room
            low, high = low - 1, high + 1
        self.bins = np.linspace(low, high, 41)
        start = (low + high) / 2 if threshold is None else _start_value(threshold, "threshold", low, high)
        super().__init__({"threshold": _slider(_("threshold"), start, low, high, 0.5)})

    def setup(self) -> None:
        for group, colour, label in [(self.group_a, PALETTE[0], self.labels[0]),
                                     (self.group_b, PALETTE[1], self.labels[1])]:
            self.ax.hist(group, bins=self.bins, histtype="stepfilled", alpha=0.55, color=colour,
                         label=_shown_label(label))
        self.line = self.ax.axvline(self.bins[0], color="black", linewidth=2, label=_("threshold"))
        if self.unit:
            xlabel = pgettext("axis label", "value {unit}").format(unit=self.unit)
        else:
            xlabel = pgettext("axis label", "value")
        style_axes(self.ax, title=_("A hard threshold splits the data in two"), xlabel=xlabel,
                   ylabel=pgettext("axis label", "count"), zero_lines=False)
        self.ax.legend(loc="upper left")

    def moving_artists(self) -> list:
        return [self.line, self.ax.get_legend()]

    def draw(self, threshold: float) -> str:
        self.line.set_xdata([threshold, threshold])
        correct_a = int(np.sum(self.group_a <= threshold))
        correct_b = int(np.sum(self.group_b > threshold))
        total = self.group_a.size + self.group_b.size
        return _("threshold {threshold:.1f}: {correct_a}/{size_a} {label_a} and {correct_b}/{size_b} {label_b} "
                 "correct, accuracy {accuracy:.1%}").format(
            threshold=threshold, correct_a=correct_a, size_a=self.group_a.size, label_a=_shown_label(self.labels[0]),
            correct_b=correct_b, size_b=self.group_b.size, label_b=_shown_label(self.labels[1]),
            accuracy=(correct_a + correct_b) / total)


class GateExplorer(Explorer):
    """Sliders w1, w2, b and a gate menu; shades the side where w1·x1 + w2·x2 + b > 0.

    Points on the shaded side get output 1. Circles should be shaded, crosses not;
    a red edge marks a point the neuron gets wrong. The readout counts correct points.
    """

    def __init__(self, gate: str = "AND", w1: float = 1.0, w2: float = 1.0, b: float = -0.5) -> None:
        _check_choice(gate, "gate", GATES)
        w1, w2, b = (_start_value(value, name, -2.0, 2.0) for value, name in [(w1, "w1"), (w2, "w2"), (b, "b")])
        controls = {
            "gate": widgets.Dropdown(options=list(GATES), value=gate, description=_("gate")),
            "w1": _slider("w1", w1, -2.0, 2.0, 0.05),
            "w2": _slider("w2", w2, -2.0, 2.0, 0.05),
            "b": _slider("b", b, -2.0, 2.0, 0.05),
        }
        grid = np.linspace(-0.5, 1.5, 161)
        self.grid_x1, self.grid_x2 = np.meshgrid(grid, grid)
        super().__init__(controls, figsize=(4.8, 4.2))

    def setup(self) -> None:
        self.region = self.ax.imshow(np.zeros_like(self.grid_x1), origin="lower", extent=(-0.5, 1.5, -0.5, 1.5),
                                     cmap="Blues", vmin=0, vmax=4, interpolation="nearest")
        self.points = [self.ax.scatter(x1, x2, s=160, linewidths=2, zorder=3) for x1, x2 in GATE_INPUTS]
        style_axes(self.ax, xlabel="x1", ylabel="x2", zero_lines=False)
        self.ax.set_xlim(-0.5, 1.5)
        self.ax.set_ylim(-0.5, 1.5)

    def moving_artists(self) -> list:
        # The shaded region covers the whole axes, so the grid and the frame are drawn again on top of it.
        grid = [*self.ax.xaxis.get_gridlines(), *self.ax.yaxis.get_gridlines()]
        return [self.region, *grid, *self.ax.spines.values(), *self.points, self.ax.title]

    def draw(self, gate: str, w1: float, w2: float, b: float) -> str:
        targets = GATES[gate]
        self.region.set_data(step(w1 * self.grid_x1 + w2 * self.grid_x2 + b))
        outputs = step(GATE_INPUTS @ np.array([w1, w2]) + b)
        for point, target, output in zip(self.points, targets, outputs):
            marker = "o" if target == 1 else "X"
            point.set_paths([_MARKER_PATHS[marker]])
            point.set_facecolor(PALETTE[1] if target == 1 else "white")
            point.set_edgecolor("black" if output == target else "red")
        self.ax.set_title(_("{gate}: shaded side outputs 1").format(gate=gate))
        correct = int(np.sum(outputs == targets))
        return _("{gate}: {correct}/4 points correct (red edge = wrong)").format(gate=gate, correct=correct)


class SoftmaxExplorer(Explorer):
    """One slider per logit and a temperature slider; a live bar chart of softmax(z / T).

    The ``labels`` are shown in the learner's language when the course's catalog has them (the
    default labels and the notebooks' labels).
    """

    def __init__(self, labels: Sequence[str] = ("dog", "cat", "tiger", "person"),
                 logits: Sequence[float] = (2.0, 1.0, 0.5, -1.0), temperature: float = 1.0) -> None:
        labels = _check_strings(labels, "labels")
        logits = as_float_array(logits, "logits")
        if logits.ndim != 1:
            raise ValueError(_("logits must be a flat list of numbers, got shape {shape}").format(shape=logits.shape))
        if len(labels) != len(logits):
            raise ValueError(_("labels and logits must have the same length, got {labels} and {logits}")
                             .format(labels=len(labels), logits=len(logits)))
        logits = [_start_value(value, f"logits[{i}]", -5.0, 5.0) for i, value in enumerate(logits)]
        temperature = _start_value(temperature, "temperature", 0.1, 5.0)
        self.labels = list(labels)
        controls = {f"z{i}": _slider(_shown_label(label), float(value), -5.0, 5.0, 0.1)
                    for i, (label, value) in enumerate(zip(labels, logits))}
        controls["temperature"] = _slider("T", temperature, 0.1, 5.0, 0.1)
        super().__init__(controls)
        self.widget.children = (widgets.VBox(list(controls.values())), self.image, self.readout)

    def setup(self) -> None:
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(self.labels))]
        shown_labels = [_shown_label(label) for label in self.labels]
        self.bars = self.ax.bar(shown_labels, np.zeros(len(self.labels)), color=colours)
        style_axes(self.ax, xlabel=pgettext("axis label", "class"), ylabel=pgettext("axis label", "probability"),
                   zero_lines=False)
        self.ax.set_ylim(0, 1)

    def moving_artists(self) -> list:
        return [*self.bars.patches, self.ax.title]

    def draw(self, temperature: float, **logits: float) -> str:
        z = np.array([logits[f"z{i}"] for i in range(len(self.labels))])
        probabilities = softmax(z / temperature)
        for bar, p in zip(self.bars, probabilities):
            bar.set_height(p)
        self.ax.set_title(f"softmax(z / T), T = {temperature:.1f}")
        return ", ".join(f"{_shown_label(label)} {p:.1%}" for label, p in zip(self.labels, probabilities))


class BackpropExplorer(Explorer):
    """Sliders for x and the upstream gradient dL/dy; redraws the sigmoid's computational graph.

    The readout compares the node-by-node result with the shortcut dL/dy · y(1 − y).

    Drawing text is most of the cost of an update, so only the text that changes is drawn again: the
    forward and backward numbers, and the first line of the title and of each local derivative. Their
    other lines (the colour key, the names ∂a/∂x ...) and the "given" note stay in the saved background.
    For the same reason the title's first line is only ``x = …, ∂L/∂y = …`` (the static figure of
    :func:`~course_utils.plotting.plot_sigmoid_graph` also names the graph there).

    The picture has 1.25 pixels per CSS pixel, not 1.5: still sharp on a projector and a high-density
    screen, and a third fewer pixels to encode and decode at each update. It is written as a PNG
    without row filters (see :func:`_png_without_row_filters`): quicker, and smaller for this picture.
    """

    pixel_scale = 1.25

    def __init__(self, x: float = 1.0, dout: float = 1.0) -> None:
        x, dout = _start_value(x, "x", -6.0, 6.0), _start_value(dout, "dout", -2.0, 2.0)
        controls = {"x": _slider("x", x, -6.0, 6.0, 0.1), "dout": _slider("dL/dy", dout, -2.0, 2.0, 0.1)}
        super().__init__(controls, figsize=(11, 4))

    def setup(self) -> None:
        plot_sigmoid_graph(ax=self.ax)
        texts = {text.get_gid(): text for text in self.ax.texts if text.get_gid()}
        self.numbers = [texts[f"{kind}-{i}"] for kind in ("forward", "backward") for i in range(5)]
        # Texts whose first line changes and whose other lines do not. Each gets a twin that draws only
        # the first line, on top of a background in which the text's first line is left blank.
        self.multiline_texts = [self.ax.title, *(texts[f"local-{i}"] for i in range(4))]
        self._shown = None  # what the canvas shows of the moving texts (see _draw_only)
        self.figure.canvas.mpl_connect("draw_event", self._forget_shown)
        self.first_lines = []
        for text in self.multiline_texts:
            first_line = Text()
            first_line.update_from(text)
            first_line.set_figure(self.figure)
            self.first_lines.append(first_line)

    def moving_artists(self) -> list:
        return [*self.numbers, *self.first_lines]

    def _save_background(self) -> None:
        # Draw the multi-line texts with a blank first line: the line keeps its height, so the other lines
        # stay exactly where a full drawing puts them. Then put the whole texts back (get_title() etc.).
        full_texts = [text.get_text() for text in self.multiline_texts]
        for text, full in zip(self.multiline_texts, full_texts):
            text.set_text(" \n" + full.partition("\n")[2])
        try:
            super()._save_background()
            self._background_pixels = np.array(self.figure.canvas.buffer_rgba())  # a copy, for _draw_only
        finally:
            for text, full in zip(self.multiline_texts, full_texts):
                text.set_text(full)
        # The twin holds the first line and blank lines (the title is aligned on its last line's baseline).
        # A blank line can be lower than a line with tall glyphs (∂, parentheses), so measure how far the
        # twin's top sits below the whole text's top, in pixels, and move the twin up by that much.
        renderer = self.figure.canvas.get_renderer()
        self._first_line_shifts = [0.0] * len(self.first_lines)
        self._place_first_lines()  # a full drawing may have moved the title
        self._first_line_shifts = [text.get_window_extent(renderer).y1 - first_line.get_window_extent(renderer).y1
                                   for text, first_line in zip(self.multiline_texts, self.first_lines)]
        self._place_first_lines()

    def encode_png(self, pixels: np.ndarray) -> bytes:
        return _png_without_row_filters(pixels)

    def _draw_only(self, moving: list) -> np.ndarray:
        """Like ``Explorer._draw_only``, but write again only the texts whose words changed.

        The canvas still holds the last picture. Each changed text is wiped (its old and its new place
        are copied back from the background) and written again; the others are left as they are.
        After any full drawing of the figure (which leaves the moving texts out) everything is redrawn.
        """
        canvas = self.figure.canvas
        if self._background is None or self._shown is None:
            picture = super()._draw_only(moving)
            self._shown = self._text_places(moving)
            return picture
        pixels = np.asarray(canvas.buffer_rgba())  # the canvas's own memory: writing to it changes the picture
        changed = [artist for artist in moving if artist.get_text() != self._shown[artist][0]]
        places = {**self._shown, **self._text_places(changed)}  # a text with the same words keeps its place
        wiped = [box for artist in changed for box in (self._shown[artist][1], places[artist][1])]
        for top, bottom, left, right in wiped:
            pixels[top:bottom, left:right] = self._background_pixels[top:bottom, left:right]
        for artist in moving:
            top, bottom, left, right = places[artist][1]
            if any(top < b and t < bottom and left < r and l < right for t, b, l, r in wiped):
                self.figure.draw_artist(artist)
        self._shown = places
        return pixels

    def _text_places(self, texts: list) -> dict:
        """text artist -> (its words, the rows and columns of pixels it covers, with 2 pixels to spare)."""
        renderer = self.figure.canvas.get_renderer()
        height, width = self._background_pixels.shape[:2]
        places = {}
        for text in texts:
            box = text.get_window_extent(renderer)
            top, bottom = max(0, height - int(np.ceil(box.y1)) - 2), min(height, height - int(np.floor(box.y0)) + 2)
            left, right = max(0, int(np.floor(box.x0)) - 2), min(width, int(np.ceil(box.x1)) + 2)
            places[text] = (text.get_text(), (top, bottom, left, right))
        return places

    def _forget_shown(self, event=None) -> None:
        self._shown = None  # the canvas was drawn afresh: the next update draws every moving text

    def _place_first_lines(self) -> None:
        shifts = getattr(self, "_first_line_shifts", [0.0] * len(self.first_lines))
        for text, first_line, shift in zip(self.multiline_texts, self.first_lines, shifts):
            first_line.set_transform(text.get_transform() + Affine2D().translate(0, shift))
            first_line.set_position(text.get_position())
            lines = text.get_text().split("\n")
            first_line.set_text("\n".join([lines[0], *[" "] * (len(lines) - 1)]))

    def draw(self, x: float, dout: float) -> str:
        update_sigmoid_graph(self.ax, x, dout)
        # The title's first line: the two inputs only (a shorter line to write again at each update). The
        # other lines are the colour key, as in plot_sigmoid_graph's title (tests/test_widgets.py checks it).
        colour_key = _("blue: forward values (left to right) · red: backward values ∂L/∂(edge) (right to left)\n"
                       "each red number = the red number to its right × the black local derivative below it")
        self.ax.title.set_text(f"x = {_number(x)}, ∂L/∂y = {_number(dout)}\n{colour_key}")
        self._place_first_lines()
        values = sigmoid_graph_values(x, dout)
        y = values["forward"][-1]
        return _("node by node: dL/dx = {node_by_node:.6f};  shortcut dL/dy·y(1−y) = {shortcut:.6f}").format(
            node_by_node=values["backward"][0], shortcut=dout * y * (1 - y))


class GradientFlowExplorer(Explorer):
    """An activation menu and a depth slider; plots the gradient norm per layer on a log scale.

    Parameters
    ----------
    norms : callable
        ``norms(activation_name, depth) -> array of depth floats``: the gradient norm
        reaching each layer (layer 1 = closest to the input). The capstone supplies it.
        The explorer calls it once per (activation, depth) and keeps the results: when an
        activation is chosen it computes every depth, so that the y axis fits them all and
        stays fixed while the depth slider moves (the x axis fits ``max_depth``).
    names : sequence of str
        The activations offered in the menu.
    """

    def __init__(self, norms, names: Sequence[str] = ("sigmoid", "tanh", "relu"), depth: int = 10,
                 max_depth: int = 20) -> None:
        if not callable(norms):
            raise TypeError(_("norms must be a function norms(activation_name, depth), got {kind}")
                            .format(kind=type(norms).__name__))
        names = _check_strings(names, "names")
        max_depth = check_positive_int(max_depth, "max_depth")
        if max_depth < 2:
            raise ValueError(_("max_depth must be at least 2, got {value}").format(value=max_depth))
        depth = check_positive_int(depth, "depth")
        if not 2 <= depth <= max_depth:
            raise ValueError(_("depth must lie between 2 and max_depth = {max_depth}, got {value}")
                             .format(max_depth=max_depth, value=depth))
        self.norms = norms
        controls = {
            "name": widgets.Dropdown(options=list(names), value=names[0], description=_("activation")),
            "depth": widgets.IntSlider(value=depth, min=2, max=max_depth, step=1, description=_("layers")),
        }
        super().__init__(controls)

    def setup(self) -> None:
        (self.line,) = self.ax.semilogy([1, 2], [1, 1], marker="o")
        style_axes(self.ax, xlabel=_("layer (1 = input side)"), ylabel=_("‖∂L/∂W‖ (log scale)"),
                   zero_lines=False)
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        max_depth = self.controls["depth"].max
        margin = 0.05 * (max_depth - 1)  # as matplotlib's autoscaling would leave
        self.ax.set_xlim(1 - margin, max_depth + margin)  # fixed: every depth fits
        self._norms_cache = {}  # (name, depth) -> checked norms; each is computed once
        self._limits_name = None  # the activation the y limits were computed for

    def _checked_norms(self, name: str, depth: int) -> np.ndarray:
        """``norms(name, depth)``, checked, computed once per (name, depth)."""
        if (name, depth) not in self._norms_cache:
            values = as_float_array(self.norms(name, depth), "norms(name, depth)").ravel()
            if values.size != depth or not np.all(np.isfinite(values)) or np.any(values <= 0):
                raise ValueError(ngettext("norms({name!r}, {depth}) must return {depth} positive finite numbers, "
                                          "got {count} value: {values}",
                                          "norms({name!r}, {depth}) must return {depth} positive finite numbers, "
                                          "got {count} values: {values}", values.size)
                                 .format(name=name, depth=depth, count=values.size, values=values))
            self._norms_cache[(name, depth)] = values
        return self._norms_cache[(name, depth)]

    def _set_y_limits(self, name: str) -> None:
        """Fix the y axis to fit this activation's curves at every depth, so moving the depth slider only
        moves the line (no axis redraw). Log scale: 5 % of the range in decades as a margin each side."""
        depths = range(self.controls["depth"].min, self.controls["depth"].max + 1)
        everything = np.concatenate([self._checked_norms(name, depth) for depth in depths])
        low, high = np.log10(everything.min()), np.log10(everything.max())
        margin = 0.05 * (high - low) if high > low else 0.5  # equal norms: half a decade each side
        self.ax.set_ylim(10 ** (low - margin), 10 ** (high + margin))
        self._limits_name = name
        self._background = None  # the axis changed: save a new background

    def moving_artists(self) -> list:
        return [self.line, self.ax.title]

    def draw(self, name: str, depth: int) -> str:
        values = self._checked_norms(name, depth)  # the shown depth first: its error is the one to report
        if name != self._limits_name:
            self._set_y_limits(name)
        layers = np.arange(1, values.size + 1)
        self.line.set_data(layers, values)
        self.line.set_color(COLOURS.get(name, PALETTE[0]))
        title = ngettext("Gradient norm per layer ({name}, {depth} layer)",
                         "Gradient norm per layer ({name}, {depth} layers)", depth)
        self.ax.set_title(title.format(name=name, depth=depth))
        ratio = values[0] / values[-1]
        return _("{name}: first-layer gradient is {ratio:.2e} × the last layer's").format(name=name, ratio=ratio)
