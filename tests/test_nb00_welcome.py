"""Notebook 00 (welcome): its from-scratch code, its stored outputs and its exercises."""

import re

import ipywidgets
import matplotlib
import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import ChoiceExercise, nb00
from tests.notebook_code import read, stored_text, tagged_code

SERIES = ["00_welcome.ipynb", "01_threshold.ipynb", "02_sigmoid.ipynb", "03_perceptron.ipynb",
          "04_relu_family.ipynb", "05_softmax.ipynb", "06_backprop_sigmoid.ipynb", "07_capstone.ipynb"]


@pytest.fixture(scope="module")
def scratch():
    return tagged_code("00")


@pytest.fixture(scope="module")
def outputs():
    return stored_text("00")


@pytest.fixture(scope="module")
def markdown():
    return "\n".join(c.source for c in read("00").cells if c.cell_type == "markdown")


def stub(*args, **kwargs):
    raise NotImplementedError


# ------------------------------------------------------------------ from scratch
@pytest.mark.parametrize("batch, n_in, n_out", [(1, 1, 1), (5, 3, 4), (7, 4, 2), (2, 8, 1)])
def test_linear_layer_agrees_with_affine(scratch, batch, n_in, n_out):
    rng = np.random.default_rng(batch * 100 + n_in * 10 + n_out)
    x = rng.standard_normal((batch, n_in))
    W, b = rng.standard_normal((n_in, n_out)), rng.standard_normal(n_out)
    ours = scratch["linear_layer"](x, W, b)
    reference = cu.Affine(W, b).forward(x)
    assert ours.shape == reference.shape == (batch, n_out)
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-12)


def test_linear_layer_collapse_identity_holds(scratch):
    """The notebook's claim: (x W1 + b1) W2 + b2 == x (W1 W2) + (b1 W2 + b2)."""
    linear_layer = scratch["linear_layer"]
    rng = np.random.default_rng(11)
    x = rng.standard_normal((20, 3))
    W1, b1 = rng.standard_normal((3, 5)), rng.standard_normal(5)
    W2, b2 = rng.standard_normal((5, 2)), rng.standard_normal(2)
    two = linear_layer(linear_layer(x, W1, b1), W2, b2)
    one = linear_layer(x, W1 @ W2, b1 @ W2 + b2)
    np.testing.assert_allclose(two, one, rtol=1e-12, atol=1e-12)
    with_relu = linear_layer(cu.relu(linear_layer(x, W1, b1)), W2, b2)
    assert np.max(np.abs(with_relu - one)) > 0.1


# ---------------------------------------------------------------- stored outputs
def test_environment_check_prints_pinned_versions_and_nothing_machine_specific(outputs):
    expected = [("NumPy", np.__version__), ("matplotlib", matplotlib.__version__),
                ("ipywidgets", ipywidgets.__version__), ("course_utils", cu.__version__)]
    for package, version in expected:
        assert re.search(rf"^{package}\s+{re.escape(version)}$", outputs, re.MULTILINE), package
    assert re.search(r"^Python\s+3\.\d+$", outputs, re.MULTILINE)
    for machine_specific in ("/", "linux", "darwin", "win32", "GCC", "x86_64"):
        version_block = outputs[outputs.index("Python"):outputs.index("course_utils")]
        assert machine_specific not in version_block


def test_two_linear_layers_collapse_in_the_stored_output(outputs):
    match = re.search(r"max \|two layers - one layer\| = (\S+)", outputs)
    assert match and float(match.group(1)) < 1e-12
    assert "combined W has shape (3, 2), combined b has shape (2,)" in outputs


def test_relu_breaks_the_collapse_in_the_stored_output(outputs):
    linear = re.search(r"linear stack: \|g\(midpoint\) - midpoint of g\| = (\S+)", outputs)
    relu = re.search(r"ReLU stack\s*: \|g\(midpoint\) - midpoint of g\| = (\S+)", outputs)
    assert linear and float(linear.group(1)) < 1e-12
    assert relu and float(relu.group(1)) > 0.1


def test_neuron_example_in_the_stored_output(outputs):
    assert "z = 0.3*2 + 0.2*2 + 0.5*2 - 0.5 = 1.5" in outputs
    assert "sigmoid(z) = 0.818" in outputs


def test_the_three_verdicts_are_demonstrated(outputs):
    assert "⏳ 00.double: not implemented yet" in outputs
    assert "❌ 00.double: wrong result" in outputs
    assert "✅ 00.double: correct" in outputs


def test_exercise_stubs_are_stored_unsolved(outputs):
    for name in ("00.why_nonlinear", "00.neuron_z", "00.collapse"):
        assert f"⏳ {name}: not implemented yet" in outputs
    for name in ("00.why_nonlinear", "00.neuron_z", "00.collapse"):
        assert f"✅ {name}" not in outputs
    assert "💡 Hints" not in outputs and "📖 Solution" not in outputs


def test_map_of_the_series_links_every_notebook(markdown):
    for name in SERIES:
        assert f"]({name})" in markdown, name
    assert "](../docs/glossary.md)" in markdown
    assert "](../docs/instructor_guide.md)" in markdown


def test_the_family_the_sources_name_is_listed(markdown):
    for name in ("binary step", "linear", "sigmoid", "tanh", "ReLU", "leaky ReLU", "softmax"):
        assert name in markdown, name


def test_usage_instructions_cover_running_restarting_and_help(markdown):
    for phrase in ("<kbd>Shift</kbd>+<kbd>Enter</kbd>", "Restart Kernel and Run All Cells", "Your turn",
                   ".hint()", ".solution()", "⏳", "❌", "✅"):
        assert phrase in markdown, phrase


def test_only_widget_cells_carry_the_ignore_marker():
    code_cells = [c for c in read("00").cells if c.cell_type == "code"]
    marked = [c.source for c in code_cells if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(marked) == 2
    assert all(source.startswith("# NBVAL_IGNORE_OUTPUT") for source in marked)
    assert all("Slider" in source or "Explorer" in source for source in marked)


# --------------------------------------------------------------------- exercises
EXERCISES = [nb00.double, nb00.neuron_z, nb00.collapse, nb00.why_nonlinear]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_stub_is_not_answered(exercise):
    for unanswered in (stub, None, ...):
        if isinstance(exercise, ChoiceExercise) and unanswered is stub:
            continue
        assert exercise.verdict(unanswered).status == "not answered"


@pytest.mark.parametrize("mistake", nb00.double.mistakes, ids=lambda m: m.hint[:30])
def test_double_mistakes_give_their_hint(mistake):
    verdict = nb00.double.verdict(mistake.wrong)
    assert not verdict.passed and verdict.hint == mistake.hint


@pytest.mark.parametrize("mistake", nb00.neuron_z.mistakes, ids=lambda m: m.hint[:30])
def test_neuron_z_mistakes_give_their_hint(mistake):
    verdict = nb00.neuron_z.verdict(mistake.wrong)
    assert not verdict.passed and verdict.hint == mistake.hint


def test_neuron_z_needs_to_handle_a_batch():
    verdict = nb00.neuron_z.verdict(lambda x, w, b: float(np.dot(x, w)) + b)
    assert not verdict.passed


@pytest.mark.parametrize("wrong, hint", nb00.COLLAPSE_SLIPS, ids=lambda v: str(v)[:30])
def test_collapse_slips_give_their_hint(wrong, hint):
    verdict = nb00.collapse.verdict(wrong)
    assert not verdict.passed and verdict.hint == hint


def test_collapse_sequential_update_bug_is_recognised():
    def collapse(layers):
        W, b = layers[0]
        for W_next, b_next in layers[1:]:
            W = W @ W_next
            b = b @ W + b_next     # uses the new W
        return W, b

    verdict = nb00.collapse.verdict(collapse)
    assert not verdict.passed and "old values" in verdict.hint


def test_collapse_rejects_wrong_return_shape_and_two_layer_only_code():
    assert "return two things" in nb00.collapse.verdict(lambda layers: layers[0][0]).text

    def two_layers_only(layers):
        (W1, b1), (W2, b2) = layers[0], layers[1]
        return W1 @ W2, b1 @ W2 + b2

    verdict = nb00.collapse.verdict(two_layers_only)
    assert not verdict.passed and verdict.hint is not None


def test_collapse_does_not_let_the_learner_change_the_test_networks():
    def mutating(layers):
        layers[0][0][...] = 0.0
        return nb00._collapse(layers)

    before = [(W.copy(), b.copy()) for layers in nb00.COLLAPSE_CASES for W, b in layers]
    assert not nb00.collapse.verdict(mutating).passed
    after = [(W, b) for layers in nb00.COLLAPSE_CASES for W, b in layers]
    assert all(np.array_equal(W0, W1) and np.array_equal(b0, b1) for (W0, b0), (W1, b1) in zip(before, after))
    assert nb00.collapse.verdict(nb00.collapse.model_answer()).passed


@pytest.mark.parametrize("letter", ["a", "c", "d"])
def test_why_nonlinear_wrong_letters_explain(letter):
    verdict = nb00.why_nonlinear.verdict(letter)
    assert not verdict.passed and verdict.hint == nb00.why_nonlinear.explanations[letter]


def test_why_nonlinear_rejects_a_non_letter():
    verdict = nb00.why_nonlinear.verdict(2)
    assert not verdict.passed and "one of the letters" in verdict.text
