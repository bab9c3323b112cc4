# credpath: `make install` then `make test` is the whole set-up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CURRICULA := curricula

.PHONY: install graphviz node browser axe ctdl-validate test test-fast lint typecheck unit demo docs-images bench schemas clean

install: $(BIN)/credpath graphviz node browser axe ctdl-validate

$(BIN)/credpath: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# System programs, installed with apt-get when missing: $(1) names them for the user,
# $(2) is the test that they are there, $(3) the Debian packages, $(4) what to do instead.
define system_programs
	@if $(2); then \
	  echo "$(1): present"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(3) >/dev/null ) \
	    && echo "$(1): installed $(3)" \
	    || echo "$(1): could not install $(3) with apt-get; $(4)"; \
	else \
	  echo "$(1): missing; $(4)"; \
	fi
endef

# The Graphviz `dot` program renders SVG/PNG/PDF.
graphviz:
	$(call system_programs,graphviz,command -v dot >/dev/null 2>&1,graphviz,install Graphviz (https://graphviz.org/download/) for SVG/PNG/PDF output)

# Node.js runs the site's JavaScript against the Python answers (tests/test_site_semantics.py,
# which never skips in CI) and installs axe-core.
node:
	$(call system_programs,node,command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1,nodejs npm,install Node.js or the JavaScript tests skip outside CI)

# Headless Chromium and its driver run the learner site's browser tests (Debian's packages:
# Selenium never downloads a browser of its own).
browser:
	$(call system_programs,chromium,command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1,chromium chromium-driver,install chromium and chromium-driver or the browser tests skip)

# axe-core, the accessibility checker the browser tests run in each page (from npm).
AXE := $(VENV)/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  ( npm install --silent --no-save --no-package-lock --prefix $(VENV) axe-core@4.11.1 && echo "axe-core: installed" ) \
	    || echo "axe-core: npm could not install it; the accessibility tests skip"; \
	else \
	  echo "axe-core: npm is missing; the accessibility tests skip"; \
	fi

# ctdl-validate (Apache-2.0, needs Python >= 3.12) checks exported CTDL against the
# published vocabulary in the tests; it gets an environment of its own.
CTDL_VENV := .venv-ctdl
ctdl-validate: $(CTDL_VENV)/bin/ctdl-validate
$(CTDL_VENV)/bin/ctdl-validate:
	@PY312=; for candidate in python3.13 python3.12; do \
	  if $$candidate -c "" >/dev/null 2>&1; then PY312=$$candidate; break; fi; \
	done; \
	if [ -z "$$PY312" ] && command -v pyenv >/dev/null 2>&1; then \
	  version=$$(pyenv versions --bare | grep -E '^3\.1[2-9]\.' | tail -1); \
	  [ -n "$$version" ] && PY312="$$(pyenv root)/versions/$$version/bin/python3"; \
	fi; \
	if [ -n "$$PY312" ]; then \
	  ( $$PY312 -m venv $(CTDL_VENV) && $(CTDL_VENV)/bin/python -m pip install --quiet ctdl-validate==0.2.1 \
	    && echo "ctdl-validate: installed in $(CTDL_VENV)" ) \
	    || { rm -rf $(CTDL_VENV); echo "ctdl-validate: could not install it; the CTDL vocabulary tests skip"; }; \
	else \
	  echo "ctdl-validate: needs python3.12 or later; the CTDL vocabulary tests skip"; \
	fi

test: lint typecheck unit

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest

# The edit loop: lint, types, and every test but the slow ones (property tests, the browser,
# the built wheel, servers and processes; see tests/conftest.py), spread over the cores
# (pytest-xdist). `make test` runs everything.
test-fast: lint typecheck
	$(BIN)/pytest -m "not slow" -n auto

# Validate every example project, draw all its diagrams into build/<project>/diagrams/ and
# build its learner site into build/<project>/site/ (open build/<project>/site/index.html).
demo:
	@for project in $(CURRICULA)/*/; do \
	  name=$$(basename $$project); \
	  echo "== credpath validate $$project"; \
	  $(BIN)/credpath validate "$$project" || exit $$?; \
	  echo "== credpath render $$project --all -o build/$$name/diagrams"; \
	  $(BIN)/credpath render "$$project" --all -o "build/$$name/diagrams" || exit $$?; \
	  echo "== credpath site $$project -o build/$$name/site"; \
	  $(BIN)/credpath site "$$project" -o "build/$$name/site" || exit $$?; \
	  echo "== credpath simulate $$project, then credpath drift -o build/$$name/drift.md and drift.html"; \
	  $(BIN)/credpath simulate "$$project" --learners 5000 --seed 1 -o "build/$$name/records.csv" --force || exit $$?; \
	  $(BIN)/credpath drift "build/$$name/records.csv" --project "$$project" --as-of 2024-12-31 -o "build/$$name/drift.md" --force || exit $$?; \
	  $(BIN)/credpath drift "build/$$name/records.csv" --project "$$project" --as-of 2024-12-31 -o "build/$$name/drift.html" --force || exit $$?; \
	done

# The PNGs shown in README.md and docs/render.md; re-run when curricula/ changes.
docs-images:
	$(BIN)/credpath render curricula/data-careers -o docs/data-careers-map.png --force
	$(BIN)/credpath render curricula/data-careers --pathway analyst-fast-track -o docs/data-careers-analyst-fast-track.png --force
	$(BIN)/credpath render curricula/data-careers --outcome junior-data-scientist -o docs/data-careers-junior-data-scientist.png --force
	$(BIN)/credpath render curricula/cybersecurity -o docs/cybersecurity-map.png --force
	$(BIN)/credpath render curricula/cybersecurity --pathway soc-analyst-pathway -o docs/cybersecurity-soc-analyst-pathway.png --force
	-$(BIN)/credpath render tests/fixtures/render/problems -o docs/render-review.png --force
	$(BIN)/python tests/screenshots.py
	$(BIN)/python tests/drift_screenshot.py
	$(BIN)/python tests/serve_screenshot.py

bench:
	$(BIN)/python bench/run.py
	$(BIN)/python bench/run.py --catalog mixed
	$(BIN)/python bench/bench_metrics.py
	$(BIN)/python bench/bench_render.py --sizes 500,2000
	$(BIN)/python bench/bench_render.py --sizes 500,2000 --catalog mixed
	$(BIN)/python bench/bench_site.py
	$(BIN)/python bench/bench_lsp.py
	$(BIN)/python bench/bench_serve.py

schemas:
	$(BIN)/credpath schema --kind curriculum > schemas/curriculum.schema.json
	$(BIN)/credpath schema --kind config > schemas/config.schema.json

clean:
	rm -rf $(VENV) $(CTDL_VENV) build .mypy_cache .pytest_cache .ruff_cache
