"""One call at the top of every notebook: the language, seeds, print options, the plot style and a version check."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import matplotlib as mpl
import numpy as np

from . import i18n
from .i18n import _
from .plotting import PALETTE

__all__ = ["setup", "SEED", "course_version_notice"]

#: The course's default seed. Every notebook draws from ``setup()``'s generator.
SEED = 0

#: Figures are laid out at this many dots per inch: it sets their size on the page.
FIGURE_DPI = 80


def setup(seed: int = SEED, lang: str | None = None) -> np.random.Generator:
    """Prepare a notebook and return a seeded random generator.

    * with ``lang``, first shows ``course_utils``' messages in that language from now on
      (``"en"``, ``"ko"`` or ``"ja"``; see :func:`course_utils.i18n.set_language`): checker
      verdicts, errors, figure titles and the version notice below. The Korean and Japanese
      notebooks start with ``cu.setup(lang="ko")`` or ``cu.setup(lang="ja")``. Without ``lang``
      the language stays what it was (English unless ``set_language`` was called);
    * seeds NumPy's legacy global generator too (for code copied from old tutorials);
    * keeps NumPy's default 8-digit array printing, but prints scalars as ``0.5``
      rather than NumPy 2's ``np.float64(0.5)``;
    * sets a clear matplotlib style: size, grid, the colour-blind-safe palette;
    * in Jupyter, shows figures as "retina" PNGs: twice the pixels in each direction at
      the same size on the page, so they stay sharp on high-density screens and projectors;
    * prints one sentence if the notebooks and the ``course_utils`` that the kernel
      imports come from different versions of the course (see :func:`course_version_notice`).

    Parameters
    ----------
    seed : int
        The seed of the returned generator and of NumPy's global one. Default :data:`SEED`.
    lang : str, optional
        A key of :data:`course_utils.i18n.LANGUAGES`. It is set before anything else, so that the
        figures get a font for its script and the version notice is in that language.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(seed)``. Use it for every random draw.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the course's languages (nothing is changed then).
    """
    if lang is not None:
        i18n.set_language(lang)  # first: the notice below, and figures, use the language
    np.random.seed(seed)
    np.set_printoptions(legacy="1.25")
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": FIGURE_DPI,
            "axes.grid": True,
            "grid.alpha": 0.35,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )
    _show_sharp_figures()
    notice = course_version_notice()
    if notice:
        print(notice)
    return np.random.default_rng(seed)


def _show_sharp_figures() -> None:
    """In IPython, the same as ``%config InlineBackend.figure_formats = {"retina"}``; elsewhere nothing."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend
    except ImportError:  # plain Python: no inline figures to configure
        return
    shell = get_ipython()
    if shell is None:
        return
    InlineBackend.instance(parent=shell).figure_formats = {"retina"}


# --------------------------------------------------------------------------- version check
def _project_version(pyproject: Path) -> str | None:
    """The ``version`` of ``pyproject`` if it describes course_utils; otherwise None."""
    text = pyproject.read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11 and newer
    except ImportError:  # Python 3.10: read the two lines we need from the [project] table
        project = text.split("[project]", 1)[-1].split("\n[", 1)[0]
        name = re.search(r'^name\s*=\s*"([^"]*)"', project, flags=re.M)
        version = re.search(r'^version\s*=\s*"([^"]*)"', project, flags=re.M)
        if name and version and name.group(1) == "course_utils":
            return version.group(1)
        return None
    project = tomllib.loads(text).get("project", {})
    return project.get("version") if project.get("name") == "course_utils" else None


def _find_course_checkout(start: Path) -> tuple[Path, str] | None:
    """The nearest folder at or above ``start`` whose pyproject.toml is course_utils's, with its version."""
    for folder in [start, *start.parents]:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            version = _project_version(pyproject)
            if version:
                return folder, version
    return None


def _imported_version(package_dir: Path) -> str:
    """The version of the course_utils package in ``package_dir`` (the one the kernel imported).

    From a checkout (an editable install or a folder on ``sys.path``), the checkout's
    pyproject.toml says it; from an installed copy, the installed package's metadata.
    """
    found = _find_course_checkout(package_dir.parent)
    if found and found[0] == package_dir.parent:
        return found[1]
    try:
        return importlib.metadata.version("course_utils")
    except importlib.metadata.PackageNotFoundError:
        from . import __version__

        return __version__


def _version_key(version: str) -> tuple[int, ...]:
    """``"1.10.2"`` -> ``(1, 10, 2)``, so that versions compare as numbers, not as text."""
    return tuple(int(part) for part in re.findall(r"\d+", version))


def course_version_notice(start: str | Path | None = None) -> str | None:
    """One plain sentence if the notebooks and the imported ``course_utils`` are different versions.

    The notebooks' version is that of the course checkout that holds the working
    directory (``start``): the nearest ``pyproject.toml`` at or above it that describes
    ``course_utils``. It differs from the imported package's version when, for example,
    a JupyterHub installed ``course_utils`` once (not in editable mode) and the learner
    has since pulled a newer course: the notebooks then call code that their kernel
    does not have.

    Returns None (nothing to say) when the versions agree, when ``course_utils`` is
    imported from that same checkout, or when no checkout is found. Never raises.
    """
    try:
        start = Path.cwd() if start is None else Path(start)
        found = _find_course_checkout(start.resolve())
        if found is None:
            return None
        checkout, notebooks_version = found
        package_dir = Path(__file__).resolve().parent
        if package_dir.parent == checkout.resolve():
            return None
        library_version = _imported_version(package_dir)
        if _version_key(notebooks_version) == _version_key(library_version):
            return None
        # Each case is one whole sentence to translate; the fix (the %pip line) is written in both.
        if _version_key(notebooks_version) > _version_key(library_version):
            notice = _("Note: these notebooks are from course version {notebooks_version}, but your kernel imports "
                       "the older course_utils {library_version} (from {package_dir}), so some cells may fail; "
                       "to update it, run `%pip install --no-deps -e \"{checkout}\"` in a cell, then restart the "
                       "kernel (Kernel > Restart Kernel).")
        else:
            notice = _("Note: these notebooks are from course version {notebooks_version}, but your kernel imports "
                       "the newer course_utils {library_version} (from {package_dir}), so some cells may not match; "
                       "get the latest notebooks (for example with your instructor's course link), or run "
                       "`%pip install --no-deps -e \"{checkout}\"` in a cell, then restart the kernel "
                       "(Kernel > Restart Kernel).")
        return notice.format(notebooks_version=notebooks_version, library_version=library_version,
                             package_dir=package_dir, checkout=checkout)
    except Exception:  # a notice must never stop the first cell
        return None
