"""Verdict records: which exercises each learner has passed, kept on the learner's own machine.

Every ``check()`` in a notebook appends one line of JSON to a file in the learner's
course folder, and one instructor command turns the folders of a whole class into a
table. Nothing is sent anywhere: the instructor reads the files (on a JupyterHub, the
learners' home folders), and a learner can delete them at any time.

Where the records go
--------------------
One line per ``check()``, in ``<course folder>/.progress/verdicts.jsonl``::

    {"exercise": "02.sigmoid", "status": "correct", "time": "2025-05-09T07:35:25Z", "course_version": "1.0.0"}

``status`` is "correct", "incorrect" or "not answered"; ``time`` is UTC. The course
folder is the first of these that exists:

1. the file named by the environment variable ``COURSE_PROGRESS_FILE`` (used as is);
2. the current working directory, or the nearest folder above it, that contains both
   ``notebooks/`` and ``course_utils/``: the folder a learner cloned, pulled with
   nbgitpuller, or opened on Binder (a notebook's kernel starts in ``notebooks/``);
3. the folder that holds the imported ``course_utils`` package, when it also contains
   ``notebooks/`` (an editable install of a clone).

If none is found, nothing is recorded. ``where()`` returns the file that would be used.
``.progress/`` is listed in the repository's ``.gitignore``.

Off switch
----------
* ``COURSE_PROGRESS=off`` (or ``0``, ``false``, ``no``) in the environment, or
* ``progress.disable()`` in a notebook (``progress.enable()`` turns it back on).

Records are also off while pytest runs a test (``PYTEST_CURRENT_TEST`` is set, and
nbval's kernels inherit it), so the course's tests never write into the repository.
Recording never makes a check fail: any error while writing is ignored.

For the instructor
------------------
::

    python -m course_utils.progress /home/*/activation-functions
    python -m course_utils.progress --notebook 02 /home/*/activation-functions
    python -m course_utils.progress --csv /home/*/activation-functions > class.csv

prints one row per learner and one column per exercise: ``passed`` (at least one ✅),
``tried`` (checked, never passed) or ``—`` (never checked; a ⏳ stub does not count).
A learner is named after the folder that holds the course folder (``/home/alice/
activation-functions`` is "alice"). Each argument may also be a ``.progress`` folder or a
``verdicts.jsonl`` file.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import sys
from pathlib import Path
from typing import Iterable

__all__ = ["record", "where", "enable", "disable", "is_enabled", "read_records", "class_table", "main",
           "RECORDS_FOLDER", "RECORDS_FILE"]

RECORDS_FOLDER = ".progress"
RECORDS_FILE = "verdicts.jsonl"
_OFF_VALUES = {"off", "0", "false", "no"}


class _Switch:
    """The notebook's own on/off switch (``enable()`` / ``disable()``); None means "follow the environment"."""

    on: bool | None = None


def enable() -> None:
    """Record verdicts again (overrides ``COURSE_PROGRESS=off`` in this kernel)."""
    _Switch.on = True


def disable() -> None:
    """Stop recording verdicts in this kernel."""
    _Switch.on = False


def is_enabled() -> bool:
    """Would ``check()`` record its verdict now?"""
    if _Switch.on is not None:
        return _Switch.on
    if os.environ.get("COURSE_PROGRESS", "").strip().lower() in _OFF_VALUES:
        return False
    return "PYTEST_CURRENT_TEST" not in os.environ


def _is_course_folder(folder: Path) -> bool:
    return (folder / "notebooks").is_dir() and (folder / "course_utils").is_dir()


def where() -> Path | None:
    """The records file that ``record`` appends to, or None when no course folder is found."""
    explicit = os.environ.get("COURSE_PROGRESS_FILE")
    if explicit:
        return Path(explicit)
    start = Path.cwd()
    for folder in (start, *start.parents):
        if _is_course_folder(folder):
            return folder / RECORDS_FOLDER / RECORDS_FILE
    package_home = Path(__file__).resolve().parent.parent
    if _is_course_folder(package_home):
        return package_home / RECORDS_FOLDER / RECORDS_FILE
    return None


def _course_version() -> str:
    try:
        from . import __version__
        return str(__version__)
    except Exception:
        return "unknown"


def record(exercise: str, status: str) -> bool:
    """Append one verdict to the records file; return whether it was written. Never raises."""
    try:
        if not is_enabled():
            return False
        path = where()
        if path is None:
            return False
        line = json.dumps({
            "exercise": str(exercise),
            "status": str(status),
            "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "course_version": _course_version(),
        }, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as records:  # one short write: lines never interleave
            records.write(line + "\n")
        return True
    except Exception:
        return False


# ------------------------------------------------------------------ instructor side
def _records_file(path: Path) -> Path:
    """The verdicts file for a course folder, a ``.progress`` folder or the file itself."""
    if path.is_file():
        return path
    if path.name == RECORDS_FOLDER:
        return path / RECORDS_FILE
    return path / RECORDS_FOLDER / RECORDS_FILE


def _learner_name(path: Path) -> str:
    """``/home/alice/activation-functions`` -> "alice" (also from its .progress folder or file)."""
    path = path.resolve()
    if path.name == RECORDS_FILE:
        path = path.parent
    if path.name == RECORDS_FOLDER:
        path = path.parent
    return path.parent.name or str(path)


def read_records(path: Path) -> tuple[list[dict], int]:
    """The records under ``path`` and the number of lines that could not be read."""
    records, unreadable = [], 0
    file = _records_file(Path(path))
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return [], 0
    for line in lines:
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            unreadable += 1
            continue
        if isinstance(entry, dict) and isinstance(entry.get("exercise"), str) and isinstance(entry.get("status"), str):
            records.append(entry)
        else:
            unreadable += 1
    return records, unreadable


def _state(records: Iterable[dict], exercise: str) -> str:
    statuses = {entry["status"] for entry in records if entry["exercise"] == exercise}
    if "correct" in statuses:
        return "passed"
    if "incorrect" in statuses:
        return "tried"
    return "—"


def _course_exercises() -> list[str]:
    try:
        from .exercises import EXERCISES
        return list(EXERCISES)
    except Exception:
        return []


def class_table(folders: Iterable[Path], notebook: str | None = None) -> tuple[list[str], list[list[str]], int]:
    """``(header, rows, unreadable lines)``: one row per learner, one column per exercise.

    Columns are the course's exercises in course order, then any other exercise found in
    the records; ``notebook`` ("02") keeps only that notebook's exercises.
    """
    learners: dict[str, list[dict]] = {}
    unreadable = 0
    for folder in folders:
        folder = Path(folder)
        name = _learner_name(folder)
        if name in learners:
            name = str(folder)
        learners[name], bad = read_records(folder)
        unreadable += bad
    exercises = _course_exercises()
    for records in learners.values():
        exercises += [entry["exercise"] for entry in records if entry["exercise"] not in exercises]
    if notebook:
        exercises = [name for name in exercises if name.partition(".")[0] == notebook]
    header = ["learner"] + exercises + ["passed"]
    rows = []
    for name in sorted(learners):
        states = [_state(learners[name], exercise) for exercise in exercises]
        rows.append([name] + states + [f"{states.count('passed')}/{len(exercises)}"])
    return header, rows, unreadable


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    if rows:
        totals = [sum(row[i] == "passed" for row in rows) for i in range(1, len(header) - 1)]
        cells = ["passed by"] + [f"{t}/{len(rows)}" for t in totals] + [""]
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.progress",
        description="Which learner has passed which exercise, from the verdict records in their course folders.")
    parser.add_argument("folders", nargs="+", type=Path,
                        help="learners' course folders, e.g. /home/*/activation-functions")
    parser.add_argument("--notebook", help="only this notebook's exercises, e.g. 02")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of an aligned table")
    options = parser.parse_args(argv)
    header, rows, unreadable = class_table(options.folders, options.notebook)
    if options.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        _print_table(header, rows)
    if unreadable:
        print(f"({unreadable} unreadable record lines skipped)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
