# The README's two commands are `make synth` and `make test`. Each sets itself up first, idempotently:
# a virtualenv with the project and its test extras, and the pinned CDK CLI from package-lock.json.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Lambda-platform wheels of the handlers' requirements, fetched once at setup, so that the tests
# that bundle a user's app for real (tests/consumer) run with pip offline.
LAMBDA_WHEELS := .cache/lambda-wheels
LAMBDA_REQUIREMENTS := $(wildcard lambda/*/requirements.txt)
# checkov, in a virtualenv of its own (its pins would downgrade boto3 in the project's); the test
# suite runs it on every sample template (tests/apps/test_checkov.py).
CHECKOV_VENV := .cache/checkov-venv
CHECKOV_REQUIREMENTS := tests/tools/checkov-requirements.txt
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
# jsii prints an end-of-life banner for Node 20 (the Node this project is given) on every process.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# Keep jsii's node child processes and pip quiet about things a newcomer cannot act on.
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup synth test lens bench mutation clean

setup: $(VENV)/.installed node_modules/.installed $(LAMBDA_WHEELS)/.downloaded $(CHECKOV_VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(LAMBDA_WHEELS)/.downloaded: $(LAMBDA_REQUIREMENTS) $(VENV)/.installed
	mkdir -p $(LAMBDA_WHEELS)
	$(BIN)/python -m pip download --quiet --only-binary=:all: --implementation cp --python-version 3.14 \
	  --platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64 --dest $(LAMBDA_WHEELS) \
	  $(foreach requirements,$(LAMBDA_REQUIREMENTS),--requirement $(requirements))
	touch $@

$(CHECKOV_VENV)/.installed: $(CHECKOV_REQUIREMENTS)
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --requirement $(CHECKOV_REQUIREMENTS)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Synthesize every sample app with AwsSolutions, every lens pack and CDK's built-in CloudFormation
## validation (off in a plain `cdk synth`: see apps/__init__.py), then print the lens review.
synth: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" ./node_modules/.bin/cdk synth --quiet --context builtin-validation=true
	$(BIN)/python -m genai_blueprints.lens summary cdk.out

## Run the whole test suite, on two workers (pytest-xdist): 5.3 min here against 7.7 min on one.
test: setup
	$(BIN)/python -m pytest -n 2

## Measure synth, scaling, test time and handler costs against floors; writes docs/benchmarks.md.
## Takes several minutes: run it on a quiet machine. BENCH_ARGS="--quick" checks the scripts only.
bench: setup $(VENV)/.bench-installed
	$(BIN)/python -m bench $(BENCH_ARGS)

## The mutation score of the handlers, the validation code and the lens rules (mutmut, one to two
## hours on one core); writes docs/mutation.md. MUTATION_ARGS="--areas lens" runs one area.
mutation: setup $(VENV)/.bench-installed
	$(BIN)/python -m bench.mutation $(MUTATION_ARGS)

$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

clean:
	rm -rf cdk.out .pytest_cache .cache
