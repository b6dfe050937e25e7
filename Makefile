# Two commands for a fresh machine with Python 3.11:
#   make pack   set up .venv and build the default pack into output/
#   make test   set up .venv (with test tools) and run the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: pack test bench clean

$(BIN)/curriculum-gen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

pack: $(BIN)/curriculum-gen
	$(BIN)/curriculum-gen build

test: $(BIN)/curriculum-gen
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output .pytest_cache

# Speed and memory against pandoc (needs Debian's pandoc); prints figures, not a test.
bench: $(BIN)/curriculum-gen
	$(BIN)/python benchmarks/bench.py
