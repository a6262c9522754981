<?php
/**
 * The one HTML of a payment QR, shared by the [vietqr] shortcode and the
 * vietqr/payment-qr block: the shop's bank details as text, and a QR element
 * carrying the payload (data-vietqr-payload) that assets/js/payment-qr.js
 * draws with the core in the browser. Without JavaScript, the same QR drawn
 * by the PHP core shows from a <noscript>; in the editor's preview, inline.
 */

declare(strict_types=1);

namespace VietQR\PaymentQr;

use VietQR\Core\Core;
use VietQR\Checkout\OrderPayment;
use VietQR\Core\CoreError;
use VietQR\Plugin;

final class Renderer
{
    public const SCRIPT = 'vietqr-payment-qr';
    public const STYLE = 'vietqr-payment-qr';

    /** Same error correction as the browser draws with (assets/js/payment-qr.js). */
    public const ECL = 'M';

    /**
     * @param mixed $amount
     * @param mixed $content
     */
    public static function render($amount, $content, bool $preview = false): string
    {
        $request = Request::make($amount, $content);
        if ($request->error !== null) {
            return self::problem($request->error);
        }
        $svg = self::svg($request->payload);
        if (!$preview) {
            wp_enqueue_style(self::STYLE);
            wp_enqueue_script(self::SCRIPT);
            // Not the editor's preview: it draws every half-typed content.
            Registry::remember($request->content, $request->amount, self::page());
        }
        $rows = [
            'bank' => [__('Bank', 'vietqr-for-woocommerce'), OrderPayment::bankName($request->bank)],
            'account' => [__('Account number', 'vietqr-for-woocommerce'), $request->account],
            'holder' => [__('Account holder', 'vietqr-for-woocommerce'), $request->holder],
        ];
        if ($request->amount !== null) {
            $rows['amount'] = [__('Amount', 'vietqr-for-woocommerce'), number_format($request->amount, 0, ',', '.') . ' ₫'];
        }
        if ($request->content !== '') {
            $rows['content'] = [__('Transfer content', 'vietqr-for-woocommerce'), $request->content];
        }
        $fallback = '';
        if ($svg !== '') {
            $img = '<img class="vietqr-payment-qr__fallback" alt="" src="data:image/svg+xml;base64,' . esc_attr(base64_encode($svg)) . '">';
            // The editor's preview runs no script of ours: the PHP core's drawing shows as is.
            $fallback = $preview ? $img : '<noscript>' . $img . '</noscript>';
        }
        $html = '<div class="vietqr-payment-qr">'
            . '<div class="vietqr-payment-qr__qr" role="img" aria-label="' . esc_attr__('VietQR code: scan it with your banking app', 'vietqr-for-woocommerce') . '"'
            . ' data-vietqr-payload="' . esc_attr($request->payload) . '"'
            . ' data-failed="' . esc_attr__('The QR code could not be drawn: transfer with the details below.', 'vietqr-for-woocommerce') . '">'
            . $fallback . '</div>'
            . '<p class="vietqr-payment-qr__hint">' . esc_html__('Scan the code with your banking app, or transfer with these details:', 'vietqr-for-woocommerce') . '</p>'
            . '<dl class="vietqr-payment-qr__details">';
        foreach ($rows as $field => $row) {
            $html .= '<dt>' . esc_html($row[0]) . '</dt><dd data-field="' . esc_attr($field) . '">' . esc_html($row[1]) . '</dd>';
        }
        return $html . '</dl></div>';
    }

    /** Editors see what is wrong; visitors see nothing rather than a broken QR. */
    private static function problem(string $message): string
    {
        if (!current_user_can('edit_posts')) {
            return '';
        }
        return '<div class="vietqr-payment-qr vietqr-payment-qr--error" role="alert"><p><strong>'
            . esc_html__('VietQR payment QR:', 'vietqr-for-woocommerce') . '</strong> ' . esc_html($message) . '</p>'
            . '<p><small>' . esc_html__('Only people who can edit this page see this message; visitors see nothing here.', 'vietqr-for-woocommerce') . '</small></p></div>';
    }

    /** The QR as SVG by the PHP core, kept a day (drawing it is the costly part). */
    private static function svg(string $payload): string
    {
        $key = 'vietqr_qr_' . md5(self::ECL . $payload);
        $cached = get_transient($key);
        if (is_string($cached) && $cached !== '') {
            return $cached;
        }
        try {
            $svg = (string) Core::value('qr.svg', ['text' => $payload, 'ecl' => self::ECL])['svg'];
        } catch (CoreError $e) {
            return '';
        }
        set_transient($key, $svg, DAY_IN_SECONDS);
        return $svg;
    }

    /** The post the QR is drawn in (a block or shortcode in its content), else the page asked for. */
    private static function page(): int
    {
        $id = get_the_ID();
        return is_int($id) && $id > 0 ? $id : (int) get_queried_object_id();
    }

    public static function registerAssets(): void
    {
        wp_register_style(self::STYLE, Plugin::url('assets/css/payment-qr.css'), [], VIETQR_PLUGIN_VERSION);
        wp_register_script(self::SCRIPT, Plugin::url('assets/js/payment-qr.js'), [], VIETQR_PLUGIN_VERSION, true);
    }
}
