"""Everything ``course_utils`` says to a learner follows ``set_language()`` (a pseudo-locale test).

The fixture ``pseudo_language`` collects every message that ``tools/i18n.py extract-runtime``
finds in ``course_utils`` and compiles a catalog in which each one is "translated" to itself
between ⟪ and ⟫, line by line (``"⟪wrong result for input {label}⟫"``; fields and code are kept).
With that language set, the tests drive what a learner meets and fail on any line that still
shows English outside the brackets:

* every exercise of ``nb00`` ... ``nb07`` (``-k nb02`` selects one notebook): a stub answer,
  wrong answers (the module's ``Mistake.wrong`` functions, the model answer with its values
  negated or scaled, an answer that raises, one that warns, ...), the model answer,
  ``hint(level=n)`` for every level, ``solution()``, and each letter of a question;
* the checker framework's own messages (``-k framework``): time limit, printed output, in-place
  changes, silenced warnings, ...;
* errors a learner meets by calling the library wrongly (``-k errors``);
* the widgets' labels, options and readouts (``-k widgets``).

What counts as untranslated prose (``untranslated``): take one shown line, remove every ⟪...⟫,
then code: `code spans`, quoted strings, exercise names such as 02.sigmoid, and every token that
holds a character of code (digits, ``_ . ( ) [ ] = < > / * +``) once the punctuation around it
is stripped (``( [`` before it, ``) ] , . : ; ! ?`` after it). What is left is prose if it
has a word of three or more letters with a lower-case letter that is not a name of the course's
functions (``sigmoid``, ``ReLU``, ``tanh``...), a value (``nan``, ``inf``, ``True``...) or maths
(``exp``, ``log``, ``max``, ``min``, ``alpha``); words in capitals (``AND``, ``XOR``) are names too.
Lines of a solution's code are not checked (only its prose parts are translated).

The last test sets the shipped Korean catalog and checks that verdicts still work; with the
catalogs filled it shows real Korean.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import re
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import polib
import pytest

import course_utils as cu
from course_utils import i18n
from course_utils.exercises import EXERCISES, ChoiceExercise, FunctionExercise, english
from course_utils.exercises import framework

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
tool = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("i18n_tool", tool)  # dataclasses look their module up there
_spec.loader.exec_module(tool)

OPEN, CLOSE = "⟪", "⟫"


# ------------------------------------------------------------------ the pseudo language
def pseudo(text: str) -> str:
    """``text`` "translated": each non-empty line between ⟪ and ⟫ (its indentation kept outside)."""
    lines = []
    for line in text.split("\n"):
        body = line.lstrip(" ")
        lines.append(line[: len(line) - len(body)] + OPEN + body + CLOSE if body.strip() else line)
    return "\n".join(lines)


def pseudo_catalog(units: list) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for unit in units:
        entry = polib.POEntry(msgctxt=unit.context, msgid=unit.text)
        if unit.plural is not None:
            entry.msgid_plural = unit.plural
            entry.msgstr_plural = {0: pseudo(unit.text), 1: pseudo(unit.plural)}
        else:
            entry.msgstr = pseudo(unit.text)
        po.append(entry)
    return po


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory) -> tuple[Path, set[str]]:
    """The pseudo catalog, compiled once for this module (as Korean); and the English msgids."""
    units, errors = tool.runtime_units()
    assert not errors, "\n".join(errors)
    folder = tmp_path_factory.mktemp("pseudo_locale")
    mo_file = folder / "ko" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    mo_file.parent.mkdir(parents=True)
    pseudo_catalog(units).save_as_mofile(str(mo_file))
    return folder, {unit.text for unit in units}


@pytest.fixture
def pseudo_language(pseudo_locale) -> set[str]:
    """course_utils speaks the pseudo language during one test (English again afterwards); the msgids."""
    folder, msgids = pseudo_locale
    i18n.set_language("ko", localedir=folder)
    try:
        yield msgids
    finally:
        i18n.set_language("en")


# ------------------------------------------------------------------ what counts as prose
def _course_names() -> set[str]:
    """The course's functions and classes (``sigmoid``, ``relu`` also covers "ReLU"), not its modules."""
    names = {name.lower() for name in dir(cu) if not name.startswith("_") and callable(getattr(cu, name))}
    names |= {name.lower() for name in getattr(cu.activations, "ACTIVATIONS", {})}
    return names


#: Words that are names, not prose: the course's functions and classes, printed values, maths.
NAMES = _course_names() | {"numpy", "nan", "inf", "true", "false", "none", "exp", "log", "max", "min", "alpha"}
_BRACKETED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
_CODE = [re.compile(r"`[^`]*`"), re.compile(r"(?<!\w)'[^'\n]*'(?!\w)"), re.compile(r'(?<!\w)"[^"\n]*"(?!\w)'),
         re.compile(r"\b\d\d\.\w+")]
_CODE_CHARACTER = re.compile(r"[\d_.()\[\]=<>/*+]")
_WORD = re.compile(r"[A-Za-z]{3,}")


def untranslated(line: str) -> str | None:
    """The English left in a shown ``line`` outside ⟪...⟫ and code, or None when there is none."""
    rest = line
    while _BRACKETED.search(rest):  # innermost first: a translated message can hold translated fields
        rest = _BRACKETED.sub(" ", rest)
    for pattern in _CODE:
        rest = pattern.sub(" ", rest)
    words = []
    for token in rest.split():
        token = token.lstrip("([").rstrip(")],.:;!?")  # sentence punctuation is not code
        if _CODE_CHARACTER.search(token):
            continue
        words += [w for w in _WORD.findall(token) if w.lower() not in NAMES and not w.isupper()]
    return " ".join(words) or None


def offending(texts: Iterable[tuple[str, str]], code_lines: set[str] = frozenset()) -> list[str]:
    """``"where: line"`` for each shown line with untranslated English; ``texts`` are (where, text) pairs."""
    found = []
    for where, text in texts:
        for line in (text or "").split("\n"):
            if not line.strip() or line.strip() in code_lines:
                continue
            if untranslated(line):
                found.append(f"{where}: {line!r}  (English: {untranslated(line)!r})")
    return found


def assert_translated(texts: list[tuple[str, str]], code_lines: set[str] = frozenset()) -> None:
    problems = offending(texts, code_lines)
    assert not problems, f"{len(problems)} shown line(s) not translated:\n" + "\n".join(problems)


def test_the_prose_rule_tells_english_from_code_and_numbers():
    assert untranslated("⟪wrong result for input array([1., 2.])⟫") is None
    assert untranslated("❌ 02.sigmoid: ⟪your code raised ⟪ZeroDivisionError: division by zero⟫.⟫") is None
    assert untranslated("  1. ⟪Use `np.exp(-np.abs(x))`.⟫") is None
    assert untranslated("array([0.5, 0.731059, nan, inf], dtype=float32)") is None
    assert untranslated("σ(x) = 0.731   σ'(x) = 0.197") is None
    assert untranslated("AND  sigmoid  ReLU  tanh  leaky_relu") is None
    assert untranslated("⟪your values are right⟫ but your code") == "but your code"
    assert untranslated("Still stuck? Run .hint() again.") == "Still stuck Run again"
    assert untranslated("   (expected shape (3,), got shape (2,))") == "expected shape got shape"
    assert untranslated("⟪a⟫ read-only") == "read only"
    assert untranslated("got 'abc'; the caller's array isn't") == "got the caller array isn"
    assert untranslated("slope") == "slope"


# ------------------------------------------------------------------ driving the exercises
def printed(action: Callable[[], Any]) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        action()
    return buffer.getvalue()


def _changed_value(value: Any, how: str) -> Any:
    """``value`` made wrong: numbers negated ("negate") or scaled ("scale"); other things kept."""
    if isinstance(value, tuple):
        return tuple(_changed_value(item, how) for item in value)
    if isinstance(value, list):
        return [_changed_value(item, how) for item in value]
    if isinstance(value, (np.ndarray, float, int, np.floating)) and not isinstance(value, bool):
        array = np.asarray(value, dtype=float)
        changed = -array - 0.5 if how == "negate" else array * 1.5 + 0.25
        return changed if isinstance(value, np.ndarray) else float(changed)
    return value


def _wrong_function(model: Callable, how: str) -> Callable:
    def answer(*args, **kwargs):
        return _changed_value(model(*args, **kwargs), how)
    answer.__name__ = getattr(model, "__name__", "answer")
    return answer


def _wrong_classes(model: type) -> dict[str, type]:
    """One subclass per method of ``model``, with that method's result negated."""
    wrong = {}
    for name, method in vars(model).items():
        if name.startswith("_") or not inspect.isfunction(method):
            continue
        def changed(self, *args, _method=method, **kwargs):
            return _changed_value(_method(self, *args, **kwargs), "negate")
        wrong[f"wrong {name}"] = type(model.__name__, (model,), {name: changed})
    return wrong


def _in_place(model: Callable) -> Callable:
    def answer(x, *args, **kwargs):
        result = model(x, *args, **kwargs)
        if isinstance(x, np.ndarray):
            x[...] = 0.0
        return result
    return answer


def _warns(model: Callable) -> Callable:
    def answer(*args, **kwargs):
        np.exp(np.float64(1000.0))  # overflows: a RuntimeWarning
        return model(*args, **kwargs)
    return answer


def _silences(model: Callable) -> Callable:
    def answer(*args, **kwargs):
        with np.errstate(over="ignore"):
            return model(*args, **kwargs)
    return answer


def _raises(*args, **kwargs):
    return 1 / 0


def _stub(*args, **kwargs):
    raise NotImplementedError


def answers_for(exercise) -> dict[str, Any]:
    """Answers a learner might give: unanswered, wrong in several ways, and right."""
    if isinstance(exercise, ChoiceExercise):
        answers = {"stub": ..., "not a letter": "z", "a number": 3}
        answers.update({f"letter {letter}": letter for letter in exercise.options})
        return answers
    model = exercise.model_answer()
    answers = {"stub": ..., "stub function": _stub, "a number": 3, "raises": _raises,
               "returns a string": lambda *args, **kwargs: "abc", "model": model}
    if inspect.isclass(model):
        answers.update(_wrong_classes(model))
    elif callable(model):
        answers.update({"negated": _wrong_function(model, "negate"), "scaled": _wrong_function(model, "scale"),
                        "in place": _in_place(model), "warns": _warns(model), "silences": _silences(model)})
    else:
        answers.update({"negated": _changed_value(model, "negate"), "scaled": _changed_value(model, "scale")})
    for number, mistake in enumerate(getattr(exercise, "mistakes", [])):
        if mistake.wrong is not None:
            answers[f"mistake {number}"] = mistake.wrong
    return answers


def solution_code_lines(exercise, msgids: set[str]) -> set[str]:
    """The lines of the exercise's solution that are code (its parts that are not messages)."""
    if isinstance(exercise, ChoiceExercise):
        return set()
    parts = exercise.solution_parts
    parts = [parts] if isinstance(parts, str) else list(parts)
    return {line.strip() for part in parts if isinstance(part, str) and part not in msgids
            for line in part.split("\n") if line.strip()}


def shown_texts(exercise) -> list[tuple[str, str]]:
    """Everything the exercise shows a learner, as (what was done, text) pairs."""
    texts = [("label", exercise.label)]
    for what, answer in answers_for(exercise).items():
        verdict = exercise.verdict(answer)
        texts.append((f"check({what})", verdict.text))
    try:
        for level in range(1, len(exercise.hints) + 1):
            texts.append((f"hint(level={level})", printed(lambda: exercise.hint(level=level))))
        texts.append(("solution()", printed(exercise.solution)))
        if isinstance(exercise, ChoiceExercise):
            texts.append(("show()", printed(exercise.show)))
    finally:
        exercise.hints_shown = 0
    return texts


EXERCISE_IDS = [(f"nb{name[:2]}", name) for name in EXERCISES]


@pytest.mark.parametrize("module,name", EXERCISE_IDS, ids=[f"{module}-{name}" for module, name in EXERCISE_IDS])
def test_exercise_speaks_the_learners_language(pseudo_language, module, name):
    exercise = EXERCISES[name]
    texts = shown_texts(exercise)
    assert any(OPEN in text for _, text in texts), "nothing was translated at all"
    assert_translated(texts, solution_code_lines(exercise, pseudo_language))


@pytest.mark.parametrize("module,name", EXERCISE_IDS, ids=[f"{module}-{name}-english" for module, name in EXERCISE_IDS])
def test_exercise_in_english_shows_no_brackets(module, name):
    """Without set_language() nothing changes: no pseudo-translation leaks (and the verdicts still work)."""
    exercise = EXERCISES[name]
    texts = shown_texts(exercise)
    assert not any(OPEN in text for _, text in texts)
    model = exercise.model_answer()
    assert exercise.verdict(model).passed, exercise.verdict(model).text


# ------------------------------------------------------------------ the framework's own messages
@pytest.fixture
def scratch_exercise():
    """A FunctionExercise made for one test (removed from EXERCISES afterwards)."""
    made = []

    def make(reference: Callable = lambda x: 2 * x, **options) -> FunctionExercise:
        name = f"99.scratch_{len(made)}"
        options.setdefault("hints", [])
        exercise = FunctionExercise(name=name, title="double x", reference=reference,
                                    cases=[framework.Case((framework.read_only(np.array([1.0, -2.0, 3.0])),))],
                                    solution="def double(x):\n    return 2 * x", **options)
        made.append(name)
        return exercise

    yield make
    for name in made:
        EXERCISES.pop(name, None)


def _long_printer(x):
    print("0.5\n" * 400)
    return 2 * x


def _endless(x):
    while True:
        pass


def _system_exit(x):
    raise SystemExit(1)


def _recursion(x):
    return _recursion(x)


def _returns_none(x):
    x = 2 * x


class _BadArray:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no")


def _overflows(x):
    return 2 * x + 0 * np.exp(np.float64(800.0) * np.ones_like(x))


def _filters(x):
    import warnings
    warnings.simplefilter("ignore")
    return 2 * x


FRAMEWORK_ANSWERS = {
    "prints a lot": _long_printer,
    "endless loop": _endless,
    "system exit": _system_exit,
    "recursion": _recursion,
    "returns None": _returns_none,
    "strange result": lambda x: _BadArray(),
    "overflows": _overflows,
    "silences warnings": _filters,
    "in place": _in_place(lambda x: 2 * x),
    "complex": lambda x: 2 * x + 0j,
    "wrong shape": lambda x: np.zeros(2),
    "not a function": 3,
}


@pytest.mark.parametrize("what", FRAMEWORK_ANSWERS)
def test_framework_messages_speak_the_learners_language(pseudo_language, scratch_exercise, what):
    exercise = scratch_exercise(time_limit=0.3)
    verdict = exercise.verdict(FRAMEWORK_ANSWERS[what])
    assert verdict.passed == (what == "prints a lot"), verdict.text
    assert_translated([(what, verdict.text)])
    assert verdict.hint is None or OPEN in verdict.hint


def test_framework_hints_and_solution_texts(pseudo_language, scratch_exercise):
    exercise = scratch_exercise(hints=[framework.IN_PLACE_HINT, (framework.SILENCED_HINT, framework.STUB_HELP)])
    no_hints = scratch_exercise()
    texts = [("hint 1", printed(lambda: exercise.hint(level=1))), ("hint 2", printed(lambda: exercise.hint(level=2))),
             ("no hints", printed(no_hints.hint)), ("solution", printed(exercise.solution)),
             ("label", exercise.label), ("correct", exercise.verdict(lambda x: 2 * x).text)]
    assert_translated(texts, {"def double(x):", "return 2 * x"})
    # A hint in two parts is translated part by part and joined.
    assert framework.localize((framework.IN_PLACE_HINT, framework.STUB_HELP)) == (
        pseudo(framework.IN_PLACE_HINT) + pseudo(framework.STUB_HELP))


def test_a_check_inside_checked_code_is_translated(pseudo_language, scratch_exercise):
    exercise = scratch_exercise()

    def checks_itself(x):
        exercise.check(lambda y: 2 * y)
        return 2 * x

    assert_translated([("nested check", exercise.verdict(checks_itself).text)])


def test_localize_contract():
    assert framework.localize(None) is None
    assert framework.localize("") == ""
    assert framework.localize("no such message") == "no such message"
    assert framework.localize(("a", "b", ("c",))) == "abc"
    assert framework.localize(["a", "b"]) == "ab"
    assert framework.localize(lambda: "made when shown") == "made when shown"
    assert english(("a", "b")) == "ab" and english(None) is None


def test_localize_translates_each_part(pseudo_language):
    hint = framework.IN_PLACE_HINT
    assert framework.localize(hint) == pseudo(hint)
    assert framework.localize(framework.localize(hint)) == pseudo(hint)  # twice is harmless
    assert framework.localize(("", hint)) == pseudo(hint)
    assert english((hint, "x")) == hint + "x"  # the instructors' listing keeps the English


# ------------------------------------------------------------------ errors a learner meets
LIBRARY_MISTAKES = {
    "sigmoid of a string": lambda: cu.sigmoid("abc"),
    "relu of None": lambda: cu.relu(None),
    "sigmoid of complex numbers": lambda: cu.sigmoid(np.array([1j])),
    "softmax along a missing axis": lambda: cu.softmax(np.ones((2, 3)), axis=5),
    "BCELoss with a negative eps": lambda: cu.BCELoss(eps=-1.0),
    "BCELoss given logits": lambda: cu.BCELoss().forward([2.0, -1.0], [1.0, 0.0]),
    "explorer of an unknown function": lambda: _explorer_class("ActivationExplorer")(name="swish"),
}


def _explorer_class(name: str) -> type:
    from course_utils import widgets
    return getattr(widgets, name)


@pytest.mark.parametrize("what", LIBRARY_MISTAKES)
def test_errors_a_learner_meets_are_translated(pseudo_language, what):
    with pytest.raises((TypeError, ValueError)) as caught:
        LIBRARY_MISTAKES[what]()
    message = str(caught.value)
    assert OPEN in message, message
    assert_translated([(what, message)])


# ------------------------------------------------------------------ widgets
def _explorers() -> dict[str, Callable]:
    """One small instance of every explorer: the same set the widget tests build."""
    from tests.test_plotting_widgets import EXPLORERS as BUILDERS
    return BUILDERS


EXPLORERS = list(_explorers())


def _option_labels(control) -> list[str]:
    labels = getattr(control, "_options_labels", None)
    return list(labels) if labels is not None else []


def widget_texts(explorer) -> list[tuple[str, str]]:
    """Labels, menu options, readouts (for every menu option) and figure texts of an explorer."""
    from matplotlib.text import Text

    texts = []
    for name, control in explorer.controls.items():
        texts.append((f"{name}.description", control.description))
        texts += [(f"{name} option", label) for label in _option_labels(control)]
    texts.append(("readout", re.sub(r"<[^>]+>", " ", explorer.readout.value)))
    for name, control in explorer.controls.items():
        for value in list(getattr(control, "options", ()))[:6]:
            control.value = value[1] if isinstance(value, tuple) else value
            texts.append((f"readout with {name}={control.value!r}", re.sub(r"<[^>]+>", " ", explorer.readout.value)))
    for text in explorer.figure.findobj(Text):
        if text.get_visible() and text.get_text():
            texts.append(("figure text", text.get_text()))
    texts.append(("text/plain", explorer._repr_mimebundle_()["text/plain"]))
    return texts


@pytest.mark.parametrize("which", EXPLORERS)
def test_widgets_speak_the_learners_language(pseudo_language, which):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Glyph ... missing from font": ⟪ ⟫ are not in every font
        explorer = _explorers()[which]()
        texts = widget_texts(explorer)
    assert_translated(texts)


# ------------------------------------------------------------------ the shipped catalogs
@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_verdicts_work_with_the_shipped_catalog(lang):
    """With the real catalog (translated or not yet), every kind of verdict still comes out whole."""
    try:
        i18n.set_language(lang)
        for name, exercise in EXERCISES.items():
            model = exercise.model_answer()
            right = exercise.verdict(model)
            assert right.passed and right.text.startswith(f"✅ {name}: "), right.text
            stub = exercise.verdict(...)
            assert stub.status == "not answered" and stub.text.startswith(f"⏳ {name}: "), stub.text
            wrong = exercise.verdict("z" if isinstance(exercise, ChoiceExercise) else _raises)
            assert wrong.status == "incorrect" and wrong.text.startswith(f"❌ {name}: "), wrong.text
            hints = printed(lambda: exercise.hint(level=len(exercise.hints)))
            assert hints.count("\n") >= len(exercise.hints) + 1
            exercise.hints_shown = 0
            assert name in printed(exercise.solution)
    finally:
        i18n.set_language("en")
