# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/movement
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check messages makemessages bench

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Django's compilemessages needs GNU gettext's msgfmt.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { echo "msgfmt not found: install gettext (apt-get install gettext, brew install gettext)"; exit 1; }
	DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) -v0

# The app on the embedded default (SQLite in var/), with the June 30 day of action loaded and, the first
# time (about 10 s), GeoNames' postal codes and cities for the search by place: the site,
# a Celery worker and beat (the Procfile, run by honcho). Without REDIS_URL the broker is a folder.
# honcho is kept from reading .env (-e): the settings read it, under the same rules for all three.
run: messages
	mkdir -p var/celery/queue var/celery/control var/mail
	DEBUG=$${DEBUG:-1} $(PY) manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput -v0
	DEBUG=$${DEBUG:-1} $(PY) manage.py import_places
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_june30
	DEBUG=$${DEBUG:-1} $(PY) manage.py setup_roles
	DEBUG=$${DEBUG:-1} $(PY) manage.py create_demo_organizer
	DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} HOST=$(HOST) PORT=$(PORT) \
		PATH="$(abspath $(VENV))/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile -e /dev/null

# The whole suite, against PostgreSQL (DATABASE_URL, default the local server), with the production
# settings (DEBUG off). The cache is a Redis database of the tests' own, not the shell's CACHE_URL: each
# test empties it. EMAIL_URL only satisfies those settings: pytest-django keeps mail in its outbox, and
# the workers that tests start get an SMTP sink.
TEST_CACHE_URL ?= redis://127.0.0.1:6379/14
test: $(VENV)/.installed-dev messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} SECRET_KEY=$${SECRET_KEY:-tests-only-not-secret} \
		CACHE_URL=$(TEST_CACHE_URL) EMAIL_URL=memorymail:// $(VENV)/bin/pytest $(PYTEST_ARGS)

# What CI checks besides the tests: lint, types (mypy with Django's and DRF's stubs, pyproject.toml),
# migrations, a complete Spanish catalogue.
check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	DEBUG=1 $(VENV)/bin/mypy
	mkdir -p var
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	@untranslated=$$(msgattrib --untranslated --no-obsolete locale/es/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete locale/es/LC_MESSAGES/django.po | grep -c '^msgid' || true); \
	if [ "$$untranslated" -gt 0 ] || [ "$$fuzzy" -gt 0 ]; then \
		echo "locale/es/LC_MESSAGES/django.po: $$untranslated untranslated, $$fuzzy fuzzy entries"; exit 1; fi
	@echo "Spanish catalogue complete."

# Refresh the Spanish catalogue after changing UI strings; then translate what is new.
makemessages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py makemessages -l es --ignore=$(VENV) --ignore=var

# Issue 8's benchmarks on fresh load data in a database of their own (dropped and made again), their
# figures written into docs/performance.md. About 25 minutes; run it on an otherwise idle machine.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/movement_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
# The cache, shared by the benchmarks' gunicorn workers as in production. They send no mail of their own
# (signup emails wait in the broker; the reminder benchmark gives its workers an SMTP sink).
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/4
bench: $(VENV)/.installed-dev messages
	@command -v wrk >/dev/null || { echo "wrk not found: install it (apt-get install wrk)"; exit 1; }
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) CACHE_URL=$(BENCH_CACHE_URL) \
		EMAIL_URL=dummymail:// DEBUG=0 SECURE_SITE=0 SECRET_KEY=$${SECRET_KEY:-benchmarks-only-not-secret} \
		$(PY) -m bench --write docs/performance.md $(BENCH_ARGS)
