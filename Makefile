# draft-wizard: `make run` opens the wizard on the embedded sandbox, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install browser run sandbox test test-fast snapshot-update lint format typecheck check screenshots bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv with the package and the dev tools

# The browser tests of `draft-wizard serve` drive the distribution's Chromium (never a
# downloaded one); installed once, a no-op afterwards.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: ## install Chromium from the distribution for the browser tests
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

run: $(STAMP) ## open the wizard on the embedded sandbox
	$(BIN)/draft-wizard --sandbox

sandbox: $(STAMP) ## run the sandbox API server alone on 127.0.0.1:8765
	$(BIN)/draft-wizard sandbox

# Three workers on two cores: a third of the suite waits on sockets and deadlines, and
# work stealing keeps the long UI tests from piling up at the end of one worker.
PYTEST_WORKERS ?= -n 3 --dist worksteal

test: $(STAMP) browser ## run every test (unit, integration, UI, snapshots, the browser)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -q

test-fast: $(STAMP) browser ## run the tests without the slow soak and fuzz runs
	$(BIN)/python -m pytest $(PYTEST_WORKERS) -q -m "not slow"

snapshot-update: $(STAMP) ## accept the current UI snapshots
	$(BIN)/python -m pytest tests/ui -q --snapshot-update

lint: $(STAMP) ## ruff check, format check and the layer contract
	$(BIN)/ruff check wizard tests bench
	$(BIN)/ruff format --check wizard tests bench
	$(BIN)/lint-imports

format: $(STAMP) ## format the code
	$(BIN)/ruff format wizard tests bench
	$(BIN)/ruff check --fix wizard tests bench

typecheck: $(STAMP) ## mypy --strict over the package, the tests and the benchmarks
	$(BIN)/mypy

check: lint typecheck test ## lint, typecheck and test

screenshots: $(STAMP) ## regenerate the PNGs in screenshots/ from the sandbox
	$(BIN)/python -m tests.ui.make_screenshots screenshots

bench: $(STAMP) ## run the benchmarks
	$(BIN)/python -m pytest bench -q -p no:xdist

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
