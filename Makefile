# The two commands: `make run` serves the app with demo data, `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PIP := $(VENV)/bin/pip --disable-pip-version-check -q
FLASK := FLASK_APP=wsgi $(VENV)/bin/flask
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
# Two workers sharing the tests (each worker has its own databases and live server).
PYTEST_ARGS ?= -n 2 --dist load

.PHONY: run test worker serve-prod bench-load lint translations chromium system clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.runtime: requirements.txt constraints.txt | $(VENV)/bin/python
	$(PIP) install -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PIP) install -r requirements-dev.txt -c constraints.txt
	touch $@

translations: $(VENV)/.runtime
	$(VENV)/bin/pybabel compile -d translations

run: $(VENV)/.runtime translations system
	$(FLASK) db upgrade
	$(FLASK) seed demo
	@echo "Medienpass runs on http://127.0.0.1:5000 (Ctrl+C stops it)."
	$(FLASK) run --host 127.0.0.1 --port 5000

# What WeasyPrint needs from Debian to render the Medienpass: Pango, HarfBuzz's subsetter
# (fast font subsetting) and the fonts the pass is set in. pdftoppm (poppler-utils) turns
# PDF pages into pictures for looking at them.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core poppler-utils
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; fi

# Debian's Chromium for the browser tests; Playwright cannot download browsers here.
chromium:
	@test -x $(CHROMIUM) || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium fonts-dejavu-core)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The suite on SQLite, then again on PostgreSQL (each run makes its own databases). The
# browser journeys run once, on SQLite, the embedded default: they drive the same pages the
# web tests check on both databases, and a second round took two minutes of the budget. The
# fault test that stops a PostgreSQL cluster of its own runs once, in the PostgreSQL round.
test: $(VENV)/.dev translations system chromium lint
	TEST_DATABASE_URL= $(VENV)/bin/pytest $(PYTEST_ARGS) -m "not own_postgres"
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS) -m "not e2e"

# RQ's forking worker, with the app and the PDF renderer loaded once before it forks a work
# horse per job (app/worker.py).
worker: $(VENV)/.runtime
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL first, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make worker"; exit 1; }
	$(VENV)/bin/rq worker --url "$$REDIS_URL" --worker-class app.worker.Worker $(RQ_ARGS) medienpass

# Production: migrate, then gunicorn with several workers (gunicorn.conf.py; WEB_CONCURRENCY,
# GUNICORN_BIND, GUNICORN_THREADS) on PostgreSQL, Redis for jobs and rate limits, and a shared
# STORAGE_DIR. See docs/deployment.md.
serve-prod: $(VENV)/.runtime translations/de/LC_MESSAGES/messages.mo
	@missing=""; for name in DATABASE_URL REDIS_URL SECRET_KEY; do \
	  [ -n "$${!name}" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make serve-prod refuses to start, not set:$$missing (see docs/deployment.md)." >&2; exit 1; fi; \
	case "$$DATABASE_URL" in postgres://*|postgresql://*|postgresql+psycopg://*) ;; \
	  *) echo "make serve-prod refuses to start: DATABASE_URL must be a PostgreSQL URL (postgresql://...)." >&2; exit 1;; esac
	MEDIENPASS_ENV=production $(FLASK) db upgrade
	MEDIENPASS_ENV=production exec $(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

translations/de/LC_MESSAGES/messages.mo: translations/de/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(VENV)/bin/pybabel compile -d translations

# The load benchmark (bench/load.py): 50 people for 3 minutes against gunicorn, PostgreSQL
# (TEST_DATABASE_URL's server), Redis database 11 and an RQ worker, on 10,000 users; options
# through LOAD_ARGS, e.g. make bench-load LOAD_ARGS="--users 20 --minutes 1". Locust lives in
# .venv-load: it needs other versions of pytest and packaging than the app's environment pins.
VENV_LOAD := .venv-load
$(VENV_LOAD)/.installed: requirements-load.txt
	python3 -m venv $(VENV_LOAD)
	$(VENV_LOAD)/bin/pip --disable-pip-version-check -q install -r requirements-load.txt
	touch $@

bench-load: $(VENV)/.runtime $(VENV_LOAD)/.installed translations system
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) $(VENV_LOAD) test-output .pytest_cache .ruff_cache
