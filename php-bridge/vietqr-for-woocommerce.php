<?php
/**
 * Plugin Name:       VietQR for WooCommerce
 * Description:       VietQR bank-transfer payments: QR codes drawn locally, shop linking, verified VietQR.vn callbacks and reconciliation.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * WC requires at least: 7.9
 * WC tested up to:   10.0
 * Author:            VietQR plugin team
 * License:           MIT OR Apache-2.0
 * License URI:       https://opensource.org/licenses/MIT
 * Text Domain:       vietqr-for-woocommerce
 * Domain Path:       /languages
 */

defined('ABSPATH') || exit;

// No "Requires Plugins: woocommerce": the payment QR block, the shortcode,
// the settings and shop linking work without WooCommerce (readme.txt, FAQ);
// the gateway part loads only when WooCommerce is there.

define('VIETQR_PLUGIN_FILE', __FILE__);
define('VIETQR_PLUGIN_VERSION', '0.1.0');

if (version_compare(PHP_VERSION, '7.4', '<')) {
    // Checked before any PHP 7.4 syntax is loaded.
    add_action('admin_notices', static function () {
        echo '<div class="notice notice-error"><p>'
            . esc_html__('VietQR for WooCommerce needs PHP 7.4 or newer.', 'vietqr-for-woocommerce')
            . '</p></div>';
    });
    return;
}

require_once __DIR__ . '/autoload.php';

register_activation_hook(__FILE__, ['VietQR\\Support\\Install', 'activate']);
register_deactivation_hook(__FILE__, ['VietQR\\Support\\Install', 'deactivate']);

// HPOS and Checkout-block compatibility, declared as WooCommerce asks.
add_action('before_woocommerce_init', static function () {
    if (class_exists('\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil')) {
        \Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility('custom_order_tables', __FILE__, true);
        \Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility('cart_checkout_blocks', __FILE__, true);
    }
});

VietQR\Plugin::boot();
