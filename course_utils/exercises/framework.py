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
* ``⏳`` not implemented yet: the stub still raises ``NotImplementedError``,
  returns ``None``, or the answer is still ``...``.

Learner code never produces a traceback here: any exception it raises becomes a
one-line summary, and warnings (an overflowing ``exp``) are caught and reported.
"""

from __future__ import annotations

import inspect
import textwrap
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

__all__ = [
    "Exercise", "FunctionExercise", "ChoiceExercise", "Case", "Mistake", "Verdict",
    "Incorrect", "NotAnswered", "LearnerError", "call_learner", "describe", "require_function", "EXERCISES",
]

#: Every exercise, by name ("01.step"), in the order they are defined.
EXERCISES: dict[str, "Exercise"] = {}

STUB_HELP = "Replace the `raise NotImplementedError` (or the `...`) with your answer, then run the cell again."


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
        summary = f"{type(original).__name__}: {original}".strip().rstrip(":")
        super().__init__(summary if not context else f"{summary} ({context})")


class Incorrect(Exception):
    """The answer is wrong; ``message`` says how and ``hint`` (optional) suggests a fix."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class Verdict:
    """What ``check`` found: ``status`` is "correct", "incorrect" or "not answered"."""

    status: str
    text: str
    hint: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "correct"


def describe(value: Any, limit: int = 160) -> str:
    """A short, deterministic text for a value (arrays in NumPy's style, 6 significant digits)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.ndim == 0:
            text = repr(array.item())
        else:
            text = np.array2string(array, precision=6, separator=", ", threshold=12, edgeitems=3)
            text = " ".join(text.split())
            text = f"array({text})" + (f", dtype={array.dtype}" if array.dtype != np.float64 else "")
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def call_learner(function: Callable, *args: Any, **kwargs: Any) -> tuple[Any, list[str]]:
    """Call the learner's code; return ``(result, warning messages)``.

    Raises ``NotAnswered`` for a stub (``NotImplementedError`` or a ``None``
    result) and ``LearnerError`` for any other exception. NumPy floating-point
    problems (overflow, invalid, divide by zero) are recorded as warnings rather
    than printed, so nothing reaches the notebook's stderr.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            try:
                result = function(*args, **kwargs)
            except NotImplementedError:
                raise NotAnswered() from None
            except Exception as exc:  # the learner's bug, summarised in one line
                raise LearnerError(exc) from None
    if result is None:
        raise NotAnswered(returned_none=True)
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    return result, messages


def require_function(answer: Any, name: str) -> None:
    """Raise ``Incorrect`` unless ``answer`` is callable (a common slip: passing ``f(x)`` instead of ``f``)."""
    if not callable(answer):
        raise Incorrect(f"expected a function, got {type(answer).__name__}. Pass the function itself, "
                        f"without calling it: check({name}), not check({name}(...)).")


# ---------------------------------------------------------------------- Exercise
class Exercise:
    """Base class. Subclasses implement ``grade(answer)``.

    ``grade`` returns a success message, or raises ``Incorrect``, ``NotAnswered``
    or ``LearnerError``; ``check`` turns that into the printed verdict.

    Parameters
    ----------
    name : str
        ``"NN.short_name"``, unique; ``NN`` is the notebook number.
    title : str
        One line: what the learner must do.
    hints : list of str
        From gentle to nearly the answer.
    solution : str
        The model answer: code (shown by ``solution()``) or prose.
    """

    def __init__(self, name: str, title: str, hints: Sequence[str], solution: str) -> None:
        if name in EXERCISES:
            raise ValueError(f"an exercise named {name!r} already exists")
        self.name = name
        self.title = title
        self.hints = list(hints)
        self.solution_text = textwrap.dedent(solution).strip("\n")
        EXERCISES[name] = self

    # The learner-facing API -------------------------------------------------
    def check(self, answer: Any = ...) -> None:
        """Print a short verdict for ``answer`` (✅, ❌ with a hint, or ⏳)."""
        print(self.verdict(answer).text)

    def hint(self) -> None:
        """Print every hint, numbered."""
        print(f"💡 Hints for {self.name} ({self.title}):")
        for number, text in enumerate(self.hints, start=1):
            print(f"  {number}. {text}")

    def solution(self) -> None:
        """Print the model answer."""
        print(f"📖 Solution to {self.name} ({self.title}):\n")
        print(self.solution_text)

    # Grading -----------------------------------------------------------------
    def verdict(self, answer: Any) -> Verdict:
        """Grade ``answer`` and return the verdict without printing it (used by tests)."""
        try:
            if answer is None or answer is Ellipsis:
                raise NotAnswered()
            message = self.grade(answer)
        except NotAnswered as exc:
            text = f"⏳ {self.name}: not implemented yet. {STUB_HELP}"
            if exc.returned_none:
                text = (f"⏳ {self.name}: not implemented yet: your function returned None. "
                        "If you have written code, check that it ends with a `return` statement.")
            return Verdict("not answered", text)
        except LearnerError as exc:
            text = f"❌ {self.name}: your code raised {exc}."
            hint = self.hint_for_error(exc)
            return Verdict("incorrect", _with_hint(text, hint), hint)
        except Incorrect as exc:
            return Verdict("incorrect", _with_hint(f"❌ {self.name}: {exc.message}", exc.hint), exc.hint)
        return Verdict("correct", f"✅ {self.name}: {message}")

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
        return f"<exercise {self.name}: {self.title}>"


def _with_hint(text: str, hint: str | None) -> str:
    if not hint:
        return text + "\n   Run .hint() for help."
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


@dataclass
class Mistake:
    """A classic slip and the hint that fixes it.

    It is recognised when the learner's result equals what ``wrong`` returns on
    the failing case, or when ``signature(case, result)`` is true, or when the
    learner's exception message contains ``error_contains``, or one of its
    warnings contains ``warning_contains``.
    """

    hint: str
    wrong: Callable | None = None
    signature: Callable[[Case, np.ndarray], bool] | None = None
    error_contains: str | None = None
    warning_contains: str | None = None

    def matches_result(self, case: Case, actual: Any) -> bool:
        if self.signature is not None:
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    if self.signature(case, np.asarray(actual, dtype=float)):
                        return True
            except Exception:
                pass
        if self.wrong is None:
            return False
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                wrong_result = np.asarray(self.wrong(*case.args, **case.kwargs), dtype=float)
            actual = np.asarray(actual, dtype=float)
        except Exception:
            return False
        return wrong_result.shape == actual.shape and np.allclose(actual, wrong_result, equal_nan=True)

    def matches_error(self, message: str) -> bool:
        return self.error_contains is not None and self.error_contains in message

    def matches_warnings(self, messages: list[str]) -> bool:
        return self.warning_contains is not None and any(self.warning_contains in m for m in messages)


class FunctionExercise(Exercise):
    """The learner writes a function; it must agree with ``reference`` on every case.

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
        If False (default), any floating-point warning fails the check.
    """

    def __init__(self, name: str, title: str, reference: Callable, cases: Sequence[Case],
                 hints: Sequence[str], solution: str, mistakes: Sequence[Mistake] = (),
                 rtol: float = 1e-6, atol: float = 1e-12, allow_warnings: bool = False) -> None:
        super().__init__(name, title, hints, solution)
        self.reference = reference
        self.cases = list(cases)
        self.mistakes = list(mistakes)
        self.rtol = rtol
        self.atol = atol
        self.allow_warnings = allow_warnings

    def grade(self, answer: Any) -> str:
        require_function(answer, "my_function")
        for case in self.cases:
            self._grade_case(answer, case)
        return f"correct on all {len(self.cases)} test inputs. Well done!"

    def _grade_case(self, answer: Callable, case: Case) -> None:
        expected = self.reference(*case.args, **case.kwargs)
        try:
            actual, messages = call_learner(answer, *case.args, **case.kwargs)
        except LearnerError as exc:
            exc.context = f"for input {case.label()}"
            raise LearnerError(exc.original, exc.context) from None
        if messages and not self.allow_warnings:
            hint = self._hint_for(case, actual, messages)
            raise Incorrect(f"for input {case.label()} your code gave a warning: {messages[0]}", hint)
        problem = self._compare(np.asarray(expected), actual)
        if problem is not None:
            raise Incorrect(f"wrong result for input {case.label()}\n"
                            f"   expected: {describe(np.asarray(expected))}\n"
                            f"   got:      {describe(actual)}{problem}",
                            self._hint_for(case, actual, messages))

    def _compare(self, expected: np.ndarray, actual: Any) -> str | None:
        """Return None when they agree, else a note to print after the values ('' if none)."""
        try:
            actual = np.asarray(actual, dtype=float)
        except (TypeError, ValueError):
            return "\n   (your result is not an array of numbers)"
        if actual.shape != expected.shape:
            return f"\n   (expected shape {expected.shape}, got shape {actual.shape})"
        if np.allclose(actual, expected, rtol=self.rtol, atol=self.atol, equal_nan=True):
            return None
        return ""

    def _hint_for(self, case: Case, actual: Any, messages: list[str]) -> str | None:
        for mistake in self.mistakes:
            if mistake.matches_warnings(messages) or mistake.matches_result(case, actual):
                return mistake.hint
        return None

    def hint_for_error(self, error: LearnerError) -> str | None:
        message = f"{type(error.original).__name__}: {error.original}"
        for mistake in self.mistakes:
            if mistake.matches_error(message):
                return mistake.hint
        return None


# ---------------------------------------------------------------- ChoiceExercise
class ChoiceExercise(Exercise):
    """A conceptual question: the answer is one of the letters in ``options``.

    ``explanations`` maps each wrong letter to why it is wrong (shown as the hint);
    ``why`` explains the right answer and is shown on success.
    """

    def __init__(self, name: str, title: str, question: str, options: dict[str, str], correct: str,
                 why: str, explanations: dict[str, str], hints: Sequence[str]) -> None:
        solution = f"The answer is {correct!r}: {options[correct]}\n\n{why}"
        super().__init__(name, title, hints, solution)
        self.question = question
        self.options = dict(options)
        self.correct = correct
        self.why = why
        self.explanations = dict(explanations)

    def grade(self, answer: Any) -> str:
        if not isinstance(answer, str) or answer.strip().lower() not in self.options:
            raise Incorrect(f"answer with one of the letters {sorted(self.options)} as a string, "
                            f"for example answer = {sorted(self.options)[0]!r}; got {describe(answer)}")
        letter = answer.strip().lower()
        if letter != self.correct:
            raise Incorrect(f"{letter!r} is not it.", self.explanations.get(letter))
        return f"correct. {self.why}"

    def model_answer(self) -> str:
        return self.correct

    def show(self) -> None:
        """Print the question and its options."""
        print(self.question)
        for letter, text in self.options.items():
            print(f"  ({letter}) {text}")
