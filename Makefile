# Two commands do everything on a fresh machine:  make lab   and   make test
# Works with the GNU make that macOS ships (3.81) as well as newer ones.

# The Python versions this course supports: the pinned NumPy and Matplotlib need 3.11 or newer,
# and 3.11, 3.12 and 3.13 are the versions tested. Change them together with pyproject.toml.
PYTHON_MIN := 3.11
PYTHON_MAX := 3.13

VENV   := .venv
BIN    := $(VENV)/bin
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg

# The Python that builds .venv. Choose one with  make lab PYTHON=python3.12 ; otherwise it is the
# one that built the existing .venv (written in .venv/.python), or else python3.
BUILT_WITH := $(shell sed -n 's/^[0-9.]* //p' $(VENV)/.python 2>/dev/null)
PYTHON ?= $(if $(wildcard $(BUILT_WITH)),$(BUILT_WITH),python3)

# The target the learner asked for, to name in the "which Python" message.
GOAL := $(firstword $(MAKECMDGOALS) lab)

# JupyterLab settings for everyone who uses this environment (see binder/overrides.json).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

# Jupyter refuses to start as root (containers, CI) unless told; nobody else gets the flag.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: help lab test test-unit test-notebooks test-browser test-binder bench solutions preview slides translations wheelhouse update reset clean FORCE
.DEFAULT_GOAL := help

help:
	@echo "make lab             install everything (first time) and open JupyterLab at notebook 00"
	@echo "make update          get the course's latest version; your saved work is kept"
	@echo "make reset NB=02     put notebook 02 back as the course ships it (yours is kept in backups/)"
	@echo "make slides          offline slide decks (one HTML file per notebook) in artifacts/slides/"
	@echo "make wheelhouse      every wheel the course needs in wheelhouse/, for an install with no internet"
	@echo "make test            every test: unit, notebooks, browser, Binder (make test-unit: the quick ones)"
	@echo "make clean           delete .venv and test artefacts"

# The interpreter check runs first, every time; it creates .venv, or creates it again when it was
# left half-built or made by another Python. The stamp .venv/.python names the Python that built
# .venv; it is put in place (from .python.new) only once the runtime packages are installed.
$(VENV)/.python: FORCE
	@sh tools/make_venv.sh "$(PYTHON)" $(VENV) $(PYTHON_MIN) $(PYTHON_MAX) $(GOAL)

# Runtime environment: what a learner (and Binder) needs.
$(VENV)/.runtime: $(VENV)/.python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@if [ -f $(VENV)/.python.new ]; then mv $(VENV)/.python.new $(VENV)/.python; fi
	touch $@

# Test environment: the runtime set plus the pinned test-only tools.
$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(LAB_OVERRIDES): binder/overrides.json $(VENV)/.runtime
	mkdir -p $(dir $@)
	cp binder/overrides.json $@

# Localhost only, with Jupyter's normal token login; opens notebook 00. LAB_ARGS lets tests pick a port: make lab LAB_ARGS="--port=9999"
lab: $(VENV)/.runtime $(LAB_OVERRIDES)
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=. \
	    --LabApp.default_url=/lab/tree/notebooks/00_welcome.ipynb $(ALLOW_ROOT) $(LAB_ARGS)

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=15 tests notebooks $(NBVAL)

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

# Offline slide decks, one self-contained HTML file per notebook (reveal.js and MathJax inlined, no network
# needed to present): artifacts/slides/NN_name.slides.html, and the editions' decks in artifacts/slides/ko/
# and artifacts/slides/ja/. See tools/make_deck.py.
slides: $(VENV)/.runtime
	$(BIN)/python tools/make_deck.py notebooks/[0-9][0-9]_*.ipynb --out artifacts/slides
	$(BIN)/python tools/make_deck.py notebooks/ko/[0-9][0-9]_*.ipynb --out artifacts/slides/ko
	$(BIN)/python tools/make_deck.py notebooks/ja/[0-9][0-9]_*.ipynb --out artifacts/slides/ja

# Korean and Japanese editions (CONTRIBUTING.md, "Translations"): update the catalogs in locales/ from the
# English, compile course_utils' messages, write docs/**/*.ko|ja.md, then build and execute notebooks/ko/ and notebooks/ja/.
# LANGS=ko and NB=02 narrow the build, e.g. make translations LANGS=ko NB=02
translations: $(VENV)/.dev
	$(BIN)/python tools/i18n.py update
	$(BIN)/python tools/i18n.py build $(foreach lang,$(LANGS),--lang $(lang)) $(NB)

# Offline install for a venue without internet: every pinned wheel, and the build backend of
# course_utils, in wheelhouse/ (git-ignored). WHEEL_ARGS passes pip options, e.g. for other laptops:
# make wheelhouse WHEEL_ARGS="--platform win_amd64 --python-version 3.12". See tools/wheelhouse.py.
WHEELHOUSE := wheelhouse
wheelhouse: $(VENV)/.runtime
	$(BIN)/python tools/wheelhouse.py --dest $(WHEELHOUSE) --pip-args "$(WHEEL_ARGS)"

# Course updates and resets need only git and any Python 3 (no .venv).
update:
	@$(PYTHON) tools/course.py update

reset:
	@$(PYTHON) tools/course.py reset $(NB)

clean:
	rm -rf $(VENV) .pytest_cache artifacts

FORCE:
