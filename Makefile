# Two commands do everything on a fresh machine:  make lab   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
# Jupyter refuses to start as root (containers, CI) unless told; nobody else gets the flag.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab test test-unit test-notebooks test-browser test-binder bench solutions preview clean

# Runtime environment: what a learner (and Binder) needs.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Test environment: the runtime set plus the pinned test-only tools.
$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Localhost only, with Jupyter's normal token login. LAB_ARGS lets tests pick a port: make lab LAB_ARGS="--port=9999"
lab: $(VENV)/.runtime
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=. \
	    --ServerApp.default_url=/lab/tree/notebooks/00_welcome.ipynb $(ALLOW_ROOT) $(LAB_ARGS)

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider tests notebooks $(NBVAL)

test-unit: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider tests -m "not browser and not binder"

test-notebooks: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider notebooks $(NBVAL)

test-browser: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider tests -m browser

test-binder: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider tests -m binder

bench: $(VENV)/.dev
	$(BIN)/python bench/run_bench.py

solutions: $(VENV)/.runtime
	$(BIN)/python -m course_utils.exercises > docs/solutions.md

preview: $(VENV)/.runtime
	$(BIN)/python -m course_utils.preview docs/activations_preview.png

clean:
	rm -rf $(VENV) .pytest_cache artifacts
