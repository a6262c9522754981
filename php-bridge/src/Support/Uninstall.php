<?php

declare(strict_types=1);

namespace VietQR\Support;

use VietQR\Callback\TokenThrottle;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Cron;
use VietQR\Payments\Payments;

final class Uninstall
{
    public static function run(): void
    {
        foreach (array_keys(Settings::SECRETS) as $name) {
            Settings::deleteSecret($name);
        }
        delete_transient('vietqr_api_token');
        TokenThrottle::deleteAll();
        Cron::unschedule();
        if (!Settings::get('remove_all_data')) {
            return;
        }
        global $wpdb;
        $wpdb->query('DROP TABLE IF EXISTS ' . Ledger::table());
        $wpdb->query('DROP TABLE IF EXISTS ' . Payments::table());
        foreach ([Settings::OPTION, Install::SCHEMA_OPTION, 'vietqr_ecommerce', 'vietqr_terminals'] as $option) {
            delete_option($option);
        }
        Health::deleteAll();
    }
}
