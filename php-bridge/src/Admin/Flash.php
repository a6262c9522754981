<?php
/**
 * One-shot messages for the admin page after a POST and its redirect:
 * notices, per-field errors and the values the owner typed (never secrets).
 * Kept per user for five minutes and deleted the first time they are read.
 */

declare(strict_types=1);

namespace VietQR\Admin;

final class Flash
{
    /** @var array<string, mixed>|null */
    private static $taken;

    private static function key(): string
    {
        return 'vietqr_admin_flash_' . get_current_user_id();
    }

    /** @param array<string, mixed> $data notices, errors, old, generated_password */
    public static function set(array $data): void
    {
        set_transient(self::key(), $data, 5 * MINUTE_IN_SECONDS);
    }

    public static function notice(string $type, string $message): void
    {
        self::set(['notices' => [['type' => $type, 'message' => $message]]]);
    }

    /** @return array<string, mixed> what the last POST left, once per request */
    public static function take(): array
    {
        if (self::$taken === null) {
            $data = get_transient(self::key());
            if ($data !== false) {
                delete_transient(self::key());
            }
            self::$taken = is_array($data) ? $data : [];
        }
        return self::$taken;
    }

    /** @return mixed */
    public static function get(string $key)
    {
        $data = self::take();
        return $data[$key] ?? null;
    }
}
