#!/usr/bin/env bash
# The plugin suites (tests/wp/) on the WordPress + WooCommerce pairs of
# scripts/stacks.sh: every suite on the main stack (WordPress 7.1 +
# WooCommerce 10.0.2), then the WooCommerce suites on the oldest pair
# (WordPress 6.1 + WooCommerce 7.9.0). `make test` runs this.
#
#   scripts/test-wp.sh              both
#   scripts/test-wp.sh main|oldest  one
set -euo pipefail
cd "$(dirname "$0")/.."

# Every suite that runs a WooCommerce shop, but payments-page (WooCommerce 10's React Payments
# page, which 7.9 does not have) and attack (it asserts WooCommerce's whole log has no ERROR line,
# and 7.9 logs its own "Error getting data feed" there on an offline machine).
OLDEST_SUITES=(tests/wp/woocommerce.test.mjs tests/wp/browser-buyer.test.mjs tests/wp/lifecycle.test.mjs
  tests/wp/unmatched.test.mjs tests/wp/alerts.test.mjs tests/wp/currency.test.mjs tests/wp/privacy.test.mjs
  tests/wp/security.test.mjs tests/wp/lockout.test.mjs)

run_stack() {
  local stack=$1 env wp_version wc_version
  shift
  env=$(./scripts/stacks.sh env "$stack")
  # No WooCommerce line: none could be had (and ../shared is absent), so the
  # suites skip it loudly; "" keeps the harness from filling in another one.
  local WORDPRESS_DIR WOOCOMMERCE_DIR=""
  eval "$env"
  wp_version=$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$WORDPRESS_DIR/wp-includes/version.php")
  wc_version=${WOOCOMMERCE_DIR:+$(sed -n 's/^ \* Version: *//p' "$WOOCOMMERCE_DIR/woocommerce.php")}
  printf '\n\033[1m== %s stack: WordPress %s + WooCommerce %s ==\033[0m\n' "$stack" "$wp_version" "${wc_version:-none (SKIPPED)}"
  WORDPRESS_DIR=$WORDPRESS_DIR WOOCOMMERCE_DIR=$WOOCOMMERCE_DIR node --test --test-concurrency=1 "$@"
}

case ${1:-both} in
  main) run_stack main tests/wp/ ;;
  oldest) run_stack oldest "${OLDEST_SUITES[@]}" ;;
  both)
    # Both pairs run even when the first fails, so one run shows every failure.
    status=0
    run_stack main tests/wp/ || status=1
    run_stack oldest "${OLDEST_SUITES[@]}" || status=1
    exit "$status"
    ;;
  *) echo "usage: $0 [main|oldest|both]" >&2; exit 2 ;;
esac
