"""Offline slide decks: one self-contained HTML file per notebook, for a room with no network.

    python tools/make_deck.py notebooks/*.ipynb               # writes artifacts/slides/NN_name.slides.html
    python tools/make_deck.py notebooks/02_sigmoid.ipynb --out docs/slides

(``make slides`` runs the first line.) Each deck is ``jupyter nbconvert --to slides`` (reveal.js) with
the course's template (``tools/deck/template/course_slides``), which differs from nbconvert's own
in one way: nothing is loaded from the internet. nbconvert's default deck loads reveal.js, MathJax,
jQuery and RequireJS from CDNs; this one inlines pinned copies of reveal.js 4.6.1 and MathJax 3.2.2
(SVG output, so no font files) from ``tools/deck/vendor/``, and the plots are embedded as base64
PNGs, so the one HTML file opens from a USB stick with the network off.

In the deck: arrow keys or space to move, ``S`` for the speaker view with the speaker notes, ``F``
for full screen, ``Esc`` for an overview of all slides. Widgets need a running kernel, so the deck
shows a one-line note where a notebook has one; present live with RISE to use them. The slides are
laid out for a 1280 x 720 screen and scaled to fit any other.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from nbconvert.exporters import SlidesExporter

HERE = Path(__file__).resolve().parent
TEMPLATE_DIR = HERE / "deck" / "template"
REVEAL_DIR = HERE / "deck" / "vendor" / "reveal.js-4.6.1"
MATHJAX_FILE = HERE / "deck" / "vendor" / "mathjax-3.2.2" / "tex-svg-full.js"

#: The slide size the decks are laid out for (reveal.js scales it to the screen).
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720

# nbconvert writes these two <link> tags with reveal_url_prefix in front; we swap them for inline CSS.
URL_PLACEHOLDER = "deck-inline"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="deck-widget-note">Live widget: run this notebook in JupyterLab '
               '(or present it with RISE) to use it.</p>')


def read_asset(path: Path) -> str:
    """A vendored file as text, without its source-map comment (the map is not shipped)."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)


def deck_resources() -> dict:
    """What the template inlines: the reveal.js and MathJax scripts."""
    return {
        "reveal_js": read_asset(REVEAL_DIR / "reveal.js"),
        "notes_js": read_asset(REVEAL_DIR / "notes.js"),
        "mathjax_js": read_asset(MATHJAX_FILE),
    }


def inline_stylesheets(html: str) -> str:
    """Replace the reveal.js and theme <link> tags by <style> blocks holding the vendored CSS."""
    for href, css_file in ((f"{URL_PLACEHOLDER}/dist/reveal.css", "reveal.css"),
                           (f"{URL_PLACEHOLDER}/dist/theme/white.css", "white.css")):
        pattern = re.compile(r'<link[^>]*href="' + re.escape(href) + r'"[^>]*>')
        if not pattern.search(html):
            raise RuntimeError(f"the deck template no longer links {href}; update tools/make_deck.py")
        css = read_asset(REVEAL_DIR / css_file)
        html = pattern.sub(lambda _match: f"<style type=\"text/css\">\n{css}\n</style>", html, count=1)
    return html


def replace_widget_outputs(notebook_node) -> None:
    """Widget outputs have no kernel in a deck: show a short note instead of an empty box."""
    for cell in notebook_node.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW_MIME in data:
                output["data"] = {"text/html": WIDGET_NOTE}


def render_deck(notebook_path: str | Path) -> str:
    """The self-contained reveal.js HTML for one notebook."""
    import nbformat

    notebook_path = Path(notebook_path)
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata.pop("widgets", None)  # the widget state needs a widget manager from a CDN
    replace_widget_outputs(notebook)
    exporter = SlidesExporter(
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        template_name="course_slides",
        reveal_url_prefix=URL_PLACEHOLDER,
        reveal_theme="white",
        reveal_transition="none",
        reveal_number="c/t",
        reveal_width=str(SLIDE_WIDTH),
        reveal_height=str(SLIDE_HEIGHT),
    )
    resources = {"metadata": {"name": notebook_path.stem}, "deck": deck_resources()}
    html, _ = exporter.from_notebook_node(notebook, resources=resources)
    html = inline_stylesheets(html)
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    scripts = [url for url in external if not url.startswith(("https://doi.org", "http://doi.org"))]
    if any(re.search(r"\.(js|css)(\?|$)", url) for url in scripts):
        raise RuntimeError(f"{notebook_path.name}: the deck still loads from the network: {scripts}")
    return html


def write_deck(notebook_path: str | Path, out_dir: str | Path) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{Path(notebook_path).stem}.slides.html"
    target.write_text(render_deck(notebook_path), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", help="notebooks to turn into decks")
    parser.add_argument("--out", default="artifacts/slides", help="folder for the decks (default: %(default)s)")
    args = parser.parse_args(argv)
    for name in args.notebooks:
        target = write_deck(name, args.out)
        print(f"{target}  ({target.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
