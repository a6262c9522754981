<?php
/**
 * Who may change an order's VietQR payment from WooCommerce's payment page
 * (the "pay" link): whoever WooCommerce itself would show that order's
 * payment form to. WooCommerce's form handler needs only the order key to
 * call the gateway, and the key travels in e-mails and shared links, so the
 * gateway asks again what the page asks: the `pay_for_order` capability
 * (the order's own customer, or anyone for a guest order), and for a guest
 * past WooCommerce's grace period the billing e-mail (from the buyer's
 * session, or typed into WooCommerce's e-mail check, which this class
 * carries from that check into the payment form). Someone holding the key
 * alone gets the live QR shown, never a new one (Gateway::process_payment).
 */

declare(strict_types=1);

namespace VietQR\Checkout;

final class PayPageAccess
{
    /** The payment form's field that carries the e-mail the buyer confirmed. */
    public const EMAIL_FIELD = 'vietqr_confirmed_email';

    /** Whether this request is WooCommerce's payment-page form for `$order` (not checkout, not the Store API). */
    public static function isPayPageRequest(\WC_Order $order): bool
    {
        global $wp;
        return did_action('woocommerce_before_pay_action') > 0
            && isset($wp->query_vars['order-pay'])
            && absint($wp->query_vars['order-pay']) === (int) $order->get_id();
    }

    /** Whether this visitor may have a payment of `$order` started or renewed from the payment page. */
    public static function mayChange(\WC_Order $order): bool
    {
        return current_user_can('pay_for_order', (int) $order->get_id()) && !self::emailCheckNeeded($order);
    }

    /**
     * WooCommerce's own rule (8.0 on) for showing the payment page without
     * the e-mail check; WooCommerce 7.x shows it to anyone with the key.
     */
    private static function emailCheckNeeded(\WC_Order $order): bool
    {
        $users = 'Automattic\\WooCommerce\\Internal\\Utilities\\Users';
        if (!is_callable([$users, 'should_user_verify_order_email'])) {
            return false;
        }
        // phpcs:ignore WordPress.Security.NonceVerification.Missing -- compared with the order's billing e-mail by WooCommerce, never stored; WooCommerce's own form checked the nonce when it was typed
        $confirmed = isset($_POST[self::EMAIL_FIELD]) ? sanitize_email(wp_unslash((string) $_POST[self::EMAIL_FIELD])) : null;
        return (bool) call_user_func([$users, 'should_user_verify_order_email'], (int) $order->get_id(), $confirmed !== '' ? $confirmed : null, 'order-pay');
    }

    /**
     * `woocommerce_pay_order_before_submit`: the payment form WooCommerce
     * shows right after its e-mail check keeps the e-mail that passed it, so
     * the form's own request passes the same check in mayChange().
     */
    public static function carryConfirmedEmail(): void
    {
        if (!isset($_POST['email'], $_POST['check_submission'])
            || !wp_verify_nonce(sanitize_text_field(wp_unslash((string) $_POST['check_submission'])), 'wc_verify_email')) {
            return;
        }
        $email = sanitize_email(wp_unslash((string) $_POST['email']));
        if ($email !== '') {
            echo '<input type="hidden" name="' . esc_attr(self::EMAIL_FIELD) . '" value="' . esc_attr($email) . '">';
        }
    }
}
