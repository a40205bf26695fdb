#!/usr/bin/env python
"""Widget latency in a real browser: from a slider key press to the new picture on screen, per explorer.

For each notebook with an explorer (a cell whose stored output is an explorer's widget view),
a private JupyterLab (``tests/browser_support.py``: 127.0.0.1, free port, random token, Jupyter
folders in a temporary directory) opens the notebook in Debian's Chromium (Playwright), clears
the outputs and runs all cells. Then, in the explorer's view:

* **Localhost, key presses.** Focus the first enabled slider and press ArrowRight (ArrowLeft at
  the end of the range) ``presses`` times, one press every ``pace`` seconds. In the page, a
  ``keydown`` listener records the key event's time and a MutationObserver on the explorer's
  ``<img>`` records each new ``src`` (``performance.now()``, the page's clock), and the image's
  ``load`` event records when the new picture is decoded and ready to paint. Latency of a press:
  key event → the first new picture loaded after it.
* **Slow link, a drag.** The same notebook is opened again through a TCP proxy on 127.0.0.1
  that holds every chunk for half of ``rtt`` in each direction (150 ms round trip by default,
  as from Seoul or Tokyo to a distant Binder). The mouse drags the slider handle in
  ``drag_steps`` moves ``drag_interval`` seconds apart and releases it. Measured: the pictures
  shown during the drag, the pictures that still arrive after the release (a queue of stale
  updates would show here), and the time from the release until the picture shown is the
  picture for the final slider position. That picture is known exactly: once nothing changes
  for ``settle`` seconds, the kernel redraws the explorer for the values it holds, and the
  SHA-256 of that PNG is compared with the SHA-256 of every picture the page showed.

Why a proxy and not Chromium's own throttling: ``Network.emulateNetworkConditions`` (DevTools
protocol) delays HTTP requests but not the frames of an open WebSocket, and every widget message
travels over the kernel's WebSocket (see bench/README.md for the measurement).

Nothing is saved: JupyterLab's autosave is off, its first checkpoint goes to the temporary
folder, and each notebook file is checked to be byte-for-byte unchanged afterwards. Run alone::

    .venv/bin/python bench/widget_latency.py                      # every explorer, about 5 minutes
    .venv/bin/python bench/widget_latency.py --notebooks 02_sigmoid.ipynb --presses 10

``make bench`` runs it after the other sections (``bench/run_bench.py``; ``--skip-widget-latency``).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import browser_support as bs  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
EXPLORER_TEXT = ": run this cell in JupyterLab to interact."  # the text/plain of an explorer's view

PRESSES = 30          # key presses per explorer on localhost
PACE = 0.3            # seconds between key presses
DRAG_STEPS = 40       # mouse moves in one drag over the slow link
DRAG_INTERVAL = 0.02  # seconds between mouse moves
RTT = 0.150           # added round-trip delay of the slow link, seconds
SETTLE = 2.0          # no new picture for this long: the view has settled

#: Targets from issue 13.
TARGET_MEDIAN_MS = 100
TARGET_P95_MS = 200
TARGET_SLOW_FINAL_MS = 500

VIEWPORT = {"width": 1280, "height": 900}
OPEN_TIMEOUT_MS = 120_000
RUN_TIMEOUT_MS = 240_000
PICTURE_TIMEOUT_MS = 10_000  # a key press that brings no new picture within this is counted as missed


# ------------------------------------------------------------------------------- the explorers
@dataclass(frozen=True)
class ExplorerCell:
    """A notebook cell whose stored output is an explorer's widget view."""

    notebook: Path
    explorer: str    # class name, e.g. "NeuronExplorer"


def explorer_cells(notebooks: list[Path]) -> list[ExplorerCell]:
    """The explorer cells of ``notebooks``, found from their stored outputs, in order."""
    found = []
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                text = "".join(data.get("text/plain", ""))
                if bs.WIDGET_MIME in data and text.endswith(EXPLORER_TEXT):
                    found.append(ExplorerCell(path, text.split(":")[0]))
    return found


# ------------------------------------------------------------------------- the slow-link proxy
class DelayProxy:
    """A TCP proxy on 127.0.0.1 that holds every chunk for ``one_way_delay`` seconds in each direction.

    The delay is pure latency (no bandwidth limit, order kept), so a request and its answer take
    ``2 * one_way_delay`` longer: the round trip of a distant server. It runs an asyncio loop in
    a thread of its own; ``stop()`` closes the listening socket and every open connection.
    """

    def __init__(self, target_port: int, one_way_delay: float) -> None:
        self.target_port = target_port
        self.one_way_delay = one_way_delay
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delay-proxy", daemon=True)

    def start(self) -> "DelayProxy":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delay proxy did not start")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._connect, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _connect(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        self._writers.update({client_writer, server_writer})
        try:
            await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))
        finally:
            for writer in (client_writer, server_writer):
                self._writers.discard(writer)
                writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy ``reader`` to ``writer``, each chunk ``one_way_delay`` seconds after it arrived."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if not chunk:  # the other side finished sending
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(chunk)
                await writer.drain()

        delivery = asyncio.create_task(deliver())
        try:
            while True:
                chunk = await reader.read(65536)
                queue.put_nowait((loop.time() + self.one_way_delay, chunk))
                if not chunk:
                    break
            await delivery
        except (ConnectionError, OSError):
            delivery.cancel()

    def stop(self) -> None:
        def close_all() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._writers):
                writer.close()
            self._loop.call_later(0.2, self._loop.stop)

        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(close_all)
            self._thread.join(10)
        if not self._loop.is_running():
            self._loop.close()


# ------------------------------------------------------------------------------ in the page
#: Watches one explorer view: key presses, pointer releases, each new picture (time of the new
#: src, time it loaded, SHA-256 of its bytes). Everything is stored in window.__latency.
JS_INSTALL = """(output) => {
  const image = output.querySelector('img.widget-image');
  const log = {keys: [], releases: [], changes: [], initialHash: null};
  const sha256 = async (src) => {
    try {
      const bytes = await (await fetch(src)).arrayBuffer();
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    } catch (error) {
      return 'unreadable';  // the view already replaced (and revoked) this picture
    }
  };
  sha256(image.src).then((hash) => { log.initialHash = hash; });
  if (window.__latencyObserver) window.__latencyObserver.disconnect();
  window.__latencyObserver = new MutationObserver(() => {
    const change = {src: image.src, t: performance.now(), loaded: null, hash: null};
    log.changes.push(change);
    sha256(change.src).then((hash) => { change.hash = hash; });
  });
  window.__latencyObserver.observe(image, {attributes: true, attributeFilter: ['src']});
  image.addEventListener('load', () => {
    const change = log.changes.findLast((c) => c.src === image.src);
    if (change && change.loaded === null) change.loaded = performance.now();
  });
  output.addEventListener('keydown', (event) => log.keys.push(event.timeStamp), true);
  document.addEventListener('pointerup', (event) => log.releases.push(event.timeStamp), true);
  window.__latency = log;
}"""

#: Index of the last code cell of the open notebook that calls ``name(`` and shows a widget view (found in
#: the notebook as the browser loaded it, so an edit of the file since the start does not matter).
JS_FIND_CELL = """(name) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  let found = -1;
  cells.forEach((cell, index) => {
    const outputs = cell.model.outputs;
    if (!outputs || !cell.model.sharedModel.getSource().includes(name + '(')) return;
    for (let i = 0; i < outputs.length; i++) {
      if (outputs.get(i).data['application/vnd.jupyter.widget-view+json']) found = index;
    }
  });
  return found;
}"""

#: The widget model id of the view in cell ``index`` of the open notebook.
JS_MODEL_ID = """(index) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const outputs = panel.content.widgets[index].model.outputs;
  for (let i = 0; i < outputs.length; i++) {
    const view = outputs.get(i).data['application/vnd.jupyter.widget-view+json'];
    if (view) return view.model_id;
  }
  return null;
}"""

#: Run ``code`` in the notebook's kernel (not in a cell: nothing is added to the notebook); return its stdout.
JS_RUN_IN_KERNEL = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code: code, silent: false, store_history: false});
  let text = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') text += msg.content.text;
    if (msg.header.msg_type === 'error') text += `ERROR ${msg.content.ename}: ${msg.content.evalue}`;
  };
  await future.done;
  return text;
}"""

#: Kernel code: the explorer whose view has model id MODEL_ID; the values it holds, the SHA-256 of the
#: picture it last sent, and of the picture it draws now for those values (update() sends nothing
#: when the bytes are the same).
KERNEL_CHECK = """
def _latency_check(model_id):
    import gc, hashlib, json
    from course_utils.widgets import Explorer
    explorer = next(o for o in gc.get_objects() if isinstance(o, Explorer) and o.widget.model_id == model_id)
    sent = hashlib.sha256(bytes(explorer.image.value)).hexdigest()
    values = {name: value for name, value in explorer.values().items() if isinstance(value, (int, float))}
    explorer.update()
    fresh = hashlib.sha256(bytes(explorer.image.value)).hexdigest()
    print(json.dumps({"values": values, "sent": sent, "fresh": fresh}))
try:
    _latency_check(MODEL_ID)
finally:
    del _latency_check
"""

#: Kernel code: time every update() of the explorer whose view has model id MODEL_ID (how long the kernel
#: takes to draw, encode and send a picture) and note the size of each picture it sends. The explorer's
#: own update is wrapped in the instance, so the kernel runs exactly what it runs without the timer.
KERNEL_TIMER = """
def _latency_timer(model_id):
    import gc, time
    from course_utils.widgets import Explorer
    explorer = next(o for o in gc.get_objects() if isinstance(o, Explorer) and o.widget.model_id == model_id)
    untimed_update = explorer.update
    explorer._latency_updates = []  # (milliseconds, bytes of the picture)

    def timed_update():
        started = time.perf_counter()
        try:
            return untimed_update()
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            explorer._latency_updates.append((elapsed, len(explorer.image.value)))

    explorer.update = timed_update
try:
    _latency_timer(MODEL_ID)
finally:
    del _latency_timer
"""

#: Kernel code: the timings KERNEL_TIMER collected, as JSON; the explorer's own update() is put back.
KERNEL_TIMES = """
def _latency_times(model_id):
    import gc, json
    from course_utils.widgets import Explorer
    explorer = next(o for o in gc.get_objects() if isinstance(o, Explorer) and o.widget.model_id == model_id)
    del explorer.update
    print(json.dumps(explorer.__dict__.pop("_latency_updates")))
try:
    _latency_times(MODEL_ID)
finally:
    del _latency_times
"""

#: The slider handles of a view: value, range and whether enabled. The value comes from
#: ``aria-valuetext``: noUiSlider rounds ``aria-valuenow`` (and the range attributes) to one decimal,
#: so a slider with steps of 0.01 stopped at 1.62 would read as 1.6 and never match the kernel.
JS_SLIDERS = """(output) => [...output.querySelectorAll('.widget-slider .noUi-target')].map((t) => {
  const h = t.querySelector('.noUi-handle[role=slider]');
  return {enabled: !t.hasAttribute('disabled'), value: Number(h.getAttribute('aria-valuetext')),
          min: Number(h.getAttribute('aria-valuemin')), max: Number(h.getAttribute('aria-valuemax'))};
})"""


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` by linear interpolation (numpy's default method)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


class Session:
    """One notebook open in one browser page, its explorer view found and instrumented."""

    def __init__(self, browser, server: bs.JupyterLab, cell: ExplorerCell, base_url: str) -> None:
        self.cell = cell
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.page_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.base_url = base_url

    def close(self) -> None:
        self.context.close()
        self.server.shutdown_sessions()

    def state(self) -> dict:
        return self.page.evaluate(bs.JS_NOTEBOOK_STATE)

    def wait_for(self, condition: str, timeout_ms: int, what: str) -> None:
        script = f"() => {{ const s = ({bs.JS_NOTEBOOK_STATE})(); return Boolean(s && ({condition})); }}"
        try:
            self.page.wait_for_function(script, timeout=timeout_ms, polling=200)
        except Exception as error:
            raise RuntimeError(f"{self.cell.notebook.name}: timed out waiting for {what}; state: {self.state()}") \
                from error

    def open_and_run(self) -> None:
        """Open the notebook, clear its outputs, run all cells, and instrument the explorer's view."""
        expected = bs.expected_from_notebook(self.cell.notebook)
        url = f"{self.base_url}/lab/tree/notebooks/{self.cell.notebook.name}?reset&token={self.server.token}"
        self.page.goto(url, timeout=OPEN_TIMEOUT_MS)
        self.wait_for(f"s.cells === {expected.cells}", OPEN_TIMEOUT_MS, "the notebook to open")
        self.page.wait_for_function(bs.JS_KERNEL_IDLE, timeout=OPEN_TIMEOUT_MS, polling=200)
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        self.wait_for("s.outputs === 0 && s.executed === 0", 30_000, "the outputs to clear")
        self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        self.wait_for(f"s.busy === 0 && (s.executed === {expected.code_cells} || s.errors.length > 0)",
                      RUN_TIMEOUT_MS, "all cells to run")
        self.page.wait_for_function(bs.JS_KERNEL_IDLE, timeout=RUN_TIMEOUT_MS, polling=200)
        errors = self.state()["errors"]
        if errors:
            raise RuntimeError(f"{self.cell.notebook.name} shows errors: {errors}")
        index = self.page.evaluate(JS_FIND_CELL, self.cell.explorer)
        if index < 0:
            raise RuntimeError(f"{self.cell.notebook.name}: no cell shows a {self.cell.explorer}")
        self.output = self.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(
            bs.WIDGET_OUTPUT).first
        self.output.locator("img.widget-image").first.wait_for(state="visible", timeout=30_000)
        self.page.wait_for_function("(o) => { const i = o.querySelector('img.widget-image');"
                                    " return i && i.complete && i.naturalWidth > 0; }",
                                    arg=self.output.element_handle(), timeout=30_000)
        self.model_id = self.page.evaluate(JS_MODEL_ID, index)
        self.output.scroll_into_view_if_needed()
        self.slider = self.enable_a_slider()
        self.output.evaluate(JS_INSTALL)
        self.page.wait_for_function("() => window.__latency.initialHash !== null", timeout=10_000)

    def sliders(self) -> list[dict]:
        return self.output.evaluate(JS_SLIDERS)

    def enable_a_slider(self) -> int:
        """Index of the first enabled slider.

        If every slider is disabled (alpha for sigmoid), choose menu entries in order until one is enabled.
        """
        def first_enabled() -> int | None:
            return next((i for i, s in enumerate(self.sliders()) if s["enabled"]), None)

        index = first_enabled()
        select = self.output.locator(".widget-dropdown select")
        if index is None and select.count():
            for option in select.first.evaluate("s => [...s.options].map((o) => o.value)"):
                select.first.select_option(option)
                deadline = time.monotonic() + 5
                while index is None and time.monotonic() < deadline:
                    self.page.wait_for_timeout(100)
                    index = first_enabled()
                if index is not None:
                    break
        if index is None:
            raise RuntimeError(f"{self.cell.explorer} in {self.cell.notebook.name}: no slider can be moved")
        # Wait until the picture for the menu choice has arrived before measuring.
        self.page.wait_for_timeout(1000)
        return index

    def handle(self):
        return self.output.locator(".widget-slider .noUi-target").nth(self.slider).locator(".noUi-handle[role=slider]")

    def log(self) -> dict:
        return self.page.evaluate("() => window.__latency")

    def in_kernel(self, code: str) -> str:
        """Run kernel ``code`` (KERNEL_*) for this view's explorer; return what it printed."""
        return self.page.evaluate(JS_RUN_IN_KERNEL, code.replace("MODEL_ID", json.dumps(self.model_id)))

    # ---------------------------------------------------------------------------- key presses
    def press_keys(self, presses: int, pace: float) -> dict:
        """Press an arrow key ``presses`` times, ``pace`` seconds apart; latency of each press in ms.

        Also returns what each update cost in the kernel (``kernel_ms``) and the size of each picture sent
        (``picture_bytes``), so the latency splits into drawing in the kernel and the rest (messages, decoding).
        """
        timer = self.in_kernel(KERNEL_TIMER)
        if timer.strip():
            raise RuntimeError(f"could not time the explorer's updates in the kernel: {timer.strip()[:300]}")
        handle = self.handle()
        handle.focus()
        key = "ArrowRight"
        missed = 0
        for _ in range(presses):
            slider = self.sliders()[self.slider]
            if key == "ArrowRight" and slider["value"] >= slider["max"]:
                key = "ArrowLeft"
            elif key == "ArrowLeft" and slider["value"] <= slider["min"]:
                key = "ArrowRight"
            seen = len(self.log()["changes"])
            started = time.monotonic()
            self.page.keyboard.press(key)
            try:
                self.page.wait_for_function(
                    f"() => {{ const c = window.__latency.changes; return c.length > {seen} && "
                    "c[c.length - 1].loaded !== null; }", timeout=PICTURE_TIMEOUT_MS, polling="raf")
            except Exception:
                missed += 1
            rest = pace - (time.monotonic() - started)
            if rest > 0:
                self.page.wait_for_timeout(rest * 1000)
        log = self.log()
        updates = json.loads(self.in_kernel(KERNEL_TIMES))
        keys = log["keys"]
        to_src, to_loaded, pictures = [], [], []
        for i, pressed in enumerate(keys):
            next_key = keys[i + 1] if i + 1 < len(keys) else float("inf")
            after = [c for c in log["changes"] if pressed <= c["t"] < next_key]
            pictures.append(len(after))
            if after and after[0]["loaded"] is not None:
                to_src.append(after[0]["t"] - pressed)
                to_loaded.append(after[0]["loaded"] - pressed)
        return {"presses": len(keys), "missed": len(keys) - len(to_loaded), "timed_out": missed,
                "to_src": to_src, "to_loaded": to_loaded, "pictures_per_press": pictures,
                "kernel_ms": [ms for ms, _ in updates], "picture_bytes": [size for _, size in updates]}

    # ----------------------------------------------------------------------------------- a drag
    def drag(self, steps: int, interval: float, settle: float) -> dict:
        """Drag the slider handle in ``steps`` moves ``interval`` seconds apart, release, wait until settled."""
        handle = self.handle()
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        track = self.output.locator(".widget-slider .noUi-target").nth(self.slider).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        room_right = track["x"] + track["width"] - x
        room_left = x - track["x"]
        span = 0.8 * max(room_right, room_left)
        direction = 1 if room_right >= room_left else -1
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        started = time.monotonic()
        for i in range(1, steps + 1):
            due = started + i * interval
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.page.mouse.move(x + direction * span * i / steps, y)
        self.page.mouse.up()
        # Settled: no new picture for `settle` seconds and every picture hashed.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            quiet = self.page.evaluate(
                "(settle) => { const l = window.__latency; const c = l.changes;"
                " const last = c.length ? c[c.length - 1].t : 0;"
                " return l.releases.length > 0 && performance.now() - Math.max(last, l.releases.at(-1)) > settle"
                " && c.every((x) => x.hash !== null); }", settle * 1000)
            if quiet:
                break
            self.page.wait_for_timeout(200)
        log = self.log()
        browser_value = self.sliders()[self.slider]["value"]
        check = json.loads(self.in_kernel(KERNEL_CHECK))
        release = log["releases"][-1]
        before = [c for c in log["changes"] if c["t"] < release]
        after = [c for c in log["changes"] if c["t"] >= release]
        shown_at_release = before[-1]["hash"] if before else log["initialHash"]
        final = after[-1]["hash"] if after else shown_at_release
        if shown_at_release == check["fresh"]:
            release_to_final = 0.0
        else:
            first_match = next((c for c in after if c["hash"] == check["fresh"]), None)
            release_to_final = None if first_match is None else (
                (first_match["loaded"] or first_match["t"]) - release)
        kernel_values = list(check["values"].values())
        kernel_has_value = any(abs(v - browser_value) <= 1e-6 * max(1.0, abs(v)) for v in kernel_values)
        return {
            "during": len(before),
            "after": len(after),
            "release_to_final": release_to_final,
            # The page ends on the picture the kernel draws for the values it holds, and those hold the
            # slider's final position as the page shows it.
            "final_matches": final == check["fresh"] and kernel_has_value,
            "kernel_sent_matches": check["sent"] == check["fresh"],
            "kernel_has_value": kernel_has_value,
            "browser_value": browser_value,
            "drag_seconds": interval * steps,
        }


# --------------------------------------------------------------------------------- measuring
def launch_browser(playwright, home: Path):
    return playwright.chromium.launch(executable_path=bs.chromium_path(), args=bs.CHROMIUM_ARGS, headless=True,
                                      env=bs.browser_env(home))


def measure(notebooks: list[Path] | None = None, presses: int = PRESSES, pace: float = PACE,
            drag_steps: int = DRAG_STEPS, drag_interval: float = DRAG_INTERVAL, rtt: float = RTT,
            settle: float = SETTLE, slow_link: bool = True, log: Callable[[str], None] = print) -> dict:
    """Measure every explorer in ``notebooks`` (default: every notebook); return rows for :func:`render`."""
    from playwright.sync_api import sync_playwright

    if bs.chromium_path() is None:
        raise SystemExit("widget latency: Chromium not found (apt-get install chromium)")
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if notebooks is None else notebooks
    cells = explorer_cells(paths)
    rows = []
    modified = []  # notebooks whose file changed while the browser had them open (autosave is off: never)
    load = os.getloadavg()
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="widget-latency-") as scratch:
        scratch = Path(scratch)
        server = bs.start_jupyterlab(ROOT, scratch / "jupyter_home")
        proxy = DelayProxy(int(server.base_url.rsplit(":", 1)[1]), rtt / 2).start() if slow_link else None
        playwright = sync_playwright().start()
        try:
            browser = launch_browser(playwright, scratch / "chromium_home")
            for cell in cells:
                row = {"notebook": cell.notebook.name, "explorer": cell.explorer, "load": os.getloadavg()[0]}
                digest = hashlib.sha256(cell.notebook.read_bytes()).hexdigest()
                row["keys"] = {"presses": 0, "missed": 0, "to_src": [], "to_loaded": [], "pictures_per_press": [],
                               "kernel_ms": [], "picture_bytes": []}
                row["page_errors"] = []
                session = Session(browser, server, cell, server.base_url)
                try:
                    session.open_and_run()
                    row["keys"] = session.press_keys(presses, pace)
                except Exception as error:  # one explorer that cannot be measured is reported, not fatal
                    row["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:300]
                    log(f"  {cell.notebook.name} {cell.explorer}: {row['error']}")
                finally:
                    row["page_errors"] += session.page_errors
                    session.close()
                keys = row["keys"]
                if keys["to_loaded"]:
                    median, p95 = statistics.median(keys["to_loaded"]), percentile(keys["to_loaded"], 0.95)
                    s = summary(row)
                    log(f"  {cell.notebook.name} {cell.explorer}: key → picture median {median:.0f} ms, "
                        f"p95 {p95:.0f} ms, {keys['missed']} missed; in the kernel {_ms(s['kernel_median'])} ms "
                        f"per update, pictures of {_kb(s['picture_kb'])} KB")
                if proxy is not None and "error" not in row:
                    session = Session(browser, server, cell, f"http://127.0.0.1:{proxy.port}")
                    try:
                        session.open_and_run()
                        row["drag"] = session.drag(drag_steps, drag_interval, settle)
                    except Exception as error:
                        row["error"] = f"{type(error).__name__}: {error}".splitlines()[0][:300]
                        log(f"  {cell.notebook.name} {cell.explorer} over the slow link: {row['error']}")
                    finally:
                        row["page_errors"] += session.page_errors
                        session.close()
                if "drag" in row:
                    drag = row["drag"]
                    shown = "–" if drag["release_to_final"] is None else f"{drag['release_to_final']:.0f} ms"
                    log(f"  {cell.notebook.name} {cell.explorer} over {rtt * 1e3:.0f} ms RTT: release → final "
                        f"picture {shown}, {drag['after']} picture(s) after release, "
                        f"final matches: {drag['final_matches']}")
                if hashlib.sha256(cell.notebook.read_bytes()).hexdigest() != digest:
                    modified.append(cell.notebook.name)
                    log(f"  {cell.notebook.name} changed on disk during its measurement (another editor?)")
                rows.append(row)
            browser.close()
        finally:
            playwright.stop()
            if proxy is not None:
                proxy.stop()
            server.stop()
    return {"rows": rows, "modified": modified, "load": load, "elapsed": time.time() - started, "presses": presses,
            "pace": pace, "drag_steps": drag_steps, "drag_interval": drag_interval, "rtt": rtt, "settle": settle,
            "slow_link": slow_link}


# ------------------------------------------------------------------------------------ report
def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _kb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def summary(row: dict) -> dict:
    """Median and 95th percentile (ms) of one explorer's key presses; the kernel's median time per update (ms)
    and the median size of a picture (KB, 1000 bytes)."""
    loaded = row["keys"]["to_loaded"]
    src = row["keys"]["to_src"]
    kernel_ms, picture_bytes = row["keys"].get("kernel_ms", []), row["keys"].get("picture_bytes", [])
    sizes = {"kernel_median": statistics.median(kernel_ms) if kernel_ms else None,
             "picture_kb": statistics.median(picture_bytes) / 1000 if picture_bytes else None}
    if not loaded:
        return {"median": None, "p95": None, "max": None, "src_median": None, **sizes}
    return {"median": statistics.median(loaded), "p95": percentile(loaded, 0.95), "max": max(loaded),
            "src_median": statistics.median(src), **sizes}


def targets(measured: dict) -> list[dict]:
    """The issue's targets, judged on the slowest explorer: PASS or MISS."""
    rows = measured["rows"]
    results = []
    summaries = [(row, summary(row)) for row in rows]
    measured_rows = [(row, s) for row, s in summaries if s["median"] is not None]
    missed = sum(row["keys"]["missed"] for row in rows)
    failed = [f"{row['explorer']} ({row['notebook']})" for row in rows if "error" in row]
    failed_text = f"; could not measure {', '.join(failed)}" if failed else ""
    if measured_rows:
        worst_median = max(measured_rows, key=lambda pair: pair[1]["median"])
        worst_p95 = max(measured_rows, key=lambda pair: pair[1]["p95"])
        results.append({
            "measure": "widget latency, localhost",
            "target": f"key press → new picture: median ≤ {TARGET_MEDIAN_MS} ms, "
                      f"95th percentile ≤ {TARGET_P95_MS} ms",
            "measured": f"slowest median {worst_median[1]['median']:.0f} ms ({worst_median[0]['explorer']}), "
                        f"slowest p95 {worst_p95[1]['p95']:.0f} ms ({worst_p95[0]['explorer']})"
                        + (f"; {missed} presses brought no picture" if missed else "") + failed_text,
            "result": "PASS" if (worst_median[1]["median"] <= TARGET_MEDIAN_MS and worst_p95[1]["p95"] <= TARGET_P95_MS
                                 and not missed and not failed) else "MISS"})
    drags = [row for row in rows if "drag" in row]
    if drags:
        late = [row for row in drags if row["drag"]["release_to_final"] is None
                or row["drag"]["release_to_final"] > TARGET_SLOW_FINAL_MS or not row["drag"]["final_matches"]]
        worst = max(drags, key=lambda row: float("inf") if row["drag"]["release_to_final"] is None
                    else row["drag"]["release_to_final"])
        results.append({
            "measure": "widget drag, slow link",
            "target": f"{measured['rtt'] * 1e3:.0f} ms added round trip: the final picture within "
                      f"{TARGET_SLOW_FINAL_MS} ms of release",
            "measured": f"slowest {_ms(worst['drag']['release_to_final'])} ms ({worst['explorer']}); "
                        f"{len(drags) - len(late)} of {len(drags)} explorers within target" + failed_text,
            "result": "PASS" if not late and not failed else "MISS"})
    return results


def render(measured: dict) -> str:
    rows = measured["rows"]
    load = measured["load"]
    out = ["## Widget latency in a real browser", "",
           "Each notebook's explorer in JupyterLab in headless Chromium (Playwright), on this machine "
           "(`bench/widget_latency.py`). *Localhost*: the first enabled slider of the explorer gets "
           f"{measured['presses']} ArrowRight presses (ArrowLeft at the end of its range), "
           f"{measured['pace'] * 1e3:.0f} ms apart; the latency of a press is the time from the key event to the "
           "moment the explorer's new picture has loaded in the page (`performance.now()` in the page: a "
           "`keydown` listener, a MutationObserver on the picture's `src` and its `load` event). *src* is the "
           "time until the new picture's `src` was set, before the browser decoded it. *Kernel* is the median "
           "time the kernel spent in one update (draw the figure, encode the PNG, hand it to the widget), timed "
           "in the kernel around the explorer's `update()`; *KB* is the median size of a picture sent. The rest "
           "of the latency is messages between browser and kernel and the browser decoding the picture. "
           "*Pictures per press* counts the new pictures between one press and the next.",
           "",
           f"*Slow link*: the same notebook through a TCP proxy on 127.0.0.1 that holds every chunk for "
           f"{measured['rtt'] * 500:.0f} ms each way ({measured['rtt'] * 1e3:.0f} ms added round trip). The mouse "
           f"drags the slider's handle in {measured['drag_steps']} moves {measured['drag_interval'] * 1e3:.0f} ms "
           "apart and releases it. *Release → final picture* is the time from the release until the page shows "
           "the picture of the final slider position (0: it already did). That picture is checked exactly: "
           f"after {measured['settle']:.0f} s with no change, the kernel redraws the explorer for the values it "
           "holds; *final matches* when those values hold the slider's final position and the SHA-256 of that "
           "PNG equals the SHA-256 of the last picture the page showed. *During* and *after* count the pictures shown during the drag and after the "
           "release; a queue of stale updates would show as many pictures after the release.",
           "",
           f"Load average (1 min) at the start: {load[0]:.2f} on {os.cpu_count()} cores (*load* column: at the "
           f"start of each explorer). Run took {measured['elapsed']:.0f} s.", ""]
    table = []
    for row in rows:
        s = summary(row)
        per_press = row["keys"]["pictures_per_press"]
        drag = row.get("drag")
        drag_cells = ["–"] * 4 if drag is None else [
            _ms(drag["release_to_final"]), str(drag["during"]), str(drag["after"]),
            "yes" if drag["final_matches"] else "**no**"]
        table.append([row["notebook"], row["explorer"], f"{row['keys']['presses'] - row['keys']['missed']}"
                      f"/{row['keys']['presses']}", _ms(s["median"]), _ms(s["p95"]), _ms(s["max"]),
                      _ms(s["src_median"]), _ms(s["kernel_median"]), _kb(s["picture_kb"]),
                      f"{min(per_press, default=0)}–{max(per_press, default=0)}",
                      *drag_cells, f"{row['load']:.2f}"])
    header = ["notebook", "explorer", "presses with a picture", "median ms", "p95 ms", "max ms", "src median ms",
              "kernel median ms", "KB", "pictures per press", "slow link: release → final picture ms", "during", "after", "final matches",
              "load"]
    out.append(_table(header, table))
    errors = [f"{row['explorer']} ({row['notebook']}): {error}" for row in rows for error in row.get("page_errors", [])]
    if errors:
        out += ["", "**Errors in the page:** " + "; ".join(errors)[:2000]]
    failures = [f"{row['explorer']} ({row['notebook']}): {row['error']}" for row in rows if "error" in row]
    if failures:
        out += ["", "**Not measured:** " + "; ".join(failures)]
    if measured["modified"]:
        out += ["", f"**Warning:** {', '.join(measured['modified'])} changed on disk while open in the browser."]
    return "\n".join(out) + "\n"


def _table(header: list[str], body: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", nargs="+", default=None,
                        help="notebook file names in notebooks/ (default: every notebook with an explorer)")
    parser.add_argument("--presses", type=int, default=PRESSES, help=f"key presses per explorer ({PRESSES})")
    parser.add_argument("--pace", type=float, default=PACE, help=f"seconds between key presses ({PACE})")
    parser.add_argument("--drag-steps", type=int, default=DRAG_STEPS, help=f"mouse moves in a drag ({DRAG_STEPS})")
    parser.add_argument("--drag-interval", type=float, default=DRAG_INTERVAL,
                        help=f"seconds between mouse moves ({DRAG_INTERVAL})")
    parser.add_argument("--rtt", type=float, default=RTT, help=f"added round trip of the slow link, s ({RTT})")
    parser.add_argument("--settle", type=float, default=SETTLE,
                        help=f"seconds without a new picture after which a drag has settled ({SETTLE})")
    parser.add_argument("--no-slow-link", action="store_true", help="skip the drag over the slow link")
    args = parser.parse_args(argv)
    notebooks = None if args.notebooks is None else [NOTEBOOKS / Path(name).name for name in args.notebooks]
    measured = measure(notebooks, args.presses, args.pace, args.drag_steps, args.drag_interval, args.rtt,
                       settle=args.settle, slow_link=not args.no_slow_link,
                       log=lambda message: print(message, file=sys.stderr, flush=True))
    print(render(measured), end="")
    print("\n## Widget latency targets\n")
    print(_table(["measure", "target", "measured", "result"],
                 [[t["measure"], t["target"], t["measured"], f"**{t['result']}**"] for t in targets(measured)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
