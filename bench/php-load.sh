#!/usr/bin/env bash
# Load cost of the generated PHP core, per module, as a web request sees it:
# autoload + compile (or opcache fetch) + instantiate of CoreServer (every op
# but the QR ones: what callbacks, checkout and the API load) and of CoreQr
# (qr.svg, qr.png: loaded only when PHP draws a QR), which Core does on an
# op's first call. PHP's built-in server with opcache in shared memory: the
# first request after start compiles the class (cold), later requests find it
# in opcache (warm); also cold without opcache (CLI), and the peak memory the
# load adds there (compiled code and the module's linear memory).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
cat > "$dir/probe.php" <<PHP
<?php
require '$PWD/php-bridge/autoload.php';
\$class = 'VietQR\\\\Generated\\\\' . (\$_GET['class'] ?? \$argv[1]);
\$before = memory_get_peak_usage();
\$t = hrtime(true);
class_exists(\$class);
new \$class();
printf("%.2f %.1f\\n", (hrtime(true) - \$t) / 1e6, (memory_get_peak_usage() - \$before) / 1048576);
PHP
echo '<?php echo "ok";' > "$dir/ready.php"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve() {
  php -d opcache.enable=1 -d opcache.memory_consumption=256 -d opcache.jit=off -d opcache.validate_timestamps=0 \
    -S "127.0.0.1:$port" -t "$dir" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/ready.php" -o /dev/null && break || sleep 0.1; done
}
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
median() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }
printf '%-12s %9s %14s %12s %13s  %s\n' module 'PHP bytes' 'first request' 'no opcache' 'opcache warm' 'peak memory (no opcache / warm)'
for class in CoreServer CoreQr; do
  serve # a fresh server: empty opcache
  cold=$(curl -s "http://127.0.0.1:$port/probe.php?class=$class" | cut -d' ' -f1)
  warmRuns=$(for _ in $(seq 9); do curl -s "http://127.0.0.1:$port/probe.php?class=$class"; done)
  warm=$(cut -d' ' -f1 <<<"$warmRuns" | median 9)
  warmPeak=$(cut -d' ' -f2 <<<"$warmRuns" | median 9)
  kill $server; wait $server 2>/dev/null || true
  runs=$(for _ in 1 2 3; do php -d opcache.enable_cli=0 "$dir/probe.php" "$class"; done)
  nocache=$(cut -d' ' -f1 <<<"$runs" | median 3)
  peak=$(cut -d' ' -f2 <<<"$runs" | median 3)
  printf '%-12s %9s %11s ms %9s ms %10s ms  %s MB / %s MB\n' "$class" "$(wc -c < "php-bridge/core/$class.php")" "$cold" "$nocache" "$warm" "$peak" "$warmPeak"
done
echo 'goals for CoreServer (the callback path): ≤ 400,000 bytes, no opcache ≤ 30 ms, peak memory ≤ 8 MB; opcache warm < 5 ms'
