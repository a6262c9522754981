<?php
/**
 * Webhook health for the settings page: when VietQR last called, the last
 * rejection and its named reason. One small option, never autoloaded.
 */

declare(strict_types=1);

namespace VietQR\Support;

final class Health
{
    public const OPTION = 'vietqr_health';

    /** @return array<string, mixed> */
    public static function get(): array
    {
        $h = get_option(self::OPTION, []);
        return array_merge([
            'last_callback_at' => 0,
            'last_accepted_at' => 0,
            'last_rejection' => null,
            'accepted' => 0,
            'rejected' => 0,
            'duplicates' => 0,
        ], is_array($h) ? $h : []);
    }

    public static function accepted(bool $duplicate): void
    {
        $h = self::get();
        $h['last_callback_at'] = time();
        $h['last_accepted_at'] = time();
        $h[$duplicate ? 'duplicates' : 'accepted']++;
        self::save($h);
    }

    public static function rejected(string $endpoint, int $status, string $reason, string $message): void
    {
        $h = self::get();
        $h['last_callback_at'] = time();
        $h['rejected']++;
        $h['last_rejection'] = [
            'at' => time(),
            'endpoint' => $endpoint,
            'status' => $status,
            'reason' => $reason,
            'message' => $message,
        ];
        self::save($h);
        Log::warning('callback rejected', ['endpoint' => $endpoint, 'status' => $status, 'reason' => $reason]);
    }

    /** @param array<string, mixed> $h */
    private static function save(array $h): void
    {
        if (get_option(self::OPTION, null) === null) {
            add_option(self::OPTION, $h, '', 'no');
        } else {
            update_option(self::OPTION, $h, false);
        }
    }
}
