<?php
/**
 * Refused callbacks counted by endpoint and reason, per hour, for the health
 * tab's "last 24 hours / last 7 days". One row per hour, endpoint and reason,
 * incremented in one statement (concurrent refusals lose no count); rows
 * older than eight days are deleted by the cron, so the table stays small
 * (at most 192 hours times the reasons that occurred).
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- counters incremented in one atomic statement; a cached read would show stale counts

namespace VietQR\Support;

final class Rejections
{
    /** How long counts are kept: the 7-day window and one day to spare. */
    private const KEEP = 8 * DAY_IN_SECONDS;

    public static function schema(string $prefix, string $charset): string
    {
        return "CREATE TABLE {$prefix}vietqr_rejections (
  hour bigint(20) unsigned NOT NULL,
  endpoint varchar(20) NOT NULL,
  reason varchar(64) NOT NULL,
  count int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (hour,endpoint,reason)
) $charset;";
    }

    public static function count(string $endpoint, string $reason, int $now): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare(
            "INSERT INTO {$wpdb->vietqr_rejections} (hour, endpoint, reason, count) VALUES (%d, %s, %s, 1)"
            . ' ON DUPLICATE KEY UPDATE count = count + 1',
            $now - $now % HOUR_IN_SECONDS,
            substr($endpoint, 0, 20),
            substr($reason, 0, 64)
        ));
    }

    /**
     * Counts since a day and since a week ago (whole hours: a count made at
     * 10:59 belongs to the hour from 10:00), most frequent first.
     *
     * @return list<array{endpoint: string, reason: string, day: int, week: int}>
     */
    public static function byReason(int $now): array
    {
        global $wpdb;
        $day = $now - DAY_IN_SECONDS - $now % HOUR_IN_SECONDS;
        $week = $now - 7 * DAY_IN_SECONDS - $now % HOUR_IN_SECONDS;
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT endpoint, reason, SUM(CASE WHEN hour >= %d THEN count ELSE 0 END) AS day, SUM(count) AS week FROM {$wpdb->vietqr_rejections}"
            . ' WHERE hour >= %d GROUP BY endpoint, reason ORDER BY week DESC, endpoint, reason',
            $day,
            $week
        ), ARRAY_A) ?: [];
        return array_map(static function (array $row): array {
            return ['endpoint' => (string) $row['endpoint'], 'reason' => (string) $row['reason'], 'day' => (int) $row['day'], 'week' => (int) $row['week']];
        }, $rows);
    }

    public static function prune(int $now): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare("DELETE FROM {$wpdb->vietqr_rejections} WHERE hour < %d", $now - self::KEEP));
    }
}
