<?php
/** Admin screens: settings, link shop, points of sale, webhook health. */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Plugin;

final class Admin
{
    public const SLUG = 'vietqr';
    public const CAPABILITY = 'manage_options';

    /** @return array<string, string> tab => label */
    private static function tabs(): array
    {
        return [
            'settings' => __('Settings', 'vietqr-for-woocommerce'),
            'link' => __('Link shop', 'vietqr-for-woocommerce'),
            'terminals' => __('Points of sale', 'vietqr-for-woocommerce'),
            'health' => __('Webhook health', 'vietqr-for-woocommerce'),
        ];
    }

    private static function currentTab(): string
    {
        $tab = isset($_GET['tab']) ? sanitize_key(wp_unslash((string) $_GET['tab'])) : 'settings'; // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
        return array_key_exists($tab, self::tabs()) ? $tab : 'settings';
    }

    public static function menu(): void
    {
        add_menu_page(__('VietQR', 'vietqr-for-woocommerce'), __('VietQR', 'vietqr-for-woocommerce'), self::CAPABILITY, self::SLUG, [self::class, 'render'], 'dashicons-money-alt', 56);
        if (class_exists('WooCommerce')) {
            // The same page, also reachable from the WooCommerce menu.
            add_submenu_page('woocommerce', __('VietQR', 'vietqr-for-woocommerce'), __('VietQR', 'vietqr-for-woocommerce'), self::CAPABILITY, 'admin.php?page=' . self::SLUG);
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
        if (!is_array($links) || !current_user_can(self::CAPABILITY)) {
            return $links;
        }
        $settings = '<a href="' . esc_url(admin_url('admin.php?page=' . self::SLUG)) . '">' . esc_html__('Settings', 'vietqr-for-woocommerce') . '</a>';
        return array_merge(['settings' => $settings], $links);
    }

    public static function enqueue(string $hook): void
    {
        if ($hook !== 'toplevel_page_' . self::SLUG) {
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
        if (!current_user_can(self::CAPABILITY)) {
            wp_die(esc_html__('You are not allowed to change VietQR settings.', 'vietqr-for-woocommerce'), '', ['response' => 403]);
        }
        check_admin_referer($action);
    }

    /** Back to a tab of the page after a POST. */
    public static function redirect(string $tab): void
    {
        wp_safe_redirect(add_query_arg(['page' => self::SLUG, 'tab' => $tab], admin_url('admin.php')));
        exit;
    }

    /**
     * Where WooCommerce's Payments page asked to be sent back after setup
     * (Gateway::get_connection_url): kept an hour for this user, across the
     * form posts of the setup, and only if it is this site's admin.
     */
    private static function returnTo(): string
    {
        $key = 'vietqr_return_to_' . get_current_user_id();
        if (isset($_GET['return_to'])) { // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
            $url = esc_url_raw(wp_unslash((string) $_GET['return_to'])); // phpcs:ignore WordPress.Security.NonceVerification -- navigation only
            if ($url !== '' && strpos($url, admin_url()) === 0) {
                set_transient($key, $url, HOUR_IN_SECONDS);
            }
        }
        return (string) get_transient($key);
    }

    public static function render(): void
    {
        if (!current_user_can(self::CAPABILITY)) {
            return;
        }
        $current = self::currentTab();
        echo '<div class="wrap vietqr-admin"><h1>' . esc_html__('VietQR', 'vietqr-for-woocommerce') . '</h1>';
        echo '<nav class="nav-tab-wrapper">';
        foreach (self::tabs() as $tab => $label) {
            $url = add_query_arg(['page' => self::SLUG, 'tab' => $tab], admin_url('admin.php'));
            echo '<a class="nav-tab' . ($tab === $current ? ' nav-tab-active' : '') . '" href="' . esc_url($url) . '" id="vietqr-tab-' . esc_attr($tab) . '">' . esc_html($label) . '</a>';
        }
        echo '</nav>';
        $back = self::returnTo();
        if ($back !== '') {
            echo '<div class="notice notice-info vietqr-return"><p>' . esc_html__('You came here from WooCommerce to set up VietQR.', 'vietqr-for-woocommerce')
                . ' <a class="button" id="vietqr-return" href="' . esc_url($back) . '">' . esc_html__('Back to WooCommerce payments', 'vietqr-for-woocommerce') . '</a></p></div>';
        }
        $notices = Flash::get('notices');
        foreach (is_array($notices) ? $notices : [] as $n) {
            $type = in_array($n['type'] ?? '', ['error', 'success', 'warning', 'info'], true) ? $n['type'] : 'info';
            echo '<div class="notice notice-' . esc_attr($type) . ' vietqr-notice"><p>' . esc_html((string) ($n['message'] ?? '')) . '</p></div>';
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
            default:
                SettingsPage::render();
        }
        echo '</div>';
    }
}
