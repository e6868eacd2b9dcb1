# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test check install messages bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	GONGZHI_DEBUG=1 $(BIN)/gongzhi migrate --verbosity 0
	GONGZHI_DEBUG=1 $(BIN)/gongzhi seed_demo
	@echo "Serving on http://127.0.0.1:8000 with the background worker (Ctrl-C to stop)"
	@echo "SMS and e-mail go to var/outbox/ (sms.jsonl, email.jsonl)"
	GONGZHI_DEBUG=1 $(BIN)/gongzhi serve --dev --bind 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python scripts/test.py $(ARGS)

# The quick loop while working: lint, types and the tests of the pure modules (the
# legal and arithmetic core, parsing, masking), no database; well under a minute.
FAST_TESTS := $(addprefix src/gongzhi/,cases/tests/test_stages.py \
	servicedesk/tests/test_deadlines.py registry/tests/test_roll.py \
	registry/tests/test_headcount.py notices/tests/test_windows.py \
	notices/tests/test_revenue.py notices/tests/test_richtext.py voting/tests/test_tally.py \
	voting/tests/test_tally_paths.py core/tests/test_sorting.py core/tests/test_masking.py \
	core/tests/test_identifiers.py core/tests/test_spreadsheet.py core/tests/test_tabular.py \
	selection/tests/test_proximity.py selection/tests/test_scoring.py)

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/gongzhi
	$(BIN)/pytest -q -p no:cacheprovider $(FAST_TESTS)

# Re-extract translatable strings and compile the catalogue (needs GNU gettext).
messages: $(STAMP)
	cd src/gongzhi && ../../$(BIN)/gongzhi makemessages -l zh_Hans --no-obsolete -i "*/tests/*" -i "demo/*"
	cd src/gongzhi && ../../$(BIN)/gongzhi compilemessages -l zh_Hans

bench: $(STAMP)
	$(BIN)/python bench/import_roll.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
