# Open Emploi 360 — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/openemploi
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/openemploi360/openemploi/internal/cli.Version=$(VERSION)

.PHONY: demo test build setup vet unit e2e bench bench-go stores-stop clean

## demo: install what is missing, start Fuseki, import the bundled sample, serve the dashboard
demo: setup build
	scripts/demo.sh

## test: every test — vet, unit and integration tests on real Fuseki and Oxigraph, browser tests
test: setup build vet
	scripts/test.sh

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/openemploi

setup:
	scripts/setup.sh

vet:
	$(GO) vet ./...

unit:
	$(GO) test ./...

e2e: build
	scripts/e2e.sh

## bench: the figures of doc/benchmarks.md at their default sizes (under 15 min on 2 cores):
## our RML engine vs Morph-KGC, the engine vs the bare loop, the diagnostic on a fresh store
bench: setup
	bench/morphkgc/run.sh --n 50000
	bench/ceiling/run.sh
	bench/diagnostic/run.sh --scale 0.1

## bench-go: the Go micro-benchmarks next to the code (go test -bench)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

stores-stop:
	scripts/stores.sh stop

clean:
	rm -rf bin var
