<?php
/**
 * Webhook health for the settings page: when VietQR last called, the last
 * rejection and its named reason. One small option, never autoloaded; the
 * refusals by reason over time are counted in Rejections.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- webhook-health counters are incremented in one atomic statement; a cached read would lose counts

namespace VietQR\Support;

final class Health
{
    public const OPTION = 'vietqr_health';

    /** @return array<string, mixed> */
    public static function get(): array
    {
        $h = get_option(self::OPTION, []);
        $h = array_merge([
            'last_callback_at' => 0,
            'last_accepted_at' => 0,
            'last_rejection' => null,
        ], is_array($h) ? $h : []);
        foreach (self::COUNTERS as $counter) {
            $h[$counter] = self::count($counter);
        }
        return $h;
    }

    private const COUNTERS = ['accepted', 'rejected', 'duplicates'];

    private static function count(string $counter): int
    {
        global $wpdb;
        return (int) $wpdb->get_var($wpdb->prepare(
            "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s",
            'vietqr_health_' . $counter
        ));
    }

    /** Counters are incremented in SQL: concurrent callbacks must not lose a count. */
    private static function increment(string $counter): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare(
            "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, '1', 'no')"
            . ' ON DUPLICATE KEY UPDATE option_value = option_value + 1',
            'vietqr_health_' . $counter
        ));
    }

    public static function deleteAll(): void
    {
        delete_option(self::OPTION);
        foreach (self::COUNTERS as $counter) {
            delete_option('vietqr_health_' . $counter);
        }
    }

    public static function accepted(bool $duplicate): void
    {
        $h = self::get();
        $h['last_callback_at'] = time();
        $h['last_accepted_at'] = time();
        self::save($h);
        self::increment($duplicate ? 'duplicates' : 'accepted');
    }

    public static function rejected(string $endpoint, int $status, string $reason, string $message): void
    {
        $h = self::get();
        $h['last_callback_at'] = time();
        $h['last_rejection'] = [
            'at' => time(),
            'endpoint' => $endpoint,
            'status' => $status,
            'reason' => $reason,
            'message' => $message,
        ];
        self::save($h);
        self::increment('rejected');
        Rejections::count($endpoint, $reason, time());
        Log::warning('callback rejected', ['endpoint' => $endpoint, 'status' => $status, 'reason' => $reason]);
    }

    /** @param array<string, mixed> $h */
    private static function save(array $h): void
    {
        $h = array_diff_key($h, array_flip(self::COUNTERS));
        Options::save(self::OPTION, $h);
    }
}
