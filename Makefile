# Two commands do all set-up on a fresh machine (see README.md):
#   make demo   create .venv, install stakegraph, run the main job on the bundled example
#   make test   install the development tools and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DATE ?= 2026-11-28

.PHONY: demo test lint bench clean neo4j sysdeps font browser office

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: font $(VENV)/.installed
	$(BIN)/stakegraph report examples/smart-city --as-of $(DEMO_DATE)

test: sysdeps $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# System packages: a font with Chinese glyphs for the figures (the demo needs it too),
# Chromium, in which the tests open report.html and the map (headless), and poppler's
# pdftoppm/pdftotext with LibreOffice Impress (headless), with which the tests look at
# the one-page brief as PDF and as PowerPoint. Installed with apt-get when run as root;
# otherwise each says what to install.
sysdeps: font browser office

font:
	@if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing fonts-noto-cjk (Chinese font for the figures)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig; \
	else \
		echo "font: no Chinese font found and cannot install one here; run as root" \
		     "'apt-get install fonts-noto-cjk' or set STAKEGRAPH_FONT=/path/to/font.otf"; \
	fi

browser:
	@if [ -x /usr/bin/chromium ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium (headless browser for the report tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "browser: /usr/bin/chromium missing and cannot install it here; run as root" \
		     "'apt-get install chromium' (the browser tests are skipped, and fail when CI=true)"; \
	fi

office:
	@if command -v pdftoppm >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 \
		&& [ -e /usr/lib/libreoffice/share/registry/impress.xcd ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing poppler-utils and libreoffice-impress-nogui (the brief tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends poppler-utils libreoffice-impress-nogui; \
	else \
		echo "office: pdftoppm or LibreOffice Impress missing and cannot install them here;" \
		     "run as root 'apt-get install poppler-utils libreoffice-impress-nogui'" \
		     "(the brief's rendering tests are skipped, and fail when CI=true)"; \
	fi

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The benchmarks (tens of minutes; figures in benchmarks/results/, see benchmarks/README.md).
bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.bench_load
	$(BIN)/python -m benchmarks.bench_analysis
	$(BIN)/python -m benchmarks.bench_paths
	$(BIN)/python -m benchmarks.bench_brokerage
	$(BIN)/python -m benchmarks.bench_accounts
	$(BIN)/python -m benchmarks.bench_startup
	$(BIN)/python -m benchmarks.bench_cache
	$(BIN)/python -m benchmarks.bench_centrality
	$(BIN)/python -m benchmarks.bench_appointments
	$(BIN)/python -m benchmarks.bench_filters

# A Neo4j 5.26 server for development, built from Maven Central (needs Java 17 and Maven).
neo4j: $(VENV)/.installed
	$(BIN)/python tools/neo4j/neo4j.py start

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
