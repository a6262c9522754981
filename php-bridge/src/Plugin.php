<?php
/**
 * Every WordPress hook, REST route and cron event the plugin uses is wired
 * here, in three lists (the plugin's, WooCommerce's and the order screen's),
 * so that a newcomer finds any behaviour from this file and the folder
 * names; the classes keep only their handlers. Two bindings live with their
 * objects on purpose: the gateway's settings save (WooCommerce binds it to
 * the gateway instance) and UrlGuard's cURL pin (added and removed around
 * one request).
 */

declare(strict_types=1);

namespace VietQR;

use VietQR\Admin\Admin;
use VietQR\Alerts\Alerts;
use VietQR\Admin\LinkShop;
use VietQR\Admin\SettingsPage;
use VietQR\Admin\Terminals;
use VietQR\Admin\UnmatchedPage;
use VietQR\Callback\Routes as CallbackRoutes;
use VietQR\Checkout\BuyerPage;
use VietQR\Checkout\Email;
use VietQR\Checkout\OrderEvents;
use VietQR\Checkout\OrderMetaBox;
use VietQR\Checkout\Privacy;
use VietQR\Checkout\WooCommerce;
use VietQR\PaymentQr\PaymentQr;
use VietQR\PaymentQr\Received as PaymentQrReceived;
use VietQR\Payments\Cron;
use VietQR\Payments\StatusRoute;
use VietQR\Support\Install;
use VietQR\Support\ModuleScript;
use VietQR\Support\Tables;

final class Plugin
{
    /** The REST namespace of every route below. */
    public const REST_NAMESPACE = 'vietqr/v1';

    public static function boot(): void
    {
        Tables::register();
        self::wire([
            ['init', [self::class, 'loadTextDomain']],
            ['plugins_loaded', [Install::class, 'maybeUpgrade']],
            ['script_loader_tag', [ModuleScript::class, 'tag'], 10, 2],
            ['rest_api_init', [self::class, 'routes']],
            // VietQR's callbacks: answered before WordPress reads the JSON (a
            // malformed body gets VietQR's envelope from the core), and kept
            // away from application passwords (VietQR's Basic credentials are
            // not a WordPress user).
            ['rest_pre_dispatch', [CallbackRoutes::class, 'preDispatch'], 10, 3],
            ['application_password_is_api_request', [CallbackRoutes::class, 'notForApplicationPasswords']],
            // Reconciliation, expiry and order repair, every minute.
            ['cron_schedules', [Cron::class, 'schedules']],
            [Cron::HOOK, [Cron::class, 'run']],
            // Alerts to the owner: payment events, unmatched transfers, and
            // (the cron, after it ran) VietQR silent while orders wait.
            ['vietqr_payment_applied', [Alerts::class, 'paymentApplied'], 20, 4],
            // A transfer that matched no order but pays a payment QR is recorded for it; any
            // other goes on to Alerts::unmatched (PaymentQr\Received::unmatched).
            ['vietqr_transfer_unmatched', [PaymentQrReceived::class, 'unmatched'], 10, 3],
            ['vietqr_callbacks_locked_out', [Alerts::class, 'lockedOut'], 10, 2],
            [Cron::HOOK, [Alerts::class, 'cron'], 20],
            // The payment QR block and shortcode (any page, no WooCommerce needed).
            ['init', [PaymentQr::class, 'init']],
            // The VietQR admin page and its forms: with WooCommerce, VietQR's section of
            // WooCommerce → Settings → Payments (the gateway and Admin::afterWooSettings below);
            // without it, one page under Settings (Admin::url says why).
            ['admin_menu', [Admin::class, 'menu']],
            ['plugin_action_links_' . plugin_basename(VIETQR_PLUGIN_FILE), [Admin::class, 'actionLinks']],
            ['admin_enqueue_scripts', [Admin::class, 'enqueue']],
            ['admin_post_' . SettingsPage::SAVE, [SettingsPage::class, 'save']],
            ['admin_post_' . SettingsPage::GENERATE, [SettingsPage::class, 'generate']],
            ['admin_post_' . SettingsPage::TEST_ALERT, [SettingsPage::class, 'testAlert']],
            ['admin_post_' . LinkShop::ACTION, [LinkShop::class, 'link']],
            ['admin_post_' . Terminals::ADD, [Terminals::class, 'add']],
            ['admin_post_' . Terminals::DELETE, [Terminals::class, 'delete']],
            ['admin_post_' . Terminals::SYNC, [Terminals::class, 'sync']],
            // Unmatched transfers: assign to an order or refund (in WooCommerce's menu, after its own entries).
            ['admin_menu', [UnmatchedPage::class, 'menu'], 60],
            ['admin_enqueue_scripts', [UnmatchedPage::class, 'enqueue']],
            ['admin_post_' . UnmatchedPage::ASSIGN, [UnmatchedPage::class, 'assign']],
            ['admin_post_' . UnmatchedPage::REFUND, [UnmatchedPage::class, 'refund']],
            // The gateway part, once plugins are loaded and only with WooCommerce.
            ['plugins_loaded', [self::class, 'withWooCommerce'], 20],
        ]);
    }

    public static function withWooCommerce(): void
    {
        if (!class_exists('WooCommerce')) {
            return;
        }
        self::wire([
            ['woocommerce_payment_gateways', [WooCommerce::class, 'gateways']],
            ['woocommerce_blocks_payment_method_type_registration', [WooCommerce::class, 'blocks']],
            // VietQR's tabs on its section of WooCommerce → Settings → Payments, after WooCommerce's form.
            ['woocommerce_after_settings_checkout', [Admin::class, 'afterWooSettings']],
            // What a payment's life means for its order.
            ['vietqr_payment_applied', [OrderEvents::class, 'applied'], 10, 4],
            ['vietqr_payment_expired', [OrderEvents::class, 'expired']],
            ['vietqr_payment_order_sync', [OrderEvents::class, 'resync']],
            ['vietqr_payment_order_check', [OrderEvents::class, 'check']],
            // The buyer's payment box: order received (classic template, block
            // template after its status block) and view order.
            ['woocommerce_thankyou_' . Checkout\Gateway::ID, [BuyerPage::class, 'thankYou']],
            ['woocommerce_before_thankyou', [BuyerPage::class, 'beforeThankYou']],
            ['render_block_data', [BuyerPage::class, 'blockStarts']],
            ['render_block_woocommerce/order-confirmation-status', [BuyerPage::class, 'afterStatusBlock']],
            ['woocommerce_view_order', [BuyerPage::class, 'viewOrder'], 5],
            // The payment link opens for an order waiting on-hold: a fresh QR when one ran out.
            ['woocommerce_valid_order_statuses_for_payment', [Checkout\Gateway::class, 'payableStatuses'], 10, 2],
            // ... and only for whom WooCommerce shows that page: the e-mail its check confirmed goes along.
            ['woocommerce_pay_order_before_submit', [Checkout\PayPageAccess::class, 'carryConfirmedEmail']],
            // The on-hold e-mail: details and the QR as an inline image.
            ['woocommerce_email_before_order_table', [Email::class, 'details'], 10, 4],
            ['phpmailer_init', [Email::class, 'embed']],
            // Personal data: export, erasure, suggested policy text.
            ['wp_privacy_personal_data_exporters', [Privacy::class, 'exporters']],
            ['wp_privacy_personal_data_erasers', [Privacy::class, 'erasers']],
            ['admin_init', [Privacy::class, 'policy']],
        ]);
        if (is_admin()) {
            // The order screen's VietQR box and its two buttons.
            self::wire([
                ['add_meta_boxes', [OrderMetaBox::class, 'add']],
                ['admin_post_' . OrderMetaBox::CHECK, [OrderMetaBox::class, 'check']],
                ['admin_post_' . OrderMetaBox::SIMULATE, [OrderMetaBox::class, 'simulate']],
                ['admin_notices', [OrderMetaBox::class, 'notice']],
            ]);
        }
    }

    /** Every REST route of the plugin. */
    public static function routes(): void
    {
        // VietQR → shop (the settings page shows these two URLs). The core
        // checks credentials and tokens, so WordPress lets anyone in; one
        // HTTP request is one credential or one transaction: no /batch/v1.
        register_rest_route(self::REST_NAMESPACE, CallbackRoutes::TOKEN_PATH, [
            'methods' => 'POST',
            'callback' => [CallbackRoutes::class, 'token'],
            'permission_callback' => '__return_true',
            'allow_batch' => false,
        ]);
        register_rest_route(self::REST_NAMESPACE, CallbackRoutes::SYNC_PATH, [
            'methods' => 'POST',
            'callback' => [CallbackRoutes::class, 'transactionSync'],
            'permission_callback' => '__return_true',
            'allow_batch' => false,
        ]);
        // The buyer's page follows its payment by the payment's unguessable key.
        register_rest_route(self::REST_NAMESPACE, StatusRoute::PATH, [
            'methods' => 'GET',
            'callback' => [StatusRoute::class, 'status'],
            'permission_callback' => '__return_true',
            'allow_batch' => false,
        ]);
        // The link-shop page stores the account the owner picked (whoever may configure VietQR).
        register_rest_route(self::REST_NAMESPACE, LinkShop::ROUTE, [
            'methods' => 'POST',
            'permission_callback' => static function (): bool {
                return current_user_can(Admin::capability());
            },
            'callback' => [LinkShop::class, 'linked'],
            'args' => [
                'bank_account' => ['type' => 'string', 'required' => true],
                'bank_code' => ['type' => 'string', 'required' => true],
                'user_bank_name' => ['type' => 'string', 'required' => false],
            ],
        ]);
    }

    /** @param list<array{0: string, 1: callable, 2?: int, 3?: int}> $hooks */
    private static function wire(array $hooks): void
    {
        foreach ($hooks as $hook) {
            add_filter($hook[0], $hook[1], $hook[2] ?? 10, $hook[3] ?? 1);
        }
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
