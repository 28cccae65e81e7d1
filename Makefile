# lingpao — the two commands of the README, plus a few conveniences.
#   make demo   builds a demonstration workspace in ./lingpao-demo (workbooks, PDFs, receipts)
#   make test   vets and tests everything (installs missing Debian packages when run as root)

GO        ?= go
DEMO_DIR  ?= lingpao-demo
PERIOD    ?= 2025-09

.PHONY: demo test build deps-demo deps-test clean

demo: deps-demo
	rm -rf $(DEMO_DIR)
	$(GO) run ./cmd/lingpao demo --dir $(DEMO_DIR) --period $(PERIOD)

test: deps-test
	$(GO) vet ./...
	$(GO) test ./...

build:
	$(GO) build -o bin/lingpao ./cmd/lingpao

deps-demo:
	@scripts/deps.sh demo

deps-test:
	@scripts/deps.sh test

clean:
	rm -rf bin $(DEMO_DIR)
