<?php
/**
 * Alerts to the shop owner: a payment paid, partly paid or overpaid, a
 * transfer that matched no order, and VietQR silent for N minutes while
 * orders wait. The owner picks the events and the channels (e-mail, a
 * Telegram bot) in the settings. Each event is sent once: AlertLog's unique
 * key decides, not timing. A failed channel is recorded and shown on the
 * health tab, and tried again by the cron, a minute apart, at most
 * ATTEMPTS times in all and within the hour (an alert hours late is noise;
 * the health tab and a test alert tell the owner what is wrong).
 *
 * Handlers never throw: they run after the payment was committed, and a
 * failing alert must not turn an accepted callback into an error.
 */

declare(strict_types=1);

namespace VietQR\Alerts;

use VietQR\Admin\UnmatchedPage;
use VietQR\Callback\LockOuts;
use VietQR\Payments\Payments;
use VietQR\Support\Health;
use VietQR\Support\Log;
use VietQR\Support\Rejections;
use VietQR\Support\Settings;

final class Alerts
{
    /** The events an owner can choose; the payment ones are the payment's new status. */
    public const EVENTS = ['paid', 'partial', 'overpaid', 'unmatched', 'silence'];

    /**
     * Events sent whatever the owner chose, by e-mail even with alerts off
     * (to the alert addresses, else the site's admin e-mail), as WordPress
     * sends its own security e-mails: VietQR locked out, and the orders to
     * check afterwards.
     */
    public const ALWAYS = ['lockout'];

    /** Seconds between two "callbacks are being refused" alerts, however many lock-outs. */
    private const LOCKOUT_ALERT_EVERY = 6 * 3600;

    /** Attempts per alert and channel: the first, then two by the cron. */
    public const ATTEMPTS = 3;

    /** @return array<string, string> event => label (settings and health tab) */
    public static function labels(): array
    {
        return [
            'paid' => __('Order paid', 'vietqr-for-woocommerce'),
            'partial' => __('Order partly paid', 'vietqr-for-woocommerce'),
            'overpaid' => __('Order overpaid', 'vietqr-for-woocommerce'),
            'unmatched' => __('Transfer that matched no order', 'vietqr-for-woocommerce'),
            'silence' => __('No callback from VietQR while orders wait', 'vietqr-for-woocommerce'),
        ];
    }

    /**
     * `vietqr_payment_applied`: fires once per new transaction of a payment.
     *
     * @param mixed $payment the payment after the transaction
     * @param mixed $transaction
     * @param mixed $previous
     * @param mixed $source
     */
    public static function paymentApplied($payment, $transaction, $previous = '', $source = ''): void
    {
        if (!is_array($payment) || !is_array($transaction)) {
            return;
        }
        $event = (string) $payment['status'];
        if (!in_array($event, ['paid', 'partial', 'overpaid'], true)) {
            return;
        }
        self::safely($event, static function () use ($event, $payment, $transaction): void {
            $amount = (int) $payment['amount'];
            $received = (int) $payment['received'];
            $order = self::orderLabel($payment);
            switch ($event) {
                case 'paid':
                    /* translators: %s: order number, e.g. #123 */
                    $title = sprintf(__('Order %s is paid', 'vietqr-for-woocommerce'), $order);
                    /* translators: 1: amount received, 2: amount due, e.g. 25,000 ₫ */
                    $state = sprintf(__('Received %1$s of %2$s.', 'vietqr-for-woocommerce'), self::money($received), self::money($amount));
                    break;
                case 'partial':
                    /* translators: %s: order number, e.g. #123 */
                    $title = sprintf(__('Order %s is partly paid', 'vietqr-for-woocommerce'), $order);
                    /* translators: 1: amount received, 2: amount due, 3: amount still due */
                    $state = sprintf(__('Received %1$s of %2$s; %3$s still due.', 'vietqr-for-woocommerce'), self::money($received), self::money($amount), self::money($amount - $received));
                    break;
                default:
                    /* translators: %s: order number, e.g. #123 */
                    $title = sprintf(__('Order %s is overpaid', 'vietqr-for-woocommerce'), $order);
                    /* translators: 1: amount received, 2: amount due, 3: the amount over */
                    $state = sprintf(__('Received %1$s of %2$s: %3$s more than due.', 'vietqr-for-woocommerce'), self::money($received), self::money($amount), self::money($received - $amount));
            }
            $lines = [
                $state,
                /* translators: 1: amount of this transfer, 2: the bank's reference of it */
                sprintf(__('This transfer: %1$s, bank reference %2$s.', 'vietqr-for-woocommerce'), self::money((int) ($transaction['amount'] ?? 0)), (string) ($transaction['reference_number'] ?? '')),
                /* translators: %s: link to the order in wp-admin */
                sprintf(__('Open the order: %s', 'vietqr-for-woocommerce'), self::orderLink($payment)),
            ];
            // The state this transfer left: one alert per transfer, whoever delivers it how often.
            $key = 'payment:' . (int) $payment['id'] . ':' . $event . ':' . $received;
            self::raise($event, $key, (int) $payment['id'], $title, $lines);
        });
    }

    /**
     * `vietqr_transfer_unmatched`: a transfer recorded in the ledger that pays no payment.
     *
     * @param mixed $ledgerId
     * @param mixed $transaction
     * @param mixed $source
     */
    public static function unmatched($ledgerId, $transaction, $source = ''): void
    {
        if (!is_array($transaction)) {
            return;
        }
        self::safely('unmatched', static function () use ($ledgerId, $transaction): void {
            $title = __('A transfer matched no order', 'vietqr-for-woocommerce');
            $lines = [
                sprintf(
                    /* translators: 1: amount, 2: the transfer content the payer typed, 3: the bank's reference */
                    __('%1$s arrived with the transfer content "%2$s" (bank reference %3$s) and matched no order.', 'vietqr-for-woocommerce'),
                    self::money((int) ($transaction['amount'] ?? 0)),
                    (string) ($transaction['content'] ?? ''),
                    (string) ($transaction['reference_number'] ?? '')
                ),
                /* translators: %s: link to the VietQR page in wp-admin */
                sprintf(__('Assign it to its order or refund it: %s', 'vietqr-for-woocommerce'), UnmatchedPage::url()),
            ];
            self::raise('unmatched', 'unmatched:' . (int) $ledgerId, 0, $title, $lines);
        });
    }

    /**
     * `vietqr_callbacks_locked_out`: the callback endpoint started refusing
     * an address VietQR may call from (Callback\LockOuts): one alert for
     * the lock-outs of six hours.
     *
     * @param mixed $from
     * @param mixed $until
     */
    public static function lockedOut($from, $until): void
    {
        self::safely('lockout', static function () use ($from, $until): void {
            $title = __('VietQR callbacks are being refused', 'vietqr-for-woocommerce');
            $lines = [
                sprintf(
                    /* translators: 1: date and time the refusals began, 2: date and time they end */
                    __('Since %1$s the callback endpoint refuses token requests from an address that sent too many wrong callback passwords, until %2$s. Someone may be guessing the callback password; if the shop is behind a proxy or CDN, VietQR shares that address and its payment callbacks are refused too.', 'vietqr-for-woocommerce'),
                    self::when((int) $from),
                    self::when((int) $until)
                ),
                __('Orders paid by a VietQR code made by this shop (local mode) meanwhile are kept waiting, not cancelled; when it is over you get the list of orders to check. Orders with QR codes from VietQR (API mode) are checked with VietQR automatically.', 'vietqr-for-woocommerce'),
                /* translators: %s: link to the Webhook health tab */
                sprintf(__('Refusals by reason are on the Webhook health tab: %s', 'vietqr-for-woocommerce'), self::healthLink()),
            ];
            // One alert per six hours at most: a guesser who keeps at it starts a new lock-out every window.
            self::raise('lockout', 'lockout:' . intdiv((int) $until, self::LOCKOUT_ALERT_EVERY), 0, $title, $lines);
        });
    }

    /**
     * A lock-out whose retry horizon has passed: the unpaid local-QR orders
     * whose QR was valid in it, which the shop cannot know about, once per
     * lock-out (none: no alert).
     */
    private static function lockOutOrders(int $now): void
    {
        foreach (LockOuts::all() as $period) {
            $over = $period['until'] + LockOuts::RETRY_HORIZON;
            if ($over > $now || $over < $now - DAY_IN_SECONDS) {
                continue;
            }
            $orders = [];
            foreach (Payments::unpaidLocalDuring($period['from'], $period['until'], LockOuts::RETRY_HORIZON) as $payment) {
                $orders[] = sprintf(
                    /* translators: 1: order number, 2: amount due, 3: transfer content, 4: link to the order */
                    __('%1$s: %2$s, transfer content %3$s: %4$s', 'vietqr-for-woocommerce'),
                    self::orderLabel($payment),
                    self::money(max(0, (int) $payment['amount'] - (int) $payment['received'])),
                    (string) $payment['content'],
                    self::orderLink($payment)
                );
            }
            if ($orders === []) {
                continue;
            }
            /* translators: %d: number of orders */
            $title = sprintf(_n('%d order may have been paid while VietQR was refused', '%d orders may have been paid while VietQR was refused', count($orders), 'vietqr-for-woocommerce'), count($orders));
            $lines = array_merge([
                sprintf(
                    /* translators: 1: start of the lock-out, 2: its end */
                    __('VietQR\'s callbacks may have been refused from %1$s to %2$s, and VietQR has stopped retrying. These orders had a valid QR code then and no payment has reached the shop; they are kept on hold. Look for each transfer in your bank account: mark the order paid if it is there, cancel it if not. A transfer VietQR delivers later still completes its order.', 'vietqr-for-woocommerce'),
                    self::when($period['from']),
                    self::when($period['until'])
                ),
            ], $orders);
            self::raise('lockout', 'lockout-orders:' . $period['until'], 0, $title, $lines);
        }
    }

    /**
     * The cron (every minute, after reconciliation and expiry): VietQR silent
     * for N minutes while an order waits is one alert per silence (keyed by
     * the last verified callback: the next silence, after a callback came,
     * is a new one). An order waits while its QR is valid or it is partly
     * paid, so N is kept below the QR lifetime (SettingsValidator). Also
     * tries failed alerts again and trims the alert and refusal counts.
     */
    public static function cron(): void
    {
        $now = time();
        self::safely('cron', static function () use ($now): void {
            AlertLog::prune($now);
            Rejections::prune($now);
            self::retry($now);
            self::lockOutOrders($now);
            $minutes = (int) Settings::get('alert_silence_minutes');
            if (!in_array('silence', self::events(), true) || $minutes <= 0) {
                return;
            }
            $waitingSince = Payments::oldestWaiting($now);
            if ($waitingSince === null) {
                return;
            }
            $last = (int) Health::get()['last_accepted_at'];
            // Silent since the later of the last callback and the oldest wait began.
            if ($now - max($last, $waitingSince) < $minutes * MINUTE_IN_SECONDS) {
                return;
            }
            /* translators: %d: minutes */
            $title = sprintf(__('No callback from VietQR for %d minutes', 'vietqr-for-woocommerce'), $minutes);
            $lines = [
                /* translators: %s: date and time the oldest waiting order was placed */
                sprintf(__('Orders are waiting for payment, the oldest since %s.', 'vietqr-for-woocommerce'), self::when($waitingSince)),
                $last > 0
                    /* translators: %s: date and time of the last accepted callback */
                    ? sprintf(__('VietQR last called this shop with a transaction at %s.', 'vietqr-for-woocommerce'), self::when($last))
                    : __('VietQR has never called this shop with a transaction.', 'vietqr-for-woocommerce'),
                /* translators: %s: link to the Webhook health tab */
                sprintf(__('Check the callback settings and the Webhook health tab: %s', 'vietqr-for-woocommerce'), self::healthLink()),
            ];
            self::raise('silence', 'silence:' . $last, 0, $title, $lines);
        });
    }

    /**
     * A test alert to every configured channel, now (the settings button).
     * Recorded like the others, so the health tab shows its outcome.
     *
     * @return array{email: string, telegram: string, error: string}
     */
    public static function test(): array
    {
        $title = __('Test alert', 'vietqr-for-woocommerce');
        $lines = [__('This is a test alert from VietQR for WooCommerce. If you read it, alerts reach you here.', 'vietqr-for-woocommerce')];
        $id = AlertLog::claim('test:' . time() . ':' . bin2hex(random_bytes(4)), 'test', 0, time());
        $result = self::deliver($title, $lines);
        if ($id !== null) {
            AlertLog::finish($id, $result['email'], $result['telegram'], $result['error']);
        }
        return $result;
    }

    /** Failed channels of recent alerts, once more each (the cron, every minute). */
    private static function retry(int $now): void
    {
        foreach (AlertLog::retryDue($now, self::ATTEMPTS) as $row) {
            $message = json_decode((string) $row['message'], true);
            if (!is_array($message) || !AlertLog::takeRetry((int) $row['id'], (int) $row['attempts'])) {
                continue;
            }
            $failed = array_keys(array_filter(['email' => $row['email'] === 'failed', 'telegram' => $row['telegram'] === 'failed']));
            $result = self::deliver((string) ($message['title'] ?? ''), array_map('strval', (array) ($message['lines'] ?? [])), $failed, (bool) ($message['always'] ?? false));
            $email = in_array('email', $failed, true) ? $result['email'] : (string) $row['email'];
            $telegram = in_array('telegram', $failed, true) ? $result['telegram'] : (string) $row['telegram'];
            $again = $result['error'] !== '' && (int) $row['attempts'] + 1 < self::ATTEMPTS;
            AlertLog::finish((int) $row['id'], $email, $telegram, $result['error'], $again ? (string) $row['message'] : '');
        }
    }

    /** @return list<string> the events the owner chose */
    public static function events(): array
    {
        $events = Settings::get('alert_events');
        return is_array($events) ? array_values(array_intersect(self::EVENTS, $events)) : [];
    }

    /** @return list<string> where e-mail alerts go: the addresses set, else the site's admin e-mail */
    public static function recipients(): array
    {
        $list = preg_split('/[\s,;]+/', (string) Settings::get('alert_email_to'), -1, PREG_SPLIT_NO_EMPTY) ?: [];
        return $list !== [] ? $list : [(string) get_option('admin_email')];
    }

    public static function emailOn(): bool
    {
        return (bool) Settings::get('alert_email');
    }

    public static function telegramOn(): bool
    {
        return (bool) Settings::get('alert_telegram') && Settings::hasSecret('telegram_bot_token') && (string) Settings::get('alert_telegram_chat_id') !== '';
    }

    /**
     * Sends one event once: chosen, some channel on, and this request the
     * one that claimed its key.
     *
     * @param list<string> $lines
     */
    private static function raise(string $event, string $key, int $paymentId, string $title, array $lines): void
    {
        $always = in_array($event, self::ALWAYS, true);
        if (!$always && (!in_array($event, self::events(), true) || (!self::emailOn() && !self::telegramOn()))) {
            return;
        }
        $id = AlertLog::claim($key, $event, $paymentId, time());
        if ($id === null) {
            return; // sent already, or being sent by a concurrent request
        }
        $result = self::deliver($title, $lines, ['email', 'telegram'], $always);
        $retry = $result['error'] !== '' ? (string) wp_json_encode(['title' => $title, 'lines' => $lines, 'always' => $always]) : '';
        AlertLog::finish($id, $result['email'], $result['telegram'], $result['error'], $retry);
    }

    /**
     * @param list<string> $lines
     * @param list<string> $channels the channels to try (of those on)
     * @param bool $always e-mail even with e-mail alerts off (ALWAYS events)
     * @return array{email: string, telegram: string, error: string} each channel: sent, failed or off
     */
    private static function deliver(string $title, array $lines, array $channels = ['email', 'telegram'], bool $always = false): array
    {
        $errors = [];
        $email = 'off';
        if ((self::emailOn() || $always) && in_array('email', $channels, true)) {
            $failure = Mail::send(self::recipients(), $title, implode("\n\n", $lines));
            $email = $failure === null ? 'sent' : 'failed';
            if ($failure !== null) {
                /* translators: %s: why the e-mail was not sent */
                $errors[] = sprintf(__('E-mail: %s', 'vietqr-for-woocommerce'), $failure);
            }
        }
        $telegram = 'off';
        if (self::telegramOn() && in_array('telegram', $channels, true)) {
            $failure = Telegram::send(Settings::secret('telegram_bot_token'), (string) Settings::get('alert_telegram_chat_id'), $title . "\n\n" . implode("\n\n", $lines));
            $telegram = $failure === null ? 'sent' : 'failed';
            if ($failure !== null) {
                /* translators: %s: why Telegram did not take the message */
                $errors[] = sprintf(__('Telegram: %s', 'vietqr-for-woocommerce'), $failure);
            }
        }
        if ($errors !== []) {
            Log::warning('alert not delivered', ['email' => $email, 'telegram' => $telegram]);
        }
        return ['email' => $email, 'telegram' => $telegram, 'error' => implode(' ', $errors)];
    }

    private static function safely(string $event, callable $run): void
    {
        try {
            $run();
        } catch (\Throwable $e) {
            Log::warning('alert failed', ['event' => $event, 'error' => get_class($e)]);
        }
    }

    /** @param array<string, mixed> $payment */
    private static function orderLabel(array $payment): string
    {
        $order = self::order($payment);
        if ($order !== null) {
            return '#' . $order->get_order_number();
        }
        return (string) $payment['order_ref'];
    }

    /** @param array<string, mixed> $payment */
    private static function orderLink(array $payment): string
    {
        $order = self::order($payment);
        return $order !== null ? $order->get_edit_order_url() : self::healthLink();
    }

    /** @param array<string, mixed> $payment */
    private static function order(array $payment): ?\WC_Order
    {
        if ((int) $payment['order_id'] <= 0 || !function_exists('wc_get_order')) {
            return null;
        }
        $order = wc_get_order((int) $payment['order_id']);
        return $order instanceof \WC_Order ? $order : null;
    }

    private static function healthLink(): string
    {
        return \VietQR\Admin\Admin::url('health');
    }

    private static function money(int $amount): string
    {
        return number_format_i18n($amount) . ' ₫';
    }

    private static function when(int $at): string
    {
        return wp_date(get_option('date_format') . ' ' . get_option('time_format'), $at);
    }
}
