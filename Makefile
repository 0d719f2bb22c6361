# Heed: `make demo` and `make test` are all a fresh machine needs (they build .venv themselves).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo serve test lint pytest templates-check bench fuzz build clean

$(STAMP): requirements-dev.txt functions/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m infra.demo

serve: $(STAMP)
	$(PY) -m infra.serve

lint: $(STAMP)
	$(VENV)/bin/ruff check functions infra tests
	$(VENV)/bin/ruff format --check functions infra tests
	$(VENV)/bin/cfn-lint template.yaml

templates-check: $(STAMP)
	$(VENV)/bin/heed templates check

pytest: $(STAMP)
	$(PY) -m pytest

test: lint templates-check pytest

bench: $(STAMP)
	$(PY) -m infra.bench

fuzz: $(STAMP)
	$(PY) -m infra.fuzz

build:
	sam build

clean:
	rm -rf $(VENV) .aws-sam
