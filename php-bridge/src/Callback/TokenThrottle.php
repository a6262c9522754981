<?php
/**
 * Refused Basic credentials on the token endpoint, counted per client
 * address: past LIMIT in WINDOW seconds that address gets 429 without its
 * credentials being checked, so a weak callback password cannot be guessed
 * online. Only refusals count, per address, so an attacker elsewhere cannot
 * lock VietQR out. REMOTE_ADDR only: forwarded headers are the client's word.
 *
 * The count is one row of wp_options per address ("<window end>:<refusals>",
 * never autoloaded), changed by a single INSERT … ON DUPLICATE KEY UPDATE:
 * the database adds one under its row lock, so concurrent refusals are all
 * counted (a read-modify-write of a transient lost them). Rows whose
 * window is over are deleted as refusals come in.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the throttle counts in one atomic statement on its own option row; a cached count would lose refusals

namespace VietQR\Callback;

final class TokenThrottle
{
    public const LIMIT = 20;
    public const WINDOW = 900;

    /** Option names of the per-address rows: this prefix and 24 hex digits. */
    public const PREFIX = 'vietqr_tf_';

    public static function blocked(): bool
    {
        return self::count() >= (int) apply_filters('vietqr_token_failure_limit', self::LIMIT);
    }

    /** Refusals counted for this address in its current window (0 when there is none). */
    public static function count(): int
    {
        return self::window()[1];
    }

    /** When this address's current window ends (0 when there is none). */
    public static function windowEnd(): int
    {
        return self::window()[0];
    }

    /** @return array{0: int, 1: int} [window end, refusals] of this address's live window, or [0, 0] */
    private static function window(): array
    {
        global $wpdb;
        $value = $wpdb->get_var($wpdb->prepare("SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::key()));
        if (!is_string($value) || preg_match('/^(\d+):(\d+)$/', $value, $m) !== 1 || (int) $m[1] <= time()) {
            return [0, 0];
        }
        return [(int) $m[1], (int) $m[2]];
    }

    /** Counts one refusal: in the live window, or as the first of a new one (not extended by later ones). */
    public static function failed(): void
    {
        global $wpdb;
        $now = time();
        $fresh = ($now + self::WINDOW) . ':1';
        $wpdb->query($wpdb->prepare(
            "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')"
            . " ON DUPLICATE KEY UPDATE option_value = IF(CAST(SUBSTRING_INDEX(option_value, ':', 1) AS UNSIGNED) > %d,"
            . " CONCAT(SUBSTRING_INDEX(option_value, ':', 1), ':', CAST(SUBSTRING_INDEX(option_value, ':', -1) AS UNSIGNED) + 1),"
            . ' %s)',
            self::key(),
            $fresh,
            $now,
            $fresh
        ));
        // Other addresses' rows whose window is over.
        $wpdb->query($wpdb->prepare(
            "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND CAST(SUBSTRING_INDEX(option_value, ':', 1) AS UNSIGNED) <= %d LIMIT 100",
            $wpdb->esc_like(self::PREFIX) . '%',
            $now
        ));
    }

    /** Every address's row (uninstall). */
    public static function deleteAll(): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like(self::PREFIX) . '%'));
    }

    private static function key(): string
    {
        return self::PREFIX . self::addressKey();
    }

    /** The client address as 24 hex digits of a keyed hash: rows name no address. */
    public static function addressKey(): string
    {
        $address = sanitize_text_field(wp_unslash((string) ($_SERVER['REMOTE_ADDR'] ?? '')));
        return substr(hash_hmac('sha256', $address, wp_salt('nonce')), 0, 24);
    }
}
