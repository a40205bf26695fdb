"""The library's errors, notices and figure texts follow the learner's language (issue 14).

A pseudo catalog translates every message that ``tools/i18n.py`` extracts from course_utils into
"⟪" + message + "⟫"; it is compiled into a temporary folder and set with
``set_language("ko", localedir=...)``. Under it

* every error of the bad calls below must come out as ONE pseudo-translated message (a sentence
  that was not wrapped, or one that the extractor cannot find, stays without the brackets), and
  with the brackets taken out it must be exactly the English message;
* the drift notice of ``setup()``, the gradient check's report and the plotting helpers' titles
  are pseudo-translated too;
* every message wrapped in the modules below is met at least once by these calls, so a new
  error without a bad call that reaches it is noticed.

The bad calls are not listed twice. They are the test functions that check the library's errors
(tests/test_library_inputs.py, the catalogue of bad calls, and the modules' own tests), run again
with a ``pytest.raises`` that also records the exception it caught; the plotting helpers' bad calls
are ``BAD_PLOT_CALLS`` of tests/test_plotting_widgets.py.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import polib  # noqa: E402
import pytest  # noqa: E402

import course_utils as cu  # noqa: E402
from course_utils import i18n, notebook_setup, plotting  # noqa: E402

from . import (test_activations, test_datasets_training, test_gradcheck_reliability, test_layers,  # noqa: E402
               test_library_inputs, test_perceptron_gradcheck, test_plotting_widgets)

ROOT = Path(__file__).resolve().parents[1]

#: The modules whose messages this file checks (widgets, exercises and progress have their own tests).
MODULES = ["validation", "activations", "layers", "gradcheck", "perceptron", "training", "datasets", "plotting",
           "preview", "notebook_setup", "__init__"]

#: The test modules whose bad calls are run again here.
SOURCES = [test_library_inputs, test_activations, test_layers, test_perceptron_gradcheck, test_datasets_training,
           test_gradcheck_reliability]

OPEN, CLOSE = "⟪", "⟫"


def load_tool():
    """tools/i18n.py as a module (the same one tests/test_i18n.py loads)."""
    if "i18n_tool" in sys.modules:
        return sys.modules["i18n_tool"]
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    tool = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = tool  # dataclasses look their module up there
    spec.loader.exec_module(tool)
    return tool


# --------------------------------------------------------------------------- the bad calls
class _RecordingRaises:
    """``pytest.raises(...)`` that also appends the exception it caught to ``caught``."""

    def __init__(self, context, caught: list) -> None:
        self.context = context
        self.caught = caught

    def __enter__(self):
        return self.context.__enter__()

    def __exit__(self, kind, error, traceback):
        if error is not None:
            self.caught.append(error)
        return self.context.__exit__(kind, error, traceback)


class _RecordingPytest:
    """Stands in for the ``pytest`` module inside a test module while one of its tests runs again."""

    def __init__(self, caught: list) -> None:
        self.caught = caught

    def __getattr__(self, name: str):
        return getattr(pytest, name)

    def raises(self, *args, **kwargs):
        return _RecordingRaises(pytest.raises(*args, **kwargs), self.caught)


def _parameter_sets(function) -> list[dict]:
    """Every combination of the values of ``function``'s ``parametrize`` marks, as keyword arguments."""
    choices = []
    for mark in getattr(function, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names, rows = mark.args[0], mark.args[1]
        names = [name.strip() for name in names.split(",")] if isinstance(names, str) else list(names)
        choices.append([dict(zip(names, row if len(names) > 1 else (row,))) for row in rows])
    return [dict(item for chosen in combination for item in chosen.items())
            for combination in itertools.product(*choices)]


def _bad_calls_of_the_tests() -> list[tuple[str, object]]:
    """(id, call) for each case of each test in SOURCES that uses ``pytest.raises`` and no fixture."""
    calls = []
    for module in SOURCES:
        for name, function in vars(module).items():
            if not (name.startswith("test_") and callable(function)):
                continue
            if "pytest.raises" not in inspect.getsource(function):
                continue
            parameters = set(inspect.signature(function).parameters)
            cases = _parameter_sets(function)
            if any(set(case) != parameters for case in cases):
                continue  # a fixture: not a plain bad call
            short = module.__name__.rsplit(".", 1)[-1]
            for index, case in enumerate(cases):
                calls.append((f"{short}.{name}[{index}]", _rerun(module, function, case)))
    return calls


def _rerun(module, function, case: dict):
    def call(caught: list) -> None:
        original = module.pytest
        module.pytest = _RecordingPytest(caught)
        try:
            function(**case)
        finally:
            module.pytest = original
    return call


def _expecting_an_error(bad_call, error: type = Exception, match: str | None = None):
    """``bad_call`` as a recorded call: it must raise ``error`` (with ``match`` in its message)."""
    def call(caught: list) -> None:
        try:
            with _RecordingRaises(pytest.raises(error, match=match), caught):
                bad_call()
        finally:
            plt.close("all")
    return call


BAD_CALLS = _bad_calls_of_the_tests() + [
    (f"BAD_PLOT_CALLS[{index}]", _expecting_an_error(call, error, re.escape(message)))
    for index, (call, error, message) in enumerate(test_plotting_widgets.BAD_PLOT_CALLS)
]


def messages_of(call) -> list[str]:
    """The messages of the exceptions that ``call`` raised, memory addresses left out."""
    caught: list = []
    call(caught)
    return [re.sub(r"0x[0-9a-fA-F]+", "0x…", str(error)) for error in caught]


# --------------------------------------------------------------------------- the pseudo catalog
def runtime_units() -> list:
    """course_utils' messages, as ``tools/i18n.py extract-runtime`` finds them."""
    units, _problems = load_tool().runtime_units()  # problems in other modules are tests/test_i18n.py's business
    return units


def in_our_modules(unit) -> bool:
    """Whether ``unit`` is written in one of ``MODULES`` (its locations are like "course_utils/layers.py")."""
    for where, _line in unit.locations:
        package, _slash, filename = where.partition("/")
        if package == "course_utils" and filename.removesuffix(".py") in MODULES:
            return True
    return False


@pytest.fixture(scope="module")
def pseudo_catalog(tmp_path_factory) -> Path:
    """A folder with ``ko/LC_MESSAGES/course_utils.mo`` translating each message to "⟪" + message + "⟫"."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for unit in runtime_units():
        if unit.plural is None:
            po.append(polib.POEntry(msgctxt=unit.context, msgid=unit.text, msgstr=OPEN + unit.text + CLOSE))
        else:
            po.append(polib.POEntry(msgid=unit.text, msgid_plural=unit.plural,
                                    msgstr_plural={0: OPEN + unit.text + CLOSE, 1: OPEN + unit.plural + CLOSE}))
    folder = tmp_path_factory.mktemp("pseudo-locale")
    (folder / "ko" / "LC_MESSAGES").mkdir(parents=True)
    po.save_as_mofile(str(folder / "ko" / "LC_MESSAGES" / "course_utils.mo"))
    return folder


@pytest.fixture
def pseudo(pseudo_catalog):
    """The pseudo language for the duration of one test; English again afterwards."""
    i18n.set_language("ko", localedir=pseudo_catalog)
    yield pseudo_catalog
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")
    plt.close("all")


def is_pseudo_translated(text: str) -> bool:
    """One message from the catalog: it opens with ⟪ and closes with ⟫ (no English before or after)."""
    return text.startswith(OPEN) and text.endswith(CLOSE)


def without_brackets(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def test_the_pseudo_catalog_is_used(pseudo):
    with pytest.raises(ValueError) as caught:
        cu.Perceptron([1.0]).fit([[1.0]], [0.5])
    assert str(caught.value) == "⟪y must contain only 0 and 1 labels, got also [0.5]⟫"


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call", [call for _id, call in BAD_CALLS], ids=[ident for ident, _call in BAD_CALLS])
def test_each_error_is_one_translated_message_and_the_english_is_unchanged(call, pseudo_catalog):
    i18n.set_language("en")
    english = messages_of(call)
    i18n.set_language("ko", localedir=pseudo_catalog)
    translated = messages_of(call)
    assert english, "the bad call raised nothing"
    assert len(translated) == len(english)
    for message, english_message in zip(translated, english):
        assert is_pseudo_translated(message), f"not (all) from the catalog: {message!r}"
        assert without_brackets(message) == english_message
        assert OPEN not in english_message


def test_every_bad_call_of_the_catalogue_is_run_again():
    """Each test of tests/test_library_inputs.py that expects an error is here, with all its cases."""
    names = [ident.split("[")[0] for ident, _call in BAD_CALLS]
    expecting_errors = [name for name, function in vars(test_library_inputs).items()
                        if name.startswith("test_") and "pytest.raises" in inspect.getsource(function)]
    assert len(expecting_errors) >= 14
    for name in expecting_errors:
        assert f"test_library_inputs.{name}" in names, f"{name} was not run again (does it use a fixture?)"
    assert names.count("test_library_inputs.test_initialise_refuses_bad_arguments") == 5  # every parametrized case
    bad_x = "test_activations.test_bad_x_raises_a_type_error_naming_x"
    assert names.count(bad_x) == 7 * len(test_activations.EVERY_FUNCTION)  # 7 bad inputs for every function
    assert names.count("BAD_PLOT_CALLS") == len(test_plotting_widgets.BAD_PLOT_CALLS)


class ForwardShiftsX(cu.Sigmoid):
    def forward(self, x):
        x -= 1.0  # changes the caller's array
        return super().forward(x)


class ReturnsText(cu.Sigmoid):
    def backward(self, dout):
        return "dx"


class AffineWithoutGradB(cu.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        del self.grads["b"]
        return dx


class AffineWithNaNGradient(cu.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.grads["W"] = np.full_like(self.W, np.nan)
        return dx


class RandomDx(cu.Sigmoid):
    """A different dx each call: the second forward/backward disagrees."""

    calls = 0

    def backward(self, dout):
        RandomDx.calls += 1
        return super().backward(dout) * RandomDx.calls


def gradient_report_problems() -> list[str]:
    """The problems of reports on layers that are broken in every way the report names."""
    x = np.array([[-1.0, 2.0, -3.0], [0.5, -0.5, 4.0]])
    affine = {"W": np.ones((3, 2)), "b": np.zeros(2)}
    layers = [(ForwardShiftsX(), x), (ReturnsText(), x), (AffineWithoutGradB(**affine), x),
              (AffineWithNaNGradient(**affine), x), (RandomDx(), x),
              (test_gradcheck_reliability.ReLUFromTheTextbook(), x),
              (test_gradcheck_reliability.AffineThatAccumulates(**affine), x)]
    problems = []
    for layer, point in layers:
        problems += cu.gradient_check_report(layer, point).problems
    log_layer = _log_layer()
    problems += cu.gradient_check_report(log_layer, np.array([1.0, 2.0, 1e-7])).problems
    problems += cu.gradient_check_report(log_layer, np.array([1.0, 2.0, 0.0])).problems
    transposed = cu.gradient_check_report(_transposed_sigmoid(), np.ones((2, 3))).problems
    return problems + list(transposed)


def _log_layer():
    class LogLayer(cu.Sigmoid):
        def forward(self, x):
            self.x = np.array(x, dtype=float)
            with np.errstate(all="ignore"):
                return np.log(self.x)

        def backward(self, dout):
            with np.errstate(all="ignore"):
                return dout / self.x
    return LogLayer()


def _transposed_sigmoid():
    class ReturnsTransposed(cu.Sigmoid):
        def backward(self, dout):
            return super().backward(dout).T
    return ReturnsTransposed()


#: Bad calls that no other test makes (their messages are checked like the others').
MORE_BAD_CALLS = [
    ("Perceptron.fit with one row", lambda: cu.Perceptron([1.0, 2.0]).fit([1.0, 2.0], [1])),
    ("Perceptron with NaN weights", lambda: cu.Perceptron([np.nan])),
    ("SoftmaxCrossEntropy on 3-D logits", lambda: cu.SoftmaxCrossEntropy().forward(np.zeros((1, 2, 2)),
                                                                                  np.ones((1, 2, 2)) / 2)),
    ("an empty loss", lambda: cu.MSELoss().forward(np.zeros(0), np.zeros(0))),
    ("a non-finite dout for a loss", lambda: (lambda loss: (loss.forward([1.0], [0.0]), loss.backward(np.nan)))(
        cu.MSELoss())),
    ("relative_error of two shapes", lambda: cu.relative_error([1.0], [1.0, 2.0])),
    ("gradient_check_report with eps=0", lambda: cu.gradient_check_report(cu.Sigmoid(), np.ones(2), eps=0.0)),
    ("style_axes with a number as xlabel", lambda: plotting.style_axes(plt.gca(), xlabel=1)),
    ("softmax of a string", lambda: cu.softmax("1, 2")),
]


@pytest.mark.parametrize("call", [call for _id, call in MORE_BAD_CALLS], ids=[i for i, _c in MORE_BAD_CALLS])
def test_more_errors_are_translated(call, pseudo_catalog):
    bad_call = _expecting_an_error(call)
    i18n.set_language("en")
    english = messages_of(bad_call)
    i18n.set_language("ko", localedir=pseudo_catalog)
    translated = messages_of(bad_call)
    assert len(english) == len(translated) == 1
    assert is_pseudo_translated(translated[0]) and without_brackets(translated[0]) == english[0]


# --------------------------------------------------------------------------- what a learner reads besides errors
def test_gradient_check_reports_are_translated_line_by_line(pseudo):
    problems = gradient_report_problems()
    assert len(problems) >= 9 and all(is_pseudo_translated(problem) for problem in problems), problems
    i18n.set_language("en")
    english = gradient_report_problems()
    assert [without_brackets(problem) for problem in problems] == english
    assert "dx (what backward returned) is str, not an array of numbers" in english

    i18n.set_language("ko", localedir=pseudo)
    x = np.array([[-1.0, 2.0, -3.0], [0.5, -0.5, 4.0]])
    fine = str(cu.gradient_check_report(cu.Sigmoid(), x)).split("\n")
    assert fine[0].startswith("⟪gradient check: ⟪fine⟫ (relative error ") and fine[0].endswith(")⟫")
    assert fine[1].startswith("  dx: ")  # an array's name and a number: nothing to translate
    suspicious = cu.gradcheck.GradientCheckReport(error=1e-5, errors={"dx": 1e-5})
    assert str(suspicious).split("\n")[0] == "⟪gradient check: ⟪suspicious⟫ (relative error 1.0e-05)⟫"
    assert suspicious.verdict == "suspicious"  # the key a program compares stays English
    broken = str(cu.gradient_check_report(test_gradcheck_reliability.ReLUFromTheTextbook(), x)).split("\n")
    assert broken[0] == "⟪gradient check: ⟪bug⟫ (relative error inf)⟫"
    assert broken[-1] == ("  ⟪problem: ⟪backward changed dout in place (dout[...] = ..., dout *= ...); "
                          "it must build a new array⟫⟫")


def figure_texts() -> dict[str, str]:
    """The words of the plotting helpers' default figures (titles, the graph's texts)."""
    texts = {"plot_activation": cu.plot_activation("leaky_relu").get_title(),
             "plot_activation without derivative": cu.plot_activation("relu", derivative=False).get_title(),
             "plot_activations": cu.plot_activations().get_title(),
             "plot_activations of derivatives": cu.plot_activations(derivative=True).get_title()}
    graph = plotting.plot_sigmoid_graph(-1.5, 0.5)
    texts["sigmoid graph title"] = graph.get_title()
    texts["sigmoid graph, the given gradient"] = [text.get_text() for text in graph.texts
                                                  if text.get_gid() == "local-4"][0]
    plt.close("all")
    return texts


def test_figure_titles_and_words_are_translated_and_maths_is_not(pseudo):
    translated = figure_texts()
    assert translated["plot_activation"] == "⟪leaky_relu (α = 0.01) and its derivative⟫"
    assert translated["plot_activation without derivative"] == "relu"  # a function's name only
    assert translated["plot_activations"] == "⟪Activation functions⟫"
    assert translated["plot_activations of derivatives"] == "⟪Derivatives of activation functions⟫"
    title = translated["sigmoid graph title"]
    assert title.startswith("⟪The sigmoid as a computational graph, x = −1.5, ∂L/∂y = 0.5\n")
    assert title.count(OPEN) == 1  # the three lines are one message
    assert translated["sigmoid graph, the given gradient"] == "⟪given\n(from the loss)⟫"
    ax = cu.plot_activation("sigmoid")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "f(x)")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["sigmoid(x)", "sigmoid'(x)"]
    i18n.set_language("en")
    english = figure_texts()
    assert {key: without_brackets(text) for key, text in translated.items()} == english


def fake_checkout(folder: Path, version: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(f'[project]\nname = "course_utils"\nversion = "{version}"\n',
                                           encoding="utf-8")
    return folder


@pytest.mark.parametrize("version,word", [("99.0.0", "older"), ("0.0.1", "newer")])
def test_both_version_notices_are_one_translated_sentence(tmp_path, pseudo_catalog, version, word):
    checkout = fake_checkout(tmp_path / "course", version)
    english = notebook_setup.course_version_notice(checkout)
    i18n.set_language("ko", localedir=pseudo_catalog)
    translated = notebook_setup.course_version_notice(checkout)
    assert f"the {word} course_utils" in english and str(checkout.resolve()) in english
    assert is_pseudo_translated(translated) and translated.count(OPEN) == 1
    assert without_brackets(translated) == english


# --------------------------------------------------------------------------- setup(lang=...)
@pytest.fixture
def pseudo_by_default(pseudo_catalog, monkeypatch):
    """``set_language("ko")`` without a folder finds the pseudo catalog (as setup(lang="ko") calls it)."""
    monkeypatch.setattr(i18n, "LOCALE_DIR", pseudo_catalog)
    return pseudo_catalog


def test_setup_with_lang_sets_the_language_before_the_version_notice(tmp_path, monkeypatch, capsys,
                                                                     pseudo_by_default):
    monkeypatch.chdir(fake_checkout(tmp_path / "course", "99.0.0"))
    rng = cu.setup(lang="ko")
    printed = capsys.readouterr().out.splitlines()
    assert i18n.get_language() == "ko"
    assert len(printed) == 1 and is_pseudo_translated(printed[0]) and "older course_utils" in printed[0]
    assert rng.random() == np.random.default_rng(cu.SEED).random()  # the generator is the usual one
    with pytest.raises(TypeError) as caught:
        cu.relu("x")
    assert is_pseudo_translated(str(caught.value))


def test_setup_keeps_the_font_that_the_language_chose(pseudo_by_default):
    font = i18n.set_language("ko")
    chosen = list(matplotlib.rcParams["font.family"])
    i18n.set_language("en")
    cu.setup(lang="ko")
    assert list(matplotlib.rcParams["font.family"]) == chosen
    if font:
        assert chosen == [i18n.LATIN_FONT, font]


def test_setup_without_lang_leaves_the_language_alone(pseudo_by_default, capsys):
    i18n.set_language("ko")
    cu.setup()
    assert i18n.get_language() == "ko"
    cu.setup(lang="en")
    assert i18n.get_language() == "en"
    cu.setup()
    assert i18n.get_language() == "en"
    with pytest.raises(TypeError) as caught:
        cu.relu("x")
    assert str(caught.value) == "x must be a real number or an array of real numbers, got a string 'x'"
    assert capsys.readouterr().out == ""  # this repository's own notebooks: no notice


@pytest.mark.parametrize("lang", ["xx", "KO", "korean", "", 3, ["ko"]])
def test_setup_refuses_an_unknown_language_and_changes_nothing(lang, capsys):
    np.random.seed(123)
    state = np.random.get_state()[1].copy()
    with pytest.raises(ValueError, match=r"\blang\b"):
        cu.setup(lang=lang)
    assert i18n.get_language() == "en"
    assert np.array_equal(np.random.get_state()[1], state)  # the global generator was not reseeded
    assert capsys.readouterr().out == ""


def test_setup_documents_lang():
    doc = inspect.getdoc(cu.setup)
    assert "lang : str, optional" in doc and 'cu.setup(lang="ko")' in doc
    assert list(inspect.signature(cu.setup).parameters) == ["seed", "lang"]


# --------------------------------------------------------------------------- nothing left out
class _RecordingTranslations:
    """Passes every lookup on to the real catalog and notes which message was asked for."""

    def __init__(self, inner, seen: set) -> None:
        self.inner = inner
        self.seen = seen

    def gettext(self, message):
        self.seen.add((None, message))
        return self.inner.gettext(message)

    def ngettext(self, singular, plural, count):
        self.seen.add((None, singular))
        return self.inner.ngettext(singular, plural, count)

    def pgettext(self, context, message):
        self.seen.add((context, message))
        return self.inner.pgettext(context, message)


def test_every_message_of_these_modules_is_met_by_a_call_above(pseudo, tmp_path, monkeypatch):
    """A wrapped message that none of the calls above reaches needs a bad call (or a text check) here."""
    seen: set = set()
    monkeypatch.setattr(i18n, "_translations", _RecordingTranslations(i18n._translations, seen))
    for _ident, call in BAD_CALLS + [(ident, _expecting_an_error(call)) for ident, call in MORE_BAD_CALLS]:
        messages_of(call)
    gradient_report_problems()
    str(cu.gradcheck.GradientCheckReport(error=1e-5, errors={}))
    str(cu.gradcheck.GradientCheckReport(error=np.inf, errors={}, problems=("a problem",)))
    str(cu.gradcheck.GradientCheckReport(error=1e-9, errors={}))
    str(cu.gradcheck.GradientCheckReport(error=1.0, errors={}))
    figure_texts()
    for version in ("99.0.0", "0.0.1"):
        notebook_setup.course_version_notice(fake_checkout(tmp_path / version, version))
    ours = {(unit.context, unit.text) for unit in runtime_units() if in_our_modules(unit)}
    assert len(ours) >= 90
    assert sorted(ours - seen, key=str) == []
