"""The Korean and Japanese editions, run end to end in JupyterLab in a real browser (issue 14, "Tests").

For each edition in :data:`EDITIONS` (today ``notebooks/ko/02_sigmoid.ipynb`` and
``notebooks/ja/02_sigmoid.ipynb``), one JupyterLab server and one Chromium (shared by all
editions) open the notebook, clear its outputs, run all cells from the menus and move the
explorer's slider, as tests/test_browser.py does for the English notebooks. Then:

* ``test_edition_runs_in_jupyterlab``: no error or stderr output, every code cell ran, as many
  plots and widget views as the stored notebook has, the explorer's picture changes when its
  slider moves, no uncaught page error, nothing written into the repository, and a full-page
  screenshot in ``artifacts/browser/<lang>_<notebook>.png``.
* ``test_explorer_speaks_the_language``: the explorer's visible labels and readout are in the
  edition's language (Hangul for Korean, kana or kanji for Japanese), before and after the move;
  no label holds an English word without the language's script.
* ``test_first_checker_verdict_is_in_the_language``: the output of the first exercise's
  ``...check(...)`` cell is exactly what ``course_utils`` prints for the same cell in that
  language (computed here, in the test process), differs from the English verdict, and holds the
  language's script.
* ``test_no_english_sentence_outside_code``: the rendered markdown, text outputs and widgets
  hold no run of four or more English words (the rule is in tests/leaks_i18n.py: code spans,
  code blocks, maths, images, identifiers, URLs, quoted titles of cited works and the text a
  cell prints from its own string literals are code or names, not prose). The failure lists
  every run found.

The last three are also marked ``translations``: like the catalog tests in tests/test_i18n.py they
fail until ``locales/{ko,ja}/course_utils.po`` are translated (``-m "not translations"`` skips them).

Run: ``.venv/bin/python -m pytest -q -p no:cacheprovider tests/test_browser_i18n.py -m browser``
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

import course_utils
from course_utils.i18n import set_language
from tests import browser_support as bs
from tests.leaks_i18n import Leak, english_runs, has_english_word, strip_code_literals

pytestmark = pytest.mark.browser

if bs.chromium_path() is None:
    pytest.skip("browser tests need Chromium: install Debian's 'chromium' package (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright: "
                               "pip install -r requirements-dev.txt")

# The English suite's steps (open, clear and run all from the menus, screenshot), reused as they are.
from tests.test_browser import (  # noqa: E402  (after the skips: that module needs Chromium too)
    VIEWPORT, digest, open_notebook, run_all, save_screenshot, wait_for_widget_change,
    widget_state,
)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"

#: (language, notebook stem) of each edition run in the browser; add a row to cover another one.
EDITIONS = [("ko", "02_sigmoid"), ("ja", "02_sigmoid")]

#: Characters that only the language's own writing has: Hangul syllables and jamo for Korean;
#: hiragana, katakana and CJK ideographs (kanji) for Japanese.
SCRIPTS = {
    "ko": re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),
    "ja": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]"),
}
#: A Korean verdict holds no kana, a Japanese one no Hangul (the other edition's catalog was not used).
OTHER_SCRIPT = {"ko": re.compile(r"[\u3040-\u30ff]"), "ja": SCRIPTS["ko"]}

#: A checker cell: the first code cell that calls ``<something>.check(``.
CHECK_CALL = re.compile(r"^[^#\n]*\.check\(", re.M)

#: Everything in rendered markdown that is code, maths or picture, not prose (skipped with its text).
JS_SKIPPED = ("code, pre, kbd, samp, mjx-container, mjx-assistive-mml, .MathJax, .MathJax_Preview, math, "
              "script, style, svg, img, .jp-InternalAnchorLink")

#: What a learner reads in the open notebook, as chunks: markdown text grouped by block element
#: (paragraph, list item, table cell, heading), each output's text, each widget view's text.
#: ``citation`` marks reference-list entries (a list item with a link), whose <em>/<cite> titles are
#: dropped here and whose quoted titles are dropped by tests/leaks_i18n.py.
JS_VISIBLE_TEXT = """(skipped) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const chunks = [];
  const blockOf = (node) => {
    let el = node.parentElement;
    while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    return el;
  };
  cells.forEach((cell, index) => {
    if (cell.classList.contains('jp-MarkdownCell')) {
      const root = cell.querySelector('.jp-RenderedMarkdown');
      if (!root) { chunks.push({cell: index, kind: 'unrendered markdown', text: '', citation: false}); return; }
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let current = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (parent.closest(skipped)) continue;
        const item = parent.closest('li');
        const citation = Boolean(item && item.querySelector('a[href]'));
        if (citation && parent.closest('em, cite')) continue;
        const block = blockOf(node);
        if (!current || current.block !== block || current.citation !== citation) {
          current = {cell: index, kind: 'markdown', text: '', citation: citation, block: block};
          chunks.push(current);
        }
        current.text += node.textContent;
      }
      return;
    }
    for (const output of cell.querySelectorAll('.jp-OutputArea-output')) {
      const widget = output.querySelector(':scope > .jupyter-widgets');
      chunks.push({cell: index, kind: widget ? 'widget' : 'output',
                   mime: output.getAttribute('data-mime-type'), text: output.innerText || '', citation: false});
    }
  });
  return chunks.map(({block, ...chunk}) => chunk);
}"""

#: The texts of one widget view a learner reads: labels, HTML readouts, buttons, dropdown entries.
JS_WIDGET_LABELS = """(output) => [...output.querySelectorAll(
    '.widget-label, .widget-label-basic, .widget-html-content, .widget-output, button, option')]
  .map((e) => e.innerText || e.textContent || '').map((t) => t.trim()).filter((t) => t)"""

#: The text of every output of one cell (by its index in the notebook).
JS_CELL_OUTPUT = """(index) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cell = panel.querySelectorAll('.jp-Notebook .jp-Cell')[index];
  return [...cell.querySelectorAll('.jp-OutputArea-output')].map((o) => o.innerText).join('\\n');
}"""

#: How many formulas MathJax has typeset so far.
JS_TYPESET = "() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) mjx-container').length"


@dataclass
class EditionRun:
    """What one edition showed in the browser (collected once, checked by several tests)."""

    lang: str
    notebook: Path
    expected: bs.Expected
    state: dict = field(default_factory=dict)          #: bs.JS_NOTEBOOK_STATE after "Run All"
    final_errors: list = field(default_factory=list)   #: error/stderr outputs after the slider moved
    page_errors: list = field(default_factory=list)
    slider_problem: str = ""                           #: why the explorer did not react, if it did not
    widget_before: dict = field(default_factory=dict)  #: widget_state() of the first explorer
    widget_after: dict = field(default_factory=dict)
    labels_before: list = field(default_factory=list)  #: JS_WIDGET_LABELS of the first explorer
    labels_after: list = field(default_factory=list)
    check_cell: int = -1
    check_output: str = ""
    chunks: list = field(default_factory=list)         #: JS_VISIBLE_TEXT
    screenshot: Path | None = None
    modified: bool = False
    created: list = field(default_factory=list)


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory):
    server = bs.start_jupyterlab(ROOT, tmp_path_factory.mktemp("jupyter_home"))
    yield server
    server.shutdown_sessions()
    leftover = server.api("GET", "/api/kernels")
    server.stop()
    assert leftover == [], f"kernels still running after the editions' tests: {leftover}"
    assert server.process.returncode is not None, "the JupyterLab server did not stop"


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


@pytest.fixture(scope="module")
def browser_context(browser):
    """One browser context for every edition: JupyterLab's scripts load once, from the cache after that.

    Each edition still opens in its own page, with JupyterLab's workspace reset (``?reset``).
    """
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(60_000)
    yield context
    context.close()


def code_sources(notebook: Path) -> list[str]:
    """Each cell's source ("" for markdown), indexed like the cells in the page."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in cells]


def first_check_cell(notebook: Path) -> int:
    for index, source in enumerate(code_sources(notebook)):
        if CHECK_CALL.search(source):
            return index
    raise LookupError(f"{notebook} has no cell that calls .check(")


def wait_for_typesetting(page, settle_ms: int = 750, timeout_ms: int = 15_000) -> None:
    """Wait until MathJax has typeset every formula (the count stops growing), at most ``timeout_ms``."""
    last, stable_since, waited = -1, 0, 0
    while waited < timeout_ms:
        count = page.evaluate(JS_TYPESET)
        if count != last:
            last, stable_since = count, waited
        elif count > 0 and waited - stable_since >= settle_ms:
            return
        page.wait_for_timeout(250)
        waited += 250


def move_explorer(page, output, run: EditionRun, what: str) -> None:
    """Press ArrowRight (ArrowLeft at the maximum) three times on the explorer's first enabled slider.

    The slider's readout and the explorer's picture must both change; a problem is recorded in
    ``run.slider_problem`` (checked by the test), so that the other checks still run.
    """
    output.scroll_into_view_if_needed()
    handles = output.locator(bs.ENABLED_SLIDER_HANDLE)
    if handles.count() == 0:
        run.slider_problem = f"{what}: no enabled slider"
        return
    handle = handles.first
    run.widget_before = widget_state(output)
    run.labels_before = output.evaluate(JS_WIDGET_LABELS)
    at_max = handle.evaluate(
        "h => Number(h.getAttribute('aria-valuenow')) >= Number(h.getAttribute('aria-valuemax'))")
    key = "ArrowLeft" if at_max else "ArrowRight"
    handle.focus()
    for _ in range(3):
        page.keyboard.press(key)
    try:
        run.widget_after = wait_for_widget_change(page, output, run.widget_before, ("readouts", "images"), ("images",),
                                                  f"{what}: pressing {key} on a slider")
    except pytest.fail.Exception as problem:
        run.slider_problem = str(problem)
        run.widget_after = widget_state(output)
    run.labels_after = output.evaluate(JS_WIDGET_LABELS)


@pytest.fixture(scope="module", params=EDITIONS, ids=[f"{lang}-{stem}" for lang, stem in EDITIONS])
def edition(request, browser_context, jupyter_server) -> EditionRun:
    """Open, run and use one edition in JupyterLab; return what it showed."""
    lang, stem = request.param
    notebook = ROOT / "notebooks" / lang / f"{stem}.ipynb"
    run = EditionRun(lang, notebook, bs.expected_from_notebook(notebook))
    side_files = [notebook.parent / ".ipynb_checkpoints" / f"{stem}-checkpoint.ipynb",
                  notebook.parent / ".virtual_documents", ROOT / ".virtual_documents",
                  notebook.parent / ".progress", ROOT / ".progress"]
    existed = {path for path in side_files if path.exists()}
    before = digest(notebook)

    page = browser_context.new_page()
    page.on("pageerror", lambda error: run.page_errors.append(str(error)))
    try:
        open_notebook(page, jupyter_server, f"{lang}/{notebook.name}", run.expected)
        run.state = run_all(page, run.expected)
        wait_for_typesetting(page)

        outputs = page.locator(bs.WIDGET_OUTPUT)
        if outputs.count():
            move_explorer(page, outputs.first, run, f"{lang}/{notebook.name} widget 1")
        else:
            run.slider_problem = "no widget view rendered"

        run.check_cell = first_check_cell(notebook)
        run.check_output = page.evaluate(JS_CELL_OUTPUT, run.check_cell)
        run.chunks = page.evaluate(JS_VISIBLE_TEXT, JS_SKIPPED)

        run.screenshot = ARTIFACTS / f"{lang}_{stem}.png"
        save_screenshot(page, run.screenshot)
        run.final_errors = page.evaluate(bs.JS_NOTEBOOK_STATE)["errors"]
    finally:
        page.close()
        jupyter_server.shutdown_sessions()
    run.modified = digest(notebook) != before
    run.created = [str(path.relative_to(ROOT)) for path in side_files if path.exists() and path not in existed]
    return run


def expected_verdict(source: str, lang: str) -> str:
    """What ``course_utils`` prints when the checker cell ``source`` runs in ``lang`` (here, not in the kernel)."""
    namespace = {"__name__": "__main__", "np": np, "cu": course_utils}
    for module in set(re.findall(r"\b(nb\d\d)\.", source)):
        namespace[module] = importlib.import_module(f"course_utils.exercises.{module}")
    printed = io.StringIO()
    try:
        set_language(lang)
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            exec(compile(source, "<checker cell>", "exec"), namespace)
    finally:
        set_language("en")
    return printed.getvalue().strip()


def leaks(run: EditionRun) -> list[Leak]:
    """Every English run in what the learner reads (see tests/leaks_i18n.py for the rule)."""
    sources = code_sources(run.notebook)
    found = []
    for chunk in run.chunks:
        text = chunk["text"]
        if chunk["kind"] == "output":
            text = strip_code_literals(text, sources[chunk["cell"]])
        where = f"cell {chunk['cell']} {chunk['kind']}"
        found.extend(Leak(where, snippet) for snippet in english_runs(text, citation=chunk["citation"]))
    return found


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------

def test_edition_runs_in_jupyterlab(edition: EditionRun):
    name = f"{edition.lang}/{edition.notebook.name}"
    state, expected = edition.state, edition.expected
    assert state["errors"] == [], f"{name} shows error/stderr output:\n" + "\n---\n".join(state["errors"])
    assert state["executed"] == expected.code_cells, (
        f"{name}: {state['executed']} of {expected.code_cells} code cells ran: {state['prompts']}")
    assert state["plots"] == expected.plots and state["plotsLoaded"] == state["plots"], (
        f"{name}: {state['plots']} plot images rendered ({state['plotsLoaded']} loaded), "
        f"the stored notebook has {expected.plots}")
    assert expected.widgets >= 1, f"{name}: the stored notebook has no widget view (nothing to move)"
    assert state["widgets"] == expected.widgets, (
        f"{name}: {state['widgets']} widget views rendered, the stored notebook has {expected.widgets}")
    assert state["widgetProblems"] == [], f"{name}: widgets failed to render: {state['widgetProblems']}"
    assert state["widgetImages"] >= expected.widgets and state["widgetImagesLoaded"] == state["widgetImages"], (
        f"{name}: every explorer should show its picture: {state}")
    assert edition.slider_problem == "", edition.slider_problem
    assert edition.widget_after["images"] != edition.widget_before["images"], (
        f"{name}: the explorer's picture did not change when its slider moved")
    assert edition.final_errors == [], f"{name}: moving the slider produced errors: {edition.final_errors}"
    assert edition.page_errors == [], f"{name}: uncaught errors in the page: {edition.page_errors}"
    unrendered = [c["cell"] for c in edition.chunks if c["kind"] == "unrendered markdown"]
    assert unrendered == [], f"{name}: markdown cells not rendered: {unrendered}"
    assert edition.screenshot is not None and edition.screenshot.stat().st_size > 50_000, (
        f"{name}: no full-page screenshot at {edition.screenshot}")
    assert not edition.modified, f"{name} was modified by the browser session"
    assert edition.created == [], f"the browser session wrote {edition.created}"


@pytest.mark.translations
def test_explorer_speaks_the_language(edition: EditionRun):
    name, script = f"{edition.lang}/{edition.notebook.name}", SCRIPTS[edition.lang]
    for moment, labels in [("before", edition.labels_before), ("after moving the slider", edition.labels_after)]:
        assert labels, f"{name}: the explorer shows no text {moment}"
        assert any(script.search(label) for label in labels), (
            f"{name}: no label or readout of the explorer is in {edition.lang} {moment}: {labels}")
        english = [label for label in labels if has_english_word(label) and not script.search(label)]
        assert english == [], f"{name}: explorer texts still in English {moment}: {english}"
        other = [label for label in labels if OTHER_SCRIPT[edition.lang].search(label)]
        assert other == [], f"{name}: explorer texts in the other edition's script {moment}: {other}"


@pytest.mark.translations
def test_first_checker_verdict_is_in_the_language(edition: EditionRun):
    name = f"{edition.lang}/{edition.notebook.name}"
    source = code_sources(edition.notebook)[edition.check_cell]
    shown = edition.check_output.strip()
    assert shown, f"{name}: the checker cell {edition.check_cell} shows nothing"
    in_language = expected_verdict(source, edition.lang)
    in_english = expected_verdict(source, "en")
    assert shown == in_language, (
        f"{name}: cell {edition.check_cell} shows a verdict other than course_utils' {edition.lang} one\n"
        f"shown:    {shown!r}\nexpected: {in_language!r}")
    assert shown != in_english, f"{name}: the verdict is still the English one: {shown!r}"
    assert SCRIPTS[edition.lang].search(shown), f"{name}: the verdict holds no {edition.lang} text: {shown!r}"
    assert not OTHER_SCRIPT[edition.lang].search(shown), f"{name}: the verdict is in another language: {shown!r}"


@pytest.mark.translations
def test_no_english_sentence_outside_code(edition: EditionRun):
    name = f"{edition.lang}/{edition.notebook.name}"
    assert any(c["kind"] == "markdown" and SCRIPTS[edition.lang].search(c["text"]) for c in edition.chunks), (
        f"{name}: no rendered markdown in {edition.lang} was found (the text collection is broken)")
    found = leaks(edition)
    assert found == [], (f"{name}: {len(found)} English runs of 4+ words outside code:\n"
                         + "\n".join(f"  {leak}" for leak in found))
