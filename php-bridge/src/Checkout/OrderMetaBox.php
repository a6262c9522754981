<?php
/**
 * "VietQR payment" box on the order screen (classic and HPOS): status,
 * amounts, the transfers received, and two owner actions — ask VietQR now
 * (check-order) and, in sandbox, simulate the buyer's transfer.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Api\Client;
use VietQR\Core\CoreError;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Payments;
use VietQR\Support\Settings;

final class OrderMetaBox
{
    public const CHECK = 'vietqr_check_payment';
    public const SIMULATE = 'vietqr_simulate_payment';

    public static function add(): void
    {
        $screens = ['shop_order'];
        if (function_exists('wc_get_page_screen_id')) {
            $screens[] = wc_get_page_screen_id('shop-order');
        }
        foreach (array_unique($screens) as $screen) {
            add_meta_box('vietqr-payment', __('VietQR payment', 'vietqr-for-woocommerce'), [self::class, 'render'], $screen, 'side', 'high');
        }
    }

    /** @param mixed $postOrOrder WP_Post (classic) or WC_Order (HPOS) */
    public static function render($postOrOrder): void
    {
        $order = $postOrOrder instanceof \WC_Order ? $postOrOrder : wc_get_order($postOrOrder instanceof \WP_Post ? $postOrOrder->ID : 0);
        $payment = $order instanceof \WC_Order ? OrderPayment::forOrder($order) : null;
        if ($payment === null) {
            echo '<p>' . esc_html__('This order has no VietQR payment.', 'vietqr-for-woocommerce') . '</p>';
            if ($order instanceof \WC_Order && $order->needs_payment()) {
                self::paymentLink($order);
            }
            return;
        }
        $due = max(0, (int) $payment['amount'] - (int) $payment['received']);
        $status = (string) $payment['status'];
        echo '<div class="vietqr-order-box" data-status="' . esc_attr($status) . '">';
        echo '<p><strong>' . esc_html__('Status:', 'vietqr-for-woocommerce') . '</strong> ' . esc_html(OrderPayment::statusLabel($status)) . '</p>';
        echo '<p>' . esc_html__('Amount:', 'vietqr-for-woocommerce') . ' ' . esc_html(OrderPayment::vnd((int) $payment['amount']))
            . '<br>' . esc_html__('Received:', 'vietqr-for-woocommerce') . ' ' . esc_html(OrderPayment::vnd((int) $payment['received']))
            . '<br>' . esc_html__('Due:', 'vietqr-for-woocommerce') . ' ' . esc_html(OrderPayment::vnd($due)) . '</p>';
        echo '<p>' . esc_html__('Transfer content:', 'vietqr-for-woocommerce') . ' <code>' . esc_html((string) $payment['content']) . '</code><br>'
            . esc_html__('QR valid until:', 'vietqr-for-woocommerce') . ' ' . esc_html(OrderPayment::time((int) $payment['expires_at'])) . '</p>';

        $rows = Ledger::forPayment((int) $payment['id']);
        if ($rows === []) {
            echo '<p><em>' . esc_html__('No transfer received yet.', 'vietqr-for-woocommerce') . '</em></p>';
        } else {
            echo '<table class="widefat striped vietqr-ledger"><thead><tr><th>' . esc_html__('Time', 'vietqr-for-woocommerce') . '</th><th>'
                . esc_html__('Amount', 'vietqr-for-woocommerce') . '</th><th>' . esc_html__('Reference', 'vietqr-for-woocommerce') . '</th><th>'
                . esc_html__('Source', 'vietqr-for-woocommerce') . '</th></tr></thead><tbody>';
            foreach ($rows as $row) {
                $at = strtotime((string) $row['received_at'] . ' UTC');
                echo '<tr><td>' . esc_html($at ? OrderPayment::time((int) $at) : '') . '</td><td>' . esc_html(OrderPayment::vnd((int) $row['amount']))
                    . '</td><td><code>' . esc_html((string) $row['reference_number']) . '</code></td><td>' . esc_html((string) $row['source']) . '</td></tr>';
            }
            echo '</tbody></table>';
        }
        $orderId = (int) $order->get_id();
        echo '<p>';
        // Asking VietQR is for money that may still come: not once the payment is paid or refunded.
        if ((string) $payment['mode'] === 'api' && in_array($status, ['pending', 'partial', 'expired'], true)) {
            echo '<a class="button" href="' . esc_url(self::actionUrl(self::CHECK, $orderId)) . '">' . esc_html__('Check payment now', 'vietqr-for-woocommerce') . '</a> ';
        }
        if (Settings::isSandbox() && $due > 0 && !in_array($status, ['expired', 'refunded'], true)) {
            echo '<a class="button" href="' . esc_url(self::actionUrl(self::SIMULATE, $orderId)) . '">' . esc_html__('Simulate payment', 'vietqr-for-woocommerce') . '</a>';
        }
        echo '</p></div>';
    }

    /**
     * An order the owner made (a phone or social-media sale) is paid from
     * WooCommerce's customer payment page, where VietQR shows the QR: the
     * link to send, and where WooCommerce e-mails it.
     */
    private static function paymentLink(\WC_Order $order): void
    {
        echo '<p><label for="vietqr-payment-link">' . esc_html__('The customer pays from this link, where VietQR shows the QR:', 'vietqr-for-woocommerce') . '</label>'
            . '<input type="text" id="vietqr-payment-link" class="widefat" readonly value="' . esc_attr($order->get_checkout_payment_url()) . '"></p>';
        echo '<p class="description">' . esc_html__('Send it in a chat, or by e-mail from Order actions (the order details sent to the customer carry this link).', 'vietqr-for-woocommerce') . '</p>';
    }

    /**
     * A link to admin-post.php carrying a nonce bound to the action and order.
     * (Links, not forms: the order screen is itself one big form.)
     */
    public static function actionUrl(string $action, int $orderId): string
    {
        return wp_nonce_url(admin_url('admin-post.php?action=' . $action . '&order_id=' . $orderId), $action . '_' . $orderId);
    }

    public static function check(): void
    {
        $order = self::authorised(self::CHECK);
        $payment = OrderPayment::forOrder($order);
        if ($payment === null) {
            self::back($order, 'error', __('This order has no VietQR payment.', 'vietqr-for-woocommerce'));
        }
        if ((string) $payment['mode'] !== 'api' || !Settings::hasApiAccount()) {
            self::back($order, 'warning', __('Checking with VietQR needs the API mode and a VietQR API account.', 'vietqr-for-woocommerce'));
        }
        $applied = Payments::reconcile($payment);
        $after = Payments::find((int) $payment['id']) ?? $payment;
        self::back($order, 'success', $applied > 0
            /* translators: 1: number of transfers, 2: payment status */
            ? sprintf(_n('VietQR reported %1$d new transfer. Payment status: %2$s.', 'VietQR reported %1$d new transfers. Payment status: %2$s.', $applied, 'vietqr-for-woocommerce'), $applied, OrderPayment::statusLabel((string) $after['status']))
            : __('VietQR reports no new transfer for this order.', 'vietqr-for-woocommerce'));
    }

    public static function simulate(): void
    {
        $order = self::authorised(self::SIMULATE);
        if (!Settings::isSandbox()) {
            self::back($order, 'error', __('Simulated payments exist only in the VietQR sandbox.', 'vietqr-for-woocommerce'));
        }
        $payment = OrderPayment::forOrder($order);
        if ($payment === null) {
            self::back($order, 'error', __('This order has no VietQR payment.', 'vietqr-for-woocommerce'));
        }
        $due = max(0, (int) $payment['amount'] - (int) $payment['received']);
        if ($due <= 0) {
            self::back($order, 'warning', __('Nothing is due on this payment.', 'vietqr-for-woocommerce'));
        }
        try {
            (new Client())->testCallback((string) $payment['content'], $due);
        } catch (CoreError $e) {
            self::back($order, 'error', $e->forAdmin());
        }
        self::back($order, 'success', sprintf(
            /* translators: %s: amount */
            __('VietQR sandbox will send a test transfer of %s; reload this page in a few seconds.', 'vietqr-for-woocommerce'),
            OrderPayment::vnd($due)
        ));
    }

    private static function authorised(string $action): \WC_Order
    {
        $orderId = isset($_GET['order_id']) ? absint(wp_unslash($_GET['order_id'])) : 0;
        if (!current_user_can('manage_woocommerce')) {
            wp_die(esc_html__('You are not allowed to do this.', 'vietqr-for-woocommerce'), '', ['response' => 403]);
        }
        check_admin_referer($action . '_' . $orderId);
        $order = wc_get_order($orderId);
        if (!$order instanceof \WC_Order) {
            wp_die(esc_html__('No such order.', 'vietqr-for-woocommerce'), '', ['response' => 404]);
        }
        return $order;
    }

    /** Back to the order screen with a one-time notice. */
    private static function back(\WC_Order $order, string $type, string $message): void
    {
        set_transient('vietqr_order_notice_' . get_current_user_id(), ['type' => $type, 'message' => $message], 5 * MINUTE_IN_SECONDS);
        wp_safe_redirect($order->get_edit_order_url());
        exit;
    }

    public static function notice(): void
    {
        $key = 'vietqr_order_notice_' . get_current_user_id();
        $notice = get_transient($key);
        if (!is_array($notice)) {
            return;
        }
        delete_transient($key);
        $type = in_array($notice['type'] ?? '', ['success', 'warning', 'error'], true) ? $notice['type'] : 'info';
        echo '<div class="notice notice-' . esc_attr($type) . ' is-dismissible"><p>'
            . esc_html((string) ($notice['message'] ?? '')) . '</p></div>';
    }
}
