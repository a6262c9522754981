<?php
/**
 * A payment QR on any page, with or without WooCommerce: the shortcode
 * [vietqr amount="50000" content="Ung ho"] and the block vietqr/payment-qr
 * (blocks/payment-qr/block.json), both printed by Renderer.
 */

declare(strict_types=1);

namespace VietQR\PaymentQr;

use VietQR\Plugin;

final class PaymentQr
{
    public const SHORTCODE = 'vietqr';
    public const BLOCK = 'vietqr/payment-qr';
    public const EDITOR_SCRIPT = 'vietqr-payment-qr-editor';

    public static function init(): void
    {
        Renderer::registerAssets();
        add_shortcode(self::SHORTCODE, [self::class, 'shortcode']);

        wp_register_script(
            self::EDITOR_SCRIPT,
            Plugin::url('assets/js/payment-qr-editor.js'),
            ['wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-server-side-render'],
            VIETQR_PLUGIN_VERSION,
            true
        );
        wp_add_inline_script(self::EDITOR_SCRIPT, 'window.vietqrPaymentQrEditor = ' . wp_json_encode([
            'settings' => __('Payment', 'vietqr-for-woocommerce'),
            'amount' => __('Amount (VND)', 'vietqr-for-woocommerce'),
            'amountHelp' => __('A whole number of đồng, e.g. 50000. Leave empty to let the payer type the amount.', 'vietqr-for-woocommerce'),
            'content' => __('Transfer content', 'vietqr-for-woocommerce'),
            'contentHelp' => __('What the payer\'s bank shows, e.g. "Ung ho". Accents are removed; at most 25 characters.', 'vietqr-for-woocommerce'),
        ]) . ';', 'before');

        register_block_type(Plugin::dir('blocks/payment-qr'), [
            'title' => __('VietQR payment QR', 'vietqr-for-woocommerce'),
            'description' => __('Your bank details and a VietQR code for a transfer of a set amount, with a set transfer content.', 'vietqr-for-woocommerce'),
            'render_callback' => [self::class, 'block'],
        ]);
    }

    /**
     * @param array<string, mixed>|string $atts
     */
    public static function shortcode($atts): string
    {
        $atts = shortcode_atts(['amount' => '', 'content' => ''], is_array($atts) ? $atts : [], self::SHORTCODE);
        return Renderer::render($atts['amount'], $atts['content']);
    }

    /**
     * @param array<string, mixed> $attributes
     */
    public static function block(array $attributes): string
    {
        // The editor's preview comes over REST and runs no script of ours.
        $preview = defined('REST_REQUEST') && REST_REQUEST;
        $html = Renderer::render($attributes['amount'] ?? '', $attributes['content'] ?? '', $preview);
        if ($html === '') {
            return '';
        }
        return '<div ' . get_block_wrapper_attributes() . '>' . $html . '</div>';
    }
}
