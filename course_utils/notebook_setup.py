"""One call at the top of every notebook: seeds, print options and the plot style."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np

from .plotting import PALETTE

__all__ = ["setup", "SEED"]

#: The course's default seed. Every notebook draws from ``setup()``'s generator.
SEED = 0


def setup(seed: int = SEED) -> np.random.Generator:
    """Prepare a notebook and return a seeded random generator.

    * seeds NumPy's legacy global generator too (for code copied from old tutorials);
    * keeps NumPy's default 8-digit array printing, but prints scalars as ``0.5``
      rather than NumPy 2's ``np.float64(0.5)``;
    * sets a clear matplotlib style: size, grid, the colour-blind-safe palette.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(seed)``. Use it for every random draw.
    """
    np.random.seed(seed)
    np.set_printoptions(legacy="1.25")
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.35,
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )
    return np.random.default_rng(seed)
