<?php
/** The gateway in the Checkout block: its title, description and the script that registers it. */

declare(strict_types=1);

namespace VietQR\Checkout;

use Automattic\WooCommerce\Blocks\Payments\Integrations\AbstractPaymentMethodType;
use VietQR\Plugin;

final class BlocksSupport extends AbstractPaymentMethodType
{
    public const SCRIPT = 'vietqr-checkout-blocks';

    /** @var string */
    protected $name = Gateway::ID;

    public function initialize()
    {
        $settings = get_option('woocommerce_' . Gateway::ID . '_settings', []);
        $this->settings = is_array($settings) ? $settings : [];
    }

    public function is_active()
    {
        return $this->get_setting('enabled', 'no') === 'yes' && Gateway::configured() && Currency::accepted(Currency::store());
    }

    /** @return list<string> */
    public function get_payment_method_script_handles()
    {
        wp_register_script(
            self::SCRIPT,
            Plugin::url('assets/js/checkout-blocks.js'),
            ['wc-blocks-registry', 'wp-element', 'wp-html-entities', 'wc-settings'],
            VIETQR_PLUGIN_VERSION,
            true
        );
        return [self::SCRIPT];
    }

    /** @return array<string, mixed> what the script reads as getSetting('vietqr_data') */
    public function get_payment_method_data()
    {
        $gateways = WC()->payment_gateways()->payment_gateways();
        $gateway = isset($gateways[Gateway::ID]) ? $gateways[Gateway::ID] : new Gateway();
        return [
            'title' => $gateway->get_title(),
            'description' => $gateway->get_description(),
            'supports' => array_values(array_filter($gateway->supports, [$gateway, 'supports'])),
        ];
    }
}
