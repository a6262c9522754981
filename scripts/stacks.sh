#!/usr/bin/env bash
# The WordPress + WooCommerce pairs the plugin is tested on, prepared once
# and cached (nothing here is ever part of the repository):
#
#   main    WordPress 7.1 (Debian sid's `wordpress`) + WooCommerce 10.0.2,
#           the block theme Twenty Twenty-Five: what shops run now
#   oldest  WordPress 6.1 (Debian 12's `wordpress`, /usr/share/wordpress)
#           + WooCommerce 7.9.0: the oldest pair the plugin supports
#
#   scripts/stacks.sh prepare        builds what is missing (make setup calls it)
#   scripts/stacks.sh env main       prints WORDPRESS_DIR=… WOOCOMMERCE_DIR=… (for eval)
#
#   scripts/stacks.sh verify ZIP V   checks an unpacked WooCommerce V download (below)
#   scripts/stacks.sh trees          prints scripts/woocommerce-trees.txt anew from ../shared/vendor
#
# WooCommerce is in no registry: its release builds come from
# ../shared/vendor (VIETQR_WOOCOMMERCE_ZIPS), checked against their sha256.
# Without that folder they are downloaded from wordpress.org when the
# machine is online; otherwise the WooCommerce suites skip, loudly. A
# download is a zip of other bytes than the repacked ones in ../shared, so
# it is checked by what it unpacks to: one hash per top-level entry of the
# unpacked tree (every file's path and sha256), against
# scripts/woocommerce-trees.txt, made from the builds in ../shared; a file
# changed, added or left out fails and names its top-level entry. When the
# folder is there, anything missing is an error: CI must not pass by skipping.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${VIETQR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vietqr}
ZIPS=${VIETQR_WOOCOMMERCE_ZIPS:-$ROOT/../shared/vendor}
OLDEST_WORDPRESS=/usr/share/wordpress

say() { printf '\033[1mstacks:\033[0m %s\n' "$*" >&2; }

declare -A WC_SHA256=(
  [10.0.2]=3450291108912f6b77618649511d9b1838a9ad2acf1d0373a0bd61413638b5c7
  [7.9.0]=d715d6cc8b6986bd9d027f59deea51c830567e2cd4962f0d71013dbc5598fa17
)
# wordpress, the packages its tree links into (its Depends), the block theme
# it recommends, and its translations (the plugin's tests switch to Vietnamese).
PACKAGES="wordpress wordpress-theme-twentytwentyfive wordpress-l10n libjs-cropper libjs-jquery
  libjs-jquery-ui libjs-lodash libjs-underscore libphp-phpmailer php-getid3"
RECIPE="sid: $(echo $PACKAGES)"
wc_version() { case $1 in main) echo 10.0.2 ;; oldest) echo 7.9.0 ;; esac; }
wc_dir() { echo "$CACHE/woocommerce-$1/woocommerce"; }
current_wordpress() { echo "$CACHE/wordpress-current"; }

TREES=$ROOT/scripts/woocommerce-trees.txt

# "<entry> <hash>" for each top-level entry of the unpacked plugin folder $1:
# the hash of the sorted list of "<sha256>  <path>" of every file under it.
tree_hashes() {
  local dir=$1 entry
  (cd "$dir" && for entry in $(LC_ALL=C ls -A); do
    printf '%s %s\n' "$entry" "$(find "$entry" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1)"
  done)
}

# Checks that zip $1 unpacks to WooCommerce $2 as built in ../shared: exit 0 or names what differs.
verify_tree() {
  local zip=$1 v=$2 work expected actual
  expected=$(sed -n "s/^$v //p" "$TREES")
  [ -n "$expected" ] || { say "ERROR: no tree of WooCommerce $v in $TREES"; return 1; }
  work=$(mktemp -d)
  unzip -q "$zip" -d "$work" || { rm -rf "$work"; say "ERROR: $zip is not a zip"; return 1; }
  [ -d "$work/woocommerce" ] || { rm -rf "$work"; say "ERROR: $zip holds no woocommerce/ folder"; return 1; }
  actual=$(tree_hashes "$work/woocommerce")
  rm -rf "$work"
  if [ "$actual" != "$expected" ]; then
    say "ERROR: $zip does not unpack to WooCommerce $v as released; differing: $(diff <(echo "$expected") <(echo "$actual") | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | sort -u | paste -sd' ')"
    return 1
  fi
}

# WooCommerce $1 unpacked into the cache; fails only where ../shared is there.
prepare_woocommerce() {
  local v=$1 dir zip sum
  dir=$(wc_dir "$v")
  [ -f "$dir/woocommerce.php" ] && return 0
  zip="$ZIPS/woocommerce-$v.zip"
  mkdir -p "$CACHE"
  if [ ! -f "$zip" ]; then
    if [ -d "$ZIPS" ]; then
      say "ERROR: $zip is missing from $ZIPS"
      return 1
    fi
    zip="$CACHE/woocommerce-$v.zip"
    say "no $ZIPS: downloading WooCommerce $v from wordpress.org"
    if ! curl -fsSL --max-time 120 -o "$zip.part" "https://downloads.wordpress.org/plugin/woocommerce.$v.zip"; then
      rm -f "$zip.part"
      say "WooCommerce $v could not be had (offline?): the WooCommerce suites will say SKIPPED"
      return 0
    fi
    if ! verify_tree "$zip.part" "$v"; then
      rm -f "$zip.part"
      return 1
    fi
    mv "$zip.part" "$zip"
  else
    sum=$(sha256sum "$zip" | cut -d' ' -f1)
    if [ "$sum" != "${WC_SHA256[$v]}" ]; then
      say "ERROR: $zip has sha256 $sum, expected ${WC_SHA256[$v]}"
      return 1
    fi
  fi
  rm -rf "$CACHE/woocommerce-$v"
  unzip -q "$zip" -d "$CACHE/woocommerce-$v.part"
  mv "$CACHE/woocommerce-$v.part" "$CACHE/woocommerce-$v"
  say "WooCommerce $v in $(wc_dir "$v")"
}

# Debian sid's `wordpress` and the packages its symlinks point into, fetched
# with a private apt configuration (the machine's own sources stay as they
# are), unpacked, and made a plain tree with every link resolved.
prepare_current_wordpress() {
  local target work root apt_opts v
  target=$(current_wordpress)
  # The stamp names this recipe: a tree made by an older one is made again.
  [ "$(cat "$target/.vietqr-recipe" 2>/dev/null)" = "$RECIPE" ] && return 0
  work="$CACHE/apt-sid"
  rm -rf "$work"
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/debs" "$work/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main" >"$work/sources.list"
  : >"$work/status"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work" -o "Dir::Cache::Archives=$work/archives"
    -o "Dir::State::status=$work/status" -o APT::Sandbox::User=root -o Debug::NoLocking=1)
  say "fetching WordPress from Debian sid (private apt configuration)"
  apt-get "${apt_opts[@]}" -qq update
  (cd "$work/debs" && apt-get "${apt_opts[@]}" -qq download $PACKAGES)
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  root="$work/root"
  # Links inside the packages resolve within the unpacked root; absolute ones
  # outside it (the CA bundle) to this machine; the rest (/etc/wordpress's
  # htaccess) are Debian's Apache glue and are dropped.
  find "$root/usr/share/wordpress" -type l | while read -r link; do
    local_target=$(readlink "$link")
    case $local_target in
      /*) resolved="$root$local_target"; [ -e "$resolved" ] || resolved=$local_target ;;
      *) resolved="$(dirname "$link")/$local_target" ;;
    esac
    if [ -e "$resolved" ]; then
      rm "$link"
      cp -rL "$resolved" "$link"
    else
      rm "$link"
    fi
  done
  # Debian's wp-config.php reads /etc/wordpress; the test harness writes its own.
  rm -f "$root/usr/share/wordpress/wp-config.php"
  v=$(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" "$root/usr/share/wordpress/wp-includes/version.php")
  [ -d "$root/usr/share/wordpress/wp-content/themes/twentytwentyfive" ] || { say "ERROR: no Twenty Twenty-Five in sid's WordPress"; return 1; }
  [ -f "$root/usr/share/wordpress/wp-content/languages/vi.mo" ] || { say "ERROR: no Vietnamese in sid's wordpress-l10n"; return 1; }
  rm -rf "$CACHE/wordpress-$v"
  cp -r "$root/usr/share/wordpress" "$CACHE/wordpress-$v"
  echo "$RECIPE" >"$CACHE/wordpress-$v/.vietqr-recipe"
  ln -sfn "wordpress-$v" "$target"
  rm -rf "$work"
  say "WordPress $v in $target"
}

case ${1:-} in
  prepare)
    prepare_current_wordpress
    prepare_woocommerce 10.0.2
    prepare_woocommerce 7.9.0
    ;;
  env)
    case ${2:-} in
      main) wp=$(current_wordpress) ;;
      oldest) wp=$OLDEST_WORDPRESS ;;
      *) echo "usage: $0 env main|oldest" >&2; exit 2 ;;
    esac
    wc=$(wc_dir "$(wc_version "$2")")
    [ -f "$wp/wp-includes/version.php" ] || { say "ERROR: no WordPress at $wp (run make setup)"; exit 1; }
    printf 'WORDPRESS_DIR=%q\n' "$(readlink -f "$wp")"
    if [ -f "$wc/woocommerce.php" ]; then
      printf 'WOOCOMMERCE_DIR=%q\n' "$wc"
    elif [ -d "$ZIPS" ]; then
      say "ERROR: WooCommerce $(wc_version "$2") is not prepared although $ZIPS is there (run make setup)"
      exit 1
    fi
    ;;
  verify)
    [ $# -eq 3 ] || { echo "usage: $0 verify ZIP VERSION" >&2; exit 2; }
    verify_tree "$2" "$3" && say "$2 unpacks to WooCommerce $3 as released"
    ;;
  trees)
    for v in "${!WC_SHA256[@]}"; do
      work=$(mktemp -d)
      unzip -q "$ZIPS/woocommerce-$v.zip" -d "$work"
      tree_hashes "$work/woocommerce" | sed "s/^/$v /"
      rm -rf "$work"
    done | LC_ALL=C sort
    ;;
  *)
    echo "usage: $0 prepare | env main|oldest | verify ZIP VERSION | trees" >&2
    exit 2
    ;;
esac
