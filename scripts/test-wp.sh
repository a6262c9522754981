#!/usr/bin/env bash
# The plugin suites (tests/wp/) on the WordPress + WooCommerce pairs of
# scripts/stacks.sh: every suite on the main stack (WordPress 7.1 +
# WooCommerce 10.0.2), then the WooCommerce suites on the oldest pair
# (WordPress 6.1 + WooCommerce 7.9.0), and the suites that touch state once
# more on the main stack with a Redis object cache. `make test` runs this.
#
#   scripts/test-wp.sh                    all three passes
#   scripts/test-wp.sh main|redis|oldest  one
set -euo pipefail
cd "$(dirname "$0")/.."

# Every suite that runs a WooCommerce shop, but payments-page (WooCommerce 10's React Payments
# page, which 7.9 does not have) and attack (it asserts WooCommerce's whole log has no ERROR line,
# and 7.9 logs its own "Error getting data feed" there on an offline machine).
OLDEST_SUITES=(tests/wp/woocommerce.test.mjs tests/wp/browser-buyer.test.mjs tests/wp/lifecycle.test.mjs
  tests/wp/unmatched.test.mjs tests/wp/alerts.test.mjs tests/wp/currency.test.mjs tests/wp/privacy.test.mjs
  tests/wp/security.test.mjs tests/wp/lockout.test.mjs tests/wp/shop-manager.test.mjs)

# The suites that touch state, again on the main stack with a persistent object cache (Redis and
# the Redis Object Cache plugin, VIETQR_OBJECT_CACHE=redis): options and transients then live in
# Redis, and whatever two requests race for must still rest on SQL. object-cache.test.mjs runs on
# Redis in every pass.
REDIS_SUITES=(tests/wp/woocommerce.test.mjs tests/wp/callbacks.test.mjs tests/wp/unmatched.test.mjs
  tests/wp/alerts.test.mjs tests/wp/renewal.test.mjs tests/wp/lockout.test.mjs)

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
  printf '\n\033[1m== %s stack: WordPress %s + WooCommerce %s%s ==\033[0m\n' "$stack" "$wp_version" "${wc_version:-none (SKIPPED)}" \
    "${VIETQR_OBJECT_CACHE:+, object cache: $VIETQR_OBJECT_CACHE}"
  WORDPRESS_DIR=$WORDPRESS_DIR WOOCOMMERCE_DIR=$WOOCOMMERCE_DIR node --test --test-concurrency=1 "$@"
}
redis_pass() {
  if [ ! -f ../shared/vendor/redis-cache-2.6.3.zip ]; then
    # Without ../shared there is no Redis Object Cache plugin to test with: say so. With it, a missing zip fails.
    printf '\n\033[1m== object-cache pass SKIPPED: ../shared/vendor/redis-cache-2.6.3.zip is missing ==\033[0m\n'
    [ ! -d ../shared ] || return 1
    return 0
  fi
  VIETQR_OBJECT_CACHE=redis run_stack main "${REDIS_SUITES[@]}"
}

case ${1:-both} in
  main) run_stack main tests/wp/ ;;
  redis) redis_pass ;;
  oldest) run_stack oldest "${OLDEST_SUITES[@]}" ;;
  both)
    # Every pass runs even when one fails, so one run shows every failure.
    status=0
    run_stack main tests/wp/ || status=1
    redis_pass || status=1
    run_stack oldest "${OLDEST_SUITES[@]}" || status=1
    exit "$status"
    ;;
  *) echo "usage: $0 [main|redis|oldest|both]" >&2; exit 2 ;;
esac
