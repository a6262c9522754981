<?php
/**
 * What a shortcode or block asks for (amount, transfer content), checked and
 * turned into a VietQR payload by the core from the shop's bank settings.
 * Either a ready QR (payload and what to show) or a message for editors.
 */

declare(strict_types=1);

namespace VietQR\PaymentQr;

use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Support\Settings;

final class Request
{
    /**
     * The longest transfer content a payment QR carries: what tag 62 holds
     * for the purpose (the core's ADDITIONAL_MAX, src/emv/payload.rs).
     */
    public const CONTENT_MAX = 25;

    /** @var string|null */
    public $error;

    /** @var string */
    public $payload = '';

    /** @var int|null */
    public $amount;

    /** @var string */
    public $content = '';

    /** @var string */
    public $bank = '';

    /** @var string */
    public $account = '';

    /** @var string */
    public $holder = '';

    /**
     * @param mixed $amount  "50000", "50.000", 50000, or empty for a QR without amount
     * @param mixed $content transfer content; Vietnamese is folded to ASCII by the core
     */
    public static function make($amount, $content): self
    {
        $r = new self();
        $r->bank = (string) Settings::get('bank');
        $r->account = (string) Settings::get('account');
        $r->holder = (string) Settings::get('holder');
        if ($r->bank === '' || $r->account === '') {
            return $r->fail(__('Set the bank and account number in VietQR → Settings first.', 'vietqr-for-woocommerce'));
        }

        $parsed = self::amount($amount);
        if ($parsed === false) {
            /* translators: %s: the amount as written in the shortcode or block */
            return $r->fail(sprintf(__('The amount "%s" is not a whole number of đồng greater than zero (for example 50000).', 'vietqr-for-woocommerce'), self::shown($amount)));
        }
        $r->amount = $parsed;

        $text = is_scalar($content) ? trim((string) $content) : '';
        if ($text !== '' && preg_match('//u', $text) !== 1) {
            /* translators: %s: the core's explanation */
            return $r->fail(sprintf(__('The payment QR cannot be made: %s', 'vietqr-for-woocommerce'), 'the transfer content is not UTF-8 text'));
        }
        // Cut down before the core folds it: folding is slow on long text, and
        // no more than CONTENT_MAX characters can come out of it anyway.
        $text = self::foldable($text);
        $length = function_exists('mb_strlen') ? mb_strlen($text, 'UTF-8') : (int) preg_match_all('/./us', $text);
        if ($length > self::CONTENT_MAX) {
            // In the core's own words (value_too_long), so an editor reads one message whichever side refused.
            return $r->fail(sprintf(
                /* translators: %s: the core's explanation, e.g. "purpose is 30 characters; at most 25 fit in tag 62" */
                __('The transfer content is too long for a VietQR code (%s). Shorten it.', 'vietqr-for-woocommerce'),
                sprintf('purpose is %d characters; at most %d fit in tag 62', $length, self::CONTENT_MAX)
            ));
        }
        try {
            // One core call: the core folds the content and builds the payload with it.
            $input = ['bank' => $r->bank, 'account' => $r->account];
            if ($r->amount !== null) {
                $input['amount'] = $r->amount;
            }
            if ($text !== '') {
                $input['purpose'] = $text;
                $input['fold_purpose'] = true;
            }
            $built = Core::value('payload.build', $input);
            $r->content = (string) ($built['purpose'] ?? '');
            if ($text !== '' && $r->content === '') {
                return $r->fail(__('The transfer content has no letters or digits a bank transfer can carry.', 'vietqr-for-woocommerce'));
            }
            $r->payload = (string) $built['payload'];
        } catch (CoreError $e) {
            return $r->fail(self::explain($e));
        }
        return $r;
    }

    /**
     * A positive whole number of đồng, null when none was given, false when
     * unreadable. Thousands may be grouped the Vietnamese way ("50.000").
     *
     * @param mixed $amount
     * @return int|null|false
     */
    private static function amount($amount)
    {
        if (is_int($amount)) {
            return $amount > 0 ? $amount : false;
        }
        if (is_float($amount)) {
            return $amount >= 1 && floor($amount) === $amount && $amount < 1e15 ? (int) $amount : false;
        }
        if (!is_string($amount)) {
            return $amount === null ? null : false;
        }
        $text = trim($amount);
        if ($text === '') {
            return null;
        }
        if (preg_match('/^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$/', $text) === 1) {
            $text = (string) preg_replace('/\D/', '', $text);
        }
        if (preg_match('/^\d+$/', $text) !== 1) {
            return false;
        }
        $value = (int) $text; // beyond PHP_INT_MAX it saturates; the core then refuses it
        return $value > 0 ? $value : false;
    }

    /**
     * The text with what the core's fold drops anyway taken out first: every
     * character but letters, digits and white space (punctuation, symbols,
     * combining marks, invisible ones), and runs of white space made one
     * space. The core folds this to the same content as the whole text (tests:
     * "payment QR: …"), and its length bounds the folded one from above: a
     * letter the core does not know (not Vietnamese, not ASCII) counts here
     * and is dropped there.
     */
    public static function foldable(string $text): string
    {
        // White space as the core (Rust's char::is_whitespace) knows it; PCRE's \s differs by Unicode version.
        $space = '\x{9}-\x{d}\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}';
        $kept = preg_replace(['/[^\p{L}\p{N}' . $space . ']+/u', '/[' . $space . ']+/u'], ['', ' '], $text);
        return trim(is_string($kept) ? $kept : '');
    }

    /** The core's reason, in words an editor acts on. */
    private static function explain(CoreError $e): string
    {
        switch ($e->errorCode) {
            case 'value_too_long':
                /* translators: %s: the core's explanation, e.g. "purpose is 30 characters; at most 25 fit in tag 62" */
                return sprintf(__('The transfer content is too long for a VietQR code (%s). Shorten it.', 'vietqr-for-woocommerce'), $e->getMessage());
            case 'invalid_amount':
                /* translators: %s: the core's explanation */
                return sprintf(__('The amount cannot go into a VietQR code (%s).', 'vietqr-for-woocommerce'), $e->getMessage());
            default:
                /* translators: %s: the core's explanation */
                return sprintf(__('The payment QR cannot be made: %s', 'vietqr-for-woocommerce'), $e->getMessage());
        }
    }

    /** @param mixed $value */
    private static function shown($value): string
    {
        $text = is_scalar($value) ? (string) $value : gettype($value);
        return function_exists('mb_substr') ? mb_substr($text, 0, 40) : substr($text, 0, 40);
    }

    private function fail(string $message): self
    {
        $this->error = $message;
        return $this;
    }
}
