<?php
/**
 * Personal data the plugin keeps: the ledger holds what came with each bank
 * transfer, and its transfer content often carries the payer's name (bank
 * apps add it). WordPress's personal-data tools find it by the e-mail of
 * the orders it paid: exported as it is, erased by blanking the content.
 * Amount, bank reference and time stay: they are the shop's payment record
 * (tax and refunds need them) and identify no one by themselves.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Ledger\Ledger;

final class Privacy
{
    public const ID = 'vietqr-for-woocommerce';

    /** Orders per page of an export or erasure request. */
    private const PAGE = 20;

    /**
     * @param mixed $exporters
     * @return mixed
     */
    public static function exporters($exporters)
    {
        if (is_array($exporters)) {
            $exporters[self::ID] = ['exporter_friendly_name' => __('VietQR bank transfers', 'vietqr-for-woocommerce'), 'callback' => [self::class, 'export']];
        }
        return $exporters;
    }

    /**
     * @param mixed $erasers
     * @return mixed
     */
    public static function erasers($erasers)
    {
        if (is_array($erasers)) {
            $erasers[self::ID] = ['eraser_friendly_name' => __('VietQR bank transfers', 'vietqr-for-woocommerce'), 'callback' => [self::class, 'erase']];
        }
        return $erasers;
    }

    /** @return array{data: list<array<string, mixed>>, done: bool} */
    public static function export(string $email, int $page = 1): array
    {
        [$orders, $done] = self::orders($email, $page);
        $data = [];
        foreach ($orders as $order) {
            foreach (self::ledgerRows($order) as $row) {
                $data[] = [
                    'group_id' => 'vietqr-transfers',
                    'group_label' => __('VietQR bank transfers', 'vietqr-for-woocommerce'),
                    'item_id' => 'vietqr-transfer-' . (int) $row['id'],
                    'data' => [
                        ['name' => __('Order', 'vietqr-for-woocommerce'), 'value' => $order->get_order_number()],
                        ['name' => __('Amount', 'vietqr-for-woocommerce'), 'value' => OrderPayment::vnd((int) $row['amount'])],
                        ['name' => __('Transfer content', 'vietqr-for-woocommerce'), 'value' => (string) $row['content']],
                        ['name' => __('Bank reference', 'vietqr-for-woocommerce'), 'value' => (string) $row['reference_number']],
                        ['name' => __('Received', 'vietqr-for-woocommerce'), 'value' => (string) $row['received_at'] . ' UTC'],
                    ],
                ];
            }
        }
        return ['data' => $data, 'done' => $done];
    }

    /** @return array{items_removed: bool, items_retained: bool, messages: list<string>, done: bool} */
    public static function erase(string $email, int $page = 1): array
    {
        [$orders, $done] = self::orders($email, $page);
        $removed = false;
        $retained = false;
        foreach ($orders as $order) {
            foreach (self::ledgerRows($order) as $row) {
                $retained = true;
                if ((string) $row['content'] !== '') {
                    Ledger::eraseContent((int) $row['id']);
                    $removed = true;
                }
            }
        }
        $messages = $retained
            ? [__('VietQR bank transfers: the transfer contents were erased; amounts, bank references and times are kept as the shop\'s payment records.', 'vietqr-for-woocommerce')]
            : [];
        return ['items_removed' => $removed, 'items_retained' => $retained, 'messages' => $messages, 'done' => $done];
    }

    /** Suggested text for the site's privacy policy (Settings → Privacy). */
    public static function policy(): void
    {
        if (!function_exists('wp_add_privacy_policy_content')) {
            return;
        }
        wp_add_privacy_policy_content(
            __('VietQR for WooCommerce', 'vietqr-for-woocommerce'),
            wp_kses_post(wpautop(
                __('When you pay an order by bank transfer with VietQR, VietQR.vn (the payment service this shop uses) tells us about your transfer: its amount, its bank reference and time, and the transfer content your bank sends with it, which may include your name. We keep these with your order as the record of your payment. You can ask for a copy of them, or for the transfer content to be erased; amounts, references and times stay as the shop\'s payment records.', 'vietqr-for-woocommerce')
                . "\n\n"
                . __('To make the QR code, this shop may send VietQR.vn the order\'s amount and reference and the shop\'s bank account (never your name or contact details).', 'vietqr-for-woocommerce')
                // Said only when the owner turned Telegram alerts on (readme.txt, External services).
                . (\VietQR\Alerts\Alerts::telegramOn()
                    ? "\n\n" . __('The shop owner is told about payments through Telegram (telegram.org): the order number, the amounts and the bank reference, and for a transfer that matched no order its transfer content, go to the owner\'s Telegram chat.', 'vietqr-for-woocommerce')
                    : '')
            ))
        );
    }

    /**
     * The VietQR orders with this billing e-mail, one page of them.
     *
     * @return array{0: list<\WC_Order>, 1: bool} [orders, whether this was the last page]
     */
    private static function orders(string $email, int $page): array
    {
        if (!function_exists('wc_get_orders') || !is_email($email)) {
            return [[], true];
        }
        $orders = wc_get_orders([
            'billing_email' => $email,
            'payment_method' => Gateway::ID,
            'limit' => self::PAGE,
            'page' => max(1, $page),
            'orderby' => 'ID',
            'order' => 'ASC',
        ]);
        $orders = array_values(array_filter(is_array($orders) ? $orders : [], static function ($o): bool {
            return $o instanceof \WC_Order;
        }));
        return [$orders, count($orders) < self::PAGE];
    }

    /**
     * Every transfer tied to the order: to any of its payments (a QR that
     * was replaced, a late transfer to it, an unmatched transfer the owner
     * assigned, one refunded since), not only to its current QR.
     *
     * @return list<array<string, mixed>>
     */
    private static function ledgerRows(\WC_Order $order): array
    {
        return Ledger::forOrder((int) $order->get_id());
    }
}
