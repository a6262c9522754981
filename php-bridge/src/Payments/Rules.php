<?php
/**
 * The payment rules, apart from the table (Payments) and from WordPress:
 * what a payment's status is from its amounts, the state its order must
 * show, which references a transfer may pay, and when a callback must carry
 * our `sign`. Pure functions, unit-tested without WordPress
 * (tests/php/PaymentRulesTest.php).
 */

declare(strict_types=1);

namespace VietQR\Payments;

final class Rules
{
    /** VietQR's orderId limit we keep to (docs/protocol.md §1b: ≤ 13 alphanumerics). */
    public const REF_MAX = 13;

    /** Content words looked at when matching a transfer (the rest is the payer's text). */
    public const MATCH_WORDS = 20;

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
     * The references a transaction may pay, best first: VietQR's orderId
     * (our reference), then each word of the transfer content that could be
     * one (letters and digits, at most REF_MAX), upper case, once each.
     *
     * @param array<string, mixed> $t the core's normalised transaction
     * @return list<string>
     */
    public static function candidateRefs(array $t): array
    {
        $refs = [];
        $orderId = self::orderId($t);
        if ($orderId !== '') {
            $refs[] = $orderId;
        }
        $words = preg_split('/[^A-Za-z0-9]+/', strtoupper((string) ($t['content'] ?? '')), -1, PREG_SPLIT_NO_EMPTY) ?: [];
        foreach (array_slice($words, 0, self::MATCH_WORDS) as $word) {
            if (strlen($word) <= self::REF_MAX) {
                $refs[] = $word;
            }
        }
        return array_values(array_unique($refs));
    }

    /**
     * Of the payments found for candidateRefs() (newest first), the one the
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

    /** @param array<string, mixed> $t */
    private static function orderId(array $t): string
    {
        return strtoupper(trim((string) ($t['order_id'] ?? '')));
    }
}
