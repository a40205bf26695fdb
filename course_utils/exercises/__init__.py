"""Checked exercises, one module per notebook: ``from course_utils.exercises import nb01``.

In a notebook::

    nb01.step.check(step)     # ✅ / ❌ with a hint / ⏱ too slow / ⏳ not implemented yet
    nb01.step.hint()          # one more hint at each call, from a nudge to nearly the answer
    nb01.step.solution()      # the model answer

``EXERCISES`` maps every exercise name ("01.step") to its exercise, for tests and
for the instructor's solutions listing (``python -m course_utils.exercises``).
What a check guarantees (fresh inputs, trusted references, a time limit, no
tracebacks, short output, local verdict records) is described in ``framework``.

Verdicts, hints and solutions come out in the language chosen with
``course_utils.i18n.set_language`` (English by default): the framework translates the
texts of these modules when it shows them (``localize``; see ``framework``).
"""

from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from .framework import (DEFAULT_TIME_LIMIT, EXERCISES, Case, ChoiceExercise, Exercise, FunctionExercise, Incorrect,
                        LearnerError, Mistake, NotAnswered, Verdict, call_learner, changed, describe, english,
                        fresh_copy, frozen_copy, localize, remember_trusted_namespaces, require_function, same_values)

# Every checker module is loaded: from now on, NumPy's and course_utils' functions as they are now are the
# trusted ones, and a notebook cell that redefines one of them cannot change a verdict.
remember_trusted_namespaces()

__all__ = ["EXERCISES", "Case", "ChoiceExercise", "Exercise", "FunctionExercise", "Incorrect", "LearnerError",
           "Mistake", "NotAnswered", "Verdict", "call_learner", "describe", "require_function",
           "DEFAULT_TIME_LIMIT", "fresh_copy", "frozen_copy", "changed", "same_values", "localize", "english",
           "nb00", "nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07"]
