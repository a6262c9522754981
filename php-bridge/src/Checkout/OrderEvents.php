<?php
/**
 * What a payment's life means for its WooCommerce order: money in (paid,
 * overpaid, partial, or too late) and a QR code that ran out unpaid.
 *
 * The payment is committed before its order is updated, and a worker can
 * die in between (or halfway through WooCommerce's save). So each update
 * runs under a per-payment lock and ends by recording the payment state the
 * order now shows (Payments::markOrderSynced); the cron finds payments
 * whose order lags (`vietqr_payment_order_sync`) and resync() finishes the
 * job: one arrival note per transaction, and the status the payment means.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Callback\LockOuts;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Payments;
use VietQR\Payments\Rules;
use VietQR\Support\Lock;

final class OrderEvents
{
    private const PAID = ['paid', 'overpaid'];

    /** Seconds to wait for another request updating the same order. */
    private const LOCK_WAIT = 10;

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
        self::locked((int) $payment['id'], static function () use ($payment, $transaction, $previous): void {
            $fresh = Payments::find((int) $payment['id']);
            $order = OrderPayment::order($payment);
            if ($order !== null && $fresh !== null && $fresh['order_synced'] === Rules::syncState($fresh) && self::shows($order, $fresh)) {
                // A resync got here first and showed this state already: only this transfer's note may be missing.
                self::ensureArrivalNote($order, self::noteTexts($order), (int) ($transaction['amount'] ?? 0), (string) ($transaction['reference_number'] ?? ''));
                return;
            }
            if ($order !== null) {
                self::show($order, $payment, $transaction, (string) $previous);
            }
            Payments::markOrderSynced((int) $payment['id'], Rules::syncState($payment));
        });
    }

    /**
     * @param array<string, mixed> $payment the payment after this transaction
     * @param array<string, mixed> $transaction
     */
    private static function show(\WC_Order $order, array $payment, array $transaction, string $previous): void
    {
        $status = (string) $payment['status'];
        $amount = (int) ($transaction['amount'] ?? 0);
        $reference = (string) ($transaction['reference_number'] ?? '');
        $arrived = self::arrivalNote($amount, $reference);

        // Too late: the QR had expired, or the order was given up. The owner decides.
        // Not so for an order kept waiting through a lock-out: it was never given up.
        if (($previous === 'expired' && !self::heldThroughLockOut($order, $payment)) || $order->has_status(['cancelled', 'failed', 'refunded'])) {
            $note = $arrived . ' ' . __('The order had already expired or been cancelled: check it and fulfil or refund it by hand.', 'vietqr-for-woocommerce');
            if ($order->has_status('on-hold')) {
                $order->add_order_note($note);
            } else {
                $order->update_status('on-hold', $note);
            }
            return;
        }
        if ($status === 'refunded') {
            $order->add_order_note($arrived . ' ' . __('The payment had already been refunded.', 'vietqr-for-woocommerce'));
            return;
        }
        if (in_array($status, self::PAID, true) && !in_array($previous, self::PAID, true)) {
            $order->add_order_note($arrived);
            $order->payment_complete($reference);
        } elseif ($status === 'partial') {
            $note = $arrived . ' ' . sprintf(
                /* translators: 1: total received so far, 2: amount still due */
                __('Received %1$s, still due %2$s.', 'vietqr-for-woocommerce'),
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
                __('The buyer paid %1$s more than due (received %2$s in total): refund the difference if needed.', 'vietqr-for-woocommerce'),
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
        $id = (int) $payment['id'];
        self::locked($id, static function () use ($id): void {
            // Read again under the lock: a transfer may have landed since the
            // expiry (its callback commits in between). Then that money is
            // what the order shows, by the transfer's own update (or the
            // cron's), never a cancellation; and the recorded state is only
            // ever the one this update showed.
            $fresh = Payments::find($id);
            if ($fresh === null || $fresh['status'] !== 'expired') {
                return;
            }
            $order = OrderPayment::order($fresh);
            if ($order !== null) {
                self::cancelExpired($order, $fresh);
            }
            Payments::markOrderSynced($id, Rules::syncState($fresh));
        });
    }

    /**
     * Whether the order already shows what the payment is (the order itself
     * is asked, not a recorded claim): money received never leaves the order
     * cancelled, failed or waiting for payment; a QR that expired unpaid
     * leaves it no longer waiting.
     *
     * @param array<string, mixed> $payment
     */
    public static function shows(\WC_Order $order, array $payment): bool
    {
        switch ((string) $payment['status']) {
            case 'paid':
            case 'overpaid':
                // on-hold is enough here: money after expiry or cancellation waits
                // there for the owner (a cut-short completion is found by its sync state).
            case 'partial':
                return !$order->has_status(['pending', 'cancelled', 'failed']);
            case 'expired':
                return self::superseded($order, $payment) || self::heldThroughLockOut($order, $payment) || !$order->has_status(['on-hold', 'pending']);
            default:
                return true;
        }
    }

    /**
     * `vietqr_payment_order_check` (cron): a payment that took money lately
     * whose order does not show it (whatever its recorded sync state says)
     * is brought in line.
     *
     * @param mixed $payment
     */
    public static function check($payment): void
    {
        if (!is_array($payment)) {
            return;
        }
        $id = (int) $payment['id'];
        self::locked($id, static function () use ($id): void {
            $fresh = Payments::find($id);
            $order = $fresh !== null ? OrderPayment::order($fresh) : null;
            if ($order === null || self::shows($order, $fresh)) {
                return;
            }
            self::bringInLine($order, $fresh);
        });
    }

    /**
     * What the cron's repairs end with: the order caught up (and told so), the shown state recorded.
     *
     * @param array<string, mixed> $payment
     */
    private static function bringInLine(?\WC_Order $order, array $payment): void
    {
        if ($order !== null && self::catchUp($order, $payment)) {
            $order->add_order_note(__('VietQR: this order was brought in line with its payment after an update was cut short.', 'vietqr-for-woocommerce'));
        }
        Payments::markOrderSynced((int) $payment['id'], Rules::syncState($payment));
    }

    /**
     * A newer QR of the order replaced this payment (the buyer asked for a
     * fresh one, Gateway::process_payment): its expiry says nothing about the order.
     *
     * @param array<string, mixed> $payment
     */
    private static function superseded(\WC_Order $order, array $payment): bool
    {
        $current = (string) $order->get_meta(OrderPayment::META_KEY);
        return $current !== '' && !hash_equals($current, (string) $payment['public_key']);
    }

    /**
     * An order still waiting whose QR was valid while VietQR may have been
     * locked out (Callback\LockOuts): kept waiting, not cancelled, since the
     * shop cannot know whether it was paid.
     *
     * @param array<string, mixed> $payment
     */
    private static function heldThroughLockOut(\WC_Order $order, array $payment): bool
    {
        return $order->has_status(['on-hold', 'pending']) && !self::superseded($order, $payment) && LockOuts::during($payment) !== null;
    }

    /** @param array<string, mixed> $payment the payment that expired */
    private static function cancelExpired(\WC_Order $order, array $payment): bool
    {
        if (!$order->has_status(['on-hold', 'pending']) || self::superseded($order, $payment)) {
            return false;
        }
        $lockOut = LockOuts::during($payment);
        if ($lockOut !== null) {
            $order->add_order_note(sprintf(
                /* translators: 1: start of the lock-out, 2: its end, 3: amount, 4: transfer content */
                __('Not cancelled: VietQR\'s callbacks to this shop were refused from %1$s to %2$s (the callback endpoint locked out the address VietQR calls from after repeated wrong passwords), and this order\'s QR code was valid then, so it may have been paid without the shop hearing of it. Look in your bank account for a transfer of %3$s with the content %4$s: if it is there, mark the order paid; if not, cancel it. A transfer VietQR delivers later completes the order by itself.', 'vietqr-for-woocommerce'),
                OrderPayment::time((int) $lockOut['from']),
                OrderPayment::time((int) $lockOut['until']),
                OrderPayment::vnd(max(0, (int) $payment['amount'] - (int) $payment['received'])),
                esc_html((string) $payment['content'])
            ));
            return true;
        }
        $order->update_status('cancelled', __('The VietQR code expired before any transfer arrived.', 'vietqr-for-woocommerce'));
        // WooCommerce gives the stock back on "cancelled" when its order-level
        // "stock reduced" flag says so; WooCommerce 7.x with HPOS can lose that
        // flag. Each line still records what was taken (`_reduced_stock`, cleared
        // once given back), so giving back per line never counts twice.
        wc_increase_stock_levels((int) $order->get_id());
        return true;
    }

    /**
     * `vietqr_payment_order_sync` (cron): the order's last update did not
     * finish. Brings it in line with the payment as it is now.
     *
     * @param mixed $payment
     */
    public static function resync($payment): void
    {
        if (!is_array($payment)) {
            return;
        }
        $id = (int) $payment['id'];
        self::locked($id, static function () use ($id): void {
            $payment = Payments::find($id);
            $order = $payment !== null ? OrderPayment::order($payment) : null;
            if ($payment === null || $payment['order_synced'] === Rules::syncState($payment) && ($order === null || self::shows($order, $payment))) {
                return; // finished meanwhile
            }
            self::bringInLine($order, $payment);
        });
    }

    /**
     * @param array<string, mixed> $payment
     * @return bool whether anything changed
     */
    private static function catchUp(\WC_Order $order, array $payment): bool
    {
        $changed = false;
        $reference = '';
        $notes = self::noteTexts($order);
        foreach (Ledger::forPayment((int) $payment['id']) as $row) {
            $reference = (string) $row['reference_number'];
            $changed = self::ensureArrivalNote($order, $notes, (int) $row['amount'], $reference) || $changed;
        }
        $status = (string) $payment['status'];
        if (in_array($status, self::PAID, true)) {
            if ($order->has_status(['cancelled', 'failed', 'refunded'])) {
                $order->update_status('on-hold', __('The order had already expired or been cancelled: check it and fulfil or refund it by hand.', 'vietqr-for-woocommerce'));
                return true;
            }
            if ($order->is_paid() && $order->get_transaction_id() !== '' && $order->get_date_paid('edit') !== null) {
                return $changed;
            }
            if ($order->has_status(['on-hold', 'pending'])) {
                $order->payment_complete($reference);
            } else {
                // Cut short inside WooCommerce's save: the status is there, the rest is not.
                if ($order->get_transaction_id() === '') {
                    $order->set_transaction_id($reference);
                }
                if ($order->get_date_paid('edit') === null) {
                    $order->set_date_paid(time());
                }
                $order->save();
            }
            return true;
        }
        if ($status === 'partial' && $order->has_status('pending')) {
            $order->update_status('on-hold');
            return true;
        }
        if ($status === 'expired') {
            return self::cancelExpired($order, $payment) || $changed;
        }
        return $changed;
    }

    /**
     * The reference is the sender's bank's word, and WooCommerce shows notes
     * as HTML (wp_kses_post keeps <img> and <a>): it goes in as text.
     */
    private static function arrivalNote(int $amount, string $reference): string
    {
        return sprintf(
            /* translators: 1: amount, 2: the bank's reference of the transfer */
            __('VietQR transfer of %1$s received (bank reference %2$s).', 'vietqr-for-woocommerce'),
            OrderPayment::vnd($amount),
            esc_html($reference)
        );
    }

    /** @return list<string> the texts of the order's notes */
    private static function noteTexts(\WC_Order $order): array
    {
        return array_map(static function ($note): string {
            return (string) $note->content;
        }, wc_get_order_notes(['order_id' => $order->get_id()]));
    }

    /**
     * Adds the arrival note of one transfer unless the order has it.
     *
     * @param list<string> $notes the order's note texts (noteTexts())
     */
    private static function ensureArrivalNote(\WC_Order $order, array $notes, int $amount, string $reference): bool
    {
        if ($reference === '') {
            return false;
        }
        foreach ($notes as $note) {
            // As the note holds it (escaped), or as notes before escaping did.
            if (strpos($note, ' ' . esc_html($reference) . ')') !== false || strpos($note, ' ' . $reference . ')') !== false) {
                return false;
            }
        }
        $order->add_order_note(self::arrivalNote($amount, $reference));
        return true;
    }

    /** Runs $update holding the payment's lock (Support\Lock: freed if the worker dies). */
    private static function locked(int $paymentId, callable $update): void
    {
        // Busy for too long: the cron's resync finishes it later.
        Lock::run('vietqr_order_' . $paymentId, self::LOCK_WAIT, $update);
    }
}
