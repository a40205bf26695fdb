#!/usr/bin/env python
"""Build the nbgitpuller link that gives every learner on a JupyterHub their own copy of the course.

Usage::

    python workshop/make_link.py --hub https://hub.example.org
    python workshop/make_link.py --hub https://hub.example.org --notebook notebooks/02_sigmoid.ipynb
    python workshop/make_link.py --hub http://127.0.0.1:8000 --repo file:///srv/course/activation-functions.git

The first click clones the repository into the learner's home; later clicks pull the instructor's
updates and merge them with the learner's saved work (see ``workshop/README.md`` for what the merge
keeps and what it drops). Then JupyterLab opens ``--notebook`` in the pulled folder.

The folder is named the way nbgitpuller names it: after the last part of the repository URL, a
``.git`` suffix included (``.../activation-functions.git`` -> ``activation-functions.git/``).
``urlpath`` must name that folder, or JupyterLab opens a missing file.

The repository's public address is read from ``[project.urls] Repository`` in ``pyproject.toml``,
the one place the project keeps it.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"

#: The notebook a learner lands on.
FIRST_NOTEBOOK = "notebooks/00_welcome.ipynb"
DEFAULT_BRANCH = "main"


def repository_url(pyproject: Path = PYPROJECT) -> str:
    """The course's public git address, from ``[project.urls] Repository`` in ``pyproject.toml``.

    Raises
    ------
    KeyError
        If ``pyproject.toml`` has no ``Repository`` entry under ``[project.urls]``.
    """
    with pyproject.open("rb") as file:
        urls = tomllib.load(file).get("project", {}).get("urls", {})
    if "Repository" not in urls:
        raise KeyError(f"{pyproject} has no [project.urls] Repository entry; pass --repo")
    return urls["Repository"]


def course_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into, relative to the learner's home.

    nbgitpuller takes the last part of the URL, trailing slashes removed, and keeps a ``.git``
    suffix: ``https://github.com/org/course`` -> ``course``;
    ``file:///srv/course.git`` -> ``course.git``.

    Raises
    ------
    ValueError
        If ``repo`` has no last part to name a folder after (``""``, ``"/"``).
    """
    folder = repo.rstrip("/").split("/")[-1]
    if folder in ("", ".", ".."):
        raise ValueError(f"repo={repo!r} does not end in a folder name")
    return folder


def pull_path(repo: str, branch: str = DEFAULT_BRANCH, notebook: str = FIRST_NOTEBOOK) -> str:
    """The part of the link inside a learner's server: ``/git-pull?repo=...&branch=...&urlpath=...``.

    It is also each server's default URL (``workshop/jupyterhub_config.py``, ``z2jh/config.yaml``),
    so a learner who logs in without the link gets the course too.

    Raises
    ------
    ValueError
        If ``notebook`` is not a relative path inside the repository.
    """
    if notebook.startswith("/") or ".." in Path(notebook).parts:
        raise ValueError(f"notebook={notebook!r} must be a path inside the repository, such as {FIRST_NOTEBOOK}")
    urlpath = f"lab/tree/{course_folder(repo)}/{notebook}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath}, quote_via=quote, safe="")
    return f"/git-pull?{query}"


def pull_link(hub: str, repo: str, branch: str = DEFAULT_BRANCH, notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller link: ``<hub>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=...``.

    Parameters
    ----------
    hub : str
        The hub's public address, such as ``https://hub.example.org`` (``http`` or ``https``).
    repo : str
        The git address learners' servers clone from.
    branch : str
        The branch to pull.
    notebook : str
        The file JupyterLab opens, relative to the repository root.

    Raises
    ------
    ValueError
        If ``hub`` is not an http(s) address or ``notebook`` is not a relative path.
    """
    parts = urlsplit(hub)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"hub={hub!r} must be an http:// or https:// address, such as https://hub.example.org")
    return f"{hub.rstrip('/')}/hub/user-redirect{pull_path(repo, branch, notebook)}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub", required=True, help="the hub's public address, e.g. https://hub.example.org")
    parser.add_argument("--repo", default=None,
                        help="git address to pull from (default: [project.urls] Repository in pyproject.toml)")
    parser.add_argument("--branch", default=DEFAULT_BRANCH, help=f"branch to pull (default: {DEFAULT_BRANCH})")
    parser.add_argument("--notebook", default=FIRST_NOTEBOOK,
                        help=f"file to open, relative to the repository (default: {FIRST_NOTEBOOK})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        repo = args.repo if args.repo is not None else repository_url()
        print(pull_link(args.hub, repo, args.branch, args.notebook))
    except (KeyError, ValueError) as error:
        print(f"make_link.py: {error.args[0]}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
