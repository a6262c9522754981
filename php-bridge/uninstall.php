<?php
/**
 * Uninstall: secrets always go; payments, the ledger and settings stay unless
 * the owner ticked "remove all data" or the site defines WooCommerce's
 * WC_REMOVE_ALL_DATA (a shop's payment records are evidence).
 */

defined('WP_UNINSTALL_PLUGIN') || exit;

require_once __DIR__ . '/autoload.php';

VietQR\Support\Uninstall::run();
