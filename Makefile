# Two commands for a newcomer: `make run` (set up everything and serve) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
PLAN := fixtures/plans/2020-2023.json

.PHONY: install data run test lint format check-migrations messages pdf-support browser bench backup restore clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=..."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) messages pdf-support

# PDF reports (reports/pdf.py): WeasyPrint needs Pango, and Arabic and Chinese need the Noto
# fonts, from Debian's packages. Installed here when run as root where apt-get is; otherwise
# named, and the rest of the portal runs without them.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk
pdf-support:
	@if { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q libpangoft2-1.0.so.0 \
		&& [ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] \
		&& [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing what PDF reports need: $(PDF_PACKAGES)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES) >/dev/null; \
	else \
		echo "PDF reports need Debian's $(PDF_PACKAGES): apt-get install them as root (or run make install as root); the rest of the portal runs without them."; \
	fi

# The compiled .mo files are committed; rebuild them when gettext is there to do it.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1 && ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore=.venv -v 0; fi

data: install
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_plan $(PLAN) --publish
	$(MANAGE) load_indicators fixtures/indicators/geographies.json fixtures/indicators/indicators.json --plan 2020-2023
	$(MANAGE) import_observations fixtures/indicators/itu-published-figures.csv --plan 2020-2023 --approve --skip-existing
	$(MANAGE) load_countries
	$(MANAGE) load_statistics
	$(MANAGE) compute_aggregates

run: data
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(MANAGE) makemigrations --check --dry-run

test: install lint check-migrations
	$(BIN)/pytest

bench: data
	$(PY) bench/pages.py && $(PY) bench/api.py && $(PY) bench/import_observations.py && $(PY) bench/progress.py && $(PY) bench/country_data.py

# PostgreSQL only (DATABASE_URL): backups/<database>-<UTC time>.dump, and its restore into an
# empty database (FORCE=1 replaces a database's content). No virtualenv needed: scripts/database_backup.sh
backup:
	scripts/database_backup.sh backup backups

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<database>-<time>.dump [FORCE=1]"; exit 2; }
	FORCE=$(FORCE) scripts/database_backup.sh restore "$(FILE)"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
