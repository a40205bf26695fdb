"""A small checker framework for the "Your turn" cells, in the spirit of Kaggle's learntools.

Vocabulary
----------
Exercise
    Has a ``name`` (``"01.step"``), hints and a solution. ``check(answer)``
    prints one short verdict; ``hint()`` and ``solution()`` print help.
FunctionExercise
    The answer is a function. It is run on many ``Case``s, from easy to extreme,
    and compared with a trusted reference. The first failing case is reported
    with its input, the expected and the actual value.
Mistake
    A classic slip, recognised from the learner's output (it equals what a known
    wrong implementation gives), from the exception it raised, or from a warning.
    A recognised mistake adds a targeted hint to the verdict.

Verdicts (always plain text, so stored notebook outputs are stable):

* ``✅`` the answer passed every check;
* ``❌`` it did not: what failed, and a hint when the slip is recognised;
* ``⏱`` it was still running after the time limit (``status`` is "incorrect");
* ``⏳`` not implemented yet: the stub still raises ``NotImplementedError``,
  returns ``None``, or the answer is still ``...``.

What the framework guarantees, for every exercise
-------------------------------------------------
A learner's cell can do anything, so ``verdict()`` (and ``check()``, which prints it) promises:

1. **Fresh inputs.** ``FunctionExercise`` copies its cases when it is defined and hands
   every call a new deep copy (arrays keep their ``writeable`` flag). An answer that
   changes its input (``x -= x.max(...)``) fails with a targeted hint, and a later answer
   is still judged on the original inputs.
2. **Trusted references.** ``FunctionExercise`` computes the expected values (and the
   outputs of its ``Mistake.wrong`` functions) when it is defined. In addition, while a
   verdict is being worked out, the attributes of NumPy (``numpy``, ``numpy.linalg``,
   ``numpy.random``), ``math`` and every ``course_utils`` module and class are put back
   as they were when the checkers were imported; the learner's own changes
   (``np.exp = ...``, ``cu.activations.step = ...``) apply only while the learner's
   code runs (inside ``call_learner``). So redefining a function in a cell cannot
   change a verdict, in any exercise, including the ones with their own ``grade``.
3. **A time limit.** The whole verdict runs under a time limit (``time_limit``
   seconds, default ``DEFAULT_TIME_LIMIT``; ``None`` for no limit). An endless loop
   gets a ``⏱`` verdict and the kernel stays usable. It uses ``signal.setitimer`` and
   SIGALRM, so it works on Linux and macOS in the main thread (where notebook cells
   run); on Windows, or outside the main thread, there is no limit. The previous
   SIGALRM handler and timer are restored afterwards. Code that catches *every*
   exception (a bare ``except:``) inside an endless loop cannot be stopped this way:
   the alarm repeats every 0.2 s, but only an interrupt of the kernel ends that loop.
4. **No tracebacks.** Nothing the learner's code raises or returns, ``SystemExit``,
   ``GeneratorExit`` and other ``BaseException``s included, produces a traceback: it
   becomes a one-line ``❌`` verdict. Result objects whose ``__array__``, ``__repr__``,
   ``__iter__``, ``__float__``, ... raise are reported the same way, and
   ``describe()`` never raises. ``KeyboardInterrupt`` (the kernel's stop button) still
   interrupts.
5. **Short output.** What the learner's code prints while being checked is captured;
   the verdict shows the first ``PRINT_LIMIT`` characters (at most 20 lines) and
   "… (N more characters not shown)". Warnings never reach the cell either.
6. **Silenced warnings are seen.** When the learner's own code turns NumPy's
   floating-point warnings off (``np.errstate(over="ignore")``, ``np.seterr``,
   ``warnings.simplefilter("ignore")`` or ``warnings.filterwarnings("ignore")``), the
   check receives a ``SilencedWarning: ...`` message, as if the hidden warning had
   been raised. Exercises with ``allow_warnings=False`` (the default) therefore fail
   it, with a hint. (A decorator ``@np.errstate(...)`` applied when the function was
   defined is not seen.)
7. **Graded hints.** ``hint()`` shows one more hint at each call, from a nudge to
   nearly the answer (hint 1, then hints 1-2, ...); ``hint(level=n)`` shows the first n.
8. **Verdict records.** ``check()`` (not ``verdict()``) appends one line to the
   learner's local record file; see ``course_utils.progress`` (off switch:
   ``COURSE_PROGRESS=off``). Recording can never make a check fail.

API for the checker modules (``nb00.py`` ... ``nb07.py``)
---------------------------------------------------------
Everything that existed before still works the same way. New, all optional:

``Exercise(..., number=None, warm_up=None, time_limit=DEFAULT_TIME_LIMIT)``
    ``number`` is the "Exercise N" of the notebook's heading. Without it, exercises are
    numbered 1, 2, 3 ... in the order they are defined in their module, skipping
    warm-ups; give every exercise of a notebook a number, or none. ``warm_up=True``
    (the default when the title starts with "warm-up") marks an unnumbered warm-up,
    listed as "Warm-up". ``exercise.label`` gives the
    text ("Exercise 2"); the solutions listing and its test use it. Subclasses that do
    not pass these on can set the attributes after creation
    (``collapse.number = 3``). ``time_limit`` in seconds, ``None`` for no limit.
``FunctionExercise(..., function_name=None, in_place_hint=None)``
    ``function_name`` is used in "pass the function itself: check(NAME)" (default: the
    function that the solution defines). ``in_place_hint`` replaces the generic hint for
    an answer that changes its input.
``fresh_copy(value)``, ``frozen_copy(value)``, ``changed(before, after)``
    For exercises with their own ``grade``: ``frozen_copy`` makes a private read-only
    deep copy of test data when the checker is defined, ``fresh_copy`` a new copy for
    each call (same ``writeable`` flags), ``changed`` says whether (and where) the
    learner changed it: ``None`` or a short description such as ``"argument 1"``.
``same_values(a, b)``
    Equal as data: arrays (NaN equals NaN, same shape), lists, tuples, dicts, numbers.
``Verdict.output``
    What the learner's code printed while being checked (already shortened).
``SILENCED_HINT``, ``IN_PLACE_HINT``
    The framework's generic hints, for reuse in ``Mistake``s.

Texts in the learner's language
-------------------------------
The framework translates (``course_utils.i18n``) every text it shows, when it shows it:
its own messages, and the texts a checker module hands it: titles, hints, ``Mistake``
hints, ``in_place_hint``, a ``ChoiceExercise``'s question, options, explanations and
``why``, the message and hint of an ``Incorrect``, and what ``grade`` returns. So a module
marks its constants with ``N_("...")`` where it writes them, and builds texts with values
at check time with ``_("... {field} ...").format(field=...)``. ``localize(text)`` is the
one function that does it:

* ``None`` stays ``None``, and ``""`` stays ``""``;
* a ``str`` is translated (``_(text)``; a text with no translation, or one that is already
  translated, comes back unchanged, so translating twice is harmless);
* a tuple or list is a text in parts: each part is localized, then they are joined with ``""``
  (``(OVERFLOW_NEGATIVE, BOTH_BRANCHES)``: two N_-marked sentences, translated one by one);
* a callable with no arguments is called when the text is shown, and its result localized
  (for a constant text with values: ``lambda: _("... {code} ...").format(code=...)``).

A solution that is code is shown as it is; only the prose around it is translated.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import re
import signal
import sys
import textwrap
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .. import i18n
from ..i18n import N_, _, ngettext, pgettext

__all__ = [
    "Exercise", "FunctionExercise", "ChoiceExercise", "Case", "Mistake", "Verdict",
    "Incorrect", "NotAnswered", "LearnerError", "call_learner", "describe", "require_function", "EXERCISES",
    "DEFAULT_TIME_LIMIT", "PRINT_LIMIT", "fresh_copy", "frozen_copy", "changed", "same_values", "read_only",
    "frozen_reference",
    "SILENCED_HINT", "IN_PLACE_HINT", "TIME_LIMIT_HINT", "remember_trusted_namespaces", "localize", "english",
]

#: Every exercise, by name ("01.step"), in the order they are defined.
EXERCISES: dict[str, "Exercise"] = {}

#: Seconds a whole verdict may take before the learner's code is stopped.
DEFAULT_TIME_LIMIT = 5.0
#: Characters of the learner's printed output that a verdict shows (and at most 20 lines).
PRINT_LIMIT = 1000
_PRINT_LINES = 20

# The framework's own hints: marked here, translated (``localize``) where a verdict shows them.
STUB_HELP = N_("Replace the `raise NotImplementedError` (or the `...`) with your answer, then run the cell again.")
#: The verdict before any answer: ``{name}`` is the exercise, ``{help}`` its ``stub_help``.
NOT_IMPLEMENTED = N_("⏳ {name}: not implemented yet. {help}")
#: The same for a multiple-choice question, whose answer is a letter, not code.
NOT_ANSWERED = N_("⏳ {name}: not answered yet. {help}")
CHOICE_HELP = N_("Replace the `...` with the letter of your answer, for example \"b\", then run the cell again.")

IN_PLACE_HINT = N_("Build a new array instead of changing the one you were given: write `x = x - m` (a new "
                 "array), not `x -= m` or `x[...] = ...`. Note that `np.asarray(x, dtype=float)` does not copy a "
                 "float array, so changes to it still reach the caller's data.")
SILENCED_HINT = N_("Switching a warning off does not remove the problem behind it: the overflow (or 0/0) still "
                 "happens, and its inf or nan can still reach the result. Remove the np.errstate / np.seterr / "
                 "warnings.filterwarnings call and change the computation so that the warning never appears.")
TIME_LIMIT_HINT = N_("Look for a loop that never ends, such as a `while` loop whose condition never becomes False. "
                   "With NumPy you rarely need a loop at all: operations work on whole arrays. The kernel is fine: "
                   "fix the code, run its cell, then run the check again.")
#: The hint for a result object that misbehaves when the framework handles it.
STRANGE_RESULT_HINT = N_("Return a plain NumPy array (or number) built with NumPy operations; "
                         "objects of your own making are not needed here.")

#: A text the framework shows: a string, a tuple of parts, a function that returns one, or None.
Text = Any


def localize(text: Text) -> Any:
    """``text`` in the learner's language, at the moment it is shown.

    Parameters
    ----------
    text : str, tuple or list of texts, callable, or None
        A ``str`` (usually an ``N_``-marked constant) is translated with ``_()``; a tuple or
        list is a text in parts, each localized and then joined with ``""``; a callable with
        no arguments is called and its result localized; ``None`` stays ``None``.

    Returns
    -------
    str or None
        The translated text; the text itself when it has no translation (English, or a
        text that is already translated: localizing twice is harmless).

    Notes
    -----
    ``""`` stays ``""`` (gettext would return the catalog's header for it). Any other object
    is shown as ``str(text)``, untranslated.
    """
    if text is None:
        return None
    if isinstance(text, str):
        return i18n._(text) if text else text  # i18n._, not _: the extractor only wants literals in _()
    if isinstance(text, (tuple, list)):
        return "".join(localize(part) or "" for part in text)
    if callable(text):
        return localize(text())
    return str(text)


def english(text: Text) -> Any:
    """``text`` as written in the checker module (English): like ``localize``, without translating.

    For what instructors read (``python -m course_utils.exercises``) and for tests.
    """
    if text is None or isinstance(text, str):
        return text
    if isinstance(text, (tuple, list)):
        return "".join(english(part) or "" for part in text)
    if callable(text):
        return english(text())
    return str(text)


# ---------------------------------------------------------------- feedback types
class NotAnswered(Exception):
    """The answer is still a stub; ``returned_none`` says the function ran but returned nothing."""

    def __init__(self, returned_none: bool = False) -> None:
        super().__init__()
        self.returned_none = returned_none


class LearnerError(Exception):
    """The learner's code raised an exception; ``original`` holds it."""

    def __init__(self, original: BaseException, context: str = "") -> None:
        self.original = original
        self.context = context
        summary = f"{_type_name(original)}: {_safe_text(original, 300)}".strip().rstrip(":")
        super().__init__(summary if not context else f"{summary} ({context})")


class Incorrect(Exception):
    """The answer is wrong; ``message`` says how and ``hint`` (optional) suggests a fix."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class _TimeLimitExceeded(BaseException):
    """Raised by the SIGALRM handler when a verdict runs too long.

    A BaseException, so that an ``except Exception:`` in the learner's code cannot swallow it.
    """


#: Exceptions that must never be turned into a verdict: the kernel's stop button, and our own time limit.
_PASS_THROUGH = (KeyboardInterrupt, _TimeLimitExceeded)


@dataclass
class Verdict:
    """What ``check`` found: ``status`` is "correct", "incorrect" or "not answered".

    ``output`` is what the learner's code printed while being checked (shortened), also
    shown at the end of ``text``.
    """

    status: str
    text: str
    hint: str | None = None
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "correct"


# --------------------------------------------------------------- safe text
def _type_name(value: Any) -> str:
    """The name of ``value``'s type; never raises."""
    try:
        return str(type(value).__name__)
    except Exception:
        return "object"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe_text(value: Any, limit: int = 160) -> str:
    """``str(value)``, shortened; a value whose ``__str__`` fails is named by its type instead."""
    try:
        text = str(value)
        if not isinstance(text, str):
            raise TypeError("__str__ returned a non-string")
    except _PASS_THROUGH:
        raise
    except BaseException:
        text = _("<{kind} that cannot be printed>").format(kind=_type_name(value))
    return _shorten(text, limit)


def describe(value: Any, limit: int = 160) -> str:
    """A short, deterministic text for a value (arrays in NumPy's style, 6 significant digits).

    Never raises: a value whose ``repr`` fails is described by its type.
    """
    try:
        if isinstance(value, (np.ndarray, np.generic)):
            array = np.asarray(value)
            if array.ndim == 0:
                text = repr(array.item())
            else:
                text = np.array2string(array, precision=6, separator=", ", threshold=12, edgeitems=3)
                text = " ".join(text.split())
                text = f"array({text})" + (f", dtype={array.dtype}" if array.dtype != np.float64 else "")
        else:
            text = repr(value)
        if not isinstance(text, str):
            raise TypeError("__repr__ returned a non-string")
    except _PASS_THROUGH:
        raise
    except BaseException:
        text = _("<{kind} object that cannot be shown>").format(kind=_type_name(value))
    return _shorten(text, limit)


# --------------------------------------------------------------- copies of test data
def _copy_array(array: np.ndarray, writeable: bool) -> np.ndarray:
    copied = np.array(array, copy=True, subok=False)
    copied.flags.writeable = writeable
    return copied


def _copy(value: Any, writeable: Callable[[np.ndarray], bool]) -> Any:
    if isinstance(value, np.ndarray):
        return _copy_array(value, writeable(value))
    if isinstance(value, tuple):
        return tuple(_copy(item, writeable) for item in value)
    if isinstance(value, list):
        return [_copy(item, writeable) for item in value]
    if isinstance(value, dict):
        return {key: _copy(item, writeable) for key, item in value.items()}
    return copy.deepcopy(value)


def read_only(array: np.ndarray) -> np.ndarray:
    """Mark a stored test input read-only, so an answer that changes it in place fails at once."""
    array.flags.writeable = False
    return array


def frozen_reference(reference: Callable, cases: Sequence["Case"]) -> Callable:
    """A reference that returns the expected values computed now, when the checker is defined.

    Redefining ``cu.step`` (or a NumPy function) in a notebook cell therefore cannot change a verdict.
    Inputs that are not among ``cases`` are passed to ``reference`` itself.
    """
    def key(args, kwargs):
        return tuple((a.shape, a.dtype.str, a.tobytes()) if isinstance(a, np.ndarray) else repr(a)
                     for a in list(args) + sorted(kwargs.items()))

    expected = {key(case.args, case.kwargs): reference(*case.args, **case.kwargs) for case in cases}

    def frozen(*args, **kwargs):
        stored = expected.get(key(args, kwargs))
        return reference(*args, **kwargs) if stored is None else stored.copy()

    return frozen


def fresh_copy(value: Any) -> Any:
    """A deep copy of test data for one call; every array keeps its ``writeable`` flag.

    A content module that made a case read-only on purpose (so that an in-place answer
    raises "assignment destination is read-only") keeps that behaviour.
    """
    return _copy(value, lambda array: array.flags.writeable)


def frozen_copy(value: Any) -> Any:
    """A deep copy in which every array is read-only: the private, pristine test data."""
    return _copy(value, lambda array: False)


def same_values(a: Any, b: Any) -> bool:
    """Are ``a`` and ``b`` equal as data? Arrays: same shape and values, NaN equal to NaN."""
    try:
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            a_array, b_array = np.asarray(a), np.asarray(b)
            if a_array.shape != b_array.shape or a_array.dtype != b_array.dtype:
                return False
            if a_array.dtype.kind in "fc":
                return bool(np.array_equal(a_array, b_array, equal_nan=True))
            return bool(np.array_equal(a_array, b_array))
        if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
            return type(a) is type(b) and len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b))
        if isinstance(a, dict) and isinstance(b, dict):
            return a.keys() == b.keys() and all(same_values(a[k], b[k]) for k in a)
        if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
            return True  # both NaN
        return bool(type(a) is type(b) and a == b)
    except _PASS_THROUGH:
        raise
    except BaseException:
        return False


def changed(before: Any, after: Any) -> str | None:
    """Where ``after`` (what the learner received) differs from ``before`` (the pristine copy).

    ``before`` and ``after`` are tuples of arguments or dicts of keyword arguments (or
    single values). Returns ``None`` when nothing changed, else a short description in the
    learner's language: ``"argument 1"``, ``"argument 'axis'"`` or ``"the input"``.
    """
    if isinstance(before, tuple) and isinstance(after, tuple) and len(before) == len(after):
        for position, (old, new) in enumerate(zip(before, after), start=1):
            if not same_values(old, new):
                return _("argument {position}").format(position=position)
        return None
    if isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys():
        for key in before:
            if not same_values(before[key], after[key]):
                return _("argument {name}").format(name=repr(key))
        return None
    return None if same_values(before, after) else _("the input")


# --------------------------------------------------------------- trusted namespaces
_MISSING = object()
_TRUSTED_MODULES = ("numpy", "numpy.linalg", "numpy.random", "math")


class _Namespaces:
    """The attributes of NumPy, ``math`` and ``course_utils`` as they were when the checkers were defined.

    ``changes()`` lists what has been redefined since (``np.exp = ...``); ``put_back`` puts
    the original values back, ``apply`` re-applies a list of changes. The checker modules
    (``course_utils.exercises``), ``course_utils.progress`` and ``course_utils.i18n`` are left
    out: they keep state (the language set after the checkers were imported must hold in verdicts).
    """

    def __init__(self) -> None:
        self.original: dict[tuple[int, str], tuple[Any, Any]] = {}  # (id(owner), name) -> (owner, value)

    @staticmethod
    def _owners() -> list[Any]:
        owners = [sys.modules[name] for name in _TRUSTED_MODULES if name in sys.modules]
        for name, module in list(sys.modules.items()):
            if module is None or not (name == "course_utils" or name.startswith("course_utils.")):
                continue
            if name.startswith("course_utils.exercises") or name in ("course_utils.progress", "course_utils.i18n"):
                continue
            owners.append(module)
            owners += [value for value in list(vars(module).values())
                       if inspect.isclass(value) and getattr(value, "__module__", None) == name]
        return owners

    def remember(self) -> None:
        for owner in self._owners():
            for name, value in list(vars(owner).items()):
                if not name.startswith("__"):
                    self.original.setdefault((id(owner), name), (owner, value))

    def changes(self) -> dict[tuple[int, str], tuple[Any, Any]]:
        found = {}
        for key, (owner, value) in self.original.items():
            current = vars(owner).get(key[1], _MISSING)
            if current is not value:
                found[key] = (owner, current)
        return found

    def put_back(self, changes: dict) -> None:
        for key in changes:
            owner, value = self.original[key]
            setattr(owner, key[1], value)

    @staticmethod
    def apply(changes: dict) -> None:
        for (_, name), (owner, value) in changes.items():
            if value is _MISSING:
                if name in vars(owner):
                    delattr(owner, name)
            else:
                setattr(owner, name, value)


_NAMESPACES = _Namespaces()
#: One entry per verdict in progress: the learner's changes to the trusted namespaces.
_LEARNER_CHANGES: list[dict] = []


def remember_trusted_namespaces() -> None:
    """Record NumPy's, ``math``'s and ``course_utils``' attributes as the trusted ones.

    Called once by ``course_utils.exercises`` after every checker module is imported
    (or by the first verdict, if it was not). Modules imported later are not protected.
    """
    _NAMESPACES.remember()


@contextlib.contextmanager
def _trusted_namespaces() -> Iterator[None]:
    """Run the framework's own code with NumPy and ``course_utils`` as they were defined."""
    if not _NAMESPACES.original:
        _NAMESPACES.remember()
    learner_changes = _NAMESPACES.changes()
    _NAMESPACES.put_back(learner_changes)
    _LEARNER_CHANGES.append(learner_changes)
    try:
        yield
    finally:
        _NAMESPACES.apply(_LEARNER_CHANGES.pop())


@contextlib.contextmanager
def _learner_namespaces() -> Iterator[None]:
    """Inside a verdict, let the learner's code see its own redefinitions while it runs."""
    if not _LEARNER_CHANGES:
        yield
        return
    _NAMESPACES.apply(_LEARNER_CHANGES[-1])
    try:
        yield
    finally:
        _LEARNER_CHANGES[-1] = _NAMESPACES.changes()  # including what the learner's code changed just now
        _NAMESPACES.put_back(_LEARNER_CHANGES[-1])


# --------------------------------------------------------------- time limit
class _Timer:
    active = False


def _on_alarm(signum: int, frame: Any) -> None:
    if _Timer.active:
        raise _TimeLimitExceeded()


def _can_use_alarm() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) is not None)  # None: a handler we could not restore


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``_TimeLimitExceeded`` in the main thread after ``seconds`` (then every 0.2 s until done).

    No limit when ``seconds`` is None, when a limit is already running (nested calls), on
    platforms without SIGALRM (Windows) and outside the main thread.
    """
    if seconds is None or _Timer.active or not _can_use_alarm():
        yield
        return
    previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    started = time.monotonic()
    _Timer.active = True
    try:
        yield
    finally:
        _Timer.active = False  # first, so that a late alarm does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:  # someone else's timer was running: give it back what is left
            remaining = max(previous_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, remaining, previous_interval)


# --------------------------------------------------------------- printed output
class _KeptOutput(io.TextIOBase):
    """A text stream that keeps the first ``PRINT_LIMIT`` characters and counts the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[str] = []
        self.kept_size = 0
        self.total = 0

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {_type_name(text)}")
        self.total += len(text)
        room = PRINT_LIMIT - self.kept_size
        if room > 0:
            self.kept.append(text[:room])
            self.kept_size += min(room, len(text))
        return len(text)

    def summary(self) -> str:
        """The kept text (at most 20 lines, indented) and a note on what was left out; '' if nothing was printed."""
        if self.total == 0:
            return ""
        kept = "".join(self.kept)
        lines = kept.split("\n")
        if len(lines) > _PRINT_LINES:
            lines = lines[:_PRINT_LINES]
            kept = "\n".join(lines) + "\n"
        hidden = self.total - len(kept)
        text = "\n".join("   " + line for line in kept.rstrip("\n").split("\n"))
        if hidden > 0:
            text += "\n   " + ngettext("… ({count:,} more character not shown)",
                                       "… ({count:,} more characters not shown)", hidden).format(count=hidden)
        return text


_CAPTURES: list[_KeptOutput] = []


@contextlib.contextmanager
def _captured_output() -> Iterator[_KeptOutput]:
    """Send ``sys.stdout`` and ``sys.stderr`` to one kept-output buffer (reused when nested)."""
    if _CAPTURES:
        yield _CAPTURES[-1]
        return
    output = _KeptOutput()
    _CAPTURES.append(output)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = output
    try:
        yield output
    finally:
        sys.stdout, sys.stderr = saved
        _CAPTURES.pop()


# --------------------------------------------------------------- silenced warnings
_errstate = np.errstate
_seterr = np.seterr
_catch_warnings = warnings.catch_warnings
_simplefilter = warnings.simplefilter
_filterwarnings = warnings.filterwarnings
_asarray = np.asarray


def _called_by_learner() -> bool:
    """Is the caller of our wrapper (two frames up) learner code rather than NumPy or the course?"""
    try:
        module = sys._getframe(2).f_globals.get("__name__", "") or ""
    except ValueError:
        return False
    return not module.startswith(("numpy", "course_utils", "scipy", "matplotlib", "warnings", "contextlib"))


class _SilencingWatch:
    """While the learner's code runs, notice it switching NumPy's floating-point warnings off."""

    FLOAT_PROBLEMS = ("all", "over", "invalid", "divide")

    def __init__(self) -> None:
        self.messages: list[str] = []

    def _add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def _note(self, call: str, settings: dict) -> None:
        silenced = [f"{key}={value!r}" for key, value in settings.items()
                    if key in self.FLOAT_PROBLEMS and value == "ignore"]
        if silenced:
            # "SilencedWarning: " stays as it is, like "RuntimeWarning: ": Mistake(warning_contains=...) looks for it.
            self._add("SilencedWarning: " + _("your code switched NumPy's warnings off with {call}").format(
                call=f"{call}({', '.join(silenced)})"))

    def __enter__(self) -> "_SilencingWatch":
        watch = self

        def errstate(**settings: Any) -> Any:
            if _called_by_learner():
                watch._note("np.errstate", settings)
            return _errstate(**settings)

        def seterr(**settings: Any) -> Any:
            if _called_by_learner():
                watch._note("np.seterr", settings)
            return _seterr(**settings)

        def simplefilter(action: str, *args: Any, **kwargs: Any) -> Any:
            if action == "ignore" and _called_by_learner():
                watch._add("SilencedWarning: " + _("your code switched warnings off with {call}").format(
                    call="warnings.simplefilter('ignore')"))
            return _simplefilter(action, *args, **kwargs)

        def filterwarnings(action: str, *args: Any, **kwargs: Any) -> Any:
            if action == "ignore" and _called_by_learner():
                watch._add("SilencedWarning: " + _("your code switched warnings off with {call}").format(
                    call="warnings.filterwarnings('ignore')"))
            return _filterwarnings(action, *args, **kwargs)

        self._saved = (np.errstate, np.seterr, warnings.simplefilter, warnings.filterwarnings)
        np.errstate, np.seterr = errstate, seterr
        warnings.simplefilter, warnings.filterwarnings = simplefilter, filterwarnings
        return self

    def __exit__(self, *exc_info: Any) -> None:
        np.errstate, np.seterr, warnings.simplefilter, warnings.filterwarnings = self._saved


# --------------------------------------------------------------- calling the learner
def call_learner(function: Callable, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call the learner's code; return ``(result, warning messages)``.

    Raises ``NotAnswered`` for a stub (``NotImplementedError`` or a ``None``
    result) and ``LearnerError`` for any other exception, ``SystemExit`` and other
    ``BaseException``s included (``KeyboardInterrupt`` still interrupts). NumPy
    floating-point problems (overflow, invalid, divide by zero) are recorded as
    warnings rather than printed, and so is the learner's code switching them off
    (``"SilencedWarning: ..."``). What the code prints is kept short (see the module
    docstring). Inside a verdict, the learner's redefinitions of NumPy or
    ``course_utils`` functions apply only during this call.
    """
    outermost = not _CAPTURES
    with _captured_output() as output, _time_limit(DEFAULT_TIME_LIMIT):
        with _catch_warnings(record=True) as caught:
            _simplefilter("always")
            with _errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
                with _learner_namespaces(), _SilencingWatch() as watch:
                    try:
                        result = function(*args, **kwargs)
                    except NotImplementedError:
                        raise NotAnswered() from None
                    except _PASS_THROUGH:
                        raise
                    except BaseException as exc:  # the learner's bug, summarised in one line
                        raise LearnerError(exc) from None
    if outermost and output.total:  # called on its own, not inside a verdict: show the output, shortened
        print(output.summary())
    if result is None:
        raise NotAnswered(returned_none=True)
    messages = [f"{getattr(w.category, '__name__', 'Warning')}: {_safe_text(w.message, 300)}" for w in caught]
    return result, messages + watch.messages


def require_function(answer: Any, name: str) -> None:
    """Raise ``Incorrect`` unless ``answer`` is callable (a common slip: passing ``f(x)`` instead of ``f``)."""
    if not callable(answer):
        raise Incorrect(_("expected a function, got {kind}. Pass the function itself, "
                          "without calling it: check({name}), not check({name}(...)).").format(
                              kind=_type_name(answer), name=name))


# ---------------------------------------------------------------------- Exercise
class Exercise:
    """Base class. Subclasses implement ``grade(answer)``.

    ``grade`` returns a success message, or raises ``Incorrect``, ``NotAnswered``
    or ``LearnerError``; ``verdict`` turns that into a ``Verdict`` (under the
    guarantees of the module docstring) and ``check`` prints it.

    Parameters
    ----------
    name : str
        ``"NN.short_name"``, unique; ``NN`` is the notebook number.
    title : str
        One line: what the learner must do (``N_``-marked: shown in the learner's language).
    hints : list of str
        From a gentle nudge to nearly the answer; ``hint()`` reveals one more per call.
        Each hint is a text for ``localize`` (an ``N_``-marked str, or a tuple of them).
    solution : str or tuple
        The model answer, shown by ``solution()``. A str is code, shown as it is. A tuple
        mixes code and prose: its parts are joined and dedented, and the ``N_``-marked prose
        parts are shown in the learner's language (code parts are not in the catalog, so
        they stay as they are). ``solution_text`` is the English.
    number : int, optional
        The "Exercise N" of the notebook's heading. Default: the position among the
        notebook's exercises in order of definition, warm-ups skipped.
    warm_up : bool, optional
        An unnumbered warm-up exercise (labelled "Warm-up"). Default: True when the
        title starts with "warm-up", else False.
    time_limit : float or None
        Seconds a verdict may take (``None``: no limit). Default ``DEFAULT_TIME_LIMIT``.
    """

    #: The ⏳ verdict before an answer, and what it tells the learner to do (texts for ``localize``).
    not_answered_text = NOT_IMPLEMENTED
    stub_help = STUB_HELP

    def __init__(self, name: str, title: Text, hints: Sequence[Text], solution: Text, *,
                 number: int | None = None, warm_up: bool | None = None,
                 time_limit: float | None = DEFAULT_TIME_LIMIT) -> None:
        if name in EXERCISES:
            raise ValueError(f"an exercise named {name!r} already exists")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 1):
            raise ValueError(f"number must be a positive integer, got {number!r}")
        if time_limit is not None and not time_limit > 0:
            raise ValueError(f"time_limit must be a positive number of seconds or None, got {time_limit!r}")
        self.name = name
        self.title = title
        self.hints = list(hints)
        self.solution_parts = solution
        self.solution_text = textwrap.dedent(english(solution)).strip("\n")
        self.number = number
        self.warm_up = english(title).lower().startswith("warm-up") if warm_up is None else bool(warm_up)
        self.time_limit = time_limit
        self.hints_shown = 0
        EXERCISES[name] = self

    # The learner-facing API -------------------------------------------------
    def check(self, answer: Any = ...) -> None:
        """Print a short verdict for ``answer`` (✅, ❌ with a hint, ⏱ or ⏳), and record it locally."""
        called_by_checked_code = bool(_LEARNER_CHANGES)
        verdict = self.verdict(answer)
        print(verdict.text)
        if called_by_checked_code:
            return
        try:
            from .. import progress  # imported here: progress must never stop a check
            progress.record(self.name, verdict.status)
        except _PASS_THROUGH:
            raise
        except BaseException:
            pass

    def hint(self, level: int | None = None) -> None:
        """Print the hints, one more at each call: a nudge first, nearly the answer last.

        The first call prints hint 1, the second hints 1 and 2, and so on; after the last
        hint, calls repeat them all. ``hint(level=n)`` prints the first ``n`` hints.
        """
        if not self.hints:
            print(_("💡 {name} has no hints. .solution() shows the model answer.").format(name=self.name))
            return
        if level is None:
            level = self.hints_shown + 1
        level = max(1, min(int(level), len(self.hints)))
        self.hints_shown = max(self.hints_shown, level)
        print(_("💡 {name} ({title}), hint {level} of {total}:").format(
            name=self.name, title=localize(self.title), level=level, total=len(self.hints)))
        for number, text in enumerate(self.hints[:level], start=1):
            print(f"  {number}. {localize(text)}")
        if level < len(self.hints):
            print("  " + _("Still stuck? Run .hint() again for a stronger hint."))
        else:
            print("  " + _("That was the last hint. .solution() shows a model answer."))

    def solution(self) -> None:
        """Print the model answer (code as it is; a heading in the learner's language)."""
        print(_("📖 Solution to {name} ({title}):").format(name=self.name, title=localize(self.title)) + "\n")
        print(self.solution_shown())

    def solution_shown(self) -> str:
        """The model answer as ``solution()`` prints it: code unchanged, prose parts translated."""
        if isinstance(self.solution_parts, str):
            return self.solution_text
        return textwrap.dedent(localize(self.solution_parts)).strip("\n")

    @property
    def position(self) -> int | None:
        """The N of "Exercise N" (``None`` for a warm-up)."""
        if self.warm_up:
            return None
        if self.number is not None:
            return self.number
        notebook = self.name.partition(".")[0]
        numbered = [e for e in EXERCISES.values() if e.name.partition(".")[0] == notebook and not e.warm_up]
        return next((i for i, e in enumerate(numbered, start=1) if e is self), len(numbered) + 1)

    @property
    def label(self) -> str:
        """"Warm-up" or "Exercise N", as in the notebook's heading (in the learner's language)."""
        if self.warm_up:
            return pgettext("exercise label", "Warm-up")
        return _("Exercise {number}").format(number=self.position)

    # Grading -----------------------------------------------------------------
    def verdict(self, answer: Any) -> Verdict:
        """Grade ``answer`` and return the verdict without printing it (used by tests).

        Never raises, except ``KeyboardInterrupt``; see the module docstring.
        """
        if _LEARNER_CHANGES:  # called from inside the code being checked: never recurse into the learner's code
            return Verdict("incorrect", _("❌ {name}: check() was called from inside the code being checked, "
                                          "so it did not run again. Call check() in its own cell.").format(name=self.name))
        with _captured_output() as output:
            try:
                with _trusted_namespaces(), _quiet(), _time_limit(self.time_limit):
                    result = self._judge(answer)
            except KeyboardInterrupt:
                raise
            except _TimeLimitExceeded:
                if self.time_limit:
                    text = _("⏱ {name}: your code was still running after {seconds:g} s, so the check stopped it.")
                else:
                    text = _("⏱ {name}: your code was still running after the time limit, so the check stopped it.")
                text = text.format(name=self.name, seconds=self.time_limit)
                hint = localize(TIME_LIMIT_HINT)
                result = Verdict("incorrect", _with_hint(text, hint), hint)
            except BaseException as exc:  # something the learner's code returned misbehaved
                error = f"{_type_name(exc)}: {_safe_text(exc, 200)}".rstrip(": ")
                text = _("❌ {name}: your answer could not be checked: handling it raised {error}.").format(
                    name=self.name, error=error)
                hint = localize(STRANGE_RESULT_HINT)
                result = Verdict("incorrect", _with_hint(text, hint), hint)
        printed = output.summary() if not _CAPTURES else ""
        if printed:
            heading = _("🖨 Your code printed, while being checked:")
            result = Verdict(result.status, result.text + "\n" + heading + "\n" + printed, result.hint, printed)
        return result

    def _judge(self, answer: Any) -> Verdict:
        try:
            if answer is None or answer is Ellipsis:
                raise NotAnswered()
            message = self.grade(answer)
        except NotAnswered as exc:
            text = localize(self.not_answered_text).format(name=self.name, help=localize(self.stub_help))
            if exc.returned_none:
                text = _("⏳ {name}: not implemented yet: your function returned None. "
                         "If you have written code, check that it ends with a `return` statement.").format(name=self.name)
            return Verdict("not answered", text)
        except LearnerError as exc:
            text = _("❌ {name}: your code raised {error}.").format(name=self.name, error=exc)
            hint = localize(self.hint_for_error(exc) or _generic_error_hint(exc))
            return Verdict("incorrect", _with_hint(text, hint), hint)
        except Incorrect as exc:
            hint = localize(exc.hint)
            return Verdict("incorrect", _with_hint(f"❌ {self.name}: {localize(exc.message)}", hint), hint)
        return Verdict("correct", f"✅ {self.name}: {localize(message)}")

    def grade(self, answer: Any) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def model_answer(self) -> Any:
        """The answer that ``solution()`` shows, as an object ``check`` accepts.

        By default the solution text is code: run it and return the last function or
        class it defines. Exercises whose solution is not code override this.
        """
        namespace: dict[str, Any] = {"np": np, "__name__": "solution"}
        exec(compile(self.solution_text, f"<solution {self.name}>", "exec"), namespace)
        defined = [value for value in namespace.values()
                   if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == "solution"]
        if not defined:
            raise ValueError(f"the solution of {self.name} defines no function or class")
        return defined[-1]

    def hint_for_error(self, error: LearnerError) -> str | None:
        """A targeted hint for an exception the learner's code raised, if one is known."""
        return None

    def __repr__(self) -> str:
        return f"<exercise {self.name}: {localize(self.title)}>"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The framework's own computations print no warnings (learner calls record theirs)."""
    with _catch_warnings():
        _simplefilter("ignore")
        with _errstate(all="ignore"):
            yield


def _generic_error_hint(error: LearnerError) -> str | None:
    original = error.original
    if isinstance(original, SystemExit):
        return _("Your code called exit() or sys.exit() (or raised SystemExit). A function should "
                 "`return` its result instead.")
    if isinstance(original, RecursionError):
        return _("Your function calls itself without end. Compute the result directly, without calling the "
                 "function again.")
    if isinstance(original, ValueError) and "read-only" in _safe_text(original):
        return IN_PLACE_HINT
    if not isinstance(original, Exception):
        return _("Your code raised {kind}, which only the system should raise. Return your result instead.").format(
            kind=_type_name(original))
    return None


def _with_hint(text: str, hint: str | None) -> str:
    """The verdict line(s) and the (already localized) hint, or a pointer to ``.hint()``."""
    if not hint:
        return text + "\n   " + _("Run .hint() for help.")
    return text + "\n💡 " + hint


# --------------------------------------------------------------- FunctionExercise
@dataclass
class Case:
    """One input to a learner's function: positional ``args`` and keyword ``kwargs``."""

    args: tuple
    kwargs: dict = field(default_factory=dict)

    def label(self) -> str:
        parts = [describe(a) for a in self.args] + [f"{k}={describe(v)}" for k, v in self.kwargs.items()]
        return ", ".join(parts)


def _frozen_case(case: Case) -> Case:
    return Case(frozen_copy(tuple(case.args)), frozen_copy(dict(case.kwargs)))


def _fresh_case(template: Case) -> Case:
    return Case(fresh_copy(template.args), fresh_copy(template.kwargs))


def _as_numbers(value: Any) -> tuple[np.ndarray | None, str]:
    """``value`` as a float array, or ``(None, why not)``. Never raises (except a stop)."""
    try:
        array = _asarray(value)
        if array.dtype.kind == "c":
            return None, _("your result contains complex numbers")
        if array.dtype.kind not in "biuf":
            array = _asarray(value, dtype=float) if array.dtype.kind == "O" else None
            if array is None:
                return None, _("your result is not an array of numbers")
        return array.astype(float), ""
    except _PASS_THROUGH:
        raise
    except (TypeError, ValueError):
        return None, _("your result is not an array of numbers")
    except BaseException as exc:
        return None, _("turning your result into an array raised {error}").format(
            error=f"{_type_name(exc)}: {_safe_text(exc, 120)}")


@dataclass
class Mistake:
    """A classic slip and the hint that fixes it.

    It is recognised when the learner's result equals what ``wrong`` returns on
    the failing case, or when ``signature(case, result)`` is true, or when the
    learner's exception message contains ``error_contains``, or one of its
    warnings contains ``warning_contains`` (use ``"SilencedWarning"`` for code that
    switched warnings off).
    """

    hint: Text  # an N_-marked str, a tuple of them (joined), or a callable; translated when shown
    wrong: Callable | None = None
    signature: Callable[[Case, np.ndarray], bool] | None = None
    error_contains: str | None = None
    warning_contains: str | None = None

    def wrong_result(self, case: Case) -> np.ndarray | None:
        """What ``wrong`` returns for ``case`` (as floats), or None if it has no answer there."""
        if self.wrong is None:
            return None
        try:
            with _quiet():
                given = _fresh_case(case)
                return np.array(self.wrong(*given.args, **given.kwargs), dtype=float)
        except _PASS_THROUGH:
            raise
        except BaseException:
            return None

    def matches_result(self, case: Case, actual: Any, wrong_result: Any = _MISSING) -> bool:
        """Does the learner's ``actual`` show this slip? ``wrong_result`` may be precomputed."""
        actual_array, _ = _as_numbers(actual)
        if actual_array is None:
            return False
        if self.signature is not None:
            try:
                with _quiet():
                    if self.signature(_fresh_case(case), actual_array):
                        return True
            except _PASS_THROUGH:
                raise
            except BaseException:
                pass
        if self.wrong is None:
            return False
        expected_wrong = self.wrong_result(case) if wrong_result is _MISSING else wrong_result
        if expected_wrong is None:
            return False
        with _quiet():
            return expected_wrong.shape == actual_array.shape and bool(
                np.allclose(actual_array, expected_wrong, equal_nan=True))

    def matches_error(self, message: str) -> bool:
        return self.error_contains is not None and self.error_contains in message

    def matches_warnings(self, messages: list[str]) -> bool:
        return self.warning_contains is not None and any(self.warning_contains in m for m in messages)


def _solution_function_name(solution: str) -> str | None:
    found = re.search(r"^\s*def\s+(\w+)\s*\(", solution, flags=re.MULTILINE)
    return found.group(1) if found else None


class FunctionExercise(Exercise):
    """The learner writes a function; it must agree with ``reference`` on every case.

    The cases are copied when the exercise is defined, and the expected values (and
    the outputs of the mistakes' ``wrong`` functions) are computed then, so later
    changes to the cases, to ``reference`` or to NumPy cannot change a verdict.

    Parameters
    ----------
    reference : callable
        Trusted implementation that gives the expected values.
    cases : list of Case
        Ordered from simple to extreme; the first failure is reported.
    mistakes : list of Mistake
        Classic slips to recognise, checked in order.
    rtol, atol : float
        Tolerances for ``np.allclose`` (NaN equals NaN).
    allow_warnings : bool
        If False (default), any floating-point warning fails the check, and so does
        code that switches those warnings off.
    function_name : str, optional
        The name used in "pass the function itself: check(NAME)"; default: the
        function the solution defines.
    in_place_hint : str, tuple or callable, optional
        Hint for an answer that changes its input (a text for ``localize``); default ``IN_PLACE_HINT``.
    number, warm_up, time_limit
        As for ``Exercise``.
    """

    def __init__(self, name: str, title: Text, reference: Callable, cases: Sequence[Case],
                 hints: Sequence[Text], solution: Text, mistakes: Sequence[Mistake] = (),
                 rtol: float = 1e-6, atol: float = 1e-12, allow_warnings: bool = False, *,
                 function_name: str | None = None, in_place_hint: Text = None, **options: Any) -> None:
        super().__init__(name, title, hints, solution, **options)
        self.reference = reference
        self.cases = list(cases)
        self.mistakes = list(mistakes)
        self.rtol = rtol
        self.atol = atol
        self.allow_warnings = allow_warnings
        self.function_name = function_name or _solution_function_name(self.solution_text) or name.partition(".")[2]
        self.in_place_hint = in_place_hint or IN_PLACE_HINT
        # Captured now, once: private read-only inputs, their expected values, the mistakes' outputs.
        self._templates = [_fresh_case(case) for case in self.cases]  # copied from for each call (same flags)
        self._inputs = [_frozen_case(case) for case in self.cases]       # compared with after each call
        self._expected = [self._reference_value(case) for case in self._inputs]
        self._wrong_results = [[mistake.wrong_result(case) for mistake in self.mistakes] for case in self._inputs]

    def _reference_value(self, case: Case) -> Any:
        given = _fresh_case(case)
        with _quiet():
            return frozen_copy(np.asarray(self.reference(*given.args, **given.kwargs)))

    def _case_index(self, case: Case) -> int | None:
        """Which stored case ``case`` is (the same object, or the same values), if any."""
        for index, stored in enumerate(self._templates):
            if case is stored:
                return index
        for index, stored in enumerate(self.cases):
            if case is stored:
                return index
        for index, stored in enumerate(self._inputs):
            if changed(stored.args, tuple(case.args)) is None and changed(stored.kwargs, dict(case.kwargs)) is None:
                return index
        return None

    def grade(self, answer: Any) -> str:
        require_function(answer, self.function_name)
        for template in self._templates:  # the private copies: emptying `self.cases` cannot skip a case
            self._grade_case(answer, template)
        count = len(self._templates)
        return ngettext("correct on the {count} test input. Well done!",
                        "correct on all {count} test inputs. Well done!", count).format(count=count)

    def _grade_case(self, answer: Callable, case: Case) -> None:
        index = self._case_index(case)
        if index is None:  # a case made up by a subclass: copy it and compute its expected value now
            template, pristine, wrong_results = _fresh_case(case), _frozen_case(case), None
            expected = self._reference_value(pristine)
        else:
            template, pristine = self._templates[index], self._inputs[index]
            expected, wrong_results = self._expected[index], self._wrong_results[index]
        given = _fresh_case(template)
        label = pristine.label()
        try:
            actual, messages = call_learner(answer, *given.args, **given.kwargs)
        except LearnerError as exc:
            raise LearnerError(exc.original, _("for input {label}").format(label=label)) from None
        where = changed(pristine.args, given.args) or changed(pristine.kwargs, given.kwargs)
        if messages and not self.allow_warnings:
            hint = self._hint_for(pristine, actual, messages, wrong_results)
            warned_at = self._inputs_that_warn(answer, pristine) if "overflow" in messages[0] else []
            note = _overflow_note(warned_at, messages[0])
            raise Incorrect(_("for input {label} your code gave a warning: {warning}").format(
                                label=label, warning=messages[0]) + note,
                            hint or _generic_warning_hint(messages[0], warned_at))
        problem = self._compare(np.asarray(expected), actual)
        if problem is not None:
            raise Incorrect(_("wrong result for input {label}\n"
                              "   expected: {expected}\n"
                              "   got:      {actual}").format(
                                label=label, expected=describe(np.asarray(expected)), actual=describe(actual))
                            + problem,
                            self._hint_for(pristine, actual, messages, wrong_results)
                            or (self.in_place_hint if where else None))
        if where:
            raise Incorrect(_("the values are right, but your function changed its input array in place "
                              "({where} of input {label}).").format(where=where, label=label), self.in_place_hint)

    def _compare(self, expected: np.ndarray, actual: Any) -> str | None:
        """Return None when they agree, else a note to print after the values ('' if none)."""
        actual_array, why_not = _as_numbers(actual)
        if actual_array is None:
            return f"\n   ({why_not})"
        if actual_array.shape != expected.shape:
            return "\n   " + _("(expected shape {expected}, got shape {actual})").format(
                expected=expected.shape, actual=actual_array.shape)
        with _quiet():
            if np.allclose(actual_array, expected, rtol=self.rtol, atol=self.atol, equal_nan=True):
                return None
        return ""

    def _hint_for(self, case: Case, actual: Any, messages: list[str],
                  wrong_results: list | None = None) -> str | None:
        for position, mistake in enumerate(self.mistakes):
            if mistake.matches_warnings(messages):
                return mistake.hint
            precomputed = wrong_results[position] if wrong_results is not None else _MISSING
            if mistake.matches_result(case, actual, precomputed):
                return mistake.hint
        return None

    def _inputs_that_warn(self, answer: Callable, case: Case) -> list[float]:
        """The entries of the first argument that make the learner's code warn on their own (at most 64 tried)."""
        first = case.args[0] if case.args else None
        if not isinstance(first, np.ndarray) or first.dtype.kind != "f" or not 1 < first.size <= 64:
            return []
        found = []
        for value in first.ravel():
            probe = _fresh_case(Case((np.array([value]),) + tuple(case.args[1:]), case.kwargs))
            try:
                _, messages = call_learner(answer, *probe.args, **probe.kwargs)
            except (NotAnswered, LearnerError):
                continue
            if any("overflow" in message for message in messages):
                found.append(float(value))
        return found

    def hint_for_error(self, error: LearnerError) -> str | None:
        message = f"{_type_name(error.original)}: {_safe_text(error.original, 1000)}"
        for mistake in self.mistakes:
            if mistake.matches_error(message):
                return mistake.hint
        return None


def _overflow_side(values: list[float]) -> str:
    """Where the inputs that overflow are, as words that follow "for" in the overflow note and hint."""
    if values and all(v > 0 for v in values):
        return "x > +709.78" if all(v > 709.78 for v in values) else _("large positive x")
    if values and all(v < 0 for v in values):
        return "x < -709.78" if all(v < -709.78 for v in values) else _("large negative x")
    return _("both large positive and large negative x")


def _overflow_note(values: list[float], message: str) -> str:
    if not values:
        return ""
    shown = ", ".join(f"{v:g}" for v in values[:6]) + (", …" if len(values) > 6 else "")
    return "\n   " + _("(it overflows at x = {values}, that is for {side})").format(
        values=shown, side=_overflow_side(values))


def _generic_warning_hint(message: str, warned_at: list[float]) -> str | None:
    if message.startswith("SilencedWarning"):
        return SILENCED_HINT
    if "overflow" in message and warned_at:
        return _("Your code overflows for {side}: np.exp(t) is inf once t > 709.78, so an exponent in your code "
                 "grows that large there. Rewrite the formula so that no exponent can be large and positive "
                 "(for example exponentiate -|x|, or x - max(x)), rather than silencing the warning.").format(
                     side=_overflow_side(warned_at))
    return None


# ---------------------------------------------------------------- ChoiceExercise
class ChoiceExercise(Exercise):
    """A conceptual question: the answer is one of the letters in ``options``.

    ``explanations`` maps each wrong letter to why it is wrong (shown as the hint);
    ``why`` explains the right answer and is shown on success. The question, options,
    explanations and ``why`` are shown in the learner's language (``localize``);
    ``solution_text`` keeps the English (for the instructors' listing).
    """

    not_answered_text = NOT_ANSWERED
    stub_help = CHOICE_HELP

    def __init__(self, name: str, title: str, question: Text, options: dict[str, Text], correct: str,
                 why: Text, explanations: dict[str, Text], hints: Sequence[Text], **exercise_options: Any) -> None:
        solution = f"The answer is {correct!r}: {english(options[correct])}\n\n{english(why)}"
        super().__init__(name, title, hints, solution, **exercise_options)
        self.question = question
        self.options = dict(options)
        self.correct = correct
        self.why = why
        self.explanations = dict(explanations)

    def grade(self, answer: Any) -> str:
        letter = str.lower(str.strip(answer)) if isinstance(answer, str) else None  # str methods: no overrides
        if letter not in self.options:
            letters = sorted(self.options)
            raise Incorrect(_("answer with one of the letters {letters} as a string, "
                              "for example answer = {example}; got {answer}").format(
                                letters=letters, example=repr(letters[0]), answer=describe(answer)))
        if letter != self.correct:
            raise Incorrect(_("{letter} is not it.").format(letter=repr(letter)), self.explanations.get(letter))
        return _("correct. {why}").format(why=localize(self.why))

    def model_answer(self) -> str:
        return self.correct

    def solution_shown(self) -> str:
        """The right letter, its option and why, in the learner's language."""
        return _("The answer is {letter}: {option}").format(
            letter=repr(self.correct), option=localize(self.options[self.correct])) + "\n\n" + localize(self.why)

    def show(self) -> None:
        """Print the question and its options."""
        print(localize(self.question))
        for letter, text in self.options.items():
            print(f"  ({letter}) {localize(text)}")
