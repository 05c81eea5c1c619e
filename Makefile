# akhbar — the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: install demo test lint stop-store clean help

help:
	@echo "make demo        install, start the store if MONGO_URI is unset, crawl the bundled demo site, print a summary"
	@echo "make test        install, run the test suite against its own temporary store"
	@echo "make lint        ruff"
	@echo "make stop-store  stop the embedded store started by demo or crawls"

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install
	$(PY) -m scripts.demo

test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .

stop-store: install
	$(PY) -m scrapy store stop

clean: stop-store
	rm -rf $(VENV) data .pytest_cache .ruff_cache
