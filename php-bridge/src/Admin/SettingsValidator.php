<?php
/**
 * Reads the settings form: every field checked, nothing saved here. Returns
 * the plain settings, what to do with each secret (keep, set, clear) and a
 * clear error per invalid field.
 */

declare(strict_types=1);

namespace VietQR\Admin;

use VietQR\Alerts\Alerts;
use VietQR\Alerts\Telegram;
use VietQR\Api\UrlGuard;
use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Support\Settings;

final class SettingsValidator
{
    /** The secret fields of the form: blank keeps, "clear_<name>" deletes. */
    public const SECRET_FIELDS = ['api_password', 'callback_password', 'refund_secret_key', 'telegram_bot_token'];

    /** @var array<string, mixed> */
    private $in;

    /** @var array<string, string> */
    private $errors = [];

    /** @param array<string, mixed> $in the POSTed fields, unslashed */
    public function __construct(array $in)
    {
        $this->in = $in;
    }

    /**
     * @return array{0: array<string, mixed>, 1: array<string, string|null>, 2: array<string, string>}
     *   [settings, secrets (name => new value, null = clear; absent = keep), errors]
     */
    public function validate(): array
    {
        $values = [];

        $env = $this->text('environment');
        if (!in_array($env, ['sandbox', 'production', 'custom'], true)) {
            $this->errors['environment'] = __('Choose sandbox, production or a custom base URL.', 'vietqr-for-woocommerce');
        }
        $values['environment'] = $env;
        $url = trim($this->raw('custom_base_url'));
        if ($env === 'custom') {
            if (!self::isHttpUrl($url)) {
                $this->errors['custom_base_url'] = __('Enter the full base URL, starting with http:// or https://, for example https://dev.vietqr.org/vqr.', 'vietqr-for-woocommerce');
            } else {
                // The requests would be refused anyway: say so now, and why (SSRF).
                $problem = UrlGuard::inspect($url)[0];
                if ($problem !== null) {
                    $this->errors['custom_base_url'] = UrlGuard::message($problem);
                }
            }
            $values['custom_base_url'] = untrailingslashit($url);
        }

        $values['api_username'] = $this->text('api_username');
        if (strlen($values['api_username']) > 100) {
            $this->errors['api_username'] = __('The API username is at most 100 characters.', 'vietqr-for-woocommerce');
        }

        $bank = $this->text('bank');
        if ($bank !== '' && !Banks::exists($bank)) {
            $this->errors['bank'] = __('Choose a bank from the list.', 'vietqr-for-woocommerce');
        }
        $values['bank'] = $bank;

        $account = preg_replace('/\s+/', '', $this->raw('account'));
        if ($account !== '' && !Banks::accountIsValid((string) $account, $bank)) {
            $this->errors['account'] = __('The account number is letters and digits only, at most 19 of them, without spaces or other signs.', 'vietqr-for-woocommerce');
        }
        $values['account'] = (string) $account;

        $values['holder'] = $this->text('holder');
        if (mb_strlen($values['holder']) > 100) {
            $this->errors['holder'] = __('The account holder is at most 100 characters.', 'vietqr-for-woocommerce');
        }

        $values['content_prefix'] = $this->prefix($this->raw('content_prefix'));

        $lifetime = trim($this->raw('qr_lifetime'));
        if (!preg_match('/^[0-9]{1,5}$/', $lifetime) || (int) $lifetime < 5 || (int) $lifetime > 1440) {
            $this->errors['qr_lifetime'] = __('The QR lifetime is a whole number of minutes from 5 to 1440 (one day).', 'vietqr-for-woocommerce');
        }
        $values['qr_lifetime'] = (int) $lifetime;

        $mode = $this->text('qr_mode');
        if (!in_array($mode, ['api', 'local'], true)) {
            $this->errors['qr_mode'] = __('Choose how QR codes are made.', 'vietqr-for-woocommerce');
        }
        $values['qr_mode'] = $mode;

        $values['callback_username'] = $this->text('callback_username');
        if (strpos($values['callback_username'], ':') !== false || strlen($values['callback_username']) > 100) {
            $this->errors['callback_username'] = __('The callback username has no colon (:) and is at most 100 characters.', 'vietqr-for-woocommerce');
        }

        if (array_key_exists('vnd_rate', $this->in)) {
            // Shown only for a WooCommerce store that does not sell in VND; absent, the stored rate stays.
            $rate = str_replace(',', '.', trim($this->raw('vnd_rate')));
            if ($rate !== '' && !\VietQR\Checkout\Currency::validRate($rate)) {
                $this->errors['vnd_rate'] = __('The exchange rate is the number of đồng one unit of your currency is worth, greater than 0, for example 25000 or 25432.5.', 'vietqr-for-woocommerce');
            }
            $values['vnd_rate'] = $rate;
        }

        $values['remove_all_data'] = !empty($this->in['remove_all_data']);

        $this->alerts($values);

        $secrets = [];
        foreach (self::SECRET_FIELDS as $name) {
            if (!empty($this->in['clear_' . $name])) {
                $secrets[$name] = null;
                continue;
            }
            $secret = $this->raw($name);
            if ($secret === '') {
                continue; // blank keeps the stored value
            }
            if (preg_match('/[\x00-\x1f\x7f]/', $secret) || strlen($secret) > 200) {
                $this->errors[$name] = __('This secret has characters that cannot be typed (line breaks, tabs) or is longer than 200 characters.', 'vietqr-for-woocommerce');
            } elseif ($name === 'callback_password' && strlen($secret) < 12) {
                $this->errors[$name] = __('The callback password is at least 12 characters; use Generate for a strong one.', 'vietqr-for-woocommerce');
            } elseif ($name === 'telegram_bot_token' && !preg_match(Telegram::TOKEN_PATTERN, $secret)) {
                // The message never repeats what was typed: it may be a real token.
                $this->errors[$name] = __('A Telegram bot token is the bot\'s number, a colon and a long key, as @BotFather gives it (123456789:AAH…).', 'vietqr-for-woocommerce');
            }
            $secrets[$name] = $secret;
        }
        $this->retarget($values, $secrets);
        if ($values['alert_telegram'] && !isset($this->errors['telegram_bot_token'])
            && (array_key_exists('telegram_bot_token', $secrets) ? $secrets['telegram_bot_token'] === null : !Settings::hasSecret('telegram_bot_token'))) {
            $this->errors['telegram_bot_token'] = __('Telegram alerts need the bot token.', 'vietqr-for-woocommerce');
        }

        return [$values, $secrets, $this->errors];
    }

    /** The secrets sent to VietQR's base URL with each request that needs them. */
    public const TARGETED_SECRETS = ['api_password', 'refund_secret_key'];

    /**
     * A new environment or base URL is a new place the API password and the
     * refund key would be sent: each stored one must be typed again in the
     * same save (or cleared), so that whoever may change the settings (a shop
     * manager too) cannot send the stored secrets to a server of their own.
     * The save is refused, with the reason on the field, otherwise.
     *
     * @param array<string, mixed> $values
     * @param array<string, string|null> $secrets
     */
    private function retarget(array $values, array $secrets): void
    {
        if (isset($this->errors['environment']) || isset($this->errors['custom_base_url'])) {
            return;
        }
        $target = Settings::baseUrlFor((string) $values['environment'], (string) ($values['custom_base_url'] ?? ''));
        if ($target === Settings::baseUrl()) {
            return;
        }
        $messages = [
            'api_password' => __('You changed where VietQR requests go (environment or base URL): type the API password again to send it there, or clear it.', 'vietqr-for-woocommerce'),
            'refund_secret_key' => __('You changed where VietQR requests go (environment or base URL): type the refund secret key again to send it there, or clear it.', 'vietqr-for-woocommerce'),
        ];
        foreach (self::TARGETED_SECRETS as $name) {
            if (!array_key_exists($name, $secrets) && !isset($this->errors[$name]) && Settings::hasSecret($name)) {
                $this->errors[$name] = $messages[$name];
            }
        }
    }

    /** @param array<string, mixed> $values the alert settings are added here */
    private function alerts(array &$values): void
    {
        $events = $this->in['alert_events'] ?? [];
        $events = is_array($events) ? array_map('strval', $events) : [];
        if (array_diff($events, Alerts::EVENTS) !== []) {
            $this->errors['alert_events'] = __('Choose alert events from the list.', 'vietqr-for-woocommerce');
        }
        $values['alert_events'] = array_values(array_intersect(Alerts::EVENTS, $events));

        $minutes = trim($this->raw('alert_silence_minutes'));
        if ($minutes === '') {
            $minutes = (string) Settings::DEFAULTS['alert_silence_minutes'];
        }
        if (!preg_match('/^[0-9]{1,5}$/', $minutes) || (int) $minutes < 5 || (int) $minutes > 1440) {
            $this->errors['alert_silence_minutes'] = __('The minutes without a callback are a whole number from 5 to 1440 (one day).', 'vietqr-for-woocommerce');
        }
        $values['alert_silence_minutes'] = (int) $minutes;
        $lifetime = (int) ($values['qr_lifetime'] ?? 0);
        if (!isset($this->errors['alert_silence_minutes']) && in_array('silence', $values['alert_events'], true) && $lifetime > 0 && (int) $minutes >= $lifetime) {
            $this->errors['alert_silence_minutes'] = sprintf(
                /* translators: %d: the QR lifetime in minutes */
                __('Set fewer minutes than the QR lifetime (%d): an order waits for its transfer only while its QR is valid, so a longer silence is never noticed.', 'vietqr-for-woocommerce'),
                $lifetime
            );
        }

        $values['alert_email'] = !empty($this->in['alert_email']);
        $addresses = preg_split('/[\s,;]+/', $this->raw('alert_email_to'), -1, PREG_SPLIT_NO_EMPTY) ?: [];
        $bad = array_filter($addresses, static function (string $a): bool {
            return !is_email($a);
        });
        if ($bad !== [] || count($addresses) > 10) {
            $this->errors['alert_email_to'] = __('Enter up to 10 e-mail addresses separated by commas, or leave it blank for the site\'s admin e-mail.', 'vietqr-for-woocommerce');
        }
        // Shown back as typed when refused, to be corrected.
        $values['alert_email_to'] = $bad === [] ? implode(', ', array_map('sanitize_email', $addresses)) : $this->text('alert_email_to');

        $values['alert_telegram'] = !empty($this->in['alert_telegram']);
        $chat = $this->text('alert_telegram_chat_id');
        if ($chat !== '' && preg_match(Telegram::CHAT_PATTERN, $chat) !== 1) {
            $this->errors['alert_telegram_chat_id'] = __('The chat id is a number (negative for a group, e.g. -1001234567890) or a public channel\'s @name.', 'vietqr-for-woocommerce');
        } elseif ($chat === '' && $values['alert_telegram']) {
            $this->errors['alert_telegram_chat_id'] = __('Telegram alerts need the chat id to send to.', 'vietqr-for-woocommerce');
        }
        $values['alert_telegram_chat_id'] = $chat;
    }

    public static function isHttpUrl(string $url): bool
    {
        $parts = wp_parse_url($url);
        return is_array($parts)
            && in_array(strtolower((string) ($parts['scheme'] ?? '')), ['http', 'https'], true)
            && ($parts['host'] ?? '') !== ''
            && filter_var($url, FILTER_VALIDATE_URL) !== false;
    }

    /** Folded to ASCII by the core, upper case, letters and digits only, at most 6. */
    private function prefix(string $input): string
    {
        $input = trim($input);
        try {
            $folded = (string) Core::value('text.fold', ['text' => $input])['text'];
        } catch (CoreError $e) {
            $folded = $input;
        }
        $folded = strtoupper($folded);
        if (!preg_match('/^[A-Z0-9]{1,6}$/', $folded)) {
            $this->errors['content_prefix'] = __('The transfer-content prefix is 1 to 6 letters and digits (accents are removed), for example DH.', 'vietqr-for-woocommerce');
        }
        return $folded;
    }

    private function raw(string $key): string
    {
        $v = $this->in[$key] ?? '';
        return is_string($v) ? $v : '';
    }

    private function text(string $key): string
    {
        return sanitize_text_field($this->raw($key));
    }
}
