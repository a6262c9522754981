<?php
/**
 * A named lock that every web server over the same database shares
 * (MariaDB GET_LOCK): freed when its holder's connection ends, so a worker
 * that dies mid-update holds nothing. What two requests must not do at once
 * for one order or payment runs inside one.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- GET_LOCK/RELEASE_LOCK: a lock, not data, has nothing to cache

namespace VietQR\Support;

final class Lock
{
    /**
     * Runs `$work` holding the lock `$name` (the site's table prefix is
     * added), waiting at most `$wait` seconds for it.
     *
     * @template T
     * @param callable(): T $work
     * @return array{0: bool, 1: T|null} [whether the lock was had, what $work returned]
     */
    public static function run(string $name, int $wait, callable $work): array
    {
        global $wpdb;
        $full = $wpdb->prefix . $name;
        if ((string) $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%s, %d)', $full, $wait)) !== '1') {
            return [false, null];
        }
        try {
            return [true, $work()];
        } finally {
            $wpdb->query($wpdb->prepare('SELECT RELEASE_LOCK(%s)', $full));
        }
    }
}
