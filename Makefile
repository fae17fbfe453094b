# Lernplattform: `make run` installs everything and serves the demo; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test install fonts migrate seed lint clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

# On the embedded default (SQLite) the tests run on every core (pytest-xdist: each worker migrates
# its own in-memory database once). With DATABASE_URL set (the PostgreSQL leg with the real Celery
# worker and the browser journeys on one broker queue) they run serially. PYTEST_WORKERS=0 forces serial.
PYTEST_WORKERS ?= $(if $(DATABASE_URL),0,auto)
test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed fonts

# The certificate PDFs embed DejaVu Sans (full German glyphs) from Debian's fonts-dejavu-core; the
# font is never committed. Elsewhere set CERTIFICATE_FONT_DIR to a folder with DejaVuSans(-Bold).ttf.
FONT_DIR ?= /usr/share/fonts/truetype/dejavu
fonts:
	@test -f $(FONT_DIR)/DejaVuSans.ttf -a -f $(FONT_DIR)/DejaVuSans-Bold.ttf || \
	  { command -v apt-get >/dev/null && { $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq fonts-dejavu-core; } ; } || \
	  { echo "Es fehlt die Schrift für Zertifikate: bitte fonts-dejavu-core installieren oder CERTIFICATE_FONT_DIR setzen." >&2; exit 1; }

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# h5p-standalone's preinstall script insists on yarn; .npmrc turns install scripts off, its dist is prebuilt.
node_modules/.installed: package.json package-lock.json
	npm ci
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Style, layers (.importlinter: DESIGN.md's layer order) and types (pyproject.toml [tool.mypy]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) node_modules data staticfiles
