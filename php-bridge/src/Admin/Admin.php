<?php
/** Admin screens: settings, link shop, points of sale, webhook health. */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Plugin;

final class Admin
{
    public const SLUG = 'vietqr';
    /** The tab of VietQR's page (WooCommerce's settings screen already uses `tab`). */
    public const TAB_ARG = 'vietqr_tab';

    /**
     * Who configures VietQR: shop managers (`manage_woocommerce`) with
     * WooCommerce, as for WooCommerce's own payment settings; administrators
     * (`manage_options`) on a site without it (block and shortcode only).
     * Secrets stay write-only for both, and a change of where they are sent
     * needs them typed again (SettingsValidator, SECURITY.md).
     */
    public static function capability(): string
    {
        return class_exists('WooCommerce') ? 'manage_woocommerce' : 'manage_options';
    }

    /**
     * Where the page lives. With WooCommerce: WooCommerce → Settings →
     * Payments → VietQR, the gateway's own section
     * (`wc-settings&tab=checkout&section=vietqr`), which WooCommerce 7.9's
     * classic list and 10's React Payments page (get_settings_url) both open,
     * and which WooCommerce guards with `manage_woocommerce`; no menu entry of
     * our own. A submenu page would have been simpler but is one more menu
     * WooCommerce's guidelines ask payment extensions not to add, and it would
     * leave "Manage" on the Payments page leading out of WooCommerce's
     * settings. WooCommerce prints every section inside one
     * `<form id="mainform">`, and the plugin's forms (settings, generate,
     * link, points of sale, test alert: each its own admin-post action and
     * nonce) cannot nest in it, so the tab bar goes inside that form
     * (Gateway::admin_options, links only) and each tab after it, on
     * `woocommerce_after_settings_checkout` (both 7.9.0 and 10.0.2 have that
     * hook, outside the form). Without WooCommerce: one page under Settings.
     */
    public static function url(string $tab = ''): string
    {
        $args = class_exists('WooCommerce')
            ? ['page' => 'wc-settings', 'tab' => 'checkout', 'section' => \VietQR\Checkout\Gateway::ID]
            : ['page' => self::SLUG];
        if ($tab !== '') {
            $args[self::TAB_ARG] = $tab;
        }
        return add_query_arg($args, admin_url(class_exists('WooCommerce') ? 'admin.php' : 'options-general.php'));
    }

    /** @return array<string, string> tab => label */
    private static function tabs(): array
    {
        $tabs = [
            'settings' => __('Settings', 'vietqr-for-woocommerce'),
            'link' => __('Link shop', 'vietqr-for-woocommerce'),
            'terminals' => __('Points of sale', 'vietqr-for-woocommerce'),
            'health' => __('Webhook health', 'vietqr-for-woocommerce'),
        ];
        if (!class_exists('WooCommerce')) {
            // With WooCommerce the Unmatched transfers screen is in WooCommerce's menu.
            $tabs['unmatched'] = __('Unmatched transfers', 'vietqr-for-woocommerce');
        }
        return $tabs;
    }

    public static function currentTab(): string
    {
        $tab = isset($_GET[self::TAB_ARG]) ? sanitize_key(wp_unslash((string) $_GET[self::TAB_ARG])) : 'settings'; // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
        return array_key_exists($tab, self::tabs()) ? $tab : 'settings';
    }

    /** Whether this request shows VietQR's section of WooCommerce's settings. */
    public static function isWooSection(): bool
    {
        // phpcs:disable WordPress.Security.NonceVerification -- navigation only
        return isset($_GET['page'], $_GET['section']) && $_GET['page'] === 'wc-settings'
            && (!isset($_GET['tab']) || $_GET['tab'] === 'checkout')
            && sanitize_key(wp_unslash((string) $_GET['section'])) === \VietQR\Checkout\Gateway::ID;
        // phpcs:enable
    }

    public static function menu(): void
    {
        if (!class_exists('WooCommerce')) {
            add_options_page(__('VietQR', 'vietqr-for-woocommerce'), __('VietQR', 'vietqr-for-woocommerce'), 'manage_options', self::SLUG, [self::class, 'render']);
        }
    }

    /**
     * `plugin_action_links_<basename>`: Settings first in the plugin's row
     * of the plugins list, for whoever may open it.
     *
     * @param mixed $links
     * @return mixed
     */
    public static function actionLinks($links)
    {
        if (!is_array($links) || !current_user_can(self::capability())) {
            return $links;
        }
        $settings = '<a href="' . esc_url(self::url()) . '">' . esc_html__('Settings', 'vietqr-for-woocommerce') . '</a>';
        return array_merge(['settings' => $settings], $links);
    }

    public static function enqueue(string $hook): void
    {
        $ours = class_exists('WooCommerce') ? ($hook === 'woocommerce_page_wc-settings' && self::isWooSection()) : $hook === 'settings_page_' . self::SLUG;
        if (!$ours) {
            return;
        }
        wp_enqueue_style('vietqr-admin', Plugin::url('assets/css/admin.css'), [], VIETQR_PLUGIN_VERSION);
        $tab = self::currentTab();
        if ($tab === 'settings') {
            wp_enqueue_script('vietqr-admin-settings', Plugin::url('assets/js/admin-settings.js'), [], VIETQR_PLUGIN_VERSION, true);
        } elseif ($tab === 'link') {
            LinkShop::enqueue();
        }
    }

    /** Capability and nonce of an admin-post action; dies otherwise. */
    public static function guard(string $action): void
    {
        if (!current_user_can(self::capability())) {
            wp_die(esc_html__('You are not allowed to change VietQR settings.', 'vietqr-for-woocommerce'), '', ['response' => 403]);
        }
        check_admin_referer($action);
    }

    /** Back to a tab of the page after a POST. */
    public static function redirect(string $tab): void
    {
        wp_safe_redirect(self::url($tab));
        exit;
    }

    /**
     * Where WooCommerce's Payments page asked to be sent back after setup
     * (Gateway::get_connection_url): kept an hour for this user, across the
     * form posts of the setup, only if it is this site's admin, and shown on
     * the tab the owner was sent to (the step WooCommerce asked for), not on
     * every VietQR tab afterwards.
     */
    private static function returnTo(): string
    {
        $key = 'vietqr_return_to_' . get_current_user_id();
        $tab = self::currentTab();
        if (isset($_GET['return_to'])) { // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
            $url = esc_url_raw(wp_unslash((string) $_GET['return_to'])); // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
            if ($url !== '' && strpos($url, admin_url()) === 0) {
                set_transient($key, ['url' => $url, 'tab' => $tab], HOUR_IN_SECONDS);
            }
        }
        $back = get_transient($key);
        return is_array($back) && ($back['tab'] ?? '') === $tab ? (string) ($back['url'] ?? '') : '';
    }

    /** Without WooCommerce: the page under Settings. */
    public static function render(): void
    {
        if (!current_user_can(self::capability())) {
            return;
        }
        echo '<div class="wrap vietqr-admin"><h1>' . esc_html__('VietQR', 'vietqr-for-woocommerce') . '</h1>';
        self::nav();
        self::body();
        echo '</div>';
    }

    /** The tab bar: links only, so it may sit inside WooCommerce's settings form. */
    public static function nav(): void
    {
        $current = self::currentTab();
        echo '<nav class="nav-tab-wrapper vietqr-tabs">';
        foreach (self::tabs() as $tab => $label) {
            echo '<a class="nav-tab' . ($tab === $current ? ' nav-tab-active' : '') . '" href="' . esc_url(self::url($tab)) . '" id="vietqr-tab-' . esc_attr($tab) . '">' . esc_html($label) . '</a>';
        }
        echo '</nav>';
    }

    /** `woocommerce_after_settings_checkout`: VietQR's tab, after WooCommerce's form, on VietQR's section only. */
    public static function afterWooSettings(): void
    {
        if (!self::isWooSection() || !current_user_can(self::capability())) {
            return;
        }
        echo '<div class="vietqr-admin">';
        self::body();
        echo '</div>';
    }

    /** The notices and the current tab. */
    private static function body(): void
    {
        $current = self::currentTab();
        $back = self::returnTo();
        if ($back !== '') {
            echo '<div class="notice inline notice-info vietqr-return"><p>' . esc_html__('You came here from WooCommerce to set up VietQR.', 'vietqr-for-woocommerce')
                . ' <a class="button" id="vietqr-return" href="' . esc_url($back) . '">' . esc_html__('Back to WooCommerce payments', 'vietqr-for-woocommerce') . '</a></p></div>';
        }
        $notices = Flash::get('notices');
        foreach (is_array($notices) ? $notices : [] as $n) {
            $type = in_array($n['type'] ?? '', ['error', 'success', 'warning', 'info'], true) ? $n['type'] : 'info';
            echo '<div class="notice inline notice-' . esc_attr($type) . ' vietqr-notice"><p>' . esc_html((string) ($n['message'] ?? '')) . '</p></div>';
        }
        switch ($current) {
            case 'link':
                LinkShop::render();
                break;
            case 'terminals':
                Terminals::render();
                break;
            case 'health':
                HealthPage::render();
                break;
            case 'unmatched':
                UnmatchedPage::body();
                break;
            default:
                SettingsPage::render();
        }
    }
}
