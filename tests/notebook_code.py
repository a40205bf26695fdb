"""Read notebooks as data in tests: their cells, tags and from-scratch code."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def read(name: str) -> nbformat.NotebookNode:
    """Read a notebook by file name or by its two-digit prefix ("02")."""
    matches = [p for p in notebook_paths() if p.name == name or p.name.startswith(f"{name}_")]
    if len(matches) != 1:
        raise FileNotFoundError(f"expected one notebook matching {name!r}, found {[p.name for p in matches]}")
    return nbformat.read(matches[0], as_version=4)


def tagged_code(name: str, tag: str = "scratch") -> dict:
    """Execute, in order, the code cells tagged ``tag`` and return their namespace.

    Notebooks tag the cells that implement something from scratch with ``scratch``,
    so tests can compare the learner-visible code with ``course_utils``.
    """
    namespace: dict = {"__name__": f"notebook_{name}", "np": np}
    cells = [c for c in read(name).cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]
    if not cells:
        raise LookupError(f"notebook {name} has no code cell tagged {tag!r}")
    for cell in cells:
        exec(compile(cell.source, f"<{name} cell>", "exec"), namespace)
    return namespace


def stored_text(name: str) -> str:
    """All stored text outputs of a notebook (for "the example appears exactly" tests).

    Within a cell the chunks are joined as they were printed (the kernel may split one
    print into several stream messages); cells are separated by a newline.
    """
    cells = []
    for cell in read(name).cells:
        chunks = []
        for out in cell.get("outputs", []):
            if "text" in out:
                chunks.append(out["text"])
            chunks.extend(v for k, v in out.get("data", {}).items() if k == "text/plain")
        cells.append("".join(chunks))
    return "\n".join(cells)
