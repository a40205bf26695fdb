"""A class on one machine, for real: JupyterHub + configurable-http-proxy + nbgitpuller on 127.0.0.1.

The hub runs ``workshop/jupyterhub_config.py`` as shipped (a thin layer adds one API token). The course
is served to nbgitpuller from a bare git repository made from the working tree (``file://`` URL, so
the pulled folder is ``activation-functions.git``: nbgitpuller keeps the ``.git`` suffix). One learner:

* follows the link in a real browser, logs in, and lands in JupyterLab on notebook 00 of the pulled course,
  with the course's JupyterLab settings (binder/overrides.json, installed by the hub at start): no
  "official Jupyter news" pop-up, widget state not saved in notebooks;
* imports ``course_utils`` from the pulled folder in a kernel of their own server;
* runs notebook 02 in that server and gets the stored outputs (compared as nbval compares them);
* saves an answer; the instructor pushes changes to the same notebook, to another one and to
  ``course_utils``; the learner follows the link again: the answer is still there, the instructor's
  non-conflicting changes arrive, the instructor's change to the learner's own cell is dropped
  (documented in workshop/README.md), and the kernel sees the new ``course_utils`` after a restart;
* deletes a notebook and follows the link: the notebook comes back as published (the reset).

Stopping the hub stops every process it started (checked by PID). Files-only checks of the
workshop folder (link, pins, Zero to JupyterHub values) run even where the proxy is missing.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from tests import hub_support as hs

ROOT = hs.ROOT
WORKSHOP = hs.WORKSHOP
sys.path.insert(0, str(WORKSHOP))
import install_overrides  # noqa: E402
import make_link  # noqa: E402

NB00, NB02, NB03, NB01 = ("notebooks/00_welcome.ipynb", "notebooks/02_sigmoid.ipynb",
                          "notebooks/03_perceptron.ipynb", "notebooks/01_threshold.ipynb")
ARTIFACTS = ROOT / "artifacts"


# ---------------------------------------------------------------------------------- files only
def pins(path: Path) -> dict[str, str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return dict(line.split("==") for line in lines if line and not line.startswith("-"))


def test_workshop_requirements_are_the_dev_pins():
    hub = pins(WORKSHOP / "requirements.txt")
    dev = pins(ROOT / "requirements-dev.txt")
    assert set(hub) == {"jupyterhub", "nbgitpuller", "jupyterhub-idle-culler"}
    assert {name: dev.get(name) for name in hub} == hub


def test_the_proxy_is_pinned_with_a_lockfile():
    package = json.loads((WORKSHOP / "package.json").read_text())
    lock = json.loads((WORKSHOP / "package-lock.json").read_text())
    version = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == version
    ci = (ROOT / ".ci" / "run").read_text()
    assert "npm ci --prefix workshop" in ci


def test_link_names_the_folder_nbgitpuller_makes():
    github = "https://github.com/org/course"
    assert make_link.course_folder(github) == "course"
    assert make_link.course_folder(github + "/") == "course"
    assert make_link.course_folder("file:///srv/course.git") == "course.git"  # the suffix stays
    link = make_link.pull_link("https://hub.example.org/", "file:///srv/course.git", notebook="notebooks/02_sigmoid.ipynb")
    assert link == ("https://hub.example.org/hub/user-redirect/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fcourse.git"
                    "&branch=main&urlpath=lab%2Ftree%2Fcourse.git%2Fnotebooks%2F02_sigmoid.ipynb")


@pytest.mark.parametrize("hub, notebook, argument", [
    ("hub.example.org", make_link.FIRST_NOTEBOOK, "hub="),
    ("ftp://hub.example.org", make_link.FIRST_NOTEBOOK, "hub="),
    ("https://hub.example.org", "/etc/passwd", "notebook="),
    ("https://hub.example.org", "../outside.ipynb", "notebook="),
])
def test_link_rejects_bad_input_naming_the_argument(hub, notebook, argument):
    with pytest.raises(ValueError, match=argument):
        make_link.pull_link(hub, "https://github.com/org/course", notebook=notebook)


def test_make_link_command_uses_the_repository_address_from_pyproject():
    completed = subprocess.run([sys.executable, str(WORKSHOP / "make_link.py"), "--hub", "https://hub.example.org"],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    repo = make_link.repository_url()
    assert repo.startswith("https://github.com/")
    owner_and_name = repo.removeprefix("https://github.com/").strip("/")
    assert f"/gh/{owner_and_name}/" in (ROOT / "README.md").read_text()  # the Binder badge: the same repository
    assert completed.stdout.strip() == make_link.pull_link("https://hub.example.org", repo)
    assert "urlpath=lab%2Ftree%2F" + make_link.course_folder(repo) + "%2Fnotebooks%2F00_welcome.ipynb" in completed.stdout


def test_z2jh_values_use_the_same_image_link_and_import_path():
    values = yaml.safe_load((WORKSHOP / "z2jh" / "config.yaml").read_text(encoding="utf-8"))
    repo = make_link.repository_url()
    assert values["singleuser"]["defaultUrl"] == make_link.pull_path(repo)
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] == "shared-password"
    assert "user_password" not in str(values["hub"]["config"])  # the password is passed with --set, never stored
    image = f'{values["singleuser"]["image"]["name"]}:{values["singleuser"]["image"]["tag"]}'
    readme = (WORKSHOP / "README.md").read_text(encoding="utf-8")
    assert f"--image-name {image}" in readme  # the image the README builds is the one the chart runs
    appendix = (WORKSHOP / "image-appendix.Dockerfile").read_text(encoding="utf-8")
    assert f"ENV PYTHONPATH=/home/jovyan/{make_link.course_folder(repo)}\n" in appendix
    assert "workshop/requirements.txt" in appendix
    # The learners' image gets the course's JupyterLab settings from binder/ (postBuild, then the appendix).
    assert "RUN python ${REPO_DIR}/workshop/install_overrides.py\n" in appendix
    assert 'cp binder/overrides.json "$settings/overrides.json"' in (ROOT / "binder" / "postBuild").read_text()


def test_hub_refuses_to_start_without_a_class_password(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COURSE_HUB_STATE_DIR": str(tmp_path / "state"),
           "COURSE_HUB_PASSWORD": "short", "COURSE_HUB_ALLOW_ROOT": "1"}
    completed = subprocess.run([sys.executable, "-m", "jupyterhub", "-f", str(hs.HUB_CONFIG)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode != 0
    assert "COURSE_HUB_PASSWORD" in completed.stdout + completed.stderr


def test_install_overrides_copies_binder_settings_into_an_environment(tmp_path):
    prefix = tmp_path / "env"
    target = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert install_overrides.overrides_path(prefix) == target
    assert not install_overrides.is_installed(prefix)
    assert install_overrides.install_overrides(prefix) is True
    assert target.read_bytes() == (ROOT / "binder" / "overrides.json").read_bytes()
    assert install_overrides.is_installed(prefix)
    assert install_overrides.install_overrides(prefix) is False  # already there: nothing written
    assert [path.name for path in target.parent.iterdir()] == ["overrides.json"]  # no temporary file left
    target.write_text('{"@jupyterlab/apputils-extension:notification": {"fetchNews": "none"}}')
    assert not install_overrides.is_installed(prefix)
    assert install_overrides.install_overrides(prefix) is True  # an out-of-date file is replaced
    assert install_overrides.is_installed(prefix)


@pytest.mark.parametrize("content", ['{"fetchNews": "false"', '["not", "an", "object"]', '{"plugin": "false"}'])
def test_install_overrides_rejects_a_broken_settings_file_naming_it(tmp_path, content):
    source = tmp_path / "overrides.json"
    source.write_text(content)
    with pytest.raises(ValueError, match="source="):
        install_overrides.install_overrides(tmp_path / "env", source=source)
    assert not (tmp_path / "env").exists()


def test_install_overrides_command_checks_and_installs(tmp_path):
    command = [sys.executable, str(WORKSHOP / "install_overrides.py"), "--prefix", str(tmp_path)]
    check = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and "missing or out of date" in check.stdout
    install = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert install.returncode == 0, install.stderr
    assert "installed from binder/overrides.json" in install.stdout
    check = subprocess.run([*command, "--check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout
    assert install_overrides.is_installed(tmp_path)


def _load_hub_config(tmp_path, monkeypatch, learners_prefix: Path):
    """Run workshop/jupyterhub_config.py in this process as JupyterHub would, with ``sys.prefix`` set
    to ``learners_prefix`` (the environment the learners' servers would run in); returns the config."""
    import runpy

    import jupyterhub.spawner  # noqa: F401  (imported with the real sys.prefix: it reads it at import)
    from traitlets.config import Config

    for variable, value in {"COURSE_HUB_PASSWORD": "a-long-class-password", "COURSE_HUB_ALLOW_ROOT": "1",
                            "COURSE_HUB_STATE_DIR": str(tmp_path / "state"), "COURSE_HUB_PROXY_COMMAND": "/bin/true",
                            "COURSE_REPO_URL": "file:///srv/course.git"}.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setattr(sys, "prefix", str(learners_prefix))
    config = Config()
    runpy.run_path(str(hs.HUB_CONFIG), init_globals={"get_config": lambda: config})
    return config


def test_hub_installs_the_course_settings_into_the_learners_environment_at_start(tmp_path, monkeypatch):
    prefix = tmp_path / "learners-env"
    config = _load_hub_config(tmp_path, monkeypatch, prefix)
    assert install_overrides.is_installed(prefix)
    assert config.Spawner.cmd[0] == sys.executable  # the learners' servers run in the hub's environment


def test_hub_refuses_to_start_when_the_settings_cannot_be_installed(tmp_path, monkeypatch):
    not_a_folder = tmp_path / "env"
    not_a_folder.write_text("a file where the environment should be")
    with pytest.raises(SystemExit, match="workshop/install_overrides.py"):
        _load_hub_config(tmp_path, monkeypatch, not_a_folder)


# ---------------------------------------------------------------------------------- the real hub
@pytest.fixture(scope="module")
def runner():
    with asyncio.Runner() as loop_runner:
        yield loop_runner


@pytest.fixture(scope="module")
def classroom(tmp_path_factory, runner):
    if hs.proxy_command() is None:
        pytest.skip("configurable-http-proxy is not installed: run `npm ci --prefix workshop` (Node.js and "
                    "the npm registry needed; .ci/run does it)")
    directory = tmp_path_factory.mktemp("classroom")
    repo = hs.make_course_repo(directory)
    hub = hs.start_hub(directory / "hub", repo.url)
    learner = None

    async def new_learner():  # aiohttp binds its session to the running event loop
        return hs.Learner(hub, "ada")

    try:
        learner = runner.run(new_learner())
        yield hub, repo, learner
    finally:
        if learner is not None:
            runner.run(learner.close())
        hs.stop_hub(hub)


def _first_exercise_index(notebook) -> int:
    return next(i for i, cell in enumerate(notebook.cells)
                if cell.cell_type == "code" and "raise NotImplementedError  # your code here" in cell.source)


#: What JupyterLab asks a learner who has not yet answered about news (@jupyterlab/apputils-extension:announcements):
#: a pop-up ("toast") as soon as JupyterLab has restored its layout, unless the settings say "false".
NEWS_QUESTION = "official Jupyter news"
SAVE_WIDGET_STATE = "@jupyter-widgets/jupyterlab-manager:saveWidgetState"  # Settings menu item


@pytest.mark.hub
@pytest.mark.browser
def test_learner_follows_the_link_and_lands_on_notebook_00_without_a_news_pop_up(classroom, runner):
    from tests import browser_support as bs

    if bs.chromium_path() is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.async_api import async_playwright

    hub, _, _ = classroom
    lab_path = f"/user/ada/lab/tree/{hub.folder}/{NB00}"
    course_settings = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))

    async def visit():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=bs.chromium_path(), args=bs.CHROMIUM_ARGS,
                                                       headless=True, env=bs.browser_env(hub.state_dir.parent))
            try:
                page = await browser.new_page(viewport={"width": 1280, "height": 800})
                page.set_default_timeout(240_000)
                await page.goto(hub.link())
                await page.fill("#username_input", "ada")  # the hub's login form, reached through the link
                await page.fill("#password_input", hub.password)
                await page.click("#login_submit")
                await page.wait_for_url(re.compile(re.escape(lab_path) + r"$"))
                heading = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) h1", has_text="00 · Welcome and setup")
                await heading.first.wait_for(state="visible")
                tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
                seen = {"url": page.url, "tab": await tab.first.inner_text()}
                # Without the course's settings the news question is on screen by the time notebook 00 shows
                # (measured: at once). Wait for the kernel to be idle, and 2 s more, before looking for it.
                await page.locator("#jp-main-statusbar", has_text="| Idle").wait_for()
                await page.wait_for_timeout(2000)
                seen["toasts"] = await page.locator(".Toastify__toast").all_inner_texts()
                seen["page_text"] = await page.locator("body").inner_text()
                seen["unread"] = await page.locator(".jp-Notification-Status").inner_text()
                ARTIFACTS.mkdir(exist_ok=True)
                await page.screenshot(path=str(ARTIFACTS / "hub_learner_lands_on_00.png"))
                # Where this learner's JupyterLab reads its settings overrides, and what its settings say.
                page_config = json.loads(await page.locator("#jupyter-config-data").text_content())
                seen["app_settings_dir"] = page_config["appSettingsDir"]
                seen["settings"] = {}
                for plugin in course_settings:
                    response = await page.request.get(f"{hub.url}/user/ada/lab/api/settings/{plugin}")
                    assert response.ok, f"{plugin}: {response.status}"
                    seen["settings"][plugin] = await response.json()
                # The Settings menu's "Save Widget State Automatically" shows a check mark when it is on.
                await page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
                item = page.locator(f'.lm-Menu-item[data-command="{SAVE_WIDGET_STATE}"]')
                await item.wait_for(state="visible")
                seen["widget_item"] = (await item.inner_text(), await item.get_attribute("class"),
                                       await item.get_attribute("aria-checked"))
                await page.keyboard.press("Escape")
                return seen
            finally:
                await browser.close()

    seen = runner.run(visit())
    assert seen["url"].endswith(lab_path)
    assert seen["tab"] == "00_welcome.ipynb"
    pulled = hub.home("ada") / hub.folder
    assert (pulled / NB00).read_bytes() == (ROOT / NB00).read_bytes()
    assert (pulled / ".git").is_dir()

    # No news pop-up, nothing in the notification centre.
    assert seen["toasts"] == []
    assert NEWS_QUESTION not in seen["page_text"]
    assert seen["unread"].strip() == "0"
    # The learner's JupyterLab reads the settings the hub installed into its environment at start...
    assert Path(seen["app_settings_dir"]).resolve() == install_overrides.overrides_path(sys.prefix).parent.resolve()
    assert install_overrides.is_installed(sys.prefix)
    # ...and every setting of binder/overrides.json is in force (the default, not overridden by the learner).
    for plugin, values in course_settings.items():
        answer = seen["settings"][plugin]
        for name, value in values.items():
            assert answer["schema"]["properties"][name]["default"] == value, (plugin, name)
            assert name not in answer["settings"], (plugin, name)
    notification = seen["settings"]["@jupyterlab/apputils-extension:notification"]["schema"]["properties"]
    assert notification["fetchNews"]["default"] == "false"
    assert seen["settings"]["@jupyter-widgets/jupyterlab-manager:plugin"]["schema"]["properties"]["saveState"][
        "default"] is False
    # Widget state saving is off in the page itself: the menu item has no check mark.
    text, classes, checked = seen["widget_item"]
    assert text.strip() == "Save Widget State Automatically"
    assert "lm-mod-toggled" not in classes.split() and checked != "true"


@pytest.mark.hub
def test_kernel_imports_course_utils_from_the_pulled_folder(classroom, runner):
    hub, _, learner = classroom

    async def check():
        await learner.log_in()
        await learner.follow_link(hub.link())
        await learner.pull()
        kernel = await learner.open_kernel(f"{hub.folder}/{NB02}")
        try:
            reply, outputs = await kernel.execute("import os, course_utils\nprint(course_utils.__file__)\nprint(os.getcwd())")
        finally:
            await kernel.close()
        return reply, "".join(o.get("text", "") for o in outputs)

    reply, printed = runner.run(check())
    assert reply["status"] == "ok", printed
    module_file, cwd = printed.split()
    pulled = hub.home("ada") / hub.folder
    assert Path(module_file) == pulled / "course_utils" / "__init__.py"
    assert Path(cwd) == pulled / "notebooks"


@pytest.mark.hub
def test_notebook_02_reproduces_its_stored_outputs_in_the_learners_server(classroom, runner):
    hub, _, learner = classroom

    async def run():
        path = f"{hub.folder}/{NB02}"
        notebook = await learner.read_notebook(path)
        kernel = await learner.open_kernel(path)
        try:
            return notebook, await hs.run_and_compare(kernel, notebook)
        finally:
            await kernel.close()

    notebook, problems = runner.run(run())
    assert sum(cell.cell_type == "code" for cell in notebook.cells) > 10
    assert problems == []


@pytest.mark.hub
def test_update_keeps_the_saved_answer_and_brings_the_instructors_changes(classroom, runner):
    hub, repo, learner = classroom
    path02, path03 = f"{hub.folder}/{NB02}", f"{hub.folder}/{NB03}"
    answer = "def my_sigmoid(x):\n    # ada's answer, saved before the update\n    return 0.5 * (1 + np.tanh(x / 2))\n"

    # 1. The learner writes an answer and saves (JupyterLab's Save = PUT to the contents API).
    async def save_answer():
        notebook = await learner.read_notebook(path02)
        index = _first_exercise_index(notebook)
        notebook.cells[index].source = answer + notebook.cells[index].source.split("\n", 3)[-1]
        await learner.save_notebook(path02, notebook)
        return index, notebook.cells[index].source

    index, saved_cell = runner.run(save_answer())

    # 2. The instructor fixes a sentence at the top of 02, the same exercise cell, notebook 03 and course_utils.
    nb02 = nbformat.read(repo.instructor / NB02, as_version=4)
    original_exercise = nb02.cells[index].source
    nb02.cells[0].source += "\n\n*Updated by the instructor during the class.*"
    nb02.cells[index].source = original_exercise.replace("# your code here", "# your code here (hint: see above)")
    nbformat.write(nb02, repo.instructor / NB02)
    nb03 = nbformat.read(repo.instructor / NB03, as_version=4)
    nb03.cells[0].source += "\n\n*Notebook 03, updated by the instructor.*"
    nbformat.write(nb03, repo.instructor / NB03)
    init = repo.instructor / "course_utils" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + '\nWORKSHOP_UPDATE = "pushed during the class"\n',
                    encoding="utf-8")
    repo.push("Instructor: clarify notebooks 02 and 03, update course_utils")

    # 3. The learner follows the link again; the kernel they had open restarts.
    async def update():
        kernel = await learner.open_kernel(path02)
        try:
            await learner.follow_link(hub.link())
            events = await learner.pull()
            await learner.restart_kernel(kernel)
            reply, outputs = await kernel.execute("import course_utils\nprint(course_utils.WORKSHOP_UPDATE)")
        finally:
            await kernel.close()
        notebook02 = await learner.read_notebook(path02)
        notebook03 = await learner.read_notebook(path03)
        return events, reply, "".join(o.get("text", "") for o in outputs), notebook02, notebook03

    events, reply, printed, after02, after03 = runner.run(update())
    assert events[-1]["phase"] == "finished"
    assert after02.cells[index].source == saved_cell  # the saved answer survived
    assert "(hint: see above)" not in after02.cells[index].source  # the conflicting change was dropped (-Xours)
    assert after02.cells[0].source.endswith("*Updated by the instructor during the class.*")
    assert after03.cells[0].source.endswith("*Notebook 03, updated by the instructor.*")
    assert reply["status"] == "ok" and printed.strip() == "pushed during the class"


@pytest.mark.hub
def test_deleting_a_notebook_and_following_the_link_restores_it(classroom, runner):
    hub, repo, learner = classroom
    path01 = f"{hub.folder}/{NB01}"

    async def reset():
        notebook = await learner.read_notebook(path01)
        broken = copy.deepcopy(notebook)
        broken.cells = broken.cells[:1]
        await learner.save_notebook(path01, broken)  # a learner's notebook in a bad state...
        await learner.api("DELETE", f"contents/{path01}")  # ...deleted in the file browser
        await learner.follow_link(hub.link())
        await learner.pull()
        return notebook, await learner.read_notebook(path01)

    published, restored = runner.run(reset())
    assert restored == published
    assert (hub.home("ada") / hub.folder / NB01).read_bytes() == (repo.instructor / NB01).read_bytes()


@pytest.mark.hub
def test_stopping_the_hub_stops_every_process_it_started(classroom):
    hub, _, _ = classroom
    started = hs.descendants(hub.process.pid)
    commands = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                for pid in started if hs.is_running(pid)]
    assert any("configurable-http-proxy" in command for command in commands), commands
    assert any("jupyterhub.singleuser" in command for command in commands), commands
    assert any("jupyterhub_idle_culler" in command for command in commands), commands
    left = hs.stop_hub(hub)
    assert hub.process.returncode is not None
    assert left == [], f"still running after stop_hub: {left}"


def test_hub_refuses_to_run_learners_code_as_root(tmp_path):
    import os

    if os.geteuid() != 0:
        pytest.skip("the refusal applies to root only, and this test is not running as root")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COURSE_HUB_STATE_DIR": str(tmp_path / "state"),
           "COURSE_HUB_PASSWORD": "a-long-class-password"}
    completed = subprocess.run([sys.executable, "-m", "jupyterhub", "-f", str(hs.HUB_CONFIG)], cwd=tmp_path,
                               env=env, capture_output=True, text=True, timeout=120)
    assert completed.returncode != 0
    assert "Do not run the class hub as root" in completed.stdout + completed.stderr
