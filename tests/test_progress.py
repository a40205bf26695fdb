"""Verdict records (issue 13, "where the class is"): local, documented, with an off switch, never failing."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import course_utils
from course_utils import progress
from course_utils.exercises import EXERCISES, nb01, nb02

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def recording(monkeypatch, tmp_path):
    """Recording switched on in this process, into a temporary file."""
    target = tmp_path / "records" / "verdicts.jsonl"
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(target))
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    progress.enable()
    yield target
    progress._Switch.on = None


def course_folder(base: Path) -> Path:
    (base / "notebooks").mkdir(parents=True)
    (base / "course_utils").mkdir()
    return base


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_check_appends_one_json_line(recording, capsys):
    nb01.step.check(nb01.step.model_answer())
    nb01.step.check(lambda x, threshold=0.0: np.zeros(np.shape(x)))
    nb02.sigmoid.check(...)
    records = read_lines(recording)
    assert [(r["exercise"], r["status"]) for r in records] == [
        ("01.step", "correct"), ("01.step", "incorrect"), ("02.sigmoid", "not answered")]
    assert all(set(r) == {"exercise", "status", "time", "course_version"} for r in records)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["time"]) for r in records)
    assert records[0]["course_version"] == course_utils.__version__
    assert capsys.readouterr().out.count("01.step") == 2     # the verdicts are still printed


def test_verdict_alone_records_nothing(recording):
    nb01.step.verdict(nb01.step.model_answer())
    assert not recording.exists()


def test_the_course_folder_is_found_from_the_notebooks_folder(monkeypatch, tmp_path):
    home = course_folder(tmp_path / "alice" / "activation-functions")
    monkeypatch.delenv("COURSE_PROGRESS_FILE", raising=False)
    monkeypatch.chdir(home / "notebooks")
    assert progress.where() == home / ".progress" / "verdicts.jsonl"
    monkeypatch.chdir(home)
    assert progress.where() == home / ".progress" / "verdicts.jsonl"


def test_outside_any_course_folder_the_package_folder_is_used_or_nothing(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSE_PROGRESS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    package_home = Path(progress.__file__).resolve().parent.parent
    expected = package_home / ".progress" / "verdicts.jsonl" if (package_home / "notebooks").is_dir() else None
    assert progress.where() == expected


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_the_environment_switch_turns_recording_off(monkeypatch, tmp_path, value):
    target = tmp_path / "verdicts.jsonl"
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(target))
    monkeypatch.setenv("COURSE_PROGRESS", value)
    assert not progress.is_enabled()
    assert progress.record("01.step", "correct") is False
    assert not target.exists()


def test_disable_in_a_notebook_turns_recording_off(recording):
    progress.disable()
    nb01.step.check(nb01.step.model_answer())
    assert not recording.exists()
    progress.enable()
    nb01.step.check(nb01.step.model_answer())
    assert len(read_lines(recording)) == 1


def test_records_are_off_while_pytest_runs_a_test(monkeypatch):
    monkeypatch.delenv("COURSE_PROGRESS", raising=False)
    assert "PYTEST_CURRENT_TEST" in os.environ and progress._Switch.on is None
    assert not progress.is_enabled()


def test_checks_in_the_test_suite_leave_no_records_in_the_repository(monkeypatch, capsys):
    monkeypatch.delenv("COURSE_PROGRESS_FILE", raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    records = ROOT / ".progress" / "verdicts.jsonl"
    before = records.read_bytes() if records.exists() else None
    nb01.step.check(nb01.step.model_answer())
    assert (records.read_bytes() if records.exists() else None) == before
    assert ".progress/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_an_unwritable_records_file_never_fails_a_check(monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COURSE_PROGRESS_FILE", str(blocker / "sub" / "verdicts.jsonl"))
    progress.enable()
    try:
        assert progress.record("01.step", "correct") is False
        nb01.step.check(nb01.step.model_answer())
    finally:
        progress._Switch.on = None
    assert capsys.readouterr().out.startswith("✅ 01.step")


def test_a_fresh_kernel_in_a_learners_folder_records_its_checks(tmp_path):
    """End to end, as on a hub: no pytest variable, the kernel starts in the course's notebooks/ folder."""
    home = course_folder(tmp_path / "bob" / "activation-functions")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_CURRENT_TEST", "COURSE_PROGRESS", "COURSE_PROGRESS_FILE")}
    code = ("from course_utils.exercises import nb01\n"
            "nb01.step.check(nb01.step.model_answer())\n"
            "nb01.information_loss.check('z')\n")
    completed = subprocess.run([sys.executable, "-c", code], cwd=home / "notebooks", env=env,
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    records = read_lines(home / ".progress" / "verdicts.jsonl")
    assert [(r["exercise"], r["status"]) for r in records] == [("01.step", "correct"),
                                                               ("01.information_loss", "incorrect")]
    env["COURSE_PROGRESS"] = "off"
    subprocess.run([sys.executable, "-c", code], cwd=home / "notebooks", env=env, check=True,
                   capture_output=True, timeout=60)
    assert len(read_lines(home / ".progress" / "verdicts.jsonl")) == 2


# ------------------------------------------------------------------ instructor command
def make_class(base: Path) -> list[Path]:
    """Three learners: alice passed 02.sigmoid, bob only tried it, carol never checked anything."""
    folders = []
    for learner, lines in [
        ("alice", [{"exercise": "02.sigmoid", "status": "incorrect"}, {"exercise": "02.sigmoid", "status": "correct"},
                   {"exercise": "01.step", "status": "correct"}]),
        ("bob", [{"exercise": "02.sigmoid", "status": "incorrect"}, {"exercise": "01.step", "status": "not answered"}]),
        ("carol", []),
    ]:
        folder = course_folder(base / learner / "activation-functions")
        (folder / ".progress").mkdir()
        text = "".join(json.dumps(dict(entry, time="2025-01-01T00:00:00Z", course_version="1.0.0")) + "\n"
                       for entry in lines)
        if learner == "bob":
            text += "{not json\n"
        (folder / ".progress" / "verdicts.jsonl").write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders


def run_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course_utils.progress", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_the_instructor_command_prints_learner_by_exercise(tmp_path):
    folders = make_class(tmp_path)
    completed = run_command(*map(str, folders))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    header = lines[0].split()
    assert header[0] == "learner" and header[-1] == "passed"
    assert header[1:-1] == list(EXERCISES)      # every exercise of the course, in course order
    rows = {line.split()[0]: dict(zip(header, line.split())) for line in lines[1:4]}
    assert set(rows) == {"alice", "bob", "carol"}
    assert rows["alice"]["02.sigmoid"] == "passed" and rows["alice"]["01.step"] == "passed"
    assert rows["bob"]["02.sigmoid"] == "tried" and rows["bob"]["01.step"] == "—"   # a ⏳ stub does not count
    assert rows["carol"]["02.sigmoid"] == "—"
    assert rows["alice"]["passed"].startswith("2/")
    assert lines[4].startswith("passed by")
    assert "1 unreadable record lines skipped" in completed.stderr


def test_the_instructor_command_writes_csv_for_one_notebook(tmp_path):
    folders = make_class(tmp_path)
    completed = run_command("--csv", "--notebook", "02", *map(str, folders))
    assert completed.returncode == 0, completed.stderr
    table = list(csv.reader(io.StringIO(completed.stdout)))
    exercises = [name for name in EXERCISES if name.startswith("02.")]
    assert table[0] == ["learner"] + exercises + ["passed"]
    rows = {row[0]: dict(zip(table[0], row)) for row in table[1:]}
    assert list(rows) == ["alice", "bob", "carol"]
    assert rows["alice"]["02.sigmoid"] == "passed" and rows["alice"]["passed"] == f"1/{len(exercises)}"
    assert rows["bob"]["02.sigmoid"] == "tried" and rows["bob"]["passed"] == f"0/{len(exercises)}"
    assert all(rows["carol"][name] == "—" for name in exercises)


def test_the_instructor_command_reads_a_records_file_or_folder_too(tmp_path):
    alice = make_class(tmp_path)[0]
    header, rows, unreadable = progress.class_table([alice / ".progress" / "verdicts.jsonl"], notebook="01")
    count = sum(name.startswith("01.") for name in EXERCISES)
    assert header[:2] == ["learner", "01.step"] and unreadable == 0
    assert rows == [["alice", "passed"] + ["—"] * (count - 1) + [f"1/{count}"]]
    header, rows, _ = progress.class_table([alice / ".progress"], notebook="01")
    assert rows[0][0] == "alice"
    header, rows, _ = progress.class_table([tmp_path / "nobody" / "activation-functions"], notebook="01")
    assert rows == [["nobody"] + ["—"] * count + [f"0/{count}"]]
