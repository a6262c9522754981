<?php
/**
 * When VietQR may have been locked out. The token throttle (TokenThrottle)
 * answers 429 to an address after too many wrong passwords; behind a proxy
 * or CDN every client shares one address, VietQR included, and its
 * callbacks are then refused until its retries run out. In API mode
 * check-order brings those payments in afterwards; a local-QR payment has
 * no such record at VietQR, so the shop keeps such payments waiting instead
 * (Payments::expireDue), never cancels their orders (OrderEvents), and
 * tells the owner which orders to check (Alerts).
 *
 * A lock-out counts when the locked address is one VietQR got a token from
 * (remembered for SOURCE_DAYS) or none is known yet; an attacker who locks
 * out only their own address holds nothing back. Each lock-out is one
 * wp_options row, `vietqr_lo_<window end>` = "<first 429>:<window end>",
 * written with INSERT IGNORE (the first refusal's time stays): concurrent
 * 429s of one window make one row, whatever cache sits in front.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- one row per lock-out and per caller address, written in single statements; orders are kept or cancelled on what they say, so no cache may answer

namespace VietQR\Callback;

use VietQR\Payments\Rules;

final class LockOuts
{
    /** Option names: a lock-out (`<prefix><window end>`), an address VietQR called from (`<prefix><24 hex>`). */
    public const PREFIX = 'vietqr_lo_';
    public const SOURCE_PREFIX = 'vietqr_src_';

    /**
     * Seconds VietQR keeps retrying one callback: ten attempts, the last
     * five 60 s apart (docs/protocol.md §1d), with room to spare.
     */
    public const RETRY_HORIZON = 600;

    /** Lock-outs are kept this long (the orders they touch are decided well before). */
    private const KEEP_DAYS = 8;

    /** An address VietQR got a token from is remembered this long. */
    private const SOURCE_DAYS = 30;

    /** An address's last-seen time is written again after this long (not on every callback). */
    private const SOURCE_REFRESH = 3600;

    /**
     * The token route just answered 429 to this address: a lock-out that
     * may hold VietQR back, unless the address is known not to be VietQR's.
     * Fires `vietqr_callbacks_locked_out` once per lock-out.
     */
    public static function refused(int $now, int $until): void
    {
        global $wpdb;
        if ($until <= $now || !self::mayBeVietQr()) {
            return;
        }
        $wpdb->query($wpdb->prepare(
            "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')",
            self::PREFIX . $until,
            $now . ':' . $until
        ));
        if ($wpdb->rows_affected === 1) {
            $wpdb->query($wpdb->prepare(
                "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND CAST(SUBSTRING_INDEX(option_value, ':', -1) AS UNSIGNED) < %d LIMIT 100",
                $wpdb->esc_like(self::PREFIX) . '%',
                $now - self::KEEP_DAYS * DAY_IN_SECONDS
            ));
            do_action('vietqr_callbacks_locked_out', $now, $until);
        }
    }

    /** A token was issued to this address: VietQR calls from it. */
    public static function sourceSeen(int $now): void
    {
        global $wpdb;
        $name = self::SOURCE_PREFIX . TokenThrottle::addressKey();
        $seen = (int) $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $name));
        if ($now - $seen < self::SOURCE_REFRESH) {
            return;
        }
        $wpdb->query($wpdb->prepare(
            "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no') ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)",
            $name,
            (string) $now
        ));
        $wpdb->query($wpdb->prepare(
            "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND CAST(option_value AS UNSIGNED) < %d LIMIT 100",
            $wpdb->esc_like(self::SOURCE_PREFIX) . '%',
            $now - self::SOURCE_DAYS * DAY_IN_SECONDS
        ));
    }

    /** Whether this address may be VietQR's: one it got a token from, or none is known yet. */
    private static function mayBeVietQr(): bool
    {
        global $wpdb;
        // How many addresses are known, and whether this is one of them: the database compares.
        $row = $wpdb->get_row($wpdb->prepare(
            "SELECT COUNT(*) AS known, COALESCE(SUM(option_name = %s), 0) AS this_one FROM {$wpdb->options} WHERE option_name LIKE %s AND CAST(option_value AS UNSIGNED) >= %d",
            self::SOURCE_PREFIX . TokenThrottle::addressKey(),
            $wpdb->esc_like(self::SOURCE_PREFIX) . '%',
            time() - self::SOURCE_DAYS * DAY_IN_SECONDS
        ), ARRAY_A);
        return (int) ($row['known'] ?? 0) === 0 || (int) ($row['this_one'] ?? 0) > 0;
    }

    /**
     * The lock-outs recorded, oldest first.
     *
     * @return list<array{from: int, until: int}>
     */
    public static function all(): array
    {
        global $wpdb;
        $values = $wpdb->get_col($wpdb->prepare(
            "SELECT option_value FROM {$wpdb->options} WHERE option_name LIKE %s",
            $wpdb->esc_like(self::PREFIX) . '%'
        ));
        $periods = [];
        foreach ($values as $value) {
            if (preg_match('/^(\d+):(\d+)$/', (string) $value, $m) === 1) {
                $periods[] = ['from' => (int) $m[1], 'until' => (int) $m[2]];
            }
        }
        usort($periods, static function (array $a, array $b): int {
            return $a['from'] <=> $b['from'];
        });
        return $periods;
    }

    /**
     * The lock-out during which a transfer to this payment's QR may have
     * gone unheard, or null (Payments\Rules::blindPeriod over all()).
     *
     * @param array<string, mixed> $payment
     * @return array{from: int, until: int}|null
     */
    public static function during(array $payment): ?array
    {
        return Rules::blindPeriod($payment, self::all(), self::RETRY_HORIZON);
    }

    /** Every row (uninstall). */
    public static function deleteAll(): void
    {
        global $wpdb;
        foreach ([self::PREFIX, self::SOURCE_PREFIX] as $prefix) {
            $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like($prefix) . '%'));
        }
    }
}
