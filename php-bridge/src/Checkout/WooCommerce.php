<?php
/** The WooCommerce part: gateway, Checkout block, order screen, emails, expiry. Loaded only with WooCommerce. */

declare(strict_types=1);

namespace VietQR\Checkout;

final class WooCommerce
{
    public static function register(): void
    {
        add_filter('woocommerce_payment_gateways', [self::class, 'gateways']);
        add_action('woocommerce_blocks_payment_method_type_registration', [self::class, 'blocks']);
        add_action('vietqr_payment_applied', [OrderEvents::class, 'applied'], 10, 4);
        add_action('vietqr_payment_expired', [OrderEvents::class, 'expired']);
        add_action('vietqr_payment_order_sync', [OrderEvents::class, 'resync']);
        add_action('vietqr_payment_order_check', [OrderEvents::class, 'check']);
        add_filter('wp_privacy_personal_data_exporters', [Privacy::class, 'exporters']);
        add_filter('wp_privacy_personal_data_erasers', [Privacy::class, 'erasers']);
        add_action('admin_init', [Privacy::class, 'policy']);
        BuyerPage::register();
        Email::register();
        if (is_admin()) {
            OrderMetaBox::register();
        }
    }

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
