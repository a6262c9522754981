<?php
/**
 * Every option the plugin stores, and whether WordPress loads it on every
 * request, in one list; one way to save them; uninstall walks the list.
 * (Counters that are rows of their own — webhook health, the token
 * throttle — are kept and removed by their classes.)
 */

declare(strict_types=1);

namespace VietQR\Support;

use VietQR\Admin\LinkShop;
use VietQR\Admin\Terminals;
use VietQR\PaymentQr\Registry;

final class Options
{
    /** @return array<string, bool> option => autoloaded */
    public static function all(): array
    {
        $all = [
            Settings::OPTION => true,       // read on most requests
            Install::SCHEMA_OPTION => true, // checked on every load
            LinkShop::OPTION => false,
            Terminals::OPTION => false,
            Health::OPTION => false,
            Registry::OPTION => false, // read when a payment QR is drawn or a transfer matches no order
        ];
        foreach (Settings::SECRETS as $option) {
            $all[$option] = false; // secrets: never in the autoloaded set
        }
        return $all;
    }

    /**
     * Stores `$value` with the autoload the list gives `$name`. On WordPress
     * 6.1 add_option is the only way to set autoload "no", so a new option is
     * added and an existing one updated.
     *
     * @param mixed $value
     */
    public static function save(string $name, $value): void
    {
        $autoload = self::all()[$name] ?? false;
        if (get_option($name, null) === null) {
            add_option($name, $value, '', $autoload ? 'yes' : 'no');
        } else {
            update_option($name, $value, $autoload);
        }
    }
}
