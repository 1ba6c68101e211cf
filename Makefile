# The two commands of the README's quick start: `make serve` and `make test`.
# Both create .venv themselves (Python 3.11+), so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: serve test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/dynoscale serve $(ARGS)

test: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2 -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info
