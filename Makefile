# Two commands set everything up on a fresh machine with Python 3.11+ and make:
#   make run    virtualenv, install, migrate, load the real seed data and the sample tour,
#               local accounts, serve :8000
#   make test   virtualenv, install, run the test suite (SQLite, or DATABASE_URL if set)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= catalog.settings.dev
# Links in notification emails and printed sign-in lines point at this server
# (production requires WAGTAILADMIN_BASE_URL from the environment instead).
ifneq ($(DJANGO_SETTINGS_MODULE),catalog.settings.production)
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
endif

.PHONY: run test venv messages migrate seed accounts serve lint clean \
	collectstatic publish-scheduled backup restore bench bench-load

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-e2e.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found %s)" % sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# The interface translations (locale/kk, locale/ru): .po compiled to .mo (build output).
messages: venv
	$(PY) manage.py compile_translations

migrate: venv messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_catalog catalog/seed
	$(PY) manage.py load_sample_tour

accounts: migrate
	$(PY) manage.py ensure_local_accounts

# Scheduled publishing: Wagtail's publish_scheduled every minute in the background
# (log in .local/publish_scheduled.log), stopped when the server stops.
serve:
	@mkdir -p .local
	( while sleep 60; do $(PY) manage.py publish_scheduled >> .local/publish_scheduled.log 2>&1; done ) & \
	loop=$$!; trap "kill $$loop 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py publish_scheduled; \
	$(PY) manage.py runserver $(HOST):$(PORT)

run: seed accounts serve

test: venv messages
	DJANGO_SETTINGS_MODULE=catalog.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 static

# --- Production (README, "Production"): run with the production environment set,
# e.g. DJANGO_SETTINGS_MODULE=catalog.settings.production and the variables it needs.

collectstatic: venv
	$(PY) manage.py collectstatic --noinput

# One run of Wagtail's scheduled publishing (pages and snippets); run it every minute:
#   * * * * * cd /srv/heroes && make publish-scheduled   (or a systemd timer)
publish-scheduled: venv
	$(PY) manage.py publish_scheduled

# Database dump + media archive in a new BACKUP_DIR/<timestamp>/ folder (default backups/).
backup: venv
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output-dir $(BACKUP_DIR))

# make restore BACKUP=backups/20261129-023000 (asks first; RESTORE_ARGS=--no-input).
restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup folder>" >&2; exit 2; }
	$(PY) manage.py restore $(RESTORE_ARGS) $(BACKUP)

# Benchmarks (not part of `make test`; need wrk): bench/run.py --help lists BENCH_ARGS.
bench: venv
	$(PY) bench/run.py $(BENCH_ARGS)

bench-load: venv
	$(PY) bench/run.py --load $(BENCH_ARGS)
