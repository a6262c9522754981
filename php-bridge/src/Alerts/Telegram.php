<?php
/**
 * Telegram's Bot API: one sendMessage per alert, made by this server (the
 * browser never sees the bot token). The token is a secret: it is part of
 * the request URL (Telegram's design), so every text that could carry the
 * URL back (an HTTP error, Telegram's description) is redacted before it is
 * kept, shown or logged.
 *
 * The API's base URL is https://api.telegram.org; the tests point it at a
 * local stand-in with the `vietqr_telegram_api_base` filter. The request
 * goes through UrlGuard like VietQR's (no private address unless the site
 * allows one, no redirects, DNS pinned).
 */

declare(strict_types=1);

namespace VietQR\Alerts;

use VietQR\Api\UrlGuard;

final class Telegram
{
    public const API_BASE = 'https://api.telegram.org';

    /** What @BotFather hands out: the bot's id, a colon, a key of letters, digits, - and _. */
    public const TOKEN_PATTERN = '/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/';

    /** A chat id (a number, negative for groups) or a public channel's @name. */
    public const CHAT_PATTERN = '/^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/';

    private const REDACTED = '[bot token removed]';

    /** Null when Telegram took the message, else why not (redacted). */
    public static function send(string $token, string $chatId, string $text): ?string
    {
        if (!preg_match(self::TOKEN_PATTERN, $token)) {
            return __('The Telegram bot token is not set or not valid.', 'vietqr-for-woocommerce');
        }
        $base = (string) apply_filters('vietqr_telegram_api_base', self::API_BASE);
        $url = untrailingslashit($base) . '/bot' . $token . '/sendMessage';
        [$problem, $ips] = UrlGuard::inspect($url);
        if ($problem !== null) {
            return self::redact(UrlGuard::message($problem), $token);
        }
        $response = UrlGuard::request($url, [
            'method' => 'POST',
            'headers' => ['Content-Type' => 'application/json'],
            // Plain text (no parse_mode): transfer content from strangers stays text.
            'body' => wp_json_encode(['chat_id' => $chatId, 'text' => $text, 'disable_web_page_preview' => true]),
            'timeout' => 5,
        ], $ips);
        if (is_wp_error($response)) {
            return self::redact(sprintf(
                /* translators: %s: the HTTP error, e.g. "cURL error 28: Operation timed out" */
                __('Telegram could not be reached: %s', 'vietqr-for-woocommerce'),
                $response->get_error_message()
            ), $token);
        }
        $status = (int) wp_remote_retrieve_response_code($response);
        $reply = json_decode((string) wp_remote_retrieve_body($response), true);
        if ($status === 200 && is_array($reply) && ($reply['ok'] ?? false) === true) {
            return null;
        }
        $description = is_array($reply) && is_string($reply['description'] ?? null) ? $reply['description'] : '';
        return self::redact(sprintf(
            /* translators: 1: HTTP status, 2: Telegram's description of the error, e.g. "Bad Request: chat not found" */
            __('Telegram refused the message (HTTP %1$d): %2$s', 'vietqr-for-woocommerce'),
            $status,
            mb_substr($description, 0, 300)
        ), $token);
    }

    /** `$text` without the token, in any spelling a URL or an error could give it. */
    public static function redact(string $text, string $token): string
    {
        if ($token !== '') {
            $text = str_replace([$token, rawurlencode($token), urlencode($token)], self::REDACTED, $text);
            $key = explode(':', $token, 2)[1] ?? '';
            if ($key !== '') {
                $text = str_replace($key, self::REDACTED, $text); // the secret half, wherever it stands alone
            }
        }
        // Any other bot URL's token (an old one still in a message).
        return (string) preg_replace('/bot[0-9]{1,20}(:|%3A)[A-Za-z0-9_-]+/i', 'bot' . self::REDACTED, $text);
    }
}
