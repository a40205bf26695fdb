"""Build a course notebook from cells, then execute it top to bottom (what nbval will compare).

Used by maintainers' builder scripts; learners never need it::

    from nbbuild import md, code, build
    build("notebooks/01_threshold.ipynb", [md("# Title ..."), code("import numpy as np"), ...])

* Every notebook gets the same kernel metadata (``python3``).
* Every cell gets slide metadata, so the notebook can be presented as slides:
  a markdown cell starting with ``# `` or ``## `` opens a new slide, ``### `` a sub-slide,
  and everything else continues the current slide.
* Execution uses a fresh kernel with ``notebooks/`` as the working directory, so the
  stored outputs are exactly those of "restart kernel, run all". Any error stops the build,
  except in a cell tagged ``raises-exception``.
"""

from __future__ import annotations

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


def slide_type(cell: nbformat.NotebookNode) -> str:
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def build(path: str | Path, cells: list[nbformat.NotebookNode], execute: bool = True, timeout: int = 120) -> Path:
    path = Path(path)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    for cell in cells:
        cell.metadata.setdefault("slideshow", {"slide_type": slide_type(cell)})
    nb.cells = cells
    if execute:
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
