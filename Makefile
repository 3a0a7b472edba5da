# Gazette: `make run` serves the demo site, `make test` runs every check and test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

PROD_ENV = DJANGO_SETTINGS_MODULE=gazette.settings.production GAZETTE_HTTPS=0 \
	DJANGO_SECRET_KEY="$$(cat var/secret_key)" DJANGO_ALLOWED_HOSTS="$(HOST),127.0.0.1,localhost" \
	GAZETTE_BASE_URL="http://$(HOST):$(PORT)" EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
	GAZETTE_REQUIRE_2FA=0

.PHONY: help python-check venv install install-test secret run dev migrate demo lint format checks test pytest \
	services-start services-stop bench constraints clean \
	messages compilemessages

help:
	@echo "make run    - install, migrate, load the demo and serve http://$(HOST):$(PORT)/"
	@echo "make dev    - the same with Django's autoreloading development server and DEBUG"
	@echo "make test   - install what the tests need and run every check and test"
	@echo "make lint   - ruff format --check and ruff check"
	@echo "make bench  - benchmarks (figures, never pass/fail)"

python-check:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || { \
	  echo "Gazette needs Python 3.12 or newer (Django 6.1 requires it); '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12 (e.g. 'pyenv install 3.12' or 'apt-get install python3.12') and run again,"; \
	  echo "or point at it: make run PYTHON=python3.12"; exit 1; }

$(VENV)/bin/activate: | python-check
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(VENV)/bin/activate
	$(PIP) install -q -c requirements/constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml requirements/constraints.txt
	$(PIP) install -q -c requirements/constraints.txt -e ".[test]"
	touch $@

venv install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

secret:
	@mkdir -p var
	@[ -s var/secret_key ] || { $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key; chmod 600 var/secret_key; }

migrate: install secret
	@$(PROD_ENV) $(PY) manage.py migrate --no-input -v 0
	@$(PROD_ENV) $(PY) manage.py collectstatic --no-input -v 0
	@$(MAKE) --no-print-directory compilemessages
	@$(PROD_ENV) $(PY) manage.py train_comment_classifier --base-only

demo: migrate
	@$(PROD_ENV) $(PY) manage.py load_demo

run: demo
	@$(PROD_ENV) scripts/run.sh

dev: install secret
	$(PY) manage.py migrate --no-input -v 0
	$(MAKE) --no-print-directory compilemessages
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

checks: install-test
	DJANGO_SETTINGS_MODULE=gazette.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=gazette.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=gazette.settings.production DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

services-start:
	@scripts/services.sh start > var/services.env
services-stop:
	@scripts/services.sh stop

# Everything: system packages, Python and npm packages, lint, Django's checks, the test suite on
# SQLite (the browser tests, Lighthouse among them, in one process of their own: they share one
# Chromium and one live server at a time), then the tests that use the database (marked
# `database` at collection) again on PostgreSQL + Redis servers started for the run
# (docs/testing.md).
test: install-test node_modules/.installed
	@mkdir -p var
	scripts/install-test-deps.sh
	$(MAKE) --no-print-directory lint checks compilemessages
	$(MAKE) --no-print-directory services-start
	trap 'scripts/services.sh stop' EXIT; \
	  $(PY) -m pytest -q -n 2 --dist loadfile -m "not browser" && \
	  $(PY) -m pytest -q -m browser && \
	  env $$(cat var/services.env) $(PY) -m pytest -q -n 2 --dist loadfile \
	    -m "not browser and (database or postgres or redis)"

pytest: install-test
	$(PY) -m pytest $(ARGS)

bench: install-test node_modules/.installed
	scripts/install-test-deps.sh
	$(PY) bench/run.py $(ARGS)

constraints:
	$(PIP) freeze --exclude-editable | sed '/^gazette/d' | { echo "# Exact versions every install uses (make run / make test): pip install -c requirements/constraints.txt"; echo "# Regenerate with: make constraints"; cat; } > requirements/constraints.txt

clean:
	rm -rf $(VENV) node_modules var static

# The Russian catalogue: `make messages` collects every marked string of gazette/ into
# locale/ru/LC_MESSAGES/django.po (then translate the new entries); `compilemessages` builds the
# .mo files Django reads (generated, not committed), with GNU gettext's msgfmt.
MESSAGES_IGNORE = --ignore=node_modules --ignore=tests --ignore=bench --ignore=static --ignore=var \
	--ignore=deploy --ignore=scripts --ignore=media --ignore=.venv
messages: install
	DJANGO_SETTINGS_MODULE=gazette.settings.test $(PY) manage.py makemessages -l ru --no-obsolete --no-location \
		$(MESSAGES_IGNORE)

compilemessages: install
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs GNU gettext's msgfmt (apt-get install gettext)."; \
	  if [ "$${GAZETTE_LANGUAGE:-en}" = en ]; then echo "Going on in English without compiled translations."; exit 0; else exit 1; fi; }
	@DJANGO_SETTINGS_MODULE=gazette.settings.test $(PY) manage.py compilemessages -v 0 $(MESSAGES_IGNORE)
