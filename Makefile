# Pharos: `make run` serves the whole product, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install run test lint typecheck migrations-check test-sqlite test-postgres browser mailserver bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

## Serve http://127.0.0.1:8000 on SQLite (migrates and loads the demo data on first start).
run: install
	$(BIN)/pharos serve

## Lint, types, migrations, then the whole suite on SQLite and on PostgreSQL.
test: install browser mailserver lint typecheck migrations-check test-sqlite test-postgres

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

migrations-check: install
	$(BIN)/pharos makemigrations --check --dry-run

test-sqlite: install
	PHAROS_DATA_DIR=$(CURDIR)/var/test $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	PHAROS_DATA_DIR=$(CURDIR)/var/test DATABASE_URL=$(POSTGRES_URL) PHAROS_DB_CONN_MAX_AGE=0 $(BIN)/pytest $(PYTEST_ARGS)

## Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium), and a
## Chinese font so the screenshots they leave in test-artifacts/ are readable.
browser:
	@test -x /usr/bin/chromium && test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium fonts-wqy-microhei >/dev/null; }

## Dovecot for the IMAP polling tests (tests/mail/imap_server.py starts its own instance,
## on a free port with its own configuration; a system service the package may start is
## not used, and without systemd the package's start script is simply skipped).
mailserver:
	@test -x /usr/sbin/dovecot || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    dovecot-imapd >/dev/null; }

bench: install
	$(BIN)/python bench/helpcenter_search.py
	$(BIN)/python bench/helpcenter_http.py

clean:
	rm -rf $(VENV) var/test staticfiles

## Re-extract the interface messages and compile the Chinese catalogue (tools/translations_zh/, one module per app).
translations: install
	cd src/pharos && ../../$(BIN)/pharos makemessages -l zh_Hans --ignore "demo_content/*" --no-location --no-obsolete
	$(BIN)/python tools/compile_translations.py
