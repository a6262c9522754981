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
        return self::window()['count'] >= (int) apply_filters('vietqr_token_failure_limit', self::LIMIT);
    }

    public static function failed(): void
    {
        $window = self::window();
        if ($window['count'] === 0) {
            // The window starts at the first refusal and is not extended by later ones.
            $window['until'] = time() + self::WINDOW;
        }
        $window['count']++;
        set_transient(self::key(), $window, max(1, $window['until'] - time()));
    }

    /** @return array{count: int, until: int} */
    private static function window(): array
    {
        $stored = get_transient(self::key());
        return [
            'count' => (int) ($stored['count'] ?? 0),
            'until' => (int) ($stored['until'] ?? 0),
        ];
    }

    private static function key(): string
    {
        $address = (string) ($_SERVER['REMOTE_ADDR'] ?? '');
        return 'vietqr_tf_' . substr(hash_hmac('sha256', $address, wp_salt('nonce')), 0, 24);
    }
}
