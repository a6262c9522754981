#!/usr/bin/env bash
# Load time of the generated PHP core: require + instantiate, in a fresh PHP
# process, cold (no opcache) and warm (opcache's file cache already filled).
set -euo pipefail
cd "$(dirname "$0")/.."
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
probe='require "php-bridge/autoload.php"; $t = hrtime(true); new VietQR\Core\Core(); printf("%.1f", (hrtime(true) - $t) / 1e6);'
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cold=$(for i in 1 2 3 4 5; do php -d opcache.enable_cli=0 -r "$probe"; echo; done | median)
php -d opcache.enable_cli=1 -d opcache.file_cache="$cache" -d opcache.file_cache_only=1 -r "$probe" >/dev/null
warm=$(for i in 1 2 3 4 5; do php -d opcache.enable_cli=1 -d opcache.file_cache="$cache" -d opcache.file_cache_only=1 -r "$probe"; echo; done | median)
printf 'core load (require + new Core): cold %s ms (goal < 50), opcache warm %s ms (goal < 5); %s bytes of PHP\n' \
  "$cold" "$warm" "$(wc -c < php-bridge/core/CoreModule.php)"
