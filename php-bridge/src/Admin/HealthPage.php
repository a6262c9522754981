<?php
/**
 * Webhook health: the URLs to give VietQR, when it last called and with
 * what verdict, the last rejected call and why, refusals by reason over a
 * day and a week, the alerts' state, and the latest accepted transactions.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Alerts\AlertLog;
use VietQR\Alerts\Alerts;
use VietQR\Callback\LockOuts;
use VietQR\Ledger\Ledger;
use VietQR\Support\Health;
use VietQR\Support\Rejections;
use VietQR\Support\Settings;

final class HealthPage
{
    private static function when(int $at): string
    {
        if ($at <= 0) {
            return __('never', 'vietqr-for-woocommerce');
        }
        return wp_date(get_option('date_format') . ' ' . get_option('time_format'), $at);
    }

    /** Refused callbacks by endpoint and reason, over the last day and week. */
    private static function failures(): void
    {
        echo '<h2>' . esc_html__('Refused callbacks by reason', 'vietqr-for-woocommerce') . '</h2>';
        echo '<table class="widefat striped" id="vietqr-failures"><thead><tr>'
            . '<th>' . esc_html__('Endpoint', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Reason', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Last 24 hours', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Last 7 days', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        $rows = Rejections::byReason(time());
        if ($rows === []) {
            echo '<tr><td colspan="4">' . esc_html__('No refused callback in the last 7 days.', 'vietqr-for-woocommerce') . '</td></tr>';
        }
        foreach ($rows as $row) {
            echo '<tr data-reason="' . esc_attr($row['reason']) . '"><td>' . esc_html($row['endpoint']) . '</td><td><code>' . esc_html($row['reason']) . '</code></td>'
                . '<td class="vietqr-day">' . esc_html(number_format_i18n($row['day'])) . '</td><td class="vietqr-week">' . esc_html(number_format_i18n($row['week'])) . '</td></tr>';
        }
        echo '</tbody></table>';
    }

    /** Which alert channels are on, the events chosen, the last alert sent and the last that failed. */
    private static function alerts(): void
    {
        $labels = Alerts::labels();
        echo '<h2>' . esc_html__('Alerts', 'vietqr-for-woocommerce') . '</h2>';
        echo '<table class="form-table" id="vietqr-alerts" role="presentation">';
        $events = array_map(static function (string $e) use ($labels): string {
            return $labels[$e];
        }, Alerts::events());
        echo '<tr><th scope="row">' . esc_html__('Events', 'vietqr-for-woocommerce') . '</th><td id="vietqr-alert-events">'
            . esc_html($events === [] ? __('none chosen (see the Settings tab)', 'vietqr-for-woocommerce') : implode(', ', $events)) . '</td></tr>';
        echo '<tr><th scope="row">' . esc_html__('E-mail', 'vietqr-for-woocommerce') . '</th><td id="vietqr-alert-email">' . esc_html(Alerts::emailOn()
            /* translators: %s: e-mail addresses */
            ? sprintf(__('on, to %s', 'vietqr-for-woocommerce'), implode(', ', Alerts::recipients()))
            : __('off', 'vietqr-for-woocommerce')) . '</td></tr>';
        if (Alerts::telegramOn()) {
            /* translators: %s: Telegram chat id */
            $telegram = sprintf(__('on, to chat %s (bot token set)', 'vietqr-for-woocommerce'), (string) Settings::get('alert_telegram_chat_id'));
        } elseif (Settings::get('alert_telegram')) {
            $telegram = __('on, but the bot token or chat id is missing', 'vietqr-for-woocommerce');
        } else {
            $telegram = __('off', 'vietqr-for-woocommerce');
        }
        echo '<tr><th scope="row">' . esc_html__('Telegram', 'vietqr-for-woocommerce') . '</th><td id="vietqr-alert-telegram">' . esc_html($telegram) . '</td></tr>';
        $sent = AlertLog::lastSent();
        echo '<tr><th scope="row">' . esc_html__('Last alert sent', 'vietqr-for-woocommerce') . '</th><td id="vietqr-alert-last-sent">'
            . esc_html($sent === null ? __('none yet', 'vietqr-for-woocommerce') : self::when((int) $sent['created_at']) . ' — ' . self::eventLabel((string) $sent['event'])) . '</td></tr>';
        $failed = AlertLog::lastFailure();
        echo '<tr><th scope="row">' . esc_html__('Last alert failure', 'vietqr-for-woocommerce') . '</th><td id="vietqr-alert-last-failure">'
            . esc_html($failed === null ? __('none', 'vietqr-for-woocommerce') : self::when((int) $failed['created_at']) . ' — ' . self::eventLabel((string) $failed['event']) . ': ' . (string) $failed['error']) . '</td></tr>';
        echo '</table>';
    }

    private static function eventLabel(string $event): string
    {
        $labels = Alerts::labels();
        $labels += [
            'test' => __('Test alert', 'vietqr-for-woocommerce'),
            'lockout' => __('VietQR callbacks refused (lock-out)', 'vietqr-for-woocommerce'),
        ];
        return $labels[$event] ?? $event;
    }

    public static function render(): void
    {
        $base = Settings::callbackBase();
        $username = (string) Settings::get('callback_username');
        echo '<h2>' . esc_html__('Callback URLs to give VietQR', 'vietqr-for-woocommerce') . '</h2>';
        echo '<table class="form-table vietqr-health-urls" role="presentation">';
        echo '<tr><th scope="row">' . esc_html__('Token URL', 'vietqr-for-woocommerce') . '</th><td><code id="vietqr-token-url">' . esc_html($base . '/api/token_generate') . '</code></td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Transaction sync URL', 'vietqr-for-woocommerce') . '</th><td><code id="vietqr-sync-url">' . esc_html($base . '/bank/api/transaction-sync') . '</code></td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Callback username', 'vietqr-for-woocommerce') . '</th><td>'
            . ($username !== '' ? '<code id="vietqr-callback-username">' . esc_html($username) . '</code>' : esc_html__('not set', 'vietqr-for-woocommerce')) . '</td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Callback password', 'vietqr-for-woocommerce') . '</th><td>'
            . (Settings::hasSecret('callback_password') ? esc_html__('set (see the Settings tab to generate a new one)', 'vietqr-for-woocommerce') : esc_html__('not set: VietQR cannot call this shop until it is', 'vietqr-for-woocommerce')) . '</td></tr>';
        echo '</table>';

        $h = Health::get();
        echo '<h2>' . esc_html__('Webhook health', 'vietqr-for-woocommerce') . '</h2>';
        echo '<table class="form-table vietqr-health" id="vietqr-health" role="presentation">';
        echo '<tr><th scope="row">' . esc_html__('Last callback', 'vietqr-for-woocommerce') . '</th><td id="vietqr-last-callback">' . esc_html(self::when((int) $h['last_callback_at'])) . '</td></tr>';
        $last = (int) $h['last_callback_at'];
        if ($last > 0) {
            $rejection = is_array($h['last_rejection']) ? $h['last_rejection'] : null;
            $verdict = (int) $h['last_accepted_at'] >= $last || $rejection === null
                ? __('accepted', 'vietqr-for-woocommerce')
                /* translators: %s: the reason code of the refusal, e.g. invalid_token */
                : sprintf(__('refused: %s', 'vietqr-for-woocommerce'), (string) ($rejection['reason'] ?? ''));
            echo '<tr><th scope="row">' . esc_html__('Last callback\'s verdict', 'vietqr-for-woocommerce') . '</th><td id="vietqr-last-verdict">' . esc_html($verdict) . '</td></tr>';
        }
        echo '<tr><th scope="row">' . esc_html__('Last accepted', 'vietqr-for-woocommerce') . '</th><td>' . esc_html(self::when((int) $h['last_accepted_at'])) . '</td></tr>';
        echo '<tr><th scope="row">' . esc_html__('Counts', 'vietqr-for-woocommerce') . '</th><td id="vietqr-counts">' . esc_html(sprintf(
            /* translators: 1: accepted callbacks, 2: rejected callbacks, 3: repeated deliveries */
            __('%1$d accepted, %2$d rejected, %3$d repeats', 'vietqr-for-woocommerce'),
            (int) $h['accepted'],
            (int) $h['rejected'],
            (int) $h['duplicates']
        )) . '</td></tr>';
        $r = $h['last_rejection'];
        echo '<tr><th scope="row">' . esc_html__('Last rejection', 'vietqr-for-woocommerce') . '</th><td id="vietqr-last-rejection">';
        if (is_array($r)) {
            echo '<strong>' . esc_html(self::when((int) ($r['at'] ?? 0))) . '</strong> — ';
            echo esc_html(sprintf(
                /* translators: 1: endpoint (token or transaction-sync), 2: HTTP status, 3: reason code, 4: message */
                __('%1$s, HTTP %2$d, reason: %3$s — %4$s', 'vietqr-for-woocommerce'),
                (string) ($r['endpoint'] ?? ''),
                (int) ($r['status'] ?? 0),
                (string) ($r['reason'] ?? ''),
                (string) ($r['message'] ?? '')
            ));
        } else {
            echo esc_html__('none', 'vietqr-for-woocommerce');
        }
        echo '</td></tr>';
        $lockOuts = LockOuts::all();
        if ($lockOuts !== []) {
            // The token route refused an address VietQR may call from: its callbacks were held back then.
            $last = end($lockOuts);
            echo '<tr><th scope="row">' . esc_html__('Last lock-out', 'vietqr-for-woocommerce') . '</th><td id="vietqr-last-lockout">' . esc_html(sprintf(
                /* translators: 1: start, 2: end of the lock-out */
                __('from %1$s to %2$s: token requests from an address VietQR may call from were refused after too many wrong passwords', 'vietqr-for-woocommerce'),
                self::when((int) $last['from']),
                self::when((int) $last['until'])
            )) . '</td></tr>';
        }
        echo '</table>';

        self::failures();
        self::alerts();

        echo '<h2>' . esc_html__('Recent transactions', 'vietqr-for-woocommerce') . '</h2>';
        $rows = Ledger::recent(10);
        echo '<table class="widefat striped" id="vietqr-ledger"><thead><tr>'
            . '<th>' . esc_html__('Received', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Order', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Amount', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Content', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Bank reference', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Source', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        if ($rows === []) {
            echo '<tr><td colspan="6">' . esc_html__('No transaction yet.', 'vietqr-for-woocommerce') . '</td></tr>';
        }
        foreach ($rows as $row) {
            $received = strtotime((string) $row['received_at'] . ' UTC');
            echo '<tr><td>' . esc_html(self::when($received === false ? 0 : $received)) . '</td>'
                . '<td>' . esc_html((string) $row['order_ref']) . '</td>'
                . '<td>' . esc_html(number_format_i18n((float) $row['amount'])) . ' ₫</td>'
                . '<td>' . esc_html((string) $row['content']) . '</td>'
                . '<td><code>' . esc_html((string) $row['reference_number']) . '</code></td>'
                . '<td>' . esc_html((string) $row['source']) . '</td></tr>';
        }
        echo '</tbody></table>';
    }
}
