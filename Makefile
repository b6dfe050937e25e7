# Two commands for a fresh machine with Python 3.11:
#   make pack   set up .venv and build the default pack into output/
#   make test   set up .venv (with test tools) and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: pack test style bench clean libreoffice browser browser-packages

$(BIN)/curriculum-gen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

pack: $(BIN)/curriculum-gen
	$(BIN)/curriculum-gen build

test: $(BIN)/curriculum-gen libreoffice browser style
	$(BIN)/python -m pytest

# Lint, formatting and strict typing: the same checks for everyone, in CI too.
style: $(BIN)/curriculum-gen
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy --strict src

# LibreOffice makes PDFs (--format pdf); its test is skipped where it cannot be installed.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null; } || \
	  echo "LibreOffice is not installed (needs root and apt-get): the PDF test will be skipped"

# Debian's Chromium, node and the pinned axe-core and playwright-core (tests/a11y) run the HTML
# accessibility and print tests; pdftotext reads the printed pages. Where they cannot be installed
# those tests are skipped. Nothing is installed when all is in place.
A11Y := tests/a11y
browser: $(A11Y)/node_modules/.package-lock.json

browser-packages:
	@missing=""; [ -x /usr/bin/chromium ] || missing=" chromium"; \
	  { command -v node && command -v npm; } >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  [ -z "$$missing" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || \
	  echo "Could not install$$missing (needs root and apt-get): the HTML accessibility and print tests will be skipped"

$(A11Y)/node_modules/.package-lock.json: $(A11Y)/package-lock.json | browser-packages
	@command -v npm >/dev/null 2>&1 && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix $(A11Y) --no-audit --no-fund \
	  --loglevel=error || echo "'npm ci --prefix $(A11Y)' could not run: the HTML accessibility and print tests will be skipped"

clean:
	rm -rf $(VENV) output .pytest_cache

# Speed and memory against pandoc (needs Debian's pandoc); prints figures, not a test.
bench: $(BIN)/curriculum-gen
	$(BIN)/python benchmarks/bench.py
