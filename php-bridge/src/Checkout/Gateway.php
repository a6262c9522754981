<?php
/**
 * The `vietqr` payment gateway: the buyer pays by bank transfer to the QR
 * shown after checkout; the order waits on-hold until VietQR reports the
 * money. Only title and description are set here; everything else is on the
 * plugin's own settings page (admin.php?page=vietqr).
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Api\Client;
use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Payments;
use VietQR\Support\Log;
use VietQR\Support\Settings;

final class Gateway extends \WC_Payment_Gateway
{
    public const ID = 'vietqr';

    public function __construct()
    {
        $this->id = self::ID;
        $this->has_fields = false;
        $this->method_title = __('VietQR', 'vietqr');
        $this->method_description = sprintf(
            /* translators: %s: link to the VietQR settings page */
            __('Bank transfer by VietQR code. Bank account, API access and callbacks are set on the %s page.', 'vietqr'),
            '<a href="' . esc_url(admin_url('admin.php?page=vietqr')) . '">' . esc_html__('VietQR settings', 'vietqr') . '</a>'
        );
        $this->supports = ['products', 'refunds'];
        $this->init_form_fields();
        $this->init_settings();
        $this->title = (string) $this->get_option('title');
        $this->description = (string) $this->get_option('description');
        add_action('woocommerce_update_options_payment_gateways_' . $this->id, [$this, 'process_admin_options']);
    }

    public function init_form_fields()
    {
        $this->form_fields = [
            'enabled' => [
                'title' => __('Enable/Disable', 'vietqr'),
                'type' => 'checkbox',
                'label' => __('Enable VietQR bank transfer', 'vietqr'),
                'default' => 'no',
            ],
            'title' => [
                'title' => __('Title', 'vietqr'),
                'type' => 'text',
                'description' => __('What the buyer sees at checkout.', 'vietqr'),
                'default' => __('Bank transfer (VietQR)', 'vietqr'),
                'desc_tip' => true,
            ],
            'description' => [
                'title' => __('Description', 'vietqr'),
                'type' => 'textarea',
                'default' => __('Scan the VietQR code with your banking app after placing the order. The order is confirmed as soon as the transfer arrives.', 'vietqr'),
                'desc_tip' => true,
            ],
        ];
    }

    /** Whether the plugin knows where the money should go. */
    public static function configured(): bool
    {
        return (string) Settings::get('bank') !== '' && (string) Settings::get('account') !== '';
    }

    public function is_available()
    {
        return parent::is_available() && self::configured();
    }

    /**
     * @param int $order_id
     * @return array<string, string>
     */
    public function process_payment($order_id)
    {
        $order = wc_get_order($order_id);
        if (!$order instanceof \WC_Order) {
            return ['result' => 'failure'];
        }
        $amount = (int) round((float) $order->get_total());
        if ($amount <= 0) {
            $order->payment_complete();
            return $this->done($order);
        }
        try {
            $payment = Payments::create((int) $order->get_id(), $amount);
        } catch (\Throwable $e) {
            Log::warning('could not create a VietQR payment', ['order' => (int) $order->get_id(), 'error' => $e->getMessage()]);
            wc_add_notice(__('The VietQR payment could not be started. Please try again, or choose another payment method.', 'vietqr'), 'error');
            return ['result' => 'failure'];
        }
        $order->update_meta_data(OrderPayment::META_KEY, (string) $payment['public_key']);
        $order->save();
        $order->update_status('on-hold', __('Awaiting VietQR transfer.', 'vietqr'));
        wc_reduce_stock_levels((int) $order->get_id());
        return $this->done($order);
    }

    /** @return array<string, string> */
    private function done(\WC_Order $order): array
    {
        if (isset(WC()->cart)) {
            WC()->cart->empty_cart();
        }
        return ['result' => 'success', 'redirect' => $this->get_return_url($order)];
    }

    /**
     * Sends a refund through VietQR for the transfer that paid the order.
     *
     * @param int        $order_id
     * @param float|null $amount
     * @param string     $reason
     * @return bool|\WP_Error
     */
    public function process_refund($order_id, $amount = null, $reason = '')
    {
        $order = wc_get_order($order_id);
        $payment = $order instanceof \WC_Order ? OrderPayment::forOrder($order) : null;
        if ($payment === null) {
            return new \WP_Error('vietqr_refund', __('This order has no VietQR payment to refund.', 'vietqr'));
        }
        $vnd = (int) round((float) $amount);
        if ($vnd <= 0) {
            return new \WP_Error('vietqr_refund', __('Enter a refund amount greater than zero.', 'vietqr'));
        }
        $reference = self::referenceFor((int) $payment['id'], $vnd);
        if ($reference === null) {
            return new \WP_Error('vietqr_refund', __('No received VietQR transfer of at least this amount was found for this order; refund it from your bank instead.', 'vietqr'));
        }
        try {
            $text = (string) $reason !== ''
                ? (string) $reason
                /* translators: %s: order number */
                : sprintf(__('Refund order %s', 'vietqr'), $order->get_order_number());
            $content = (string) Core::value('text.fold', ['text' => $text, 'max_len' => 50])['text'];
            $result = (new Client())->refund($reference, $vnd, $content);
        } catch (CoreError $e) {
            return new \WP_Error('vietqr_refund', $e->forAdmin());
        }
        $order->add_order_note(sprintf(
            /* translators: 1: amount, 2: bank reference of the original transfer, 3: VietQR's refund code */
            __('VietQR refund of %1$s sent for bank transfer %2$s. Refund code: %3$s.', 'vietqr'),
            OrderPayment::vnd($vnd),
            $reference,
            (string) ($result['refund_code'] ?? '')
        ));
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order && (float) $fresh->get_total_refunded() >= (float) $fresh->get_total()) {
            Payments::markRefunded((int) $payment['id']);
        }
        return true;
    }

    /** The bank reference of the first transfer of the payment that covers `$amount`. */
    private static function referenceFor(int $paymentId, int $amount): ?string
    {
        foreach (Ledger::forPayment($paymentId) as $row) {
            if ((int) $row['amount'] >= $amount && (string) $row['reference_number'] !== '') {
                return (string) $row['reference_number'];
            }
        }
        return null;
    }
}
