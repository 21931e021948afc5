# Two commands on a fresh machine (see README):
#   make serve   set everything up, build the site and serve it on http://127.0.0.1:8000/
#   make test    set everything up, run the checks (make lint) and the whole test suite
#   make test-fast  the tests that need no browser and no Node (well under a minute)
#   make lint    ruff (lint and format check), mypy, eslint
# Everything comes from the package registries: PyPI (pip), npm (npm ci), Debian (chromium).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# pyodide-build needs Python 3.12 or newer, so the Pyodide toolchain has a venv of its own.
PYODIDE_VENV := .venv-pyodide
# Silence Material's end-of-life notice on every build (see MAINTAINERS.md).
export NO_MKDOCS_2_WARNING := 1
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup serve build publish test test-fast lint chromium bench clean

setup: $(VENV)/.installed $(PYODIDE_VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[site,test]'
	touch $@

$(PYODIDE_VENV)/.installed: requirements-pyodide.txt
	@python=$$(bash scripts/find-python312.sh) && echo "$(PYODIDE_VENV): $$python" && "$$python" -m venv $(PYODIDE_VENV)
	$(PYODIDE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-pyodide.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: setup
	$(VENV)/bin/mkdocs build --strict

# The build to publish: fails, naming each one, while any example value is left in the partnership
# file (data/partnership.yml, or the file CSE_PARTNERSHIP names). See README "Adopting the handbook".
publish: setup
	CSE_PUBLISH=1 $(VENV)/bin/mkdocs build --strict

# Built with site_url set to where it is served, so feed and page links work locally.
# A deploy build (`make build`) takes site_url from mkdocs.yml.
serve: setup
	SITE_URL=http://$(HOST):$(PORT)/ $(VENV)/bin/mkdocs build --strict
	$(PY) scripts/serve.py --host $(HOST) --port $(PORT) site

chromium:
	@bash scripts/ensure-chromium.sh

# The checks, pinned in pyproject.toml (test extra) and package.json; configured in pyproject.toml
# ([tool.ruff], [tool.mypy]) and eslint.config.mjs. See CONTRIBUTING.md "The checks".
# All four run (each reports its findings), and lint fails if any of them failed.
lint: setup
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/ruff format --check . || status=1; \
	$(VENV)/bin/mypy || status=1; \
	node_modules/.bin/eslint --max-warnings 0 . || status=1; \
	exit $$status

test: lint chromium
	$(VENV)/bin/pytest

# The fast loop: every test that drives no browser and runs no Node.
test-fast: setup
	$(VENV)/bin/pytest -q -m "not browser and not node" --durations=5

bench: setup chromium
	$(PY) bench/run.py

clean:
	rm -rf site .cache
