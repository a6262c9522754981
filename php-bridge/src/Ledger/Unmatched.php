<?php
/**
 * Transfers that matched no payment: which they are, the payments each
 * might pay (picked here by SQL, ranked by the core's `reconcile.rank`), and
 * the two ways out — assigned to a payment (Payments::assign) or refunded
 * through VietQR. Each way is taken once: a conditional UPDATE on the
 * ledger row decides, and every step is logged on the row.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the ledger table; what is still open decides money, no cache may answer it

namespace VietQR\Ledger;

use VietQR\Api\Client;
use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Payments\Payments;

final class Unmatched
{
    /** A refund claimed this long ago without an outcome (a worker died) may be tried again. */
    private const REFUND_STALE = 120;

    /** Rows still to decide: matched nothing, neither assigned, refunded nor received for a payment QR. @return list<array<string, mixed>> */
    public static function open(int $limit = 50): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_ledger} WHERE payment_id IS NULL AND resolution IN ('', 'refunding') ORDER BY id DESC LIMIT %d",
            $limit
        ), ARRAY_A) ?: [];
    }

    /** Rows decided here, newest first. @return list<array<string, mixed>> */
    public static function decided(int $limit = 20): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_ledger} WHERE resolution IN ('assigned', 'refunded') ORDER BY resolved_at DESC, id DESC LIMIT %d",
            $limit
        ), ARRAY_A) ?: [];
    }

    /**
     * When the shop received the transfer, unix seconds on the shop's own
     * clock: the clock payments' created_at and expires_at come from, so the
     * core can tell which payments existed when the money arrived. Not
     * VietQR's transaction_time: VietQR's clock may be hours off
     * (docs/protocol.md, `transactiontime`).
     *
     * @param array<string, mixed> $row
     */
    public static function time(array $row): int
    {
        $received = strtotime((string) $row['received_at'] . ' UTC');
        return $received === false ? 0 : $received;
    }

    /**
     * The core's ranking of the payments this row might pay.
     *
     * @param array<string, mixed> $row
     * @return array{reason: string, candidates: list<array<string, mixed>>} each candidate with its `payment`
     */
    public static function rank(array $row, int $limit = 5): array
    {
        $time = self::time($row);
        $payments = [];
        $candidates = [];
        foreach (Payments::candidatesFor($time) as $payment) {
            $payments[(int) $payment['id']] = $payment;
            $candidates[] = [
                'id' => (int) $payment['id'],
                'amount' => max(0, (int) $payment['amount'] - (int) $payment['received']),
                'created_at' => (int) $payment['created_at'],
                'expires_at' => (int) $payment['expires_at'],
                'content' => (string) $payment['content'],
                'code' => (string) $payment['order_ref'],
            ];
        }
        $ranking = Core::value('reconcile.rank', [
            'amount' => max(1, (int) $row['amount']),
            'time' => $time,
            'content' => (string) $row['content'],
            'candidates' => $candidates,
            'limit' => $limit,
        ]);
        $ranked = [];
        foreach ($ranking['candidates'] as $c) {
            $ranked[] = $c + ['payment' => $payments[(int) $c['id']]];
        }
        return ['reason' => (string) $ranking['reason'], 'candidates' => $ranked];
    }

    /**
     * Refunds the row's whole amount through VietQR, once.
     *
     * @return array{result: string, refund_code?: string, error?: CoreError}
     *   result: refunded | taken (assigned, refunded or being refunded) | failed (VietQR said no; the row is open again)
     */
    public static function refund(int $ledgerId): array
    {
        global $wpdb;
        $now = time();
        $claimed = $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_ledger} SET resolution = 'refunding', resolved_by = %d, resolved_at = %d"
            . " WHERE id = %d AND payment_id IS NULL AND (resolution = '' OR (resolution = 'refunding' AND resolved_at < %d))",
            get_current_user_id(),
            $now,
            $ledgerId,
            $now - self::REFUND_STALE
        ));
        $row = Ledger::find($ledgerId);
        if ($claimed !== 1 || $row === null) {
            return ['result' => 'taken'];
        }
        try {
            $content = (string) Core::value('text.fold', [
                'text' => 'Hoan tien ' . (string) $row['reference_number'],
                'max_len' => 50,
            ])['text'];
            $result = (new Client())->refund((string) $row['reference_number'], (int) $row['amount'], $content);
        } catch (CoreError $e) {
            $wpdb->query($wpdb->prepare(
                "UPDATE {$wpdb->vietqr_ledger} SET resolution = '', resolved_by = 0, resolved_at = 0 WHERE id = %d AND resolution = 'refunding'",
                $ledgerId
            ));
            Ledger::logAction($ledgerId, ['action' => 'refund_failed', 'code' => $e->vietqr['code'] ?? $e->errorCode]);
            return ['result' => 'failed', 'error' => $e];
        }
        $code = (string) ($result['refund_code'] ?? '');
        $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_ledger} SET resolution = 'refunded', refund_code = %s, resolved_at = %d WHERE id = %d",
            substr($code, 0, 64),
            time(),
            $ledgerId
        ));
        Ledger::logAction($ledgerId, ['action' => 'refunded', 'amount' => (int) $row['amount'], 'refund_code' => $code]);
        return ['result' => 'refunded', 'refund_code' => $code];
    }
}
