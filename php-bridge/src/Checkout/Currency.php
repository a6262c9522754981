<?php
/**
 * VietQR moves Vietnamese đồng only. An order in VND is paid as it is; an
 * order in the store's other currency only when the owner has set how many
 * đồng one unit is (settings: vnd_rate). Anything else gets no QR: a 25.00
 * USD order must never become a 25 ₫ transfer.
 */

declare(strict_types=1);

namespace VietQR\Checkout;

use VietQR\Support\Settings;

final class Currency
{
    public const VND = 'VND';

    /** Order meta keeping what the buyer was asked for: currency, total, rate, đồng. */
    public const META_KEY = '_vietqr_conversion';

    /** Đồng per one unit of the store's currency, or null when none is set. */
    public static function rate(): ?string
    {
        $rate = (string) Settings::get('vnd_rate');
        return self::validRate($rate) ? $rate : null;
    }

    /** A rate as the settings form accepts it: a positive decimal, at most 6 places. */
    public static function validRate(string $rate): bool
    {
        return (bool) preg_match('/^[0-9]{1,9}(\.[0-9]{1,6})?$/', $rate) && (float) $rate > 0;
    }

    /** Whether checkout may offer VietQR for a cart in `$currency`. */
    public static function accepted(string $currency): bool
    {
        return $currency === self::VND || ($currency === self::store() && self::rate() !== null);
    }

    public static function store(): string
    {
        return function_exists('get_woocommerce_currency') ? (string) get_woocommerce_currency() : self::VND;
    }

    /**
     * What the order costs in đồng, and how that was reached.
     *
     * @return array{vnd: int, currency: string, total: string, rate: string|null}|null null: the order's currency cannot be paid by VietQR
     */
    public static function forOrder(\WC_Order $order): ?array
    {
        $currency = (string) $order->get_currency();
        $total = (string) $order->get_total();
        if ($currency === self::VND) {
            return ['vnd' => (int) round((float) $total), 'currency' => $currency, 'total' => $total, 'rate' => null];
        }
        $rate = self::rate();
        if ($rate === null || $currency !== self::store()) {
            return null;
        }
        return ['vnd' => (int) round((float) $total * (float) $rate), 'currency' => $currency, 'total' => $total, 'rate' => $rate];
    }

    /**
     * What the order was asked for when its payment was made (forOrder(), kept
     * in the order's meta); null for an order from before, or not by VietQR.
     *
     * @return array{vnd: int, currency: string, total: string, rate: string|null}|null
     */
    public static function kept(\WC_Order $order): ?array
    {
        $kept = json_decode((string) $order->get_meta(self::META_KEY), true);
        return is_array($kept) && isset($kept['vnd'], $kept['currency'], $kept['total']) && array_key_exists('rate', $kept) ? $kept : null;
    }

    /**
     * "25.00 USD = 625.000 ₫ (1 USD = 25.000 ₫)" for an order paid through a rate; null for an order in đồng.
     */
    public static function describe(\WC_Order $order): ?string
    {
        $kept = self::kept($order);
        if ($kept === null || $kept['rate'] === null) {
            return null;
        }
        return self::text((string) $kept['currency'], (string) $kept['total'], (string) $kept['rate'], (int) $kept['vnd']);
    }

    public static function text(string $currency, string $total, string $rate, int $vnd): string
    {
        $decimals = function_exists('wc_get_price_decimals') ? wc_get_price_decimals() : 2;
        return sprintf(
            /* translators: 1: order total with its currency code, e.g. "25.00 USD", 2: the same in đồng, 3: currency code, 4: đồng per one unit */
            __('%1$s = %2$s (1 %3$s = %4$s)', 'vietqr-for-woocommerce'),
            number_format((float) $total, $decimals, '.', ',') . ' ' . $currency,
            OrderPayment::vnd($vnd),
            $currency,
            self::rateText($rate)
        );
    }

    /** "25.000 ₫", or "25.432,5 ₫" for a rate with decimals. */
    public static function rateText(string $rate): string
    {
        $places = strpos($rate, '.') === false ? 0 : strlen(rtrim(substr($rate, strpos($rate, '.') + 1), '0'));
        return number_format((float) $rate, $places, ',', '.') . ' ₫';
    }
}
