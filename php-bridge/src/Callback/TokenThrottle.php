<?php
/**
 * Refused Basic credentials on the token endpoint, counted per client
 * address: past LIMIT in WINDOW seconds that address gets 429 without its
 * credentials being checked, so a weak callback password cannot be guessed
 * online. Only refusals count, per address, so an attacker elsewhere cannot
 * lock VietQR out. REMOTE_ADDR only: forwarded headers are the client's word.
 */

declare(strict_types=1);

namespace VietQR\Callback;

final class TokenThrottle
{
    public const LIMIT = 20;
    public const WINDOW = 900;

    public static function blocked(): bool
    {
        return self::count() >= (int) apply_filters('vietqr_token_failure_limit', self::LIMIT);
    }

    public static function failed(): void
    {
        $count = self::count() + 1;
        // The window starts at the first refusal and is not extended by later ones.
        $until = $count === 1 ? time() + self::WINDOW : (int) get_transient(self::key() . '_until');
        $ttl = max(1, $until - time());
        set_transient(self::key(), $count, $ttl);
        set_transient(self::key() . '_until', $until, $ttl);
    }

    private static function count(): int
    {
        return (int) get_transient(self::key());
    }

    private static function key(): string
    {
        $address = (string) ($_SERVER['REMOTE_ADDR'] ?? '');
        return 'vietqr_tf_' . substr(hash_hmac('sha256', $address, wp_salt('nonce')), 0, 24);
    }
}
