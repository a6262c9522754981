<?php
/** The banks VietQR knows, from the core's banks.list, for selects and checks. */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Core\Core;
use VietQR\Core\CoreError;

final class Banks
{
    /** @var array<string, string>|null code => "CODE — short name" */
    private static $labels;

    /** @return array<string, string> */
    public static function labels(): array
    {
        if (self::$labels === null) {
            self::$labels = [];
            foreach (Core::value('banks.list', []) as $bank) {
                self::$labels[(string) $bank['code']] = $bank['code'] . ' — ' . $bank['short_name'];
            }
        }
        return self::$labels;
    }

    public static function exists(string $code): bool
    {
        return isset(self::labels()[$code]);
    }

    /**
     * Whether a VietQR code can carry this account number: the core decides
     * (letters and digits, 1 to 19), as it does when it builds the payload.
     * The account rule does not depend on the bank, so a bank not (yet)
     * chosen is stood in for by one every table has.
     */
    public static function accountIsValid(string $account, string $bank = ''): bool
    {
        try {
            Core::value('payload.build', ['bank' => self::exists($bank) ? $bank : 'VCB', 'account' => $account]);
            return true;
        } catch (CoreError $e) {
            return $e->errorCode !== 'invalid_account';
        }
    }

    /** A <select> of every bank, `$selected` chosen; the first option is "choose". */
    public static function select(string $name, string $id, string $selected): string
    {
        $html = '<select name="' . esc_attr($name) . '" id="' . esc_attr($id) . '">';
        $html .= '<option value="">' . esc_html__('— Choose a bank —', 'vietqr-for-woocommerce') . '</option>';
        foreach (self::labels() as $code => $label) {
            $html .= '<option value="' . esc_attr($code) . '"' . selected($selected, $code, false) . '>' . esc_html($label) . '</option>';
        }
        return $html . '</select>';
    }
}
