#!/usr/bin/env bash
# WordPress.org's plugin review rules (PHP_CodeSniffer + WordPress Coding
# Standards + Plugin Check's ruleset, kept offline in ../shared/tools) over
# the plugin as it ships, the generated core excluded. `make lint` runs it;
# any error or warning fails it. Without ../shared it says loudly that it
# skipped (the tool is not part of this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
lint=../shared/tools/wp-plugin-lint/wp-plugin-lint
if [ ! -x "$lint" ]; then
  echo "wp-plugin-lint: $lint not found: WordPress.org review rules SKIPPED" >&2
  exit 0
fi
report=$(mktemp); trap 'rm -f "$report"' EXIT
status=0
"$lint" php-bridge vietqr-for-woocommerce --ignore='*/core/*' --report-json="$report" || status=$?
totals=$(php -r '$r = json_decode(file_get_contents($argv[1]), true); echo $r["totals"]["errors"], " ", $r["totals"]["warnings"];' "$report")
read -r errors warnings <<<"$totals"
echo "wp-plugin-lint: $errors errors, $warnings warnings (WordPress.org review rules, php-bridge/ without core/)"
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
  exit 1
fi
