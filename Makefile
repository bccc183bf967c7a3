# Volontiers: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
FR_PO := locale/fr/LC_MESSAGES/django.po
# Our corrections to the French of third-party apps (the admin): merged into FR_PO, since
# makemessages drops every msgid that is not in our sources.
FR_THIRD_PARTY := locale/fr/third-party.po.in

.PHONY: run worker test test-ahead lint messages bench restore-check clean

# The virtual environment is rebuilt when a requirements file changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo --with-staff
	@echo "Volontiers: http://$(HOST):$(PORT)/missions/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# A Celery worker with beat embedded, for development (needs Redis; `make run` does not).
worker: $(VENV)/.runtime
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(BIN)/python manage.py migrate --noinput
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(BIN)/celery -A config worker --beat -l info

test: $(VENV)/.dev
	$(BIN)/pytest

# The in-process suite again, its clock a year then three years ahead (testing/clock.py): no
# test may depend on today's date. Tests of other processes keep the real clock (real_clock).
test-ahead: $(VENV)/.dev
	TEST_CLOCK_AHEAD_DAYS=365 $(BIN)/pytest -q --ignore=e2e -m "not real_clock"
	TEST_CLOCK_AHEAD_DAYS=1096 $(BIN)/pytest -q --ignore=e2e -m "not real_clock"

# Style, types, the layers between apps (pyproject.toml [tool.importlinter]), and sizes:
# no module over 400 lines, no function over 50 (tools/sizes.py).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/sizes.py

# Side-by-side benchmark against the minimal Django ceiling (PostgreSQL); writes bench/RESULTS.md.
# The development requirements: the outbox run delivers to a local aiosmtpd.
bench: $(VENV)/.dev
	bench/run.sh

# Dump the database given by DATABASE_URL, restore it into a throwaway cluster, check it.
restore-check: $(VENV)/.runtime
	deploy/restore-check.sh "$${DATABASE_URL:?set DATABASE_URL to the database to check}"

# Refresh both catalogues after changing user-facing strings, then translate locale/en.
# French is filled from the sources, then our corrections of third-party French are added.
messages: $(VENV)/.dev
	rm -f $(FR_PO)
	$(BIN)/python manage.py makemessages --locale fr --locale en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	msgen $(FR_PO) | msgattrib --clear-fuzzy --output-file $(FR_PO)
	sed -i -e 's/^"Language: \\n"/"Language: fr\\n"/' -e 's/PACKAGE VERSION/Volontiers/' $(FR_PO)
	msgcat --use-first $(FR_PO) $(FR_THIRD_PARTY) --output-file $(FR_PO)
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
