# The two commands a newcomer needs:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SCALE  ?= small

.PHONY: demo test lint format setup system-deps neo4j bench clean

demo: setup  ## provision Neo4j, generate a marketplace, load it, sweep, write the ring report
	$(BIN)/graphkit demo --scale $(SCALE)

test: setup lint  ## unit + integration tests against a live Neo4j, PostgreSQL and Chromium
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: system-deps $(VENV)/.installed

system-deps:
	scripts/install-system-deps.sh

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,notebooks]'
	touch $@

neo4j: setup
	$(BIN)/graphkit neo4j start

bench: setup
	$(BIN)/pip install -q -e '.[bench]' || echo "py2neo could not be installed; its bench row will say why"
	$(BIN)/python -m bench --scale seed

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache
