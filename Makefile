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

# This checkout's development settings (git-ignored): a generated secret key, DEBUG on, the SQLite path. Settings read
# it when it exists, so that `.venv/bin/python manage.py …` works as typed; a deployment has none (see README).
DEV_SETTINGS := var/dev-settings.env
$(DEV_SETTINGS): | $(VENV)/.installed
	@mkdir -p $(@D)
	@umask 077; { \
	  echo "# Development settings of this checkout, written by make setup; not for production (git-ignored)."; \
	  echo "DEBUG=1"; \
	  echo "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "SQLITE_PATH=$(CURDIR)/var/minqing.sqlite3"; \
	} > $@.tmp && mv $@.tmp $@
	@echo "Wrote $@ (delete it to make a new one)"

.PHONY: migrate
migrate: install $(DEV_SETTINGS) ## Apply database migrations
	$(PY) manage.py migrate --noinput

.PHONY: demo
demo: migrate ## Load the seed's demo data (idempotent), dates moved so the campaign runs today
	$(PY) manage.py load_demo --shift-to-today

.PHONY: setup
setup: demo ## Everything `make run` needs: .venv, migrations, the demo data, the local development settings

.PHONY: run
run: setup ## Set everything up, then serve http://127.0.0.1:$(PORT) with one job worker (SQLite); Ctrl-C stops both
	@echo ""
	@echo "  Minqing is at http://127.0.0.1:$(PORT)/ (and a job worker runs beside it)"
	@echo "  Demo accounts (password: $${MINQING_DEMO_PASSWORD:-demo-pass-2026}):"
	@echo "    cadre handler leader coordinator assessor supervisor sysadmin secadmin auditor"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/v1/docs/"
	@echo ""
	PY=$(PY) scripts/run-dev.sh

.PHONY: system-deps
system-deps: ## Install what the tests need from apt when it is missing (Chromium, CJK fonts, PostgreSQL 15, Redis, gettext, LibreOffice, poppler)
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

# Parts that run once, in one of the two runs, so that both end within the suite's time. In the SQLite run: the
# newcomer's fresh clone (it runs on its own SQLite database), the browser tests, the authorisation matrix and the
# API schema's fuzzing (they check what the views answer, which no database changes; the resilience tests keep each
# database's own guarantees). In the PostgreSQL run: the rendering tests (LibreOffice prints a file the same whatever
# database it came from) and the province (it starts its own PostgreSQL, Redis, proxy and servers).
SQLITE_ONLY := tests/newcomer tests/browser tests/security/test_authorisation_matrix.py tests/fuzz/test_api_schema.py
PG_ONLY := tests/rendering tests/province

.PHONY: test-sqlite
test-sqlite: test-deps ## Run the whole suite on SQLite (but the parts the PostgreSQL run alone runs)
	$(VENV)/bin/pytest -q $(PG_ONLY:%=--ignore=%)

.PHONY: test-postgres
test-postgres: test-deps ## Run the whole suite on a throwaway PostgreSQL 15 cluster, with a throwaway Redis as cache and job queue
	scripts/with-postgres.sh scripts/with-redis.sh $(VENV)/bin/pytest -q $(SQLITE_ONLY:%=--ignore=%)

.PHONY: test
test: export SLOWEST_FILES = 25
test: system-deps test-deps lint check ## Everything the tests need, then every test on SQLite and on PostgreSQL with Redis (side by side)
	@# The two runs share nothing but the machine's two cores; each one's output is printed when it ends. The SQLite
	@# run uses the embedded job store (a SQLite file) and Django's local cache; the PostgreSQL run uses Redis for both.
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
bench-smoke: test-deps ## Every benchmark workload once on 5,000 matters: proves they run, judges no timing
	BENCH_MATTERS=5000 BENCH_SMOKE=1 $(PY) -m bench.run

.PHONY: province
province: system-deps install ## A province on one machine: PostgreSQL, Redis, 3 app servers behind HAProxy on :8100, 2 job workers
	PY=$(PY) scripts/province.sh

.PHONY: clean
clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
