"""JupyterHub configuration for a class on one machine (see workshop/README.md).

Run it from the repository root, with the pinned environment and the pinned proxy installed::

    .venv/bin/python -m pip install -r requirements.txt -r workshop/requirements.txt
    npm ci --prefix workshop
    COURSE_HUB_PASSWORD='a-class-password' .venv/bin/jupyterhub -f workshop/jupyterhub_config.py

What it sets up:

* **Log-in:** one shared password for every learner (``COURSE_HUB_PASSWORD``, at least 8
  characters); a learner picks any user name that matches ``USERNAME_PATTERN``. The instructor logs
  in as ``COURSE_HUB_ADMIN`` with ``COURSE_HUB_ADMIN_PASSWORD`` (at least 32 characters; optional).
* **One server per learner**, each a JupyterLab in ``<state>/homes/<name>``, started as the same
  operating-system user as the hub. There is NO isolation between learners (see the README).
* **Queued start-up:** at most ``COURSE_HUB_MAX_STARTING`` servers start at the same time; the
  others wait on the hub's "Your server is starting" page. ``start_timeout`` covers that wait, so
  30 learners who log in at once all get a server (measured in ``bench/results.md``).
* **The course on the import path:** every learner's server and kernels get the pulled course
  folder first on ``PYTHONPATH``, so ``import course_utils`` loads the copy nbgitpuller pulled, and
  a fix the instructor pushes reaches a learner's kernel at its next restart.
* **The course's JupyterLab settings:** at every start the hub installs ``binder/overrides.json``
  (no news pop-up, no widget state saved in notebooks; the file Binder uses) into the environment
  its learners' servers run in (``workshop/install_overrides.py``).
* **Culling:** a server idle for ``COURSE_HUB_CULL_TIMEOUT`` seconds is stopped (files are kept);
  inside a server, a kernel with no open tab is shut down after an hour without activity.

Every setting comes from an environment variable with a default, listed in ``SETTINGS`` below.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from jupyterhub.utils import exponential_backoff

c = get_config()  # noqa: F821  (injected by JupyterHub when it loads this file)

WORKSHOP = Path(__file__).resolve().parent
ROOT = WORKSHOP.parent
sys.path.insert(0, str(WORKSHOP))
from install_overrides import OVERRIDES, install_overrides, overrides_path  # noqa: E402
from make_link import course_folder, pull_path, repository_url  # noqa: E402

#: Every knob, its environment variable and its default. Timeouts are in seconds.
SETTINGS = {
    "bind_url": ("COURSE_HUB_BIND_URL", "http://127.0.0.1:8000"),
    "state_dir": ("COURSE_HUB_STATE_DIR", str(ROOT / "workshop" / "state")),
    "password": ("COURSE_HUB_PASSWORD", ""),
    "admin": ("COURSE_HUB_ADMIN", "instructor"),
    "admin_password": ("COURSE_HUB_ADMIN_PASSWORD", ""),
    "repo": ("COURSE_REPO_URL", ""),  # empty: [project.urls] Repository in pyproject.toml
    "max_starting": ("COURSE_HUB_MAX_STARTING", "4"),
    "start_timeout": ("COURSE_HUB_START_TIMEOUT", "600"),
    "http_timeout": ("COURSE_HUB_HTTP_TIMEOUT", "120"),
    "cull_timeout": ("COURSE_HUB_CULL_TIMEOUT", "7200"),
    "hub_bind_url": ("COURSE_HUB_INTERNAL_URL", "http://127.0.0.1:8081"),
    "proxy_api_url": ("COURSE_HUB_PROXY_API_URL", "http://127.0.0.1:8001"),
    "proxy_command": ("COURSE_HUB_PROXY_COMMAND", ""),  # empty: workshop/node_modules, then PATH
}

#: Learner names become folder names: lower-case letters, digits, '-' and '_', 1 to 32 characters.
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"

#: A kernel with no browser tab attached is shut down after this long without activity (seconds).
KERNEL_CULL_TIMEOUT = 3600


def setting(name: str) -> str:
    variable, default = SETTINGS[name]
    return os.environ.get(variable, default)


def positive_int(name: str) -> int:
    variable = SETTINGS[name][0]
    text = setting(name)
    if not text.isdigit() or int(text) < 1:
        raise SystemExit(f"{variable}={text!r}: give a whole number of at least 1")
    return int(text)


def proxy_command() -> list[str]:
    """configurable-http-proxy: COURSE_HUB_PROXY_COMMAND, else the pinned copy, else the one on PATH."""
    if setting("proxy_command"):
        return [setting("proxy_command")]
    pinned = WORKSHOP / "node_modules" / ".bin" / "configurable-http-proxy"
    if pinned.exists():
        return [str(pinned)]
    on_path = shutil.which("configurable-http-proxy")
    if on_path is None:
        raise SystemExit("configurable-http-proxy not found: run `npm ci --prefix workshop` (pinned in "
                         "workshop/package-lock.json) or set COURSE_HUB_PROXY_COMMAND")
    return [on_path]


# Every learner's code runs as the user that runs the hub: never let that be root by accident.
if os.geteuid() == 0 and os.environ.get("COURSE_HUB_ALLOW_ROOT") != "1":
    raise SystemExit("Do not run the class hub as root: every learner's code would run as root. Run it as an "
                     "unprivileged user made for the class (see workshop/README.md); throw-away containers and "
                     "CI may set COURSE_HUB_ALLOW_ROOT=1.")
RUNNING_AS_ROOT = os.geteuid() == 0

password = setting("password")
if len(password) < 8:
    raise SystemExit("Set COURSE_HUB_PASSWORD to the class password (at least 8 characters).")

state_dir = Path(setting("state_dir")).resolve()
homes = state_dir / "homes"
homes.mkdir(parents=True, exist_ok=True)
os.chmod(state_dir, 0o700)

#: The Python of every learner's server and kernel: the hub's own environment.
LEARNER_PYTHON = sys.executable

# The course's JupyterLab settings, as on Binder: without them every learner is asked "Would you like
# to get notified about official Jupyter news?" on arrival. JupyterLab reads them from the learners'
# environment (the same as the hub's: sys.prefix); re-installed at every start, so a changed
# binder/overrides.json takes effect at the next start.
try:
    install_overrides(sys.prefix)
except ValueError as error:  # a broken binder/overrides.json: JupyterLab would silently drop it
    raise SystemExit(f"Not starting the hub: {error}")
except OSError as error:
    raise SystemExit(f"Could not install {OVERRIDES} for the learners' JupyterLab at {overrides_path(sys.prefix)}: "
                     f"{error}. Run `{LEARNER_PYTHON} workshop/install_overrides.py` as the owner of {sys.prefix}, "
                     "then start the hub again.")

COURSE_REPO = setting("repo") or repository_url()
COURSE_FOLDER = course_folder(COURSE_REPO)


class QueuedSpawner(SimpleLocalProcessSpawner):
    """One JupyterLab per learner, at most ``max_starting`` of them starting at the same time.

    ``start()`` waits for a free place in the queue, starts the server, and keeps its place until
    the server accepts connections (or its process exits). Without the queue, 20 learners who
    log in at once share two cores, none starts within the timeout, and all of them retry at once.
    """

    max_starting = positive_int("max_starting")
    _queue: asyncio.Semaphore | None = None

    @classmethod
    def queue(cls) -> asyncio.Semaphore:
        if cls._queue is None:
            cls._queue = asyncio.Semaphore(cls.max_starting)
        return cls._queue

    async def start(self):
        async with self.queue():
            ip, port = await super().start()

            async def accepting_connections():
                if await self.poll() is not None:
                    raise RuntimeError(f"the server of {self.user.name} exited while starting")
                return await asyncio.get_running_loop().run_in_executor(None, _can_connect, ip, port)

            await exponential_backoff(accepting_connections, f"server of {self.user.name} did not start",
                                      timeout=self.http_timeout)
            return ip, port


def _can_connect(ip: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((ip, port), timeout=1):
            return True
    except OSError:
        return False


def course_pythonpath(spawner) -> str:
    """The pulled course folder, put first on the import path of a learner's server and kernels."""
    return str(Path(spawner.home_dir) / COURSE_FOLDER)


# ------------------------------------------------------------------------------------- the hub itself
c.JupyterHub.bind_url = setting("bind_url")
c.JupyterHub.hub_bind_url = setting("hub_bind_url")
c.JupyterHub.db_url = f"sqlite:///{state_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state_dir / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state_dir / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server
c.JupyterHub.cleanup_proxy = True

c.ConfigurableHTTPProxy.api_url = setting("proxy_api_url")
c.ConfigurableHTTPProxy.command = proxy_command()
c.ConfigurableHTTPProxy.pid_file = str(state_dir / "configurable-http-proxy.pid")
# The proxy's secret: CONFIGPROXY_AUTH_TOKEN if set, else JupyterHub makes a random one.

# --------------------------------------------------------------------------------------------- log-in
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = password
c.Authenticator.allow_all = True  # anyone with the class password gets a server
c.Authenticator.username_pattern = USERNAME_PATTERN
c.Authenticator.admin_users = {setting("admin")}
if setting("admin_password"):
    c.SharedPasswordAuthenticator.admin_password = setting("admin_password")

# ---------------------------------------------------------------------------- one server per learner
c.JupyterHub.spawner_class = QueuedSpawner
c.QueuedSpawner.home_dir_template = str(homes / "{username}")
c.Spawner.cmd = [LEARNER_PYTHON, "-m", "jupyterhub.singleuser"]  # the hub's own environment
c.Spawner.default_url = pull_path(COURSE_REPO)  # logging in without the link also pulls the course
c.Spawner.environment = {"PYTHONPATH": course_pythonpath}
c.Spawner.args = [
    f"--MappingKernelManager.cull_idle_timeout={KERNEL_CULL_TIMEOUT}",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
    *(["--ServerApp.allow_root=True"] if RUNNING_AS_ROOT else []),  # only with COURSE_HUB_ALLOW_ROOT=1
]
c.Spawner.start_timeout = positive_int("start_timeout")  # queue wait + start-up
c.Spawner.http_timeout = positive_int("http_timeout")  # start-up alone, once out of the queue
# Spawns past this many wait on an error page ("try again"); the queue above keeps them below it.
c.JupyterHub.concurrent_spawn_limit = 100

# -------------------------------------------------------------------------------------------- culling
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={positive_int('cull_timeout')}",
                "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
