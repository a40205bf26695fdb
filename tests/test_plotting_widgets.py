"""Plotting helpers and the ipywidgets explorers."""

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
