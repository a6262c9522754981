<?php
/**
 * Transfers that paid a payment QR (block or shortcode) rather than an
 * order: a transfer that matched no payment and whose content holds a
 * payment QR's content (Registry) is recorded as received for that QR
 * (ledger resolution `payment_qr`, the QR's key in `payment_qr`, the pages
 * in its action log). It then leaves the to-do list of Unmatched transfers,
 * which shows it apart with the totals per QR, and raises no "matched no
 * order" alert: it is not a problem to assign or refund.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the ledger table; a stale answer could hide a transfer

namespace VietQR\PaymentQr;

use VietQR\Alerts\Alerts;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Payments;
use VietQR\Support\Log;

final class Received
{
    public const RESOLUTION = 'payment_qr';

    /**
     * `vietqr_transfer_unmatched`: a payment QR's transfer is recorded for
     * it; any other is an alert to the owner, as before.
     *
     * @param mixed $ledgerId
     * @param mixed $transaction
     * @param mixed $source
     */
    public static function unmatched($ledgerId, $transaction, $source = ''): void
    {
        if (is_array($transaction) && self::record((int) $ledgerId, $transaction)) {
            return;
        }
        Alerts::unmatched($ledgerId, $transaction, $source);
    }

    /**
     * Records the ledger row as received for the payment QR its content
     * names, once (a conditional UPDATE: only a row still open).
     *
     * @param array<string, mixed> $t the core's normalised transaction
     * @return bool whether it paid a payment QR
     */
    public static function record(int $ledgerId, array $t): bool
    {
        try {
            $content = (string) ($t['content'] ?? '');
            $all = Registry::all();
            if ($all === [] || $content === '') {
                return false; // no core call on a site without payment QRs
            }
            $haystack = Registry::normalise($content);
            $qr = Registry::find($all, $haystack);
            if ($qr === null || self::namesAnOrder($haystack)) {
                return false;
            }
        } catch (\Throwable $e) {
            // The callback has been answered by the ledger already; the row stays for the owner.
            Log::warning('payment QR check failed', ['ledger' => $ledgerId, 'error' => get_class($e)]);
            return false;
        }
        global $wpdb;
        $won = $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_ledger} SET resolution = %s, payment_qr = %s, resolved_at = %d WHERE id = %d AND payment_id IS NULL AND resolution = ''",
            self::RESOLUTION,
            $qr['key'],
            time(),
            $ledgerId
        ));
        if ($won !== 1) {
            return false;
        }
        Ledger::logAction($ledgerId, ['action' => 'payment_qr', 'content' => $qr['content'], 'pages' => $qr['pages']]);
        return true;
    }

    /**
     * Whether the content also holds the code of an open order: then it is
     * the order's transfer gone astray (its content altered) and the owner
     * decides, not this.
     */
    private static function namesAnOrder(string $haystack): bool
    {
        foreach (Payments::candidatesFor(time()) as $payment) {
            $code = Registry::key((string) $payment['order_ref']);
            if ($code !== '' && strpos($haystack, $code) !== false) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per payment QR: how many transfers and how much, most recent first.
     *
     * @return list<array{key: string, transfers: int, total: int, last: string}>
     */
    public static function totals(): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT payment_qr AS `key`, COUNT(*) AS transfers, SUM(amount) AS total, MAX(received_at) AS last FROM {$wpdb->vietqr_ledger} WHERE resolution = %s GROUP BY payment_qr ORDER BY last DESC",
            self::RESOLUTION
        ), ARRAY_A) ?: [];
        return array_map(static function (array $r): array {
            return ['key' => (string) $r['key'], 'transfers' => (int) $r['transfers'], 'total' => (int) $r['total'], 'last' => (string) $r['last']];
        }, $rows);
    }

    /** The latest transfers received for payment QRs, newest first. @return list<array<string, mixed>> */
    public static function recent(int $limit = 20): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_ledger} WHERE resolution = %s ORDER BY id DESC LIMIT %d",
            self::RESOLUTION,
            $limit
        ), ARRAY_A) ?: [];
    }
}
