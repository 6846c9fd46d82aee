# The two commands: `make run` and `make test`. Everything else is set-up they call.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export FACILITATION_INSTANCE ?= $(CURDIR)/instance
# Only folders that exist (bench/ may be absent from a checkout).
LINT_PATHS := $(wildcard facilitation plugins examples tests bench) wsgi.py
# The built-in exercises are packages of their own, installed like anyone's.
PLUGINS := plugins/poll plugins/squad plugins/board plugins/ranking plugins/evaluation plugins/selfassessment \
	plugins/questions plugins/prompt
# -qq: our own lines only (pip's warnings about this machine's indexes are not the project's).
PIP := $(BIN)/pip install -qq --disable-pip-version-check

.PHONY: run test install deps-test vendor translations messages lint bench bench-full bench-hostile clean reset

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(PIP) --upgrade pip

$(STAMP): $(BIN)/python setup.cfg $(foreach p,$(PLUGINS),$(p)/pyproject.toml)
	$(PIP) -e '.[test,bench]' $(foreach p,$(PLUGINS),-e $(p))
	touch $(STAMP)

install: $(STAMP) vendor translations

# Browser libraries come from the npm registry through package-lock.json.
# socket.io-client for every live page; SortableJS for drag-and-drop lists that work on touch too
# (the obstacle board's clusters, the ranking), exposed to exercises' browser modules as window.Sortable;
# the dagre graph layout for the squad canvas's map, into the squad plugin's own static files.
SQUAD_VENDOR := plugins/squad/facilitation_squad/static/vendor
vendor: static/vendor/.copied
static/vendor/.copied: package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor $(SQUAD_VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/sortablejs/Sortable.min.js static/vendor/
	cp node_modules/@dagrejs/dagre/dist/dagre.min.js node_modules/@dagrejs/dagre/dist/dagre.min.js.LEGAL.txt $(SQUAD_VENDOR)/
	touch $@

# Catalogs: `make messages` extracts every string and updates the .po files, the core's and
# each plugin's own (a folder with a babel.cfg, its catalogs in <package>/translations; msgids
# are English; new strings arrive untranslated, never guessed); `make translations` compiles
# them into .mo files (build outputs, not committed).
CATALOG_ROOTS := . $(PLUGINS)

messages: $(STAMP)
	@for root in $(CATALOG_ROOTS); do \
	  dir=$$($(BIN)/python -m facilitation.catalogs $$root) || exit 1; \
	  (cd $$root && $(CURDIR)/$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location \
	    --sort-output --copyright-holder "facilitation contributors" -o $$dir/messages.pot . ) || exit 1; \
	  for lang in it en; do [ -f $$root/$$dir/$$lang/LC_MESSAGES/messages.po ] || \
	    $(BIN)/pybabel -q init -i $$root/$$dir/messages.pot -d $$root/$$dir -l $$lang -w 100; done; \
	  $(BIN)/pybabel -q update -i $$root/$$dir/messages.pot -d $$root/$$dir --no-fuzzy-matching --ignore-obsolete -w 100; \
	  rm -f $$root/$$dir/messages.pot; \
	done

translations: $(STAMP)
	@for root in $(CATALOG_ROOTS); do \
	  dir=$$($(BIN)/python -m facilitation.catalogs $$root) || exit 1; \
	  $(BIN)/pybabel -q compile -d $$root/$$dir || exit 1; \
	done

run: install
	$(BIN)/facilitation migrate
	$(BIN)/facilitation seed-demo --base-url http://$(HOST):$(PORT) --history 4
	$(BIN)/facilitation serve --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests, poppler-utils for the PDF tests and redis-server for the scale-out test,
# installed only when missing (CI machines start without them).
deps-test:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Debian chromium"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "installing poppler-utils (the PDF tests render pages with pdftoppm)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; }
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server >/dev/null; }

test: install deps-test
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

# Load benchmarks (never part of `make test`): see docs/performance.md. Run them on a quiet machine.
bench: install
	$(BIN)/python -m bench --scenarios poll,canvas,board,board-vote,questions --processes 1,2 --storm --micro --pages --nginx --trace

bench-full: install
	$(BIN)/python -m bench --scenarios poll,canvas,board,board-vote,questions --modes eventlet,gevent,threading --processes 1,2 --storm --micro --pages --nginx --trace

# 200 voters beside anonymous floods (1 and 20 flooders; 1 KB, 8 KB, 60 KB frames), ours and bare,
# and what a received websocket byte costs each implementation.
bench-hostile: install
	$(BIN)/python -m bench --scenarios hostile --wscost

clean:
	rm -rf $(VENV) node_modules static/vendor $(SQUAD_VENDOR) test-artifacts bench/results

# The demo's data: database, demo password, development secret (make run makes them again).
reset:
	rm -rf $(FACILITATION_INSTANCE)
