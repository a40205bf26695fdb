"""Notebook 00 (welcome): its from-scratch code, its stored outputs and its exercises."""

import re
from pathlib import Path
from types import SimpleNamespace

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
    # The same line on 3.11, 3.12 and 3.13, so strict nbval passes on each of them.
    assert re.search(r"^Python\s+3\.11 to 3\.13: OK$", outputs, re.MULTILINE)
    for machine_specific in ("/", "linux", "darwin", "win32", "GCC", "x86_64"):
        version_block = outputs[outputs.index("Python"):outputs.index("course_utils")]
        assert machine_specific not in version_block


def test_the_stated_python_range_matches_the_package_metadata(markdown):
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11,<3.14"' in pyproject
    assert "Python 3.11 to 3.13" in markdown
    assert "3.10 or newer" not in markdown


class _VersionInfo(tuple):
    """Stands in for ``sys.version_info`` (a tuple with .major and .minor)."""

    def __new__(cls, major, minor):
        version = super().__new__(cls, (major, minor, 0))
        version.major, version.minor = major, minor
        return version


@pytest.mark.parametrize("minor, verdict", [(10, "NOT SUPPORTED"), (11, "3.11 to 3.13: OK"),
                                            (12, "3.11 to 3.13: OK"), (13, "3.11 to 3.13: OK"),
                                            (14, "NOT SUPPORTED")])
def test_the_environment_check_says_ok_exactly_on_the_supported_pythons(minor, verdict):
    source = next(c.source for c in read("00").cells if c.cell_type == "code" and "python_status" in c.source)
    scope = {"np": np, "cu": cu, "print": lambda *args: None}
    code = source.replace("import sys\n", "")
    namespace = dict(scope, sys=SimpleNamespace(version_info=_VersionInfo(3, minor)))
    exec(compile(code, "<environment check>", "exec"), namespace)
    assert verdict in namespace["python_status"]


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
        assert f"⏳ {name}: not implemented yet" in outputs or f"⏳ {name}: not answered yet" in outputs
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


# ------------------------------------------------------------------ structure
BACK_MATTER = ("## Your turn", "## Summary", "## Common pitfalls", "## References")


def assert_numbered_sections(nb) -> None:
    """Headings start their own cell, sections are numbered "## N." / "### N.M", exercises "### Exercise K:"."""
    section, sub, exercise = 0, 0, 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.split("\n")
        fence = False
        for number, line in enumerate(lines):
            fence = fence ^ line.startswith("```")
            if not fence and re.match(r"#{1,3} ", line):
                assert number == 0, f"heading in the middle of a cell: {line!r}"
        first = lines[0]
        slide = cell.metadata.get("slideshow", {}).get("slide_type")
        if first.startswith("## "):
            assert slide == "slide", first
            if first.startswith(BACK_MATTER):
                continue
            match = re.match(r"## (\d+)\. \S", first)
            assert match and int(match.group(1)) == section + 1, f"expected section {section + 1}: {first!r}"
            section, sub = section + 1, 0
        elif first.startswith("### "):
            assert slide == "subslide", first
            match = re.match(r"### Exercise (\d+): \S", first)
            if match:
                assert int(match.group(1)) == exercise + 1, first
                exercise += 1
                continue
            match = re.match(r"### (\d+)\.(\d+) \S", first)
            assert match and int(match.group(1)) == section and int(match.group(2)) == sub + 1, first
            sub += 1
    assert section >= 4 and exercise >= 1


def assert_solutions_paste_over_stubs(nb, module) -> None:
    """Each function exercise's model answer defines the very name that the notebook's stub defines."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for short in re.findall(r"^nb\d\d\.(\w+)\.check\(", cell.source, flags=re.M):
            exercise = getattr(module, short)
            stub_names = re.findall(r"^def (\w+)\(", cell.source, flags=re.M)
            if stub_names:
                solution_names = re.findall(r"^def (\w+)\(", exercise.solution_text, flags=re.M)
                assert solution_names and solution_names[-1] == stub_names[-1], (short, stub_names, solution_names)


def assert_choice_answers_spread(exercises) -> None:
    letters = [e.correct for e in exercises]
    assert len(set(letters)) == len(letters), letters


def test_sections_are_numbered_and_headings_start_their_cells():
    assert_numbered_sections(read("00"))


def test_solutions_paste_over_the_stubs():
    assert_solutions_paste_over_stubs(read("00"), nb00)


def test_exercises_are_defined_in_notebook_order():
    names = [name for name in EXERCISE_ORDER_00]
    assert [e.name for e in EXERCISES] == names


EXERCISE_ORDER_00 = ["00.double", "00.why_nonlinear", "00.neuron_z", "00.collapse"]


# --------------------------------------------------------------------- exercises
EXERCISES = [nb00.double, nb00.why_nonlinear, nb00.neuron_z, nb00.collapse]


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


@pytest.mark.parametrize("mistake", [m for m in nb00.double.mistakes if m.wrong], ids=lambda m: m.hint[:30])
def test_double_mistakes_give_their_hint(mistake):
    verdict = nb00.double.verdict(mistake.wrong)
    assert not verdict.passed and verdict.hint == mistake.hint


@pytest.mark.parametrize("mistake", [m for m in nb00.neuron_z.mistakes if m.wrong], ids=lambda m: m.hint[:30])
def test_neuron_z_mistakes_give_their_hint(mistake):
    verdict = nb00.neuron_z.verdict(mistake.wrong)
    assert not verdict.passed and verdict.hint == mistake.hint


@pytest.mark.parametrize("wrong_order", [lambda x, w, b: w @ x + b, lambda x, w, b: np.dot(w, x) + b,
                                         lambda x, w, b: np.asarray(w) @ np.asarray(x) + b])
def test_neuron_z_weights_before_the_batch_get_the_order_hint(wrong_order):
    verdict = nb00.neuron_z.verdict(wrong_order)
    assert not verdict.passed and verdict.hint == nb00.WRONG_ORDER_HINT, verdict.text
    assert "Traceback" not in verdict.text


def test_neuron_z_square_batch_catches_the_order_slip_without_an_error():
    # On a square batch w @ x runs, so only the values can tell: the checker has such a case.
    square = [case for case in nb00.neuron_z.cases if np.ndim(case.args[0]) == 2
              and case.args[0].shape[0] == case.args[0].shape[1]]
    assert square
    x, w, b = square[0].args
    assert not np.allclose(w @ x + b, x @ w + b)


def _double_in_place(x):
    x *= 2
    return x


def _neuron_z_in_place(x, w, b):
    x *= w                      # scales the caller's inputs
    return x.sum(axis=-1) + b


@pytest.mark.parametrize("exercise, mutating", [(nb00.double, _double_in_place),
                                                (nb00.neuron_z, _neuron_z_in_place)])
def test_answers_that_change_their_input_fail_and_the_test_inputs_survive(exercise, mutating):
    before = [tuple(np.array(a, copy=True) for a in case.args) for case in exercise.cases]
    verdict = exercise.verdict(mutating)
    assert not verdict.passed and "in place" in (verdict.hint or verdict.text), verdict.text
    after = [case.args for case in exercise.cases]
    for old, new in zip(before, after):
        for a, b in zip(old, new):
            np.testing.assert_array_equal(a, b)
    assert exercise.verdict(exercise.model_answer()).passed


def test_neuron_z_needs_to_handle_a_batch():
    verdict = nb00.neuron_z.verdict(lambda x, w, b: float(np.dot(x, w)) + b)
    assert not verdict.passed and verdict.hint == nb00.ONE_INPUT_HINT, verdict.text


def _loop_over_features(x, w, b):
    return sum(x[i] * w[i] for i in range(len(w))) + b      # right for one input; a batch runs out of rows


@pytest.mark.parametrize("one_input_only, hint", [
    (_loop_over_features, nb00.ONE_INPUT_HINT),
    (lambda x, w, b: np.sum(x * w, axis=1) + b, nb00.AXIS_1.hint),
])
def test_neuron_z_one_input_code_gets_a_targeted_hint(one_input_only, hint):
    verdict = nb00.neuron_z.verdict(one_input_only)
    assert not verdict.passed and verdict.hint == hint, verdict.text
    assert "Run .hint()" not in verdict.text and "Traceback" not in verdict.text
    assert "x @ w + b" not in nb00.neuron_z.hints[0]     # the first level of hints still gives nothing away


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


def test_collapse_swapped_return_order_is_named():
    def collapse(layers):
        W, b = nb00._collapse(layers)
        return b, W

    verdict = nb00.collapse.verdict(collapse)
    assert not verdict.passed and "wrong order" in verdict.hint and "return W, b" in verdict.hint


@pytest.mark.parametrize("letter", [k for k in nb00.why_nonlinear.options if k != nb00.why_nonlinear.correct])
def test_why_nonlinear_wrong_letters_explain(letter):
    verdict = nb00.why_nonlinear.verdict(letter)
    assert not verdict.passed and verdict.hint == nb00.why_nonlinear.explanations[letter]


def test_why_nonlinear_rejects_a_non_letter():
    verdict = nb00.why_nonlinear.verdict(2)
    assert not verdict.passed and "one of the letters" in verdict.text


# ------------------------------------------------------------------ review 00-02
def test_the_linear_gap_sentence_matches_the_output(outputs, markdown):
    linear = re.search(r"linear stack: \|g\(midpoint\) - midpoint of g\| = (\S+)", outputs)
    assert linear
    if float(linear.group(1)) == 0.0:
        assert "passes the test exactly" in markdown and "a few times $10^{-16}$" not in markdown


def test_the_environment_check_explains_the_printed_range(markdown):
    assert "sys.version" in markdown and "deliberately prints the supported range" in markdown


def test_the_figure_sentence_says_how_step_and_relu_are_drawn(markdown):
    """The thin black step line stays visible inside the thick orange ReLU line (review 2 of 00-02)."""
    assert "the thin black step line runs inside the thick orange ReLU line" in markdown
    assert "the thick ReLU line covers the step" not in markdown
    from course_utils.plotting import COLOURS, LINE_STYLES
    assert COLOURS["step"] == "#000000" and COLOURS["relu"] == "#D55E00"           # black and orange
    step, relu = LINE_STYLES["step"], LINE_STYLES["relu"]
    assert step["linewidth"] < relu["linewidth"] and step["zorder"] > relu["zorder"]  # thin, drawn on top


def test_linear_layer_is_explained_as_a_habit_for_an_affine_map(markdown):
    assert "Deep-learning libraries call such a layer *linear*" in " ".join(markdown.split())
