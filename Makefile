# JMU Planner. `make run` serves the demo; `make test` runs the whole suite on PostgreSQL and Redis.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make

# `make test` talks to real services; these are the defaults on a developer machine and in CI.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jmu_planner
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

# Branch coverage must stay at or above pyproject.toml's fail_under (94 %) for the whole suite;
# a run narrowed with PYTEST_ARGS reports coverage without failing on it.
COVERAGE_ARGS = --cov --cov-branch --cov-report=term $(if $(PYTEST_ARGS),--cov-fail-under=0)

.PHONY: run test test-fast lint format worker install static messages messages-update bench clean

$(STAMP):
	@mkdir -p $(STAMP)

# Python packages: reinstalled whenever requirements.txt changes.
$(STAMP)/venv: requirements.txt requirements-dev.txt | $(STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Front-end packages from the npm registry, copied into static/vendor (never loaded from a CDN).
# Every copied file that names a source map (`sourceMappingURL`) brings its map: collectstatic's
# manifest storage refuses a reference to a missing file. scripts/smoke_production.py checks it.
# axe-core (static/vendor/axe) is for the accessibility tests only: no page loads it.
# Workbox's modules are loaded by the service worker (/sw.js), idb by the offline field log.
$(STAMP)/static: package.json package-lock.json Makefile | $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/{bootstrap,bootstrap-icons,htmx,chartjs,leaflet,leaflet-markercluster,axe,workbox,idb}
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chartjs/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css static/vendor/leaflet-markercluster/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	for module in core routing strategies expiration precaching; do \
	  cp node_modules/workbox-$$module/build/workbox-$$module.prod.js node_modules/workbox-$$module/build/workbox-$$module.prod.js.map static/vendor/workbox/ || exit 1; \
	done
	cp node_modules/idb/build/umd.js static/vendor/idb/idb.umd.js
	@touch $@

# Translations: the .mo files are compiled from the committed .po catalogues, never committed.
$(STAMP)/messages: $(wildcard locale/*/LC_MESSAGES/*.po) | $(STAMP)/venv
	DJANGO_DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
	@touch $@

messages: $(STAMP)/messages

# After strings change in the code: collect them (new ones come in empty, never fuzzy) and list
# what needs a translator in messages-todo.json; then `manage.py catalog_fill messages-todo.json`
# and `manage.py translit_catalog` (the steps: jmu_planner/tests/test_catalogues.py).
messages-update: $(STAMP)/venv
	DJANGO_DEBUG=true $(PY) manage.py makemessages -l sr_Latn -l sr --no-obsolete \
	  -i '.venv/*' -i 'node_modules/*' -i 'static/vendor/*'
	DJANGO_DEBUG=true $(PY) manage.py catalog_todo -o messages-todo.json

install: $(STAMP)/venv $(STAMP)/static $(STAMP)/messages

static: $(STAMP)/static

# The embedded default: no DATABASE_URL/REDIS_URL means a SQLite file and in-process tasks.
# With REDIS_URL set, a Celery worker runs beside the web server.
run: install
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py load_reference_data && \
	$(PY) manage.py seed_demo --yes-demo-data && \
	if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker (log in celery-worker.log)"; \
	  $(VENV)/bin/celery -A jmu_planner worker --loglevel=INFO -Q celery,pdf --concurrency=2 > celery-worker.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	fi; \
	$(PY) manage.py runserver 127.0.0.1:8000

# A Celery worker on its own, for a set-up with REDIS_URL (production runs it under a supervisor).
worker: install
	$(VENV)/bin/celery -A jmu_planner worker --loglevel=INFO -Q celery,pdf

# Everything: migrations in step with the models, `make lint`, the whole suite with coverage (the
# 25 slowest tests printed at the end), then the production smoke test.
test: install lint
	@$(PY) scripts/wait_for_services.py "$${DATABASE_URL:-$(TEST_DATABASE_URL)}" "$${REDIS_URL:-$(TEST_REDIS_URL)}"
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	  DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	  $(VENV)/bin/pytest --durations=25 $(COVERAGE_ARGS) $(PYTEST_ARGS)
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	  $(PY) scripts/smoke_production.py

# The edit-test loop: no lint, no browser journeys (marker `browser`), the property tests with
# fewer examples (conftest.py's `fast` Hypothesis profile), no coverage and no smoke test.
# `make test` and CI still run everything.
test-fast: install
	@$(PY) scripts/wait_for_services.py "$${DATABASE_URL:-$(TEST_DATABASE_URL)}" "$${REDIS_URL:-$(TEST_REDIS_URL)}"
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
	  HYPOTHESIS_PROFILE=fast $(VENV)/bin/pytest -m "not browser" --durations=10 $(PYTEST_ARGS)

# Python (ruff: lint and format), templates (djLint), types of the access policy, lifecycles,
# services and selectors (mypy), the layers (import-linter, .importlinter). The same checks run
# before each commit with `.venv/bin/pre-commit install` (.pre-commit-config.yaml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	DJANGO_DEBUG=true $(VENV)/bin/mypy  # the Django plugin reads the development settings
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The benchmarks print readable lines and end with one JSON line each (README, Benchmarks).
bench: install
	for script in plan_page report_rollup dashboard pdf; do \
	  DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) bench/$$script.py || exit 1; \
	done

clean:
	rm -rf $(VENV) $(STAMP) node_modules static/vendor staticfiles db.sqlite3
