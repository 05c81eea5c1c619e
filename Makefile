# akhbar — the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: install demo test lint stop-store clean help

help:
	@echo "make demo        install, start the store if MONGO_URI is unset, crawl the bundled demo site, print a summary"
	@echo "                 (make demo PORT=N: serve the demo site on port N instead of 8780)"
	@echo "make test        install, run the test suite against its own temporary store"
	@echo "make lint        ruff"
	@echo "make stop-store  stop the embedded store started by demo or crawls"

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# PORT=N serves the demo site on another port (the default is 8780, or AKHBAR_DEMO_PORT).
demo: install
	$(PY) -m scripts.demo $(if $(PORT),--port $(PORT))

test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .

stop-store: install
	$(PY) -m scrapy store stop

clean: stop-store
	rm -rf $(VENV) data .pytest_cache .ruff_cache
