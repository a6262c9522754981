<?php

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- uninstall removes the plugin's own rows and tables

namespace VietQR\Support;

use VietQR\Callback\LockOuts;
use VietQR\Callback\TokenThrottle;
use VietQR\Payments\Cron;

final class Uninstall
{
    public static function run(): void
    {
        foreach (Settings::SECRETS as $option) {
            delete_option($option);
        }
        delete_transient('vietqr_api_token');
        TokenThrottle::deleteAll();
        LockOuts::deleteAll();
        Cron::unschedule();
        // The owner's box, or WooCommerce's own switch for removing every plugin's shop data.
        if (!Settings::get('remove_all_data') && !(defined('WC_REMOVE_ALL_DATA') && true === WC_REMOVE_ALL_DATA)) {
            return;
        }
        global $wpdb;
        Tables::register();
        foreach (Tables::ALL as $name) {
            $wpdb->query("DROP TABLE IF EXISTS {$wpdb->$name}"); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- what "remove all data" asks for; the names are Tables::ALL
        }
        foreach (array_keys(Options::all()) as $option) {
            delete_option($option);
        }
        Health::deleteAll();
    }
}
