# sitrep: `make demo` runs the whole job on our sample articles; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install browser clean model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs the project with its pinned dependency tree (constraints.txt) and dev extras.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@# A store left by an older sitrep is brought to this schema first (a new clone has none).
	@if [ -f sitrep.db ]; then $(BIN)/sitrep migrate --db sitrep.db; fi
	$(BIN)/sitrep run examples/ --db sitrep.db
	$(BIN)/sitrep events --db sitrep.db
	$(BIN)/sitrep report --db sitrep.db --out report.md

# Debian's Chromium for the dashboard's browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Rebuild the learned parts from the pinned data in ../shared, in dependency order: the typing
# model (CASE dev + our examples + PLOVER), the rules' measured precisions (which rules may
# decide a sub-type), then the toll model (trained on the pipeline's own candidates), then the
# merge model of event linking (FA-KES dev pairs; stores kept under /tmp, see the script).
# The argument-role model (scripts/train_roles.py: M2E2 dev arguments) is built before the rules'
# precisions are measured, since its roles feed the role rules' accounting.
model: $(STAMP)
	$(BIN)/python scripts/train_typing.py
	$(BIN)/python scripts/train_detector.py
	$(BIN)/python scripts/train_roles.py
	$(BIN)/sitrep eval rules --save --min-hits 1000000
	$(BIN)/python scripts/train_tolls.py
	$(BIN)/python scripts/train_merge.py --fresh

clean:
	rm -rf $(VENV) sitrep.db sitrep.db-* report.md
