#!/usr/bin/env python
"""Install the course's JupyterLab settings (``binder/overrides.json``) into a Python environment.

Usage::

    python workshop/install_overrides.py                  # the environment of this Python
    python workshop/install_overrides.py --prefix /srv/learners-env
    python workshop/install_overrides.py --check          # exit 1 if missing or out of date

``binder/overrides.json`` is the one place the course keeps these settings: no news pop-up
("Would you like to get notified about official Jupyter news?"), no update check, and no widget
state written into the notebooks. JupyterLab reads them as the defaults of every user of an
environment from ``<prefix>/share/jupyter/lab/settings/overrides.json``; a learner's own changes in
the Settings editor still win.

Who installs it where:

* Binder and the learners' image for Zero to JupyterHub: ``binder/postBuild`` (repo2docker);
* ``make lab``: the Makefile, into ``.venv``;
* the class hub on one machine: ``workshop/jupyterhub_config.py`` calls :func:`install_overrides`
  for the environment its learners' servers run in, every time the hub starts.

An ``overrides.json`` already in that place is replaced (as ``postBuild`` and ``make lab`` do).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The course's JupyterLab settings: the file Binder uses, read from here by every other path.
OVERRIDES = ROOT / "binder" / "overrides.json"


def overrides_path(prefix: str | os.PathLike = sys.prefix) -> Path:
    """Where JupyterLab, installed in the environment ``prefix``, reads its settings overrides.

    JupyterLab's application settings folder is ``<prefix>/share/jupyter/lab/settings`` (shown as
    "Application Settings" by ``jupyter lab path``, and as ``appSettingsDir`` in the page of every
    JupyterLab it serves).
    """
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def read_overrides(source: Path = OVERRIDES) -> bytes:
    """The bytes of ``source``, after checking it is a JSON object of settings per plugin.

    Raises
    ------
    ValueError
        If ``source`` is not valid JSON, or not an object whose values are objects. JupyterLab
        would only log a warning and drop every override, and learners would see the pop-up again.
    """
    content = source.read_bytes()
    try:
        settings = json.loads(content)
    except json.JSONDecodeError as error:
        raise ValueError(f"source={str(source)!r} is not valid JSON: {error}") from error
    if not isinstance(settings, dict) or not all(isinstance(value, dict) for value in settings.values()):
        raise ValueError(f"source={str(source)!r} must map plugin ids to objects of settings")
    return content


def is_installed(prefix: str | os.PathLike = sys.prefix, source: Path = OVERRIDES) -> bool:
    """True if the environment ``prefix`` holds exactly the settings of ``source``."""
    target = overrides_path(prefix)
    return target.is_file() and target.read_bytes() == read_overrides(source)


def install_overrides(prefix: str | os.PathLike = sys.prefix, source: Path = OVERRIDES) -> bool:
    """Copy ``source`` to :func:`overrides_path` of ``prefix``; returns True if the file was written.

    Nothing is written when the installed file already has the same bytes, so a hub whose
    environment is read-only starts as long as the settings there are current. The new file
    replaces the old one in a single step (a temporary file, then ``os.replace``): a JupyterLab
    starting at that moment reads either the old settings or the new ones, never half a file.

    Raises
    ------
    ValueError
        If ``source`` is not a valid settings file (see :func:`read_overrides`).
    OSError
        If the settings folder of ``prefix`` cannot be written.
    """
    content = read_overrides(source)
    target = overrides_path(prefix)
    if target.is_file() and target.read_bytes() == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--prefix", default=sys.prefix,
                        help="the Python environment whose JupyterLab gets the settings (default: this Python's)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit with 1 if the settings there are missing or out of date")
    args = parser.parse_args(argv)
    target = overrides_path(args.prefix)
    if args.check:
        if is_installed(args.prefix):
            print(f"{target}: the course's settings are installed")
            return 0
        print(f"{target}: missing or out of date; run: {sys.executable} {Path(__file__)} --prefix {args.prefix}")
        return 1
    written = install_overrides(args.prefix)
    print(f"{target}: {'installed from' if written else 'already the same as'} {OVERRIDES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
