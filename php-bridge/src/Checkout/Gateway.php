<?php
/**
 * The `vietqr` payment gateway: the buyer pays by bank transfer to the QR
 * shown after checkout; the order waits on-hold until VietQR reports the
 * money. Only title and description are WooCommerce's gateway fields; the
 * rest is VietQR's own tabbed page on this gateway's section of WooCommerce →
 * Settings → Payments (Admin::url, admin_options below), which WooCommerce's
 * Payments page (10.x) links to through get_settings_url(), with the state
 * it shows (needs setup, linked, test mode) from the methods below.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Admin\Admin;
use VietQR\Admin\LinkShop;
use VietQR\Api\Client;
use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Ledger\Ledger;
use VietQR\Payments\Payments;
use VietQR\Payments\Rules;
use VietQR\Plugin;
use VietQR\Support\Lock;
use VietQR\Support\Log;
use VietQR\Support\Settings;

final class Gateway extends \WC_Payment_Gateway
{
    public const ID = 'vietqr';

    public function __construct()
    {
        $this->id = self::ID;
        $this->has_fields = false;
        $this->method_title = __('VietQR', 'vietqr-for-woocommerce');
        // Plain text: WooCommerce's Payments page strips markup (the settings link is get_settings_url()).
        $this->method_description = __('Bank transfer by VietQR code, confirmed automatically when the money arrives. Bank account, API access and callbacks are on the VietQR settings page.', 'vietqr-for-woocommerce');
        $this->icon = Plugin::url('assets/images/vietqr.svg');
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
                'title' => __('Enable/Disable', 'vietqr-for-woocommerce'),
                'type' => 'checkbox',
                'label' => __('Enable VietQR bank transfer', 'vietqr-for-woocommerce'),
                'default' => 'no',
            ],
            'title' => [
                'title' => __('Title', 'vietqr-for-woocommerce'),
                'type' => 'text',
                'description' => __('What the buyer sees at checkout.', 'vietqr-for-woocommerce'),
                'default' => __('Bank transfer (VietQR)', 'vietqr-for-woocommerce'),
                'desc_tip' => true,
            ],
            'description' => [
                'title' => __('Description', 'vietqr-for-woocommerce'),
                'type' => 'textarea',
                'default' => __('Scan the VietQR code with your banking app after placing the order. The order is confirmed as soon as the transfer arrives.', 'vietqr-for-woocommerce'),
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
        return parent::is_available() && self::configured() && Currency::accepted(self::cartCurrency());
    }

    /** The currency the buyer is paying in: the order's on the pay-for-order page, else the store's. */
    private static function cartCurrency(): string
    {
        global $wp;
        $orderId = isset($wp->query_vars['order-pay']) ? absint($wp->query_vars['order-pay']) : 0;
        $order = $orderId > 0 ? wc_get_order($orderId) : null;
        return $order instanceof \WC_Order ? (string) $order->get_currency() : Currency::store();
    }

    /** At checkout, a store not in VND says how its prices become đồng. */
    public function get_description()
    {
        $description = parent::get_description();
        $rate = Currency::rate();
        $currency = Currency::store();
        if ($currency !== Currency::VND && $rate !== null) {
            $description .= ($description !== '' ? ' ' : '') . sprintf(
                /* translators: 1: the store's currency code, 2: đồng per one unit, e.g. 25.000 ₫ */
                __('You pay in Vietnamese đồng at 1 %1$s = %2$s.', 'vietqr-for-woocommerce'),
                $currency,
                Currency::rateText($rate)
            );
        }
        return $description;
    }

    /**
     * VietQR's section of WooCommerce's settings: the tab bar (links, inside
     * WooCommerce's form), and on the Settings tab WooCommerce's own fields
     * (enable, title, description) with WooCommerce's Save button; each tab's
     * content and forms follow the form (Admin::afterWooSettings).
     */
    public function admin_options()
    {
        echo '<h2 class="vietqr-section-title">' . esc_html($this->get_method_title()) . '</h2>';
        Admin::nav();
        if (Admin::currentTab() !== 'settings') {
            $GLOBALS['hide_save_button'] = true; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WooCommerce's own switch for its Save button
            return;
        }
        echo '<h2>' . esc_html__('At checkout', 'vietqr-for-woocommerce') . '</h2>';
        echo '<table class="form-table">';
        $this->generate_settings_html();
        echo '</table>';
    }

    // WooCommerce 10's Payments page reads the state below (PaymentsProviders\PaymentGateway).

    public function get_settings_url(): string
    {
        return Admin::url();
    }

    /** No bank account yet: nothing can be paid. */
    public function needs_setup()
    {
        return !self::configured();
    }

    /**
     * The money has somewhere to go: a bank account, and in API mode the
     * API account that makes the QR codes. Local mode needs no VietQR account.
     */
    public function is_account_connected(): bool
    {
        return self::configured() && (Settings::get('qr_mode') !== 'api' || Settings::hasApiAccount());
    }

    /**
     * Onboarding is linking the shop to VietQR (README, install step 4):
     * started once VietQR issued the certificate, completed once the owner
     * scanned it and picked the account that VietQR reports transfers of.
     */
    public function is_onboarding_started(): bool
    {
        return LinkShop::get()['client_id'] !== '';
    }

    public function is_onboarding_completed(): bool
    {
        return LinkShop::get()['linked_account'] !== null;
    }

    /** Sandbox (or a custom host): what the Payments page shows as test mode. */
    public function is_test_mode(): bool
    {
        return Settings::isSandbox();
    }

    /** A link made in the sandbox is a test account. */
    public function is_test_mode_onboarding(): bool
    {
        return Settings::isSandbox();
    }

    /**
     * "Complete setup": the settings tab while no bank account is set, then
     * the link-shop tab; either shows a way back to `$returnUrl`.
     */
    public function get_connection_url(string $returnUrl = ''): string
    {
        $url = Admin::url(self::configured() ? 'link' : 'settings');
        if ($returnUrl !== '') {
            $url = add_query_arg('return_to', rawurlencode($returnUrl), $url);
        }
        return $url;
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
        $price = Currency::forOrder($order);
        if ($price === null) {
            wc_add_notice(sprintf(
                /* translators: %s: the order's currency code, e.g. USD */
                __('VietQR takes transfers in Vietnamese đồng only, and this order is in %s. Please choose another payment method.', 'vietqr-for-woocommerce'),
                (string) $order->get_currency()
            ), 'error');
            return ['result' => 'failure'];
        }
        if (PayPageAccess::isPayPageRequest($order) && !PayPageAccess::mayChange($order)) {
            // The order key alone (a forwarded e-mail, a shared link) changes nothing.
            return $this->forStranger($order);
        }
        // One request at a time per order: of any number of concurrent "pay"
        // requests, the first makes the new QR and the others find it live.
        [$had, $result] = Lock::run('vietqr_pay_' . (int) $order->get_id(), self::PAY_LOCK_WAIT, function () use ($order, $price): array {
            return $this->startOrRenew($order, $price);
        });
        if (!$had) {
            wc_add_notice(__('This order\'s payment is being prepared in another window. Please wait a moment, then reload this page.', 'vietqr-for-woocommerce'), 'error');
            return ['result' => 'failure'];
        }
        if ($result['payment'] === null) {
            return ['result' => 'failure'];
        }
        return $this->awaiting($order, $result['payment'], $result['price']);
    }

    /** Seconds a "pay" request waits for another one of the same order (an API-mode QR takes one VietQR call). */
    private const PAY_LOCK_WAIT = 20;

    /**
     * The order's live QR again (valid for another lifetime), or a new one
     * for what is still due. Runs under the order's pay lock, so the payment
     * it reads is the newest one (SQL, not the order object loaded before
     * the lock).
     *
     * @param array<string, mixed> $price Currency::forOrder()
     * @return array{payment: array<string, mixed>|null, price: array<string, mixed>} payment null: refused, with a notice
     */
    private function startOrRenew(\WC_Order $order, array $price): array
    {
        $orderId = (int) $order->get_id();
        $current = Payments::forOrder($orderId);
        $kept = $current !== null ? Currency::kept($order) : null;
        if ($kept !== null && $kept['currency'] === $price['currency'] && (string) $kept['total'] === $price['total']) {
            $price = $kept; // paying again: at the rate the buyer was shown first
        }
        $amount = (int) $price['vnd'];
        if ($amount <= 0) {
            // A payment completes only on money received: there is no transfer of 0 ₫.
            wc_add_notice(__('This order comes to 0 ₫, and a bank transfer cannot be for nothing. Please choose another payment method.', 'vietqr-for-woocommerce'), 'error');
            return ['payment' => null, 'price' => $price];
        }
        if ($current !== null && Rules::isLive($current, time())) {
            // Back through the payment link while a QR is still open (or part is paid):
            // that QR again, valid for another lifetime, never a second one beside it.
            Payments::renew($current);
            return ['payment' => $current, 'price' => $price];
        }
        // A QR that ran out: a new one for what is still due (money that came
        // to an earlier QR of this order counts), and the old one is closed.
        $due = $amount - Payments::receivedForOrder($orderId);
        if ($due <= 0) {
            wc_add_notice(__('This order has been paid already. Please contact the shop if it does not show as paid.', 'vietqr-for-woocommerce'), 'error');
            return ['payment' => null, 'price' => $price];
        }
        try {
            $payment = Payments::create($orderId, $due);
        } catch (\Throwable $e) {
            Log::warning('could not create a VietQR payment', ['order' => $orderId, 'error' => $e->getMessage()]);
            wc_add_notice(__('The VietQR payment could not be started. Please try again, or choose another payment method.', 'vietqr-for-woocommerce'), 'error');
            return ['payment' => null, 'price' => $price];
        }
        $order->update_meta_data(OrderPayment::META_KEY, (string) $payment['public_key']);
        $order->update_meta_data(Currency::META_KEY, (string) wp_json_encode($price));
        $order->save();
        if ($current !== null) {
            Payments::closeOthers($orderId, (int) $payment['id']);
            $order->add_order_note(sprintf(
                /* translators: %s: amount of the new QR code */
                __('The buyer asked for a new VietQR code (the previous one expired): %s.', 'vietqr-for-woocommerce'),
                OrderPayment::vnd((int) $payment['amount'])
            ));
        }
        return ['payment' => $payment, 'price' => $price];
    }

    /**
     * Someone WooCommerce would not show the payment form to: the order's
     * live QR as it is (its page applies WooCommerce's own checks), or, when
     * none is live, a word that the shop makes a new one. Nothing changes.
     *
     * @return array<string, string>
     */
    private function forStranger(\WC_Order $order): array
    {
        $current = OrderPayment::forOrder($order);
        if ($current !== null && Rules::isLive($current, time())) {
            return ['result' => 'success', 'redirect' => $this->get_return_url($order)];
        }
        wc_add_notice(__('A new QR code for this order can be made only for its buyer. Log in to the account that placed it, or open the payment link from the order e-mail and confirm its e-mail address; otherwise please contact the shop.', 'vietqr-for-woocommerce'), 'error');
        return ['result' => 'failure'];
    }

    /**
     * The order waits on-hold for the transfer to `$payment`, its stock held
     * (once per line: WooCommerce marks each line it reduced).
     *
     * @param array<string, mixed> $payment
     * @param array<string, mixed> $price Currency::forOrder()
     * @return array<string, string>
     */
    private function awaiting(\WC_Order $order, array $payment, array $price): array
    {
        if (!$order->has_status('on-hold')) {
            $order->update_status('on-hold', $price['rate'] === null
                ? __('Awaiting VietQR transfer.', 'vietqr-for-woocommerce')
                /* translators: %s: e.g. "25.00 USD = 625.000 ₫ (1 USD = 25.000 ₫)" */
                : sprintf(__('Awaiting VietQR transfer: %s.', 'vietqr-for-woocommerce'), Currency::text($price['currency'], $price['total'], (string) $price['rate'], (int) $payment['amount'])));
        }
        wc_reduce_stock_levels((int) $order->get_id());
        return $this->done($order);
    }

    /**
     * The order's payment link (pay-for-order page, WooCommerce's "pay" link
     * in e-mails) also opens for a VietQR order waiting on-hold for its
     * transfer, so a buyer whose QR ran out gets a fresh one there
     * (process_payment()). Only on that page and for that order: everywhere
     * else (checkout, My Account, status changes) WooCommerce's own rule stays.
     * A cancelled order stays unpayable: its stock went back when it was cancelled.
     *
     * @param mixed $statuses
     * @param mixed $order
     * @return mixed
     */
    public static function payableStatuses($statuses, $order = null)
    {
        global $wp;
        if (!is_array($statuses) || !$order instanceof \WC_Order || $order->get_payment_method() !== self::ID || !$order->has_status('on-hold')) {
            return $statuses;
        }
        $payPage = isset($wp->query_vars['order-pay']) ? absint($wp->query_vars['order-pay']) : 0;
        $payment = $payPage === (int) $order->get_id() ? OrderPayment::forOrder($order) : null;
        if ($payment !== null && in_array($payment['status'], ['pending', 'partial', 'expired'], true)) {
            $statuses[] = 'on-hold';
        }
        return $statuses;
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
            return new \WP_Error('vietqr_refund', __('This order has no VietQR payment to refund.', 'vietqr-for-woocommerce'));
        }
        // WooCommerce's refund amount is in the order's currency: back to đồng at the rate the buyer paid.
        $kept = Currency::kept($order);
        $rate = $kept !== null && $kept['rate'] !== null ? (float) $kept['rate'] : 1.0;
        $vnd = (int) round((float) $amount * $rate);
        if ($vnd <= 0) {
            return new \WP_Error('vietqr_refund', __('Enter a refund amount greater than zero.', 'vietqr-for-woocommerce'));
        }
        $reference = self::referenceFor((int) $payment['id'], $vnd);
        if ($reference === null) {
            return new \WP_Error('vietqr_refund', __('No received VietQR transfer of at least this amount was found for this order; refund it from your bank instead.', 'vietqr-for-woocommerce'));
        }
        try {
            $text = (string) $reason !== ''
                ? (string) $reason
                /* translators: %s: order number */
                : sprintf(__('Refund order %s', 'vietqr-for-woocommerce'), $order->get_order_number());
            $content = (string) Core::value('text.fold', ['text' => $text, 'max_len' => 50])['text'];
            $result = (new Client())->refund($reference, $vnd, $content);
        } catch (CoreError $e) {
            return new \WP_Error('vietqr_refund', $e->forAdmin());
        }
        $order->add_order_note(sprintf(
            /* translators: 1: amount, 2: bank reference of the original transfer, 3: VietQR's refund code */
            __('VietQR refund of %1$s sent for bank transfer %2$s. Refund code: %3$s.', 'vietqr-for-woocommerce'),
            OrderPayment::vnd($vnd),
            esc_html($reference), // notes are shown as HTML: a bank's and VietQR's words go in as text
            esc_html((string) ($result['refund_code'] ?? ''))
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
