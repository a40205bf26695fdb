"""setup() says so, in one sentence, when the notebooks and the imported course_utils are different versions.

The realistic cases run in a fresh interpreter over temporary folders that fake them:

* a hub installed course_utils once, not in editable mode (a copy in a site folder with its
  own ``*.dist-info``), and the learner has since pulled a course checkout of another version;
* course_utils imported from the learner's own checkout (nothing to say, whatever the
  installed metadata claims).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import course_utils as cu
from course_utils import notebook_setup

ROOT = Path(__file__).resolve().parents[1]


def make_checkout(folder: Path, version: str, with_package: bool = False) -> Path:
    """A course checkout: pyproject.toml naming course_utils at ``version``, and a notebooks/ folder."""
    (folder / "notebooks").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools>=64"]\n\n[project]\nname = "course_utils"\n'
        f'version = "{version}"\ndependencies = ["numpy"]\n', encoding="utf-8")
    if with_package:
        copy_package(folder)
    return folder


def copy_package(folder: Path) -> None:
    shutil.copytree(ROOT / "course_utils", folder / "course_utils", ignore=shutil.ignore_patterns("__pycache__"))


def make_installed_copy(site: Path, version: str) -> Path:
    """What ``pip install .`` (not editable) leaves in site-packages: the package and its metadata."""
    site.mkdir(parents=True)
    copy_package(site)
    info = site / f"course_utils-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: course_utils\nVersion: {version}\n",
                                   encoding="utf-8")
    return site


def run_first_cell(cwd: Path, pythonpath: Path) -> tuple[str, list[str]]:
    """Run a notebook's first cell in a fresh interpreter; return where course_utils came from and what it printed."""
    code = "import course_utils as cu\nprint(cu.__file__)\ncu.setup()\n"
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "MPLBACKEND": "Agg", "PYTHONNOUSERSITE": "1"}
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    imported_from, *printed = result.stdout.splitlines()
    return imported_from, printed


# ------------------------------------------------------------------ fresh interpreters, faked layouts
def test_a_hub_install_older_than_the_pulled_notebooks_is_named_with_the_fix(tmp_path):
    site = make_installed_copy(tmp_path / "site-packages", "0.9.0")
    course = make_checkout(tmp_path / "course", "1.1.0")
    imported_from, printed = run_first_cell(course / "notebooks", site)
    assert imported_from.startswith(str(site))
    assert len(printed) == 1, printed  # one sentence, one line
    notice = printed[0]
    assert "1.1.0" in notice and "0.9.0" in notice and "older course_utils" in notice
    assert f'pip install --no-deps -e "{course.resolve()}"' in notice and "restart the kernel" in notice


def test_a_library_newer_than_the_notebooks_is_named_too(tmp_path):
    site = make_installed_copy(tmp_path / "site-packages", "2.0.0")
    course = make_checkout(tmp_path / "course", "1.10.0")
    _, printed = run_first_cell(course / "notebooks", site)
    assert len(printed) == 1 and "newer course_utils 2.0.0" in printed[0] and "1.10.0" in printed[0]


def test_versions_compare_as_numbers_not_text(tmp_path):
    site = make_installed_copy(tmp_path / "site-packages", "1.9.0")
    course = make_checkout(tmp_path / "course", "1.10.0")  # as text, "1.10.0" < "1.9.0"
    _, printed = run_first_cell(course / "notebooks", site)
    assert len(printed) == 1 and "older course_utils 1.9.0" in printed[0]


def test_silent_when_the_installed_copy_has_the_notebooks_version(tmp_path):
    site = make_installed_copy(tmp_path / "site-packages", "1.1.0")
    course = make_checkout(tmp_path / "course", "1.1.0")
    imported_from, printed = run_first_cell(course / "notebooks", site)
    assert imported_from.startswith(str(site)) and printed == []


def test_silent_when_course_utils_comes_from_the_same_checkout(tmp_path):
    # The venv's metadata says another version (its editable install of this repository):
    # the checkout's own pyproject.toml is what counts.
    course = make_checkout(tmp_path / "course", "7.0.0", with_package=True)
    imported_from, printed = run_first_cell(course / "notebooks", course)
    assert imported_from.startswith(str(course)) and printed == []


# ------------------------------------------------------------------ in-process
def test_silent_in_this_repository(monkeypatch, capsys):
    assert notebook_setup.course_version_notice(ROOT / "notebooks") is None
    monkeypatch.chdir(ROOT / "notebooks")
    cu.setup()
    assert capsys.readouterr().out == ""


def test_silent_outside_any_course_checkout(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "something_else"\nversion = "5.0"\n', encoding="utf-8")
    assert notebook_setup.course_version_notice(tmp_path) is None
    assert notebook_setup.course_version_notice(other) is None


@pytest.mark.parametrize("text", ["this is [not toml", "", "[project]\nname = 3\n", "\x00\x01"])
def test_never_raises_on_a_broken_pyproject(tmp_path, text):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert notebook_setup.course_version_notice(tmp_path / "notebooks") is None


def test_never_raises_on_a_missing_folder(tmp_path):
    assert notebook_setup.course_version_notice(tmp_path / "does" / "not" / "exist") is None
