<?php
/**
 * The VietQR payment behind a WooCommerce order, and the few formatting
 * helpers every buyer- and owner-facing view of it shares.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Payments\Payments;

final class OrderPayment
{
    /** Order meta holding the payment's public key (read and written through the order: HPOS-safe). */
    public const META_KEY = '_vietqr_payment_key';

    /** @var array<string, string> code => short name, for this request */
    private static $banks = [];

    /** @return array<string, mixed>|null */
    public static function forOrder(\WC_Order $order): ?array
    {
        $key = (string) $order->get_meta(self::META_KEY);
        if ($key !== '') {
            $payment = Payments::findByKey($key);
            if ($payment !== null) {
                return $payment;
            }
        }
        return $order->get_payment_method() === Gateway::ID ? Payments::forOrder((int) $order->get_id()) : null;
    }

    /** The order a payment belongs to, when it is a VietQR order. */
    public static function order(array $payment): ?\WC_Order
    {
        if ((int) ($payment['order_id'] ?? 0) <= 0) {
            return null;
        }
        $order = wc_get_order((int) $payment['order_id']);
        if (!$order instanceof \WC_Order || $order->get_payment_method() !== Gateway::ID) {
            return null;
        }
        return $order;
    }

    /**
     * A bank's short name ("MBBank") from its VietQR code ("MB"); the code
     * when unknown. One banks.lookup (≈ 0.5 ms in PHP), not the whole
     * banks.list (≈ 32 ms: the order-received page's largest cost).
     */
    public static function bankName(string $code): string
    {
        if (!isset(self::$banks[$code])) {
            try {
                self::$banks[$code] = (string) (Core::value('banks.lookup', ['bank' => $code])['short_name'] ?? $code);
            } catch (CoreError $e) {
                self::$banks[$code] = $code; // the code alone still tells the buyer which bank
            }
        }
        return self::$banks[$code];
    }

    /** A payment's status as the owner reads it, translated ("paid" → "Paid", "Đã thanh toán"). */
    public static function statusLabel(string $status): string
    {
        $labels = [
            'pending' => __('Waiting for the transfer', 'vietqr-for-woocommerce'),
            'paid' => __('Paid', 'vietqr-for-woocommerce'),
            'partial' => __('Partly paid', 'vietqr-for-woocommerce'),
            'overpaid' => __('Paid more than due', 'vietqr-for-woocommerce'),
            'expired' => __('Expired unpaid', 'vietqr-for-woocommerce'),
            'refunded' => __('Refunded', 'vietqr-for-woocommerce'),
        ];
        return $labels[$status] ?? $status;
    }

    /** "25.000 ₫": VND has no decimals. */
    public static function vnd(int $amount): string
    {
        return number_format($amount, 0, ',', '.') . ' ₫';
    }

    /** A timestamp in the site's time zone and date/time formats. */
    public static function time(int $timestamp): string
    {
        $format = get_option('date_format') . ' ' . get_option('time_format');
        return (string) wp_date($format, $timestamp);
    }
}
