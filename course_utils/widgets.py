"""Interactive explorers for the notebooks, built on ipywidgets.

Each explorer draws a matplotlib figure off-screen and shows it as a PNG inside
an ``ipywidgets.Image``, with a text readout below. Moving a control calls
``update()``, which redraws the figure and refreshes the readout. This keeps
every update fast (tens of milliseconds) and needs no special matplotlib backend.

Display an explorer by making it the last expression of a cell. In tests and
benchmarks call ``update()`` directly, or set a control's ``value``.
"""

from __future__ import annotations

import io
from typing import Sequence

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .activations import ACTIVATIONS, sigmoid, softmax, step
from .plotting import COLOURS, PALETTE, activation_names, plot_activation, style_axes
from .validation import as_float_array

__all__ = ["Explorer", "ActivationExplorer", "NeuronExplorer", "ThresholdExplorer", "GateExplorer",
           "SoftmaxExplorer", "GATES"]

#: Truth tables of two-input logic gates, for the perceptron notebooks.
GATES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}
#: The four inputs (x1, x2) that the truth tables above refer to, in order.
GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def _slider(description: str, value: float, low: float, high: float, step_size: float) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step_size, description=description,
                               continuous_update=True, readout_format=".2f")


class Explorer:
    """Base class: controls on top, the figure, then a one-line readout.

    Subclasses build ``self.controls`` (name -> widget) and implement
    ``draw(**values) -> str``, which draws on ``self.ax`` and returns the readout.
    """

    def __init__(self, controls: dict[str, widgets.Widget], figsize: tuple[float, float] = (6.4, 3.6)) -> None:
        self.controls = controls
        self.figure = Figure(figsize=figsize, dpi=80)
        FigureCanvasAgg(self.figure)
        self.ax = self.figure.add_subplot()
        self.image = widgets.Image(format="png")
        self.readout = widgets.HTML()
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(controls.values())), self.image, self.readout])
        self.update()

    def values(self) -> dict[str, object]:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change: dict) -> None:
        self.update()

    def update(self) -> str:
        """Redraw for the current control values; return the readout text."""
        self.ax.clear()
        text = self.draw(**self.values())
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        self.readout.value = f"<code>{text}</code>"
        return text

    def draw(self, **values) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # A short, stable text for places that cannot show widgets (and for nbval).
        bundle["text/plain"] = f"{type(self).__name__}: run this cell in JupyterLab to interact."
        return bundle


class ActivationExplorer(Explorer):
    """A function dropdown and an alpha slider; draws f (solid) and f' (dashed).

    The alpha slider only matters for ``leaky_relu`` and ``elu``.
    """

    def __init__(self, name: str = "relu", alpha: float = 0.1, x: np.ndarray | None = None) -> None:
        self.x = np.linspace(-4, 4, 401) if x is None else np.asarray(x, dtype=float)
        controls = {
            "name": widgets.Dropdown(options=activation_names(), value=name, description="function"),
            "alpha": _slider("alpha", alpha, 0.0, 2.0, 0.01),
        }
        super().__init__(controls)

    def draw(self, name: str, alpha: float) -> str:
        entry = ACTIVATIONS[name]
        plot_activation(name, self.x, ax=self.ax, alpha=alpha)
        self.ax.set_ylim(-2.2, 4.2)
        self.controls["alpha"].disabled = not entry.has_alpha
        kwargs = {"alpha": alpha} if entry.has_alpha else {}
        at_zero = float(entry.derivative(0.0, **kwargs))
        at_minus_two = float(entry.function(-2.0, **kwargs))
        return f"{name}: f(-2) = {at_minus_two:.4f}, f'(0) = {at_zero:.4f} (convention at the kink)"


class NeuronExplorer(Explorer):
    """Sliders for w and b; draws sigmoid(w*x + b) against the step function.

    As w grows the sigmoid gets steeper and approaches the step at x = -b/w.
    """

    def __init__(self, w: float = 1.0, b: float = 0.0) -> None:
        self.x = np.linspace(-10, 10, 801)
        controls = {"w": _slider("w", w, -10.0, 10.0, 0.1), "b": _slider("b", b, -10.0, 10.0, 0.1)}
        super().__init__(controls)

    def draw(self, w: float, b: float) -> str:
        z = w * self.x + b
        self.ax.plot(self.x, step(z), color=COLOURS["step"], linewidth=1.2, label="step(w·x + b)")
        self.ax.plot(self.x, sigmoid(z), color=COLOURS["sigmoid"], linewidth=2.2, label="σ(w·x + b)")
        style_axes(self.ax, title="A sigmoid neuron", ylabel="output")
        self.ax.set_ylim(-0.1, 1.1)
        self.ax.legend(loc="upper left")
        if w == 0:
            return f"w = 0: the output is σ(b) = {float(sigmoid(b)):.3f} for every x"
        return f"midpoint x = -b/w = {-b / w:.2f}; steepest slope σ'·w = w/4 = {w / 4:.2f}"


class ThresholdExplorer(Explorer):
    """A threshold slider over two 1-D samples (e.g. heights of two groups).

    Everything above the threshold is labelled as group B, the rest as group A.
    """

    def __init__(self, group_a, group_b, labels: Sequence[str] = ("A", "B"), threshold: float | None = None,
                 unit: str = "") -> None:
        self.group_a = as_float_array(group_a, "group_a").ravel()
        self.group_b = as_float_array(group_b, "group_b").ravel()
        self.labels = tuple(labels)
        self.unit = unit
        everything = np.concatenate([self.group_a, self.group_b])
        low, high = float(np.floor(everything.min())), float(np.ceil(everything.max()))
        self.bins = np.linspace(low, high, 41)
        start = (low + high) / 2 if threshold is None else threshold
        super().__init__({"threshold": _slider("threshold", start, low, high, 0.5)})

    def draw(self, threshold: float) -> str:
        self.ax.hist(self.group_a, bins=self.bins, alpha=0.6, color=PALETTE[0], label=self.labels[0])
        self.ax.hist(self.group_b, bins=self.bins, alpha=0.6, color=PALETTE[1], label=self.labels[1])
        self.ax.axvline(threshold, color="black", linewidth=2, label="threshold")
        style_axes(self.ax, title="A hard threshold splits the data in two", xlabel=f"value {self.unit}".strip(),
                   ylabel="count")
        self.ax.legend(loc="upper left")
        correct_a = int(np.sum(self.group_a <= threshold))
        correct_b = int(np.sum(self.group_b > threshold))
        total = self.group_a.size + self.group_b.size
        return (f"threshold {threshold:.1f}: {correct_a}/{self.group_a.size} {self.labels[0]} and "
                f"{correct_b}/{self.group_b.size} {self.labels[1]} correct, "
                f"accuracy {(correct_a + correct_b) / total:.1%}")


class GateExplorer(Explorer):
    """Sliders w1, w2, b and a gate menu; draws the line w1·x1 + w2·x2 + b = 0.

    Points on the shaded side get output 1. The readout counts correct points.
    """

    def __init__(self, gate: str = "AND", w1: float = 1.0, w2: float = 1.0, b: float = -0.5) -> None:
        controls = {
            "gate": widgets.Dropdown(options=list(GATES), value=gate, description="gate"),
            "w1": _slider("w1", w1, -2.0, 2.0, 0.05),
            "w2": _slider("w2", w2, -2.0, 2.0, 0.05),
            "b": _slider("b", b, -2.0, 2.0, 0.05),
        }
        grid = np.linspace(-0.5, 1.5, 121)
        self.grid_x1, self.grid_x2 = np.meshgrid(grid, grid)
        super().__init__(controls, figsize=(4.8, 4.2))

    def draw(self, gate: str, w1: float, w2: float, b: float) -> str:
        targets = GATES[gate]
        fires = step(w1 * self.grid_x1 + w2 * self.grid_x2 + b)
        self.ax.contourf(self.grid_x1, self.grid_x2, fires, levels=[-0.5, 0.5, 1.5],
                         colors=["white", "#CDE3F5"])
        outputs = step(GATE_INPUTS @ np.array([w1, w2]) + b)
        for (x1, x2), target, output in zip(GATE_INPUTS, targets, outputs):
            marker = "o" if target == 1 else "X"
            edge = "black" if output == target else "red"
            self.ax.scatter(x1, x2, s=160, marker=marker, color=PALETTE[int(target)], edgecolors=edge,
                            linewidths=2, zorder=3)
        style_axes(self.ax, title=f"{gate}: shaded side outputs 1", xlabel="x1", ylabel="x2")
        self.ax.set_xlim(-0.5, 1.5)
        self.ax.set_ylim(-0.5, 1.5)
        correct = int(np.sum(outputs == targets))
        return f"{gate}: {correct}/4 points correct (red edge = wrong)"


class SoftmaxExplorer(Explorer):
    """One slider per logit and a temperature slider; a live bar chart of softmax(z / T)."""

    def __init__(self, labels: Sequence[str] = ("dog", "cat", "tiger", "person"),
                 logits: Sequence[float] = (2.0, 1.0, 0.5, -1.0), temperature: float = 1.0) -> None:
        if len(labels) != len(logits):
            raise ValueError(f"labels and logits must have the same length, got {len(labels)} and {len(logits)}")
        self.labels = list(labels)
        controls = {f"z{i}": _slider(label, float(value), -5.0, 5.0, 0.1)
                    for i, (label, value) in enumerate(zip(labels, logits))}
        controls["temperature"] = _slider("T", temperature, 0.1, 5.0, 0.1)
        super().__init__(controls)
        self.widget.children = (widgets.VBox(list(controls.values())), self.image, self.readout)

    def draw(self, temperature: float, **logits: float) -> str:
        z = np.array([logits[f"z{i}"] for i in range(len(self.labels))])
        probabilities = softmax(z / temperature)
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(self.labels))]
        self.ax.bar(self.labels, probabilities, color=colours)
        style_axes(self.ax, title=f"softmax(z / T), T = {temperature:.1f}", xlabel="class", ylabel="probability")
        self.ax.set_ylim(0, 1)
        return ", ".join(f"{label} {p:.1%}" for label, p in zip(self.labels, probabilities))
