# One entry point. `make test` is what CI runs (.ci/run).
.PHONY: setup build test lint bench clean

CARGO ?= cargo

setup:
	./scripts/setup.sh

build:
	$(CARGO) build --release --bin vietqr
	./scripts/build-wasm.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --all-targets -- -D warnings

test: setup build lint
	$(CARGO) test
	node --test tests/node/

bench: setup build
	node bench/node.mjs

clean:
	$(CARGO) clean
	rm -rf pkg tests/node/node_modules
