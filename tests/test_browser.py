"""Every notebook, run in JupyterLab in a real browser (Debian's Chromium driven by Playwright).

nbval proves the kernel side. This suite proves what a learner sees: for each notebook it
opens the notebook in JupyterLab, clears all outputs and runs all cells from the menus, waits
for the kernel to go idle, then checks that

* no cell shows an error or anything on stderr;
* the browser rendered as many plot images as the stored notebook holds (``image/png`` outputs;
  an explorer's picture is an ``ipywidgets.Image`` inside the widget view and counts as widget);
* every widget view rendered (no "Error displaying widget"), with its picture loaded;
* in each widget view, moving a slider with the keyboard (focus the handle, ArrowRight three
  times) changes the slider's readout and the explorer's picture or text. A view whose only slider starts disabled (e.g. alpha for
  ReLU) first gets the next entry of its dropdown chosen, which also must update it.

A screenshot of the whole notebook goes to ``artifacts/browser/<notebook>.png``. Nothing is
saved: autosave is off, JupyterLab's automatic first checkpoint goes to a temporary folder, and
the test checks that the notebook file is byte-for-byte unchanged. The server, its kernels and
Chromium keep all their state in pytest's temporary directory, never in the user's home.

Run: ``.venv/bin/python -m pytest -q -p no:cacheprovider tests/test_browser.py -m browser``
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest

from tests import browser_support as bs

pytestmark = pytest.mark.browser

if bs.chromium_path() is None:
    pytest.skip("browser tests need Chromium: install Debian's 'chromium' package (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright: "
                               "pip install -r requirements-dev.txt")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "browser"

VIEWPORT = {"width": 1280, "height": 900}
OPEN_TIMEOUT_MS = 90_000      # JupyterLab loads and the kernel starts
RUN_TIMEOUT_MS = 240_000      # "Run All Cells" finishes (each notebook runs in seconds; this is a ceiling)
UPDATE_TIMEOUT_MS = 20_000    # a widget redraws after a key press
MAX_SCREENSHOT_HEIGHT = 30_000


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory):
    server = bs.start_jupyterlab(ROOT, tmp_path_factory.mktemp("jupyter_home"))
    yield server
    server.stop()
    assert server.process.returncode is not None, "the JupyterLab server did not stop"


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread until
# it stops, and later test modules (the hub, the widgets' throttle) need to run their own loops.
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=bs.chromium_path(), args=bs.CHROMIUM_ARGS,
                                              headless=True,
                                              env=bs.browser_env(tmp_path_factory.mktemp("chromium_home")))
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, jupyter_server):
    """A fresh browser context (no shared storage) and page; page errors are collected."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    yield page
    context.close()
    jupyter_server.shutdown_sessions()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def click_menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in JupyterLab's menu bar, then ``item`` in the menu that opens."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def notebook_state(page) -> dict:
    return page.evaluate(bs.JS_NOTEBOOK_STATE)


def wait_for_state(page, condition: str, timeout_ms: int, what: str, required: bool = True) -> dict:
    """Wait until the JavaScript ``condition`` over the notebook state ``s`` holds.

    With ``required=False`` a timeout is not a failure: the caller's assertions explain what is wrong.
    """
    script = f"() => {{ const s = ({bs.JS_NOTEBOOK_STATE})(); return Boolean(s && ({condition})); }}"
    try:
        page.wait_for_function(script, timeout=timeout_ms, polling=200)
    except sync_api.TimeoutError:
        if required:
            pytest.fail(f"timed out waiting for {what}; notebook state: {notebook_state(page)}")
    return notebook_state(page)


def open_notebook(page, server, name: str, expected: bs.Expected) -> None:
    page.goto(server.url(f"/lab/tree/notebooks/{name}", reset=""))
    wait_for_state(page, f"s.cells === {expected.cells}", OPEN_TIMEOUT_MS, f"{name} to open")
    try:
        page.wait_for_function(bs.JS_KERNEL_IDLE, timeout=OPEN_TIMEOUT_MS, polling=200)
    except sync_api.TimeoutError:
        pytest.fail(f"the kernel for {name} did not start; server log:\n{server.log()[-3000:]}")
    # Fold the file browser away so the notebook gets the full width in the screenshot.
    left_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if left_tab.count():
        left_tab.first.click()


def run_all(page, expected: bs.Expected) -> dict:
    click_menu(page, "Edit", "Clear Outputs of All Cells")
    wait_for_state(page, "s.outputs === 0 && s.executed === 0", 30_000, "the outputs to clear")
    click_menu(page, "Run", "Run All Cells")
    # Done when every code cell has its execution count, or when an error stopped "Run All".
    wait_for_state(page, f"s.busy === 0 && (s.executed === {expected.code_cells} || s.errors.length > 0)",
                   RUN_TIMEOUT_MS, f"all {expected.code_cells} code cells to run")
    page.wait_for_function(bs.JS_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS, polling=200)
    # Widget views and images render asynchronously, after the last reply: give them time.
    return wait_for_state(
        page,
        f"s.errors.length > 0 || (s.plots >= {expected.plots} && s.plotsLoaded === s.plots"
        f" && s.widgets >= {expected.widgets} && s.widgetImagesLoaded === s.widgetImages"
        " && s.widgetProblems.length === 0)",
        30_000, "plots and widgets to render", required=False)


def widget_state(output) -> dict:
    return output.evaluate(bs.JS_WIDGET_STATE)


def wait_for_widget_change(page, output, before: dict, must: tuple[str, ...], any_of: tuple[str, ...],
                           what: str) -> dict:
    """Wait until every part in ``must`` and at least one in ``any_of`` of the view have changed."""
    deadline = time.monotonic() + UPDATE_TIMEOUT_MS / 1000
    while True:
        after = widget_state(output)
        if all(after[k] != before[k] for k in must) and any(after[k] != before[k] for k in any_of):
            return after
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: the widget did not update within {UPDATE_TIMEOUT_MS / 1000:.0f} s\n"
                        f"before: {before}\nafter:  {after}")
        page.wait_for_timeout(100)


def exercise_widget(page, output, label: str) -> bool:
    """Move one slider of a widget view with the keyboard; True if a slider was moved.

    If every slider of the view is disabled, first choose the next entry of its dropdown,
    check that the view updates, and try the sliders again.
    """
    output.scroll_into_view_if_needed()
    handles = output.locator(bs.ENABLED_SLIDER_HANDLE)
    if handles.count() == 0:
        select = output.locator(".widget-dropdown select")
        if select.count() == 0:
            return False
        before = widget_state(output)
        # Choose the next entry (as a click would; in command mode JupyterLab takes ArrowDown
        # to move between cells, so the keyboard is not the learner's way to use a dropdown).
        options = select.first.evaluate("s => [...s.options].map((o) => o.value)")
        current = select.first.input_value()
        select.first.select_option(options[(options.index(current) + 1) % len(options)])
        wait_for_widget_change(page, output, before, (), ("images", "texts"),
                               f"{label}: choosing another dropdown entry")
        handles = output.locator(bs.ENABLED_SLIDER_HANDLE)
        if handles.count() == 0:
            return False
    handle = handles.first
    before = widget_state(output)
    at_max = handle.evaluate("h => Number(h.getAttribute('aria-valuenow')) >= Number(h.getAttribute('aria-valuemax'))")
    key = "ArrowLeft" if at_max else "ArrowRight"
    handle.focus()
    for _ in range(3):
        page.keyboard.press(key)
    # The slider's readout must change, and the explorer must redraw (picture or text).
    wait_for_widget_change(page, output, before, ("readouts",), ("images", "texts"),
                           f"{label}: pressing {key} on a slider")
    return True


def save_screenshot(page, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTo(0, 0)")
    height = min(int(page.evaluate(bs.JS_FULL_HEIGHT)) + 16, MAX_SCREENSHOT_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_renders_in_jupyterlab(notebook: Path, page, jupyter_server):
    expected = bs.expected_from_notebook(notebook)
    side_files = [notebook.parent / ".ipynb_checkpoints" / f"{notebook.stem}-checkpoint.ipynb",
                  notebook.parent / ".virtual_documents", ROOT / ".virtual_documents"]
    existed = {path for path in side_files if path.exists()}
    before = digest(notebook)

    open_notebook(page, jupyter_server, notebook.name, expected)
    state = run_all(page, expected)

    assert state["errors"] == [], f"{notebook.name} shows error/stderr output:\n" + "\n---\n".join(state["errors"])
    assert state["executed"] == expected.code_cells, (
        f"{notebook.name}: {state['executed']} of {expected.code_cells} code cells ran: {state['prompts']}")
    assert state["plots"] == expected.plots, (
        f"{notebook.name}: {state['plots']} plot images rendered, the stored notebook has {expected.plots}")
    assert state["plotsLoaded"] == state["plots"], f"{notebook.name}: some plot images did not load"
    assert state["widgets"] == expected.widgets, (
        f"{notebook.name}: {state['widgets']} widget views rendered, the stored notebook has {expected.widgets}")
    assert state["widgetProblems"] == [], f"{notebook.name}: widgets failed to render: {state['widgetProblems']}"
    if expected.widgets:
        assert state["widgetImages"] >= expected.widgets and state["widgetImagesLoaded"] == state["widgetImages"], (
            f"{notebook.name}: every explorer should show its picture: {state}")
    if expected.has_slider:
        assert state["sliders"] > 0, f"{notebook.name}: the stored notebook has sliders but none rendered"

    outputs = page.locator(bs.WIDGET_OUTPUT)
    moved = sum(exercise_widget(page, outputs.nth(i), f"{notebook.name} widget {i + 1}")
                for i in range(outputs.count()))
    if expected.widgets or expected.has_slider:
        assert moved >= 1, f"{notebook.name}: no slider could be moved with the keyboard"

    save_screenshot(page, ARTIFACTS / f"{notebook.stem}.png")
    assert notebook_state(page)["errors"] == [], f"{notebook.name}: interacting produced errors"
    assert page.page_errors == [], f"{notebook.name}: uncaught errors in the page: {page.page_errors}"

    # Nothing was written into the repository: not the notebook, not a checkpoint.
    assert digest(notebook) == before, f"{notebook.name} was modified by the browser session"
    created = [str(path.relative_to(ROOT)) for path in side_files if path.exists() and path not in existed]
    assert created == [], f"the browser session wrote {created}"


def test_kernels_are_shut_down(jupyter_server):
    """Runs after the notebooks (same module, declared last): every kernel was shut down."""
    assert jupyter_server.api("GET", "/api/kernels") == []
    assert jupyter_server.api("GET", "/api/sessions") == []
