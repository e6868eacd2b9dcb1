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

# Re-extract translatable strings and compile the catalogue (needs GNU gettext).
messages: $(STAMP)
	cd src/gongzhi && ../../$(BIN)/gongzhi makemessages -l zh_Hans --no-obsolete -i "*/tests/*" -i "demo/*"
	cd src/gongzhi && ../../$(BIN)/gongzhi compilemessages -l zh_Hans

bench: $(STAMP)
	$(BIN)/python bench/import_roll.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
