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

.PHONY: run worker test test-ahead e2e-deps lint messages upgrade bench bench-quick restore-check clean

# The virtual environment is rebuilt when a requirements file changes. Every package is
# pinned with its hashes (pip-tools, from requirements*.in): pip refuses anything else.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Newer releases within requirements*.in's bounds, compiled with their hashes; then run
# make test. Both files pin shared packages alike (config/tests/test_dependencies.py).
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
upgrade: $(VENV)/.dev
	$(PIP_COMPILE) --upgrade -o requirements.txt requirements.in
	$(PIP_COMPILE) --upgrade -o requirements-dev.txt requirements-dev.in

# The demo prints the staff and coordinator logins and the pages to open, at this address.
SITE_URL ?= http://$(HOST):$(PORT)

run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py demo --with-staff
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# A Celery worker with beat embedded, for development (needs Redis; `make run` does not).
worker: $(VENV)/.runtime
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(BIN)/python manage.py migrate --noinput
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} $(BIN)/celery -A config worker --beat -l info

# The whole suite, browser tests included: their npm packages are installed here when npm
# exists (otherwise one line says which tests will be skipped). Prints the time it took.
test: $(VENV)/.dev e2e-deps
	@start=$$(date +%s); $(BIN)/pytest; status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s"; exit $$status

e2e-deps:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "make test: npm is missing, so the accessibility tests (e2e/, axe-core) will be skipped"; \
	elif [ ! -f e2e/node_modules/.package-lock.json ] || \
	     [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then \
	  npm ci --prefix e2e --no-audit --no-fund --silent; \
	fi

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

# The same steps in about a minute, on databases of their own, with tiny seeds and 1-second
# runs: a smoke test of the benchmark (numbers not meaningful); writes
# ~/.cache/volontiers-bench/RESULTS-quick.md (BENCH_OUTPUT), never bench/RESULTS.md.
bench-quick: $(VENV)/.dev
	BENCH_QUICK=1 bench/run.sh

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
