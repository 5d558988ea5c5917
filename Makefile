# `make run` and `make test` both create .venv when it is missing and install the app into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# torch is pinned: on this project's machines the pin is a CPU build lying on disk; on a
# user's Linux machine the same pin from PyPI is the CUDA build.
TORCH_PIN ?= torch==2.13.0

.PHONY: run test test-slow lint bench clean screenshot translations gpu-wheels

# Surya runs in an environment of its own (its pins clash with the app's; docs/ARCHITECTURE.md).
SURYA_VENV ?= .venv-surya
SURYA_STAMP := $(SURYA_VENV)/.installed
SURYA_FILES := $(wildcard ablage_desktop/engine/backends/surya_*.txt)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_PIN)"
	$(PY) -m pip install --quiet -e ".[test]" "$(TORCH_PIN)"
	touch $(STAMP)

$(SURYA_STAMP): $(STAMP) $(SURYA_FILES)
	$(PY) -m ablage_desktop.engine.backends.surya_environment --torch "$(TORCH_PIN)" $(SURYA_VENV)
	touch $(SURYA_STAMP)

run: $(STAMP) $(SURYA_STAMP)
	$(VENV)/bin/ablage-desktop $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Two worker processes, each test module kept on one worker (its module-scoped fixtures, a
# model server or a tiny model, are made once); PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= 2
PYTEST := QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope
# `make test` leaves out the tests marked slow (Surya's worker and model server, Docling's
# converter and the benchmarks run end to end, every engine on the data set's pages):
# `make test-slow` runs those. CI runs both.
test: lint $(SURYA_STAMP)
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

test-slow: $(SURYA_STAMP)
	$(PYTEST) -m slow $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m ablage_desktop bench --data ../shared/data --peers $(ARGS)

clean:
	rm -rf $(VENV) $(SURYA_VENV) build dist *.egg-info

# Regenerate the .ts files from the GUI's tr() strings (lupdate keeps their existing
# translations), then compile each into the .qm next to it that the app loads. English is the
# source language: its .ts holds only the plural forms ("1 document", "2 documents").
TS_FILES := $(filter-out %_en.ts,$(wildcard ablage_desktop/gui/translations/ablage_*.ts))
TS_PLURALS := ablage_desktop/gui/translations/ablage_en.ts

translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -extensions py ablage_desktop/gui -ts $(TS_FILES)
	$(VENV)/bin/pyside6-lupdate -extensions py -pluralonly ablage_desktop/gui -ts $(TS_PLURALS)
	$(VENV)/bin/pyside6-lrelease $(TS_FILES) $(TS_PLURALS)

# The README's picture of the window, drawn on a virtual X server (Debian: apt-get install xvfb).
screenshot: $(STAMP)
	xvfb-run -a -s "-screen 0 1400x900x24" $(PY) scripts/screenshot.py --out resources/screenshots/main-window.png
	xvfb-run -a -s "-screen 0 1400x900x24" $(PY) scripts/screenshot.py --language de --out resources/screenshots/main-window-de.png

# --- packaging (not part of `make test`; see packaging/README.md) -----------------------------
# `make package`: the PyInstaller one-folder build in dist/ablage-desktop/ (the CPU build,
# without torch; ABLAGE_GPU_BUILD=1 make package bundles torch and transformers too).
# `make package-test`: runs the built program (--version, models list, ocr with RapidOCR and
# Tesseract, the window offscreen). `make wheel-test`: builds the wheel, installs it into a fresh
# venv in $(WHEELTEST_DIR) and runs the same checks from outside the source tree.
PACKAGE_STAMP := $(VENV)/.packaging
PACKAGE_PROGRAM := dist/ablage-desktop/ablage-desktop
WHEELTEST_DIR ?= /tmp/ablage-wheeltest

.PHONY: package package-test wheel-test

# The same requirement as the `package` extra in pyproject.toml.
$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet "pyinstaller>=6.10"
	touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/pyinstaller/ablage-desktop.spec
	du -sh dist/ablage-desktop

package-test: $(STAMP)
	test -x $(PACKAGE_PROGRAM) || $(MAKE) package
	$(PY) packaging/smoke_test.py --program $(PACKAGE_PROGRAM) --gui

wheel-test:
	WHEELTEST_DIR="$(WHEELTEST_DIR)" PYTHON="$(PYTHON)" TORCH_PIN="$(TORCH_PIN)" \
		packaging/wheel_test.sh

# What a lent GPU machine lacks, as Python 3.12 wheels for benchmarks/gpu_session.sh (carried
# as .whl; the versions this environment has).
GPU_WHEELS := pydantic pydantic_core annotated-types typing-inspection platformdirs rapidfuzz \
	pypdfium2 bitsandbytes
gpu-wheels: $(STAMP)
	rm -rf .whl
	$(PY) -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
		--implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
		--platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
		--platform manylinux2014_x86_64 -d .whl \
		$$($(PY) -m pip list --format=freeze | grep -i -E '^($(shell echo $(GPU_WHEELS) | tr ' ' '|'))==')
