# lingpao — the two commands of the README, plus a few conveniences.
#   make demo   builds a demonstration workspace in ./lingpao-demo (workbooks, PDFs, receipts)
#   make test   vets and tests everything (installs missing Debian packages when run as root)
#   make cross  builds and vets for the other platforms a bureau runs (pure Go, CGO_ENABLED=0)
#   make tidy   checks that go.mod and go.sum are tidy

GO        ?= go
DEMO_DIR  ?= lingpao-demo
PERIOD    ?= 2025-09
# The platforms lingpao is built for besides this one: Windows servers, ARM and LoongArch (信创) Linux.
CROSS     ?= windows/amd64 linux/arm64 linux/loong64

.PHONY: demo test build cross tidy deps-demo deps-test clean

demo: deps-demo
	rm -rf $(DEMO_DIR)
	$(GO) run ./cmd/lingpao demo --dir $(DEMO_DIR) --period $(PERIOD)

test: deps-test
	$(GO) vet ./...
	$(GO) test ./...

build:
	$(GO) build -o bin/lingpao ./cmd/lingpao

cross:
	@for p in $(CROSS); do \
		os=$${p%/*}; arch=$${p#*/}; echo "== $$os/$$arch"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -o /dev/null ./cmd/lingpao || exit 1; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) vet ./... || exit 1; \
	done

tidy:
	$(GO) mod tidy -diff

deps-demo:
	@scripts/deps.sh demo

deps-test:
	@scripts/deps.sh test

clean:
	rm -rf bin $(DEMO_DIR)
