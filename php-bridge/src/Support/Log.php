<?php
/**
 * The plugin's log: WooCommerce's logger (source "vietqr") when it is there,
 * PHP's error log when WP_DEBUG is on. Callers pass reasons and ids, never
 * secrets, tokens or request headers.
 */

declare(strict_types=1);

namespace VietQR\Support;

final class Log
{
    /** @param array<string, scalar|null> $context */
    public static function write(string $level, string $message, array $context = []): void
    {
        $line = $message;
        foreach ($context as $key => $value) {
            $line .= ' ' . $key . '=' . (is_bool($value) ? ($value ? 'true' : 'false') : (string) $value);
        }
        if (function_exists('wc_get_logger')) {
            wc_get_logger()->log($level, $line, ['source' => 'vietqr']);
        } elseif (defined('WP_DEBUG') && WP_DEBUG) {
            error_log('[vietqr] ' . $level . ': ' . $line); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
        }
    }

    /** @param array<string, scalar|null> $context */
    public static function info(string $message, array $context = []): void
    {
        self::write('info', $message, $context);
    }

    /** @param array<string, scalar|null> $context */
    public static function warning(string $message, array $context = []): void
    {
        self::write('warning', $message, $context);
    }
}
