"""Binder: the files in binder/, the README's launch link, and a simulated Binder build.

On mybinder.org, repo2docker sees the ``binder/`` folder and ignores every configuration file
outside it. It creates a Python environment for ``binder/runtime.txt``, installs
``binder/requirements.txt`` *before* copying the repository (allowed because the file has no
local ``-e``/``-r`` references, so the dependency layer is cached across notebook edits), then
copies the repository and runs ``binder/postBuild`` from its root.

The static checks below always run. The simulation (marker ``binder``) repeats those steps in a
fresh virtual environment: first the Jupyter packages of repo2docker's base environment (so that a
pin of ours that conflicts with them fails ``pip check``, as Binder's build log would show), then
the ``binder/`` files alone; then it runs nbval in strict mode over every notebook inside that
environment::

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_binder.py -m binder
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: The course's public address, written in one place: pyproject.toml's [project.urls].
REPOSITORY_URL = PYPROJECT["project"]["urls"]["Repository"]
REPOSITORY = REPOSITORY_URL.removeprefix("https://github.com/")
BADGE = "https://mybinder.org/badge_logo.svg"
MYBINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\]\"'<>]+")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)(\[[^\]]*\])?==([0-9][0-9A-Za-z.\-+!]*)$")


def requirement_lines(path: Path) -> list[str]:
    """Non-empty lines of a requirements file, comments removed."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def pins(path: Path) -> dict[str, str]:
    """{normalised name: version} of the ``name==version`` lines (``-r`` lines are skipped)."""
    result = {}
    for line in requirement_lines(path):
        if line.startswith(("-r ", "--requirement")):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned as name==version"
        result[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(3)
    return result


def is_local_reference(line: str) -> bool:
    """Lines that make repo2docker copy the whole repository before installing (like its own check)."""
    if line.startswith(("-r", "-c", "-e", "--requirement", "--constraint", "--editable")):
        return True
    return line.startswith((".", "/", "file:")) or "@ file:" in line


# ------------------------------------------------------------------------------------------
# The binder/ files
# ------------------------------------------------------------------------------------------

def supported_pythons() -> list[str]:
    """["3.11", "3.12", "3.13"]: the range the Makefile checks (PYTHON_MIN .. PYTHON_MAX)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    low, high = (re.search(rf"^{name}\s*:=\s*3\.(\d+)\s*$", makefile, flags=re.M).group(1)
                 for name in ("PYTHON_MIN", "PYTHON_MAX"))
    return [f"3.{minor}" for minor in range(int(low), int(high) + 1)]


def test_runtime_is_a_supported_python():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    assert runtime.removeprefix("python-") in supported_pythons()


def test_the_repository_address_is_a_github_repository():
    assert re.fullmatch(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", REPOSITORY_URL), REPOSITORY_URL


def course_addresses(text: str) -> list[str]:
    """Every place a text points at the course's repository: Binder launch links, nbgitpuller
    ``repo=`` parameters and ``git clone`` commands (URL-encoded links are decoded first)."""
    text = unquote(text)
    found = [f"https://github.com/{m}" for m in re.findall(r"mybinder\.org/v2/gh/([^/\s]+/[^/\s]+)/", text)]
    found += re.findall(r"[?&]repo=(https?://[^&\s)\]\"'<>]+)", text)
    found += re.findall(r"git clone (?:-\S+ )*(https?://\S+?)(?:\.git)?(?=[\s`)]|$)", text, flags=re.M)
    return [address.removesuffix(".git").rstrip("/") for address in found]


def test_every_address_of_the_course_is_the_one_in_pyproject():
    documents = [*sorted(ROOT.glob("README*.md")), ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md")),
                 *sorted((ROOT / "workshop").rglob("*.md")), *sorted((ROOT / "workshop").rglob("*.y*ml"))]
    seen = {}
    for path in documents:
        if path.exists() and "node_modules" not in path.parts:
            for address in course_addresses(path.read_text(encoding="utf-8")):
                seen.setdefault(address, []).append(path.relative_to(ROOT).as_posix())
    assert REPOSITORY_URL in seen, "the README should link the repository"
    assert set(seen) == {REPOSITORY_URL}, f"addresses other than {REPOSITORY_URL} (pyproject.toml): {seen}"


def test_binder_requirements_are_the_root_pins():
    binder, root = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert binder == root, {
        "only in binder/requirements.txt": sorted(set(binder.items()) - set(root.items())),
        "only in requirements.txt": sorted(set(root.items()) - set(binder.items())),
    }


def test_binder_requirements_have_no_local_references():
    local = [line for line in requirement_lines(BINDER / "requirements.txt") if is_local_reference(line)]
    assert local == [], "local references stop Binder from caching the dependency layer"


def test_binder_requirements_hold_no_test_only_tools():
    test_only = set(pins(ROOT / "requirements-dev.txt")) - set(pins(ROOT / "requirements.txt"))
    assert test_only, "requirements-dev.txt should add the test-only tools"
    assert test_only.isdisjoint(pins(BINDER / "requirements.txt"))


def test_postbuild_stops_on_error_and_installs_course_utils_without_resolving():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    lines = [line.strip() for line in post_build.read_text(encoding="utf-8").splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert lines[0].startswith("#!") and "bash" in lines[0]
    assert commands[0] == "set -e"
    installs = [c for c in commands if re.search(r"\bpip install\b", c)]
    assert len(installs) == 1, installs
    assert "--no-deps" in installs[0].split() and installs[0].split()[-1] == "."
    assert not re.search(r"requirements(-dev)?\.txt", " ".join(commands)), "dependencies belong in requirements.txt"


# ------------------------------------------------------------------------------------------
# The README's launch link
# ------------------------------------------------------------------------------------------

def readme_binder_links() -> list[str]:
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    return MYBINDER_LINK.findall(readme.read_text(encoding="utf-8"))


def test_readme_has_the_binder_badge():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\[!\[[^\]]*\]\((https://mybinder\.org/badge_logo\.svg)\)\]\((https://mybinder\.org/v2/gh/[^)]+)\)",
                        text)
    assert badges, f"README.md needs a badge: [![Binder]({BADGE})](https://mybinder.org/v2/gh/...)"


def test_readme_launch_links_open_jupyterlab_at_an_existing_notebook():
    links = readme_binder_links()
    assert links, "README.md has no mybinder.org launch link"
    targets = []
    for link in links:
        url = urlparse(link)
        owner_repo_ref = url.path.removeprefix("/v2/gh/")
        assert owner_repo_ref.startswith(f"{REPOSITORY}/"), link
        assert owner_repo_ref.removeprefix(f"{REPOSITORY}/"), f"{link}: no branch (e.g. HEAD)"
        urlpath = parse_qs(url.query).get("urlpath", [""])[0]
        assert urlpath.startswith("lab/tree/"), f"{link}: urlpath should open JupyterLab (lab/tree/...)"
        target = ROOT / urlpath.removeprefix("lab/tree/")
        assert target.suffix == ".ipynb" and target.is_file(), f"{link}: {target} is not a notebook here"
        targets.append(target.relative_to(ROOT).as_posix())
    assert any(re.fullmatch(r"notebooks/00_[^/]+\.ipynb", t) for t in targets), (
        f"one launch link must open notebook 00, found {targets}")


# ------------------------------------------------------------------------------------------
# Simulated Binder build
# ------------------------------------------------------------------------------------------

#: What repo2docker's base environment for Python 3.11 holds before it installs binder/requirements.txt:
#: its Jupyter packages, as pinned in repo2docker's environment.py-3.11-linux-64.lock (conda-forge,
#: frozen 2025-11-13). ``jupyterhub-singleuser`` there is the ``jupyterhub`` package on PyPI. The simulation
#: installs these first, so that a pin of ours that conflicts with them (notebook 7.4 needs
#: jupyterlab<4.5, for example) shows up in ``pip check`` as it would in Binder's build log.
REPO2DOCKER_BASE = [
    "jupyterlab==4.4.10",
    "notebook==7.4.7",
    "jupyter-server==2.17.0",
    "jupyterhub==5.4.2",
    "jupyter-resource-usage==1.2.0",
    "jupyter-offlinenotebook==0.3.2",
    "jupyterlab-myst==2.4.2",
    "ipywidgets==8.1.8",
    "ipykernel==7.1.0",
]


def binder_python() -> tuple[str, str]:
    """An interpreter for binder/runtime.txt's version, and a note when only another one is found."""
    wanted = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip().removeprefix("python-")
    if f"{sys.version_info.major}.{sys.version_info.minor}" == wanted:
        return sys.executable, ""
    found = shutil.which(f"python{wanted}")
    if found and subprocess.run([found, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                capture_output=True, text=True).stdout.strip() == wanted:
        return found, ""
    return sys.executable, (f"python{wanted} (binder/runtime.txt) is not installed here; the simulation used "
                            f"Python {sys.version_info.major}.{sys.version_info.minor}")


#: Never copied into the simulated checkout: not part of a fresh clone.
NOT_IN_A_CLONE = (".git", ".venv", "artifacts", "build", "*.egg-info", "__pycache__", ".ipynb_checkpoints",
                  ".pytest_cache", ".hypothesis", ".virtual_documents")


def copy_checkout(destination: Path) -> Path:
    """What Binder clones: the files git would push (tracked, or new and not ignored)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*NOT_IN_A_CLONE))
        return destination
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def clean_env(venv: Path, home: Path) -> dict[str, str]:
    """The environment Binder's build would see: the new venv first on PATH, nothing inherited
    that could leak the project's own environment, Jupyter/IPython/matplotlib state in ``home``.
    pip's cache is kept so repeated runs are fast."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "PYTHON", "VIRTUAL_ENV", "JUPYTER", "IPYTHON", "MPL", "CONDA"))}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "/usr/bin:/bin")])
    env["VIRTUAL_ENV"] = str(venv)
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PIP_NO_INPUT"] = "1"
    for name, folder in {"JUPYTER_CONFIG_DIR": "jupyter_config", "JUPYTER_DATA_DIR": "jupyter_data",
                         "JUPYTER_RUNTIME_DIR": "jupyter_runtime", "IPYTHONDIR": "ipython",
                         "MPLCONFIGDIR": "matplotlib"}.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float, what: str,
        timings: dict[str, float]) -> str:
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    timings[what] = time.monotonic() - start
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{what} failed ({' '.join(command)}):\n{output[-6000:]}"
    return output


@pytest.mark.binder
@pytest.mark.slow
def test_a_fresh_binder_environment_runs_every_notebook(tmp_path):
    timings: dict[str, float] = {}
    checkout = copy_checkout(tmp_path / "repo")
    venv = tmp_path / "venv"
    env = clean_env(venv, tmp_path / "home")
    python = str(venv / "bin" / "python")

    interpreter, note = binder_python()
    run([interpreter, "-m", "venv", str(venv)], tmp_path, env, 120, "create venv", timings)
    version = subprocess.run([python, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"],
                             capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert version in supported_pythons()

    # repo2docker: its base environment (Jupyter packages included) ...
    # (--no-compile only saves time here: Python compiles what the notebooks import anyway.)
    run([python, "-m", "pip", "install", "-q", "--no-compile", *REPO2DOCKER_BASE],
        tmp_path, env, 1800, "pip install repo2docker's base packages", timings)
    # ... then binder/requirements.txt (before the repository is copied) ...
    run([python, "-m", "pip", "install", "-q", "--no-compile", "-r", str(checkout / "binder" / "requirements.txt")],
        tmp_path, env, 1800, "pip install -r binder/requirements.txt", timings)
    # ... then binder/postBuild from the repository root.
    run(["./binder/postBuild"], checkout, env, 600, "binder/postBuild", timings)

    # Binder's build log shows pip's conflicts; here they fail the test.
    run([python, "-m", "pip", "check"], tmp_path, env, 120, "pip check", timings)
    installed = run([python, "-m", "pip", "list", "--format=json"], tmp_path, env, 120, "pip list", timings)
    versions = {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in json.loads(installed)}
    for name, pinned in pins(BINDER / "requirements.txt").items():
        assert versions.get(name) == pinned, f"{name}: Binder would run {versions.get(name)}, we pin {pinned}"
    settings = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert settings.is_file(), "postBuild should install binder/overrides.json for JupyterLab"
    assert json.loads(settings.read_text()) == json.loads((BINDER / "overrides.json").read_text())
    leftovers = sorted(p.name for p in checkout.iterdir() if p.name == "build" or p.name.endswith(".egg-info"))
    assert leftovers == [], f"build artefacts in the learner's file browser: {leftovers}"
    notebooks = checkout / "notebooks"
    where = run([python, "-c", "import course_utils; print(course_utils.__file__)"], notebooks, env, 60,
                "import course_utils", timings).strip()
    assert Path(where).is_relative_to(venv), f"course_utils should be installed in the venv, got {where}"
    # (Binder's base packages, jupyterhub among them, are there whatever we pin for our tests.)
    base = {re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in REPO2DOCKER_BASE}
    test_only = sorted(set(pins(ROOT / "requirements-dev.txt")) - set(pins(ROOT / "requirements.txt")) - base)
    absent = run([python, "-c", "import importlib.metadata as m, sys\n"
                  "for name in sys.argv[1:]:\n"
                  "    try: m.version(name); print(name)\n"
                  "    except m.PackageNotFoundError: pass", *test_only],
                 tmp_path, env, 60, "look for test-only tools", timings)
    assert absent.split() == [], "Binder must not install the test-only tools"

    # What CI checks, inside the Binder environment: strict nbval over every notebook of every edition.
    output = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks", "--nbval",
                  "--nbval-current-env", "--nbval-sanitize-with", "tests/sanitize.cfg"],
                 checkout, env, 1800, "nbval in the Binder environment", timings)
    code_cells = sum(sum(1 for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
                         if cell["cell_type"] == "code")
                     for path in notebooks.glob("**/[0-9][0-9]_*.ipynb"))  # English, Korean, Japanese
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) == code_cells, (
        f"nbval should check all {code_cells} code cells:\n{output[-3000:]}")

    summary = ", ".join(f"{what} {seconds:.1f} s" for what, seconds in timings.items())
    print(f"\nBinder simulation (Python {version}): {summary}" + (f"\nNote: {note}" if note else ""))
