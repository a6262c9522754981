<?php
/**
 * The buyer's payment box on the "order received" and "view order" pages:
 * the transfer details rendered by PHP (usable without JavaScript) and
 * assets/js/pay.js, which draws the QR with the core (WASM), counts down to
 * expiry and follows the payment's status without reloading the page.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Payments\StatusRoute;
use VietQR\Plugin;

final class BuyerPage
{
    public const SCRIPT = 'vietqr-pay';

    /** @var array<int, true> orders whose box this request has printed (the block template has two places for it) */
    private static $rendered = [];

    /** @var int the order WooCommerce allowed this request to show on its order-confirmation block template */
    private static $confirmed = 0;

    /** @var bool WooCommerce's order-confirmation status block is being rendered */
    private static $inStatusBlock = false;

    /** @param mixed $orderId */
    public static function thankYou($orderId): void
    {
        $order = wc_get_order((int) $orderId);
        if ($order instanceof \WC_Order) {
            self::render($order);
        }
    }

    /**
     * @param mixed $block the parsed block about to render
     * @return mixed
     */
    public static function blockStarts($block)
    {
        if (is_array($block) && ($block['blockName'] ?? '') === 'woocommerce/order-confirmation-status') {
            self::$inStatusBlock = true;
        }
        return $block;
    }

    /**
     * The top of the order-received page, fired only for a visitor WooCommerce
     * lets see the order (key, owner or confirmed e-mail). The classic
     * template gets the box here, first; the block template's status block
     * fires it before its heading, so there the box follows the block.
     *
     * @param mixed $orderId
     */
    public static function beforeThankYou($orderId): void
    {
        if (self::$inStatusBlock) {
            self::$confirmed = (int) $orderId;
            return;
        }
        $order = wc_get_order((int) $orderId);
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID) {
            self::render($order);
        }
    }

    /**
     * After WooCommerce's status block ("Order received"): the payment box for
     * a visitor allowed to see the order, else a line saying how to pay.
     *
     * @param mixed $content
     * @return mixed
     */
    public static function afterStatusBlock($content)
    {
        self::$inStatusBlock = false;
        $order = self::$confirmed > 0 ? wc_get_order(self::$confirmed) : null;
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID) {
            ob_start();
            self::render($order);
            return $content . (string) ob_get_clean();
        }
        $order = self::requestedOrder();
        if ($order !== null && $order->has_status(['on-hold', 'pending'])) {
            // WooCommerce hides the order until the guest confirms the e-mail (after its grace period).
            $content .= '<p class="vietqr-pay-verify">' . esc_html__('To see the VietQR code again, enter the e-mail address of your order above. The payment details and the QR code are also in the e-mail we sent you.', 'vietqr-for-woocommerce') . '</p>';
        }
        return $content;
    }

    /** The VietQR order of the order-received URL being served, when its key matches. */
    private static function requestedOrder(): ?\WC_Order
    {
        $orderId = absint(get_query_var('order-received'));
        $key = isset($_GET['key']) ? sanitize_text_field(wp_unslash((string) $_GET['key'])) : ''; // phpcs:ignore WordPress.Security.NonceVerification -- the order key is the credential
        $order = $orderId > 0 ? wc_get_order($orderId) : null;
        if (!$order instanceof \WC_Order || $order->get_payment_method() !== Gateway::ID || !is_string($key) || !$order->key_is_valid($key)) {
            return null;
        }
        return $order;
    }

    /** @param mixed $orderId */
    public static function viewOrder($orderId): void
    {
        $order = wc_get_order((int) $orderId);
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID && $order->has_status(['on-hold', 'pending'])) {
            self::render($order);
        }
    }

    public static function render(\WC_Order $order): void
    {
        $payment = OrderPayment::forOrder($order);
        if ($payment === null || isset(self::$rendered[(int) $order->get_id()])) {
            return;
        }
        self::$rendered[(int) $order->get_id()] = true;
        $conversion = Currency::describe($order);
        $view = StatusRoute::publicView($payment);
        $data = [
            'key' => (string) $payment['public_key'],
            'statusUrl' => rest_url(Plugin::REST_NAMESPACE . '/payments/' . $payment['public_key']),
            'payment' => $view,
            'timezone' => wp_timezone_string(),
            'expiresText' => OrderPayment::time((int) $payment['expires_at']),
            'i18n' => [
                'waiting' => __('Waiting for your transfer…', 'vietqr-for-woocommerce'),
                'paid' => __('Paid — thank you!', 'vietqr-for-woocommerce'),
                'expired' => __('This QR code has expired. Contact the shop if you already paid.', 'vietqr-for-woocommerce'),
                'refunded' => __('This payment was refunded.', 'vietqr-for-woocommerce'),
                /* translators: 1: amount received so far, 2: amount still due */
                'partial' => __('Received %1$s — still due %2$s. Please transfer the rest with the same transfer content.', 'vietqr-for-woocommerce'),
                /* translators: %s: time left, e.g. 14:59 */
                'expiresIn' => __('The QR code expires in %s', 'vietqr-for-woocommerce'),
                'copy' => __('Copy', 'vietqr-for-woocommerce'),
                'copied' => __('Copied', 'vietqr-for-woocommerce'),
                'qrFailed' => __('The QR code could not be drawn: transfer with the details below.', 'vietqr-for-woocommerce'),
                'shareTitle' => __('VietQR code for your order', 'vietqr-for-woocommerce'),
                'runOut' => __('This QR code has run out.', 'vietqr-for-woocommerce'),
            ],
        ];
        wp_enqueue_style('vietqr-pay', Plugin::url('assets/css/pay.css'), [], VIETQR_PLUGIN_VERSION);
        wp_enqueue_script(self::SCRIPT, Plugin::url('assets/js/pay.js'), [], VIETQR_PLUGIN_VERSION, true);

        $status = $view['paid'] ? $data['i18n']['paid'] : ($view['status'] === 'expired' ? $data['i18n']['expired'] : $data['i18n']['waiting']);
        $toPay = $view['status'] === 'partial' ? (int) $view['due'] : (int) $view['amount'];
        $rows = [
            'bank' => [__('Bank', 'vietqr-for-woocommerce'), OrderPayment::bankName((string) $view['bank']), (string) $view['bank']],
            'account' => [__('Account number', 'vietqr-for-woocommerce'), (string) $view['account'], (string) $view['account']],
            'holder' => [__('Account holder', 'vietqr-for-woocommerce'), (string) $view['holder'], (string) $view['holder']],
            // After a partial payment: what is still due (the QR asks for that too).
            'amount' => [__('Amount', 'vietqr-for-woocommerce'), OrderPayment::vnd((int) $toPay), (string) $toPay, $conversion],
            'content' => [__('Transfer content', 'vietqr-for-woocommerce'), (string) $view['content'], (string) $view['content']],
        ];
        $live = in_array($view['status'], ['pending', 'partial'], true);
        $apps = $live ? BankApps::links($order, $view, $toPay) : [];
        // The payment link gives a fresh QR while the order waits on-hold (Gateway::payableStatuses);
        // a cancelled order has given its stock back and is not paid again.
        $renewUrl = $live && $order->has_status('on-hold') ? (string) $order->get_checkout_payment_url() : '';
        $runOut = $renewUrl !== '' && (int) $view['expires_at'] <= (int) $view['now'];
        ?>
<section class="vietqr-pay" data-vietqr="<?php echo esc_attr((string) wp_json_encode($data)); ?>" data-status="<?php echo esc_attr((string) $view['status']); ?>">
    <h2 class="vietqr-pay__title"><?php esc_html_e('Pay by bank transfer (VietQR)', 'vietqr-for-woocommerce'); ?></h2>
    <p class="vietqr-pay__status" role="status" aria-live="polite"><?php echo esc_html($status); ?></p>
    <p class="vietqr-pay__due" hidden></p>
    <?php if ($renewUrl !== '') : ?>
    <p class="vietqr-pay__renew"<?php echo esc_attr($runOut ? '' : ' hidden'); ?>>
        <span><?php echo esc_html($data['i18n']['runOut']); ?></span>
        <a href="<?php echo esc_url($renewUrl); ?>"><?php esc_html_e('Get a new QR code for what is still due', 'vietqr-for-woocommerce'); ?></a>
    </p>
    <?php endif; ?>
    <div class="vietqr-pay__qr" role="img" aria-label="<?php esc_attr_e('VietQR code: scan it with your banking app', 'vietqr-for-woocommerce'); ?>"></div>
    <div class="vietqr-pay__tools" hidden>
        <button type="button" class="vietqr-pay__save"><?php esc_html_e('Save QR image', 'vietqr-for-woocommerce'); ?></button>
        <button type="button" class="vietqr-pay__share" hidden><?php esc_html_e('Share', 'vietqr-for-woocommerce'); ?></button>
        <small class="vietqr-pay__save-hint"><?php esc_html_e('Paying from this phone? Save the image, then in your bank app choose "Scan QR" and pick it from the gallery.', 'vietqr-for-woocommerce'); ?></small>
    </div>
    <?php BankApps::render($apps); ?>
    <p class="vietqr-pay__hint"><?php esc_html_e('Scan the code with your banking app, or transfer with these details:', 'vietqr-for-woocommerce'); ?></p>
    <dl class="vietqr-pay__details">
        <?php foreach ($rows as $field => $row) : ?>
        <dt><?php echo esc_html($row[0]); ?></dt>
        <dd>
            <span data-field="<?php echo esc_attr($field); ?>"><?php echo esc_html($row[1]); ?></span>
            <button type="button" class="vietqr-pay__copy" data-copy="<?php echo esc_attr($row[2]); ?>" hidden><?php esc_html_e('Copy', 'vietqr-for-woocommerce'); ?></button>
            <?php if (($row[3] ?? null) !== null) : ?>
            <small class="vietqr-pay__conversion" data-field="conversion"><?php echo esc_html((string) $row[3]); ?></small>
            <?php endif; ?>
        </dd>
        <?php endforeach; ?>
    </dl>
    <p class="vietqr-pay__countdown">
        <span data-field="countdown"></span>
        <?php
        /* translators: %s: date and time in the shop's time zone */
        echo esc_html(sprintf(__('(valid until %s)', 'vietqr-for-woocommerce'), $data['expiresText']));
        ?>
    </p>
</section>
        <?php
    }
}
