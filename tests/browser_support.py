"""Helpers for the real-browser tests (tests/test_browser.py): a private JupyterLab server,
Debian's Chromium, and what a notebook's stored outputs say the browser should render.

Nothing here touches the user's home: Jupyter's config, data and runtime folders, IPython's
folder and matplotlib's cache all live in a temporary directory. The server listens on
127.0.0.1 only, on a free port, and requires a random token.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: Flags for headless Chromium in a container or CI: no sandbox (we often run as root), no GPU,
#: and no traffic to Google (updates, sync, field trials, QUIC).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--mute-audio",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOT_MIME = "image/png"

#: JupyterLab user settings for the test server (written to the temporary settings folder).
#: * no autosave: the browser must never write a notebook back to disk;
#: * no windowing: every cell stays in the DOM, so we can count outputs and screenshot them all;
#: * no news or update checks (no network, no toast over the screenshot).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def browser_env(home: Path) -> dict[str, str]:
    """Chromium's environment: its config, cache and crash-report folders under ``home``."""
    env = dict(os.environ)
    env["HOME"] = str(home)
    for name, folder in {"XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache",
                         "XDG_DATA_HOME": ".local/share"}.items():
        (home / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / folder)
    return env


def chromium_path() -> str | None:
    """Debian's Chromium (package ``chromium``), or None when it is not installed."""
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """The current environment with every Jupyter/IPython/matplotlib folder moved under ``home``."""
    env = dict(os.environ)
    folders = {
        "JUPYTER_CONFIG_DIR": home / "jupyter_config",
        "JUPYTER_DATA_DIR": home / "jupyter_data",
        "JUPYTER_RUNTIME_DIR": home / "jupyter_runtime",
        "IPYTHONDIR": home / "ipython",
        "MPLCONFIGDIR": home / "matplotlib",
    }
    for name, path in folders.items():
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    # Kernels and extensions come from the environment that runs the server (sys.prefix), never
    # from a user-wide folder; the ipywidgets lab extension lives in sys.prefix/share/jupyter.
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["PYTHONNOUSERSITE"] = "1"
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@dataclass
class JupyterLab:
    """A running JupyterLab server (see :func:`start_jupyterlab`)."""

    process: subprocess.Popen
    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    home: Path
    _stopped: bool = field(default=False, repr=False)

    def url(self, path: str, **query: str) -> str:
        params = "&".join([*(f"{k}={v}" if v else k for k, v in query.items()), f"token={self.token}"])
        return f"{self.base_url}{path}?{params}"

    def api(self, method: str, path: str, timeout: float = 10) -> object:
        request = urllib.request.Request(f"{self.base_url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def shutdown_sessions(self) -> None:
        """Close every session and shut down its kernel (what "Shut Down All Kernels" does)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self, timeout: float = 20) -> None:
        if self._stopped:
            return
        self._stopped = True
        try:
            self.shutdown_sessions()
            self.api("POST", "/api/shutdown")
        except (OSError, urllib.error.URLError):
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def write_lab_settings(settings_dir: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def start_jupyterlab(root_dir: Path, home: Path, timeout: float = 90) -> JupyterLab:
    """Start ``python -m jupyter lab`` from the project environment and wait until it answers.

    The token is random; the server binds 127.0.0.1 on a free port, opens no browser, and keeps
    all its state (settings, workspaces, runtime files) under ``home``.
    """
    import secrets

    env = isolated_env(home)
    settings_dir = home / "lab_user_settings"
    workspaces_dir = home / "lab_workspaces"
    write_lab_settings(settings_dir)
    workspaces_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(24)
    port = free_port()
    log_path = home / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.password=",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.allow_root=True",  # CI containers run as root; the token still guards the server
        "--LabApp.extension_manager=readonly",  # no PyPI queries from the extension manager
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: read the kernel's state in tests
        # JupyterLab saves a first checkpoint of every notebook it opens: keep those out of the repo.
        f"--FileCheckpoints.checkpoint_dir={home / 'checkpoints'}",
        f"--LabApp.user_settings_dir={settings_dir}",
        f"--LabApp.workspaces_dir={workspaces_dir}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = log_path.open("wb")
    process = subprocess.Popen(command, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    log.close()
    server = JupyterLab(process, f"http://127.0.0.1:{port}", token, Path(root_dir), log_path, home)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {process.returncode}:\n{server.log()[-3000:]}")
        try:
            status = server.api("GET", "/api/status", timeout=2)
            if isinstance(status, dict) and "started" in status:
                return server
        except (OSError, urllib.error.URLError, ValueError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise TimeoutError(f"JupyterLab did not answer within {timeout} s:\n{server.log()[-3000:]}")
        time.sleep(0.25)


# --------------------------------------------------------------------------------------------
# What the stored notebook says the browser should show
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """Counts derived from a notebook's stored outputs (a clean top-to-bottom run)."""

    cells: int             #: all cells
    code_cells: int        #: code cells with any source (empty cells are not sent to the kernel)
    plots: int             #: image/png outputs: matplotlib figures shown with plt.show()
    widgets: int           #: widget views (application/vnd.jupyter.widget-view+json outputs)
    has_slider: bool       #: the stored widget state holds a slider model


def expected_from_notebook(path: Path) -> Expected:
    """Read what a fresh run of ``path`` must render.

    Plot images are the ``image/png`` outputs; a widget's picture (an ``ipywidgets.Image``
    inside an explorer) is part of the widget view, not a png output, so it is not counted
    as a plot. Widgets are the outputs carrying a widget view.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    plots = widgets = 0
    for cell in code:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                widgets += 1
            elif PLOT_MIME in data:
                plots += 1
    state = nb.get("metadata", {}).get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    models = {m.get("model_name", "") for m in state.get("state", {}).values()}
    has_slider = any(name.endswith("SliderModel") for name in models)
    return Expected(
        cells=len(cells),
        code_cells=sum(1 for c in code if "".join(c["source"]).strip()),
        plots=plots,
        widgets=widgets,
        has_slider=has_slider,
    )


# --------------------------------------------------------------------------------------------
# What the browser shows (JavaScript run in the page)
# --------------------------------------------------------------------------------------------

#: True once the current notebook's kernel is connected and idle (needs expose_app_in_browser).
JS_KERNEL_IDLE = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  const kernel = session && session.kernel;
  return Boolean(kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle');
}"""

#: A summary of the open notebook's rendered cells and outputs.
JS_NOTEBOOK_STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')];
  const mime = (o) => o.getAttribute('data-mime-type');
  const loaded = (img) => img.complete && img.naturalWidth > 0;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
    .map((e) => e.textContent.trim());
  const plots = outputs.filter((o) => mime(o) === 'image/png');
  const widgets = outputs.filter((o) => o.querySelector(':scope > .jupyter-widgets'));
  const widgetImages = widgets.flatMap((o) => [...o.querySelectorAll('img.widget-image')]);
  const text = (o) => (o.innerText || '').slice(0, 3000);
  return {
    cells: panel.querySelectorAll('.jp-Notebook .jp-Cell').length,
    outputs: outputs.length,
    prompts: prompts,
    executed: prompts.filter((p) => /^\\[\\d+\\]:$/.test(p)).length,
    busy: prompts.filter((p) => p === '[*]:').length,
    errors: outputs.filter((o) => ['application/vnd.jupyter.stderr', 'application/vnd.jupyter.error']
      .includes(mime(o))).map(text),
    widgetProblems: outputs.filter((o) => /Error displaying widget|Loading widget|Failed to load model/.test(text(o)))
      .map(text),
    plots: plots.length,
    plotsLoaded: plots.filter((o) => [...o.querySelectorAll('img')].some(loaded)).length,
    widgets: widgets.length,
    widgetImages: widgetImages.length,
    widgetImagesLoaded: widgetImages.filter(loaded).length,
    sliders: panel.querySelectorAll('.widget-slider').length,
  };
}"""

#: What a widget view currently shows: picture sources, HTML/text outputs, slider readouts.
JS_WIDGET_STATE = """(output) => ({
  images: [...output.querySelectorAll('img.widget-image')].map((i) => i.src),
  texts: [...output.querySelectorAll('.widget-html-content, .widget-output, .widget-label-basic')]
    .map((e) => e.innerText),
  readouts: [...output.querySelectorAll('.widget-readout')].map((e) => e.innerText),
  values: [...output.querySelectorAll('[role=slider]')].map((e) => e.getAttribute('aria-valuenow')),
})"""

#: Height the page needs so that the whole notebook fits without scrolling (for the screenshot).
JS_FULL_HEIGHT = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
  if (!scroller) return window.innerHeight;
  return window.innerHeight - scroller.clientHeight + scroller.scrollHeight;
}"""

#: Selector of the output areas that hold a widget view.
WIDGET_OUTPUT = ".jp-OutputArea-output:has(> .jupyter-widgets)"
#: Slider handles a learner can move (disabled sliders carry disabled="true" on the noUi target).
ENABLED_SLIDER_HANDLE = ".widget-slider .noUi-target:not([disabled]) .noUi-handle[role=slider]"
