<?php
/**
 * What a payment's life means for its WooCommerce order: money in (paid,
 * overpaid, partial, or too late) and a QR code that ran out unpaid.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

final class OrderEvents
{
    private const PAID = ['paid', 'overpaid'];

    /**
     * `vietqr_payment_applied`: fires once per new transaction.
     *
     * @param mixed $payment
     * @param mixed $transaction
     * @param mixed $previous
     */
    public static function applied($payment, $transaction, $previous = '', $source = ''): void
    {
        if (!is_array($payment) || !is_array($transaction)) {
            return;
        }
        $order = OrderPayment::order($payment);
        if ($order === null) {
            return;
        }
        $previous = (string) $previous;
        $status = (string) $payment['status'];
        $amount = (int) ($transaction['amount'] ?? 0);
        $reference = (string) ($transaction['reference_number'] ?? '');
        $arrived = sprintf(
            /* translators: 1: amount, 2: the bank's reference of the transfer */
            __('VietQR transfer of %1$s received (bank reference %2$s).', 'vietqr'),
            OrderPayment::vnd($amount),
            $reference
        );

        // Too late: the QR had expired, or the order was given up. The owner decides.
        if ($previous === 'expired' || $order->has_status(['cancelled', 'failed', 'refunded'])) {
            $note = $arrived . ' ' . __('The order had already expired or been cancelled: check it and fulfil or refund it by hand.', 'vietqr');
            if ($order->has_status('on-hold')) {
                $order->add_order_note($note);
            } else {
                $order->update_status('on-hold', $note);
            }
            return;
        }
        if ($status === 'refunded') {
            $order->add_order_note($arrived . ' ' . __('The payment had already been refunded.', 'vietqr'));
            return;
        }
        if (in_array($status, self::PAID, true) && !in_array($previous, self::PAID, true)) {
            $order->add_order_note($arrived);
            $order->payment_complete($reference);
        } elseif ($status === 'partial') {
            $note = $arrived . ' ' . sprintf(
                /* translators: 1: total received so far, 2: amount still due */
                __('Received %1$s, still due %2$s.', 'vietqr'),
                OrderPayment::vnd((int) $payment['received']),
                OrderPayment::vnd(max(0, (int) $payment['amount'] - (int) $payment['received']))
            );
            if ($order->has_status('on-hold')) {
                $order->add_order_note($note);
            } else {
                $order->update_status('on-hold', $note);
            }
        } else {
            $order->add_order_note($arrived);
        }
        if ($status === 'overpaid') {
            $order->add_order_note(sprintf(
                /* translators: 1: amount paid beyond the order total, 2: total received */
                __('The buyer paid %1$s more than due (received %2$s in total): refund the difference if needed.', 'vietqr'),
                OrderPayment::vnd((int) $payment['received'] - (int) $payment['amount']),
                OrderPayment::vnd((int) $payment['received'])
            ));
        }
    }

    /**
     * `vietqr_payment_expired`: the QR ran out unpaid; an order still waiting
     * for it is cancelled, which gives its stock back.
     *
     * @param mixed $payment
     */
    public static function expired($payment): void
    {
        if (!is_array($payment)) {
            return;
        }
        $order = OrderPayment::order($payment);
        if ($order === null || !$order->has_status(['on-hold', 'pending'])) {
            return;
        }
        $order->update_status('cancelled', __('The VietQR code expired before any transfer arrived.', 'vietqr'));
        // WooCommerce gives the stock back on "cancelled"; make sure of it.
        wc_maybe_increase_stock_levels((int) $order->get_id());
    }
}
