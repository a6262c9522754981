#!/usr/bin/env bash
# Load time of the generated PHP core (autoload + compile or opcache fetch +
# instantiate), as a web request sees it: PHP's built-in server with opcache
# in shared memory. The first request after start compiles the 8 MB class
# (cold); later requests find it in opcache (warm). Also cold without opcache.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
cat > "$dir/probe.php" <<PHP
<?php
require '$PWD/php-bridge/autoload.php';
\$t = hrtime(true);
new VietQR\Core\Core();
printf('%.2f', (hrtime(true) - \$t) / 1e6);
PHP
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
php -d opcache.enable=1 -d opcache.memory_consumption=256 -d opcache.jit=off -d opcache.validate_timestamps=0 \
  -S "127.0.0.1:$port" -t "$dir" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/probe.php" -o /dev/null && break || sleep 0.1; done
kill $server; wait $server 2>/dev/null || true
php -d opcache.enable=1 -d opcache.memory_consumption=256 -d opcache.jit=off -d opcache.validate_timestamps=0 \
  -S "127.0.0.1:$port" -t "$dir" >/dev/null 2>&1 &
server=$!
sleep 0.3
cold=$(curl -s "http://127.0.0.1:$port/probe.php")
warm=$(for _ in $(seq 9); do curl -s "http://127.0.0.1:$port/probe.php"; echo; done | sort -n | sed -n 5p)
nocache=$(for _ in 1 2 3; do php -d opcache.enable_cli=0 "$dir/probe.php"; echo; done | sort -n | sed -n 2p)
printf 'core load (autoload + new Core): first request %s ms and no opcache %s ms (goal < 50 cold); opcache warm %s ms (goal < 5); %s bytes of PHP\n' \
  "$cold" "$nocache" "$warm" "$(wc -c < php-bridge/core/CoreModule.php)"
