"""Draw the course's preview figure (the README's picture): every activation and its derivative.

    python -m course_utils.preview docs/activations_preview.png     (what `make preview` runs)
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np

from .notebook_setup import setup
from .activations import ACTIVATIONS
from .plotting import activation_names, plot_activation

#: Pixels per inch of the saved PNG: sharp on a high-density screen when the README shows
#: the 13-inch-wide figure at about 1000 pixels.
PREVIEW_DPI = 150


def save_preview(path: str) -> None:
    """One small panel per activation (solid) with its derivative (dashed), saved as a PNG."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    setup()
    figure, axes = plt.subplots(2, 4, figsize=(13, 5.6), sharex=True)
    x = np.linspace(-4, 4, 801)
    for ax, name in zip(axes.ravel(), activation_names()):
        plot_activation(name, x, ax=ax)
        entry = ACTIVATIONS[name]
        ax.set_title(f"{name} (α = {entry.default_alpha:g})" if entry.has_alpha else name)
        ax.set_ylim(-1.5, 2.5)
        ax.legend(loc="upper left", fontsize="small")
    figure.suptitle("The activation functions of this course (solid) and their derivatives (dashed); "
                    "at a jump, ● is the value used and ○ the limit not taken")
    figure.tight_layout()
    figure.savefig(path, dpi=PREVIEW_DPI, pil_kwargs={"optimize": True})
    plt.close(figure)


if __name__ == "__main__":
    save_preview(sys.argv[1] if len(sys.argv) > 1 else "docs/activations_preview.png")
