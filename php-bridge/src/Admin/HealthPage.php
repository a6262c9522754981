<?php
/**
 * Webhook health: the URLs to give VietQR, when it last called, the last
 * rejected call and why, counts, and the latest accepted transactions.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Ledger\Ledger;
use VietQR\Support\Health;
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
        echo '</td></tr></table>';

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
