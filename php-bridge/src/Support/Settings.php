<?php
/**
 * The shop's VietQR settings. Plain settings live in one autoloaded option;
 * every secret lives in its own option with autoload off, is never printed
 * into a page (forms show only whether it is set) and never logged.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the callback key is made by INSERT IGNORE and read back from the database itself, so a failed read can never replace it

namespace VietQR\Support;

final class Settings
{
    public const OPTION = 'vietqr_settings';

    /** Secrets: option name per secret; none is autoloaded. */
    public const SECRETS = [
        'api_password' => 'vietqr_secret_api_password',
        'callback_password' => 'vietqr_secret_callback_password',
        'callback_secret' => 'vietqr_secret_callback_secret',
        'refund_secret_key' => 'vietqr_secret_refund_key',
        'ecommerce_token' => 'vietqr_secret_ecommerce_token',
        'telegram_bot_token' => 'vietqr_secret_telegram_bot_token',
    ];

    public const BASE_URLS = [
        'sandbox' => 'https://dev.vietqr.org/vqr',
        'production' => 'https://api.vietqr.org/vqr',
    ];

    public const DEFAULTS = [
        'environment' => 'sandbox',   // sandbox | production | custom
        'custom_base_url' => '',
        'api_username' => '',
        'bank' => '',                 // VietQR bank code (core banks.list)
        'account' => '',
        'holder' => '',
        'content_prefix' => 'DH',
        'qr_lifetime' => 15,          // minutes
        'qr_mode' => 'local',         // api | local
        'callback_username' => '',
        'vnd_rate' => '',             // đồng per unit of a store currency other than VND ('' = VietQR not offered)
        'remove_all_data' => false,   // uninstall drops tables and options only when set
        'alert_events' => [],         // of Alerts::EVENTS; none until the owner chooses
        'alert_silence_minutes' => 10, // "no callback for N minutes while orders wait"; below qr_lifetime
        'alert_email' => false,
        'alert_email_to' => '',       // addresses, comma-separated; '' = the site's admin e-mail
        'alert_telegram' => false,
        'alert_telegram_chat_id' => '',
    ];

    /** @return array<string, mixed> */
    public static function all(): array
    {
        $stored = get_option(self::OPTION, []);
        return array_merge(self::DEFAULTS, is_array($stored) ? array_intersect_key($stored, self::DEFAULTS) : []);
    }

    /** @return mixed */
    public static function get(string $key)
    {
        $all = self::all();
        return $all[$key] ?? null;
    }

    /** @param array<string, mixed> $values */
    public static function update(array $values): void
    {
        $next = array_merge(self::all(), array_intersect_key($values, self::DEFAULTS));
        Options::save(self::OPTION, $next);
    }

    public static function secret(string $name): string
    {
        return self::unwrapSecret(get_option(self::SECRETS[$name], ''));
    }

    /**
     * A stored secret: wrapped in an array (see setSecret()), or a plain
     * string from an older version.
     *
     * @param mixed $stored
     */
    private static function unwrapSecret($stored): string
    {
        if (is_array($stored)) {
            $stored = $stored['value'] ?? '';
        }
        return is_string($stored) ? $stored : '';
    }

    public static function hasSecret(string $name): bool
    {
        return self::secret($name) !== '';
    }

    public static function setSecret(string $name, string $value): void
    {
        $option = self::SECRETS[$name];
        // Wrapped in an array: wp-admin/options.php then shows "SERIALIZED
        // DATA" instead of printing the secret (a plain string read back
        // from an older version still works, see secret()).
        $stored = ['value' => $value];
        Options::save($option, $stored);
    }

    public static function deleteSecret(string $name): void
    {
        delete_option(self::SECRETS[$name]);
    }

    /**
     * The HMAC key of callback tokens and `sign`; made once (on activation,
     * or on first use by a site that skipped it). Made by INSERT IGNORE and
     * read back: a read that failed (a database hiccup) can never replace a
     * stored key, which would make every token and `sign` in flight invalid.
     */
    public static function callbackSecret(): string
    {
        $secret = self::secret('callback_secret');
        if (strlen($secret) >= 32) {
            return $secret;
        }
        global $wpdb;
        $option = self::SECRETS['callback_secret'];
        $wpdb->query($wpdb->prepare(
            "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')",
            $option,
            maybe_serialize(['value' => bin2hex(random_bytes(32))])
        ));
        wp_cache_delete($option, 'options');
        wp_cache_delete('notoptions', 'options');
        $secret = self::unwrapSecret(maybe_unserialize((string) $wpdb->get_var($wpdb->prepare(
            "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s",
            $option
        ))));
        if (strlen($secret) < 32) {
            // Nothing usable stored and none could be: refuse rather than sign with a key nobody keeps.
            throw new \RuntimeException('The VietQR callback key could not be read or stored (database unavailable).');
        }
        return $secret;
    }

    public static function baseUrl(): string
    {
        return self::baseUrlFor((string) self::get('environment'), (string) self::get('custom_base_url'));
    }

    /** Where VietQR requests (and the API password and refund key with them) go for these two settings. */
    public static function baseUrlFor(string $env, string $customBaseUrl): string
    {
        if ($env === 'custom') {
            return untrailingslashit($customBaseUrl);
        }
        return self::BASE_URLS[$env] ?? self::BASE_URLS['sandbox'];
    }

    public static function isSandbox(): bool
    {
        // A custom base URL is the simulator or a staging host: sandbox features stay on.
        return self::get('environment') !== 'production';
    }

    public static function hasApiAccount(): bool
    {
        return self::get('api_username') !== '' && self::hasSecret('api_password');
    }

    /** Where VietQR calls this shop: {base}/api/token_generate and {base}/bank/api/transaction-sync. */
    public static function callbackBase(): string
    {
        return untrailingslashit(rest_url(\VietQR\Plugin::REST_NAMESPACE));
    }
}
