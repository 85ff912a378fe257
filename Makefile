# creditdesk's developer commands. `make test` is what CI runs (.ci/run); it installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --frozen
# Python code that the linters and mypy read (benchmarks/ joins once it holds code).
CODE := src tests $(wildcard benchmarks/*.py) $(wildcard benchmarks/*/*.py)

.PHONY: help uv sync services test-data lint typecheck imports unit test demo format clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

uv: ## install uv with pip when it is missing
	@command -v uv >/dev/null 2>&1 || test -x "$(HOME)/.local/bin/uv" || python3 -m pip install --user --quiet uv

sync: uv ## install the locked dependencies into .venv
	$(UV) sync --frozen --all-groups

# The tests start their own PostgreSQL, Redis and RabbitMQ servers from the system's binaries
# (tests/services/), and drive Debian's Chromium (tests/e2e/browser/); this installs them once
# through apt-get, and does nothing when they are there.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

services: ## install what the tests start: PostgreSQL, Redis, RabbitMQ and Chromium
	@if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		echo "postgresql: $$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"; \
	else \
		echo "postgresql: not found, installing it through apt-get"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends postgresql; \
	fi
	@if command -v redis-server >/dev/null 2>&1; then \
		echo "redis-server: $$(command -v redis-server)"; \
	else \
		echo "redis-server: not found, installing it through apt-get"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends redis-server; \
	fi
	@if test -x /usr/lib/rabbitmq/bin/rabbitmq-server; then \
		echo "rabbitmq-server: /usr/lib/rabbitmq/bin/rabbitmq-server"; \
	else \
		echo "rabbitmq-server: not found, installing it through apt-get"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends rabbitmq-server; \
	fi
	@if test -x /usr/bin/chromium; then \
		echo "chromium: /usr/bin/chromium"; \
	else \
		echo "chromium: not found, installing it through apt-get"; \
		$(APT) update -qq && $(APT) install -y -qq --no-install-recommends chromium; \
	fi

lint: sync ## ruff: lint and format check
	$(RUN) ruff check $(CODE)
	$(RUN) ruff format --check $(CODE)

typecheck: sync ## mypy --strict over src and tests
	$(RUN) mypy $(CODE)

imports: sync ## the layer contracts (import-linter)
	$(RUN) lint-imports

# Public OpenAPI specs the test generation is proven on (petstore, USPTO, Train Travel...): the npm
# package of ReadMe's oas-examples, fetched once, checked against its sha256 and unpacked.
OAS_EXAMPLES := .cache/oas-examples
OAS_EXAMPLES_URL := https://registry.npmjs.org/@readme/oas-examples/-/oas-examples-8.2.2.tgz
OAS_EXAMPLES_SHA256 := df951ee87b5b069c86148bf5bbf3923d6cfd27fb95a45aacb95f06b31f604241

test-data: ## download the public OpenAPI specs the tests read (once, checksum verified)
	@if test -f $(OAS_EXAMPLES)/package/package.json; then \
		echo "oas-examples: $(OAS_EXAMPLES)/package"; \
	else \
		set -euo pipefail; \
		rm -rf $(OAS_EXAMPLES) && mkdir -p $(OAS_EXAMPLES)/partial; \
		if command -v curl >/dev/null 2>&1; then \
			curl -fsSL --retry 3 --max-time 120 -o $(OAS_EXAMPLES)/oas-examples.tgz $(OAS_EXAMPLES_URL); \
		else \
			python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
				$(OAS_EXAMPLES_URL) $(OAS_EXAMPLES)/oas-examples.tgz; \
		fi; \
		echo "$(OAS_EXAMPLES_SHA256)  $(OAS_EXAMPLES)/oas-examples.tgz" | sha256sum --check --quiet -; \
		tar -xzf $(OAS_EXAMPLES)/oas-examples.tgz -C $(OAS_EXAMPLES)/partial; \
		mv $(OAS_EXAMPLES)/partial/package $(OAS_EXAMPLES)/package; \
		rm -rf $(OAS_EXAMPLES)/partial $(OAS_EXAMPLES)/oas-examples.tgz; \
		echo "oas-examples: unpacked into $(OAS_EXAMPLES)/package"; \
	fi

# The tests wait on servers and subprocesses much of the time, so they run in a few processes
# (one test file per process at a time: a file's fixtures are set up once); the slowest are listed.
unit: sync services test-data ## pytest alone (starts its own throwaway servers)
	bash scripts/pytest-strict --numprocesses=auto --maxprocesses=4 --dist=loadfile --durations=15

test: services lint typecheck imports unit ## everything CI runs

demo: sync ## the embedded default with the demo tenant: prints the URL and the demo logins
	$(RUN) creditdesk serve --demo

format: sync ## rewrite the code in the house style
	$(RUN) ruff check --fix $(CODE)
	$(RUN) ruff format $(CODE)

clean: ## remove caches and the virtual environment
	rm -rf .venv .mypy_cache .ruff_cache .pytest_cache .hypothesis
