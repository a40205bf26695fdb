"""Build a course notebook from cells, then execute it top to bottom (what nbval will compare).

Used by maintainers' builder scripts; learners never need it::

    from nbbuild import md, code, build
    build("notebooks/01_threshold.ipynb", [md("# Title ..."), code("import numpy as np"), ...])

* Every notebook gets the same kernel metadata (``python3``).
* Every cell gets slide metadata, so the notebook can be presented as slides (RISE live,
  ``tools/make_deck.py`` offline): a markdown cell starting with ``# `` or ``## `` opens a new
  slide and ``### `` a sub-slide, always; a markdown cell starting with ``**Speaker notes`` is
  a speaker note (``notes``); the set-up cell (the one that calls ``cu.setup()``) and cells of
  only ``%`` magics are ``skip``; everything else continues the current slide. A cell that
  already has slide metadata keeps it (a re-run never loses a ``fragment``, ``notes`` or
  ``skip`` set by hand), except that a heading cell always opens its slide.
* A section heading must start its own markdown cell; a heading in the middle of a cell
  would merge two sections into one slide, so it stops the build.
* Execution uses a fresh kernel with ``notebooks/`` as the working directory, so the
  stored outputs are exactly those of "restart kernel, run all". Any error stops the build,
  except in a cell tagged ``raises-exception``.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip("\n"))


def code(text: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(textwrap.dedent(text).strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


SPEAKER_NOTES_PREFIX = "**Speaker notes"


def heading_slide_type(cell: nbformat.NotebookNode) -> str | None:
    """``"slide"`` for a ``#``/``##`` heading cell, ``"subslide"`` for ``###``, else None."""
    if cell.cell_type != "markdown":
        return None
    first = cell.source.lstrip().split("\n", 1)[0]
    if first.startswith(("# ", "## ")):
        return "slide"
    if first.startswith("### "):
        return "subslide"
    return None


def is_plumbing(cell: nbformat.NotebookNode) -> bool:
    """True for the set-up cell (it calls ``cu.setup()``) and for cells of only ``%`` magics."""
    if cell.cell_type != "code":
        return False
    lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
    if not lines:
        return False
    if all(line.startswith("%") for line in lines):
        return True
    return any(line.startswith("rng = cu.setup(") for line in lines)


def slide_type(cell: nbformat.NotebookNode) -> str:
    """The slide type a cell gets when it has none yet (see the module docstring)."""
    heading = heading_slide_type(cell)
    if heading:
        return heading
    if cell.cell_type == "markdown" and cell.source.lstrip().startswith(SPEAKER_NOTES_PREFIX):
        return "notes"
    if is_plumbing(cell):
        return "skip"
    return "-"


def headings_inside(cell: nbformat.NotebookNode) -> list[str]:
    """Heading lines (``#`` to ``###``) after the first line of a markdown cell, outside code fences."""
    if cell.cell_type != "markdown":
        return []
    found, in_fence = [], False
    for line in cell.source.lstrip().splitlines()[1:]:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and line.startswith(("# ", "## ", "### ")):
            found.append(line)
    return found


def assign_slide_metadata(cells: list[nbformat.NotebookNode]) -> None:
    """Give every cell its slide type; keep what is already set, except on heading cells."""
    for index, cell in enumerate(cells):
        inside = headings_inside(cell)
        if inside:
            raise ValueError(f"cell {index}: heading {inside[0]!r} is inside a markdown cell; "
                             "start a new cell at it, so that it opens its own slide")
        slideshow = cell.metadata.setdefault("slideshow", {})
        heading = heading_slide_type(cell)
        if heading:
            slideshow["slide_type"] = heading
        else:
            slideshow.setdefault("slide_type", slide_type(cell))


def build(path: str | Path, cells: list[nbformat.NotebookNode], execute: bool = True, timeout: int = 120) -> Path:
    path = Path(path)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    assign_slide_metadata(cells)
    nb.cells = cells
    if execute:
        # A build is not a learner: the kernel must not append verdict records (course_utils.progress).
        os.environ["COURSE_PROGRESS"] = "off"
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent.resolve())}})
        client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps would make every rebuild a diff
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


def rerun(path: str | Path) -> Path:
    """Re-execute an existing notebook in place (restart + run all)."""
    nb = nbformat.read(path, as_version=4)
    return build(path, nb.cells)


if __name__ == "__main__":  # python tools/nbbuild.py notebooks/*.ipynb  -> re-execute them
    for name in sys.argv[1:]:
        print("executing", rerun(name))
