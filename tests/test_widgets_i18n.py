"""The explorers in the learner's language (course_utils/widgets.py, issue 14).

English stays exactly as it was; with a pseudo catalog (every message ⟪translated⟫, from
tests/test_runtime_i18n.py) every word a learner reads comes out translated, and names
(``relu``, ``AND``) and maths stay as they are; with a small Korean catalog the figures draw Hangul
with a CJK font.
"""

import re
import warnings

import numpy as np
import polib
import pytest

from course_utils import i18n, widgets
from tests.test_plotting_widgets import BAD_EXPLORERS
from tests.test_runtime_i18n import OPEN, pseudo_language, pseudo_locale, untranslated  # noqa: F401 (fixtures)

HEIGHTS = np.array([150.0, 155.0, 158.0, 162.0, 170.0, 174.0, 181.0])


def notebook_explorers() -> dict:
    """Each explorer as a notebook builds it (the same code in every edition)."""
    return {
        "00": lambda: widgets.ActivationExplorer(name="sigmoid"),
        "01": lambda: widgets.ThresholdExplorer(HEIGHTS[:4], HEIGHTS[3:], labels=("women", "men"), threshold=160.0,
                                                unit="(cm)"),
        "02": lambda: widgets.NeuronExplorer(w=1.0, b=0.0),
        "03": lambda: widgets.GateExplorer(gate="AND", w1=1.0, w2=1.0, b=-0.5),
        "04": lambda: widgets.ActivationExplorer(name="leaky_relu", alpha=0.1),
        "05": lambda: widgets.SoftmaxExplorer(labels=("dog", "cat", "tiger", "person"), logits=(2.0, 1.0, 0.5, -1.0)),
        "06": lambda: widgets.BackpropExplorer(x=1.0, dout=2.0),
        "07": lambda: widgets.GradientFlowExplorer(lambda name, depth: np.logspace(-depth, 0, depth),
                                                   names=("sigmoid", "tanh", "relu"), depth=10, max_depth=20),
    }


def shown_texts(explorer) -> dict[str, object]:
    """What a learner reads: control labels and menu entries, readout, title, axis labels, legend, ticks."""
    ax = explorer.ax
    legend = ax.get_legend()
    return {
        "descriptions": [control.description for control in explorer.controls.values()],
        "menus": [list(control._options_labels) for control in explorer.controls.values()
                  if hasattr(control, "options")],
        "readout": explorer.readout.value,
        "title": ax.get_title(),
        "axis labels": (ax.get_xlabel(), ax.get_ylabel()),
        "legend": [text.get_text() for text in legend.get_texts()] if legend else [],
        "x ticks": [label.get_text() for label in ax.get_xticklabels()],
        "text/plain": explorer._repr_mimebundle_()["text/plain"],
    }


# ------------------------------------------------------------------ English is unchanged
ENGLISH = {
    "00": {"descriptions": ["function", "alpha"], "title": "sigmoid and its derivative",
           "readout": "<code>sigmoid: f(-2) = 0.1192, f'(0) = 0.2500</code>", "axis labels": ("x", "f(x)"),
           "legend": ["sigmoid(x)", "sigmoid'(x)"]},
    "01": {"descriptions": ["threshold"], "title": "A hard threshold splits the data in two",
           "axis labels": ("value (cm)", "count"), "legend": ["women", "men", "threshold"],
           "readout": "<code>threshold 160.0: 3/4 women and 4/4 men correct, accuracy 87.5%</code>"},
    "02": {"descriptions": ["w", "b"], "title": "A sigmoid neuron", "axis labels": ("x", "output"),
           "legend": ["step(w·x + b)", "σ(w·x + b)"],
           "readout": "<code>midpoint x = -b/w = 0.00; steepest slope σ'·w = w/4 = 0.25</code>"},
    "03": {"descriptions": ["gate", "w1", "w2", "b"], "menus": [["AND", "OR", "NAND", "XOR"]],
           "title": "AND: shaded side outputs 1", "axis labels": ("x1", "x2"),
           "readout": "<code>AND: 2/4 points correct (red edge = wrong)</code>"},
    "04": {"title": "leaky_relu and its derivative (alpha = 0.10)",
           "readout": "<code>leaky_relu: f(-2) = -0.2000, f'(0) = 0.1000 (a convention: f has a jump or a corner at 0)</code>"},
    "05": {"descriptions": ["dog", "cat", "tiger", "person", "T"], "axis labels": ("class", "probability"),
           "x ticks": ["dog", "cat", "tiger", "person"], "title": "softmax(z / T), T = 1.0",
           "readout": "<code>dog 60.9%, cat 22.4%, tiger 13.6%, person 3.0%</code>"},
    "06": {"descriptions": ["x", "dL/dy"],
           "readout": "<code>node by node: dL/dx = 0.393224;  shortcut dL/dy·y(1−y) = 0.393224</code>"},
    "07": {"descriptions": ["activation", "layers"], "menus": [["sigmoid", "tanh", "relu"]],
           "title": "Gradient norm per layer (sigmoid, 10 layers)",
           "axis labels": ("layer (1 = input side)", "‖∂L/∂W‖ (log scale)"),
           "readout": "<code>sigmoid: first-layer gradient is 1.00e-10 × the last layer's</code>"},
}


@pytest.mark.parametrize("notebook", sorted(ENGLISH))
def test_english_labels_and_readouts_are_unchanged(notebook):
    shown = shown_texts(notebook_explorers()[notebook]())
    for key, expected in ENGLISH[notebook].items():
        assert shown[key] == expected, key
    explorer_name = type(notebook_explorers()[notebook]()).__name__
    assert shown["text/plain"] == f"{explorer_name}: run this cell in JupyterLab to interact."


# ------------------------------------------------------------------ the pseudo language
@pytest.mark.parametrize("notebook", sorted(ENGLISH))
def test_every_word_of_an_explorer_is_translated_and_names_are_not(pseudo_language, notebook):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Glyph ... missing from font": ⟪ ⟫ are not in every font
        explorer = notebook_explorers()[notebook]()
    shown = shown_texts(explorer)
    lines = [line for text in _flat(shown.values()) for line in text.split("\n")]
    words_left = {line: untranslated(re.sub(r"<[^>]+>", " ", line)) for line in lines}
    assert not {line: words for line, words in words_left.items() if words}, shown
    assert not [option for menu in shown["menus"] for option in menu if OPEN in option]  # names, not words


def _flat(values) -> list[str]:
    """Every string in nested lists and tuples."""
    if isinstance(values, str):
        return [values]
    return [text for value in values for text in _flat(value)]


def test_menu_entries_keep_their_values_in_any_language(pseudo_language):
    explorer = widgets.ActivationExplorer(name="relu")
    assert "relu" in explorer.controls["name"].options  # a function's name, the same in every language
    explorer.controls["name"].value = "elu"
    assert explorer.ax.get_title() == "⟪elu and its derivative (alpha = 0.10)⟫"


def test_the_notebooks_labels_are_shown_translated_and_other_labels_as_given(pseudo_language):
    threshold = notebook_explorers()["01"]()
    assert threshold.labels == ("women", "men")  # what the code gave
    assert [text.get_text() for text in threshold.ax.get_legend().get_texts()] == ["⟪women⟫", "⟪men⟫",
                                                                                    "⟪threshold⟫"]
    assert "⟪women⟫" in threshold.readout.value and "⟪men⟫" in threshold.readout.value
    softmax = widgets.SoftmaxExplorer(labels=("dog", "wolf"), logits=(1.0, 0.0))
    assert [control.description for control in softmax.controls.values()] == ["⟪dog⟫", "wolf", "T"]
    assert "wolf 26.9%" in softmax.readout.value


def test_texts_follow_the_language_when_they_are_redrawn(pseudo_locale):
    folder, _msgids = pseudo_locale
    explorer = widgets.NeuronExplorer()  # built in English
    try:
        i18n.set_language("ko", localedir=folder)
        explorer.controls["w"].value = 2.0
        assert explorer.readout.value.startswith("<code>⟪midpoint x = -b/w = 0.00; ")  # redrawn: translated
        assert explorer.ax.get_title() == "A sigmoid neuron"  # drawn once, when it was built
    finally:
        i18n.set_language("en")
    explorer.controls["w"].value = 3.0
    assert explorer.readout.value.startswith("<code>midpoint x = -b/w")


@pytest.mark.parametrize("make, error, message", BAD_EXPLORERS, ids=[m for _, _, m in BAD_EXPLORERS])
def test_an_explorer_refuses_bad_arguments_in_the_learners_language(pseudo_language, make, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(error) as caught:
            make()
    text = str(caught.value)
    assert OPEN in text and untranslated(text) is None, text
    assert message in text.replace(OPEN, "").replace("⟫", "")  # the English inside is the same message


# ------------------------------------------------------------------ a real language, a real font
KOREAN = {
    ("axis label", "value {unit}"): "값 {unit}",
    ("axis label", "count"): "개수",
    (None, "A hard threshold splits the data in two"): "경계값 하나가 데이터를 둘로 나눈다",
    (None, "threshold"): "경계값",
    (None, "women"): "여성",
    (None, "men"): "남성",
    (None, "node by node: dL/dx = {node_by_node:.6f};  shortcut dL/dy·y(1−y) = {shortcut:.6f}"):
        "노드별: dL/dx = {node_by_node:.6f};  지름길 dL/dy·y(1−y) = {shortcut:.6f}",
    (None, "blue: forward values (left to right) · red: backward values ∂L/∂(edge) (right to left)\n"
           "each red number = the red number to its right × the black local derivative below it"):
        "파랑: 순전파 값 (왼쪽에서 오른쪽) · "
        "빨강: 역전파 값 ∂L/∂(간선) (오른쪽에서 왼쪽)\n"
        "빨간 수 = 오른쪽 빨간 수 × 아래 검은 국소 미분",
}


@pytest.fixture
def korean(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ko"}
    for (context, msgid), msgstr in KOREAN.items():
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    mo_file = tmp_path / "ko" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo_file.parent.mkdir(parents=True)
    po.save_as_mofile(str(mo_file))
    try:
        font = i18n.set_language("ko", localedir=tmp_path)
        yield font
    finally:
        i18n.set_language("en")


def test_korean_words_in_an_explorer_are_drawn_with_a_korean_font(korean):
    if not korean:
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for an empty box
        threshold = notebook_explorers()["01"]()
        graph = notebook_explorers()["06"]()
    assert threshold.ax.get_title() == "경계값 하나가 데이터를 둘로 나눈다"
    assert threshold.ax.get_xlabel() == "값 (cm)"
    assert [text.get_text() for text in threshold.ax.get_legend().get_texts()] == ["여성", "남성", "경계값"]
    assert threshold.readout.value == "<code>threshold 160.0: 3/4 여성 and 4/4 남성 correct, accuracy 87.5%</code>"
    assert korean in threshold.ax.title.get_fontfamily()
    assert graph.ax.get_title().split("\n")[1].startswith("파랑: 순전파 값")
    assert graph.readout.value.startswith("<code>노드별: dL/dx = ")
