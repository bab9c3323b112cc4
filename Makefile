# credpath: `make install` then `make test` is the whole set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CURRICULA := curricula

.PHONY: install graphviz test lint typecheck unit demo bench schemas clean

install: $(BIN)/credpath graphviz

$(BIN)/credpath: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The Graphviz `dot` program renders SVG/PNG/PDF. Installed with apt-get when missing.
graphviz:
	@if command -v dot >/dev/null 2>&1; then \
	  echo "graphviz: $$(dot -V 2>&1)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null ) \
	    && echo "graphviz: installed $$(dot -V 2>&1)" \
	    || echo "graphviz: could not install it with apt-get; install Graphviz (https://graphviz.org/download/) for SVG/PNG/PDF output"; \
	else \
	  echo "graphviz: 'dot' is missing; install Graphviz (brew install graphviz, or see https://graphviz.org/download/) for SVG/PNG/PDF output"; \
	fi

test: lint typecheck unit

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

demo:
	@for project in $(CURRICULA)/*/; do \
	  echo "== credpath validate $$project"; \
	  $(BIN)/credpath validate "$$project" || exit $$?; \
	done

bench:
	$(BIN)/python bench/run.py

schemas:
	$(BIN)/credpath schema --kind curriculum > schemas/curriculum.schema.json
	$(BIN)/credpath schema --kind config > schemas/config.schema.json

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
