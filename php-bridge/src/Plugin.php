<?php
/**
 * Every WordPress hook the plugin uses is wired here, one concern per line,
 * so that a newcomer finds any behaviour from this file and the folder names.
 */

declare(strict_types=1);

namespace VietQR;

use VietQR\Admin\Admin;
use VietQR\Callback\Routes as CallbackRoutes;
use VietQR\Checkout\WooCommerce;
use VietQR\PaymentQr\PaymentQr;
use VietQR\Payments\Cron;
use VietQR\Payments\StatusRoute;
use VietQR\Support\Install;
use VietQR\Support\ModuleScript;
use VietQR\Support\Tables;

final class Plugin
{
    public static function boot(): void
    {
        Tables::register();
        add_action('init', [self::class, 'loadTextDomain']);
        add_action('plugins_loaded', [Install::class, 'maybeUpgrade']);
        add_filter('script_loader_tag', [ModuleScript::class, 'tag'], 10, 2);
        CallbackRoutes::register();
        StatusRoute::register();
        Cron::register();
        Admin::register();
        PaymentQr::register();
        // The gateway part only when WooCommerce is there.
        add_action('plugins_loaded', static function (): void {
            if (class_exists('WooCommerce')) {
                WooCommerce::register();
            }
        }, 20);
    }

    public static function loadTextDomain(): void
    {
        load_plugin_textdomain('vietqr-for-woocommerce', false, dirname(plugin_basename(VIETQR_PLUGIN_FILE)) . '/languages');
    }

    public static function url(string $path): string
    {
        return plugins_url($path, VIETQR_PLUGIN_FILE);
    }

    public static function dir(string $path = ''): string
    {
        return dirname(VIETQR_PLUGIN_FILE) . '/' . ltrim($path, '/');
    }
}
