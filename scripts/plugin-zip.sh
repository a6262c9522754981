#!/usr/bin/env bash
# Packs the plugin as a WordPress admin installs it: dist/vietqr-for-woocommerce.zip
# holding one folder, vietqr-for-woocommerce/, with the plugin's PHP, assets
# (the browser core in assets/pkg/), the generated PHP core (core/CoreServer.php
# and core/CoreQr.php), the compiled translations (.mo), the block,
# readme.txt and the two licence texts — and nothing else.
# Needs `make build` first. The same inputs give the same zip byte for byte:
# sorted entries, fixed times and modes, no extra attributes.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=php-bridge
NAME=vietqr-for-woocommerce
OUT=${1:-dist/$NAME.zip}
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

for f in core/CoreServer.php core/CoreQr.php assets/pkg/vietqr.js assets/pkg/vietqr_bg.wasm languages/vietqr-for-woocommerce-vi.mo; do
  [ -f "$SRC/$f" ] || { echo "plugin-zip: $SRC/$f is missing: run \`make build\` first" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dest="$stage/$NAME"
mkdir -p "$dest"

# What ships, by rule; dotfiles never do.
(
  cd "$SRC"
  printf '%s\n' vietqr-for-woocommerce.php uninstall.php autoload.php readme.txt
  find src core -type f -name '*.php'
  find blocks -type f \( -name 'block.json' -o -name '*.php' -o -name '*.js' -o -name '*.css' \)
  find assets/css -type f -name '*.css'
  find assets/js -type f -name '*.js'
  find assets/images -type f -name '*.svg'
  printf '%s\n' assets/pkg/vietqr.js assets/pkg/vietqr_bg.wasm
  find languages -type f -name '*.mo'
) | grep -v '\(^\|/\)\.' | LC_ALL=C sort -u >"$stage/files"

while IFS= read -r f; do
  mkdir -p "$dest/$(dirname "$f")"
  cp "$SRC/$f" "$dest/$f"
done <"$stage/files"
# The licence texts, from the repository's root: MIT OR Apache-2.0, as the header says.
cp LICENSE-MIT "$dest/license-mit.txt"
cp LICENSE-APACHE "$dest/license-apache.txt"

find "$dest" -type d -exec chmod 755 {} +
find "$dest" -type f -exec chmod 644 {} +
find "$dest" -exec env TZ=UTC touch -h -d '2020-01-01 00:00:00' {} +

mkdir -p "$(dirname "$OUT")"
tmp="$OUT.tmp.$$"
rm -f "$tmp"
(cd "$stage" && find "$NAME" | LC_ALL=C sort | TZ=UTC zip -X -q -@ "$tmp")
mv -f "$tmp" "$OUT"
echo "${OUT#"$PWD"/}: $(find "$dest" -type f | wc -l) files, $(du -k "$OUT" | cut -f1) KiB"
