# Toolhost: `make run` and `make test` work on a fresh Debian machine with Swift installed.
SHELL := /bin/bash
SWIFT ?= swift
DEBIAN_PACKAGES := libseccomp-dev libcurl4-openssl-dev libsqlite3-dev libarchive-dev zlib1g-dev pkg-config util-linux
BENCH_PACKAGES := bubblewrap wrk
DATA_DIR ?= .toolhost

.PHONY: deps build test run bench embed clean

## Install the Debian packages that are missing (apt-get update first, as root or through sudo).
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## Build and run every test (the JSON Schema conformance counts are printed).
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

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
