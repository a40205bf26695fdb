"""A learner's cell attacks the checkers (issue 11): every attack runs in a fresh interpreter or kernel.

Each bundle of attacks is a small script run by a new Python process with a 30 s timeout, so a
regression (a hang, a corrupted interpreter) can never block the suite or leak into other tests.
The script records every verdict as JSON; the assertions below say exactly which kind of verdict
each attack must get. One test runs a real Jupyter kernel, as nbval and JupyterLab do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30

PRELUDE = '''
import json, signal, sys, time, warnings
import numpy as np
import course_utils as cu
from course_utils.exercises import EXERCISES, nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07
from course_utils.exercises.framework import describe

RESULTS = {}

def judge(key, exercise, answer):
    started = time.monotonic()
    verdict = exercise.verdict(answer)
    RESULTS[key] = {"status": verdict.status, "text": verdict.text, "hint": verdict.hint or "",
                    "seconds": time.monotonic() - started}
    return verdict

def model(exercise):
    return exercise.model_answer()
'''

EPILOGUE = '''
sys.stdout = sys.__stdout__
print("RESULT:" + json.dumps(RESULTS))
'''


def run_attacks(body: str) -> dict:
    """Run ``body`` after PRELUDE in a fresh interpreter; return its RESULTS (name -> verdict)."""
    script = PRELUDE + textwrap.dedent(body) + EPILOGUE
    env = dict(os.environ, COURSE_PROGRESS="off", PYTHONHASHSEED="0", MPLBACKEND="Agg")
    completed = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=TIMEOUT)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT:")]
    assert lines, completed.stdout[-2000:]
    results = json.loads(lines[-1][len("RESULT:"):])
    results["_stdout_size"] = len(completed.stdout)
    return results


def failed(result: dict) -> bool:
    """A friendly failing verdict: ❌ (or ⏱), status incorrect, and no traceback in it."""
    return (result["status"] == "incorrect" and result["text"][:1] in "❌⏱"
            and "Traceback" not in result["text"] and len(result["text"]) < 4000)


# ------------------------------------------------------------------ mutated inputs
def test_answers_that_change_their_input_fail_and_do_not_poison_later_checks():
    results = run_attacks('''
        def softmax_in_place(x, axis=-1):
            x -= x.max(axis=axis, keepdims=True)        # the max shift, written in place
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)

        def softmax_naive(x, axis=-1):
            e = np.exp(x)
            return e / e.sum(axis=axis, keepdims=True)

        before = [np.array(case.args[0], copy=True) for case in nb05.softmax.cases]
        judge("softmax in place", nb05.softmax, softmax_in_place)
        judge("softmax naive after", nb05.softmax, softmax_naive)
        judge("softmax model after", nb05.softmax, model(nb05.softmax))
        RESULTS["softmax cases intact"] = {"status": str(all(np.array_equal(b, c.args[0], equal_nan=True)
                                                          for b, c in zip(before, nb05.softmax.cases)))}

        def step_in_place(x, threshold=0.0):
            x = np.asarray(x, dtype=float)
            x[x <= threshold] = 0.0
            x[x > threshold] = 1.0
            return x
        judge("step in place", nb01.step, step_in_place)
        judge("step model after", nb01.step, model(nb01.step))

        def sigmoid_in_place(x):
            np.negative(np.abs(x), out=x) if x.flags.writeable else None
            return 1 / (1 + np.exp(x))
        judge("sigmoid in place", nb02.sigmoid, sigmoid_in_place)
        judge("sigmoid naive after", nb02.sigmoid, lambda x: 1 / (1 + np.exp(-x)))

        def sigmoid_grad_in_place(x):
            s = cu.sigmoid(x)
            x *= 0
            return s * (1 - s)
        judge("sigmoid_grad in place", nb02.sigmoid_grad, sigmoid_grad_in_place)
        judge("sigmoid_grad model after", nb02.sigmoid_grad, model(nb02.sigmoid_grad))

        def double_in_place(x):
            x *= 2
            return x
        judge("double in place", nb00.double, double_in_place)
        judge("double model after", nb00.double, model(nb00.double))

        def neuron_z_in_place(x, w, b):
            w *= 1.0
            x *= w
            return x.sum(axis=-1) + b
        judge("neuron_z in place", nb00.neuron_z, neuron_z_in_place)
        judge("neuron_z model after", nb00.neuron_z, model(nb00.neuron_z))
    ''')
    assert failed(results["softmax in place"])
    assert "in place" in results["softmax in place"]["text"]
    assert "x -= m" in results["softmax in place"]["hint"] or "new array" in results["softmax in place"]["hint"]
    assert failed(results["softmax naive after"]) and "overflow" in results["softmax naive after"]["text"]
    assert results["softmax model after"]["status"] == "correct"
    assert results["softmax cases intact"]["status"] == "True"
    for name in ("step", "sigmoid_grad", "double", "neuron_z"):
        verdict = results[f"{name} in place"]
        assert failed(verdict), (name, verdict)
        assert "in place" in verdict["text"] + verdict["hint"] or "read-only" in verdict["text"], (name, verdict)
        assert results[f"{name} model after"]["status"] == "correct", name
    assert failed(results["sigmoid in place"])
    assert failed(results["sigmoid naive after"]) and "overflow" in results["sigmoid naive after"]["text"]


# ------------------------------------------------------------ redefined references
def test_redefining_numpy_or_course_utils_cannot_change_a_verdict():
    results = run_attacks('''
        import course_utils.activations as activations
        real_exp, real_allclose = np.exp, np.allclose

        # The learner redefines the references and NumPy itself in a cell ...
        activations.step = lambda x, threshold=0.0: np.zeros(np.shape(x))
        cu.step = activations.step
        activations.sigmoid = lambda x: np.full(np.shape(x), 0.5)
        activations.softmax = lambda x, axis=-1: np.zeros(np.shape(x))
        np.allclose = lambda *args, **kwargs: True
        np.array_equal = lambda *args, **kwargs: True
        fake_exp = lambda x: real_exp(np.minimum(x, 0.0))
        np.exp = fake_exp

        # ... then answers that agree only with the redefinitions.
        judge("step zeros", nb01.step, lambda x, threshold=0.0: np.zeros(np.shape(x)))
        judge("sigmoid half", nb02.sigmoid, lambda x: np.full(np.shape(x), 0.5))
        judge("softmax zeros", nb05.softmax, lambda x, axis=-1: np.zeros(np.shape(x)))
        judge("nand always 1", nb03.nand_weights, (1.0, 1.0, 1.0))  # 03 looks activations.step up at check time

        class HalfSigmoid:
            def forward(self, x):
                self.out = np.full(np.shape(x), 0.5)
                return self.out
            def backward(self, dout):
                return dout * 0.25
        judge("sigmoid layer half", nb06.sigmoid_backward, HalfSigmoid)

        # A no-op update in the library makes a train_step that forgets the update look right.
        from course_utils.layers import Sequential
        Sequential.step = lambda self, lr: None
        def train_step_without_update(network, loss, X, y, lr):
            value = loss.forward(network.forward(X), y)
            network.backward(loss.backward())
            network.step(lr)
            return value
        judge("train_step no-op step", nb07.train_step, train_step_without_update)

        # Emptying the public list of cases does not skip them.
        nb05.softmax.cases.clear()
        judge("softmax no cases", nb05.softmax, lambda x, axis=-1: np.zeros(np.shape(x)))

        # Correct answers still pass (they run with the learner's own np.exp, which is right for x <= 0).
        np.exp = real_exp
        judge("sigmoid model", nb02.sigmoid, model(nb02.sigmoid))
        judge("softmax model", nb05.softmax, model(nb05.softmax))
        np.exp = fake_exp
        RESULTS["patches kept"] = {"status": str(np.exp is fake_exp and activations.step(np.ones(2)).sum() == 0
                                                 and np.allclose(1, 2) is True)}
    ''')
    for key in ("step zeros", "sigmoid half", "softmax zeros", "nand always 1", "sigmoid layer half",
                "train_step no-op step", "softmax no cases"):
        assert failed(results[key]), (key, results[key])
    assert results["sigmoid model"]["status"] == "correct"
    assert results["softmax model"]["status"] == "correct"
    assert results["patches kept"]["status"] == "True"  # the learner's own world is left as they made it


# ------------------------------------------------------------------- time limit
def test_an_endless_answer_gets_a_verdict_in_time_and_the_interpreter_stays_usable():
    results = run_attacks('''
        for exercise in EXERCISES.values():
            exercise.time_limit = 0.5

        ticks = []
        previous = signal.signal(signal.SIGALRM, lambda *args: ticks.append(1))
        signal.setitimer(signal.ITIMER_REAL, 100.0)     # someone else's timer, running

        def endless(x):
            while True:
                pass
        judge("sigmoid endless", nb02.sigmoid, endless)

        def swallows_exceptions(x):
            while True:
                try:
                    time.sleep(10)
                except Exception:
                    pass
        judge("sigmoid swallow", nb02.sigmoid, swallows_exceptions)

        class EndlessArray:
            def __array__(self, *args, **kwargs):
                while True:
                    pass
        judge("softmax endless result", nb05.softmax, lambda x, axis=-1: EndlessArray())

        class EndlessLayer:
            def forward(self, x):
                while True:
                    pass
            def backward(self, dout):
                return dout
        judge("layer endless", nb06.tanh_layer, EndlessLayer)

        def train_forever(network, loss, X, y, lr):
            while True:
                network.forward(X)
        judge("train_step endless", nb07.train_step, train_forever)

        def collapse_forever(layers):
            while True:
                layers = layers + layers[:1]
        judge("collapse endless", nb00.collapse, collapse_forever)

        handler_back = signal.getsignal(signal.SIGALRM) is not signal.getsignal(signal.SIGINT) and ticks == []
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        RESULTS["state"] = {"status": "ok", "remaining": remaining, "handler_back": handler_back,
                            "geterr": np.geterr(), "stdout": sys.stdout is sys.__stdout__}
        judge("sigmoid model after", nb02.sigmoid, model(nb02.sigmoid))
        RESULTS["usable"] = {"status": str(float(cu.sigmoid(np.array([0.0]))[0]))}
    ''')
    for key in ("sigmoid endless", "sigmoid swallow", "softmax endless result", "layer endless",
                "train_step endless", "collapse endless"):
        verdict = results[key]
        assert failed(verdict) and verdict["text"].startswith("⏱"), (key, verdict)
        assert "still running after 0.5 s" in verdict["text"], verdict
        assert verdict["seconds"] < 5.0, (key, verdict["seconds"])   # generous: a busy 2-core machine
    state = results["state"]
    assert 90.0 < state["remaining"] <= 100.0   # the other timer was given back what was left of it
    assert state["handler_back"] and state["stdout"]
    assert state["geterr"] == {"divide": "warn", "over": "warn", "under": "ignore", "invalid": "warn"}
    assert results["sigmoid model after"]["status"] == "correct"
    assert results["usable"]["status"] == "0.5"


# ------------------------------------------------------ exceptions and hostile results
def test_base_exceptions_and_hostile_results_get_friendly_verdicts():
    results = run_attacks('''
        class Custom(BaseException):
            pass

        class Unprintable(Exception):
            def __str__(self):
                raise RuntimeError("no text for you")

        def raising(exc):
            def answer(*args, **kwargs):
                raise exc
            return answer

        for label, exc in [("SystemExit", SystemExit(3)), ("GeneratorExit", GeneratorExit()),
                           ("Custom", Custom("boom")), ("StopIteration", StopIteration()),
                           ("Unprintable", Unprintable()), ("huge message", ValueError("x" * 10_000_000)),
                           ("RecursionError", RecursionError("deep"))]:
            judge(f"sigmoid {label}", nb02.sigmoid, raising(exc))
        judge("step SystemExit", nb01.step, raising(SystemExit(0)))
        judge("collapse Custom", nb00.collapse, raising(Custom()))
        judge("nand SystemExit", nb03.nand_weights, raising(SystemExit(1)))
        judge("update GeneratorExit", nb03.perceptron_update, raising(GeneratorExit()))
        judge("train_step SystemExit", nb07.train_step, raising(SystemExit(2)))

        class ExitingLayer:
            def __init__(self):
                raise SystemExit("bye")
            def forward(self, x):
                return x
            def backward(self, dout):
                return dout
        judge("layer SystemExit", nb06.sigmoid_backward, ExitingLayer)

        class Hostile:
            def __init__(self, where, exc=RuntimeError):
                self.where, self.exc = where, exc
            def _maybe(self, name):
                if self.where == name:
                    raise self.exc(f"hostile {name}")
            def __array__(self, *a, **k):
                self._maybe("__array__")
                return np.array([0.5])
            def __repr__(self):
                self._maybe("__repr__")
                return "Hostile()"
            def __iter__(self):
                self._maybe("__iter__")
                return iter([0.5])
            def __len__(self):
                self._maybe("__len__")
                return 1
            def __float__(self):
                self._maybe("__float__")
                return 0.5
            def __eq__(self, other):
                self._maybe("__eq__")
                return True
            def __bool__(self):
                self._maybe("__bool__")
                return True
            def __getitem__(self, i):
                self._maybe("__getitem__")
                return 0.5
            __hash__ = None

        methods = ["__array__", "__repr__", "__iter__", "__len__", "__float__", "__eq__", "__bool__", "__getitem__"]
        for method in methods:
            for exc in (RuntimeError, SystemExit, KeyboardInterrupt.__base__):   # BaseException itself too
                key = f"{method} {exc.__name__}"
                judge(f"sigmoid result {key}", nb02.sigmoid, lambda x, m=method, e=exc: Hostile(m, e))
                judge(f"softmax result {key}", nb05.softmax, lambda x, axis=-1, m=method, e=exc: Hostile(m, e))
            judge(f"update result {method}", nb03.perceptron_update,
                  lambda w, b, x, y, lr, m=method: (Hostile(m), Hostile(m)))
            judge(f"collapse result {method}", nb00.collapse, lambda layers, m=method: (Hostile(m), Hostile(m)))
            judge(f"train_step result {method}", nb07.train_step, lambda *args, m=method: Hostile(m))
            judge(f"choice {method}", nb02.gradient_signs, Hostile(method))
            RESULTS[f"describe {method}"] = {"status": str(isinstance(describe(Hostile(method, SystemExit)), str))}

        judge("sigmoid strings", nb02.sigmoid, lambda x: np.array(["0.5"] * np.size(x)).reshape(np.shape(x)))
        judge("sigmoid complex", nb02.sigmoid, lambda x: cu.sigmoid(x) + 1e-3j)
        judge("sigmoid generator", nb02.sigmoid, lambda x: (v for v in cu.sigmoid(x)))

        right = nb02.gradient_signs.correct
        wrong = next(letter for letter in nb02.gradient_signs.options if letter != right)

        class Sneaky(str):
            def strip(self, *a):
                return self
            def lower(self):
                return right     # claims to be the right letter
        judge("choice str subclass", nb02.gradient_signs, Sneaky(wrong))

        def checks_itself(x):             # calls check() on itself: must not recurse without end
            nb02.sigmoid.check(checks_itself)
            return 1 / 0
        judge("sigmoid checks itself", nb02.sigmoid, checks_itself)

        interrupted = False
        try:
            nb02.sigmoid.verdict(raising(KeyboardInterrupt()))
        except KeyboardInterrupt:
            interrupted = True
        RESULTS["KeyboardInterrupt"] = {"status": str(interrupted)}
        judge("sigmoid model after", nb02.sigmoid, model(nb02.sigmoid))
    ''')
    for key, verdict in results.items():
        if key.startswith(("sigmoid ", "step ", "collapse ", "nand ", "update ", "train_step ", "layer ",
                           "softmax ", "choice ")) and "model" not in key:
            assert failed(verdict), (key, verdict)
    assert "SystemExit" in results["sigmoid SystemExit"]["text"]
    assert "sys.exit" in results["sigmoid SystemExit"]["hint"]
    assert "cannot be printed" in results["sigmoid Unprintable"]["text"]
    assert len(results["sigmoid huge message"]["text"]) < 1000
    assert "complex" in results["sigmoid complex"]["text"]
    assert "ZeroDivisionError" in results["sigmoid checks itself"]["text"]
    assert "called from inside the code being checked" in results["sigmoid checks itself"]["text"]
    assert all(v["status"] == "True" for k, v in results.items() if k.startswith("describe "))
    assert results["KeyboardInterrupt"]["status"] == "True"    # the stop button still stops
    assert results["sigmoid model after"]["status"] == "correct"


# --------------------------------------------------------------- printed output
def test_what_an_answer_prints_is_kept_short():
    results = run_attacks('''
        def chatty(x):
            print("y" * 10_000_000)
            print("\\n".join(f"line {i}" for i in range(5000)))
            sys.stderr.write("z" * 1_000_000)
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        judge("chatty sigmoid", nb02.sigmoid, chatty)
        nb02.sigmoid.check(chatty)       # what a notebook cell shows: printed to this process's stdout
        judge("chatty wrong step", nb01.step, lambda x, threshold=0.0: print("hello") or np.zeros(np.shape(x)))

        class Layer:
            def forward(self, x):
                print("forward " * 100_000)
                self.out = np.tanh(x)
                return self.out
            def backward(self, dout):
                return dout * (1 - self.out ** 2)
        judge("chatty layer", nb06.tanh_layer, Layer)
        RESULTS["streams"] = {"status": str(sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__)}
    ''')
    chatty = results["chatty sigmoid"]
    assert chatty["status"] == "correct"
    assert "more characters not shown" in chatty["text"] and len(chatty["text"]) < 2500
    assert results["_stdout_size"] < 20_000   # 11 MB printed, a few KB reach the cell
    assert failed(results["chatty wrong step"]) and "hello" in results["chatty wrong step"]["text"]
    assert results["chatty layer"]["status"] == "correct" and len(results["chatty layer"]["text"]) < 2500
    assert results["streams"]["status"] == "True"


# ---------------------------------------------------------- silenced warnings
def test_answers_that_silence_numpy_warnings_do_not_pass():
    results = run_attacks('''
        def quiet_naive_sigmoid(x):
            with np.errstate(over="ignore"):
                return 1 / (1 + np.exp(-x))
        judge("sigmoid errstate", nb02.sigmoid, quiet_naive_sigmoid)

        def filtered_naive_sigmoid(x):
            warnings.simplefilter("ignore")
            return 1 / (1 + np.exp(-x))
        judge("sigmoid simplefilter", nb02.sigmoid, filtered_naive_sigmoid)

        def seterr_softmax(x, axis=-1):
            np.seterr(all="ignore")
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return e / np.sum(e, axis=axis, keepdims=True)
        judge("softmax seterr", nb05.softmax, seterr_softmax)

        def quiet_textbook_elu_grad(x, alpha=1.0):
            x = np.asarray(x, dtype=float)
            with np.errstate(over="ignore", invalid="ignore"):
                return np.where(x > 0, 1.0, alpha * np.exp(x))
        judge("elu errstate", nb04.elu_grad, quiet_textbook_elu_grad)
        RESULTS["geterr"] = {"status": json.dumps(np.geterr(), sort_keys=True)}
        judge("sigmoid model", nb02.sigmoid, model(nb02.sigmoid))     # cu.softmax's own errstate is not flagged
    ''')
    for key in ("sigmoid errstate", "sigmoid simplefilter", "softmax seterr", "elu errstate"):
        assert failed(results[key]), (key, results[key])
        assert "warnings off with" in results[key]["text"], results[key]   # the verdict names the silencing call
    assert json.loads(results["geterr"]["status"]) == {"divide": "warn", "invalid": "warn", "over": "warn",
                                                       "under": "ignore"}
    assert results["sigmoid model"]["status"] == "correct"


# --------------------------------------------------------------- a real kernel
def test_in_a_real_jupyter_kernel_an_endless_answer_is_stopped_and_output_is_short():
    jupyter_client = pytest.importorskip("jupyter_client")
    manager = jupyter_client.KernelManager(kernel_name="python3")
    env = dict(os.environ, COURSE_PROGRESS="off", MPLBACKEND="Agg")
    manager.start_kernel(cwd=str(ROOT), env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)

        def run(code: str) -> tuple[str, str]:
            """Execute ``code``; return (stream text, error name or '')."""
            msg_id = client.execute(code)
            text, error = [], ""
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                message = client.get_iopub_msg(timeout=TIMEOUT)
                if message["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = message["msg_type"], message["content"]
                if kind == "stream":
                    text.append(content["text"])
                elif kind == "error":
                    error = content["ename"]
                elif kind == "status" and content["execution_state"] == "idle":
                    return "".join(text), error
            raise AssertionError(f"no answer from the kernel for {code!r}")

        output, error = run("from course_utils.exercises import nb02\nimport numpy as np\n"
                            "nb02.sigmoid.time_limit = 1.0")
        assert not error, output
        started = time.monotonic()
        output, error = run("def my_sigmoid(x):\n    while True:\n        pass\n\nnb02.sigmoid.check(my_sigmoid)")
        assert not error and output.startswith("⏱ 02.sigmoid"), output
        assert time.monotonic() - started < 10
        output, error = run("def my_sigmoid(x):\n    print('y' * 10_000_000)\n    x = np.asarray(x, dtype=float)\n"
                            "    e = np.exp(-np.abs(x))\n    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))\n\n"
                            "nb02.sigmoid.check(my_sigmoid)")
        assert not error and output.startswith("✅") and len(output) < 3000, output[:300]
        output, error = run("print(6 * 7)")
        assert (output, error) == ("42\n", "")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
