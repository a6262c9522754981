# One entry point. `make test` is what CI runs (.ci/run).
.PHONY: setup build plugin test lint bench demo fuzz bench-page bench-checkout screenshots load clean

CARGO ?= cargo
PHP_FILES = $(shell find php-bridge tests/php bench -name '*.php' -not -path 'php-bridge/core/*' -not -path '*/node_modules/*') php-bridge/bin/core-call

setup:
	./scripts/setup.sh

build:
	$(CARGO) build --release --bin vietqr
	$(CARGO) build --release -p vietqr-sim
	./scripts/build-wasm.sh
	./scripts/build-php-core.sh
	./scripts/i18n.sh build

# dist/vietqr-for-woocommerce.zip: the plugin as an admin uploads it.
plugin: build
	./scripts/plugin-zip.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@for f in $(PHP_FILES); do php -l $$f >/dev/null || exit 1; done; echo "php -l: $(words $(PHP_FILES)) files clean"
	./scripts/i18n.sh check
	./scripts/wp-plugin-lint.sh

test: setup build lint
	$(CARGO) test --workspace
	node --test tests/node/
	./scripts/test-wp.sh
	phpunit
	./tests/php-versions/run.sh

demo: setup plugin
	node demo/run.mjs

# The callback path under load and faults: WordPress behind nginx + php-fpm,
# LOAD_SECONDS (default 60) of mixed traffic, then a phase with MariaDB,
# php-fpm and nginx faults; fails if a payment is lost or applied twice.
# With WOOCOMMERCE_DIR set, the fault phase's payments are WooCommerce orders.
# Then the same with NODES=3: three php-fpm nodes behind nginx round-robin over
# one MariaDB and one Redis object cache, cron on every node at once, a node killed.
LOAD_SECONDS ?= 60
load:
	./scripts/setup.sh load
	$(MAKE) build
	LOAD_SECONDS=$(LOAD_SECONDS) node load/run.mjs
	LOAD_SECONDS=$(LOAD_SECONDS) NODES=3 node load/run.mjs

# cargo-fuzz targets, FUZZ_SECONDS (default 60) each; needs nightly and
# cargo-fuzz, which `make test` does not (it replays the saved corpus).
fuzz:
	./scripts/fuzz.sh

bench: setup build
	node bench/node.mjs
	php -d opcache.enable_cli=1 -d opcache.jit=off bench/php.php
	./bench/php-load.sh
	node bench/page.mjs

# The buyer's page in Chromium: DOMContentLoaded → QR drawn, and the bytes
# loaded for it, against an <img> from a QR image service stand-in (the
# order-received page with WOOCOMMERCE_DIR, else a payment-block page).
bench-page: setup build
	node bench/page.mjs

# What VietQR adds to a checkout, an order-received page and a callback,
# beside WooCommerce's BACS and a bare REST route, on nginx + php-fpm
# (ROUNDS, default 25; main test stack).
bench-checkout:
	./scripts/setup.sh load
	$(MAKE) build
	node bench/checkout.mjs

# docs/*.png shown in README.md (buyer pages on the main test stack, or WOOCOMMERCE_DIR).
screenshots: setup build
	node scripts/screenshots.mjs

clean:
	$(CARGO) clean
	rm -rf pkg php-bridge/core tests/node/node_modules dist
