<?php
/**
 * Every transaction the shop accepted, once. The two UNIQUE keys (VietQR's
 * transaction id and the bank reference) make the database, not timing,
 * decide which of several concurrent deliveries of one transfer counts.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the ledger table; caching a ledger read is wrong: a stale answer could count a transfer twice or miss one

namespace VietQR\Ledger;

use VietQR\Support\Tables;

final class Ledger
{
    public static function table(): string
    {
        global $wpdb;
        return $wpdb->prefix . Tables::LEDGER;
    }

    public static function schema(string $prefix, string $charset): string
    {
        // dbDelta's format: two spaces after PRIMARY KEY, one key per line.
        return "CREATE TABLE {$prefix}vietqr_ledger (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  transaction_id varchar(64) NOT NULL,
  reference_number varchar(64) NOT NULL,
  payment_id bigint(20) unsigned DEFAULT NULL,
  order_ref varchar(64) NOT NULL DEFAULT '',
  amount bigint(20) unsigned NOT NULL,
  content varchar(500) NOT NULL DEFAULT '',
  bank_account varchar(32) NOT NULL DEFAULT '',
  transaction_time bigint(20) unsigned NOT NULL DEFAULT 0,
  source varchar(16) NOT NULL,
  received_at datetime NOT NULL,
  resolution varchar(16) NOT NULL DEFAULT '',
  payment_qr varchar(32) NOT NULL DEFAULT '',
  resolved_by bigint(20) unsigned NOT NULL DEFAULT 0,
  resolved_at bigint(20) unsigned NOT NULL DEFAULT 0,
  refund_code varchar(64) NOT NULL DEFAULT '',
  actions text,
  PRIMARY KEY  (id),
  UNIQUE KEY transaction_id (transaction_id),
  UNIQUE KEY reference_number (reference_number),
  KEY payment_id (payment_id)
) $charset;";
    }

    /**
     * Records a transaction unless one with its transaction id or bank
     * reference is already there. Call inside the caller's DB transaction.
     *
     * @param array<string, mixed> $t the core's normalised transaction
     * @return int|null the new row's id, or null for a repeat
     */
    public static function record(array $t, ?int $paymentId, string $source): ?int
    {
        global $wpdb;
        // INSERT IGNORE: the unique keys, not a read before the write, decide a repeat.
        $wpdb->query($wpdb->prepare(
            "INSERT IGNORE INTO {$wpdb->vietqr_ledger}"
            . ' (transaction_id, reference_number, payment_id, order_ref, amount, content, bank_account, transaction_time, source, received_at)'
            . ' VALUES (%s, %s, NULLIF(%d, 0), %s, %d, %s, %s, %d, %s, %s)',
            [
                (string) $t['transaction_id'],
                (string) $t['reference_number'],
                (int) $paymentId, // 0 (no payment) is stored as NULL: ids start at 1
                (string) ($t['order_id'] ?? ''),
                (int) $t['amount'],
                (string) ($t['content'] ?? ''),
                (string) ($t['bank_account'] ?? ''),
                (int) ($t['transaction_time'] ?? 0),
                $source,
                gmdate('Y-m-d H:i:s'),
            ]
        ));
        return $wpdb->rows_affected === 1 ? (int) $wpdb->insert_id : null;
    }

    /** Blanks what the payer's bank sent as transfer content (personal-data erasure); the rest is the payment record. */
    public static function eraseContent(int $id): void
    {
        global $wpdb;
        $wpdb->update(self::table(), ['content' => ''], ['id' => $id]);
    }

    /** @return list<array<string, mixed>> */
    public static function forPayment(int $paymentId): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_ledger} WHERE payment_id = %d ORDER BY id", $paymentId), ARRAY_A) ?: [];
    }

    /**
     * The rows of every payment of a WooCommerce order, oldest first.
     *
     * @return list<array<string, mixed>>
     */
    public static function forOrder(int $orderId): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare(
            "SELECT l.* FROM {$wpdb->vietqr_ledger} l JOIN {$wpdb->vietqr_payments} p ON p.id = l.payment_id WHERE p.order_id = %d ORDER BY l.id",
            $orderId
        ), ARRAY_A) ?: [];
    }

    /** @return array<string, mixed>|null */
    public static function find(int $id): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_ledger} WHERE id = %d", $id), ARRAY_A);
        return $row ?: null;
    }

    /**
     * The transaction a ledger row records, in the core's normalised form
     * (what Payments::apply takes).
     *
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    public static function transaction(array $row): array
    {
        return [
            'transaction_id' => (string) $row['transaction_id'],
            'reference_number' => (string) $row['reference_number'],
            'amount' => (int) $row['amount'],
            'content' => (string) $row['content'],
            'bank_account' => (string) $row['bank_account'],
            'order_id' => (string) $row['order_ref'],
            'transaction_time' => (int) $row['transaction_time'],
        ];
    }

    /**
     * Appends what was done to a row (who, when, what) to its action log:
     * one JSON object a line, never rewritten.
     *
     * @param array<string, mixed> $entry
     */
    public static function logAction(int $id, array $entry): void
    {
        global $wpdb;
        $line = (string) wp_json_encode(['at' => time(), 'by' => get_current_user_id()] + $entry) . "\n";
        $wpdb->query($wpdb->prepare("UPDATE {$wpdb->vietqr_ledger} SET actions = CONCAT(COALESCE(actions, ''), %s) WHERE id = %d", $line, $id));
    }

    /** @return list<array<string, mixed>> the row's action log, oldest first */
    public static function actions(array $row): array
    {
        $out = [];
        foreach (explode("\n", (string) ($row['actions'] ?? '')) as $line) {
            $entry = json_decode($line, true);
            if (is_array($entry)) {
                $out[] = $entry;
            }
        }
        return $out;
    }

    /** @return list<array<string, mixed>> */
    public static function recent(int $limit = 20): array
    {
        global $wpdb;
        return $wpdb->get_results($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_ledger} ORDER BY id DESC LIMIT %d", $limit), ARRAY_A) ?: [];
    }
}
