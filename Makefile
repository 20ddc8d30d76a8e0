# Open Emploi 360 — the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin/openemploi
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/openemploi360/openemploi/internal/cli.Version=$(VERSION)

.PHONY: demo test build setup vet unit e2e bench stores-stop clean

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

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

stores-stop:
	scripts/stores.sh stop

clean:
	rm -rf bin var
