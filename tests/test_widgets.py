"""The explorers' pictures (course_utils/widgets.py): how they are encoded and how large they are."""

import io

import numpy as np
import pytest
from PIL import Image

from course_utils import widgets


def _decoded(data: bytes) -> np.ndarray:
    picture = Image.open(io.BytesIO(data))
    picture.load()  # decodes every row and checks the CRCs and zlib's checksum
    assert picture.format == "PNG" and picture.mode == "RGB"
    return np.asarray(picture)


@pytest.mark.parametrize("channels", [3, 4])
def test_a_png_without_row_filters_holds_exactly_the_pixels(channels):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(7, 5, channels), dtype=np.uint8)  # odd sizes, every byte value
    decoded = _decoded(widgets._png_without_row_filters(pixels))
    assert decoded.shape == (7, 5, 3)
    assert np.array_equal(decoded, pixels[:, :, :3])  # the alpha channel is dropped, nothing else changes


def test_the_graph_explorer_sends_the_picture_it_draws():
    explorer = widgets.BackpropExplorer(x=-2.3, dout=0.7)
    canvas = np.asarray(explorer.figure.canvas.buffer_rgba())
    assert np.array_equal(_decoded(bytes(explorer.image.value)), canvas[:, :, :3])


def test_the_graph_explorer_has_fewer_pixels_at_the_same_size_on_the_page():
    explorer = widgets.BackpropExplorer()
    width, height = Image.open(io.BytesIO(bytes(explorer.image.value))).size
    assert explorer.image.layout.width == "880px"  # 11 inches at 80 CSS pixels per inch, as before
    assert (width, height) == (1100, 400)  # 1.25 pixels per CSS pixel
    neuron = widgets.NeuronExplorer()
    assert Image.open(io.BytesIO(bytes(neuron.image.value))).size == (768, 432)  # 512 CSS pixels: the others keep 1.5


def test_the_graph_explorer_title_starts_with_the_inputs_and_keeps_the_colour_key():
    explorer = widgets.BackpropExplorer(x=-2.5, dout=0.5)
    first, *key = explorer.ax.get_title().split("\n")
    assert first == "x = \u22122.5, \u2202L/\u2202y = 0.5"
    assert key == ["blue: forward values (left to right) · red: backward values ∂L/∂(edge) (right to left)",
                   "each red number = the red number to its right × the black local derivative below it"]
    explorer.controls["dout"].value = -1.2
    assert explorer.ax.get_title().split("\n")[0] == "x = \u22122.5, \u2202L/\u2202y = \u22121.2"


def test_the_graph_explorer_colour_key_is_the_one_of_the_static_graph():
    import matplotlib.pyplot as plt

    from course_utils import plotting

    ax = plotting.plot_sigmoid_graph(x=-2.5, dout=0.5)
    explorer = widgets.BackpropExplorer(x=-2.5, dout=0.5)
    assert explorer.ax.get_title().split("\n")[1:] == ax.get_title().split("\n")[1:]
    plt.close(ax.figure)
