<?php
/**
 * VietQR → Unmatched transfers: every transfer that matched no payment, why,
 * the orders it most likely pays (ranked by the core), and two actions:
 * assign it to one (then it completes as a matched callback would) or
 * refund it through VietQR. Shop managers may use it (manage_woocommerce).
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Checkout\OrderPayment;
use VietQR\Core\CoreError;
use VietQR\Ledger\Ledger;
use VietQR\Ledger\Unmatched;
use VietQR\PaymentQr\Received;
use VietQR\PaymentQr\Registry;
use VietQR\Payments\Payments;

final class UnmatchedPage
{
    public const SLUG = 'vietqr-unmatched';
    public const ASSIGN = 'vietqr_unmatched_assign';
    public const REFUND = 'vietqr_unmatched_refund';

    /** Who may see and act: shop managers with WooCommerce, administrators without it. */
    public static function capability(): string
    {
        return Admin::capability();
    }

    /** With WooCommerce, a screen in WooCommerce's menu; without it, a tab of the VietQR page under Settings. */
    public static function menu(): void
    {
        if (class_exists('WooCommerce')) {
            add_submenu_page('woocommerce', __('Unmatched transfers', 'vietqr-for-woocommerce'), __('VietQR transfers', 'vietqr-for-woocommerce'), self::capability(), self::SLUG, [self::class, 'render']);
        }
    }

    public static function url(): string
    {
        return class_exists('WooCommerce') ? add_query_arg(['page' => self::SLUG], admin_url('admin.php')) : Admin::url('unmatched');
    }

    public static function enqueue(string $hook): void
    {
        if (substr($hook, -strlen(self::SLUG)) === self::SLUG) {
            wp_enqueue_style('vietqr-admin', \VietQR\Plugin::url('assets/css/admin.css'), [], VIETQR_PLUGIN_VERSION);
        }
    }

    /** @return array<string, string> */
    private static function reasons(): array
    {
        return [
            'content_changed' => __('The transfer content was changed (by the bank app or the payer): the order code is not where it should be.', 'vietqr-for-woocommerce'),
            'amount_differs' => __('The amount differs from what the likeliest order is due.', 'vietqr-for-woocommerce'),
            'after_expiry' => __('Paid after the likeliest order\'s QR code expired.', 'vietqr-for-woocommerce'),
            'content_missing' => __('The content names no order, but the amount and time fit an open order.', 'vietqr-for-woocommerce'),
            'unknown_order' => __('No open order fits this transfer.', 'vietqr-for-woocommerce'),
        ];
    }

    /** @return array<string, string> */
    private static function findings(): array
    {
        return [
            'code_in_content' => __('order code in the content', 'vietqr-for-woocommerce'),
            'content_similar' => __('content similar', 'vietqr-for-woocommerce'),
            'content_differs' => __('content differs', 'vietqr-for-woocommerce'),
            'amount_exact' => __('exact amount', 'vietqr-for-woocommerce'),
            'amount_within_1_percent' => __('amount within 1%', 'vietqr-for-woocommerce'),
            'amount_within_10_percent' => __('amount within 10%', 'vietqr-for-woocommerce'),
            'amount_differs' => __('amount differs', 'vietqr-for-woocommerce'),
            'in_qr_life' => __('paid while the QR was valid', 'vietqr-for-woocommerce'),
            'after_expiry' => __('paid after the QR expired', 'vietqr-for-woocommerce'),
            'long_after_expiry' => __('paid more than a day after the QR expired', 'vietqr-for-woocommerce'),
        ];
    }

    public static function render(): void
    {
        if (!current_user_can(self::capability())) {
            return;
        }
        echo '<div class="wrap vietqr-admin"><h1>' . esc_html__('Unmatched transfers', 'vietqr-for-woocommerce') . '</h1>';
        self::body(true);
        echo '</div>';
    }

    /** The screen's content; as a tab of the VietQR page, the page printed the notices. */
    public static function body(bool $notices = false): void
    {
        $notices = $notices ? Flash::get('notices') : [];
        foreach (is_array($notices) ? $notices : [] as $n) {
            $type = in_array($n['type'] ?? '', ['error', 'success', 'warning', 'info'], true) ? $n['type'] : 'info';
            echo '<div class="notice inline notice-' . esc_attr($type) . ' vietqr-notice"><p>' . esc_html((string) ($n['message'] ?? '')) . '</p></div>';
        }
        echo '<p>' . esc_html__('Transfers VietQR reported that matched no order. Assign each to the order it pays (the order then completes as if the transfer had matched), or refund it to the payer through VietQR.', 'vietqr-for-woocommerce') . '</p>';
        $rows = Unmatched::open();
        echo '<table class="widefat striped" id="vietqr-unmatched"><thead><tr>'
            . '<th>' . esc_html__('Received', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Amount', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Content', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Bank reference', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Why it matched nothing', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Likely orders', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Refund', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        if ($rows === []) {
            echo '<tr><td colspan="7">' . esc_html__('Every transfer matched an order.', 'vietqr-for-woocommerce') . '</td></tr>';
        }
        foreach ($rows as $row) {
            self::renderRow($row);
        }
        echo '</tbody></table>';
        self::renderPaymentQrs();
        self::renderDecided();
    }

    /** @param array<string, mixed> $row */
    private static function renderRow(array $row): void
    {
        $id = (int) $row['id'];
        try {
            $ranking = Unmatched::rank($row);
        } catch (CoreError $e) {
            $ranking = ['reason' => 'unknown_order', 'candidates' => []];
        }
        $reasons = self::reasons();
        echo '<tr class="vietqr-unmatched-row" id="vietqr-unmatched-' . esc_attr((string) $id) . '" data-reason="' . esc_attr($ranking['reason']) . '">'
            . '<td>' . esc_html(OrderPayment::time(Unmatched::time($row))) . '</td>'
            . '<td>' . esc_html(OrderPayment::vnd((int) $row['amount'])) . '</td>'
            . '<td><code>' . esc_html((string) $row['content']) . '</code></td>'
            . '<td><code>' . esc_html((string) $row['reference_number']) . '</code></td>'
            . '<td class="vietqr-reason">' . esc_html($reasons[$ranking['reason']] ?? $ranking['reason']) . '</td><td>';
        if ($ranking['candidates'] === []) {
            echo esc_html__('No open order to compare.', 'vietqr-for-woocommerce');
        }
        echo '<ol class="vietqr-candidates">';
        foreach ($ranking['candidates'] as $c) {
            self::renderCandidate($id, $c);
        }
        echo '</ol></td><td>';
        if ((string) $row['resolution'] === 'refunding') {
            echo esc_html__('Refund under way.', 'vietqr-for-woocommerce');
        } else {
            echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '">';
            wp_nonce_field(self::REFUND);
            echo '<input type="hidden" name="action" value="' . esc_attr(self::REFUND) . '"><input type="hidden" name="ledger_id" value="' . esc_attr((string) $id) . '">'
                . '<button type="submit" class="button vietqr-refund">' . esc_html(sprintf(
                    /* translators: %s: amount */
                    __('Refund %s', 'vietqr-for-woocommerce'),
                    OrderPayment::vnd((int) $row['amount'])
                )) . '</button></form>';
        }
        echo '</td></tr>';
    }

    /** @param array<string, mixed> $c a ranked candidate with its payment */
    private static function renderCandidate(int $ledgerId, array $c): void
    {
        $payment = $c['payment'];
        $findings = self::findings();
        $words = array_map(static function ($r) use ($findings): string {
            return $findings[$r] ?? (string) $r;
        }, (array) $c['reasons']);
        echo '<li class="vietqr-candidate" data-payment="' . esc_attr((string) $payment['id']) . '" data-order="' . esc_attr((string) $payment['order_id']) . '" data-score="' . esc_attr((string) $c['score']) . '">';
        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '">';
        wp_nonce_field(self::ASSIGN);
        echo '<input type="hidden" name="action" value="' . esc_attr(self::ASSIGN) . '"><input type="hidden" name="ledger_id" value="' . esc_attr((string) $ledgerId) . '">'
            . '<input type="hidden" name="payment_id" value="' . esc_attr((string) $payment['id']) . '">';
        $link = self::orderLink($payment);
        if ($link !== '') {
            echo '<a href="' . esc_url($link) . '">' . esc_html(self::label($payment)) . '</a>';
        } else {
            echo esc_html(self::label($payment));
        }
        echo ' — ' . esc_html(sprintf(
            /* translators: 1: score out of 100, 2: amount due, 3: the findings, comma separated */
            __('score %1$d, due %2$s: %3$s', 'vietqr-for-woocommerce'),
            (int) $c['score'],
            OrderPayment::vnd(max(0, (int) $payment['amount'] - (int) $payment['received'])),
            implode(', ', $words)
        )) . ' <button type="submit" class="button button-small vietqr-assign">' . esc_html__('Assign', 'vietqr-for-woocommerce') . '</button></form></li>';
    }

    /** @param array<string, mixed> $payment */
    private static function label(array $payment): string
    {
        return (int) $payment['order_id'] > 0
            /* translators: 1: order number, 2: transfer content the order's QR asked for */
            ? sprintf(__('Order #%1$d (%2$s)', 'vietqr-for-woocommerce'), (int) $payment['order_id'], (string) $payment['content'])
            /* translators: 1: payment number, 2: transfer content its QR asked for */
            : sprintf(__('Payment %1$d (%2$s)', 'vietqr-for-woocommerce'), (int) $payment['id'], (string) $payment['content']);
    }

    /** The order's edit screen (posts or HPOS: WooCommerce knows which), or '' without one. @param array<string, mixed> $payment */
    private static function orderLink(array $payment): string
    {
        if ((int) $payment['order_id'] <= 0 || !function_exists('wc_get_order')) {
            return '';
        }
        $order = wc_get_order((int) $payment['order_id']);
        return $order instanceof \WC_Order ? (string) $order->get_edit_order_url() : '';
    }

    /** Transfers that paid a payment QR block or shortcode: apart, with the totals per QR, nothing to decide. */
    private static function renderPaymentQrs(): void
    {
        $totals = Received::totals();
        if ($totals === []) {
            return;
        }
        $registry = Registry::all();
        echo '<h2>' . esc_html__('Received for payment QRs', 'vietqr-for-woocommerce') . '</h2>'
            . '<p>' . esc_html__('Transfers whose content is that of a payment QR block or shortcode on this site: they paid that QR, not an order, so there is nothing to assign or refund.', 'vietqr-for-woocommerce') . '</p>'
            . '<table class="widefat striped" id="vietqr-payment-qr-totals"><thead><tr>'
            . '<th>' . esc_html__('Transfer content', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Shown on', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Transfers', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Total', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        foreach ($totals as $t) {
            $qr = $registry[$t['key']] ?? null;
            echo '<tr class="vietqr-payment-qr-total" data-key="' . esc_attr($t['key']) . '" data-transfers="' . esc_attr((string) $t['transfers']) . '" data-total="' . esc_attr((string) $t['total']) . '">'
                . '<td><code>' . esc_html($qr !== null ? $qr['content'] : $t['key']) . '</code></td><td>' . wp_kses(self::pages($qr !== null ? $qr['pages'] : []), ['a' => ['href' => true]]) . '</td>'
                . '<td>' . esc_html(number_format_i18n($t['transfers'])) . '</td><td>' . esc_html(OrderPayment::vnd($t['total'])) . '</td></tr>';
        }
        echo '</tbody></table><table class="widefat striped" id="vietqr-payment-qr-received"><thead><tr>'
            . '<th>' . esc_html__('Received', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Amount', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Content', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Bank reference', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Payment QR', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        foreach (Received::recent() as $row) {
            $key = (string) $row['payment_qr'];
            echo '<tr class="vietqr-payment-qr-row" id="vietqr-payment-qr-' . esc_attr((string) $row['id']) . '" data-key="' . esc_attr($key) . '">'
                . '<td>' . esc_html(OrderPayment::time(Unmatched::time($row))) . '</td><td>' . esc_html(OrderPayment::vnd((int) $row['amount'])) . '</td>'
                . '<td><code>' . esc_html((string) $row['content']) . '</code></td><td><code>' . esc_html((string) $row['reference_number']) . '</code></td>'
                . '<td><code>' . esc_html(isset($registry[$key]) ? $registry[$key]['content'] : $key) . '</code></td></tr>';
        }
        echo '</tbody></table>';
    }

    /** Links to the pages a payment QR is shown on (escaped HTML). @param list<int> $pages */
    private static function pages(array $pages): string
    {
        $links = [];
        foreach ($pages as $id) {
            $url = get_permalink($id);
            $title = get_the_title($id);
            $label = $title !== '' ? $title : '#' . $id;
            $links[] = is_string($url) ? '<a href="' . esc_url($url) . '">' . esc_html($label) . '</a>' : esc_html($label);
        }
        return $links === [] ? '—' : implode(', ', $links);
    }

    private static function renderDecided(): void
    {
        $rows = Unmatched::decided();
        if ($rows === []) {
            return;
        }
        echo '<h2>' . esc_html__('Recently decided', 'vietqr-for-woocommerce') . '</h2><table class="widefat striped" id="vietqr-unmatched-decided"><thead><tr>'
            . '<th>' . esc_html__('Amount', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Bank reference', 'vietqr-for-woocommerce') . '</th>'
            . '<th>' . esc_html__('Decision', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('By', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
        foreach ($rows as $row) {
            $user = get_userdata((int) $row['resolved_by']);
            if ((string) $row['resolution'] === 'refunded') {
                /* translators: %s: VietQR's refund code */
                $decision = sprintf(__('Refunded (refund code %s)', 'vietqr-for-woocommerce'), (string) $row['refund_code']);
            } else {
                $payment = Payments::find((int) $row['payment_id']);
                /* translators: %s: order or payment, e.g. "Order #42 (DH42)" */
                $decision = sprintf(__('Assigned to %s', 'vietqr-for-woocommerce'), $payment !== null ? self::label($payment) : '#' . (int) $row['payment_id']);
            }
            echo '<tr class="vietqr-decided-row" id="vietqr-decided-' . esc_attr((string) $row['id']) . '" data-resolution="' . esc_attr((string) $row['resolution']) . '">'
                . '<td>' . esc_html(OrderPayment::vnd((int) $row['amount'])) . '</td><td><code>' . esc_html((string) $row['reference_number']) . '</code></td>'
                . '<td>' . esc_html($decision) . '</td><td>' . esc_html(($user ? $user->user_login : '?') . ', ' . OrderPayment::time((int) $row['resolved_at'])) . '</td></tr>';
        }
        echo '</tbody></table>';
    }

    /** admin-post: assign a transfer to a payment. */
    public static function assign(): void
    {
        self::guard(self::ASSIGN);
        $ledgerId = isset($_POST['ledger_id']) ? absint(wp_unslash($_POST['ledger_id'])) : 0; // phpcs:ignore WordPress.Security.NonceVerification -- guard() checked it
        $paymentId = isset($_POST['payment_id']) ? absint(wp_unslash($_POST['payment_id'])) : 0; // phpcs:ignore WordPress.Security.NonceVerification -- guard() checked it
        $row = Ledger::find($ledgerId);
        if ($row === null || $paymentId <= 0) {
            self::back('error', __('No such transfer or order: nothing was changed. Reload the list and try again.', 'vietqr-for-woocommerce'));
        }
        $target = Payments::find($paymentId);
        if ($target !== null && (int) $target['created_at'] > Unmatched::time($row)) {
            // The list never offers it (reconcile.rank); a hand-made or stale form may still ask.
            self::back('error', __('That order was placed after this transfer arrived, so the transfer cannot be its payment: nothing was changed.', 'vietqr-for-woocommerce'));
        }
        $result = Payments::assign($ledgerId, $paymentId);
        switch ($result['result']) {
            case 'applied':
                $payment = (array) $result['payment'];
                Ledger::logAction($ledgerId, ['action' => 'assigned', 'payment' => $paymentId, 'order' => (int) $payment['order_id']]);
                self::noteOnOrder($payment, $row);
                self::back('success', sprintf(
                    /* translators: 1: amount, 2: order or payment, 3: its payment status */
                    __('The transfer of %1$s was assigned to %2$s. Payment status: %3$s.', 'vietqr-for-woocommerce'),
                    OrderPayment::vnd((int) $row['amount']),
                    self::label($payment),
                    OrderPayment::statusLabel((string) $payment['status'])
                ));
                break;
            case 'taken':
                self::back('warning', __('This transfer was already assigned or refunded: nothing was changed.', 'vietqr-for-woocommerce'));
                break;
            case 'not_open':
                self::back('error', __('That order is already paid or refunded: nothing was changed. Pick another order or refund the transfer.', 'vietqr-for-woocommerce'));
                break;
            default:
                self::back('error', __('No such transfer or order: nothing was changed. Reload the list and try again.', 'vietqr-for-woocommerce'));
        }
    }

    /** admin-post: refund a transfer through VietQR. */
    public static function refund(): void
    {
        self::guard(self::REFUND);
        $ledgerId = isset($_POST['ledger_id']) ? absint(wp_unslash($_POST['ledger_id'])) : 0; // phpcs:ignore WordPress.Security.NonceVerification -- guard() checked it
        if (Ledger::find($ledgerId) === null) {
            self::back('error', __('No such transfer or order: nothing was changed. Reload the list and try again.', 'vietqr-for-woocommerce'));
        }
        $result = Unmatched::refund($ledgerId);
        if ($result['result'] === 'refunded') {
            self::back('success', sprintf(
                /* translators: %s: VietQR's refund code */
                __('VietQR refunded the transfer. Refund code: %s.', 'vietqr-for-woocommerce'),
                (string) ($result['refund_code'] ?? '')
            ));
        }
        if ($result['result'] === 'failed' && isset($result['error'])) {
            self::back('error', sprintf(
                /* translators: %s: what VietQR said and what to do */
                __('The refund was not made: %s The transfer stays in the list.', 'vietqr-for-woocommerce'),
                $result['error']->forAdmin()
            ));
        }
        self::back('warning', __('This transfer was already assigned or refunded: nothing was changed.', 'vietqr-for-woocommerce'));
    }

    /**
     * @param array<string, mixed> $payment
     * @param array<string, mixed> $row the ledger row
     */
    private static function noteOnOrder(array $payment, array $row): void
    {
        $order = function_exists('wc_get_order') ? OrderPayment::order($payment) : null;
        if ($order === null) {
            return;
        }
        $user = wp_get_current_user();
        $order->add_order_note(sprintf(
            /* translators: 1: amount, 2: bank reference, 3: user name */
            __('VietQR: the unmatched transfer of %1$s (bank reference %2$s) was assigned to this order by %3$s.', 'vietqr-for-woocommerce'),
            OrderPayment::vnd((int) $row['amount']),
            esc_html((string) $row['reference_number']),
            esc_html((string) $user->user_login)
        ));
    }

    private static function guard(string $action): void
    {
        if (!current_user_can(self::capability())) {
            wp_die(esc_html__('You are not allowed to do this.', 'vietqr-for-woocommerce'), '', ['response' => 403]);
        }
        check_admin_referer($action);
    }

    private static function back(string $type, string $message): void
    {
        Flash::notice($type, $message);
        wp_safe_redirect(self::url());
        exit;
    }
}
