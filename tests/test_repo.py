"""The repository's promises: pinned environment, two-command set-up, safe `make lab`, notebook shape, docs."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from course_utils.exercises.__main__ import solutions_markdown

from .notebook_code import notebook_paths

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SERIES = ["00_welcome", "01_threshold", "02_sigmoid", "03_perceptron", "04_relu_family", "05_softmax",
          "06_backprop_sigmoid", "07_capstone"]


def test_the_series_is_complete_and_in_order():
    assert [p.stem for p in notebook_paths()] == SERIES


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_requirements_are_pinned(name):
    lines = [line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("-r ")]
    assert packages and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.\-]*", p) for p in packages)


def test_runtime_set_is_small_and_test_tools_are_separate():
    runtime = (ROOT / "requirements.txt").read_text()
    for tool in ("hypothesis", "mpmath", "scipy", "playwright"):
        assert tool not in runtime
    for package in ("jupyterlab", "numpy", "matplotlib", "ipywidgets", "nbval", "pytest"):
        assert f"{package}==" in runtime


def test_readme_leads_with_the_two_commands():
    first_heading_after_title = re.findall(r"^## .*$", README, flags=re.M)[0]
    first_code_block = re.search(r"```bash\n(.*?)```", README, flags=re.S).group(1)
    assert first_heading_after_title == "## Start here"
    assert first_code_block.lstrip().startswith("make lab") and "make test" in first_code_block
    assert README.index("make lab") < README.index("## What you will learn")


def test_readme_links_every_notebook_and_the_docs():
    for stem in SERIES:
        assert f"(notebooks/{stem}.ipynb)" in README
    for target in ("docs/activations_preview.png", "docs/glossary.md", "docs/instructor_guide.md", "docs/solutions.md"):
        assert target in README and (ROOT / target).exists()


def test_ci_runs_make_test_without_prompts():
    script = (ROOT / ".ci/run").read_text()
    assert "make test" in script and "apt-get install -y" in script and "set -euo pipefail" in script


def test_make_test_runs_strict_nbval():
    makefile = (ROOT / "Makefile").read_text()
    assert "--nbval " in makefile and "--nbval-lax" not in makefile


def test_make_lab_keeps_token_authentication():
    makefile = (ROOT / "Makefile").read_text()
    lab_recipe = makefile.split("\nlab:")[1].split("\n\n")[0]
    assert "--ip=127.0.0.1" in lab_recipe
    assert not re.search(r"token\s*=|password\s*=|disable_check_xsrf|--ip=0\.0\.0\.0", lab_recipe, flags=re.I)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_opens_notebook_00_on_localhost_behind_a_token(tmp_path):
    """The real `make lab`: a free port on 127.0.0.1, Jupyter's own random token, notebook 00 as the
    landing page, and the course's JupyterLab settings (no news pop-up) in force."""
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_DATA_DIR=str(tmp_path / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
               BROWSER="true")
    log = open(tmp_path / "lab.log", "w+")
    process = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS=--port={port} --no-browser"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        match = None
        for _ in range(480):
            time.sleep(0.25)
            log.seek(0)
            match = re.search(rf"http://127\.0\.0\.1:{port}(/\S*)\?token=([0-9a-f]+)", log.read())
            if match or process.poll() is not None:
                break
        log.seek(0)
        assert match, f"make lab did not print a tokenised URL:\n{log.read()[-3000:]}"
        printed_path, token = match.groups()
        assert printed_path == "/lab/tree/notebooks/00_welcome.ipynb", "the printed link should open notebook 00"
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/api/contents/notebooks", timeout=10)
        assert refused.value.code == 403
        with urllib.request.urlopen(f"{base}/api/contents/notebooks?token={token}", timeout=10) as response:
            assert response.status == 200 and b"00_welcome.ipynb" in response.read()

        # The server's front door lands on notebook 00 (JupyterLab ignores ServerApp.default_url).
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(f"{base}/?token={token}", timeout=10) as response:
            landing = urllib.parse.urlparse(response.url).path
            page = response.read().decode()
        assert landing == "/lab/tree/notebooks/00_welcome.ipynb", landing
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, flags=re.S).group(1))
        assert config["treePath"] == "notebooks/00_welcome.ipynb"

        # binder/overrides.json is in force (JupyterLab applies it as the settings' defaults):
        # no news pop-up, no widget state saved into notebooks.
        def defaults(plugin: str) -> dict:
            with browser.open(f"{base}/lab/api/settings/{plugin}?token={token}", timeout=10) as response:
                schema = json.loads(response.read())["schema"]
            return {name: spec.get("default") for name, spec in schema["properties"].items()}

        notification = defaults("@jupyterlab/apputils-extension:notification")
        assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
        assert defaults("@jupyter-widgets/jupyterlab-manager:plugin")["saveState"] is False
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()


# ------------------------------------------------------------------ notebooks
NOTEBOOKS = {p.stem: nbformat.read(p, as_version=4) for p in notebook_paths()}


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("stem", SERIES)
def test_notebook_follows_the_template(stem):
    nb = NOTEBOOKS[stem]
    text = _markdown(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(f"# {stem[:2]}")
    for required in ("objectives", "Estimated time", "Prerequisite"):
        assert re.search(required, text, flags=re.I), required
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    for section in ("## Your turn", "## Summary", "## Common pitfalls", "## References"):
        assert any(h.startswith(section) for h in headings), section
    order = [next(i for i, h in enumerate(headings) if h.startswith(s))
             for s in ("## Your turn", "## Summary", "## Common pitfalls", "## References")]
    assert order == sorted(order)


@pytest.mark.parametrize("stem", SERIES)
def test_summary_links_the_glossary(stem):
    cells = [c.source for c in NOTEBOOKS[stem].cells if c.cell_type == "markdown"]
    start = next(i for i, text in enumerate(cells) if text.startswith("## Summary"))
    summary = [cells[start].split("\n## ")[0]]
    for text in cells[start + 1:]:
        if text.startswith("## "):
            break
        summary.append(text)
    assert "../docs/glossary.md" in "\n".join(summary)


@pytest.mark.parametrize("stem", SERIES)
def test_every_cell_has_slide_metadata(stem):
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in NOTEBOOKS[stem].cells]
    assert all(t in {"slide", "subslide", "fragment", "-", "skip", "notes"} for t in types)
    assert types[0] == "slide" and types.count("slide") >= 5


@pytest.mark.parametrize("stem", SERIES)
def test_nbval_ignore_output_only_on_widget_cells(stem):
    for cell in NOTEBOOKS[stem].cells:
        if cell.cell_type == "code" and "NBVAL_IGNORE_OUTPUT" in cell.source:
            mimes = {m for out in cell.outputs for m in out.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" in mimes, cell.source[:80]


@pytest.mark.parametrize("stem", SERIES)
def test_exercise_stubs_are_stored_unsolved(stem):
    """Every exercise has a stub cell whose stored output is the friendly "not implemented yet"
    (or "not answered yet" for a multiple-choice question)."""
    shown: dict[str, list[str]] = {}
    for cell in NOTEBOOKS[stem].cells:
        if cell.cell_type != "code":
            continue
        for name in re.findall(r"^(nb\d\d\.\w+)\.check\(", cell.source, flags=re.M):
            shown.setdefault(name, []).append("".join(out.get("text", "") for out in cell.outputs))
    assert len(shown) >= 2
    for name, outputs in shown.items():
        assert any("not implemented yet" in text or "not answered yet" in text for text in outputs), name


# ------------------------------------------------------------------ docs
def test_solutions_listing_is_up_to_date():
    assert (ROOT / "docs/solutions.md").read_text(encoding="utf-8") == solutions_markdown(), \
        "run `make solutions` to regenerate docs/solutions.md"


def test_glossary_covers_the_core_terms_in_three_languages():
    glossary = (ROOT / "docs/glossary.md").read_text(encoding="utf-8")
    rows = [line for line in glossary.splitlines() if line.startswith("| ") and not line.startswith("| English")]
    assert len(rows) >= 60
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 5 and all(cells), row
        assert re.search(r"[\uac00-\ud7a3]", cells[1]), f"no Korean in {row}"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]|[A-Za-z]", cells[2]), row
    terms = " ".join(r.split("|")[1].lower() for r in rows)
    for term in ("activation function", "affine transformation", "vanishing gradient", "dead relu", "logit",
                 "computational graph", "backpropagation", "softmax", "perceptron", "chain rule"):
        assert term in terms, term

