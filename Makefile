# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Where absolute links point (API `next`/`api_url`, feeds, embeds; hub/settings/base.py):
# `SITE_BASE_URL` when set, else the address `run` and `serve` answer on. On every
# interface (HOST=0.0.0.0) that is this machine's name, and `make run` then accepts any
# Host (ALLOWED_HOSTS=*, development only) so other machines can reach it.
BIND_ALL = $(filter 0.0.0.0 :: [::],$(HOST))
# An IPv6 address goes in brackets, in URLs and in the address to bind ([::1]:8000).
ADDRESS = $(if $(findstring :,$(HOST)),$(if $(filter [%,$(HOST)),$(HOST),[$(HOST)]),$(HOST))
LINK_HOST = $(if $(BIND_ALL),$(or $(shell hostname 2>/dev/null),127.0.0.1),$(ADDRESS))
SITE_BASE_URL ?= http://$(LINK_HOST):$(PORT)

.PHONY: run serve test lint typecheck audit format install migrate demo bench soak propagation mutants fuzz screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py ensure_database
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py ensure_demo_editor
	$(BIN)/python manage.py ensure_demo_import

run serve: export SITE_BASE_URL := $(SITE_BASE_URL)
ifneq ($(filter 0.0.0.0 :: [::],$(HOST)),)
run: export ALLOWED_HOSTS ?= *
endif
run: demo
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Integration hub on $(HOST):$(PORT), links to $(SITE_BASE_URL)/"
	@echo "    Redaktion (Wagtail-Admin):  $(SITE_BASE_URL)/admin/   (redaktion / ki-demo-2026)"
	@echo "      Redaktion Witten (nur Witten, mit Freigabe):  witten / ki-demo-2026"
	@echo "      Freigabe (Vier-Augen-Prüfung):                freigabe / ki-demo-2026"
	@echo "      E-Mails (Benachrichtigungen) erscheinen hier in der Konsole."
	@echo "    Veranstaltungen:            $(SITE_BASE_URL)/veranstaltungen/"
	@echo "    Presse:                     $(SITE_BASE_URL)/presse/"
	@echo "    Programme:                  $(SITE_BASE_URL)/programme/"
	@echo "    JSON API:                   $(SITE_BASE_URL)/api/v1/"
	@echo "  Background worker (queued tasks, scheduled publishing): manage.py run_worker,"
	@echo "    started next to the server and stopped with it (docs/operations.md)."
	@echo ""
	@$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver --nostatic $(ADDRESS):$(PORT)

# Production on this machine (README "Production", docs/edge-caching.md): creates the
# database if missing, migrates, collects static files, then runs gunicorn with
# WEB_CONCURRENCY workers (default 2 × cores + 1) on HOST:PORT and the task worker
# (manage.py run_worker) next to it; when either stops, both do. Needs DATABASE_URL
# (PostgreSQL), REDIS_URL and SECRET_KEY in the environment.
WEB_CONCURRENCY ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 1) + 1)))
serve: SHELL := /bin/bash
serve: export DJANGO_SETTINGS_MODULE = hub.settings.production
serve: export WEB_CONCURRENCY := $(WEB_CONCURRENCY)
serve: install
	@PYTHONPATH=. $(BIN)/python deploy/preflight.py
	$(BIN)/python manage.py ensure_database
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo "  Integration hub (production settings) on $(HOST):$(PORT):" \
		"$(WEB_CONCURRENCY) gunicorn workers and the task worker; links to $(SITE_BASE_URL)/"
	@$(BIN)/python manage.py run_worker & worker=$$!; \
	$(BIN)/gunicorn hub.wsgi --bind $(ADDRESS):$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - $(GUNICORN_ARGS) & web=$$!; \
	trap 'kill $$web $$worker 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	wait -n $$web $$worker; status=$$?; \
	if kill -0 $$web 2>/dev/null; then stopped="the task worker"; else stopped=gunicorn; fi; \
	echo "make serve: $$stopped stopped (exit status $$status), so the hub stops too." >&2; \
	exit $$status

# One pytest worker per core (pytest-xdist); a test file stays on one worker, so its
# module fixtures and the Redis test's database are never shared. PYTEST_ARGS= runs
# everything in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install
	DJANGO_SETTINGS_MODULE=hub.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

# README.md's images (docs/screenshots/), taken from the hub as tests/browser/ runs it
# (tests/browser/test_screenshots.py); the ordinary tests never write them.
screenshots: install
	HUB_SCREENSHOTS=1 DJANGO_SETTINGS_MODULE=hub.settings.test \
		$(BIN)/python -m pytest tests/browser/test_screenshots.py -p no:cacheprovider -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Types (mypy with django-stubs) and the direction of imports (import-linter contracts);
# both are configured in pyproject.toml.
typecheck: install
	$(BIN)/mypy; status=$$?; $(BIN)/lint-imports && exit $$status

# Static security analysis (config in pyproject.toml) and known vulnerabilities of the
# installed dependencies (needs the PyPI vulnerability API; the project itself is skipped).
audit: install
	$(BIN)/bandit -q -c pyproject.toml -r hub pages feeds embeds webhooks examples
	$(BIN)/pip-audit --progress-spinner off --skip-editable

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Our figures against the references in one run (not part of `make test`), < 10 minutes.
# BENCH_SIZES=1000,100000 (default); DATABASE_URL=postgres://… benchmarks PostgreSQL.
bench: install
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null 2>&1 || \
		{ echo "make bench needs wrk (Debian package): apt-get install -y wrk" >&2; exit 1; }
	$(BIN)/python -m bench.run $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))

# Load and faults on loopback (bench/soak.py): gunicorn + PostgreSQL + a Redis of its own.
# Needs wrk and redis-server (Debian packages). Restarts the local PostgreSQL once
# mid-load; SOAK_ARGS=--skip-postgres leaves it alone.
soak: install
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# Commit → every surface of every process shows it (bench/propagation.py; not part of
# `make test`): two gunicorn servers, run_worker and a writer; 100 changes and 5
# scheduled go-lives, on SQLite and on PostgreSQL (127.0.0.1:5432) + Redis (db 2).
# PROPAGATION_ARGS="--database sqlite" (or postgres), "--edge URL", "--changes N" ….
propagation: install
	$(BIN)/python -m bench.propagation $(PROPAGATION_ARGS)

# Mutation testing of the modules in pyproject.toml's [tool.mutmut] (not part of
# `make test`; docs/mutation-testing.md). Each mutant's tests start from a copy of one
# prepared database. MUTANTS_JOBS=2 (default: all cores); MUTANTS="glob …" tests only
# the mutants whose names match (e.g. "pages.caching.conditional.x_not_modified*").
mutants: install
	rm -rf mutants .mutants-db
	$(BIN)/python -m tests.mutants_db .mutants-db
	HUB_TEST_DB_TEMPLATE=$(CURDIR)/.mutants-db/template.sqlite3 \
		DJANGO_SETTINGS_MODULE=hub.settings.test \
		$(BIN)/mutmut run $(if $(MUTANTS_JOBS),--max-children $(MUTANTS_JOBS)) $(MUTANTS) || true
	$(BIN)/mutmut results --all true > mutants/results.txt || true
	$(BIN)/python -m tests.mutants_summary mutants/results.txt

# Schemathesis (pinned in pyproject's dev extras) against /api/v1/schema/ on a live dev
# server over the demo content: every operation, valid and invalid input, FUZZ_EXAMPLES
# per operation and phase (not part of `make test`; docs/fuzzing.md). Rate limit off.
# FUZZ_ARGS="--seed 1 …" passes more options; DATABASE_URL=postgres://… fuzzes PostgreSQL.
FUZZ_EXAMPLES ?= 500
FUZZ_PORT ?= 8765
fuzz: demo
	@rm -rf fuzz-report; mkdir -p fuzz-report
	@HUB_RATE_LIMIT_REQUESTS=0 $(BIN)/python manage.py runserver --noreload --nostatic \
		$(HOST):$(FUZZ_PORT) > fuzz-report/server.log 2>&1 & server=$$!; \
	trap 'kill $$server' EXIT; \
	$(BIN)/st run http://$(HOST):$(FUZZ_PORT)/api/v1/schema/ --wait-for-schema 60 \
		--max-examples $(FUZZ_EXAMPLES) --mode all --checks all \
		--exclude-checks positive_data_acceptance --report junit,ndjson \
		--report-dir fuzz-report $(FUZZ_ARGS); \
	status=$$?; echo "5xx answers in fuzz-report/server.log:" \
		"$$(grep -cE '" 5[0-9]{2} ' fuzz-report/server.log)"; exit $$status

clean:
	rm -rf $(VENV) staticfiles .test-media .pytest_cache .mypy_cache .import_linter_cache .grimp_cache mutants .mutants-db fuzz-report
