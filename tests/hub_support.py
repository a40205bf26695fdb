"""A real classroom hub for tests/test_hub.py and bench/classroom.py.

* :func:`make_course_repo`: a bare git repository made from the working tree (the files git tracks,
  as they are on disk), served to nbgitpuller by a ``file://`` URL, plus the instructor's clone
  that pushes updates to it.
* :func:`start_hub` / :func:`stop_hub`: JupyterHub with ``workshop/jupyterhub_config.py`` and the
  pinned configurable-http-proxy, on 127.0.0.1 and free ports, with random secrets, in a temporary
  folder. A thin test layer adds one API token (a service) so tests can act as the instructor.
  Stopping sends SIGTERM to the hub and then to every process it had started (by PID).
* :class:`Learner`: what a learner's browser does, over HTTP: log in with the class password,
  follow the nbgitpuller link, pull, start a kernel, save a notebook.
* :class:`KernelChannel` and :func:`run_and_compare`: run a notebook's cells in that kernel and
  compare the outputs with the stored ones the way nbval does (same skipped keys, same
  sanitisers from tests/sanitize.cfg, same NBVAL_* markers).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import nbformat
from yarl import URL
from nbval.plugin import (coalesce_streams, find_comment_markers, find_metadata_tags, get_sanitize_patterns,
                          transform_streams_for_comparison)

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "workshop"
HUB_CONFIG = WORKSHOP / "jupyterhub_config.py"
PINNED_PROXY = WORKSHOP / "node_modules" / ".bin" / "configurable-http-proxy"
SANITIZE_CFG = ROOT / "tests" / "sanitize.cfg"

if str(WORKSHOP) not in sys.path:
    sys.path.insert(0, str(WORKSHOP))
from make_link import course_folder, pull_link  # noqa: E402

#: nbval compares every output key except these (with its default options, images are skipped too).
SKIP_COMPARE = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")


# ------------------------------------------------------------------------------------------ processes
def proxy_command() -> str | None:
    """The pinned proxy (``npm ci --prefix workshop``), else one on PATH, else None."""
    if PINNED_PROXY.exists():
        return str(PINNED_PROXY)
    return shutil.which("configurable-http-proxy")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """PIDs of every process below ``pid`` (children, grandchildren, ...), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def is_running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def stop_pids(pids: list[int], grace: float = 10.0) -> list[int]:
    """SIGTERM each PID, SIGKILL what is left after ``grace`` seconds; returns the PIDs that needed SIGKILL."""
    for pid in pids:
        if is_running(pid):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(is_running(pid) for pid in pids):
        time.sleep(0.1)
    killed = [pid for pid in pids if is_running(pid)]
    for pid in killed:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return killed


def pss_bytes(pid: int) -> int:
    """Proportional set size of one process (shared pages split between their users), 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# --------------------------------------------------------------------------------------- the course
def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd), "GIT_TERMINAL_PROMPT": "0"}
    completed = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {completed.stderr.strip()}")
    return completed.stdout


@dataclass
class CourseRepo:
    """The course as a bare repository (``url``) and the instructor's clone that pushes to it."""

    url: str
    bare: Path
    instructor: Path

    def push(self, message: str) -> None:
        git("add", "-A", cwd=self.instructor)
        git("-c", "user.name=Instructor", "-c", "user.email=instructor@example.org", "commit", "-qm", message,
            cwd=self.instructor)
        git("push", "-q", "origin", "main", cwd=self.instructor)


def make_course_repo(directory: Path, name: str = "activation-functions.git") -> CourseRepo:
    """A bare repository ``directory/name`` holding the working tree's tracked files as they are on disk."""
    instructor = directory / "instructor"
    instructor.mkdir(parents=True)
    tracked = git("ls-files", "-z", cwd=ROOT).split("\0")
    for relative in filter(None, tracked):
        source = ROOT / relative
        if source.is_file():  # tracked but deleted on disk: not part of the working tree
            target = instructor / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    bare = directory / name
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=directory)
    git("init", "-q", "-b", "main", cwd=instructor)
    git("remote", "add", "origin", str(bare), cwd=instructor)
    repo = CourseRepo(url=f"file://{bare}", bare=bare, instructor=instructor)
    repo.push("The course, as in the working tree")
    return repo


# ---------------------------------------------------------------------------------------------- hub
TEST_LAYER = """\
# tests/hub_support.py: the shipped configuration, plus one API token for the tests (the instructor's tools).
import os
load_subconfig({config!r})
c.JupyterHub.services.append({{"name": "course-tests", "api_token": os.environ["COURSE_TEST_API_TOKEN"]}})
c.JupyterHub.load_roles.append({{
    "name": "course-tests",
    "scopes": ["admin:users", "admin:servers", "access:servers", "read:metrics"],
    "services": ["course-tests"],
}})
"""


@dataclass
class Hub:
    """A running JupyterHub (see :func:`start_hub`)."""

    process: subprocess.Popen
    url: str
    api_token: str
    password: str
    repo_url: str
    state_dir: Path
    log_path: Path
    pids: list[int] = field(default_factory=list)

    def link(self, notebook: str = "notebooks/00_welcome.ipynb") -> str:
        return pull_link(self.url, self.repo_url, "main", notebook)

    @property
    def folder(self) -> str:
        return course_folder(self.repo_url)

    def home(self, name: str) -> Path:
        return self.state_dir / "homes" / name

    def log_tail(self, characters: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-characters:]


def start_hub(directory: Path, repo_url: str, *, max_starting: int | None = None, timeout: float = 90) -> Hub:
    """Start JupyterHub with the shipped configuration on 127.0.0.1 (free ports, random secrets)."""
    proxy = proxy_command()
    if proxy is None:
        raise FileNotFoundError("configurable-http-proxy")
    directory.mkdir(parents=True, exist_ok=True)
    layer = directory / "jupyterhub_config.py"
    layer.write_text(TEST_LAYER.format(config=str(HUB_CONFIG)), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    token, password = secrets.token_hex(32), secrets.token_urlsafe(16)
    env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "/usr/bin:/bin")]),
        "HOME": str(directory),
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "COURSE_HUB_BIND_URL": url,
        "COURSE_HUB_INTERNAL_URL": f"http://127.0.0.1:{free_port()}",
        "COURSE_HUB_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
        "COURSE_HUB_PROXY_COMMAND": proxy,
        "COURSE_HUB_STATE_DIR": str(directory / "state"),
        "COURSE_HUB_PASSWORD": password,
        "COURSE_REPO_URL": repo_url,
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
        "COURSE_TEST_API_TOKEN": token,
    }
    if os.geteuid() == 0:  # containers and CI run as root; the shipped config refuses root unless told
        env["COURSE_HUB_ALLOW_ROOT"] = "1"
    if max_starting is not None:
        env["COURSE_HUB_MAX_STARTING"] = str(max_starting)
    log_path = directory / "jupyterhub.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(layer)], cwd=directory, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    hub = Hub(process, url, token, password, repo_url, directory / "state", log_path)
    deadline = time.monotonic() + timeout
    import urllib.error
    import urllib.request

    while True:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {process.returncode}:\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api/", timeout=2) as response:
                if response.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            stop_hub(hub)
            raise TimeoutError(f"JupyterHub did not answer within {timeout} s:\n{hub.log_tail()}")
        time.sleep(0.3)
    return hub


def stop_hub(hub: Hub) -> list[int]:
    """Stop the hub and every process below it, by PID; returns the PIDs that were still running after."""
    hub.pids = descendants(hub.process.pid)
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    stop_pids(hub.pids)
    return [pid for pid in hub.pids if is_running(pid)]


# ------------------------------------------------------------------------------------------ learners
class Learner:
    """One learner's browser, over HTTP (aiohttp keeps the hub's and the server's cookies)."""

    def __init__(self, hub: Hub, name: str):
        import aiohttp

        self.hub, self.name = hub, name
        # unsafe=True: keep cookies set by an IP-address host (127.0.0.1).
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=None, sock_read=600))
        self.server = f"{hub.url}/user/{name}"

    async def close(self) -> None:
        await self.http.close()

    def xsrf(self, url: str) -> str:
        cookie = self.http.cookie_jar.filter_cookies(URL(url)).get("_xsrf")
        return cookie.value if cookie is not None else ""

    async def log_in(self, password: str | None = None) -> None:
        """The hub's login form: user name and the class password."""
        login = f"{self.hub.url}/hub/login"
        async with self.http.get(login) as response:
            response.raise_for_status()
        form = {"username": self.name, "password": password or self.hub.password, "_xsrf": self.xsrf(login)}
        async with self.http.post(login, data=form, allow_redirects=False) as response:
            if response.status != 302:
                raise PermissionError(f"login of {self.name} answered {response.status}")

    async def follow_link(self, link: str, timeout: float = 600, poll: float = 1.0) -> str:
        """Open the nbgitpuller link and wait until the learner's own server answers it.

        While the server starts, the hub answers with its "starting" page; a browser waits there,
        and we ask again every ``poll`` seconds. Returns the final URL (the nbgitpuller page).
        """
        deadline = time.monotonic() + timeout
        while True:
            async with self.http.get(link) as response:
                final = str(response.url)
                if response.status == 200 and urlsplit(final).path.startswith(f"/user/{self.name}/git-pull"):
                    return final
                if response.status >= 500 or response.status in (403, 404):
                    raise RuntimeError(f"{link} -> {response.status} at {final}: {(await response.text())[:500]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server of {self.name} was not ready after {timeout} s (last: {final})")
            await asyncio.sleep(poll)

    async def pull(self, branch: str = "main") -> list[dict]:
        """What the nbgitpuller page's script does: the pull API's event stream, to its last event."""
        query = urlencode({"repo": self.hub.repo_url, "branch": branch, "targetpath": self.hub.folder}, quote_via=quote)
        events = []
        async with self.http.get(f"{self.server}/git-pull/api?{query}") as response:
            response.raise_for_status()
            async for raw in response.content:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))
        if not events or events[-1].get("phase") != "finished":
            raise RuntimeError(f"nbgitpuller did not finish for {self.name}: {events[-3:]}")
        return events

    async def api(self, method: str, path: str, body: dict | None = None) -> dict | None:
        url = f"{self.server}/api/{path}"
        headers = {"X-XSRFToken": self.xsrf(url)}
        async with self.http.request(method, url, json=body, headers=headers) as response:
            if response.status >= 400:
                raise RuntimeError(f"{method} {url} -> {response.status}: {(await response.text())[:500]}")
            return await response.json() if response.status != 204 else None

    async def open_kernel(self, notebook_path: str) -> "KernelChannel":
        """Start a kernel for ``notebook_path`` (its folder is the kernel's working directory) and connect."""
        session = await self.api("POST", "sessions", {"path": notebook_path, "type": "notebook",
                                                      "name": Path(notebook_path).name,
                                                      "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        ws_url = f"{self.server}/api/kernels/{kernel_id}/channels".replace("http://", "ws://", 1)
        websocket = await self.http.ws_connect(f"{ws_url}?session_id={uuid.uuid4().hex}", max_msg_size=0)
        channel = KernelChannel(websocket, kernel_id, session["id"])
        await channel.wait_ready()
        return channel

    async def restart_kernel(self, channel: "KernelChannel") -> None:
        await self.api("POST", f"kernels/{channel.kernel_id}/restart")
        await channel.wait_ready()

    async def read_notebook(self, path: str) -> nbformat.NotebookNode:
        model = await self.api("GET", f"contents/{quote(path)}?content=1")
        return nbformat.from_dict(model["content"])

    async def save_notebook(self, path: str, notebook: nbformat.NotebookNode) -> None:
        """What JupyterLab's Save does: PUT the whole notebook to the contents API."""
        await self.api("PUT", f"contents/{quote(path)}", {"type": "notebook", "format": "json", "content": notebook})


def decode_binary_message(data: bytes) -> dict:
    """A message with binary buffers (widgets send them): a count n, n offsets, the JSON, the buffers.

    Every number is a 4-byte big-endian unsigned integer; the JSON part runs from the first offset
    to the second (or to the end when there are no buffers). The buffers themselves are not needed here.
    """
    count = int.from_bytes(data[:4], "big")
    offsets = [int.from_bytes(data[4 * (i + 1):4 * (i + 2)], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(data)
    return json.loads(data[offsets[0]:end])


class KernelChannel:
    """A kernel's websocket (Jupyter's JSON message protocol): execute code, collect its outputs."""

    def __init__(self, websocket, kernel_id: str, session_id: str):
        self.websocket, self.kernel_id, self.session = websocket, kernel_id, session_id

    async def close(self) -> None:
        await self.websocket.close()

    def _message(self, msg_type: str, content: dict) -> dict:
        header = {"msg_id": uuid.uuid4().hex, "username": "learner", "session": self.session,
                  "msg_type": msg_type, "version": "5.3", "date": ""}
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content,
                "channel": "shell", "buffers": []}

    async def _request(self, msg_type: str, content: dict, timeout: float):
        """Send one shell request; return (reply content, iopub messages for it) once the kernel is idle again."""
        message = self._message(msg_type, content)
        msg_id = message["header"]["msg_id"]
        await self.websocket.send_str(json.dumps(message))
        reply, iopub, idle = None, [], False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{msg_type} got no reply within {timeout} s")
            incoming = await self.websocket.receive(timeout=remaining)
            if incoming.type.name == "TEXT":
                msg = json.loads(incoming.data)
            elif incoming.type.name == "BINARY":
                msg = decode_binary_message(incoming.data)
            else:
                raise ConnectionError(f"kernel websocket: {incoming.type.name}")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if msg["channel"] == "shell":
                reply = msg["content"]
            elif msg["channel"] == "iopub":
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                else:
                    iopub.append(msg)
        return reply, iopub

    async def wait_ready(self, timeout: float = 300) -> None:
        """Ask for kernel_info until the kernel answers: it is started and idle."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                await self._request("kernel_info_request", {}, timeout=min(10, max(1, deadline - time.monotonic())))
                return
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise

    async def execute(self, code: str, timeout: float = 120) -> tuple[dict, list]:
        """Run ``code``; returns (execute_reply content, outputs as nbformat output nodes)."""
        reply, iopub = await self._request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, timeout)
        outputs: list = []
        for msg in iopub:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
            elif kind in ("display_data", "execute_result"):
                extra = {"execution_count": content["execution_count"]} if kind == "execute_result" else {}
                outputs.append(nbformat.v4.new_output(kind, data=content["data"],
                                                      metadata=content.get("metadata", {}), **extra))
            elif kind == "error":
                outputs.append(nbformat.v4.new_output("error", ename=content["ename"], evalue=content["evalue"],
                                                      traceback=content["traceback"]))
            elif kind == "clear_output":
                outputs.clear()
        return reply, outputs


# ------------------------------------------------------------------------------------- like nbval
def _sanitize(value, patterns):
    if not isinstance(value, str):
        return value
    for regex, replace in patterns:
        value = re.sub(regex, replace, value)
    return value


def _flatten(outputs, patterns) -> dict[str, list]:
    flat: dict[str, list] = {}
    for output in transform_streams_for_comparison(outputs):
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_COMPARE:
                        flat.setdefault(mime, []).append(_sanitize(data, patterns))
            else:
                flat.setdefault(key, []).append(_sanitize(value, patterns))
    return flat


async def run_and_compare(channel: KernelChannel, notebook: nbformat.NotebookNode,
                          cell_timeout: float = 120) -> list[str]:
    """Run every code cell in order and compare with the stored outputs as nbval does.

    Returns one line per difference (empty: the run reproduced the stored outputs).
    """
    patterns = get_sanitize_patterns(SANITIZE_CFG.read_text(encoding="utf-8"))
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        options = {"check": True, "check_exception": False, "skip": False}
        options.update(dict(find_comment_markers(cell.source)))
        options.update(dict(find_metadata_tags(cell.metadata)))
        if options["skip"]:
            continue
        reply, outputs = await channel.execute(cell.source, cell_timeout)
        if reply["status"] == "error" and not options["check_exception"]:
            problems.append(f"cell {index}: {reply.get('ename')}: {reply.get('evalue')}")
            break
        if not options["check"] or cell.execution_count is None:
            continue
        got = _flatten(coalesce_streams(outputs), patterns)
        stored = _flatten(coalesce_streams(list(cell.outputs)), patterns)
        if got != stored:
            keys = sorted(set(got) | set(stored))
            differing = [key for key in keys if got.get(key) != stored.get(key)]
            detail = "; ".join(f"{key}: stored {str(stored.get(key))[:200]!r} != run {str(got.get(key))[:200]!r}"
                               for key in differing)
            problems.append(f"cell {index}: {detail}")
    return problems
