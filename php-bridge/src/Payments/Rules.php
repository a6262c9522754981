<?php
/**
 * The payment rules, apart from the table (Payments) and from WordPress:
 * what a payment's status is from its amounts, the state its order must
 * show, which of the payments a transfer names it pays, and when a callback
 * must carry our `sign`. Which references a transfer may pay is the core's
 * rule (`candidate_refs` of its transactions). Pure functions, unit-tested without WordPress
 * (tests/php/PaymentRulesTest.php).
 */

declare(strict_types=1);

namespace VietQR\Payments;

final class Rules
{
    /** VietQR's orderId limit we keep to (docs/protocol.md §1b: ≤ 13 alphanumerics). */
    public const REF_MAX = 13;

    /** A payment's status once `$received` of `$amount` đồng came in; a refunded payment stays refunded. */
    public static function status(int $amount, int $received, string $previous): string
    {
        if ($previous === 'refunded') {
            return 'refunded';
        }
        if ($received > $amount) {
            return 'overpaid';
        }
        return $received === $amount ? 'paid' : 'partial';
    }

    /**
     * Whether the buyer can still pay this payment's QR: waiting and not run
     * out, or partly paid (the rest matches it by its content, whenever it
     * comes). A buyer asking again gets this one, never a second beside it.
     *
     * @param array<string, mixed> $payment
     */
    public static function isLive(array $payment, int $now): bool
    {
        return $payment['status'] === 'partial' || ($payment['status'] === 'pending' && (int) $payment['expires_at'] > $now);
    }

    /**
     * The state an order must show for this payment ("paid:25000"); the
     * order side records the last one it showed (order_synced).
     * Payments::SYNC_STATE_SQL is the same in SQL.
     *
     * @param array<string, mixed> $payment
     */
    public static function syncState(array $payment): string
    {
        return (string) $payment['status'] . ':' . (int) $payment['received'];
    }

    /**
     * Of the payments found for the transaction's candidate_refs (the core's
     * list, best first; payments newest first), the one the
     * transaction pays: the one its orderId names, else the newest.
     *
     * @param array<string, mixed> $t
     * @param list<array<string, mixed>> $rows
     * @return array<string, mixed>|null
     */
    public static function pick(array $t, array $rows): ?array
    {
        $orderId = self::orderId($t);
        foreach ($rows as $row) {
            if ($orderId !== '' && strtoupper((string) $row['order_ref']) === $orderId) {
                return $row;
            }
        }
        return $rows[0] ?? null;
    }

    /**
     * A callback that names an API-mode payment by its orderId comes from
     * the QR VietQR made for it with our `sign`, which VietQR stores and
     * echoes verbatim (docs/protocol.md §1l): without it, it is forged. A
     * transfer VietQR could not tie to the QR (another amount, typed by
     * hand) comes with an empty orderId and no sign, and is matched by
     * content, as in local mode.
     *
     * @param array<string, mixed> $payment
     * @param array<string, mixed> $t
     */
    public static function signRequired(array $payment, array $t): bool
    {
        return (string) $payment['mode'] === 'api'
            && self::orderId($t) === strtoupper((string) $payment['order_ref'])
            && ($t['sign_valid'] ?? null) !== true;
    }

    /**
     * The lock-out (of `$periods`, Callback\LockOuts::all()) during which
     * VietQR's callbacks for a transfer to this payment's QR may all have
     * been refused: one that overlaps the QR's life, reaching back by
     * VietQR's retry horizon (a transfer made just before a lock-out is
     * retried into it). Null for an API-mode payment: VietQR's check-order
     * knows its QR and brings its transfers in afterwards.
     *
     * @param array<string, mixed> $payment
     * @param list<array{from: int, until: int}> $periods
     * @return array{from: int, until: int}|null
     */
    public static function blindPeriod(array $payment, array $periods, int $horizon): ?array
    {
        if ((string) $payment['mode'] === 'api') {
            return null;
        }
        foreach ($periods as $period) {
            if ((int) $payment['created_at'] <= $period['until'] && (int) $payment['expires_at'] + $horizon >= $period['from']) {
                return $period;
            }
        }
        return null;
    }

    /** @param array<string, mixed> $t */
    private static function orderId(array $t): string
    {
        return strtoupper(trim((string) ($t['order_id'] ?? '')));
    }
}
