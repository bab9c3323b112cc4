# credpath: `make install` then `make test` is the whole set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CURRICULA := curricula

.PHONY: install graphviz test lint typecheck unit demo docs-images bench schemas clean

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

# Validate every example project, then draw all its diagrams into build/<project>/.
demo:
	@for project in $(CURRICULA)/*/; do \
	  echo "== credpath validate $$project"; \
	  $(BIN)/credpath validate "$$project" || exit $$?; \
	  echo "== credpath render $$project --all -o build/$$(basename $$project)"; \
	  $(BIN)/credpath render "$$project" --all -o "build/$$(basename $$project)" || exit $$?; \
	done

# The PNGs shown in README.md and docs/render.md; re-run when curricula/ changes.
docs-images:
	$(BIN)/credpath render curricula/data-careers -o docs/data-careers-map.png --force
	$(BIN)/credpath render curricula/data-careers --pathway analyst-fast-track -o docs/data-careers-analyst-fast-track.png --force
	$(BIN)/credpath render curricula/data-careers --outcome junior-data-scientist -o docs/data-careers-junior-data-scientist.png --force
	$(BIN)/credpath render curricula/cybersecurity -o docs/cybersecurity-map.png --force
	$(BIN)/credpath render curricula/cybersecurity --pathway soc-analyst-pathway -o docs/cybersecurity-soc-analyst-pathway.png --force
	-$(BIN)/credpath render tests/fixtures/render/problems -o docs/render-review.png --force

bench:
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_metrics.py
	$(BIN)/python bench/bench_render.py

schemas:
	$(BIN)/credpath schema --kind curriculum > schemas/curriculum.schema.json
	$(BIN)/credpath schema --kind config > schemas/config.schema.json

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
