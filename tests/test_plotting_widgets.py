"""Plotting helpers and the ipywidgets explorers."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils import plotting, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    def refuse():
        raise AssertionError("course_utils must never call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


@pytest.mark.parametrize("name", list(cu.ACTIVATIONS))
def test_plot_activation_returns_a_labelled_axes(name):
    ax = cu.plot_activation(name)
    assert isinstance(ax, plt.Axes)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert len(ax.get_lines()) >= 2 and ax.xaxis.get_gridlines()[0].get_visible()


def test_plot_activations_uses_one_fixed_colour_per_function():
    ax = cu.plot_activations(["sigmoid", "relu"], derivative=True, ylim=(-1, 2))
    colours = {line.get_label(): line.get_color() for line in ax.get_lines()}
    assert colours["sigmoid'"] == plotting.COLOURS["sigmoid"] and colours["relu'"] == plotting.COLOURS["relu"]
    assert ax.get_ylim() == (-1, 2)
    with pytest.raises(ValueError, match="name must be one of"):
        cu.plot_activation("swish")


def test_sigmoid_graph_backward_matches_the_formula():
    values = plotting.sigmoid_graph_values(0.7, dout=1.5)
    y = values["forward"][-1]
    assert np.isclose(values["backward"][0], 1.5 * y * (1 - y))
    ax = plotting.plot_sigmoid_graph(0.7, 1.5)
    assert "computational graph" in ax.get_title()


EXPLORERS = {
    "activation": lambda: widgets.ActivationExplorer(name="elu"),
    "neuron": lambda: widgets.NeuronExplorer(),
    "threshold": lambda: widgets.ThresholdExplorer(np.arange(150, 170.0), np.arange(165, 185.0)),
    "gate": lambda: widgets.GateExplorer(),
    "softmax": lambda: widgets.SoftmaxExplorer(),
    "backprop": lambda: widgets.BackpropExplorer(),
    "gradient_flow": lambda: widgets.GradientFlowExplorer(lambda name, depth: np.logspace(-depth, 0, depth)),
}


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_moving_any_control_redraws_the_figure_or_the_readout(name):
    explorer = EXPLORERS[name]()
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    sliders_first = sorted(explorer.controls.values(), key=lambda control: hasattr(control, "options"))
    for control in sliders_first:
        before = (bytes(explorer.image.value), explorer.readout.value)
        if hasattr(control, "options"):
            control.value = control.options[-1] if control.value != control.options[-1] else control.options[0]
        else:
            control.value = control.max if control.value != control.max else control.min
        assert (bytes(explorer.image.value), explorer.readout.value) != before, control.description


def test_explorers_show_a_short_plain_text_fallback():
    bundle = widgets.NeuronExplorer()._repr_mimebundle_()
    assert bundle["text/plain"] == "NeuronExplorer: run this cell in JupyterLab to interact."
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_activation_explorer_disables_alpha_when_it_does_not_apply():
    explorer = widgets.ActivationExplorer(name="sigmoid")
    assert explorer.controls["alpha"].disabled
    explorer.controls["name"].value = "elu"
    assert not explorer.controls["alpha"].disabled
    assert "f'(0) = 0.1000" in explorer.readout.value  # elu_grad(0) = alpha


def test_gate_explorer_counts_correct_points():
    explorer = widgets.GateExplorer(gate="AND", w1=1.0, w2=1.0, b=-1.5)
    assert "4/4 points correct" in explorer.readout.value
    explorer.controls["gate"].value = "XOR"
    assert "4/4" not in explorer.readout.value


def test_softmax_explorer_validates_its_arguments():
    with pytest.raises(ValueError, match="same length"):
        widgets.SoftmaxExplorer(labels=("a", "b"), logits=(1.0,))


def test_setup_seeds_and_prints_scalars_plainly():
    first = cu.setup().normal(size=3)
    second = cu.setup().normal(size=3)
    assert np.array_equal(first, second)
    assert repr(np.float64(0.5)) == "0.5"
    assert repr(np.array([1.0, 1.0, 0.99330715])) == "array([1.        , 1.        , 0.99330715])"


# ------------------------------------------------------------------ honest figures
def _finite_neighbours(line):
    """Pairs of consecutive points of a drawn line that are both finite (a NaN breaks the line there)."""
    x, y = (np.asarray(values, dtype=float) for values in line.get_data())
    both = np.isfinite(x[:-1]) & np.isfinite(x[1:]) & np.isfinite(y[:-1]) & np.isfinite(y[1:])
    return x[:-1][both], x[1:][both], y[:-1][both], y[1:][both]


def _curves(ax):
    """The drawn curves: not the markers, not the grey axes at 0 drawn by style_axes."""
    return [line for line in ax.get_lines()
            if line.get_linestyle() not in ("None", "none", "") and line.get_gid() != "zero-line"]


@pytest.mark.parametrize("name", list(cu.ACTIVATIONS))
def test_no_curve_is_drawn_with_a_vertical_jump_segment(name):
    # On a grid of step 0.01 every activation and derivative of the course changes by far less than 0.1
    # between neighbouring points, except across a jump, which must be a gap in the line, not a segment.
    ax = cu.plot_activation(name, x=np.linspace(-3, 3, 601), alpha=0.5)  # elu' jumps when alpha != 1
    for line in _curves(ax):
        _, _, y0, y1 = _finite_neighbours(line)
        assert np.max(np.abs(y1 - y0)) < 0.1, line.get_label()
    for derivative in (False, True):
        ax = cu.plot_activations(x=np.linspace(-3, 3, 601), derivative=derivative)
        for line in _curves(ax):
            _, _, y0, y1 = _finite_neighbours(line)
            assert np.max(np.abs(y1 - y0)) < 0.1, line.get_label()


def _markers(ax, gid):
    points = [np.column_stack(line.get_data()) for line in ax.get_lines() if line.get_gid() == gid]
    return np.concatenate(points) if points else np.empty((0, 2))


@pytest.mark.parametrize("name, derivative, value, excluded", [
    ("relu", True, 0.0, 1.0),          # relu_grad(0) = 0 by the course's convention; 1 is the right limit
    ("leaky_relu", True, 0.01, 1.0),
    ("step", False, 0.0, 1.0),         # step(0) = 0 (strict >)
])
def test_a_jump_shows_the_value_taken_and_the_limit_not_taken(name, derivative, value, excluded):
    ax = cu.plot_activations([name], derivative=derivative)
    assert _markers(ax, "value-at-jump").tolist() == [[0.0, value]]
    assert _markers(ax, "excluded-limit").tolist() == [[0.0, excluded]]
    (curve,) = _curves(ax)
    assert np.isnan(curve.get_ydata()).sum() == 1  # exactly one gap


def test_smooth_curves_get_no_jump_markers():
    ax = cu.plot_activations(["sigmoid", "tanh", "softplus", "elu", "relu"])  # elu (alpha 1) is smooth; relu has a kink
    assert len(_markers(ax, "value-at-jump")) == 0 and len(_markers(ax, "excluded-limit")) == 0
    ax = cu.plot_activation("elu", derivative=True)  # elu'(0) = alpha = 1: continuous
    assert len(_markers(ax, "value-at-jump")) == 0


def _covered_share(below, above_lines, ax) -> float:
    """Share of the points of ``below`` hidden under a solid line drawn above it that is at least as wide.

    Measured on screen: a point is hidden when a solid upper line passes within half its width (in points)
    of it. Dashed or dotted upper lines leave gaps, so they hide nothing.
    """
    to_points = ax.transData.transform
    x, y = _xy(below)
    screen = to_points(np.column_stack([x, y])) * 72 / ax.figure.dpi
    hidden = np.zeros(len(x), dtype=bool)
    for above in above_lines:
        if above.get_linestyle() != "-" or above.get_linewidth() < below.get_linewidth():
            continue
        upper = to_points(np.column_stack([x, np.interp(x, *_xy(above))])) * 72 / ax.figure.dpi
        hidden |= np.abs(upper[:, 1] - screen[:, 1]) <= above.get_linewidth() / 2
    return hidden.mean()


@pytest.mark.parametrize("derivative", [False, True])
@pytest.mark.parametrize("names", [["step", "sigmoid", "tanh", "identity"], ["relu", "leaky_relu", "elu", "softplus"]])
def test_no_curve_of_notebook_04s_comparison_is_hidden_under_another(names, derivative):
    # ReLU was invisible under leaky ReLU (alpha = 0.01): identical for x > 0, 0.05 apart at x = -5.
    fig, ax = plt.subplots(figsize=(6, 4))
    cu.plot_activations(names, x=np.linspace(-5, 5, 1001), ax=ax, derivative=derivative)
    fig.canvas.draw()
    curves = _curves(ax)  # in drawing order; zorder decides what is on top
    for i, below in enumerate(curves):
        above = [line for j, line in enumerate(curves) if line.get_zorder() > below.get_zorder()
                 or (line.get_zorder() == below.get_zorder() and j > i)]
        assert _covered_share(below, above, ax) < 0.5, below.get_label()


def _xy(line):
    x, y = (np.asarray(values, dtype=float) for values in line.get_data())
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def test_alpha_is_written_in_the_comparison_legend():
    ax = cu.plot_activations(["relu", "leaky_relu", "elu"])
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels == ["relu", "leaky_relu (α = 0.01)", "elu (α = 1)"]


# ------------------------------------------------------------------ the computational graph (notebook 06)
def _hue_degrees(colour):
    import colorsys

    from matplotlib.colors import to_rgb

    hue, _, saturation = colorsys.rgb_to_hls(*to_rgb(colour))
    return hue * 360, saturation


def test_graph_colours_are_the_ones_its_title_names():
    ax = plotting.plot_sigmoid_graph(1.0, 2.0)
    texts = {text.get_gid(): text for text in ax.texts if text.get_gid()}
    title = ax.get_title()
    assert "blue" in title and "red" in title and "black" in title
    forward_hue, forward_saturation = _hue_degrees(texts["forward-0"].get_color())
    backward_hue, backward_saturation = _hue_degrees(texts["backward-0"].get_color())
    assert 190 <= forward_hue <= 240 and forward_saturation > 0.6  # blue
    assert (backward_hue <= 10 or backward_hue >= 350) and backward_saturation > 0.6  # red, not orange
    assert texts["local-0"].get_color() in ("black", "#000000", (0, 0, 0, 1))


def test_graph_shows_the_local_derivative_on_every_edge_and_they_multiply():
    values = plotting.sigmoid_graph_values(0.7, dout=1.5)
    for i in range(4):
        assert np.isclose(values["backward"][i], values["backward"][i + 1] * values["local"][i])
    ax = plotting.plot_sigmoid_graph(0.7, 1.5)
    texts = {text.get_gid(): text.get_text() for text in ax.texts if text.get_gid()}
    for i in range(4):
        shown = texts[f"local-{i}"].splitlines()[0].replace("× ", "").replace("\u2212", "-")
        assert np.isclose(float(shown), values["local"][i], rtol=1e-3), texts[f"local-{i}"]
        assert "∂" in texts[f"local-{i}"]
    plotting.update_sigmoid_graph(ax, -2.0, 0.5)
    texts = {text.get_gid(): text.get_text() for text in ax.texts if text.get_gid()}
    assert texts["forward-0"] == "\u22122" and texts["local-1"].startswith("× 7.389")


def test_graph_is_large_and_readable():
    ax = plotting.plot_sigmoid_graph()
    width, height = ax.figure.get_size_inches()
    assert width >= 10 and height >= 3.5
    numbers = [text for text in ax.texts if (text.get_gid() or "").startswith(("forward", "backward"))]
    assert len(numbers) == 10 and min(text.get_fontsize() for text in numbers) >= 11


# ------------------------------------------------------------------ resolution
def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_explorer_pictures_have_more_pixels_than_their_size_on_the_page():
    explorer = widgets.NeuronExplorer()
    pixels_wide, _ = _png_size(bytes(explorer.image.value))
    css_width = int(explorer.image.layout.width.removesuffix("px"))
    assert css_width == round(6.4 * 80)  # the same size on the page as before
    assert pixels_wide >= 1.5 * css_width


@pytest.mark.slow
def test_notebook_figures_are_retina_at_their_usual_size(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    cells = ["import matplotlib.pyplot as plt\nimport course_utils as cu\nrng = cu.setup()",
             "fig, ax = plt.subplots()\nax.plot([0, 1], [0, 1])\nplt.show()"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    (output,) = nb.cells[1].outputs
    import base64

    pixels_wide, pixels_high = _png_size(base64.b64decode(output.data["image/png"]))
    shown = output.metadata["image/png"]
    assert shown["width"] == pixels_wide // 2 and shown["height"] == pixels_high // 2
    assert 0.8 * 6.4 * 80 <= shown["width"] <= 1.05 * 6.4 * 80  # a 6.4-inch figure at 80 dpi, cropped tight
    assert nb.cells[0].outputs == []  # and setup() prints nothing in this repository's own environment


# ------------------------------------------------------------------ bad arguments: clear errors naming the argument
BAD_PLOT_CALLS = [
    (lambda: cu.plot_activation(3), TypeError, "name must be the name of an activation"),
    (lambda: cu.plot_activation("swish"), ValueError, "name must be one of"),
    (lambda: cu.plot_activation("relu", x=[]), ValueError, "x must hold at least 2 points"),
    (lambda: cu.plot_activation("relu", x=[[0.0, 1.0], [2.0, 3.0]]), ValueError, "x must be a 1-D array"),
    (lambda: cu.plot_activation("relu", x=[0.0, np.nan, 1.0]), ValueError, "x must contain only finite"),
    (lambda: cu.plot_activation("relu", x=[0.0, np.inf]), ValueError, "x must contain only finite"),
    (lambda: cu.plot_activation("relu", x=[1.0, 1.0, 1.0]), ValueError, "x must span a range"),
    (lambda: cu.plot_activation("relu", x="0 to 5"), TypeError, "x must be a real number"),
    (lambda: cu.plot_activation("relu", ax="left"), TypeError, "ax must be a matplotlib Axes"),
    (lambda: cu.plot_activation("elu", alpha=np.nan), ValueError, "alpha must be a finite"),
    (lambda: cu.plot_activation("elu", alpha=-1), ValueError, "alpha must be >= 0"),
    (lambda: cu.plot_activation("elu", alpha="big"), TypeError, "alpha must be a real number"),
    (lambda: cu.plot_activation("relu", derivative="yes"), TypeError, "derivative must be True or False"),
    (lambda: cu.plot_activations("relu"), TypeError, "names must be a list"),
    (lambda: cu.plot_activations([]), ValueError, "names must hold at least one"),
    (lambda: cu.plot_activations(["relu", 5]), TypeError, "names must be the name of an activation"),
    (lambda: cu.plot_activations(["relu", "gelu"]), ValueError, "names must be one of"),
    (lambda: cu.plot_activations(42), TypeError, "names must be a list"),
    (lambda: cu.plot_activations(ylim=(2, 1)), ValueError, "ylim must be (low, high) with low < high"),
    (lambda: cu.plot_activations(ylim=5), TypeError, "ylim must be a pair"),
    (lambda: cu.plot_activations(ylim=(0, np.inf)), ValueError, "ylim[1] must be a finite"),
    (lambda: plotting.plot_sigmoid_graph(x="1"), TypeError, "x must be a real number"),
    (lambda: plotting.plot_sigmoid_graph(dout=np.nan), ValueError, "dout must be a finite"),
    (lambda: plotting.plot_sigmoid_graph(ax=3), TypeError, "ax must be a matplotlib Axes"),
    (lambda: plotting.update_sigmoid_graph(None, 1.0), TypeError, "ax must be"),
    (lambda: plotting.style_axes(None), TypeError, "ax must be a matplotlib Axes"),
    (lambda: plotting.style_axes(plt.gca(), title=3), TypeError, "title must be a string"),
]


@pytest.mark.parametrize("call, error, message", BAD_PLOT_CALLS, ids=[m for _, _, m in BAD_PLOT_CALLS])
def test_plotting_refuses_bad_arguments_by_name(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def _flat_norms(name, depth):
    return np.ones(depth)


BAD_EXPLORERS = [
    (lambda: widgets.ActivationExplorer(name="swish"), ValueError, "name must be one of"),
    (lambda: widgets.ActivationExplorer(name=None), TypeError, "name must be the name of an activation"),
    (lambda: widgets.ActivationExplorer(alpha=5.0), ValueError, "alpha must lie between 0 and 2"),
    (lambda: widgets.ActivationExplorer(alpha="0.1"), TypeError, "alpha must be a real number"),
    (lambda: widgets.ActivationExplorer(x=[1.0]), ValueError, "x must hold at least 2 points"),
    (lambda: widgets.NeuronExplorer(w=20.0), ValueError, "w must lie between -10 and 10"),
    (lambda: widgets.NeuronExplorer(b=None), TypeError, "b must be a real number"),
    (lambda: widgets.NeuronExplorer(w=np.nan), ValueError, "w must be a finite"),
    (lambda: widgets.ThresholdExplorer([], [1.0, 2.0]), ValueError, "group_a must hold at least one value"),
    (lambda: widgets.ThresholdExplorer([1.0, np.nan], [2.0]), ValueError, "group_a must contain only finite"),
    (lambda: widgets.ThresholdExplorer([1.0], "tall"), TypeError, "group_b must be a real number"),
    (lambda: widgets.ThresholdExplorer([1.0], [2.0], labels="AB"), TypeError, "labels must be a list of strings"),
    (lambda: widgets.ThresholdExplorer([1.0], [2.0], labels=("a", "b", "c")), ValueError, "labels must name the two"),
    (lambda: widgets.ThresholdExplorer([150.0], [180.0], threshold=500), ValueError, "threshold must lie between"),
    (lambda: widgets.ThresholdExplorer([150.0], [180.0], unit=5), TypeError, "unit must be a string"),
    (lambda: widgets.GateExplorer(gate="XNOR"), ValueError, "gate must be one of"),
    (lambda: widgets.GateExplorer(gate=1), TypeError, "gate must be a string"),
    (lambda: widgets.GateExplorer(w1=3.0), ValueError, "w1 must lie between -2 and 2"),
    (lambda: widgets.SoftmaxExplorer(labels=("a", "b"), logits=(1.0, "x")), TypeError, "logits must contain real"),
    (lambda: widgets.SoftmaxExplorer(labels=("a", "b"), logits=(1.0, 99.0)), ValueError, "logits[1] must lie"),
    (lambda: widgets.SoftmaxExplorer(labels=(1, 2), logits=(1.0, 2.0)), TypeError, "every entry of labels"),
    (lambda: widgets.SoftmaxExplorer(labels=(), logits=()), ValueError, "labels must not be empty"),
    (lambda: widgets.SoftmaxExplorer(temperature=0.0), ValueError, "temperature must lie between 0.1 and 5"),
    (lambda: widgets.BackpropExplorer(x=100.0), ValueError, "x must lie between -6 and 6"),
    (lambda: widgets.BackpropExplorer(dout="1"), TypeError, "dout must be a real number"),
    (lambda: widgets.GradientFlowExplorer(5), TypeError, "norms must be a function"),
    (lambda: widgets.GradientFlowExplorer(_flat_norms, names=[]), ValueError, "names must not be empty"),
    (lambda: widgets.GradientFlowExplorer(_flat_norms, names="relu"), TypeError, "names must be a list of strings"),
    (lambda: widgets.GradientFlowExplorer(_flat_norms, depth=1), ValueError, "depth must lie between 2"),
    (lambda: widgets.GradientFlowExplorer(_flat_norms, depth=30), ValueError, "depth must lie between 2"),
    (lambda: widgets.GradientFlowExplorer(_flat_norms, max_depth=1.5), TypeError, "max_depth must be a positive"),
    (lambda: widgets.GradientFlowExplorer(lambda name, depth: np.ones(3)), ValueError,
     "norms('sigmoid', 10) must return 10 positive finite"),
    (lambda: widgets.GradientFlowExplorer(lambda name, depth: "big"), TypeError, "norms(name, depth) must"),
]


@pytest.mark.parametrize("make, error, message", BAD_EXPLORERS, ids=[m for _, _, m in BAD_EXPLORERS])
def test_explorers_refuse_bad_arguments_by_name(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


def test_explorer_base_refuses_a_bad_figure_size():
    controls = {"w": widgets.widgets.FloatSlider()}
    with pytest.raises(ValueError, match="figsize must be"):
        widgets.Explorer(controls, figsize=(0, 3))
    with pytest.raises(TypeError, match="figsize must be a pair"):
        widgets.Explorer(controls, figsize="big")
    with pytest.raises(TypeError, match="controls must be a dict"):
        widgets.Explorer(["w"])


def test_threshold_explorer_copes_with_identical_values():
    explorer = widgets.ThresholdExplorer([160.0] * 5, [160.0] * 5)
    slider = explorer.controls["threshold"]
    assert slider.min < 160 < slider.max and "accuracy" in explorer.readout.value


def test_a_fast_drag_is_drawn_once_and_ends_at_the_final_position():
    # In a kernel the observer runs on an event loop. Values that arrive while a redraw has just happened
    # are not drawn one by one (they would queue up behind the slider): one update draws the newest values.
    import asyncio

    explorer = widgets.NeuronExplorer()
    drawn = []
    original_update = explorer.update

    def counted_update():
        drawn.append(explorer.controls["w"].value)
        return original_update()

    explorer.update = counted_update

    async def drag():
        for value in np.linspace(-5.0, 5.0, 21):  # no await: nothing else can run meanwhile
            explorer.controls["w"].set_state({"value": float(value)})  # what a message from the browser does
        await asyncio.sleep(3 * widgets.MIN_SECONDS_BETWEEN_DRAWS)

    asyncio.run(drag())
    assert 1 <= len(drawn) <= 2 and drawn[-1] == 5.0
    assert explorer.readout.value == f"<code>{explorer.draw(**explorer.values())}</code>"
    assert "w/4 = 1.25" in explorer.readout.value


def test_a_change_made_by_code_is_drawn_at_once_even_inside_an_event_loop():
    import asyncio

    explorer = widgets.NeuronExplorer()

    async def set_from_a_cell():  # a cell of a notebook runs inside the kernel's event loop
        explorer.controls["w"].value = 4.0
        return explorer.readout.value

    assert "w/4 = 1.00" in asyncio.run(set_from_a_cell())


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_an_update_draws_the_same_picture_as_a_full_redraw(name):
    # Explorers with moving_artists() redraw only those on top of a saved background ("blitting").
    import io

    from PIL import Image

    explorer = EXPLORERS[name]()
    for control in explorer.controls.values():  # move every control once
        if hasattr(control, "options"):
            control.value = control.options[-1] if control.value != control.options[-1] else control.options[0]
        else:
            control.value = control.min + 0.3 * (control.max - control.min)
    updated = np.asarray(Image.open(io.BytesIO(bytes(explorer.image.value))).convert("RGB"), dtype=float)
    for artist in explorer.figure.findobj():
        artist.set_animated(False)
    buffer = io.BytesIO()
    explorer.figure.savefig(buffer, format="png")
    full = np.asarray(Image.open(buffer).convert("RGB"), dtype=float)
    assert updated.shape == full.shape
    assert np.abs(updated - full).mean() < 1.0  # out of 255: the grid may sit over or under a bar


def test_a_value_from_the_browser_is_drawn_once_just_after_the_message_is_answered():
    # The kernel answers the browser's message first (so the browser can send the next value at once) and
    # draws afterwards, on the event loop: not inside the handler, and exactly once.
    import asyncio

    explorer = widgets.BackpropExplorer()
    drawn = []
    original_update = explorer.update

    def counted_update():
        drawn.append(explorer.controls["x"].value)
        return original_update()

    explorer.update = counted_update
    before = bytes(explorer.image.value)

    async def message_from_the_browser():
        explorer.controls["x"].set_state({"value": -2.5})  # what a message from the browser does
        handled = (list(drawn), bytes(explorer.image.value))  # the handler has returned
        await asyncio.sleep(3 * widgets.MIN_SECONDS_BETWEEN_DRAWS)
        return handled

    drawn_in_handler, picture_in_handler = asyncio.run(message_from_the_browser())
    assert drawn_in_handler == [] and picture_in_handler == before
    assert drawn == [-2.5] and bytes(explorer.image.value) != before
    assert "x = \u22122.5" in explorer.ax.get_title()


def _norms_that_shrink(name, depth):
    shrink = {"sigmoid": 0.25, "tanh": 0.6, "relu": 1.0}[name]
    return shrink ** np.arange(depth, 0, -1)


@pytest.mark.parametrize("make, moves", [
    (lambda: widgets.BackpropExplorer(), [("x", -2.3), ("dout", 0.7), ("x", 5.5), ("dout", -1.9)]),
    (lambda: widgets.ActivationExplorer(name="elu"),
     [("alpha", 0.5), ("name", "leaky_relu"), ("alpha", 1.3), ("name", "sigmoid"), ("name", "elu")]),
    (lambda: widgets.GradientFlowExplorer(_norms_that_shrink, depth=10, max_depth=20),
     [("depth", 14), ("name", "tanh"), ("depth", 3), ("name", "relu"), ("depth", 20), ("name", "sigmoid")]),
], ids=["backprop", "activation", "gradient_flow"])
def test_an_optimised_explorer_after_updates_shows_exactly_a_fresh_full_drawing(make, moves):
    # These explorers keep most of the picture as a saved background and draw only what moves (for the
    # graph, only the first line of its multi-line texts). After several updates the picture must be the
    # one a new explorer draws from scratch at the same values.
    import io

    from PIL import Image

    def pixels(data):
        return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)

    explorer = make()
    for name, value in moves:
        explorer.controls[name].value = value
        fresh = make()
        for control, control_value in explorer.values().items():
            fresh.controls[control].value = control_value
        for artist in fresh.figure.findobj():
            artist.set_animated(False)
        buffer = io.BytesIO()
        fresh.figure.savefig(buffer, format="png")
        updated, full = pixels(bytes(explorer.image.value)), pixels(buffer.getvalue())
        assert updated.shape == full.shape, (name, value)
        assert np.abs(updated - full).mean() < 0.01, (name, value)  # out of 255: the same picture
        assert explorer.readout.value == fresh.readout.value
