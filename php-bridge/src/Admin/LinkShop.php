<?php
/**
 * "Link this shop to VietQR": ecommerce sync on the server, then the
 * certificate as a QR drawn in the browser by the core, and the VietQR
 * WebSocket telling the page (N22) which bank account the owner picked.
 * The browser gets the clientId and certificate (not secrets), never the
 * ecommerce token or any password.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Api\Client;
use VietQR\Core\CoreError;
use VietQR\Plugin;
use VietQR\Support\Options;
use VietQR\Support\Settings;

final class LinkShop
{
    public const ACTION = 'vietqr_link_shop';
    public const OPTION = 'vietqr_ecommerce';
    public const ROUTE = '/admin/linked';

    /** @return array{client_id: string, certificate: string, linked_account: array<string, string>|null, linked_at: int} */
    public static function get(): array
    {
        $stored = get_option(self::OPTION, []);
        $stored = is_array($stored) ? $stored : [];
        return [
            'client_id' => (string) ($stored['client_id'] ?? ''),
            'certificate' => (string) ($stored['certificate'] ?? ''),
            'linked_account' => isset($stored['linked_account']) && is_array($stored['linked_account']) ? $stored['linked_account'] : null,
            'linked_at' => (int) ($stored['linked_at'] ?? 0),
        ];
    }

    /** @param array<string, mixed> $value */
    private static function save(array $value): void
    {
        Options::save(self::OPTION, $value);
    }

    public static function link(): void
    {
        Admin::guard(self::ACTION);
        try {
            $result = (new Client())->ecommerceSync(home_url(), Settings::callbackBase());
        } catch (CoreError $e) {
            Flash::notice('error', $e->forAdmin());
            Admin::redirect('link');
        }
        $previous = self::get();
        $same = $previous['certificate'] === (string) $result['certificate'] && $previous['client_id'] === (string) $result['client_id'];
        self::save([
            'client_id' => (string) $result['client_id'],
            'certificate' => (string) $result['certificate'],
            // VietQR returns the same certificate for the same site: a link already made stays.
            'linked_account' => $same ? $previous['linked_account'] : null,
            'linked_at' => $same ? $previous['linked_at'] : 0,
        ]);
        $token = $result['token']['access_token'] ?? ($result['token'] ?? '');
        if (is_string($token) && $token !== '') {
            Settings::setSecret('ecommerce_token', $token);
        }
        Flash::notice('success', __('This shop is registered with VietQR. Now scan the certificate below with the VietQR app.', 'vietqr-for-woocommerce'));
        Admin::redirect('link');
    }

    /** What the page's WebSocket saw in N22: the bank account the owner picked in the app. */
    public static function linked(\WP_REST_Request $request): \WP_REST_Response
    {
        $link = self::get();
        if ($link['certificate'] === '') {
            return new \WP_REST_Response(['code' => 'not_registered', 'message' => __('Link this shop to VietQR first.', 'vietqr-for-woocommerce')], 409);
        }
        $account = preg_replace('/\s+/', '', (string) $request->get_param('bank_account'));
        $bank = sanitize_text_field((string) $request->get_param('bank_code'));
        $name = sanitize_text_field((string) $request->get_param('user_bank_name'));
        if (!Banks::accountIsValid((string) $account, $bank) || !preg_match('/^[A-Za-z0-9]{1,20}$/', $bank) || mb_strlen($name) > 100) {
            return new \WP_REST_Response(['code' => 'invalid', 'message' => __('The linked bank account is not valid.', 'vietqr-for-woocommerce')], 400);
        }
        $link['linked_account'] = ['bank_account' => (string) $account, 'bank_code' => $bank, 'user_bank_name' => $name];
        $link['linked_at'] = time();
        self::save($link);
        return new \WP_REST_Response(['linked' => $link['linked_account'], 'text' => self::linkedText($link['linked_account'])], 200);
    }

    /** @param array<string, string> $account */
    public static function linkedText(array $account): string
    {
        /* translators: 1: bank code such as MB, 2: account number, 3: account holder */
        return sprintf(__('Linked: %1$s %2$s %3$s', 'vietqr-for-woocommerce'), $account['bank_code'] ?? '', $account['bank_account'] ?? '', $account['user_bank_name'] ?? '');
    }

    /** The WebSocket base: the API base URL with http→ws, https→wss. */
    public static function wsBase(): string
    {
        return (string) preg_replace(['#^https://#i', '#^http://#i'], ['wss://', 'ws://'], Settings::baseUrl());
    }

    public static function enqueue(): void
    {
        wp_enqueue_script('vietqr-admin-link', Plugin::url('assets/js/admin-link.js'), [], VIETQR_PLUGIN_VERSION, true);
    }

    public static function render(): void
    {
        $link = self::get();
        echo '<h2>' . esc_html__('Link this shop to VietQR', 'vietqr-for-woocommerce') . '</h2>';
        echo '<p>' . esc_html__('Registers this site with VietQR (ecommerce sync) and gives it a certificate. Scanning the certificate in the VietQR app links one of your bank accounts to this shop, so VietQR tells the shop about every transfer to it.', 'vietqr-for-woocommerce') . '</p>';
        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="vietqr-link-form">';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::ACTION) . '">';
        wp_nonce_field(self::ACTION);
        submit_button($link['certificate'] === '' ? __('Link this shop to VietQR', 'vietqr-for-woocommerce') : __('Link this shop to VietQR again', 'vietqr-for-woocommerce'), 'primary', 'submit', false, ['id' => 'vietqr-link']);
        echo '</form>';

        if ($link['certificate'] === '') {
            return;
        }
        $data = [
            'certificate' => $link['certificate'],
            'clientId' => $link['client_id'],
            'wsUrl' => self::wsBase() . '/socket?clientId=' . rawurlencode($link['client_id']),
            'restUrl' => rest_url(Plugin::REST_NAMESPACE . self::ROUTE),
            'nonce' => wp_create_nonce('wp_rest'),
            'i18n' => [
                'qrFailed' => __('The QR code could not be drawn in this browser:', 'vietqr-for-woocommerce'),
                'waiting' => __('Waiting for the VietQR app…', 'vietqr-for-woocommerce'),
                'saveFailed' => __('The linked account could not be saved:', 'vietqr-for-woocommerce'),
                'socketClosed' => __('Connection to VietQR lost; reconnecting…', 'vietqr-for-woocommerce'),
            ],
        ];
        echo '<div class="vietqr-link" id="vietqr-link-box">';
        echo '<script type="application/json" id="vietqr-link-data">' . wp_json_encode($data, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES) . '</script>';
        echo '<div class="vietqr-link-qr" id="vietqr-link-qr" aria-label="' . esc_attr__('Certificate QR code', 'vietqr-for-woocommerce') . '"></div>';
        echo '<div class="vietqr-link-text">';
        echo '<p>' . esc_html__('Certificate:', 'vietqr-for-woocommerce') . ' <code id="vietqr-certificate">' . esc_html($link['certificate']) . '</code></p>';
        echo '<ol class="vietqr-steps"><li>' . esc_html__('Open the VietQR app on your phone and log in with the VietQR account of this shop.', 'vietqr-for-woocommerce') . '</li>'
            . '<li>' . esc_html__('Scan this QR code (or enter the certificate above).', 'vietqr-for-woocommerce') . '</li>'
            . '<li>' . esc_html__('Pick the bank account that should receive this shop\'s payments and confirm.', 'vietqr-for-woocommerce') . '</li></ol>';
        $linked = $link['linked_account'];
        echo '<p class="vietqr-linked ' . ($linked ? 'is-linked' : 'is-waiting') . '" id="vietqr-linked" aria-live="polite">'
            . esc_html($linked ? self::linkedText($linked) : __('Not linked yet: waiting for the VietQR app…', 'vietqr-for-woocommerce')) . '</p>';
        if ($linked && $link['linked_at'] > 0) {
            /* translators: %s: date and time */
            echo '<p class="description">' . esc_html(sprintf(__('Since %s', 'vietqr-for-woocommerce'), wp_date(get_option('date_format') . ' ' . get_option('time_format'), $link['linked_at']))) . '</p>';
        }
        echo '</div></div>';
    }
}
