<?php
/**
 * The settings tab: the form, its save handler (admin-post.php) and the
 * callback-password generator. Secrets are never printed: the form says
 * whether each is set; blank keeps it, a checkbox clears it.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Alerts\Alerts;
use VietQR\Support\Settings;

final class SettingsPage
{
    public const SAVE = 'vietqr_save_settings';
    public const GENERATE = 'vietqr_generate_callback_password';
    public const TEST_ALERT = 'vietqr_send_test_alert';

    public static function save(): void
    {
        Admin::guard(self::SAVE);
        $in = wp_unslash($_POST); // phpcs:ignore WordPress.Security.NonceVerification -- Admin::guard checked it
        [$values, $secrets, $errors] = (new SettingsValidator(is_array($in) ? $in : []))->validate();
        if ($errors !== []) {
            Flash::set([
                'notices' => [['type' => 'error', 'message' => __('Nothing was saved: correct the fields marked below.', 'vietqr-for-woocommerce')]],
                'errors' => $errors,
                'old' => $values,
            ]);
            Admin::redirect('settings');
        }
        $before = Settings::all();
        Settings::update($values);
        foreach ($secrets as $name => $secret) {
            if ($secret === null) {
                Settings::deleteSecret($name);
            } else {
                Settings::setSecret($name, $secret);
            }
        }
        $after = Settings::all();
        $moved = Settings::baseUrl() !== self::baseUrlOf($before);
        if (array_key_exists('api_password', $secrets) || $before['api_username'] !== $after['api_username'] || $moved) {
            // A token of the old account or host must not be used any more.
            delete_transient('vietqr_api_token');
        }
        if ($moved) {
            // Issued by the old host: never sent to the new one (the API password and refund key were typed again, SettingsValidator::retarget).
            Settings::deleteSecret('ecommerce_token');
        }
        Flash::notice('success', __('Settings saved.', 'vietqr-for-woocommerce'));
        Admin::redirect('settings');
    }

    /** A strong callback password, made here, stored, shown once. */
    public static function generate(): void
    {
        Admin::guard(self::GENERATE);
        $alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
        $password = '';
        for ($i = 0; $i < 32; $i++) {
            $password .= $alphabet[random_int(0, strlen($alphabet) - 1)];
        }
        Settings::setSecret('callback_password', $password);
        Flash::set(['generated_password' => $password]);
        Admin::redirect('settings');
    }

    /** "Send test alert": every channel as saved, now; the outcome as a notice (and on the health tab). */
    public static function testAlert(): void
    {
        Admin::guard(self::TEST_ALERT);
        if (!Alerts::emailOn() && !Alerts::telegramOn()) {
            Flash::notice('error', __('No alert channel is on: turn on e-mail or Telegram alerts and save first.', 'vietqr-for-woocommerce'));
            Admin::redirect('settings');
        }
        $result = Alerts::test();
        if ($result['error'] === '') {
            Flash::notice('success', __('Test alert sent. Check that it arrived.', 'vietqr-for-woocommerce'));
        } else {
            /* translators: %s: why a channel failed (never the bot token) */
            Flash::notice('error', sprintf(__('The test alert was not delivered everywhere. %s', 'vietqr-for-woocommerce'), $result['error']));
        }
        Admin::redirect('settings');
    }

    /** @param array<string, mixed> $s */
    private static function baseUrlOf(array $s): string
    {
        return Settings::baseUrlFor((string) $s['environment'], (string) $s['custom_base_url']);
    }

    public static function render(): void
    {
        $generated = Flash::get('generated_password');
        if (is_string($generated) && $generated !== '') {
            // The one time a secret is shown: right after it was generated.
            echo '<div class="notice notice-warning vietqr-generated"><p>'
                . esc_html__('New callback password (shown only this once; copy it now and give it to VietQR with the callback username):', 'vietqr-for-woocommerce')
                . ' <code id="vietqr-generated-password">' . esc_html($generated) . '</code></p></div>';
        }
        $errors = Flash::get('errors');
        $errors = is_array($errors) ? $errors : [];
        $old = Flash::get('old');
        $s = array_merge(Settings::all(), is_array($old) ? $old : []);

        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="vietqr-settings-form" class="vietqr-settings" novalidate>';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::SAVE) . '">';
        wp_nonce_field(self::SAVE);
        echo '<h2>' . esc_html__('VietQR account', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';

        $env = (string) $s['environment'];
        $options = '';
        foreach ([
            'sandbox' => __('Sandbox (dev.vietqr.org)', 'vietqr-for-woocommerce'),
            'production' => __('Production (api.vietqr.org)', 'vietqr-for-woocommerce'),
            'custom' => __('Custom base URL', 'vietqr-for-woocommerce'),
        ] as $value => $label) {
            $options .= '<option value="' . esc_attr($value) . '"' . selected($env, $value, false) . '>' . esc_html($label) . '</option>';
        }
        self::row('environment', __('Environment', 'vietqr-for-woocommerce'), '<select name="environment" id="vietqr-environment">' . $options . '</select>', $errors);
        self::row('custom_base_url', __('Custom base URL', 'vietqr-for-woocommerce'),
            '<input type="url" class="regular-text" name="custom_base_url" id="vietqr-custom_base_url" value="' . esc_attr((string) $s['custom_base_url']) . '" placeholder="https://dev.vietqr.org/vqr">',
            $errors, '', $env === 'custom' ? '' : 'hidden');
        self::row('api_username', __('API username', 'vietqr-for-woocommerce'), self::input('api_username', (string) $s['api_username']), $errors);
        self::row('api_password', __('API password', 'vietqr-for-woocommerce'), self::secretInput('api_password'), $errors);

        echo '</table><h2>' . esc_html__('Bank account that receives payments', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
        self::row('bank', __('Bank', 'vietqr-for-woocommerce'), Banks::select('bank', 'vietqr-bank', (string) $s['bank']), $errors);
        self::row('account', __('Account number', 'vietqr-for-woocommerce'),
            '<input type="text" class="regular-text" name="account" id="vietqr-account" maxlength="19" autocomplete="off" value="' . esc_attr((string) $s['account']) . '">',
            $errors, __('Letters and digits, at most 19.', 'vietqr-for-woocommerce'));
        self::row('holder', __('Account holder', 'vietqr-for-woocommerce'), self::input('holder', (string) $s['holder']), $errors);

        echo '</table><h2>' . esc_html__('QR codes', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
        self::row('content_prefix', __('Transfer-content prefix', 'vietqr-for-woocommerce'),
            '<input type="text" class="small-text" name="content_prefix" id="vietqr-content_prefix" maxlength="12" value="' . esc_attr((string) $s['content_prefix']) . '">',
            $errors, __('1 to 6 letters or digits put before the order number in the transfer content, e.g. DH.', 'vietqr-for-woocommerce'));
        self::row('qr_lifetime', __('QR lifetime (minutes)', 'vietqr-for-woocommerce'),
            '<input type="number" class="small-text" name="qr_lifetime" id="vietqr-qr_lifetime" min="5" max="1440" step="1" value="' . esc_attr((string) $s['qr_lifetime']) . '">',
            $errors, __('From 5 to 1440.', 'vietqr-for-woocommerce'));
        $mode = (string) $s['qr_mode'];
        $modes = '';
        foreach ([
            'api' => __('VietQR API (needs the API account above)', 'vietqr-for-woocommerce'),
            'local' => __('Locally from the bank details', 'vietqr-for-woocommerce'),
        ] as $value => $label) {
            $modes .= '<label><input type="radio" name="qr_mode" value="' . esc_attr($value) . '"' . checked($mode, $value, false) . '> ' . esc_html($label) . '</label><br>';
        }
        self::row('qr_mode', __('QR mode', 'vietqr-for-woocommerce'), '<fieldset id="vietqr-qr_mode">' . $modes . '</fieldset>', $errors);

        $currency = \VietQR\Checkout\Currency::store();
        if (class_exists('WooCommerce') && $currency !== \VietQR\Checkout\Currency::VND) {
            echo '</table><h2>' . esc_html__('Store currency', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
            self::row('vnd_rate',
                /* translators: %s: the store's currency code, e.g. USD */
                sprintf(__('Đồng per 1 %s', 'vietqr-for-woocommerce'), $currency),
                '<input type="text" class="regular-text" name="vnd_rate" id="vietqr-vnd_rate" inputmode="decimal" value="' . esc_attr((string) $s['vnd_rate']) . '" placeholder="25000">',
                $errors,
                /* translators: %1$s: the store's currency code, e.g. USD */
                sprintf(__('Your store sells in %1$s, and VietQR transfers are in Vietnamese đồng. Set how many đồng one %1$s is worth: checkout then shows the rate and the order keeps both amounts. Left blank, VietQR is not offered at checkout.', 'vietqr-for-woocommerce'), $currency));
        }

        echo '</table><h2>' . esc_html__('Callbacks from VietQR', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
        self::row('callback_username', __('Callback username', 'vietqr-for-woocommerce'), self::input('callback_username', (string) $s['callback_username']), $errors);
        self::row('callback_password', __('Callback password', 'vietqr-for-woocommerce'),
            self::secretInput('callback_password')
            . ' <button type="submit" class="button" form="vietqr-generate-form" id="vietqr-generate">' . esc_html__('Generate', 'vietqr-for-woocommerce') . '</button>',
            $errors, __('VietQR sends these as Basic credentials to get a token from this shop. Generate makes a strong one and shows it once.', 'vietqr-for-woocommerce'));
        self::row('refund_secret_key', __('Refund secret key', 'vietqr-for-woocommerce'), self::secretInput('refund_secret_key'), $errors);

        self::alertRows($s, $errors);

        echo '</table><h2>' . esc_html__('Uninstall', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
        self::row('remove_all_data', __('Data', 'vietqr-for-woocommerce'),
            '<label><input type="checkbox" name="remove_all_data" id="vietqr-remove_all_data" value="1"' . checked((bool) $s['remove_all_data'], true, false) . '> '
            . esc_html__('Remove all data (payments, ledger, settings) when the plugin is deleted', 'vietqr-for-woocommerce') . '</label>',
            $errors);
        echo '</table>';
        submit_button(__('Save settings', 'vietqr-for-woocommerce'), 'primary', 'submit', true, ['id' => 'vietqr-save']);
        echo '</form>';

        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="vietqr-test-alert-form">';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::TEST_ALERT) . '">';
        wp_nonce_field(self::TEST_ALERT);
        echo '</form>';

        echo '<form method="post" action="' . esc_url(admin_url('admin-post.php')) . '" id="vietqr-generate-form">';
        echo '<input type="hidden" name="action" value="' . esc_attr(self::GENERATE) . '">';
        wp_nonce_field(self::GENERATE);
        echo '</form>';
    }

    /**
     * The alerts section: events, e-mail, Telegram, and the test button.
     *
     * @param array<string, mixed> $s
     * @param array<string, string> $errors
     */
    private static function alertRows(array $s, array $errors): void
    {
        echo '</table><h2>' . esc_html__('Alerts', 'vietqr-for-woocommerce') . '</h2><table class="form-table" role="presentation">';
        $chosen = is_array($s['alert_events']) ? $s['alert_events'] : [];
        $boxes = '';
        foreach (Alerts::labels() as $event => $label) {
            $boxes .= '<label><input type="checkbox" name="alert_events[]" id="vietqr-alert-' . esc_attr($event) . '" value="' . esc_attr($event) . '"' . checked(in_array($event, $chosen, true), true, false) . '> ' . esc_html($label) . '</label><br>';
        }
        self::row('alert_events', __('Tell me about', 'vietqr-for-woocommerce'), '<fieldset id="vietqr-alert_events">' . $boxes . '</fieldset>', $errors);
        self::row('alert_silence_minutes', __('No callback for (minutes)', 'vietqr-for-woocommerce'),
            '<input type="number" class="small-text" name="alert_silence_minutes" id="vietqr-alert_silence_minutes" min="5" max="1440" step="1" value="' . esc_attr((string) $s['alert_silence_minutes']) . '">',
            $errors, __('The "no callback" alert comes when orders wait and VietQR has not called for this long (from 5 minutes, and less than the QR lifetime), once until it calls again.', 'vietqr-for-woocommerce'));
        self::row('alert_email', __('E-mail', 'vietqr-for-woocommerce'),
            '<label><input type="checkbox" name="alert_email" id="vietqr-alert_email" value="1"' . checked((bool) $s['alert_email'], true, false) . '> ' . esc_html__('Send alerts by e-mail', 'vietqr-for-woocommerce') . '</label>',
            $errors);
        self::row('alert_email_to', __('E-mail to', 'vietqr-for-woocommerce'),
            '<input type="text" class="regular-text" name="alert_email_to" id="vietqr-alert_email_to" value="' . esc_attr((string) $s['alert_email_to']) . '" placeholder="' . esc_attr((string) get_option('admin_email')) . '">',
            $errors, __('Addresses separated by commas; blank sends to the site\'s admin e-mail.', 'vietqr-for-woocommerce'));
        self::row('alert_telegram', __('Telegram', 'vietqr-for-woocommerce'),
            '<label><input type="checkbox" name="alert_telegram" id="vietqr-alert_telegram" value="1"' . checked((bool) $s['alert_telegram'], true, false) . '> ' . esc_html__('Send alerts with a Telegram bot', 'vietqr-for-woocommerce') . '</label>',
            $errors, __('This server sends each alert to api.telegram.org (the bot token, the chat id and the alert text).', 'vietqr-for-woocommerce'));
        self::row('telegram_bot_token', __('Telegram bot token', 'vietqr-for-woocommerce'), self::secretInput('telegram_bot_token'), $errors,
            __('From @BotFather. Kept like a password: never shown again.', 'vietqr-for-woocommerce'));
        self::row('alert_telegram_chat_id', __('Telegram chat id', 'vietqr-for-woocommerce'),
            '<input type="text" class="regular-text" name="alert_telegram_chat_id" id="vietqr-alert_telegram_chat_id" value="' . esc_attr((string) $s['alert_telegram_chat_id']) . '">',
            $errors, __('The chat, group or channel the bot writes to (the bot must be in it).', 'vietqr-for-woocommerce'));
        self::row('test_alert', __('Test', 'vietqr-for-woocommerce'),
            '<button type="submit" class="button" form="vietqr-test-alert-form" id="vietqr-test_alert">' . esc_html__('Send test alert', 'vietqr-for-woocommerce') . '</button>',
            $errors, __('Sends a test alert to the channels as saved.', 'vietqr-for-woocommerce'));
    }

    /** @param array<string, string> $errors */
    private static function row(string $field, string $label, string $control, array $errors, string $help = '', string $rowAttr = ''): void
    {
        $error = $errors[$field] ?? '';
        echo '<tr id="vietqr-row-' . esc_attr($field) . '"' . ($rowAttr === 'hidden' ? ' hidden' : '') . ($error !== '' ? ' class="vietqr-invalid"' : '') . '>';
        echo '<th scope="row"><label for="vietqr-' . esc_attr($field) . '">' . esc_html($label) . '</label></th><td>';
        echo $control; // phpcs:ignore WordPress.Security.EscapeOutput -- built from escaped parts above
        if ($error !== '') {
            echo '<p class="vietqr-field-error" id="vietqr-error-' . esc_attr($field) . '" role="alert">' . esc_html($error) . '</p>';
        }
        if ($help !== '') {
            echo '<p class="description">' . esc_html($help) . '</p>';
        }
        echo '</td></tr>';
    }

    private static function input(string $field, string $value): string
    {
        return '<input type="text" class="regular-text" name="' . esc_attr($field) . '" id="vietqr-' . esc_attr($field) . '" value="' . esc_attr($value) . '">';
    }

    /** A password input that is always empty, the stored state, and a clear checkbox. */
    private static function secretInput(string $name): string
    {
        $set = Settings::hasSecret($name);
        return '<input type="password" class="regular-text" name="' . esc_attr($name) . '" id="vietqr-' . esc_attr($name) . '" value="" autocomplete="new-password">'
            . ' <span class="vietqr-secret-state ' . ($set ? 'is-set' : 'is-unset') . '" id="vietqr-' . esc_attr($name) . '-state">'
            . ($set ? esc_html__('set', 'vietqr-for-woocommerce') : esc_html__('not set', 'vietqr-for-woocommerce')) . '</span>'
            . ($set ? ' <label class="vietqr-clear"><input type="checkbox" name="clear_' . esc_attr($name) . '" value="1"> ' . esc_html__('Clear', 'vietqr-for-woocommerce') . '</label>' : '')
            . '<p class="description">' . esc_html__('Leave blank to keep the stored value.', 'vietqr-for-woocommerce') . '</p>';
    }
}
