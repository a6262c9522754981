<?php
/**
 * The plugin's tables, named on $wpdb the way WordPress names its own
 * ($wpdb->vietqr_payments, $wpdb->vietqr_ledger, $wpdb->vietqr_alerts,
 * $wpdb->vietqr_rejections), so that SQL says
 * "{$wpdb->vietqr_payments}" (what the review's SQL rules accept, and
 * %i does not exist before WordPress 6.2) and $wpdb->tables keeps the
 * names right when a multisite switches blogs.
 */

declare(strict_types=1);

namespace VietQR\Support;

final class Tables
{
    public const PAYMENTS = 'vietqr_payments';
    public const LEDGER = 'vietqr_ledger';
    public const ALERTS = 'vietqr_alerts';
    public const REJECTIONS = 'vietqr_rejections';

    /** Every table of the plugin (uninstall drops them all when asked). */
    public const ALL = [self::PAYMENTS, self::LEDGER, self::ALERTS, self::REJECTIONS];

    public static function register(): void
    {
        global $wpdb;
        foreach (self::ALL as $name) {
            if (!in_array($name, $wpdb->tables, true)) {
                $wpdb->tables[] = $name;
            }
            $wpdb->$name = $wpdb->prefix . $name;
        }
    }
}
