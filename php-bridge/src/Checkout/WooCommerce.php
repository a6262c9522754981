<?php
/** WooCommerce learns of the gateway and its Checkout-block integration here (wired in Plugin::withWooCommerce). */

declare(strict_types=1);

namespace VietQR\Checkout;

final class WooCommerce
{
    /**
     * @param mixed $gateways
     * @return mixed
     */
    public static function gateways($gateways)
    {
        if (is_array($gateways)) {
            $gateways[] = Gateway::class;
        }
        return $gateways;
    }

    /** @param mixed $registry Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry */
    public static function blocks($registry): void
    {
        if (is_object($registry) && class_exists('Automattic\\WooCommerce\\Blocks\\Payments\\Integrations\\AbstractPaymentMethodType')) {
            $registry->register(new BlocksSupport());
        }
    }
}
