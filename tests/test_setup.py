"""The set-up a learner meets first: the Python check and .venv rules of the Makefile, the stated
Python range, and `make update` / `make reset` (tools/course.py), which must never lose saved work.

The Makefile tests run `make` in a temporary copy of the Makefile and tools/make_venv.sh with
fake interpreters: small shell scripts that report a chosen Python version, "create" a venv by
copying themselves, and log every call. So they check the rules without installing anything.
The update/reset tests use real git repositories in a temporary folder: a course repository
where the instructor commits, and a learner's clone of it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None,
                                reason="needs make and git")


def makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:=\s*(\S+)\s*$", MAKEFILE, flags=re.M)
    assert match, f"Makefile defines no {name}"
    return match.group(1)


def supported_minors() -> list[int]:
    low, high = (makefile_variable(n) for n in ("PYTHON_MIN", "PYTHON_MAX"))
    assert low.startswith("3.") and high.startswith("3.")
    return list(range(int(low[2:]), int(high[2:]) + 1))


# ------------------------------------------------------------------------------------------
# The stated Python range
# ------------------------------------------------------------------------------------------

def test_the_supported_range_is_the_same_everywhere():
    minors = supported_minors()
    assert minors[0] == 11, "the pinned NumPy and Matplotlib need Python 3.11 or newer"
    project = PYPROJECT["project"]
    assert project["requires-python"] == f">=3.{minors[0]},<3.{minors[-1] + 1}"
    classifiers = {c for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert classifiers == {f"Programming Language :: Python :: 3.{m}" for m in minors}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python 3.{minors[0]}–3.{minors[-1]}" in readme
    assert not re.search(r"Python\s*(≥|>=)\s*3\.10|3\.10\+", readme), "README still promises Python 3.10"


def test_the_running_python_is_a_supported_one():
    assert sys.version_info[:2] in [(3, m) for m in supported_minors()]


# ------------------------------------------------------------------------------------------
# The Makefile's interpreter check and .venv rules, with fake interpreters
# ------------------------------------------------------------------------------------------

FAKE_PYTHON = r"""#!/bin/sh
# A stand-in for Python VERSION: answers the version probe, "creates" a venv by copying itself,
# and logs every call (pip installs included) to $FAKE_LOG.
VERSION=@VERSION@
echo "$0 $*" >> "$FAKE_LOG"
case "$1" in
    -c) echo "$VERSION $(cd "$(dirname "$0")" && pwd)/$(basename "$0")" ;;
    -m) case "$2" in
            venv) mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
            pip) [ -z "$FAKE_PIP_FAILS" ] ;;
            *) exit 1 ;;
        esac ;;
    *) exit 1 ;;
esac
"""


@pytest.fixture
def project(tmp_path):
    """A copy of the Makefile and tools/make_venv.sh, with empty requirement files."""
    folder = tmp_path / "course"
    (folder / "tools").mkdir(parents=True)
    (folder / "binder").mkdir()
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    shutil.copy(ROOT / "tools" / "make_venv.sh", folder / "tools" / "make_venv.sh")
    shutil.copy(ROOT / "binder" / "overrides.json", folder / "binder" / "overrides.json")
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        (folder / name).write_text("")
    return folder


def fake_python(folder: Path, version: str) -> Path:
    path = folder / f"fakepython{version}"
    path.write_text(FAKE_PYTHON.replace("@VERSION@", version))
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def run_make(project: Path, *args: str, log: Path, pip_fails: bool = False) -> subprocess.CompletedProcess:
    # A PATH without any python3.11-3.13, so the message suggests installing one.
    env = {"PATH": "/usr/bin:/bin", "FAKE_LOG": str(log), "LC_ALL": "C.UTF-8"}
    if pip_fails:
        env["FAKE_PIP_FAILS"] = "1"
    return subprocess.run(["make", "--no-print-directory", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


def logged(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def our_lines(text: str) -> list[str]:
    """Output lines, without make's own "make: *** [...] Error 1" trailer."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("make: ***")]


@pytest.mark.parametrize("goal", ["lab", "test"])
def test_python_3_10_is_refused_at_once_with_one_sentence(project, tmp_path, goal):
    log = tmp_path / "calls.log"
    python310 = fake_python(tmp_path, "3.10")
    result = run_make(project, goal, f"PYTHON={python310}", log=log)
    assert result.returncode != 0
    lines = our_lines(result.stdout + result.stderr)
    assert len(lines) == 1, lines
    sentence = lines[0]
    assert sentence.startswith("Python 3.10 found") and "needs Python 3.11–3.13" in sentence
    assert f"make {goal} PYTHON=python3." in sentence and sentence.endswith(".")
    assert sentence.count(". ") == 0, "one sentence"
    assert not (project / ".venv").exists(), "nothing may be created before the check"
    assert not any(" -m " in call for call in logged(log)), "no venv, no pip before the check"


def test_a_missing_python_is_named(project, tmp_path):
    log = tmp_path / "calls.log"
    result = run_make(project, "lab", f"PYTHON={tmp_path / 'no-such-python'}", log=log)
    assert result.returncode != 0
    lines = our_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("No Python found at") and "3.11–3.13" in lines[0]
    assert not (project / ".venv").exists()


def test_the_message_suggests_a_supported_python_that_is_installed(project, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_python(bin_dir, "3.13").rename(bin_dir / "python3.13")  # the newest is suggested first
    python310 = fake_python(tmp_path, "3.10")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "FAKE_LOG": str(tmp_path / "log"), "LC_ALL": "C.UTF-8"}
    result = subprocess.run(["make", "--no-print-directory", "lab", f"PYTHON={python310}"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=60)
    assert "python3.13 is installed, so run `make lab PYTHON=python3.13`" in result.stderr


def test_a_supported_python_builds_the_venv_once_and_records_itself(project, tmp_path):
    log = tmp_path / "calls.log"
    python312 = fake_python(tmp_path, "3.12")
    first = run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log)
    assert first.returncode == 0, first.stderr
    assert (project / ".venv" / ".python").read_text().split() == ["3.12", str(python312)]
    calls = logged(log)
    assert sum(" -m venv " in c for c in calls) == 1
    assert sum(" -m pip install" in c for c in calls) == 3  # pip itself, the requirements, course_utils
    assert (project / ".venv" / ".runtime").exists()

    # Again, with no PYTHON given: the recorded interpreter is used, nothing is reinstalled.
    log.unlink()
    again = run_make(project, ".venv/.runtime", log=log)
    assert again.returncode == 0, again.stderr
    assert not any(" -m " in call for call in logged(log)), logged(log)


def test_a_venv_made_by_another_python_is_rebuilt(project, tmp_path):
    log = tmp_path / "calls.log"
    assert run_make(project, ".venv/.runtime", f"PYTHON={fake_python(tmp_path, '3.12')}", log=log).returncode == 0
    (project / ".venv" / "learner-file").write_text("gone with the old venv")
    log.unlink()
    python311 = fake_python(tmp_path, "3.11")
    result = run_make(project, ".venv/.runtime", f"PYTHON={python311}", log=log)
    assert result.returncode == 0, result.stderr
    assert "Rebuilding .venv: it was made by Python 3.12" in result.stdout
    assert (project / ".venv" / ".python").read_text().split() == ["3.11", str(python311)]
    assert not (project / ".venv" / "learner-file").exists()
    calls = logged(log)
    assert sum(" -m venv " in c for c in calls) == 1 and sum(" -m pip install" in c for c in calls) == 3


def test_the_issue_scenario_310_then_311_needs_no_make_clean(project, tmp_path):
    """make lab with 3.10 used to leave a half-built .venv that broke the next try with 3.11."""
    log = tmp_path / "calls.log"
    # An old Makefile's leftover: a .venv made by 3.10 whose installs failed (no stamp).
    (project / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(fake_python(tmp_path, "3.10"), project / ".venv" / "bin" / "python")
    refused = run_make(project, "lab", f"PYTHON={fake_python(tmp_path, '3.10')}", log=log)
    assert refused.returncode != 0 and "needs Python 3.11–3.13" in refused.stderr
    python311 = fake_python(tmp_path, "3.11")
    built = run_make(project, ".venv/.runtime", f"PYTHON={python311}", log=log)
    assert built.returncode == 0, built.stderr
    assert "Rebuilding .venv: an earlier set-up did not finish" in built.stdout
    assert (project / ".venv" / ".python").read_text().split()[0] == "3.11"
    assert "3.11" in subprocess.run([str(project / ".venv/bin/python"), "-c", "probe"], capture_output=True, text=True,
                                    env={"FAKE_LOG": str(log), "PATH": "/usr/bin:/bin"}).stdout


def test_a_venv_whose_installs_failed_is_rebuilt_from_scratch(project, tmp_path):
    """E.g. no network, or Ctrl+C during `pip install --upgrade pip`, which can leave pip broken."""
    log = tmp_path / "calls.log"
    python312 = fake_python(tmp_path, "3.12")
    failed = run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log, pip_fails=True)
    assert failed.returncode != 0
    assert not (project / ".venv" / ".python").exists(), "no stamp before the packages are installed"
    log.unlink()
    result = run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log)
    assert result.returncode == 0, result.stderr
    assert "Rebuilding .venv: an earlier set-up did not finish" in result.stdout
    calls = logged(log)
    assert sum(" -m venv " in c for c in calls) == 1 and sum(" -m pip install" in c for c in calls) == 3
    assert (project / ".venv" / ".python").read_text().split()[0] == "3.12"
    assert not (project / ".venv" / ".python.new").exists()


def test_an_interrupted_venv_creation_is_rebuilt(project, tmp_path):
    log = tmp_path / "calls.log"
    python312 = fake_python(tmp_path, "3.12")
    assert run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log).returncode == 0
    (project / ".venv" / "bin" / "python").unlink()  # e.g. the interpreter was removed or the copy broke
    log.unlink()
    result = run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log)
    assert result.returncode == 0, result.stderr
    assert "Rebuilding .venv" in result.stdout
    assert sum(" -m venv " in c for c in logged(log)) == 1


def test_make_lab_installs_the_jupyterlab_settings_and_opens_notebook_00(project, tmp_path):
    log = tmp_path / "calls.log"
    python312 = fake_python(tmp_path, "3.12")
    assert run_make(project, ".venv/.runtime", f"PYTHON={python312}", log=log).returncode == 0
    dry = run_make(project, "-n", "lab", log=log)
    assert dry.returncode == 0, dry.stderr
    assert "--LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb" in dry.stdout
    assert "--ip=127.0.0.1" in dry.stdout
    settings = json.loads((ROOT / "binder" / "overrides.json").read_text())
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is False
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # make lab copies the settings into the environment (jupyter itself is not in the fake venv).
    run_make(project, "lab", log=log)
    installed = project / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == settings


def test_make_alone_prints_help_and_builds_nothing(project, tmp_path):
    result = run_make(project, log=tmp_path / "calls.log")
    assert result.returncode == 0 and "make lab" in result.stdout and "make update" in result.stdout
    assert not (project / ".venv").exists()


# ------------------------------------------------------------------------------------------
# make update / make reset (tools/course.py) with real git repositories
# ------------------------------------------------------------------------------------------

def notebook_json(sources: list[str]) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell(src, id=f"cell-{i}") for i, src in enumerate(sources)]
    return nbformat.writes(nb) + "\n"


def cell_sources(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


SIGMOID = ["import numpy as np", "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))", "# Your turn: write relu",
           "print(sigmoid(0.0))", "# end"]
THRESHOLD = ["import numpy as np", "def step(x):\n    return x > 0", "print(step(1))"]


def git_env(home: Path) -> dict[str, str]:
    """No user-wide or system git settings: the learner has never configured git."""
    home.mkdir(exist_ok=True)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(home / "no-gitconfig"), "LC_ALL": "C.UTF-8"}


class Course:
    """The instructor's repository (``origin``) and a learner's clone of it."""

    def __init__(self, tmp_path: Path):
        self.env = git_env(tmp_path / "home")
        self.origin = tmp_path / "origin"
        self.learner = tmp_path / "learner"
        (self.origin / "notebooks").mkdir(parents=True)
        (self.origin / "tools").mkdir()
        shutil.copy(ROOT / "tools" / "course.py", self.origin / "tools" / "course.py")
        shutil.copy(ROOT / ".gitignore", self.origin / ".gitignore")
        self.write(self.origin, "notebooks/01_threshold.ipynb", notebook_json(THRESHOLD))
        self.write(self.origin, "notebooks/02_sigmoid.ipynb", notebook_json(SIGMOID))
        self.git(self.origin, "init", "-q", "-b", "main")
        self.instructor_commit("The course")
        subprocess.run(["git", "clone", "-q", str(self.origin), str(self.learner)], env=self.env, check=True)

    @staticmethod
    def write(repo: Path, name: str, text: str) -> None:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")

    def git(self, repo: Path, *args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, env=self.env, check=True, capture_output=True,
                              text=True).stdout

    def instructor_commit(self, message: str) -> None:
        self.git(self.origin, "add", "-A")
        self.git(self.origin, "-c", "user.name=Instructor", "-c", "user.email=i@example.org",
                 "commit", "-q", "-m", message)

    def course_tool(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "tools/course.py", *args], cwd=self.learner, env=self.env,
                              capture_output=True, text=True, timeout=120)

    def status(self) -> str:
        return self.git(self.learner, "status", "--porcelain").rstrip("\n")


@pytest.fixture
def course(tmp_path):
    return Course(tmp_path)


def edit_cell(path: Path, index: int, source: str) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = source
    nbformat.write(nb, path)


def test_an_edited_notebook_survives_an_update_and_the_course_changes_arrive(course):
    answer = "def relu(x):\n    return np.maximum(0, x)"
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, answer)          # the learner's saved answer
    edit_cell(course.origin / "notebooks/02_sigmoid.ipynb", 4, "# end (fixed typo)")  # same notebook, other cell
    edit_cell(course.origin / "notebooks/01_threshold.ipynb", 1, "def step(x):\n    return (x > 0).astype(float)")
    course.write(course.origin, "notebooks/03_new.ipynb", notebook_json(["print('new')"]))
    course.instructor_commit("Course fixes")

    result = course.course_tool("update")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Updated to the course's latest version" in result.stdout
    sigmoid = cell_sources(course.learner / "notebooks/02_sigmoid.ipynb")
    assert sigmoid[2] == answer, "the learner's answer was lost"
    assert sigmoid[4] == "# end (fixed typo)", "the course's fix in the same notebook did not arrive"
    assert "astype(float)" in cell_sources(course.learner / "notebooks/01_threshold.ipynb")[1]
    assert (course.learner / "notebooks/03_new.ipynb").exists()
    assert course.status() == "", "after an update everything is recorded"


def test_where_both_changed_the_same_cell_the_learners_version_wins(course):
    mine = "def relu(x):\n    return x * (x > 0)"
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, mine)
    edit_cell(course.origin / "notebooks/02_sigmoid.ipynb", 2, "# Your turn: write relu (hint: np.maximum)")
    edit_cell(course.origin / "notebooks/02_sigmoid.ipynb", 0, "import numpy as np  # the course's change")
    course.instructor_commit("Course hint")
    result = course.course_tool("update")
    assert result.returncode == 0, result.stdout + result.stderr
    sources = cell_sources(course.learner / "notebooks/02_sigmoid.ipynb")  # nbformat.read: valid JSON
    assert sources[2] == mine
    assert sources[0] == "import numpy as np  # the course's change"


def test_a_learners_file_with_the_name_of_a_new_course_file_is_kept_in_backups(course):
    course.write(course.learner, "notebooks/03_new.ipynb", notebook_json(["print('mine')"]))
    course.write(course.origin, "notebooks/03_new.ipynb", notebook_json(["print('course')"]))
    course.instructor_commit("New notebook")
    result = course.course_tool("update")
    assert result.returncode == 0, result.stdout + result.stderr
    assert cell_sources(course.learner / "notebooks/03_new.ipynb") == ["print('course')"]
    kept = list((course.learner / "backups" / "notebooks").glob("03_new.*.ipynb"))
    assert len(kept) == 1 and cell_sources(kept[0]) == ["print('mine')"]
    assert course.status() == "", "backups/ is ignored by git"


def test_an_update_brings_back_a_deleted_course_notebook(course):
    (course.learner / "notebooks/01_threshold.ipynb").unlink()
    edit_cell(course.origin / "notebooks/02_sigmoid.ipynb", 4, "# changed")
    course.instructor_commit("Change")
    assert course.course_tool("update").returncode == 0
    assert cell_sources(course.learner / "notebooks/01_threshold.ipynb") == THRESHOLD


def test_update_without_news_changes_nothing(course):
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, "x = 1")
    result = course.course_tool("update")
    assert result.returncode == 0 and "Already up to date" in result.stdout
    assert course.status() == " M notebooks/02_sigmoid.ipynb"


def test_update_offline_is_a_friendly_message_and_changes_nothing(course):
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, "x = 1")
    shutil.rmtree(course.origin)
    result = course.course_tool("update")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "could not reach the course's repository" in result.stderr and "Nothing was changed" in result.stderr
    assert course.status() == " M notebooks/02_sigmoid.ipynb"


def test_update_outside_a_git_clone_explains_what_to_do(tmp_path):
    folder = tmp_path / "zip-download"
    (folder / "tools").mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "course.py", folder / "tools" / "course.py")
    result = subprocess.run([sys.executable, "tools/course.py", "update"], cwd=folder, capture_output=True,
                            text=True, env=git_env(tmp_path / "home"), timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not a git clone of the course" in result.stderr


def test_reset_restores_the_course_version_and_keeps_a_backup(course):
    mine = "def relu(x):\n    return 'my attempt'"
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, mine)
    result = course.course_tool("reset", "02")
    assert result.returncode == 0, result.stdout + result.stderr
    assert cell_sources(course.learner / "notebooks/02_sigmoid.ipynb") == SIGMOID
    kept = list((course.learner / "backups" / "notebooks").glob("02_sigmoid.*.ipynb"))
    assert len(kept) == 1 and cell_sources(kept[0])[2] == mine
    assert str(kept[0].relative_to(course.learner)) in result.stdout
    assert course.status() == "", "the notebook is the original again and backups/ is ignored"

    # A second reset has nothing to do and makes no second backup.
    again = course.course_tool("reset", "2")
    assert again.returncode == 0 and "already the course's version" in again.stdout
    assert len(list((course.learner / "backups" / "notebooks").glob("02_sigmoid.*.ipynb"))) == 1


def test_reset_after_an_update_gives_the_updated_course_version(course):
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, "mine = True")
    edit_cell(course.origin / "notebooks/02_sigmoid.ipynb", 4, "# updated end")
    course.instructor_commit("Update")
    assert course.course_tool("update").returncode == 0
    assert course.course_tool("reset", "02_sigmoid").returncode == 0
    sources = cell_sources(course.learner / "notebooks/02_sigmoid.ipynb")
    assert sources[2] == SIGMOID[2] and sources[4] == "# updated end"


def test_reset_picks_the_edition_named_and_the_english_one_by_default(course):
    course.write(course.origin, "notebooks/ko/02_sigmoid.ipynb", notebook_json(["# 한국어판"] + SIGMOID[1:]))
    course.instructor_commit("Korean edition")
    assert course.course_tool("update").returncode == 0
    edit_cell(course.learner / "notebooks/02_sigmoid.ipynb", 2, "english = True")
    edit_cell(course.learner / "notebooks/ko/02_sigmoid.ipynb", 2, "korean = True")

    result = course.course_tool("reset", "ko/02")
    assert result.returncode == 0, result.stdout + result.stderr
    assert cell_sources(course.learner / "notebooks/ko/02_sigmoid.ipynb")[2] == SIGMOID[2]
    assert cell_sources(course.learner / "notebooks/02_sigmoid.ipynb")[2] == "english = True", "English untouched"

    result = course.course_tool("reset", "02")
    assert result.returncode == 0, result.stdout + result.stderr
    assert cell_sources(course.learner / "notebooks/02_sigmoid.ipynb") == SIGMOID
    assert course.status() == ""


@pytest.mark.parametrize("which", ["", "9", "0"])
def test_reset_of_an_unknown_notebook_is_a_friendly_message(course, which):
    result = course.course_tool("reset", which)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "make reset NB=02" in result.stderr
    assert not (course.learner / "backups").exists()


def test_the_make_targets_call_the_course_tool():
    assert re.search(r"^update:\n\t@\$\(PYTHON\) tools/course.py update$", MAKEFILE, flags=re.M)
    assert re.search(r"^reset:\n\t@\$\(PYTHON\) tools/course.py reset \$\(NB\)$", MAKEFILE, flags=re.M)
    assert "backups/" in (ROOT / ".gitignore").read_text().splitlines()


# ------------------------------------------------------------------------------------------
# Contributors: CI workflow, licenses, guide
# ------------------------------------------------------------------------------------------

def test_the_ci_workflow_runs_the_entry_point_on_every_supported_python():
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s+run: bash \.ci/run\s*$", workflow, flags=re.M)
    matrix = re.search(r"^\s+python: \[(.*)\]\s*$", workflow, flags=re.M)
    assert matrix, "the workflow needs a python matrix"
    assert [v.strip().strip('"') for v in matrix.group(1).split(",")] == [f"3.{m}" for m in supported_minors()]
    assert "container: python:${{ matrix.python }}-bookworm" in workflow, "Debian, for .ci/run's apt packages"


def test_code_and_prose_have_licenses():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    prose = (ROOT / "LICENSE-content").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    assert "Creative Commons Attribution 4.0 International" in prose and "Section 8 – Interpretation." in prose
    assert PYPROJECT["project"]["license"] == "MIT"


def test_contributing_explains_the_notebook_workflow_and_the_test_layers():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "tools/nbbuild.py notebooks/" in guide and "--nbval " in guide and "sanitize.cfg" in guide
    for target in ("test-unit", "test-notebooks", "test-browser", "test-binder"):
        assert f"make {target}" in guide and f"\n{target}:" in MAKEFILE
    for path in re.findall(r"`((?:tools|tests|binder|\.ci|\.github)/[\w./-]+)`", guide):
        assert (ROOT / path).exists(), f"CONTRIBUTING.md names {path}, which does not exist"
