# `make run` and `make test` both create .venv when it is missing and install the app into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch is pinned: on this project's machines the pin is a CPU build lying on disk; on a
# user's Linux machine the same pin from PyPI is the CUDA build.
TORCH_PIN ?= torch==2.13.0

.PHONY: run test lint bench clean screenshot translations

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_PIN)"
	$(PY) -m pip install --quiet -e ".[test]" "$(TORCH_PIN)"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ablage-desktop $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m ablage_desktop bench --data ../shared/data --peers $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info

# Regenerate the .ts files from the GUI's tr() strings (lupdate keeps their existing
# translations), then compile each into the .qm next to it that the app loads.
TS_FILES := $(wildcard ablage_desktop/gui/translations/ablage_*.ts)

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py ablage_desktop/gui -ts $(TS_FILES)
	$(VENV)/bin/pyside6-lrelease $(TS_FILES)

# The README's picture of the window, drawn on a virtual X server (Debian: apt-get install xvfb).
screenshot: $(STAMP)
	xvfb-run -a -s "-screen 0 1400x900x24" $(PY) scripts/screenshot.py --out resources/screenshots/main-window.png
