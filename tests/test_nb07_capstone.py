"""Tests for notebook 07 (capstone): its from-scratch code, its stored results, its structure and its exercises."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import course_utils as cu
from course_utils import datasets, training
from course_utils.exercises import nb07
from course_utils.exercises.nb07 import (CHECK_LR, FIXED_LR_HINT, LIBRARY_HINT, TrainStepExercise, _forgot_update,
                                         _gradient_ascent, _loss_after_update, _update_before_backward)

from .notebook_code import read, stored_text, tagged_code

NOTEBOOK = "07"
#: The library's name for W ~ N(0, 1/n_in).
LECUN = "lecun"


@pytest.fixture(scope="module")
def scratch() -> dict:
    namespace = tagged_code(NOTEBOOK)
    namespace.setdefault("np", np)  # the cells use the notebook's `np`, looked up when their functions run
    namespace.setdefault("cu", cu)
    return namespace


@pytest.fixture(scope="module")
def outputs() -> str:
    return stored_text(NOTEBOOK)


@pytest.fixture(scope="module")
def notebook():
    return read(NOTEBOOK)


def markdown(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


# ------------------------------------------------- (a) from-scratch code agrees with course_utils
def test_scratch_cells_define_the_expected_functions(scratch):
    for name in ("sigmoid", "two_layer_forward", "make_moons", "dead_fraction"):
        assert callable(scratch[name]), name


def test_scratch_sigmoid_matches_course_utils_without_warnings(scratch):
    x = np.concatenate([np.linspace(-40, 40, 801), [-1000.0, -745.0, -709.8, 709.8, 1000.0, -np.inf, np.inf]])
    with np.errstate(all="raise", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("error")
        mine = scratch["sigmoid"](x)
    assert np.allclose(mine, cu.sigmoid(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hidden", [1, 2, 5])
def test_scratch_two_layer_forward_matches_sequential(scratch, seed, hidden):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(0, 3, (2, hidden)), rng.normal(0, 2, hidden)
    W2, b2 = rng.normal(0, 3, (hidden, 1)), rng.normal(0, 2, 1)
    X = rng.uniform(-2, 2, (17, 2))
    network = cu.Sequential([cu.Affine(W1, b1), cu.Sigmoid(), cu.Affine(W2, b2), cu.Sigmoid()])
    assert np.allclose(scratch["two_layer_forward"](X, W1, b1, W2, b2), network.forward(X), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 7, 200])
@pytest.mark.parametrize("seed", [0, 1, 12345])
@pytest.mark.parametrize("noise", [0.0, 0.15, 0.3])
def test_scratch_make_moons_is_datasets_two_moons(scratch, n, seed, noise):
    X_mine, y_mine = scratch["make_moons"](n, seed=seed, noise=noise)
    X_ref, y_ref = datasets.two_moons(n, seed, noise=noise)
    assert np.array_equal(X_mine, X_ref)
    assert np.array_equal(y_mine, y_ref)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("shift", [0.0, -0.5, -1.5])
def test_scratch_dead_fraction_matches_dead_unit_fraction(scratch, seed, shift):
    rng = np.random.default_rng(seed)
    network = training.mlp([2, 30, 1], "relu", rng)
    network.layers[0].params["b"] += shift
    X = rng.normal(0, 1, (25, 2))
    z = X @ network.layers[0].W + network.layers[0].b
    assert scratch["dead_fraction"](z) == pytest.approx(training.dead_unit_fraction(network, X))


def test_scratch_dead_fraction_counts_zero_as_off_like_relu_grad(scratch):
    z = np.array([[0.0, 1.0, -1.0], [0.0, -2.0, -3.0]])
    assert scratch["dead_fraction"](z) == pytest.approx(2 / 3)


# ------------------------------------------------- (b) the stored outputs show what the prose says
def test_xor_is_solved_and_printed(outputs):
    assert "Sequential([Affine(n_in=2, n_out=2), Sigmoid(), Affine(n_in=2, n_out=1), Sigmoid()])" in outputs
    assert "all four correct: True" in outputs
    rows = re.findall(r"^ (\d)  (\d) \|   (\d)    \| (0\.\d{4}) \|   (\d)$", outputs, flags=re.M)
    assert [(a, b, t, r) for a, b, t, _, r in rows] == [("0", "0", "0", "0"), ("0", "1", "1", "1"),
                                                       ("1", "0", "1", "1"), ("1", "1", "0", "0")]
    assert re.search(r"max \|by hand - xor_net\.forward\| = \d\.\de-1[6-9]", outputs)


def test_xor_loss_has_a_plateau_near_ln2_then_drops(outputs):
    losses = {int(e): float(v) for e, v in re.findall(r"epoch +(\d+): loss (\d\.\d{4})", outputs)}
    assert abs(losses[0] - np.log(2)) < 0.01 and losses[2999] < 0.01
    assert abs(losses[1000] - np.log(2)) < 0.001          # "hardly moves for the first thousand epochs"
    assert losses[2000] < 0.05                             # "within a few hundred epochs it drops"


def test_xor_hidden_units_match_the_gate_reading(outputs):
    rows = re.findall(r"^ (\d)  (\d) \|   (\d\.\d\d)   \|   (\d\.\d\d)   \|  (\d\.\d\d)$", outputs, flags=re.M)
    hidden = {(a, b): (float(h1) > 0.5, float(h2) > 0.5) for a, b, h1, h2, _ in rows}
    assert hidden == {("0", "0"): (True, False), ("0", "1"): (True, True),
                      ("1", "0"): (False, False), ("1", "1"): (True, False)}


def test_xor_training_in_the_notebook_is_reproducible():
    init = np.random.default_rng(0)
    net = cu.Sequential([cu.Affine.initialise(2, 2, init), cu.Sigmoid(), cu.Affine.initialise(2, 1, init),
                         cu.Sigmoid()])
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    losses = training.train(net, cu.BCELoss(), X, np.array([[0], [1], [1], [0]], dtype=float), 1.0, 3000)
    assert f"epoch 2999: loss {losses[2999]:.4f}" in stored_text(NOTEBOOK)


def test_gradient_norm_table(outputs):
    rows = {name: (float(first), float(last), float(ratio), float(shrink)) for name, first, last, ratio, shrink in
            re.findall(r"^ *(sigmoid|tanh|relu) \| (\S+) \| (\S+) \| +(\S+) \| (\S+)$", outputs, flags=re.M)}
    assert set(rows) == {"sigmoid", "tanh", "relu"}
    assert rows["sigmoid"][2] < 1e-6                      # "less than a millionth"
    assert 0.15 <= rows["sigmoid"][3] <= 0.25             # "about a fifth", below the 0.25 ceiling
    for name in ("tanh", "relu"):
        assert 0.2 < rows[name][2] < 5                    # "within a factor of a few"
    expected = training.gradient_norms_per_layer("sigmoid", depth=10, width=32, rng=0)
    assert f"{expected[0]:.2e}" in outputs


def test_small_initialisation_printout(outputs):
    found = {name: (float(a), float(b)) for name, a, b in
             re.findall(r"^ *(sigmoid|tanh|relu): layer 1 (\S+), layer 10 (\S+)$", outputs, flags=re.M)}
    assert found["sigmoid"][0] / found["sigmoid"][1] < 1e-16
    assert 1e-13 < found["tanh"][0] < 1e-11 and 1e-14 < found["relu"][0] < 1e-12


def test_moons_scratch_comparison_and_shapes(outputs):
    assert "max |X difference| = 0.0, same labels: True" in outputs
    assert "X: shape (200, 2), y: shape (200,), points per class: [100 100]" in outputs


def test_moons_learning_results(outputs):
    results = {name: (float(loss), float(acc), float(low), float(high)) for name, loss, acc, low, high in
               re.findall(r"(sigmoid|tanh|relu): loss \S+ -> (\S+), training accuracy (\S+)%, "
                          r"outputs from (\S+) to (\S+)", outputs)}
    assert abs(results["sigmoid"][0] - np.log(2)) < 1e-3        # stuck at ln 2
    assert 0.4999 <= results["sigmoid"][2] and results["sigmoid"][3] <= 0.5001   # "0.5 to four decimal places"
    assert 40 <= results["sigmoid"][1] <= 60                    # "a coin flip"
    for name in ("tanh", "relu"):
        assert results[name][0] < 1e-3 and results[name][1] == 100.0


def test_dead_unit_results(outputs):
    found = {float(lr): (int(start), int(top), int(end), float(loss)) for lr, start, top, end, loss in
             re.findall(r"lr = (\S+): dead units (\d+)% at the start, (\d+)% at most, (\d+)% at the end; "
                        r"final loss (\S+)$", outputs, flags=re.M)}
    assert set(found) == {0.5, 2.0}
    assert found[0.5][1] <= 30 and found[0.5][3] < 0.01         # "peaks at about 30 %, and the network learns"
    assert 60 <= found[2.0][2] <= 70                            # "two thirds of the units are dead"
    assert abs(found[2.0][3] - np.log(2)) < 1e-3                # "stuck at ln 2"
    assert "dead_fraction: 0.28, training.dead_unit_fraction: 0.28, difference 0.0" in outputs


def test_dead_units_per_layer_claims(outputs):
    """Section 5: none dead in layer 1 at initialisation, all in layers 3-6; revivals, never in layer 1."""
    start = re.search(r"^dead at initialisation: (.*)$", outputs, flags=re.M).group(1)
    per_layer = [int(v) for v in re.findall(r"layer \d: (\d+)%", start)]
    assert len(per_layer) == 6 and per_layer[0] == 0 and per_layer[1] == 0
    assert all(v > 0 for v in per_layer[2:])                    # "the dead units sit in layers 3 to 6"
    assert "all hidden layers: 18%" in outputs
    revivals = [(int(total), int(first)) for total, first in
                re.findall(r"revivals: (\d+) in all, (\d+) of them in layer 1", outputs)]
    assert len(revivals) == 2 and revivals[0][0] > 0 and revivals[0][1] == 0 and revivals[1][1] == 0
    end = re.findall(r"^ +at the end: (.*)$", outputs, flags=re.M)
    assert end[1].endswith("layer 6: 100%")                     # "every unit of layer 6 is dead"


def test_first_layer_units_never_revive_but_deeper_ones_do():
    """The prose: a dead first-layer unit stays dead for good; deeper ones can revive (measured, not assumed)."""
    X, y = datasets.two_moons(200, rng=1, noise=0.15)
    t = y[:, None].astype(float)
    for lr in (0.5, 2.0):
        network = training.mlp([2, 16, 16, 16, 16, 16, 16, 1], "relu", rng=0, output="sigmoid", scheme="he")
        loss = cu.BCELoss()
        previous = None
        revived = np.zeros(6, dtype=int)
        for _ in range(200):
            network.forward(X)
            dead = [np.all(layer.local_grad == 0, axis=0) for layer in network.layers if isinstance(layer, cu.ReLU)]
            if previous is not None:
                revived += [int(np.sum(a & ~b)) for a, b in zip(previous, dead)]
            previous = dead
            training.train_step(network, loss, X, t, lr)
        assert revived[0] == 0
        assert revived[1:].sum() > 0


def test_exercise_stubs_are_stored_unsolved(outputs):
    assert "⏳ 07.train_step: not implemented yet." in outputs
    for name in ("07.unstall", "07.output_activation"):  # multiple-choice questions
        assert f"⏳ {name}: not answered yet." in outputs
    assert "📖" not in outputs and "💡 Hints" not in outputs


# ------------------------------------------------- notebook structure
def test_template_sections_and_links(notebook):
    text = markdown(notebook)
    assert notebook.cells[0].source.startswith("# 07 · Capstone")
    for heading in ("**Learning objectives.**", "**Estimated time:**", "**Prerequisites:**", "## Your turn",
                    "## Summary", "## Common pitfalls", "## References"):
        assert heading in text, heading
    assert "(06_backprop_sigmoid.ipynb)" in text and "(03_perceptron.ipynb)" in text
    for target in ("01_threshold", "02_sigmoid", "03_perceptron", "04_relu_family", "05_softmax",
                   "06_backprop_sigmoid"):
        assert f"({target}.ipynb)" in text, target
    summary = next(c.source for c in notebook.cells if c.cell_type == "markdown" and c.source.startswith("## Summary"))
    assert summary.rstrip().splitlines()[-1].endswith("[glossary](../docs/glossary.md).")


def test_activation_guide_covers_every_place(notebook):
    guide = next(c.source for c in notebook.cells if c.cell_type == "markdown"
                 and c.source.startswith("## 6. Choosing an activation"))
    for phrase in ("hidden layers, by default | **ReLU**", "output, binary (yes/no) | **sigmoid**",
                   "output, one of $K$ classes | **softmax**", "output, a real number (regression) | **identity**"):
        assert phrase in guide, phrase


def test_tanh_row_and_summary_match_the_evidence(notebook):
    """tanh with LeCun weights kept gradients level over 10 layers and fitted the moons with 6: not "shallow only"."""
    text = markdown(notebook)
    assert "shallow" not in text
    assert "| hidden layers, when zero-centred outputs help | **tanh**" in text
    assert "or tanh with LeCun weights" in text


def test_xor_wiring_of_notebook_03_is_named_as_there(notebook):
    text = markdown(notebook)
    assert "In notebook 03 we wired XOR by hand as \"OR and not AND\"" in text
    assert "h_1 - h_2 - 0.5" in markdown(read("03"))


def test_speaker_notes_are_labelled(notebook):
    notes = [c.source for c in notebook.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    assert len(notes) >= 2
    assert all(source.startswith("**Speaker notes.** ") for source in notes), notes


def test_histograms_draw_every_bin_the_last_included(notebook):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    source = next(c.source for c in notebook.cells if c.cell_type == "code" and "def draw_histograms" in c.source)
    namespace = {"np": np, "plt": plt}
    exec(source, namespace)
    fig, ax = plt.subplots()
    try:
        values_in_last_bin = [np.full(50, 0.99)]   # all in [0.975, 1], the last of 40 bins on (0, 1)
        namespace["draw_histograms"](ax, values_in_last_bin, [1], 0.0, 1.0, "C0")
        drawn = np.concatenate([patch.get_path().vertices for patch in ax.patches]
                               + [path.vertices for collection in ax.collections for path in collection.get_paths()])
        filled = drawn[drawn[:, 1] > 0.5]            # the bar is 0.85 high; the baseline is at 0
        assert filled[:, 0].min() == pytest.approx(0.975) and filled[:, 0].max() == pytest.approx(1.0)
    finally:
        plt.close(fig)


def test_references_credit_every_source(notebook):
    markdown_cells = [c.source for c in notebook.cells if c.cell_type == "markdown"]
    start = next(i for i, text in enumerate(markdown_cells) if text.startswith("## References"))
    references = "\n".join(markdown_cells[start:])   # the references may span several cells (slides)
    for source in ("https://www.digitalocean.com/community/tutorials/sigmoid-activation-function-python",
                   "Sigmoid 활성화 함수 – Python 구현", "シグモイド活性化関数のPythonによる実装",
                   "활성화함수 (Activation funtion)", "딥 러닝 - 3. Activation Function",
                   "밑바닥부터 시작하는 딥러닝 5장 10", "Glorot and Y. Bengio (2010)", "He, X. Zhang, S. Ren and J. Sun (2015)"):
        assert source in references, source


def test_only_the_widget_cell_ignores_its_output(notebook):
    marked = [c for c in notebook.cells if c.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in c.source]
    assert len(marked) == 1
    assert marked[0].source.startswith("# NBVAL_IGNORE_OUTPUT")
    assert marked[0].source.rstrip().splitlines()[-1].startswith("GradientFlowExplorer(")


def test_plot_cells_end_with_show_and_hints_stay_commented(notebook):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if "plt.subplots" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()")
        for line in cell.source.splitlines():
            if ".hint()" in line or ".solution()" in line:
                assert line.lstrip().startswith("#"), line


def test_stubs_raise_not_implemented(notebook):
    stub = next(c.source for c in notebook.cells if c.cell_type == "code" and "def train_step" in c.source)
    assert "raise NotImplementedError  # your code here" in stub
    assert "def train_step(network, loss, X, t, lr):" in stub   # targets are t, as in notebook 06


def test_targets_are_named_t_as_in_notebook_06(notebook):
    text = markdown(notebook)
    assert "$L(\\hat y, t)$" in text and "L(\\hat y, y)" not in text
    assert "`train_step(network, loss, X, t, lr)`" in text
    assert "X, t, lr" in nb07.train_step.title and "(prediction, t)" in nb07.train_step.hints[2]
    assert "def train_step(network, loss, X, t, lr):" in nb07.train_step.solution_text


# ------------------------------------------------- (c) exercises
def test_model_answers_pass():
    for exercise in (nb07.train_step, nb07.unstall, nb07.output_activation):
        verdict = exercise.verdict(exercise.model_answer())
        assert verdict.passed, verdict.text


def test_the_library_step_is_not_an_answer():
    """Passing training.train_step itself, or calling it (or training.train) inside, earns no pass."""
    original_step, original_train = training.train_step, training.train
    verdict = nb07.train_step.verdict(training.train_step)
    assert verdict.status == "incorrect" and verdict.hint == LIBRARY_HINT, verdict.text

    def calls_the_library(network, loss, X, y, lr):
        return training.train_step(network, loss, X, y, lr)

    def calls_train(network, loss, X, y, lr):
        return training.train(network, loss, X, y, lr, 1)[0]

    for answer, name in [(calls_the_library, "training.train_step"), (calls_train, "training.train")]:
        verdict = nb07.train_step.verdict(answer)
        assert verdict.status == "incorrect" and name in verdict.text, verdict.text
        assert verdict.hint == LIBRARY_HINT and "Traceback" not in verdict.text
    assert training.train_step is original_step and training.train is original_train   # put back afterwards
    assert nb07.train_step.verdict(_reference_step).passed   # the same four lines, written out, pass


def test_stepping_twice_gets_an_accurate_hint():
    def steps_twice(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        network.step(lr)
        network.step(lr)
        return value

    hint = _hint(steps_twice)
    assert hint == FIXED_LR_HINT and "exactly once" in hint and f"lr were not {CHECK_LR}" in hint
    assert "of your own. Use" not in hint


@pytest.mark.parametrize("wrap", [lambda v: np.array([v]), lambda v: [v]], ids=["array", "list"])
def test_returning_the_loss_in_an_array_asks_for_a_float(wrap):
    def wrapped(network, loss, X, y, lr):
        return wrap(_reference_step(network, loss, X, y, lr))

    hint = _hint(wrapped)
    assert "single float" in hint and "float(value)" in hint and "prediction" not in hint


@pytest.mark.parametrize("answer", [None, ...])
def test_unanswered(answer):
    assert nb07.train_step.verdict(answer).status == "not answered"


def test_stub_and_empty_body_are_not_answered():
    def stub(network, loss, X, y, lr):
        raise NotImplementedError

    def empty(network, loss, X, y, lr):
        pass

    for answer in (stub, empty):
        assert nb07.train_step.verdict(answer).status == "not answered"


def _hint(answer) -> str:
    verdict = nb07.train_step.verdict(answer)
    assert not verdict.passed, verdict.text
    assert verdict.hint, verdict.text
    return verdict.hint


def _mistake_hint(wrong) -> str:
    return next(hint for step, hint in TrainStepExercise.MISTAKES if step is wrong)


@pytest.mark.parametrize("wrong", [_forgot_update, _update_before_backward, _gradient_ascent, _loss_after_update])
def test_classic_mistakes_get_their_hint(wrong):
    assert _hint(wrong) == _mistake_hint(wrong)


def test_forgetting_the_update_is_recognised():
    assert "never changed" in _hint(_forgot_update)


def test_updating_before_backward_is_recognised():
    assert "before the backward pass" in _hint(_update_before_backward)


def test_adding_the_gradient_is_recognised():
    def adds(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        for layer in network.layers:
            for name in layer.params:
                layer.params[name] += lr * layer.grads[name]
        return value

    assert "uphill" in _hint(adds)


def test_swapped_loss_arguments_are_recognised_as_uphill():
    def swapped(network, loss, X, y, lr):
        value = loss.forward(y, network.forward(X))
        network.backward(loss.backward())
        network.step(lr)
        return value

    assert "argument order" in _hint(swapped)


def test_returning_nothing_after_a_real_update_is_recognised():
    def no_return(network, loss, X, y, lr):
        loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        network.step(lr)

    verdict = nb07.train_step.verdict(no_return)
    assert verdict.status == "incorrect" and "returns nothing" in verdict.text
    assert "Return the loss value" in verdict.hint


def test_returning_the_loss_layer_is_recognised():
    def returns_layer(network, loss, X, y, lr):
        _reference_step(network, loss, X, y, lr)
        return loss

    assert "loss.forward(prediction, t)" in _hint(returns_layer)


def test_returning_the_prediction_is_recognised():
    def returns_prediction(network, loss, X, y, lr):
        prediction = network.forward(X)
        _reference_step(network, loss, X, y, lr)
        return prediction

    assert "not the prediction" in _hint(returns_prediction)


def test_a_hard_coded_learning_rate_is_recognised():
    def fixed(network, loss, X, y, lr):
        return _reference_step(network, loss, X, y, 0.1)

    assert CHECK_LR != 0.1
    assert "lr argument" in _hint(fixed)


@pytest.mark.parametrize("body,expected", [
    ("value = loss.forward(network.forward(X), y); network.backward(1.0); network.step(lr); return value",
     "loss.backward() gives exactly that"),
    ("value = loss.forward(network.forward(X), y); network.backward(); network.step(lr); return value",
     "pass loss.backward()"),
    ("network.forward(X); network.backward(loss.backward()); network.step(lr); return 0.0",
     "Every backward needs its forward first"),
    ("p = network.forward(X); v = loss.forward(p, y); network.backward(loss.backward(p)); network.step(lr); "
     "return v", "Call it with no argument"),
])
def test_errors_get_targeted_hints(body, expected):
    namespace: dict = {}
    exec(f"def step(network, loss, X, y, lr):\n    {body}\n", namespace)
    verdict = nb07.train_step.verdict(namespace["step"])
    assert verdict.status == "incorrect" and "Traceback" not in verdict.text
    assert expected in verdict.hint


def test_a_manual_update_passes():
    def manual(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        for layer in network.layers:
            for name, param in layer.params.items():
                param -= lr * layer.grads[name]
        return value

    assert nb07.train_step.verdict(manual).passed


@pytest.mark.parametrize("exercise", [nb07.unstall, nb07.output_activation], ids=["unstall", "output_activation"])
def test_choice_exercises_explain_every_wrong_option(exercise):
    assert exercise.verdict(exercise.correct).passed
    assert exercise.verdict(exercise.correct.upper()).passed
    for letter in exercise.options:
        if letter != exercise.correct:
            verdict = exercise.verdict(letter)
            assert not verdict.passed and verdict.hint == exercise.explanations[letter]


def test_unstall_claims_hold():
    # The question says a 10-layer sigmoid network with LeCun initialisation stalls at ln 2 on two moons, and that
    # at initialisation layer 1's gradient is about a millionth of layer 10's; the answer says ReLU + He gets it
    # learning (and, as the explanation says, a learning rate that is not too large lets it finish).
    X, y = datasets.two_moons(200, 1, noise=0.15)
    t = y[:, None].astype(float)
    stalled = training.mlp([2] + [16] * 9 + [1], "sigmoid", 0, output="sigmoid", scheme=LECUN)
    losses = training.train(stalled, cu.BCELoss(), X, t, 0.5, 1000)
    assert abs(losses[-1] - np.log(2)) < 1e-3
    slower = training.mlp([2] + [16] * 9 + [1], "sigmoid", 0, output="sigmoid", scheme=LECUN)
    assert abs(training.train(slower, cu.BCELoss(), X, t, 0.05, 1000)[-1] - np.log(2)) < 1e-3   # option (e)
    norms = training.gradient_norms_per_layer("sigmoid", 10, scheme=LECUN)
    assert 1e-7 < norms[0] / norms[-1] < 1e-5
    relu = training.mlp([2] + [16] * 9 + [1], "relu", 0, output="sigmoid", scheme="he")
    assert min(training.train(relu, cu.BCELoss(), X, t, 0.5, 1000)) < 0.1
    relu = training.mlp([2] + [16] * 9 + [1], "relu", 0, output="sigmoid", scheme="he")
    assert training.train(relu, cu.BCELoss(), X, t, 0.2, 1000)[-1] < 0.01


# ------------------------------------------------- (d) claims added in the content pass
def test_ln2_is_printed_as_the_loss_of_answering_one_half(outputs):
    assert "loss of answering 0.5 for every point: 0.6931;  ln 2 = 0.6931" in outputs
    assert cu.BCELoss().forward(np.full((4, 1), 0.5), np.array([[0.0], [1.0], [1.0], [0.0]])) == \
        pytest.approx(np.log(2), rel=1e-12)


def test_one_neuron_ends_at_ln2_on_xor(outputs):
    match = re.search(r"one sigmoid neuron on XOR: loss (\S+) -> (\S+), outputs \[(.*)\]", outputs)
    assert match and abs(float(match.group(2)) - np.log(2)) < 1e-4
    assert [float(v) for v in match.group(3).split()] == [0.5, 0.5, 0.5, 0.5]


def test_one_neuron_has_zero_gradient_at_zero_weights_on_xor(notebook):
    """Section 2: at w = 0, b = 0 the gradient of one sigmoid neuron on XOR is exactly zero (its loss is ln 2)."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([[0], [1], [1], [0]], dtype=float)
    neuron = cu.Sequential([cu.Affine(np.zeros((2, 1)), np.zeros(1)), cu.Sigmoid()])
    loss = cu.BCELoss()
    assert loss.forward(neuron.forward(X), t) == pytest.approx(np.log(2), rel=1e-15)
    neuron.backward(loss.backward())
    assert np.array_equal(neuron.layers[0].dW, np.zeros((2, 1))) and np.array_equal(neuron.layers[0].db, np.zeros(1))
    text = markdown(notebook)
    assert "because no line separates the classes" not in text
    assert "At $w = 0$, $b = 0$ its gradient is exactly zero" in text


def test_xor_initial_weights_are_lecun_and_below_one_half(outputs, notebook):
    init = np.random.default_rng(0)
    layers = [cu.Affine.initialise(2, 2, init), cu.Affine.initialise(2, 1, init)]
    largest = max(np.max(np.abs(layer.W)) for layer in layers)
    assert largest < 0.5 and f"largest initial weight in size: {largest:.2f}" in outputs
    assert f"in this\ndraw the largest is {largest:.2f} in size" in markdown(notebook)
    assert "small initial weights" not in markdown(notebook)


def test_activation_table_wording(notebook):
    guide = next(c.source for c in notebook.cells if c.source.startswith("## 6. Choosing an activation"))
    assert "0 everywhere" not in guide and "0 wherever it exists (it is undefined at the jump)" in guide
    assert "independent events" not in guide and "not mutually exclusive" in guide
    assert "sections 3 to 5" not in guide
    assert "0 everywhere" not in nb07.output_activation.explanations["d"]
    pieces = next(c.source for c in notebook.cells if c.source.startswith("## 1. The pieces"))
    assert "(function), [06](06_backprop_sigmoid.ipynb) exercises 1 and 2 (layer)" in pieces
    assert "(forward), [06](06_backprop_sigmoid.ipynb) section 6 (backward)" in pieces


def test_bce_is_credited_to_notebook_06(notebook):
    text = markdown(notebook)
    row = next(line for line in text.splitlines() if line.startswith("| `cu.BCELoss()`"))
    assert "06_backprop_sigmoid.ipynb" in row and "02_sigmoid" not in row
    assert "binary cross-entropy loss of notebook 02" not in text


def test_initialisation_names_match_their_formulas(notebook):
    text = markdown(notebook)
    assert r"**LeCun initialisation**, $W \sim N(0,\, 1/n_\text{in})$" in text
    assert r"**He initialisation**, $N(0,\, 2/n_\text{in})$" in text
    assert r"**Glorot (or Xavier) initialisation**, $N(0,\, 2/(n_\text{in} + n_\text{out}))$" in text
    assert not re.search(r"Xavier[^.|]*1/n", text), "Xavier named with the LeCun formula"
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    for call in re.findall(r"training\.mlp\(SIZES[^\n]*", code) + re.findall(r"gradient_norms_per_layer\([^\n]*", code):
        assert "scheme=" in call, call


def test_activation_distribution_table(outputs):
    rows = {}
    for name, init, values in re.findall(r"^ *(sigmoid|tanh|relu), (small|matched) +\| (.*)$", outputs, flags=re.M):
        rows[name, init] = [float(v) for v in values.split("|")]
    assert len(rows) == 6
    for name in ("sigmoid", "tanh", "relu"):
        assert rows[name, "small"][-1] < 1e-12                  # "less than 1e-12 by layer 10"
    for name in ("tanh", "relu"):
        assert min(rows[name, "matched"]) >= 0.2                # "changes by 0.2 or more"
    sigmoid = rows["sigmoid", "matched"]
    per_layer = (sigmoid[-1] / sigmoid[0]) ** (1 / 9)
    assert 0.18 < per_layer < 0.3                               # "shrinks to about a quarter in every layer"
    match = re.search(r"layers 2-10 stay between (\S+) and (\S+)\n", outputs)
    low, high = (float(v) for v in match.groups())
    assert 0.1 < low and high < 0.9                              # "no value comes near 0 or 1"
    match = re.search(r"average slope sigma'\(z\) (\S+) in layer 1, (\S+) to (\S+) in layers 2-10", outputs)
    slope_first, slope_low, slope_high = (float(v) for v in match.groups())
    assert (slope_first, slope_low, slope_high) == (0.21, 0.23, 0.24)   # the numbers the prose quotes
    assert slope_high <= 0.25                                    # "close to the ceiling 0.25"
    assert "0.21 in layer 1 and 0.23 to 0.24 in layers 2 to 10" in markdown(read(NOTEBOOK))


def test_distribution_networks_are_those_of_the_gradient_norms(scratch):
    """3.3 says: the same ten-layer networks (the same weights) as 3.1 and 3.2."""
    for name, scheme in [("sigmoid", "small"), ("relu", "he")]:
        a = training.mlp([32] * 11, name, rng=0, output=name, scheme=scheme)
        rng = np.random.default_rng(0)
        b = training.mlp([32] * 11, name, rng=rng, output=name, scheme=scheme)   # what gradient_norms_per_layer builds
        for la, lb in zip(a.layers, b.layers):
            if isinstance(la, cu.Affine):
                assert np.array_equal(la.W, lb.W)
        X = np.random.default_rng(3).standard_normal((7, 32))
        values = scratch["activations_per_layer"](a, X)
        assert len(values) == 10 and np.array_equal(values[-1], a.forward(X))


def test_sections_are_numbered_and_each_heading_starts_its_cell(notebook):
    numbered = []
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for line in lines[1:]:
            assert not line.startswith("#"), f"heading in the middle of a cell: {line!r}"
        first = lines[0]
        if first.startswith("## ") and not first.startswith(("## Your turn", "## Summary", "## Common pitfalls",
                                                             "## References")):
            numbered.append(int(re.match(r"## (\d+)\. ", first).group(1)))
        if first.startswith("### ") and not first.startswith("### Exercise"):
            assert re.match(r"### \d+\.\d+ ", first), first
    assert numbered == [1, 2, 3, 4, 5, 6]
    labels = [int(n) for c in notebook.cells if c.cell_type == "markdown"
              for n in re.findall(r"^### Exercise (\d+)", c.source, flags=re.M)]
    assert labels == [1, 2, 3]


def test_wrong_claim_about_dead_units_at_initialisation_is_gone(notebook):
    text = markdown(notebook)
    assert "a unit's line can leave all 200" not in text
    assert "He initialisation with zero biases" not in text


# ------------------------------------------------- (e) checker robustness
def _reference_step(network, loss, X, y, lr):
    value = loss.forward(network.forward(X), y)
    network.backward(loss.backward())
    network.step(lr)
    return value


def test_a_step_that_empties_the_network_fails():
    calls = []

    def empties_on_the_last_call(network, loss, X, y, lr):
        value = _reference_step(network, loss, X, y, lr)
        calls.append(1)
        if len(calls) % 3 == 0:
            network.layers[:] = []
        return value

    verdict = nb07.train_step.verdict(empties_on_the_last_call)
    assert not verdict.passed and "parameter arrays" in verdict.text

    def clears_params(network, loss, X, y, lr):
        value = _reference_step(network, loss, X, y, lr)
        calls.append(1)
        if len(calls) % 3 == 0:
            for layer in network.layers:
                getattr(layer, "params", {}).clear()
        return value

    calls.clear()
    assert not nb07.train_step.verdict(clears_params).passed


def test_assigning_to_read_only_W_gets_its_hint():
    def assigns(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        for layer in network.layers:
            if isinstance(layer, cu.Affine):
                layer.W = layer.W - lr * layer.dW
        return value

    def augmented(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        for layer in network.layers:
            if isinstance(layer, cu.Affine):
                layer.W -= lr * layer.dW
        return value

    for answer in (assigns, augmented):
        verdict = nb07.train_step.verdict(answer)
        assert verdict.status == "incorrect" and "Traceback" not in verdict.text
        assert "read-only" in verdict.hint and "network.step(lr)" in verdict.hint
        assert "view" not in verdict.hint and "already changed the array" in verdict.hint


def test_augmented_assignment_to_W_changes_the_array_then_raises(notebook):
    """The pitfall: `layer.W -= ...` raises AttributeError, but only after the in-place subtraction."""
    layer = cu.Affine(np.ones((2, 1)), np.zeros(1))
    with pytest.raises(AttributeError):
        layer.W -= 0.5
    assert np.array_equal(layer.params["W"], np.full((2, 1), 0.5))
    with pytest.raises(AttributeError):
        layer.W = np.zeros((2, 1))
    assert layer.W is layer.params["W"] and layer.W.flags.writeable   # not a view, not read-only data
    pitfalls = next(c.source for c in notebook.cells if c.source.startswith("## Common pitfalls"))
    assert "read-only view" not in pitfalls
    assert "but only after it has already changed the array" in pitfalls


def test_changing_the_data_in_place_is_caught():
    def scales_X(network, loss, X, y, lr):
        X *= 1.0001
        return _reference_step(network, loss, X, y, lr)

    verdict = nb07.train_step.verdict(scales_X)
    assert not verdict.passed and "changed X or t in place" in verdict.text


def test_expected_values_are_captured_when_the_checker_is_defined(monkeypatch):
    """Redefining training.train_step or Sequential.step in a notebook cannot turn a wrong answer into a pass."""
    import course_utils.exercises.nb07 as module

    def broken(network, loss, X, y, lr):
        return loss.forward(network.forward(X), y)   # never updates

    monkeypatch.setattr(training, "train_step", broken)
    monkeypatch.setattr(module, "reference_train_step", broken)
    assert not nb07.train_step.verdict(broken).passed
    assert nb07.train_step.verdict(_reference_step).passed


def test_multiple_choice_answers_are_spread():
    letters = [nb07.unstall.correct, nb07.output_activation.correct]
    assert len(set(letters)) == 2 and "b" not in letters


@pytest.mark.parametrize("exercise", [nb07.train_step, nb07.unstall, nb07.output_activation],
                         ids=["train_step", "unstall", "output_activation"])
def test_hints_are_graded(exercise):
    assert len(exercise.hints) >= 3
    first = exercise.hints[0]
    for giveaway in ("network.step(lr)", "ReLU", "identity"):
        assert giveaway not in first, first


def test_hard_coding_the_notebooks_learning_rate_does_not_pass():
    """The notebook trains with lr = 0.5; an answer that writes network.step(0.5) ignores its lr argument."""
    def hard_coded(network, loss, X, y, lr):
        value = loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        network.step(0.5)
        return value

    assert CHECK_LR != 0.5
    assert _hint(hard_coded) == FIXED_LR_HINT
