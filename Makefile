# Heed: `make demo` and `make test` are all a fresh machine needs (they build .venv themselves).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo serve test lint pytest templates-check bench fuzz build clean browser-deps train

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

# checkov pins an older boto3, so it lives in its own virtualenv under var/ (built once, cached).
CHECKOV := var/tools/checkov/bin/checkov
# Template checks skipped, each for a reason:
#  CKV_AWS_115 concurrency limits: the SQS event source and HTTP API throttling already bound them
#  CKV_AWS_116 function DLQ: async-only setting; ingest is synchronous, respond uses the queue's DLQ
#  CKV_AWS_117 VPC: the functions reach only AWS APIs and the platforms; a VPC adds NAT cost, no safety
#  CKV_AWS_173 env encryption: no secret is in the environment (Secrets Manager holds them)
#  CKV_AWS_119/CKV_AWS_149 customer-managed KMS keys for the table and the secret: AWS-owned keys encrypt
#    them at rest; a CMK is $1/month each plus per-request charges, left to brands whose policy requires
#    one (the SNS topics do have one: CloudWatch alarms cannot publish under alias/aws/sns)
#  CKV_AWS_27 SQS encryption: SqsManagedSseEnabled is set (checkov only recognises KmsMasterKeyId)
#  CKV_AWS_95 HTTP API access logs: would store caller IPs; Lambda logs already carry request ids
CHECKOV_SKIP := CKV_AWS_115,CKV_AWS_116,CKV_AWS_117,CKV_AWS_173,CKV_AWS_119,CKV_AWS_149,CKV_AWS_27,CKV_AWS_95

$(CHECKOV):
	$(PYTHON) -m venv var/tools/checkov
	var/tools/checkov/bin/pip install --quiet --disable-pip-version-check checkov || rm -rf var/tools/checkov

lint: $(STAMP)
	$(VENV)/bin/ruff check functions infra tests
	$(VENV)/bin/ruff format --check functions infra tests
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/bandit -q -r functions/heed
	-@$(MAKE) --no-print-directory $(CHECKOV)
	@if [ -x $(CHECKOV) ]; then $(CHECKOV) -f template.yaml --framework cloudformation --quiet --compact --skip-download --skip-check $(CHECKOV_SKIP); \
	else echo "checkov not installable here: template least privilege and encryption are asserted by tests/security"; fi

templates-check: $(STAMP)
	$(VENV)/bin/heed templates check

pytest: $(STAMP)
	$(PY) -m pytest

# Headless Chromium for tests/browser, from the distribution's packages, installed where missing (root,
# non-interactive). Where it cannot be installed the browser tests skip and say why.
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and chromium-driver (apt-get) for tests/browser"; \
	  mkdir -p var; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >var/browser-deps.log 2>&1 \
	    || echo "chromium not installable (var/browser-deps.log): tests/browser will skip"; \
	else echo "chromium missing and not root: tests/browser will skip"; fi

test: lint templates-check browser-deps pytest

# VADER (vaderSentiment, MIT), the speed reference of `make bench` (issue 12): its own virtualenv under
# var/, built once; never in requirements-dev.txt nor the Lambda package.
VADER := var/tools/vader/bin/python

$(VADER):
	$(PYTHON) -m venv var/tools/vader
	var/tools/vader/bin/pip install --quiet --disable-pip-version-check vaderSentiment || rm -rf var/tools/vader

# mypyc (part of mypy, MIT): the bench compiles the triage with it to measure what a compiler of our
# own Python buys against VADER (infra/bench/triage_compiled.py); bench only, like VADER.
MYPYC := var/tools/mypyc/bin/mypyc

$(MYPYC):
	$(PYTHON) -m venv var/tools/mypyc
	var/tools/mypyc/bin/pip install --quiet --disable-pip-version-check mypy==2.4.1 setuptools || rm -rf var/tools/mypyc

bench: $(STAMP)
	-@$(MAKE) --no-print-directory $(VADER)
	-@$(MAKE) --no-print-directory $(MYPYC)
	$(PY) -m infra.bench $(BENCH_ARGS)

# Rebuild the shipped triage weights from ../shared/data/permissive and infra/train/corpus (issue 12)
train: $(STAMP)
	$(PY) -m infra.train

fuzz: $(STAMP)
	$(PY) -m infra.fuzz --seconds $(or $(FUZZ_SECONDS),60)

build:
	sam build

clean:
	rm -rf $(VENV) .aws-sam
