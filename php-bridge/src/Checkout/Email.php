<?php
/**
 * The transfer details in WooCommerce's emails for VietQR orders still
 * waiting for money, with the QR as a PNG drawn by the core and attached
 * inline (cid:), so mail clients show it without loading remote images.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Core\Core;
use VietQR\Core\CoreError;

final class Email
{
    /** @var array<string, string> cid => PNG as base64, for the mail being built */
    private static $images = [];

    /**
     * @param mixed $order
     * @param mixed $sentToAdmin
     * @param mixed $plainText
     * @param mixed $email
     */
    public static function details($order, $sentToAdmin = false, $plainText = false, $email = null): void
    {
        if (!$order instanceof \WC_Order || $sentToAdmin || $order->get_payment_method() !== Gateway::ID || !$order->has_status('on-hold')) {
            return;
        }
        $payment = OrderPayment::forOrder($order);
        if ($payment === null || !in_array($payment['status'], ['pending', 'partial'], true)) {
            return;
        }
        $due = max(0, (int) $payment['amount'] - (int) $payment['received']);
        $rows = [
            __('Bank', 'vietqr-for-woocommerce') => OrderPayment::bankName((string) $payment['bank']),
            __('Account number', 'vietqr-for-woocommerce') => (string) $payment['account'],
            __('Account holder', 'vietqr-for-woocommerce') => (string) $payment['holder'],
            __('Amount', 'vietqr-for-woocommerce') => OrderPayment::vnd($due),
            __('Transfer content', 'vietqr-for-woocommerce') => (string) $payment['content'],
            __('Valid until', 'vietqr-for-woocommerce') => OrderPayment::time((int) $payment['expires_at']),
        ];
        $intro = __('Please pay by bank transfer: scan the VietQR code with your banking app, or transfer with these details.', 'vietqr-for-woocommerce');
        // Past "valid until", this link gives a fresh QR for what is still due (Gateway::payableStatuses).
        $renew = __('Code run out? Get a new one for what is still due:', 'vietqr-for-woocommerce');
        $renewUrl = (string) $order->get_checkout_payment_url();

        if ($plainText) {
            echo esc_html(wp_strip_all_tags($intro)) . "\n\n";
            foreach ($rows as $label => $value) {
                echo esc_html($label . ': ' . $value) . "\n";
            }
            echo "\n" . esc_html($renew) . ' ' . esc_url_raw($renewUrl) . "\n\n";
            return;
        }

        $cid = 'vietqr-' . (int) $payment['id'];
        try {
            // The payment's QR: after a partial payment, the one for what is still due (Payments::apply).
            $png = Core::value('qr.png', ['text' => (string) $payment['payload'], 'module_px' => 6]);
            self::$images[$cid] = (string) $png['png_base64'];
        } catch (CoreError $e) {
            $cid = '';
        }
        echo '<h2>' . esc_html__('Pay by bank transfer (VietQR)', 'vietqr-for-woocommerce') . '</h2>';
        echo '<p>' . esc_html($intro) . '</p>';
        if ($cid !== '') {
            echo '<p><img src="' . esc_attr('cid:' . $cid) . '" alt="' . esc_attr__('VietQR code', 'vietqr-for-woocommerce') . '" width="240" style="width:240px;max-width:100%;height:auto;"></p>';
        }
        echo '<table class="td" cellspacing="0" cellpadding="6" style="width:100%;margin-bottom:24px;" border="1"><tbody>';
        foreach ($rows as $label => $value) {
            echo '<tr><th class="td" scope="row" style="text-align:left;">' . esc_html($label) . '</th><td class="td" style="text-align:left;">' . esc_html($value) . '</td></tr>';
        }
        echo '</tbody></table>';
        echo '<p class="vietqr-renew">' . esc_html($renew) . ' <a href="' . esc_url($renewUrl) . '">' . esc_html__('Get a new QR code for what is still due', 'vietqr-for-woocommerce') . '</a></p>';
    }

    /**
     * Attaches the QR images the message refers to.
     *
     * @param mixed $phpmailer PHPMailer\PHPMailer\PHPMailer
     */
    public static function embed($phpmailer): void
    {
        if (self::$images === [] || !is_object($phpmailer) || !method_exists($phpmailer, 'addStringEmbeddedImage')) {
            return;
        }
        foreach (self::$images as $cid => $base64) {
            if (strpos((string) $phpmailer->Body, 'cid:' . $cid) === false) {
                continue;
            }
            $phpmailer->addStringEmbeddedImage((string) base64_decode($base64, true), $cid, 'vietqr.png', 'base64', 'image/png');
            unset(self::$images[$cid]);
        }
    }
}
