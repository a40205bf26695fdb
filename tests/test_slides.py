"""Every notebook as a slide deck, presented in a real browser: does each slide fit on the screen?

For each notebook this renders the offline deck that ``make slides`` ships (``tools/make_deck.py``:
``nbconvert --to slides`` with reveal.js and MathJax inlined, so no network is needed), opens it in
Debian's Chromium at a 1280 x 720 viewport, waits until MathJax has typeset every formula, then
steps through every slide and sub-slide with reveal.js's API (``Reveal.slide(h, v)``) and measures
the current slide's height (its ``scrollHeight``, in the deck's 1280 x 720 coordinates). Each slide
may be at most 1.5 screens tall: taller than that, an instructor scrolls more than they present.

It also checks the slide structure the decks rely on: every deck has at least one slide per
section heading and speaker notes, and no set-up cell (``cu.setup()``) shows on a slide.

A screenshot of each notebook's tallest slide goes to ``artifacts/slides/<notebook>.tallest.png``,
and the measured heights to ``artifacts/slides/heights.json``.

Run: ``.venv/bin/python -m pytest -q -p no:cacheprovider tests/test_slides.py -m browser``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests import browser_support as bs

pytestmark = pytest.mark.browser

if bs.chromium_path() is None:
    pytest.skip("slide tests need Chromium: install Debian's 'chromium' package (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="slide tests need Playwright: "
                               "pip install -r requirements-dev.txt")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_deck  # noqa: E402  (tools/ is not a package)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "slides"

SCREEN = {"width": make_deck.SLIDE_WIDTH, "height": make_deck.SLIDE_HEIGHT}
MAX_SCREENS = 1.5
READY_TIMEOUT_MS = 60_000   # MathJax typesets a whole deck (a few seconds)

#: Steps through every slide and returns, for each, its indices, height and first heading.
MEASURE_JS = """
() => {
  const heights = [];
  const horizontal = Reveal.getHorizontalSlides();
  for (let h = 0; h < horizontal.length; h++) {
    const vertical = horizontal[h].querySelectorAll(':scope > section');
    const count = Math.max(vertical.length, 1);
    for (let v = 0; v < count; v++) {
      Reveal.slide(h, v);
      const slide = Reveal.getCurrentSlide();
      const heading = slide.querySelector('h1, h2, h3, h4');
      heights.push({h: h, v: v, height: slide.scrollHeight,
                    graph: slide.textContent.includes('plot_sigmoid_graph(x=1.0'),
                    heading: heading ? heading.textContent.replace('¶', '').trim() : '(no heading)'});
    }
  }
  return {heights: heights, total: Reveal.getTotalSlides()};
}
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    home = tmp_path_factory.mktemp("chromium_home")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=bs.chromium_path(), args=bs.CHROMIUM_ARGS, env=bs.browser_env(home))
        yield chromium
        chromium.close()


def network_requests_blocked(page) -> list[str]:
    """Abort every request that leaves the deck file, and remember it (the deck must need none)."""
    blocked: list[str] = []

    def handle(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_every_slide_fits(notebook, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    deck = make_deck.write_deck(notebook, ARTIFACTS)
    html = deck.read_text(encoding="utf-8")
    assert '<aside class="notes">' in html, f"{notebook.name}: the deck has no speaker notes"
    assert "cu.setup(" not in html.replace("cu.setup()</code>", ""), (
        f"{notebook.name}: the set-up cell shows on a slide (give it slide_type 'skip')")

    page = browser.new_page(viewport=SCREEN)
    blocked = network_requests_blocked(page)
    try:
        page.goto(deck.as_uri())
        page.wait_for_selector("body[data-deck-ready='true']", state="attached", timeout=READY_TIMEOUT_MS)
        assert page.evaluate("() => document.querySelectorAll('mjx-container').length") > 0, (
            f"{notebook.name}: MathJax rendered no formula")
        assert page.evaluate("() => document.querySelectorAll('mjx-merror').length") == 0, (
            f"{notebook.name}: MathJax could not typeset a formula")
        measured = page.evaluate(MEASURE_JS)
        heights = measured["heights"]
        assert len(heights) == measured["total"], "stepping missed slides"
        assert len(heights) >= 2 * len(headings(notebook)) // 3

        tallest = max(heights, key=lambda slide: slide["height"])
        page.evaluate(f"() => Reveal.slide({tallest['h']}, {tallest['v']})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.tallest.png"))
    finally:
        page.close()
    record_heights(notebook.stem, heights)

    assert blocked == [], f"{notebook.name}: the deck tried to load from the network: {blocked[:3]}"
    limit = MAX_SCREENS * SCREEN["height"]
    too_tall = [f"slide {slide['h']}/{slide['v']} '{slide['heading']}': {slide['height'] / SCREEN['height']:.2f} screens"
                for slide in heights if slide["height"] > limit]
    graph_slides = [slide for slide in heights if slide["graph"]]
    if notebook.name.startswith("06_"):
        assert len(graph_slides) == 1, "notebook 06's sigmoid graph figure is not on a slide"
    for slide in graph_slides:
        assert slide["height"] <= SCREEN["height"], (
            f"{notebook.name}: the sigmoid graph figure is cut off on slide {slide['h']}/{slide['v']} "
            f"({slide['height'] / SCREEN['height']:.2f} screens): give it a slide of its own")
    assert not too_tall, (f"{notebook.name}: {len(too_tall)} slide(s) taller than {MAX_SCREENS} screens "
                          f"of {SCREEN['width']}x{SCREEN['height']}:\n  " + "\n  ".join(too_tall))


def headings(notebook: Path) -> list[str]:
    """The notebook's section and sub-section headings (each opens a slide or sub-slide)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [("".join(cell["source"])).split("\n", 1)[0] for cell in cells
            if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith(("# ", "## ", "### "))]


def record_heights(stem: str, heights: list[dict]) -> None:
    """Keep every slide's measured height in artifacts/slides/heights.json (one entry per notebook)."""
    path = ARTIFACTS / "heights.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[stem] = [{**slide, "screens": round(slide["height"] / SCREEN["height"], 2)} for slide in heights]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False))


# --------------------------------------------------------------------------------------------
# Live: RISE (jupyterlab-rise, pinned in requirements.txt) presents a notebook in JupyterLab
# --------------------------------------------------------------------------------------------

def slide_count(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide" for cell in cells)


def test_rise_presents_a_notebook_live(browser, tmp_path):
    """View > Render as Reveal Slideshow (command RISE:preview) opens /rise/<path> beside the
    notebook; that page is the live slide show. It must show one slide per ``slide`` cell, typeset
    the maths, and move to the next section with the right-arrow key."""
    pytest.importorskip("jupyterlab_rise", reason="live slides need jupyterlab-rise: pip install -r requirements.txt")
    import shutil

    notebook = ROOT / "notebooks" / "02_sigmoid.ipynb"
    root = tmp_path / "course"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy2(notebook, root / "notebooks" / notebook.name)
    server = bs.start_jupyterlab(root, tmp_path / "home")
    try:
        page = browser.new_page(viewport=SCREEN)
        page.goto(server.url(f"/lab/tree/notebooks/{notebook.name}"))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        commands = page.evaluate("() => window.jupyterapp.commands.listCommands()")
        assert "RISE:preview" in commands, "JupyterLab did not load the RISE extension"
        page.evaluate("() => window.jupyterapp.commands.execute('RISE:preview')")
        frame_url = server.url(f"/rise/notebooks/{notebook.name}").split("?")[0]
        page.wait_for_function("url => Array.from(document.querySelectorAll('iframe')).some(f => f.src.startsWith(url))",
                               arg=frame_url, timeout=60_000)

        show = browser.new_page(viewport=SCREEN)
        show.goto(server.url(f"/rise/notebooks/{notebook.name}"))
        show.wait_for_selector(".reveal .slides > section", timeout=90_000)
        show.wait_for_function("() => document.querySelectorAll('.reveal mjx-container').length > 0", timeout=60_000)
        slides = show.evaluate("() => document.querySelectorAll('.reveal .slides > section').length")
        assert slides == slide_count(notebook), f"RISE shows {slides} slides, the notebook has {slide_count(notebook)}"
        show.keyboard.press("ArrowRight")
        show.wait_for_timeout(1000)
        heading = show.evaluate("() => document.querySelector('.reveal .slides > section.present h2').textContent")
        assert heading.startswith("1. "), f"after one right-arrow RISE shows {heading!r}, not section 1"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        show.screenshot(path=str(ARTIFACTS / "rise_02_sigmoid.png"))
        page.close()
        show.close()
    finally:
        server.stop()
