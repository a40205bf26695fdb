#!/usr/bin/env python
"""``make bench``: accuracy and speed of course_utils against SciPy and the textbook formulas,
the run time of every notebook, and the update time of every widget.

One run prints a Markdown report and saves it (``bench/results.md`` by default)::

    .venv/bin/python bench/run_bench.py                  # the full run, a few minutes
    .venv/bin/python bench/run_bench.py --quick          # tiny sizes, seconds; saves only with --output
    .venv/bin/python bench/run_bench.py --skip-notebooks --output /tmp/results.md

Sections of the report:

* Accuracy: max and mean error in ulps against mpmath (``tests/high_precision.py``) on the dense
  float64 grid ``float_grid()``, for course_utils, the naive formulas and SciPy; the warnings each
  raised; how many results are inf/NaN where the true value is finite.
* Speed: best-of-N time per call on 10**7 float64 elements (a 10**4 x 10**3 batch for softmax),
  as a ratio to SciPy measured in the same run.
* The series: wall time of each notebook from a fresh kernel (notebooks are not written back),
  beside the time of an empty notebook (kernel start-up alone).
* The widgets: median time of one update callback of each explorer.
* Widget latency in a real browser (``bench/widget_latency.py``): key press to new picture per
  explorer in JupyterLab, and a slider drag over a link with 150 ms added round trip.
* Targets (from issue 7), each marked PASS or MISS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import warnings
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.high_precision (the mpmath references shared with the tests)

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.special  # noqa: E402

import course_utils as cu  # noqa: E402
from tests.high_precision import REFERENCES, float_grid  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results.md"
NOTEBOOKS = ROOT / "notebooks"
SPEED_SEED = 2024

# ---------------------------------------------------------------------------------------------- sizes
FULL = {
    "grid": {},  # float_grid() defaults: 20001 linear + 4000 log-uniform + 7 special = 24008 points
    "elements": 10**7,
    "batch": (10**4, 10**3),
    "repeat": 7,
    "updates": 20,
    "empty_runs": 3,
}
QUICK = {
    "grid": {"n_linear": 201, "n_log": 50},
    "elements": 10**4,
    "batch": (100, 100),
    "repeat": 2,
    "updates": 3,
    "empty_runs": 1,
}


# ------------------------------------------------------------------------------------ implementations
def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def naive_softplus(x):
    return np.log(1 + np.exp(x))


def naive_tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def naive_softmax(a):
    return np.exp(a) / np.sum(np.exp(a), axis=-1, keepdims=True)


def naive_log_softmax(a):
    return np.log(naive_softmax(a))


def scipy_softplus(x):
    return np.logaddexp(0, x)


def scipy_softmax(a):
    return scipy.special.softmax(a, axis=-1)


def scipy_log_softmax(a):
    return scipy.special.log_softmax(a, axis=-1)


IMPLEMENTATIONS = ("course_utils", "naive", "SciPy")

#: function -> (kind, {implementation: callable}). "elementwise" functions take the grid;
#: "pair" functions take rows [x, 0], whose exact softmax/log_softmax is known in closed form.
FUNCTIONS: dict[str, tuple[str, dict[str, Callable]]] = {
    "sigmoid": ("elementwise", {"course_utils": cu.sigmoid, "naive": naive_sigmoid, "SciPy": scipy.special.expit}),
    "softplus": ("elementwise", {"course_utils": cu.softplus, "naive": naive_softplus, "SciPy": scipy_softplus}),
    "tanh": ("elementwise", {"course_utils": cu.tanh, "naive": naive_tanh, "SciPy": np.tanh}),
    "softmax": ("pair", {"course_utils": cu.softmax, "naive": naive_softmax, "SciPy": scipy_softmax}),
    "log_softmax": ("pair", {"course_utils": cu.log_softmax, "naive": naive_log_softmax,
                             "SciPy": scipy_log_softmax}),
}

SCIPY_NAMES = {
    "sigmoid": "`scipy.special.expit`",
    "softplus": "`np.logaddexp(0, x)`",
    "tanh": "`np.tanh` (SciPy has no tanh of its own)",
    "softmax": "`scipy.special.softmax`",
    "log_softmax": "`scipy.special.log_softmax`",
}
NAIVE_NAMES = {
    "sigmoid": "`1/(1+np.exp(-x))`",
    "softplus": "`np.log(1+np.exp(x))`",
    "tanh": "`(np.exp(x)-np.exp(-x))/(np.exp(x)+np.exp(-x))`",
    "softmax": "`np.exp(a)/np.sum(np.exp(a))`",
    "log_softmax": "`np.log(naive softmax)`",
}


def _sigmoid_of_minus(v):
    return REFERENCES["sigmoid"](-v)


#: Exact values of each output column. softmax([x, 0]) = [σ(x), σ(-x)];
#: log_softmax([x, 0]) = [-softplus(-x), -softplus(x)].
COLUMN_REFERENCES = {
    "sigmoid": [REFERENCES["sigmoid"]],
    "softplus": [REFERENCES["softplus"]],
    "tanh": [REFERENCES["tanh"]],
    "softmax": [REFERENCES["softmax_pair"], _sigmoid_of_minus],
    "log_softmax": [REFERENCES["log_softmax_pair_first"], REFERENCES["log_softmax_pair_second"]],
}


# ------------------------------------------------------------------------------------------ accuracy
class ExactValues:
    """One mpmath reference evaluated once on a grid, then compared with any number of implementations.

    For each point we keep the nearest float ``n`` to the exact value and the rest in ulps,
    ``r = (exact - n) / ulp(n)``. The error of a computed ``c`` in ulps is then
    ``|(c - n)/ulp(n) - r|``, the same number ``tests.high_precision.ulp_errors`` gives
    (it redoes the mpmath work for every call, which is the slow part of the benchmark).
    """

    def __init__(self, reference: Callable, grid: np.ndarray) -> None:
        self.nearest = np.empty(grid.size)
        self.residual = np.zeros(grid.size)
        for i, x in enumerate(grid):
            exact = reference(x)
            nearest = float(exact)
            self.nearest[i] = nearest
            if math.isfinite(nearest):
                self.residual[i] = float((exact - mpmath.mpf(nearest)) / math.ulp(nearest))
        self.ulp = np.array([math.ulp(v) for v in self.nearest])

    def ulp_errors(self, computed) -> np.ndarray:
        """|computed - exact| / ulp(exact) at every point (0 where both are the same infinity, inf if non-finite)."""
        computed = np.asarray(computed, dtype=np.float64).ravel()
        with np.errstate(all="ignore"):
            errors = np.abs((computed - self.nearest) / self.ulp - self.residual)
        special = np.isinf(self.nearest) | ~np.isfinite(computed)
        errors[special] = np.where(computed[special] == self.nearest[special], 0.0, np.inf)
        return errors

    def nonfinite_where_finite(self, computed) -> int:
        computed = np.asarray(computed, dtype=np.float64).ravel()
        return int(np.sum(~np.isfinite(computed) & np.isfinite(self.nearest)))


def call_recording_warnings(function: Callable, argument: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Call ``function(argument)`` with every floating-point problem turned into a warning; return the result
    and the distinct warning messages.

    ``np.errstate(all="warn")`` also reports underflow, which NumPy ignores by default: ``exp(-745)``
    rounding to a subnormal or to 0 is the correctly rounded answer, not an error. The report keeps
    underflow in a column of its own, so "warnings" means what a learner would see with NumPy's defaults.
    """
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        result = np.asarray(function(argument))
    messages = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    return result, messages


def measure_accuracy(grid: np.ndarray, log: Callable[[str], None]) -> list[dict]:
    exact_cache: dict[Callable, ExactValues] = {}

    def exact_for(reference: Callable) -> ExactValues:
        if reference not in exact_cache:
            start = time.perf_counter()
            exact_cache[reference] = ExactValues(reference, grid)
            log(f"  mpmath reference {getattr(reference, '__name__', reference)}: {time.perf_counter() - start:.1f} s")
        return exact_cache[reference]

    pairs = np.stack([grid, np.zeros_like(grid)], axis=1)
    rows = []
    for name, (kind, implementations) in FUNCTIONS.items():
        references = [exact_for(reference) for reference in COLUMN_REFERENCES[name]]
        argument = grid if kind == "elementwise" else pairs
        for implementation in IMPLEMENTATIONS:
            result, messages = call_recording_warnings(implementations[implementation], argument)
            columns = [result] if kind == "elementwise" else [result[:, 0], result[:, 1]]
            errors = np.concatenate([exact.ulp_errors(column) for exact, column in zip(references, columns)])
            nonfinite = sum(exact.nonfinite_where_finite(column) for exact, column in zip(references, columns))
            finite = errors[np.isfinite(errors)]
            rows.append({
                "function": name,
                "implementation": implementation,
                "max_ulp": float(errors.max()),
                "mean_ulp": float(finite.mean()) if finite.size else float("nan"),
                "worse_than_2_ulp": int(np.sum(errors > 2)),
                "nonfinite": nonfinite,
                "points": errors.size,
                "warnings": [m for m in messages if "underflow" not in m],
                "underflow": [m for m in messages if "underflow" in m],
            })
    return rows


# --------------------------------------------------------------------------------------------- speed
def best_time(function: Callable, argument: np.ndarray, repeat: int) -> float:
    """Best of ``repeat`` single calls, in seconds (warnings silenced: we time the arithmetic)."""
    with np.errstate(all="ignore"):
        function(argument)  # warm-up: page in the memory for the result
        return min(timeit.repeat(lambda: function(argument), number=1, repeat=repeat))


def measure_speed(elements: int, batch: tuple[int, int], repeat: int, log: Callable[[str], None]) -> list[dict]:
    rng = np.random.default_rng(SPEED_SEED)
    vector = rng.normal(0.0, 4.0, elements)
    logits = rng.normal(0.0, 4.0, batch)
    rows = []
    for name, (kind, implementations) in FUNCTIONS.items():
        argument = vector if kind == "elementwise" else logits
        times = {implementation: best_time(implementations[implementation], argument, repeat)
                 for implementation in IMPLEMENTATIONS}
        log(f"  speed {name}: " + ", ".join(f"{k} {v * 1e3:.1f} ms" for k, v in times.items()))
        rows.append({"function": name, "shape": argument.shape, "seconds": times,
                     "ratio": {k: v / times["SciPy"] for k, v in times.items()}})
    return rows


# -------------------------------------------------------------------------------------------- series
def _empty_notebook():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return nb


def time_notebook(nb, working_directory: Path, timeout: int = 600) -> float:
    """Execute ``nb`` in memory from a fresh kernel (start-up and shut-down included); return seconds."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(working_directory)}})
    start = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up chatter; cell errors still raise
    return time.perf_counter() - start


def measure_series(paths: list[Path], empty_runs: int, log: Callable[[str], None]) -> dict:
    import nbformat

    time_notebook(_empty_notebook(), NOTEBOOKS)  # warm-up, not counted: first start-up reads cold files
    empty = statistics.median(time_notebook(_empty_notebook(), NOTEBOOKS) for _ in range(empty_runs))
    log(f"  empty notebook: {empty:.2f} s")
    rows = []
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
            seconds = time_notebook(nb, path.parent)
            status = "ok"
        except Exception as error:  # a notebook still being written must not stop the benchmark
            seconds = float("nan")
            lines = str(error).strip().splitlines()
            detail = getattr(error, "ename", "") or (lines[0][:60] if lines else "")
            status = f"failed: {type(error).__name__}" + (f" ({detail})" if detail else "")
        log(f"  {path.name}: {seconds:.2f} s ({status})")
        rows.append({"notebook": path.name, "seconds": seconds, "status": status})
    return {"empty": empty, "empty_runs": empty_runs, "rows": rows}


def tiny_notebook(directory: Path) -> Path:
    """A one-cell notebook for --quick (the real ones take tens of seconds together)."""
    import nbformat

    nb = _empty_notebook()
    nb.cells = [nbformat.v4.new_code_cell("total = 1 + 1")]
    path = directory / "tiny_generated.ipynb"
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------------------------------- widgets
def _cheap_gradient_norms(name: str, depth: int) -> np.ndarray:
    """A closed-form stand-in for the capstone's norms: geometric decay towards the input layer."""
    decay = {"sigmoid": 0.25, "tanh": 0.6, "relu": 1.0}.get(name, 0.5)
    return decay ** np.arange(depth - 1, -1, -1, dtype=float)


def _capstone_gradient_norms(name: str, depth: int) -> np.ndarray:
    from course_utils import training

    return training.gradient_norms_per_layer(name, depth=depth, width=32, rng=0)


def _threshold_explorer():
    from course_utils.widgets import ThresholdExplorer

    rng = np.random.default_rng(0)
    return ThresholdExplorer(rng.normal(160, 6, 200), rng.normal(174, 7, 200), labels=("women", "men"),
                             threshold=160.0, unit="(cm)")


def explorer_factories() -> list[tuple[str, Callable]]:
    from course_utils import widgets as w

    factories = [
        ("ActivationExplorer", w.ActivationExplorer),
        ("NeuronExplorer", w.NeuronExplorer),
        ("ThresholdExplorer (seeded heights, 2 × 200)", _threshold_explorer),
        ("GateExplorer", w.GateExplorer),
        ("SoftmaxExplorer", w.SoftmaxExplorer),
        ("BackpropExplorer", w.BackpropExplorer),
        ("GradientFlowExplorer (closed-form norms¹)", lambda: w.GradientFlowExplorer(_cheap_gradient_norms)),
    ]
    try:
        from course_utils import training  # noqa: F401  (the capstone's real norms, if present)

        factories.append(("GradientFlowExplorer (capstone's norms²)",
                          lambda: w.GradientFlowExplorer(_capstone_gradient_norms)))
    except ImportError:
        pass
    return factories


def next_value(control, i: int):
    """A new value for ``control`` at step ``i``: the next menu option, or a point spread over the slider."""
    if hasattr(control, "options"):
        options = [option[1] if isinstance(option, tuple) else option for option in control.options]
        return options[(options.index(control.value) + 1) % len(options)]
    fraction = (0.5 + i * 0.6180339887498949) % 1.0  # golden-ratio steps cover the range evenly
    value = control.min + fraction * (control.max - control.min)
    if isinstance(control.value, int):
        value = int(round(value))
        if value == control.value:
            value = control.min if value != control.min else control.max
    return value


def measure_widgets(updates: int, log: Callable[[str], None]) -> list[dict]:
    rows = []
    for label, factory in explorer_factories():
        start = time.perf_counter()
        explorer = factory()
        construction = time.perf_counter() - start
        calls = []
        original_update = explorer.update

        def counted_update(original_update=original_update, calls=calls):
            calls.append(1)
            return original_update()

        explorer.update = counted_update  # the control's observer looks update() up on the instance
        names = list(explorer.controls)
        times = []
        for i in range(updates):
            control = explorer.controls[names[i % len(names)]]
            value = next_value(control, i)
            start = time.perf_counter()
            control.value = value  # the observer calls explorer.update(), as in JupyterLab
            times.append(time.perf_counter() - start)
            if len(calls) != i + 1:
                raise RuntimeError(f"{label}: setting {names[i % len(names)]} = {value!r} did not call update()")
        rows.append({"explorer": label, "construction": construction, "median": statistics.median(times),
                     "max": max(times), "updates": updates})
        log(f"  {label}: median {statistics.median(times) * 1e3:.1f} ms")
    return rows


# ------------------------------------------------------------------------------------------- targets
def evaluate_targets(accuracy, speed, series, widget_rows) -> list[dict]:
    targets = []

    def add(measure, target, measured, passed):
        result = "not measured" if passed is None else ("PASS" if passed else "MISS")
        targets.append({"measure": measure, "target": target, "measured": measured, "result": result})

    sigmoid = next(r for r in accuracy if r["function"] == "sigmoid" and r["implementation"] == "course_utils")
    add("sigmoid accuracy", "≤ 2 ulp everywhere, with no warnings",
        f"max {_ulp(sigmoid['max_ulp'])} ulp, warnings: {_warnings(sigmoid['warnings'])}",
        sigmoid["max_ulp"] <= 2 and not sigmoid["warnings"])
    for name, limit, scipy_name in [("sigmoid", 2.0, "scipy.special.expit"), ("softmax", 1.5, "scipy.special.softmax")]:
        row = next(r for r in speed if r["function"] == name)
        ratio = row["ratio"]["course_utils"]
        add(f"{name} speed", f"≤ {limit:g}× the time of `{scipy_name}`", f"{ratio:.2f}×", ratio <= limit)
    if series is None:
        add("each notebook", "≤ 10 s on a 2-core development machine", "skipped", None)
        add("whole series", "≤ 60 s on a 2-core development machine", "skipped", None)
    else:
        rows = series["rows"]
        failed = [r["notebook"] for r in rows if r["status"] != "ok"]
        slowest = max(rows, key=lambda r: r["seconds"] if r["status"] == "ok" else -1.0, default=None)
        if slowest is None or slowest["status"] != "ok":
            add("each notebook", "≤ 10 s on a 2-core development machine", "no notebook ran", None)
        else:
            measured = f"slowest {slowest['notebook']} {slowest['seconds']:.1f} s"
            if failed:
                measured += f"; failed: {', '.join(failed)}"
            add("each notebook", "≤ 10 s on a 2-core development machine", measured,
                slowest["seconds"] <= 10 and not failed)
        total = sum(r["seconds"] for r in rows if r["status"] == "ok")
        measured = f"{total:.1f} s for {len(rows) - len(failed)} notebooks" + (" (some failed)" if failed else "")
        add("whole series", "≤ 60 s on a 2-core development machine", measured, total <= 60 and not failed)
    slowest = max(widget_rows, key=lambda r: r["median"])
    add("widget update", "≤ 100 ms median",
        f"slowest median {slowest['median'] * 1e3:.0f} ms ({slowest['explorer'].split(' (')[0]})",
        slowest["median"] <= 0.100)
    return targets


# ------------------------------------------------------------------------------------------ markdown
def _ulp(value: float) -> str:
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "inf"
    if value == 0:
        return "0"
    if value >= 1e4 or value < 0.01:
        return f"{value:.1e}"
    return f"{value:.2f}"


def _warnings(messages: list[str]) -> str:
    if not messages:
        return "none"
    return "; ".join(m.replace("RuntimeWarning: ", "").replace(" encountered", "") for m in messages)


def _underflow(messages: list[str]) -> str:
    if not messages:
        return "none"
    return ", ".join(m.rsplit(" in ", 1)[-1] for m in messages)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_lines(started: dt.datetime, load: tuple[float, float, float] | None) -> list[str]:
    import matplotlib

    cores = os.cpu_count()
    load_text = f"; load average at start {load[0]:.2f}" if load else ""
    return [
        f"- **Date:** {started:%Y-%m-%d %H:%M} UTC",
        f"- **Machine:** {cpu_model()}, {cores} cores, {platform.system()} {platform.release()}{load_text}",
        f"- **Versions:** Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"mpmath {mpmath.__version__}, matplotlib {matplotlib.__version__}",
    ]


def render(info: dict, accuracy, speed, series, widget_rows, targets) -> str:
    out = ["# Benchmark results", "",
           f"Produced by `make bench` (`bench/run_bench.py{' ' + info['argv'] if info['argv'] else ''}`) "
           f"in {info['elapsed']:.0f} s.", ""]
    out += machine_lines(info["started"], info["load"])
    if info["quick"]:
        out += ["", "**Quick mode:** tiny sizes, for the test only. These numbers say nothing about speed."]

    out += ["", "## Targets", ""]
    out.append(_table(["measure", "target", "measured", "result"],
                      [[t["measure"], t["target"], t["measured"], f"**{t['result']}**"] for t in targets]))

    grid = info["grid"]
    out += ["", "## Accuracy", "",
            f"Error in ulps (units in the last place) against mpmath at 200 bits, on {grid.size} float64 inputs "
            f"from `tests/high_precision.py::float_grid` ({info['grid_text']}). softmax and log_softmax take rows "
            "`[x, 0]`, whose exact values are σ(x), σ(−x) and −softplus(∓x); both output columns are scored. "
            "*non-finite* counts inf/NaN results where the true value is finite; *> 2 ulp* counts points "
            "worse than 2 ulp; the mean is over the points with a finite error. Warnings were recorded with "
            "`np.errstate(all='warn')`; *warnings* lists overflow, divide-by-zero and invalid-value warnings "
            "(what NumPy's default settings show), *underflow in* lists the operations that underflowed "
            "(silent by default, and harmless when the true result is that small).", ""]
    out.append(_table(["function", "implementation", "max ulp", "mean ulp", "> 2 ulp", "non-finite", "warnings",
                       "underflow in"],
                      [[r["function"], r["implementation"], _ulp(r["max_ulp"]), _ulp(r["mean_ulp"]),
                        f"{r['worse_than_2_ulp']}/{r['points']}", r["nonfinite"], _warnings(r["warnings"]),
                        _underflow(r["underflow"])]
                       for r in accuracy]))
    out += ["", "Naive formulas: " + "; ".join(f"{k} {v}" for k, v in NAIVE_NAMES.items()) + ".",
            "SciPy peers: " + "; ".join(f"{k} {v}" for k, v in SCIPY_NAMES.items()) + "."]

    elements = speed[0]["shape"][0]
    batch = next(r["shape"] for r in speed if len(r["shape"]) == 2)
    out += ["", "## Speed", "",
            f"Best of {info['repeat']} calls (`timeit.repeat`, one call each) on {elements:,} float64 "
            f"elements drawn from N(0, 4²) (a {batch[0]:,} × {batch[1]:,} batch of logits, rows summing to 1, "
            "for softmax and log_softmax), in milliseconds; ratio = time / SciPy's time in this run.", ""]
    out.append(_table(["function", "course_utils ms", "naive ms", "SciPy ms", "course_utils / SciPy",
                       "naive / SciPy"],
                      [[r["function"], *(f"{r['seconds'][k] * 1e3:.1f}" for k in IMPLEMENTATIONS),
                        f"{r['ratio']['course_utils']:.2f}×", f"{r['ratio']['naive']:.2f}×"] for r in speed]))

    out += ["", "## The series", ""]
    if series is None:
        out.append("Skipped (`--skip-notebooks`).")
    else:
        empty = series["empty"]
        out += [f"Wall time to execute each notebook from a fresh kernel with nbclient (start-up and shut-down "
                f"included; the notebooks are not written back), beside an empty notebook: kernel start-up alone, "
                f"{empty:.2f} s (median of {series['empty_runs']}).", ""]
        rows = []
        for r in series["rows"]:
            if r["status"] == "ok":
                rows.append([r["notebook"], f"{r['seconds']:.2f}", f"{r['seconds'] - empty:.2f}",
                             f"{r['seconds'] / empty:.1f}×", r["status"]])
            else:
                rows.append([r["notebook"], "–", "–", "–", r["status"]])
        ok = [r for r in series["rows"] if r["status"] == "ok"]
        total = sum(r["seconds"] for r in ok)
        if ok:
            rows.append([f"**total ({len(ok)} notebooks)**", f"**{total:.2f}**", f"{total - len(ok) * empty:.2f}",
                         f"{total / (len(ok) * empty):.1f}× ({len(ok)} start-ups)", ""])
        out.append(_table(["notebook", "wall time s", "minus start-up s", "ratio to empty notebook", "status"],
                          rows))

    out += ["", "## The widgets", "",
            f"Time of one update callback (setting a control, whose observer calls `explorer.update()`: "
            f"redraw the figure to PNG and refresh the readout), over {widget_rows[0]['updates']} updates that "
            "each move a control (round-robin over the controls; sliders spread over their range, menus "
            "step to the next option). *First draw* is the construction of the explorer.", ""]
    out.append(_table(["explorer", "median ms", "max ms", "first draw ms"],
                      [[r["explorer"], f"{r['median'] * 1e3:.1f}", f"{r['max'] * 1e3:.1f}",
                        f"{r['construction'] * 1e3:.0f}"] for r in widget_rows]))
    out += ["", "¹ `norms(name, depth)` is a closed-form geometric decay, so this row times the widget alone.",
            "² The function notebook 07 passes: `training.gradient_norms_per_layer(name, depth, width=32, rng=0)` "
            "(a forward and backward pass through a fresh network at each update)." if any(
                "²" in r["explorer"] for r in widget_rows) else ""]
    return "\n".join(line for line in out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes and a small grid; times one generated one-cell notebook instead of the "
                             "series; saves only if --output is given")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"where to save the Markdown report (default {DEFAULT_OUTPUT.relative_to(ROOT)}, "
                             "or nowhere with --quick)")
    parser.add_argument("--skip-notebooks", action="store_true", help="do not time the notebooks")
    parser.add_argument("--skip-classroom", action="store_true",
                        help="do not run the classroom load (bench/classroom.py; skipped with --quick)")
    parser.add_argument("--skip-widget-latency", action="store_true",
                        help="do not measure the explorers in a real browser (bench/widget_latency.py; "
                             "skipped with --quick)")
    parser.add_argument("--classroom-sizes", type=int, nargs="+", default=[1, 10, 30],
                        help="class sizes for the classroom load (default: 1 10 30)")
    parser.add_argument("--notebooks", type=Path, nargs="+", default=None,
                        help="notebooks to time (default: every notebooks/*.ipynb)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else FULL
    started = dt.datetime.now(dt.timezone.utc)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    clock = time.perf_counter()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    grid = float_grid(**sizes["grid"])
    n_linear = sizes["grid"].get("n_linear", 20001)
    n_log = sizes["grid"].get("n_log", 4000)
    grid_text = (f"{n_linear} points evenly over [−750, 750], {n_log} log-uniform magnitudes from 1e−320 to "
                 f"1e308 with random signs, and {grid.size - n_linear - n_log} special values")
    log(f"accuracy on {grid.size} points")
    accuracy = measure_accuracy(grid, log)
    log("speed")
    speed = measure_speed(sizes["elements"], sizes["batch"], sizes["repeat"], log)

    series = None
    with tempfile.TemporaryDirectory() as scratch:
        if not args.skip_notebooks:
            if args.notebooks:
                paths = [path.resolve() for path in args.notebooks]
            elif args.quick:
                paths = [tiny_notebook(Path(scratch))]
            else:
                paths = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
            log("notebooks")
            series = measure_series(paths, sizes["empty_runs"], log)
    log("widgets")
    widget_rows = measure_widgets(sizes["updates"], log)
    targets = evaluate_targets(accuracy, speed, series, widget_rows)
    latency_report = ""
    if not (args.quick or args.skip_widget_latency):
        import widget_latency  # bench/widget_latency.py: JupyterLab in Chromium, about 10 minutes

        log("widget latency in a real browser")
        latency = widget_latency.measure(log=log)
        targets += widget_latency.targets(latency)
        latency_report = "\n" + widget_latency.render(latency)
    classroom_report = ""
    if not (args.quick or args.skip_classroom):
        import classroom  # bench/classroom.py: a real hub on this machine, several minutes

        log("classroom load")
        measured = classroom.measure_with_settings(args.classroom_sizes, log)
        classroom_target = classroom.target(measured)
        if classroom_target is not None:
            targets.append(classroom_target)
        classroom_report = "\n" + classroom.render(measured)

    argv_text = " ".join(sys.argv[1:] if argv is None else argv)
    info = {"started": started, "load": load, "quick": args.quick, "grid": grid, "grid_text": grid_text,
            "repeat": sizes["repeat"], "elapsed": time.perf_counter() - clock, "argv": argv_text}
    report = render(info, accuracy, speed, series, widget_rows, targets) + latency_report + classroom_report
    print(report, end="")
    output = args.output if args.output is not None else (None if args.quick else DEFAULT_OUTPUT)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
        log(f"saved {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
