# The two commands of the README's quick start: `make serve` and `make test`.
# Both create .venv themselves (Python 3.11+), so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: serve test test-deps test-workers install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/dynoscale serve $(ARGS)

test: $(STAMP) test-deps
	$(VENV)/bin/python -m pytest -n 2 -q $(PYTEST_ARGS)

# Headless Chromium and its driver for the browser tests (tests/sdk/test_browser.py,
# tests/dashboard/test_dashboard_browser.py), and a C compiler (gcc) for the power-loss shim
# (tests/e2e/test_power_loss.py), from the distribution's packages (Debian/Ubuntu: apt-get, as
# root or with passwordless sudo). Without them, or without the rights to install them, those
# tests are skipped and say why.
test-deps:
	@{ command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } && \
	  command -v chromedriver >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq chromium chromium-driver; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver; \
	  else \
	    echo "note: Chromium or chromedriver is not installed; the browser tests will be skipped"; \
	  fi; }
	@command -v cc >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq gcc libc6-dev; \
	  elif command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq gcc libc6-dev; \
	  else \
	    echo "note: no C compiler (cc); the power-loss tests will be skipped"; \
	  fi; }

test-workers: $(STAMP) test-deps
	DYNOSCALE_WORKERS=2 $(VENV)/bin/python -m pytest -n 2 -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info

# `make bench`: ops/s and p50/p99 of PutItem, GetItem and Query at 1 and 16 connections for
# Dynoscale (in-memory and durable) against moto and dynalite, installed into bench/.scratch/ by
# the benchmark itself. Long run: `make bench N=50000 DURATION=60`. See bench/README.md.
# `make bench-scale`: Query on a 10,000-item table against a 1,000,000-item table.
N ?= 5000
DURATION ?= 15
PEERS ?= moto,dynalite
OPS ?= put,get,query
MODES ?= memory,durable,full
ROUNDS ?= 1
SCALE_ITEMS ?= 1000000
SCALE_MODES ?= memory
LOAD_TIMEOUT ?= 900

.PHONY: bench bench-scale

bench: $(STAMP)
	$(VENV)/bin/python bench/run.py matrix --n $(N) --duration $(DURATION) --peers $(PEERS) \
		--ops $(OPS) --modes $(MODES) --rounds $(ROUNDS) $(BENCH_ARGS)

bench-scale: $(STAMP)
	$(VENV)/bin/python bench/run.py scale --n $(N) --duration $(DURATION) --large $(SCALE_ITEMS) \
		--modes $(SCALE_MODES) --load-timeout $(LOAD_TIMEOUT) $(BENCH_ARGS)
