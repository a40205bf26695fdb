"""Download every wheel the course needs into one folder, for a venue with no internet.

    make wheelhouse                                   # or: .venv/bin/python tools/wheelhouse.py
    make wheelhouse WHEEL_ARGS="--platform win_amd64 --python-version 3.12"   # for other laptops

The folder (``wheelhouse/`` by default) gets:

* every package pinned in ``requirements.txt``, with all the packages they depend on;
* the build backend named in ``pyproject.toml`` (``[build-system] requires``), because
  ``pip install -e .`` builds ``course_utils`` and would otherwise fetch it from the internet.

Only wheels are downloaded (``--only-binary=:all:``), never source archives, so nothing needs
a compiler on the learner's laptop. Without ``WHEEL_ARGS`` they are for the platform and Python
that run this script; add ``--platform`` and ``--python-version`` (pip's own options) to download
for learners on other systems: run it once per combination into the same folder.

Copy the folder next to the course (a USB stick will do), then, with no network::

    python3 -m venv .venv
    .venv/bin/python -m pip install --no-index --find-links wheelhouse -r requirements.txt
    .venv/bin/python -m pip install --no-index --find-links wheelhouse --no-deps -e .

The folder holds a ``.gitignore`` that ignores everything in it, so git never commits the wheels.
``tests/test_instructor_guide.py`` runs the download and the offline install for real.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The build backend's requirements, as written in pyproject.toml (e.g. ``flit_core>=3.12,<5``)."""
    with pyproject.open("rb") as handle:
        return list(tomllib.load(handle)["build-system"]["requires"])


def download_command(dest: Path, extra: list[str]) -> list[str]:
    """The ``pip download`` call that fills ``dest`` with wheels only."""
    return [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:",
            "--dest", str(dest), "-r", str(ROOT / "requirements.txt"), *build_requirements(), *extra]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/wheelhouse.py", description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "wheelhouse", help="the folder (default: wheelhouse/)")
    parser.add_argument("--pip-args", default="", help='extra pip download options, e.g. "--platform win_amd64 '
                                                      '--python-version 3.12"')
    options = parser.parse_args(argv)
    dest = options.dest.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    (dest / ".gitignore").write_text("# Downloaded wheels (make wheelhouse): never committed.\n*\n", encoding="utf-8")

    result = subprocess.run(download_command(dest, shlex.split(options.pip_args)))
    if result.returncode != 0:
        print("pip could not download every wheel (see above). A package without a wheel for this platform "
              "cannot go into the wheelhouse; nothing else was changed.", file=sys.stderr)
        return result.returncode

    wheels = sorted(dest.glob("*.whl"))
    size_mb = sum(w.stat().st_size for w in wheels) / 1e6
    try:
        shown = dest.relative_to(Path.cwd())
    except ValueError:
        shown = dest
    print(f"\n{len(wheels)} wheels, {size_mb:.0f} MB, in {shown}/. Offline install (no network needed):")
    print("  python3 -m venv .venv")
    print(f"  .venv/bin/python -m pip install --no-index --find-links {shown} -r requirements.txt")
    print(f"  .venv/bin/python -m pip install --no-index --find-links {shown} --no-deps -e .")
    return 0


if __name__ == "__main__":
    sys.exit(main())
