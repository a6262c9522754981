<?php
/**
 * Activation, schema upgrades and deactivation. Tables are created with
 * dbDelta, so re-running is safe and a new column is an upgrade.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- schema upgrades read and change the plugin's own tables

namespace VietQR\Support;

use VietQR\Alerts\AlertLog;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Cron;
use VietQR\Payments\Payments;

final class Install
{
    public const SCHEMA_VERSION = '4';
    public const SCHEMA_OPTION = 'vietqr_schema_version';

    public static function activate(): void
    {
        self::createTables();
        Settings::callbackSecret();
        if (get_option(Settings::OPTION, null) === null) {
            Options::save(Settings::OPTION, Settings::DEFAULTS);
        }
        Cron::schedule();
    }

    public static function deactivate(): void
    {
        Cron::unschedule();
    }

    public static function maybeUpgrade(): void
    {
        if (get_option(self::SCHEMA_OPTION) !== self::SCHEMA_VERSION) {
            self::createTables();
        }
    }

    public static function createTables(): void
    {
        global $wpdb;
        require_once ABSPATH . 'wp-admin/includes/upgrade.php';
        $charset = $wpdb->get_charset_collate();
        dbDelta(Payments::schema($wpdb->prefix, $charset));
        // 3 → 4 added the ledger's payment_qr: the payment QR a transfer paid (PaymentQr\Received).
        dbDelta(Ledger::schema($wpdb->prefix, $charset));
        // 2 → 3 added the ledger's resolution columns (unmatched transfers, defaults for old rows),
        // the alerts sent and the refused callbacks counted by reason.
        dbDelta(AlertLog::schema($wpdb->prefix, $charset));
        dbDelta(Rejections::schema($wpdb->prefix, $charset));
        // 1 → 2 added order_synced: orders of earlier payments are taken as up to date.
        $wpdb->query("UPDATE {$wpdb->vietqr_payments} SET order_synced = " . Payments::SYNC_STATE_SQL . " WHERE order_synced = ''"); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- a fixed expression (Payments::SYNC_STATE_SQL), no input
        Options::save(self::SCHEMA_OPTION, self::SCHEMA_VERSION);
    }
}
