#!/usr/bin/env bash
# The plugin's translations.
#   scripts/i18n.sh pot     extracts every translatable string into php-bridge/languages/vietqr-for-woocommerce.pot
#   scripts/i18n.sh build   compiles php-bridge/languages/vietqr-for-woocommerce-vi.po to vietqr-for-woocommerce-vi.mo (generated)
#   scripts/i18n.sh check   fails when a string of the code has no Vietnamese translation
set -euo pipefail
cd "$(dirname "$0")/../php-bridge"
pot() {
  find . -name '*.php' -not -path './core/*' -print0 | sort -z | xargs -0 xgettext --from-code=UTF-8 --language=PHP \
    --keyword=__ --keyword=_e --keyword=esc_html__ --keyword=esc_html_e --keyword=esc_attr__ --keyword=esc_attr_e \
    --keyword=_x:1,2c --keyword=esc_html_x:1,2c --keyword=esc_attr_x:1,2c --keyword=_n:1,2 --keyword=_nx:1,2,4c \
    --add-comments=translators: --package-name='VietQR for WooCommerce' -o "$1"
  sed -i 's/charset=CHARSET/charset=UTF-8/' "$1"
}
case "${1:-build}" in
  pot) pot languages/vietqr-for-woocommerce.pot; echo "languages/vietqr-for-woocommerce.pot: $(grep -c '^msgid ' languages/vietqr-for-woocommerce.pot) strings" ;;
  build) msgfmt --check -o languages/vietqr-for-woocommerce-vi.mo languages/vietqr-for-woocommerce-vi.po; msgfmt --statistics -o /dev/null languages/vietqr-for-woocommerce-vi.po ;;
  check)
    tmp=$(mktemp); trap 'rm -f "$tmp" "$tmp.po"' EXIT
    pot "$tmp"
    # Every string of the code, translated and not fuzzy.
    msgmerge -q --no-fuzzy-matching -o "$tmp.po" languages/vietqr-for-woocommerce-vi.po "$tmp"
    stats=$(msgfmt --statistics -o /dev/null "$tmp.po" 2>&1)
    echo "vi: $stats"
    case "$stats" in *untranslated*|*fuzzy*) echo "translate the strings above in php-bridge/languages/vietqr-for-woocommerce-vi.po (scripts/i18n.sh pot lists them)"; exit 1 ;; esac ;;
  *) echo "usage: scripts/i18n.sh pot|build|check" >&2; exit 2 ;;
esac
