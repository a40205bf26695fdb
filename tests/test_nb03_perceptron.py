"""Notebook 03, the perceptron: from-scratch code, stored examples and the exercises' checkers."""

import numpy as np
import pytest

import course_utils as cu
from course_utils.exercises import nb03
from course_utils.widgets import GATE_INPUTS, GATES
from tests.notebook_code import read, stored_text, tagged_code

SEED_LINES = [
    # The source post's printout. NumPy pads array entries to a common width, so lines 2 and 3
    # read "[ 0.3  0.4 -0.5]" (the blog shows single spaces because HTML collapses them).
    "[-3. -1. -2.] -> -2.6 -> 0.069",
    "[ 0.3  0.4 -0.5] -> -0.58 -> 0.359",
    "[-0.4  0.2  0.7] -> -0.23 -> 0.443",
    "[0.1 0.5 0.9] -> 0.08 -> 0.52",
    "[0.6 0.7 0.9] -> 0.27 -> 0.567",
    "[1.2 0.4 1.5] -> 0.69 -> 0.666",
    "[2. 2. 2.] -> 1.5 -> 0.818",
]
SEED_WEIGHTS = np.array([0.3, 0.2, 0.5])
SEED_BIAS = -0.5
SEED_INPUTS = np.array([[-3, -1, -2], [0.3, 0.4, -0.5], [-0.4, 0.2, 0.7], [0.1, 0.5, 0.9],
                        [0.6, 0.7, 0.9], [1.2, 0.4, 1.5], [2, 2, 2]])


@pytest.fixture(scope="module")
def scratch():
    return tagged_code("03")


@pytest.fixture(scope="module")
def outputs():
    return stored_text("03")


# ------------------------------------------------------------- (a) from scratch
def test_scratch_sigmoid_matches_course_utils(scratch):
    z = np.concatenate([np.linspace(-40, 40, 2001), [-800.0, -710.0, 0.0, 710.0, 800.0]])
    np.testing.assert_allclose(scratch["sigmoid"](z), cu.sigmoid(z), rtol=1e-12, atol=0)


def test_scratch_sigmoid_perceptron_matches_course_utils(scratch):
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 6))
        w, x, b = rng.normal(size=n), rng.normal(scale=3, size=n), float(rng.normal())
        mine = scratch["SigmoidPerceptron"](w, b)
        reference = cu.Perceptron(w, b, activation=cu.sigmoid)
        assert mine.affine(x) == pytest.approx(reference.affine(x), rel=1e-12, abs=1e-12)
        assert float(mine.work(x)) == pytest.approx(reference.forward(x), rel=1e-12, abs=1e-15)
        assert float(mine.activation()) == pytest.approx(reference.forward(x), rel=1e-12, abs=1e-15)


def test_scratch_class_reproduces_the_seed_numbers(scratch):
    neuron = scratch["SigmoidPerceptron"](SEED_WEIGHTS, SEED_BIAS)
    lines = [f"{x} -> {np.round(neuron.affine(x), 3)} -> {np.round(neuron.work(x), 3)}" for x in SEED_INPUTS]
    assert lines == SEED_LINES


def test_scratch_class_default_bias_is_the_sources(scratch):
    assert scratch["SigmoidPerceptron"](SEED_WEIGHTS).bias == -0.5


def test_scratch_step_matches_course_utils(scratch):
    z = np.array([-np.inf, -3.0, -1e-300, 0.0, 1e-300, 2.5, np.inf])
    np.testing.assert_array_equal(scratch["step"](z), cu.step(z))


def test_scratch_step_perceptron_matches_course_utils_predict(scratch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(40, 3))
    for _ in range(30):
        w, b = rng.normal(size=3), float(rng.normal())
        np.testing.assert_array_equal(scratch["step_perceptron"](X, w, b), cu.Perceptron(w, b).predict(X))
    for gate, w, b in [("AND", [1, 1], -1.5), ("OR", [1, 1], -0.5), ("NAND", [-1, -1], 1.5)]:
        np.testing.assert_array_equal(scratch["step_perceptron"](GATE_INPUTS, w, b), GATES[gate])


# ---------------------------------------------------------- (b) stored outputs
def test_seed_printout_is_stored_exactly(outputs):
    assert "\n".join(SEED_LINES) in outputs


def test_unrounded_affine_values_are_shown(outputs):
    assert "[-3. -1. -2.] -> z = -2.5999999999999996" in outputs


def test_batch_pitfall_is_shown(outputs):
    assert "source-style affine(inputs): 2.130   <- one number for seven inputs" in outputs
    assert "cu.Perceptron.affine(inputs): [-2.6  -0.58 -0.23  0.08  0.27  0.69  1.5 ]" in outputs
    assert "AttributeError: 'SigmoidPerceptron' object has no attribute 'z'" in outputs


def test_seed_spacing_difference_is_described_and_checked(outputs):
    """Lines 2 and 3 (not only line 2) differ from the blog's printout, and only by repeated spaces."""
    assert "lines that differ from the blog's printout: [2, 3]" in outputs
    assert "identical once repeated spaces are collapsed: True" in outputs
    differing = [n for n, line in enumerate(SEED_LINES, start=1) if "  " in line]
    assert differing == [2, 3]
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "lines 2 and 3" in markdown


def test_gates_truth_table_is_stored(outputs):
    table = ("x1 x2 | AND OR\n"
             " 0  0 |  0   0\n"
             " 0  1 |  0   1\n"
             " 1  0 |  0   1\n"
             " 1  1 |  1   1")
    assert table in outputs
    for gate in ["AND", "OR"]:
        assert f"{gate:>4}: matches the truth table: True; max |difference| from cu.Perceptron: 0.0" in outputs


def test_and_bias_range_ends_are_checked(outputs):
    """-2 < b <= -1: b = -1 works (points on the line should output 0), b = -2 fails ((1, 1) on the line)."""
    rows = {}
    for line in outputs.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3 and parts[2] in ("True", "False"):
            try:
                rows[float(parts[0])] = parts[2] == "True"
            except ValueError:
                continue
    assert rows == {-2.1: False, -2.0: False, -1.5: True, -1.0: True, -0.9: False}
    for b, works in rows.items():
        assert np.array_equal(cu.Perceptron([1.0, 1.0], b).predict(GATE_INPUTS), GATES["AND"]) == works
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "-2 < b \\le -1" in markdown
    assert "between $-2$ and $-1$ works" not in markdown and "exactly $-1$ would fail" not in markdown


def test_weights_are_the_lines_normal_vector(outputs):
    assert "w · (p - q) = 0.0   (w is perpendicular to the line)" in outputs
    assert "z at p + 0.1·w: 0.20" in outputs
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "**normal vector**" in markdown
    assert "set the\nline's direction" not in markdown and "line's direction" not in markdown


def test_nand_answer_is_not_shown_before_the_exercise():
    """Exercise 1 asks for NAND weights: no cell before it computes, prints or draws them."""
    nb = read("03")
    exercise = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "### Exercise 1" in c.source)
    for cell in nb.cells[:exercise]:
        if cell.cell_type == "code":
            assert "nand" not in cell.source.lower(), cell.source[:80]
            assert "model_answer" not in cell.source


def _curve(outputs, gate):
    line = next(line for line in outputs.splitlines() if line.startswith(f"{gate}: errors per epoch "))
    return [int(v) for v in line.split("[", 1)[1].rstrip("]").split(",")]


def test_learning_rule_learns_and_and_or(outputs):
    for gate in ["AND", "OR"]:
        stored = _curve(outputs, gate)
        learner = cu.Perceptron([0.0, 0.0], 0.0)
        assert stored == learner.fit(GATE_INPUTS, GATES[gate], lr=0.1, epochs=10)
        assert stored[-1] == 0
        np.testing.assert_array_equal(learner.predict(GATE_INPUTS), GATES[gate])
    assert "Perceptron(weights=[0.1, 0.1], bias=0.1, activation=step)" in outputs


def test_xor_error_curve_never_reaches_zero(outputs):
    stored = _curve(outputs, "XOR")
    assert len(stored) == 20
    assert min(stored) > 0
    assert stored == cu.Perceptron([0.0, 0.0], 0.0).fit(GATE_INPUTS, GATES["XOR"], lr=0.1, epochs=20)
    assert "from epoch 3 on, (w1, w2, b) after every epoch is the same: True" in outputs
    assert "most XOR points right with one perceptron: 3 of 4" in outputs
    assert "matches XOR: True" in outputs
    assert ("x1 x2 | OR AND | XOR\n"
            " 0  0 |  0   0  |  0\n"
            " 0  1 |  1   0  |  1\n"
            " 1  0 |  1   0  |  1\n"
            " 1  1 |  1   1  |  0") in outputs


def test_learned_lines_pass_exactly_through_a_point(outputs):
    assert "z of the learned OR at (0, 0): 0.0" in outputs
    assert "z of the learned AND at (1, 0): 0.0" in outputs


def test_notebook_gate_data_match_course_utils(scratch):
    nb = read("03")
    namespace = {"np": np, "cu": cu, "nb03": nb03, "step_perceptron": scratch["step_perceptron"]}
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("X = np.array("))
    exec(cell.source, namespace)
    np.testing.assert_array_equal(namespace["X"], GATE_INPUTS)
    assert set(namespace["targets"]) == {"AND", "OR", "XOR"}
    for gate, values in namespace["targets"].items():
        np.testing.assert_array_equal(values, GATES[gate])


def test_structure_widget_stubs_and_links():
    nb = read("03")
    code_cells = [c.source for c in nb.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    ignored = [s for s in code_cells if "NBVAL_IGNORE_OUTPUT" in s]
    assert len(ignored) == 1 and ignored[0].startswith("# NBVAL_IGNORE_OUTPUT") and "GateExplorer(" in ignored[0]
    assert any("raise NotImplementedError  # your code here" in s for s in code_cells)
    for name in ["nand_weights", "perceptron_update", "linearly_separable"]:
        assert any(f"nb03.{name}.check(" in s for s in code_cells)
        for action in ["hint", "solution"]:
            calls = [line.strip() for s in code_cells for line in s.splitlines() if f"nb03.{name}.{action}()" in line]
            assert calls and all(line.startswith("#") for line in calls)
    assert "[02 · Sigmoid](02_sigmoid.ipynb)" in markdown
    assert "(07_capstone.ipynb)" in markdown
    assert "[glossary](../docs/glossary.md)" in markdown
    assert any("scratch" in c.metadata.get("tags", []) for c in nb.cells)


def test_sections_are_numbered_and_headings_start_cells():
    nb = read("03")
    headings = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("## ") or line.startswith("### "):
                assert number == 0, f"heading in the middle of a cell: {line!r}"
                headings.append(line)
                slide = cell.metadata["slideshow"]["slide_type"]
                assert slide == ("slide" if line.startswith("## ") else "subslide"), line
    sections = [h for h in headings if h.startswith("## ")]
    assert sections[-4:] == ["## Your turn", "## Summary", "## Common pitfalls", "## References"]  # the template's closing sections, unnumbered
    numbered = sections[:-4]
    assert [h.split(" ", 2)[1] for h in numbered] == [f"{n}." for n in range(1, len(numbered) + 1)]
    for heading in headings:
        if heading.startswith("### ") and not heading.startswith("### Exercise"):
            assert heading.split(" ")[1].count(".") == 1, heading
    exercises = [h for h in headings if h.startswith("### Exercise")]
    assert [h.split(":")[0] for h in exercises] == ["### Exercise 1", "### Exercise 2", "### Exercise 3"]
    assert any(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in nb.cells)
    assert nb.cells[1].metadata["slideshow"]["slide_type"] == "skip"  # the set-up cell


def test_stubs_show_not_implemented(outputs):
    for name in ["nand_weights", "perceptron_update"]:
        assert f"⏳ 03.{name}: not implemented yet." in outputs
    assert "⏳ 03.linearly_separable: not answered yet." in outputs  # a multiple-choice question
    assert "✅" not in outputs and "❌" not in outputs


# ------------------------------------------------------------- (c) exercises
EXERCISES = [nb03.nand_weights, nb03.perceptron_update, nb03.linearly_separable]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_model_answer_passes(exercise):
    verdict = exercise.verdict(exercise.model_answer())
    assert verdict.passed, verdict.text


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_placeholders_are_not_answered(exercise):
    assert exercise.verdict(None).status == "not answered"
    assert exercise.verdict(...).status == "not answered"


# NAND weights ---------------------------------------------------------------
@pytest.mark.parametrize("weights", [(-1, -1, 1.5), (-2.0, -2.0, 3.0), [-0.5, -0.7, 0.9], np.array([-1.0, -1.0, 1.2]),
                                     (np.float64(-1), np.int64(-1), 1.5)])
def test_nand_accepts_any_valid_weights(weights):
    assert nb03.nand_weights.verdict(weights).passed


def test_nand_accepts_a_function_and_rejects_a_stub():
    assert nb03.nand_weights.verdict(lambda: (-1, -1, 1.5)).passed

    def stub():
        raise NotImplementedError

    assert nb03.nand_weights.verdict(stub).status == "not answered"
    assert nb03.nand_weights.verdict((..., ..., ...)).status == "not answered"
    assert nb03.nand_weights.verdict((-1, ..., 1.5)).status == "not answered"


def test_nand_and_weights_say_inverted_negate():
    verdict = nb03.nand_weights.verdict((1, 1, -1.5))
    assert not verdict.passed
    assert "inverted" in verdict.hint and "Negate all three" in verdict.hint
    assert "(0, 0)" in verdict.text and "NAND needs 1" in verdict.text


def test_nand_point_on_the_line_hint():
    verdict = nb03.nand_weights.verdict((-1, -1, 1))  # AND(1, 1, -1) negated: (0,1), (1,0) have z = 0
    assert not verdict.passed
    assert "z is exactly 0" in verdict.hint and "step(0) = 0" in verdict.hint
    assert "x = (0, 1): z = 0, output 0, NAND needs 1" in verdict.text


@pytest.mark.parametrize("answer", [(-1, -1, 0), (0, 0, 0), (-1, 0, 1)])
def test_nand_on_the_line_and_other_wrong_points_lists_the_conditions(answer):
    """Raising b a little is advised only when it would fix every wrong point (review 2 of 03-05)."""
    verdict = nb03.nand_weights.verdict(answer)
    assert not verdict.passed
    assert "z is exactly 0" in verdict.hint and "raise b a little" not in verdict.hint
    assert "Conditions not met:" in verdict.hint


def test_nand_nudged_bias_in_the_hint_really_works():
    verdict = nb03.nand_weights.verdict((-1, -1, 1))
    assert "x = (0, 1) and (1, 0) z is exactly 0" in verdict.hint and "for example to b = 1.5" in verdict.hint
    assert nb03.nand_weights.verdict((-1, -1, 1.5)).passed


def test_nand_reports_the_wrong_inputs_and_unmet_conditions():
    verdict = nb03.nand_weights.verdict((-1, -1, 3))  # fires everywhere
    assert "wrong on 1 of the 4 inputs" in verdict.text
    assert "x = (1, 1): z = 1, output 1, NAND needs 0" in verdict.text
    assert "w1 + w2 + b must be 0 or below" in verdict.hint
    verdict = nb03.nand_weights.verdict((-1, -1, -1))  # negative bias
    assert "z = b must be positive" in verdict.hint


@pytest.mark.parametrize("answer, fragment", [
    ((1, 2), "got 2 values"),
    ("abc", "expected three numbers"),
    ((1, "a", 2), "w2 must be a number"),
    ((float("nan"), 1, 1), "w1 must be a finite number"),
    ((True, 1, 1), "w1 must be a number"),
])
def test_nand_malformed_answers(answer, fragment):
    verdict = nb03.nand_weights.verdict(answer)
    assert verdict.status == "incorrect" and fragment in verdict.text


@pytest.mark.parametrize("answer", [(1.5, -1, -1), (-1, 1.5, -1)])
def test_nand_numbers_in_the_wrong_order_get_an_order_hint(answer):
    verdict = nb03.nand_weights.verdict(answer)
    assert not verdict.passed
    assert "in another order" in verdict.hint and "bias last" in verdict.hint


def test_checkers_do_not_look_up_course_utils_at_check_time(monkeypatch):
    """A learner who redefines step or sigmoid in course_utils cannot change a verdict."""
    from course_utils import activations

    monkeypatch.setattr(activations, "step", lambda z: np.ones_like(np.asarray(z, dtype=float)))
    monkeypatch.setattr(activations, "sigmoid", lambda z: np.zeros_like(np.asarray(z, dtype=float)))
    monkeypatch.setattr(cu, "step", activations.step)
    assert nb03.nand_weights.verdict((-1, -1, 1.5)).passed
    assert not nb03.nand_weights.verdict((-1, -1, 3)).passed
    assert nb03.perceptron_update.verdict(correct_update).passed
    verdict = nb03.perceptron_update.verdict(sigmoid_output_reference)
    assert not verdict.passed and "sigmoid output" in verdict.hint


def sigmoid_output_reference(w, b, x, y, lr):
    error = y - 1.0 / (1.0 + np.exp(-(np.dot(w, x) + b)))
    return w + lr * error * x, b + lr * error


# One perceptron update -------------------------------------------------------
def _step(z):
    return 1.0 if z > 0 else 0.0


def correct_update(w, b, x, y, lr):
    error = y - _step(np.dot(w, x) + b)
    return w + lr * error * x, b + lr * error


def sigmoid_output(w, b, x, y, lr):
    error = y - float(cu.sigmoid(np.dot(w, x) + b))
    return w + lr * error * x, b + lr * error


def forgot_bias(w, b, x, y, lr):
    error = y - _step(np.dot(w, x) + b)
    return w + lr * error * x, b


def flipped_sign(w, b, x, y, lr):
    error = _step(np.dot(w, x) + b) - y
    return w + lr * error * x, b + lr * error


def no_bias_in_prediction(w, b, x, y, lr):
    error = y - _step(np.dot(w, x))   # z without + b
    return w + lr * error * x, b + lr * error


def updates_when_correct(w, b, x, y, lr):
    direction = 1.0 if y == 1 else -1.0  # pushes towards the target even when already right
    return w + lr * direction * x, b + lr * direction


def greater_or_equal(w, b, x, y, lr):
    error = y - (1.0 if np.dot(w, x) + b >= 0 else 0.0)
    return w + lr * error * x, b + lr * error


def raw_affine(w, b, x, y, lr):
    error = y - (np.dot(w, x) + b)
    return w + lr * error * x, b + lr * error


def no_learning_rate(w, b, x, y, lr):
    error = y - _step(np.dot(w, x) + b)
    return w + error * x, b + error


def target_instead_of_error(w, b, x, y, lr):
    return w + lr * y * x, b + lr * y   # ignores the prediction: moves even when it was right


def swapped_return(w, b, x, y, lr):
    error = y - _step(np.dot(w, x) + b)
    return b + lr * error, w + lr * error * x


def in_place(w, b, x, y, lr):
    error = y - _step(np.dot(w, x) + b)
    w += lr * error * x
    return w, b + lr * error


@pytest.mark.parametrize("wrong, fragment", [
    (sigmoid_output, "sigmoid output"),
    (forgot_bias, "bias did not change"),
    (flipped_sign, "sign of the error is flipped"),
    (updates_when_correct, "prediction was already correct"),
    (no_bias_in_prediction, "Your prediction leaves out b: z = np.dot(w, x) + b."),
    (greater_or_equal, "`z > 0`, not `z >= 0`"),
    (raw_affine, "You used z itself"),
    (no_learning_rate, "learning rate lr"),
    (in_place, "changed its input array in place"),
    (swapped_return, "return new_w, new_b"),
    (target_instead_of_error, "not the target y alone"),
])
def test_update_mistakes_get_their_hint(wrong, fragment):
    verdict = nb03.perceptron_update.verdict(wrong)
    assert not verdict.passed
    assert verdict.hint is not None and fragment in verdict.hint + verdict.text


def test_update_correct_variants_pass():
    assert nb03.perceptron_update.verdict(correct_update).passed

    def as_lists(w, b, x, y, lr):
        new_w, new_b = correct_update(w, b, x, y, lr)
        return list(new_w), np.array([new_b])

    assert nb03.perceptron_update.verdict(as_lists).passed


def test_update_stub_and_bad_returns():
    def stub(w, b, x, y, lr):
        raise NotImplementedError  # your code here

    assert nb03.perceptron_update.verdict(stub).status == "not answered"
    assert nb03.perceptron_update.verdict(lambda w, b, x, y, lr: None).status == "not answered"
    verdict = nb03.perceptron_update.verdict(lambda w, b, x, y, lr: w)
    assert not verdict.passed and "expected a pair (new_w, new_b)" in verdict.text
    verdict = nb03.perceptron_update.verdict(lambda w, b, x, y, lr: (w[:1], b))
    assert not verdict.passed and "must have w's shape" in verdict.text
    verdict = nb03.perceptron_update.verdict(correct_update(np.zeros(2), 0.0, np.ones(2), 1, 0.1))
    assert not verdict.passed and "expected a function" in verdict.text


def test_update_exception_is_one_line():
    verdict = nb03.perceptron_update.verdict(lambda w, b, x, y, lr: (w @ np.ones(5), b))
    assert verdict.status == "incorrect"
    assert "your code raised ValueError" in verdict.text and "Traceback" not in verdict.text


def test_update_reference_matches_course_utils_fit():
    """The checker's expected updates are exactly what cu.Perceptron.fit does for one sample."""
    for w, b, x, y, lr in nb03.UPDATE_CASES:
        learner = cu.Perceptron(w, b)
        learner.fit(x[None, :], [y], lr=lr, epochs=1)
        expected_w, expected_b = nb03._reference_update(w, b, x, y, lr)
        np.testing.assert_allclose(learner.weights, expected_w, rtol=0, atol=1e-12)
        assert learner.bias == pytest.approx(expected_b, abs=1e-12)


def test_update_cases_cover_each_situation():
    """Wrong predictions of both kinds, right predictions of both kinds, and z exactly 0."""
    situations = set()
    for w, b, x, y, lr in nb03.UPDATE_CASES:
        z = float(np.dot(w, x) + b)
        situations.add((y, _step(z), z == 0))
    assert {(1, 0.0, False), (0, 1.0, False), (1, 1.0, False), (0, 0.0, False), (0, 0.0, True)} <= situations


# Linearly separable (choice) ---------------------------------------------------
@pytest.mark.parametrize("letter", ["a", "b", "d"])
def test_choice_wrong_letters_are_explained(letter):
    verdict = nb03.linearly_separable.verdict(letter)
    assert not verdict.passed and verdict.hint


def test_choice_explanations_weights_really_work():
    """The weights quoted in the wrong options' explanations compute those gates."""
    gates = {"a": ([-1, -1], 0.5, [1, 0, 0, 0]), "b": ([1, -1], -0.5, [0, 0, 1, 0]), "d": ([1, 0], -0.5, [0, 0, 1, 1])}
    for letter, (w, b, target) in gates.items():
        assert str(tuple(w + [b])).replace(" ", "") in nb03.linearly_separable.explanations[letter].replace(" ", "")
        np.testing.assert_array_equal(cu.Perceptron(w, b).predict(GATE_INPUTS), target)
    assert nb03.linearly_separable.verdict(" C ").passed


# The explorer used in the notebook ------------------------------------------------
def test_gate_explorer_readout_follows_the_weights():
    from course_utils.widgets import GateExplorer

    explorer = GateExplorer(gate="AND", w1=1.0, w2=1.0, b=-0.5)  # the notebook's starting point
    assert explorer.update() == "AND: 2/4 points correct (red edge = wrong)"
    explorer.controls["b"].value = -1.5
    assert explorer.update().startswith("AND: 4/4")
    explorer.controls["gate"].value = "NAND"
    w1, w2, b = nb03.nand_weights.model_answer()
    explorer.controls["w1"].value, explorer.controls["w2"].value, explorer.controls["b"].value = w1, w2, b
    assert explorer.update().startswith("NAND: 4/4")


# Review of 03-05 ---------------------------------------------------------------
@pytest.mark.parametrize("triple, shown", [((-1, -1, 1.0000001), "(-1, -1, 1.0000001)"),
                                           ((-1, -1, 1.5), "(-1, -1, 1.5)"),
                                           ((-0.3, -0.3, 1 / 3), "(-0.3, -0.3, 0.3333333333333333)")])
def test_nand_success_message_shows_the_numbers_unrounded(triple, shown):
    verdict = nb03.nand_weights.verdict(triple)
    assert verdict.passed
    assert f"(w1, w2, b) = {shown}" in verdict.text
    assert not nb03.nand_weights.verdict((-1, -1, 1)).passed   # what ":g" used to show for the first one


def test_closest_point_of_the_line_is_printed(outputs):
    assert "p0 = -b·w / ||w||² = [0.75 0.75]: z at p0 = 0.0, length ||p0|| = 1.061" in outputs
    assert "distance from the origin to the line: |b| / ||w|| = 1.061" in outputs
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "$\\mathbf{p}_0 = -b\\,\\mathbf{w} / \\lVert\\mathbf{w}\\rVert^2$ lies on the line" in markdown


def test_xor_error_count_explanation_matches_the_output(outputs):
    assert "fewest errors in any epoch: 2" in outputs
    assert "final outputs [1. 1. 0. 0.] (target [0 1 1 0])" in outputs
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "Why never fewer than 2 mistakes" in markdown
    assert "final outputs `[1. 1. 0. 0.]`\nfor the targets `[0 1 1 0]`" in markdown


def test_review_wording_of_03_05():
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "A second perceptron outputs 1 when the first says 1" not in markdown
    assert "where $h_1$ is the OR output and $h_2$ the AND output" in markdown
    assert "guarantees this behaviour" not in markdown
    assert "(though not\nnecessarily one with a margin)" in markdown


def test_review2_wording_of_03_05():
    markdown = "\n".join(c.source for c in read("03").cells if c.cell_type == "markdown")
    assert "not even AND can be learned" not in markdown
    assert "need $w_1, w_2 \\le 0$ while $(1, 1)$ needs $w_1 + w_2 > 0$" in markdown
    assert "the learned OR of section 4.1 has $b = 0$" in markdown
    assert "three habits in it are fragile (the third one minor)" in markdown
    assert "forgetting the bias (in $z$ or in the update)" in markdown
