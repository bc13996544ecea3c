# Minqing 民情 — `make run` to try it, `make test` to prove it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || command -v python3 >/dev/null || { echo "Python 3.11 is required (apt-get install python3 python3-venv)"; exit 1; }
	@test -x $(PY) || $$(command -v $(PYTHON) || command -v python3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

# axe-core checks the public pages for accessibility in the browser tests (from the npm registry, not committed).
AXE := var/node/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.11.0
$(AXE):
	@command -v npm >/dev/null || { echo "npm is required for the accessibility tests: make system-deps (apt-get install npm)"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix var/node axe-core@$(AXE_VERSION)
	@test -f $@ || { echo "axe-core was not installed at $@"; exit 1; }

.PHONY: test-deps
test-deps: install $(AXE) ## What the tests need besides system packages: the venv and axe-core

.PHONY: migrate
migrate: install ## Apply database migrations
	DEBUG=1 $(PY) manage.py migrate --noinput

.PHONY: demo
demo: migrate ## Load the seed's demo data (idempotent), dates moved so the campaign runs today
	DEBUG=1 $(PY) manage.py load_demo --shift-to-today

.PHONY: run
run: demo ## Set everything up and serve the site on http://127.0.0.1:$(PORT) (SQLite)
	@echo ""
	@echo "  Minqing is at http://127.0.0.1:$(PORT)/"
	@echo "  Demo accounts (password: $${MINQING_DEMO_PASSWORD:-demo-pass-2026}):"
	@echo "    cadre handler leader coordinator assessor supervisor sysadmin secadmin auditor"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

.PHONY: system-deps
system-deps: ## Install what the tests need from apt when it is missing (Chromium, CJK fonts, PostgreSQL 15, gettext)
	@scripts/system-deps.sh

.PHONY: lint
lint: install ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .

.PHONY: messages
messages: install ## Extract translatable strings into locale/ and compile them
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore='.venv/*' --ignore='var/*'
	DEBUG=1 $(PY) manage.py compilemessages --ignore='.venv/*'

.PHONY: check
check: install ## Django checks, migrations complete, translations complete
	DJANGO_SETTINGS_MODULE=minqing.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=minqing.settings_test $(PY) manage.py makemigrations --check --dry-run
	scripts/check-translations.sh

.PHONY: test-sqlite
test-sqlite: test-deps ## Run the whole suite on SQLite
	$(VENV)/bin/pytest -q

.PHONY: test-postgres
test-postgres: test-deps ## Run the whole suite on a throwaway PostgreSQL 15 cluster
	scripts/with-postgres.sh $(VENV)/bin/pytest -q

.PHONY: test
test: system-deps test-deps lint check ## Everything the tests need, then every test on SQLite and PostgreSQL (side by side)
	@# The two runs share nothing but the machine's two cores; each one's output is printed when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite-then-bench test-postgres

.PHONY: test-sqlite-then-bench
test-sqlite-then-bench: test-deps
	@# The SQLite suite ends first; the benchmarks' smoke run takes the rest of its lane.
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory bench-smoke

.PHONY: bench
bench: system-deps test-deps ## Benchmarks on SQLite and PostgreSQL against their baselines (BENCH_MATTERS, default 1,000,000)
	$(PY) -m bench.run

.PHONY: bench-smoke
bench-smoke: test-deps ## Every benchmark workload once on 20,000 matters: proves they run, judges no timing
	BENCH_MATTERS=20000 BENCH_SMOKE=1 $(PY) -m bench.run

.PHONY: clean
clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
