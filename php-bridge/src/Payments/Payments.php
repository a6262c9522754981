<?php
/**
 * Payments the shop waits for: one row per QR shown to a buyer, with the
 * amount due, what has arrived, and the transfer content that ties a bank
 * transfer back to it. Independent of WooCommerce: the gateway listens to
 * the `vietqr_payment_applied` and `vietqr_payment_expired` actions, the
 * alerts to those and to `vietqr_transfer_unmatched`.
 *
 * Status: pending → paid | partial | overpaid; pending → expired; a payment
 * that VietQR refunded in full becomes refunded.
 */

declare(strict_types=1);

// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- the plugin's own payments table; every read decides money (row locks, FOR UPDATE, conditional updates), so no cache may answer it

namespace VietQR\Payments;

use VietQR\Api\Client;
use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Ledger\Ledger;
use VietQR\Support\Log;
use VietQR\Support\Settings;
use VietQR\Support\Tables;

final class Payments
{

    public static function table(): string
    {
        global $wpdb;
        return $wpdb->prefix . Tables::PAYMENTS;
    }

    public static function schema(string $prefix, string $charset): string
    {
        return "CREATE TABLE {$prefix}vietqr_payments (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_id bigint(20) unsigned NOT NULL DEFAULT 0,
  order_ref varchar(64) NOT NULL,
  public_key char(32) NOT NULL,
  amount bigint(20) unsigned NOT NULL,
  received bigint(20) unsigned NOT NULL DEFAULT 0,
  status varchar(16) NOT NULL DEFAULT 'pending',
  mode varchar(8) NOT NULL DEFAULT 'local',
  bank varchar(20) NOT NULL DEFAULT '',
  account varchar(32) NOT NULL DEFAULT '',
  holder varchar(100) NOT NULL DEFAULT '',
  content varchar(100) NOT NULL DEFAULT '',
  payload text NOT NULL,
  expires_at bigint(20) unsigned NOT NULL DEFAULT 0,
  created_at bigint(20) unsigned NOT NULL DEFAULT 0,
  updated_at bigint(20) unsigned NOT NULL DEFAULT 0,
  last_check_at bigint(20) unsigned NOT NULL DEFAULT 0,
  order_synced varchar(40) NOT NULL DEFAULT '',
  PRIMARY KEY  (id),
  UNIQUE KEY order_ref (order_ref),
  UNIQUE KEY public_key (public_key),
  KEY order_id (order_id),
  KEY status_expires (status,expires_at)
) $charset;";
    }

    /**
     * A new payment of `amount` VND with its QR: from VietQR's
     * generate-customer in API mode, else built locally by the core. An API
     * failure falls back to the local QR (the buyer can always pay) and is logged.
     *
     * @return array<string, mixed> the stored row
     */
    public static function create(int $orderId, int $amount): array
    {
        global $wpdb;
        if ($amount <= 0) {
            throw new \InvalidArgumentException('amount must be a positive number of VND');
        }
        $bank = (string) Settings::get('bank');
        $account = (string) Settings::get('account');
        if ($bank === '' || $account === '') {
            throw new \InvalidArgumentException('set the bank and account number in VietQR settings first');
        }
        $now = time();
        $key = bin2hex(random_bytes(16));
        $wpdb->insert(self::table(), [
            'order_id' => $orderId,
            'order_ref' => 'new-' . $key,
            'public_key' => $key,
            'amount' => $amount,
            'bank' => $bank,
            'account' => $account,
            'holder' => (string) Settings::get('holder'),
            'payload' => '',
            'expires_at' => $now + 60 * max(1, (int) Settings::get('qr_lifetime')),
            'created_at' => $now,
            'updated_at' => $now,
            'order_synced' => 'pending:0',
        ]);
        $id = (int) $wpdb->insert_id;
        $ref = self::reference($orderId, $id);
        $fields = ['order_ref' => $ref, 'content' => $ref, 'mode' => 'local'];

        if (Settings::get('qr_mode') === 'api' && Settings::hasApiAccount()) {
            try {
                // The core folds the holder's name and signs with the callback secret
                // in the same call that builds the request.
                $qr = (new Client())->generateCustomer([
                    'bank_code' => $bank,
                    'bank_account' => $account,
                    'user_bank_name' => (string) Settings::get('holder'),
                    'content' => $ref,
                    'amount' => $amount,
                    'order_id' => $ref,
                    'callback_secret' => Settings::callbackSecret(),
                ]);
                $fields = ['order_ref' => $ref, 'content' => (string) $qr['content'], 'payload' => (string) $qr['qr_code'], 'mode' => 'api'];
            } catch (CoreError $e) {
                Log::warning('generate-customer failed; QR built locally', ['payment' => $id, 'code' => $e->vietqr['code'] ?? $e->errorCode]);
            }
        }
        if ($fields['mode'] === 'local') {
            $fields['payload'] = self::localPayload($bank, $account, $amount, $ref);
        }
        $wpdb->update(self::table(), $fields, ['id' => $id]);
        return self::find($id);
    }

    /** Transfer content and VietQR orderId: prefix + order number, unique, ASCII, ≤ 13. */
    private static function reference(int $orderId, int $paymentId): string
    {
        global $wpdb;
        $prefix = strtoupper(str_replace(' ', '', (string) Core::value('text.fold', [
            'text' => (string) Settings::get('content_prefix'),
            'max_len' => 6,
        ])['text']));
        $ref = $prefix . ($orderId > 0 ? (string) $orderId : 'P' . $paymentId);
        $taken = $wpdb->get_var($wpdb->prepare("SELECT COUNT(*) FROM {$wpdb->vietqr_payments} WHERE order_ref = %s", $ref));
        if ((int) $taken > 0 || strlen($ref) > Rules::REF_MAX) {
            // A second QR for the same order, or a long prefix: the payment id keeps it unique.
            $ref = substr($prefix, 0, 3) . 'P' . $paymentId;
        }
        return $ref;
    }

    /** @return array<string, mixed>|null */
    public static function find(int $id): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_payments} WHERE id = %d", $id), ARRAY_A);
        return $row ? self::typed($row) : null;
    }

    /** @return array<string, mixed>|null */
    public static function findByKey(string $publicKey): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_payments} WHERE public_key = %s", $publicKey), ARRAY_A);
        return $row ? self::typed($row) : null;
    }

    /** The newest payment of a WooCommerce order. @return array<string, mixed>|null */
    public static function forOrder(int $orderId): ?array
    {
        global $wpdb;
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_payments} WHERE order_id = %d ORDER BY id DESC LIMIT 1", $orderId), ARRAY_A);
        return $row ? self::typed($row) : null;
    }

    /**
     * The payment's QR is valid for another lifetime from now (the buyer came
     * back for it): the same payment, amount due and content.
     *
     * @param array<string, mixed> $payment
     */
    public static function renew(array $payment): void
    {
        global $wpdb;
        $now = time();
        $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_payments} SET expires_at = %d, updated_at = %d WHERE id = %d AND status IN ('pending','partial')",
            $now + 60 * max(1, (int) Settings::get('qr_lifetime')),
            $now,
            (int) $payment['id']
        ));
    }

    /** Đồng received by every payment of a WooCommerce order (refunded ones aside). */
    public static function receivedForOrder(int $orderId): int
    {
        global $wpdb;
        return (int) $wpdb->get_var($wpdb->prepare(
            "SELECT COALESCE(SUM(received), 0) FROM {$wpdb->vietqr_payments} WHERE order_id = %d AND status <> 'refunded'",
            $orderId
        ));
    }

    /**
     * Closes the order's other QRs still waiting (a new one replaced them):
     * expired, with nothing for the order to show (OrderEvents skips a
     * payment that is not the order's current one). A transfer that still
     * comes to one of them is matched to it as to any expired payment.
     */
    public static function closeOthers(int $orderId, int $keepId): void
    {
        global $wpdb;
        $wpdb->query($wpdb->prepare(
            // order_synced: Rules::syncState() of the row once expired, shown already (nothing to show).
            "UPDATE {$wpdb->vietqr_payments} SET status = 'expired', updated_at = %d, order_synced = CONCAT('expired:', received)"
            . " WHERE order_id = %d AND id <> %d AND status = 'pending'",
            time(),
            $orderId,
            $keepId
        ));
    }

    /**
     * Applies an accepted transaction exactly once: the ledger row and the
     * payment's new total commit together, under a lock on the payment row.
     *
     * @param array<string, mixed> $t the core's normalised transaction
     * @return array{result: string, payment: array<string, mixed>|null, previous: string|null}
     *   result: applied | duplicate | unmatched | unsigned (refused, nothing recorded)
     */
    public static function apply(array $t, string $source): array
    {
        global $wpdb;
        $wpdb->query('START TRANSACTION');
        $payment = self::match($t);
        if ($payment !== null && $source === 'callback' && Rules::signRequired($payment, $t)) {
            $wpdb->query('ROLLBACK');
            return ['result' => 'unsigned', 'payment' => null, 'previous' => null];
        }
        $ledgerId = Ledger::record($t, $payment === null ? null : (int) $payment['id'], $source);
        if ($wpdb->last_error !== '') {
            $error = $wpdb->last_error;
            $wpdb->query('ROLLBACK');
            throw new \RuntimeException('ledger write failed: ' . esc_html($error));
        }
        if ($ledgerId === null) {
            $wpdb->query('COMMIT');
            return ['result' => 'duplicate', 'payment' => $payment, 'previous' => $payment['status'] ?? null];
        }
        if ($payment === null) {
            $wpdb->query('COMMIT');
            Log::info('transaction matches no payment', ['ledger' => $ledgerId, 'order_ref' => (string) ($t['order_id'] ?? '')]);
            // The one place an unmatched transfer is known, once per ledger row: alerts listen; the
            // owner assigns or refunds it under VietQR → Unmatched transfers.
            do_action('vietqr_transfer_unmatched', $ledgerId, $t, $source);
            return ['result' => 'unmatched', 'payment' => null, 'previous' => null];
        }
        $previous = (string) $payment['status'];
        self::credit($payment, $t);
        $wpdb->query('COMMIT');
        $after = self::find((int) $payment['id']);
        do_action('vietqr_payment_applied', $after, $t, $previous, $source);
        return ['result' => 'applied', 'payment' => $after, 'previous' => $previous];
    }

    /**
     * Assigns a ledger row that matched no payment to `$paymentId`, once:
     * the conditional UPDATE on the row (still unassigned, not refunded) is
     * what decides, so of any number of concurrent assigns exactly one
     * credits the payment. From there it is a matched transfer: the same
     * credit and the same `vietqr_payment_applied` as a callback.
     *
     * @return array{result: string, payment: array<string, mixed>|null, previous: string|null}
     *   result: applied | taken (already assigned or refunded) | no_payment | not_open
     */
    public static function assign(int $ledgerId, int $paymentId): array
    {
        global $wpdb;
        $wpdb->query('START TRANSACTION');
        $row = $wpdb->get_row($wpdb->prepare("SELECT * FROM {$wpdb->vietqr_payments} WHERE id = %d FOR UPDATE", $paymentId), ARRAY_A);
        if (!$row) {
            $wpdb->query('ROLLBACK');
            return ['result' => 'no_payment', 'payment' => null, 'previous' => null];
        }
        $payment = self::typed($row);
        if (!in_array($payment['status'], self::ASSIGNABLE, true)) {
            $wpdb->query('ROLLBACK');
            return ['result' => 'not_open', 'payment' => $payment, 'previous' => null];
        }
        $won = $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_ledger} SET payment_id = %d, resolution = 'assigned', resolved_by = %d, resolved_at = %d"
            . " WHERE id = %d AND payment_id IS NULL AND resolution = ''",
            $paymentId,
            get_current_user_id(),
            time(),
            $ledgerId
        ));
        if ($won !== 1) {
            $wpdb->query('ROLLBACK');
            return ['result' => 'taken', 'payment' => $payment, 'previous' => null];
        }
        $t = Ledger::transaction((array) Ledger::find($ledgerId));
        $previous = (string) $payment['status'];
        self::credit($payment, $t);
        $wpdb->query('COMMIT');
        $after = self::find($paymentId);
        do_action('vietqr_payment_applied', $after, $t, $previous, 'assigned');
        return ['result' => 'applied', 'payment' => $after, 'previous' => $previous];
    }

    /** Payments an unmatched transfer may be assigned to: still waiting for money, or expired unpaid. */
    public const ASSIGNABLE = ['pending', 'partial', 'expired'];

    /**
     * Adds a transaction's amount to a payment locked by the caller's DB
     * transaction: the new total and status, and after a partial payment
     * the QR for what is still due.
     *
     * @param array<string, mixed> $payment
     * @param array<string, mixed> $t
     */
    private static function credit(array $payment, array $t): void
    {
        global $wpdb;
        $received = (int) $payment['received'] + (int) $t['amount'];
        $status = Rules::status((int) $payment['amount'], $received, (string) $payment['status']);
        $changes = ['received' => $received, 'status' => $status, 'updated_at' => time()];
        if ($status === 'partial') {
            // From now on the QR asks for what is still due, never the full amount again
            // (buyer's page, status route, e-mail): same account and content, so the rest
            // matches this payment; VietQR's own QR is for the full amount only.
            try {
                $changes['payload'] = self::localPayload((string) $payment['bank'], (string) $payment['account'], (int) $payment['amount'] - $received, (string) $payment['content']);
            } catch (CoreError $e) {
                // The QR shown stays; the page and the e-mail still say what is due.
            }
        }
        $wpdb->update(self::table(), $changes, ['id' => (int) $payment['id']]);
    }

    /** A VietQR payload built here (not by VietQR's API) for `$amount` đồng with `$content`. */
    private static function localPayload(string $bank, string $account, int $amount, string $content): string
    {
        return (string) Core::value('payload.build', [
            'bank' => $bank,
            'account' => $account,
            'amount' => $amount,
            'purpose' => $content,
        ])['payload'];
    }

    /**
     * The payment a transaction pays, locked for update: by VietQR's orderId
     * (our reference), else by a word of the transfer content.
     *
     * @param array<string, mixed> $t
     * @return array<string, mixed>|null
     */
    private static function match(array $t): ?array
    {
        global $wpdb;
        // The core's list (callback.transaction_sync, check-order): the references it may pay, best first.
        $refs = array_values(array_map('strval', (array) ($t['candidate_refs'] ?? [])));
        if ($refs === []) {
            return null;
        }
        $in = implode(',', array_fill(0, count($refs), '%s'));
        $rows = $wpdb->get_results($wpdb->prepare(
            // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- $in is only %s placeholders, one per value of $refs
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE order_ref IN ($in) ORDER BY id DESC FOR UPDATE",
            $refs
        ), ARRAY_A) ?: [];
        $row = Rules::pick($t, $rows);
        return $row === null ? null : self::typed($row);
    }

    /**
     * Asks VietQR (check-order) about an API-mode payment and applies what
     * it reports as paid: the recovery path for callbacks that never came.
     *
     * @param array<string, mixed> $payment
     * @return int how many new transactions were applied
     */
    public static function reconcile(array $payment): int
    {
        global $wpdb;
        if ($payment['mode'] !== 'api' || !Settings::hasApiAccount()) {
            return 0;
        }
        $wpdb->update(self::table(), ['last_check_at' => time()], ['id' => (int) $payment['id']]);
        try {
            $rows = (new Client())->checkOrder('order_id', (string) $payment['order_ref']);
        } catch (CoreError $e) {
            if (($e->vietqr['code'] ?? '') !== 'E96') { // E96: nothing paid yet
                Log::warning('check-order failed', ['payment' => (int) $payment['id'], 'code' => $e->vietqr['code'] ?? $e->errorCode]);
            }
            return 0;
        }
        $applied = 0;
        foreach ($rows as $row) {
            // A paid credit comes as the transaction a callback would have reported; the rest is null.
            if (!is_array($row['transaction'] ?? null)) {
                continue;
            }
            $result = self::apply($row['transaction'], 'check_order');
            if ($result['result'] === 'applied') {
                $applied++;
            }
        }
        return $applied;
    }

    /**
     * Reconciles at most once per `$interval` seconds per payment, across
     * processes: only the request that moves last_check_at gets to ask.
     *
     * @param array<string, mixed> $payment
     */
    public static function reconcileRateLimited(array $payment, int $interval): int
    {
        global $wpdb;
        $now = time();
        $won = $wpdb->query($wpdb->prepare(
            "UPDATE {$wpdb->vietqr_payments} SET last_check_at = %d WHERE id = %d AND last_check_at <= %d",
            $now,
            (int) $payment['id'],
            $now - $interval
        ));
        return $won === 1 ? self::reconcile($payment) : 0;
    }

    /**
     * Expires pending payments whose QR has run out (after one last check
     * with VietQR) and returns how many expired. Local-QR payments that a
     * lock-out in `$holding` may have kept from hearing of their transfer
     * (Rules::blindPeriod) wait until VietQR's retries are over.
     *
     * @param list<array{from: int, until: int}> $holding lock-outs whose retry horizon has not passed
     */
    public static function expireDue(int $now, array $holding = [], int $horizon = 0): int
    {
        global $wpdb;
        $held = '';
        foreach ($holding as $period) {
            $held .= ' AND NOT ' . self::blindSql($period['from'], $period['until'], $horizon);
        }
        $due = $wpdb->get_results($wpdb->prepare(
            // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- $held is made of prepared fragments above
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE status = 'pending' AND expires_at <= %d{$held} ORDER BY id LIMIT 50",
            $now
        ), ARRAY_A) ?: [];
        $expired = 0;
        foreach ($due as $row) {
            $payment = self::typed($row);
            self::reconcile($payment);
            $changed = $wpdb->query($wpdb->prepare(
                "UPDATE {$wpdb->vietqr_payments} SET status = 'expired', updated_at = %d WHERE id = %d AND status = 'pending'",
                $now,
                (int) $payment['id']
            ));
            if ($changed === 1) {
                $expired++;
                do_action('vietqr_payment_expired', self::find((int) $payment['id']));
            }
        }
        return $expired;
    }

    /** Open API-mode payments to ask VietQR about (cron). @return list<array<string, mixed>> */
    public static function openForReconciliation(int $now, int $limit = 20): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE status IN ('pending','partial') AND mode = 'api'"
            . ' AND created_at >= %d AND last_check_at <= %d ORDER BY last_check_at, id LIMIT %d',
            $now - DAY_IN_SECONDS,
            $now - 60,
            $limit
        ), ARRAY_A) ?: [];
        return array_map([self::class, 'typed'], $rows);
    }

    /**
     * Local-QR payments of orders still unpaid whose QR was valid around a
     * lock-out (Rules::blindPeriod's window): the orders the owner is asked
     * to check.
     *
     * @return list<array<string, mixed>>
     */
    public static function unpaidLocalDuring(int $from, int $until, int $horizon, int $limit = 50): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.PreparedSQL.NotPrepared -- blindSql() returns a prepared condition
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE order_id > 0 AND status IN ('pending','partial','expired') AND " . self::blindSql($from, $until, $horizon) . ' ORDER BY id LIMIT %d',
            $limit
        ), ARRAY_A) ?: [];
        return array_map([self::class, 'typed'], $rows);
    }

    /** Rules::blindPeriod() for one lock-out, as a prepared SQL condition. */
    private static function blindSql(int $from, int $until, int $horizon): string
    {
        global $wpdb;
        return (string) $wpdb->prepare("(mode <> 'api' AND created_at <= %d AND expires_at >= %d)", $until, $from - $horizon);
    }

    /**
     * When the oldest order still waiting for its money began waiting: a
     * payment pending with a QR not yet run out, or partly paid, made in the
     * last day. Null when nothing waits.
     */
    public static function oldestWaiting(int $now): ?int
    {
        global $wpdb;
        $at = $wpdb->get_var($wpdb->prepare(
            // status first: the status_expires index narrows it to the open payments.
            "SELECT MIN(created_at) FROM {$wpdb->vietqr_payments} WHERE status IN ('pending','partial') AND created_at >= %d"
            . " AND (status = 'partial' OR expires_at > %d)",
            $now - DAY_IN_SECONDS,
            $now
        ));
        return $at === null ? null : (int) $at;
    }

    /** Rules::syncState() computed by the database, for the queries that compare it with order_synced. */
    public const SYNC_STATE_SQL = "CONCAT(status, ':', received)";

    public static function markOrderSynced(int $id, string $state): void
    {
        global $wpdb;
        $wpdb->update(self::table(), ['order_synced' => $state], ['id' => $id]);
    }

    /** Payments of orders whose last update did not finish. @return list<array<string, mixed>> */
    public static function orderSyncDue(int $limit = 20): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- SYNC_STATE_SQL is a fixed expression of this class, no input
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE order_id > 0 AND order_synced <> " . self::SYNC_STATE_SQL . ' ORDER BY id LIMIT %d',
            $limit
        ), ARRAY_A) ?: [];
        return array_map([self::class, 'typed'], $rows);
    }

    /**
     * Payments of orders that took money since `$since`: the cron asks each
     * order whether it shows that (OrderEvents::check), whatever the recorded
     * sync state claims.
     *
     * @return list<array<string, mixed>>
     */
    public static function recentlyPaid(int $since, int $limit = 50): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE order_id > 0 AND status IN ('paid','overpaid','partial') AND updated_at >= %d ORDER BY updated_at DESC LIMIT %d",
            $since,
            $limit
        ), ARRAY_A) ?: [];
        return array_map([self::class, 'typed'], $rows);
    }

    /**
     * Payments an unmatched transfer the shop received at `$time` (its own
     * clock) might pay: open or expired, made in the week up to it (newest
     * first). None made after it: its QR did not exist when the money came.
     *
     * @return list<array<string, mixed>>
     */
    public static function candidatesFor(int $time, int $limit = 20): array
    {
        global $wpdb;
        $rows = $wpdb->get_results($wpdb->prepare(
            "SELECT * FROM {$wpdb->vietqr_payments} WHERE status IN ('pending','partial','expired') AND created_at BETWEEN %d AND %d ORDER BY id DESC LIMIT %d",
            $time - WEEK_IN_SECONDS,
            $time,
            $limit
        ), ARRAY_A) ?: [];
        return array_map([self::class, 'typed'], $rows);
    }

    public static function markRefunded(int $id): void
    {
        global $wpdb;
        $wpdb->update(self::table(), ['status' => 'refunded', 'updated_at' => time()], ['id' => $id]);
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private static function typed(array $row): array
    {
        foreach (['id', 'order_id', 'amount', 'received', 'expires_at', 'created_at', 'updated_at', 'last_check_at'] as $int) {
            $row[$int] = (int) $row[$int];
        }
        return $row;
    }
}
