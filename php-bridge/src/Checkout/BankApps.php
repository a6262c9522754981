<?php
/**
 * "Open in bank app" in the buyer's payment box: on a phone the QR on the
 * screen cannot be scanned, so the buyer taps a bank app instead. The links
 * come from the core (`deeplinks.list`, one table of apps with their
 * sources: docs/protocol.md §7) and go through VietQR.io's deep-link
 * service, which the buyer's browser opens; the shop's server sends nothing.
 * assets/js/pay.js puts the buyer's last choice first and keeps the amount
 * in step after a partial payment.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Support\Log;

final class BankApps
{
    /**
     * The links for what the buyer pays now, returning to the order's page.
     *
     * @param array<string, mixed> $view StatusRoute::publicView() of the payment
     * @return list<array{app_id: string, app_name: string, bank_name: string, autofill: bool, url: string}>
     */
    public static function links(\WC_Order $order, array $view, int $amount): array
    {
        if ($amount <= 0) {
            return [];
        }
        try {
            $links = Core::value('deeplinks.list', [
                'bank' => (string) $view['bank'],
                'account' => (string) $view['account'],
                'amount' => $amount,
                'content' => (string) $view['content'],
                'holder' => (string) $view['holder'],
                'return_url' => (string) $order->get_checkout_order_received_url(),
            ]);
        } catch (CoreError $e) {
            // The QR and the details still let the buyer pay.
            Log::warning('no bank-app links for this payment', ['order' => (int) $order->get_id(), 'code' => $e->errorCode]);
            return [];
        }
        return array_values(array_filter((array) $links, 'is_array'));
    }

    /**
     * The list, in a <details> that pay.js opens on a phone (on a larger
     * screen it stays a small closed line under the QR).
     *
     * @param list<array<string, mixed>> $links
     */
    public static function render(array $links): void
    {
        if ($links === []) {
            return;
        }
        ?>
    <details class="vietqr-pay__apps">
        <summary><?php esc_html_e('Open in bank app', 'vietqr-for-woocommerce'); ?></summary>
        <p class="vietqr-pay__apps-hint"><?php esc_html_e('Paying from this phone? Tap your bank: its app opens with this transfer, then brings you back to this page.', 'vietqr-for-woocommerce'); ?></p>
        <ul class="vietqr-pay__apps-list">
            <?php foreach ($links as $link) : ?>
            <li data-app="<?php echo esc_attr((string) $link['app_id']); ?>">
                <a class="vietqr-pay__app" href="<?php echo esc_url((string) $link['url'], ['https']); ?>" data-app="<?php echo esc_attr((string) $link['app_id']); ?>" rel="noopener"><?php echo esc_html((string) $link['app_name']); ?></a>
                <?php if ($link['autofill']) : ?>
                <small><?php esc_html_e('fills in account, amount and content', 'vietqr-for-woocommerce'); ?></small>
                <?php else : ?>
                <small><?php esc_html_e('opens the app; enter the details yourself', 'vietqr-for-woocommerce'); ?></small>
                <?php endif; ?>
            </li>
            <?php endforeach; ?>
        </ul>
    </details>
        <?php
    }
}
