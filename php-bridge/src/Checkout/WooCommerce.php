<?php
/** The WooCommerce part: gateway, Checkout block, order screen, emails, expiry. Loaded only with WooCommerce. */

declare(strict_types=1);

namespace VietQR\Checkout;

final class WooCommerce
{
    public static function register(): void
    {
    }
}
