"""`make bench` must not rot: run bench/run_bench.py on tiny sizes and check the report's shape.

No timing is asserted (timings are noisy); accuracy and warnings are, because they do not depend
on the machine.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.high_precision import float_grid, ulp_errors

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "run_bench.py"
FUNCTIONS = ["sigmoid", "softplus", "tanh", "softmax", "log_softmax"]
IMPLEMENTATIONS = ["course_utils", "naive", "SciPy"]
EXPLORERS = ["ActivationExplorer", "NeuronExplorer", "ThresholdExplorer", "GateExplorer", "SoftmaxExplorer",
             "BackpropExplorer", "GradientFlowExplorer"]


def load_bench():
    spec = importlib.util.spec_from_file_location("run_bench", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def markdown_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """``## Heading`` -> the rows of the first table under it, as dicts keyed by the header cells."""
    tables: dict[str, list[dict[str, str]]] = {}
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = section.partition("\n")
        lines = [line for line in body.splitlines() if line.startswith("|")]
        if not lines:
            continue
        header = [cell.strip() for cell in lines[0].strip("|").split("|")]
        assert set(lines[1].replace("|", "").split()) == {"---"}, lines[1]
        rows = []
        for line in lines[2:]:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            assert len(cells) == len(header), line
            rows.append(dict(zip(header, cells)))
        tables[heading.strip()] = rows
    return tables


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench") / "results.md"
    completed = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--output", str(output)], cwd=ROOT,
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    saved = output.read_text(encoding="utf-8")
    assert saved == completed.stdout  # printed and saved: the same table
    return saved


@pytest.fixture(scope="module")
def tables(report):
    return markdown_tables(report)


pytestmark = pytest.mark.slow


def test_report_names_the_date_machine_and_versions(report):
    assert re.search(r"\*\*Date:\*\* \d{4}-\d\d-\d\d \d\d:\d\d UTC", report)
    assert re.search(r"\*\*Machine:\*\* .+, \d+ cores", report)
    for name in ["Python 3.", "NumPy 2.", "SciPy 1."]:
        assert name in report
    assert "Quick mode" in report


def test_accuracy_table_has_every_function_and_implementation(tables):
    rows = tables["Accuracy"]
    assert list(rows[0]) == ["function", "implementation", "max ulp", "mean ulp", "> 2 ulp", "non-finite",
                             "warnings", "underflow in"]
    assert [(r["function"], r["implementation"]) for r in rows] == list(itertools.product(FUNCTIONS,
                                                                                         IMPLEMENTATIONS))


def test_course_utils_sigmoid_is_within_2_ulp_without_warnings(tables):
    row = next(r for r in tables["Accuracy"] if (r["function"], r["implementation"]) == ("sigmoid", "course_utils"))
    assert float(row["max ulp"]) <= 2
    assert row["warnings"] == "none"
    assert row["non-finite"] == "0"
    assert row["> 2 ulp"].startswith("0/")


def test_every_course_utils_function_is_accurate_and_silent(tables):
    for row in tables["Accuracy"]:
        if row["implementation"] == "course_utils":
            assert float(row["max ulp"]) <= 2, row
            assert row["warnings"] == "none", row


def test_the_bench_does_catch_the_naive_formulas_failing(tables):
    """The columns above would be meaningless if the bench could not see a failure."""
    naive = {r["function"]: r for r in tables["Accuracy"] if r["implementation"] == "naive"}
    assert "overflow in exp" in naive["sigmoid"]["warnings"]
    assert int(naive["tanh"]["non-finite"]) > 0 and naive["tanh"]["max ulp"] == "inf"
    assert "divide by zero in log" in naive["log_softmax"]["warnings"]
    assert float(naive["softplus"]["max ulp"]) > 1e6  # log(1 + tiny) rounds to 0


def test_speed_table_reports_ratios_to_scipy(tables):
    rows = tables["Speed"]
    assert [r["function"] for r in rows] == FUNCTIONS
    for row in rows:
        for column in ["course_utils ms", "naive ms", "SciPy ms"]:
            assert float(row[column]) >= 0
        for column in ["course_utils / SciPy", "naive / SciPy"]:
            assert row[column].endswith("×") and float(row[column][:-1]) > 0


def test_series_table_times_a_notebook_against_an_empty_one(tables, report):
    rows = tables["The series"]
    assert list(rows[0]) == ["notebook", "wall time s", "minus start-up s", "ratio to empty notebook", "status"]
    assert rows[0]["notebook"] == "tiny_generated.ipynb" and rows[0]["status"] == "ok"
    assert float(rows[0]["wall time s"]) > 0
    assert rows[-1]["notebook"].startswith("**total")
    assert re.search(r"kernel start-up alone, \d+\.\d\d s", report)


def test_widget_table_times_every_explorer(tables):
    rows = tables["The widgets"]
    assert list(rows[0]) == ["explorer", "median ms", "max ms", "first draw ms"]
    names = [r["explorer"].split(" ")[0] for r in rows]
    for explorer in EXPLORERS:
        assert explorer in names
    for row in rows:
        assert 0 < float(row["median ms"]) <= float(row["max ms"])


def test_targets_table_judges_every_target(tables):
    rows = tables["Targets"]
    assert [r["measure"] for r in rows] == ["sigmoid accuracy", "sigmoid speed", "softmax speed", "each notebook",
                                           "whole series", "widget update"]
    for row in rows:
        assert row["result"] in {"**PASS**", "**MISS**", "**not measured**"}, row
    assert rows[0]["result"] == "**PASS**"


def test_cached_references_give_the_same_ulp_errors_as_high_precision():
    """The bench evaluates each mpmath reference once per grid; it must agree with tests.high_precision."""
    bench = load_bench()
    grid = float_grid(n_linear=61, n_log=40, seed=3)
    with np.errstate(all="ignore"):
        cases = [("sigmoid", bench.REFERENCES["sigmoid"], bench.cu.sigmoid(grid)),
                 ("sigmoid", bench.REFERENCES["sigmoid"], bench.naive_sigmoid(grid)),
                 ("softplus", bench.REFERENCES["softplus"], bench.naive_softplus(grid)),
                 ("tanh", bench.REFERENCES["tanh"], bench.naive_tanh(grid)),
                 ("log_softmax_pair_first", bench.REFERENCES["log_softmax_pair_first"],
                  bench.scipy_log_softmax(np.stack([grid, np.zeros_like(grid)], axis=1))[:, 0])]
    for name, reference, values in cases:
        expected = ulp_errors(values, name, grid)
        measured = bench.ExactValues(reference, grid).ulp_errors(values)
        assert np.array_equal(np.isinf(measured), np.isinf(expected)), name
        finite = np.isfinite(expected)
        assert np.allclose(measured[finite], expected[finite], rtol=1e-9, atol=1e-9), name


# ---------------------------------------------------------------------- widget latency (real browser)
LATENCY_SCRIPT = ROOT / "bench" / "widget_latency.py"


@pytest.mark.browser
def test_widget_latency_bench_runs_on_one_explorer(tmp_path):
    """bench/widget_latency.py on notebook 02 with two key presses and a short drag: the report is complete
    and the picture the page shows at the end is the one the kernel draws for the final slider position.
    No time is asserted: timings belong to `make bench`."""
    import shutil

    if shutil.which("chromium") is None:
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="needs Playwright: pip install -r requirements-dev.txt")
    notebook = ROOT / "notebooks" / "02_sigmoid.ipynb"
    completed = subprocess.run([sys.executable, str(LATENCY_SCRIPT), "--notebooks", notebook.name, "--presses", "2",
                                "--drag-steps", "6", "--settle", "1"], cwd=ROOT, capture_output=True, text=True,
                               timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    tables = markdown_tables(completed.stdout)
    (row,) = tables["Widget latency in a real browser"]
    assert (row["notebook"], row["explorer"]) == ("02_sigmoid.ipynb", "NeuronExplorer")
    assert row["presses with a picture"] == "2/2"  # each key press brought a new picture
    assert row["pictures per press"] == "1–1"  # one press, one picture: nothing drawn twice
    assert 0 < float(row["median ms"]) <= float(row["p95 ms"]) <= float(row["max ms"])
    assert float(row["src median ms"]) <= float(row["median ms"])  # src is set before the picture loads
    assert row["final matches"] == "yes", row  # the page ends on the kernel's picture of the final position
    assert float(row["slow link: release → final picture ms"]) >= 0
    assert [t["measure"] for t in tables["Widget latency targets"]] == ["widget latency, localhost",
                                                                      "widget drag, slow link"]
    for target in tables["Widget latency targets"]:
        assert target["result"] in {"**PASS**", "**MISS**"}, target
    assert "changed on disk" not in completed.stdout + completed.stderr  # nothing was saved from the browser
