# Toolhost: `make run` and `make test` work on a fresh Debian machine with Swift installed.
SHELL := /bin/bash
SWIFT ?= swift
DEBIAN_PACKAGES := libseccomp-dev libcurl4-openssl-dev libsqlite3-dev libarchive-dev zlib1g-dev pkg-config util-linux
BENCH_PACKAGES := bubblewrap wrk
# Python peers the tests talk to: a real SMTP server (aiosmtpd) and the OpenAPI 3.1 checker.
PYTHON ?= python3
PYTHON_PACKAGES := aiosmtpd==1.4.6 openapi-spec-validator
DATA_DIR ?= .toolhost

.PHONY: deps python-deps build test run bench embed clean

## Install the Debian packages that are missing (apt-get update first, as root or through sudo).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

## Install the Python packages the tests use as peers, when missing.
python-deps:
	@$(PYTHON) -c "import aiosmtpd, openapi_spec_validator" 2>/dev/null || \
		$(PYTHON) -m pip install -q --disable-pip-version-check --root-user-action=ignore $(PYTHON_PACKAGES)

build: deps
	$(SWIFT) build

## Build and run every test (the JSON Schema conformance counts are printed). Each phase has a
## deadline: a hang fails with the process tree and the test process's backtraces (scripts/test-phase.sh).
test: deps python-deps
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/test-phase.sh main 1500 --skip '^SandboxTests\.' --skip 'BuiltinBombTests'
	@# The server's latency under built-in bombs is measured alone: other suites' load is not the bombs'.
	SWIFT=$(SWIFT) scripts/test-phase.sh bombs 300 --filter 'BuiltinBombTests'
	@# The sandbox's own suite checks after every run that the host is unchanged (no cgroup, process
	@# or descriptor left), so it runs alone: other suites' sandboxes would look like its leaks.
	SWIFT=$(SWIFT) scripts/test-phase.sh sandbox 1200 --filter '^SandboxTests\.'


## Build and start the server on 127.0.0.1:8080 with the embedded store, the built-ins and the examples.
run: build
	$(SWIFT) run toolhost serve --data-dir $(DATA_DIR) --publish-examples

## Benchmarks in release mode; each prints ratios against a baseline measured in the same run.
bench: deps
	@missing=$$(for p in $(BENCH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi
	$(SWIFT) build -c release
	.build/release/sandbox-benchmark
	.build/release/registry-benchmark

## Copy Registry/schema/toolhost.schema.json into the Swift source that embeds it.
embed:
	scripts/embed-manifest-schema.sh

clean:
	rm -rf .build
