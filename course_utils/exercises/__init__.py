"""Checked exercises, one module per notebook: ``from course_utils.exercises import nb01``.

In a notebook::

    nb01.step.check(step)     # ✅ / ❌ with a hint / ⏳ not implemented yet
    nb01.step.hint()          # hints, from gentle to nearly the answer
    nb01.step.solution()      # the model answer

``EXERCISES`` maps every exercise name ("01.step") to its exercise, for tests and
for the instructor's solutions listing (``python -m course_utils.exercises``).
"""

from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from .framework import (EXERCISES, Case, ChoiceExercise, Exercise, FunctionExercise, Incorrect, LearnerError,
                        Mistake, NotAnswered, Verdict, call_learner, describe,
                        require_function)

__all__ = ["EXERCISES", "Case", "ChoiceExercise", "Exercise", "FunctionExercise", "Incorrect", "LearnerError",
           "Mistake", "NotAnswered", "Verdict", "call_learner", "describe", "require_function",
           "nb00", "nb01", "nb02", "nb03", "nb04", "nb05", "nb06", "nb07"]
