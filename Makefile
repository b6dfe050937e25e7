# Two commands for a fresh machine with Python 3.11:
#   make pack   set up .venv and build the default pack into output/
#   make test   set up .venv (with test tools) and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: pack test bench clean libreoffice

$(BIN)/curriculum-gen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

pack: $(BIN)/curriculum-gen
	$(BIN)/curriculum-gen build

test: $(BIN)/curriculum-gen libreoffice
	$(BIN)/python -m pytest

# LibreOffice makes PDFs (--format pdf); its test is skipped where it cannot be installed.
libreoffice:
	@command -v soffice >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null; } || \
	  echo "LibreOffice is not installed (needs root and apt-get): the PDF test will be skipped"

clean:
	rm -rf $(VENV) output .pytest_cache

# Speed and memory against pandoc (needs Debian's pandoc); prints figures, not a test.
bench: $(BIN)/curriculum-gen
	$(BIN)/python benchmarks/bench.py
