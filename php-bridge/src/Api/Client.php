<?php
/**
 * HTTP to VietQR.vn. The core builds every request (URL, headers, body,
 * checksums) and reads every reply (E-codes included); this class only moves
 * bytes with the WordPress HTTP API and keeps the access token.
 */

declare(strict_types=1);

namespace VietQR\Api;

use VietQR\Core\Core;
use VietQR\Core\CoreError;
use VietQR\Support\Log;
use VietQR\Support\Settings;

final class Client
{
    private const TOKEN_TRANSIENT = 'vietqr_api_token';

    /** @var string */
    private $baseUrl;

    public function __construct(?string $baseUrl = null)
    {
        $this->baseUrl = $baseUrl ?? Settings::baseUrl();
    }

    /** A Bearer token from token_generate, cached until shortly before it expires. */
    public function token(bool $fresh = false): string
    {
        $cached = get_transient(self::TOKEN_TRANSIENT);
        if (!$fresh && is_array($cached) && ($cached['base'] ?? '') === $this->baseUrl && is_string($cached['token'] ?? null)) {
            return $cached['token'];
        }
        $this->requireAccount();
        $value = $this->send('token', [
            'username' => (string) Settings::get('api_username'),
            'password' => Settings::secret('api_password'),
        ]);
        $ttl = (int) ($value['expires_in'] ?? 300);
        set_transient(self::TOKEN_TRANSIENT, ['base' => $this->baseUrl, 'token' => $value['access_token']], max(30, $ttl - 30));
        return (string) $value['access_token'];
    }

    /**
     * @param array<string, mixed> $input the core's api.generate_customer.request fields (no base_url, no token)
     * @return array<string, mixed>
     */
    public function generateCustomer(array $input): array
    {
        return $this->authed('generate_customer', $input);
    }

    /** @return array<string, mixed> {webhook, client_id, certificate, code, token} */
    public function ecommerceSync(string $site, string $webhook = ''): array
    {
        $input = ['password' => Settings::secret('api_password'), 'ecommerce_site' => $site];
        if ($webhook !== '') {
            $input['webhook'] = $webhook;
        }
        return $this->authed('ecommerce_sync', $input);
    }

    /**
     * @param list<array<string, string>> $terminals
     * @return list<array<string, string>>
     */
    public function tidSync(array $terminals): array
    {
        return $this->authed('tid_sync', ['password' => Settings::secret('api_password'), 'terminals' => $terminals]);
    }

    /** @return list<array<string, mixed>> the transactions VietQR knows for this order id or reference */
    public function checkOrder(string $by, string $value): array
    {
        $account = (string) Settings::get('account');
        return $this->authed('check_order', [
            'username' => (string) Settings::get('api_username'),
            'bank_account' => $account,
            'by' => $by,
            'value' => $value,
        ], ['bank_account' => $account]);
    }

    /** @return array<string, mixed> {refund_code} */
    public function refund(string $referenceNumber, int $amount, string $content): array
    {
        return $this->authed('refund', [
            'secret_key' => Settings::secret('refund_secret_key'),
            'bank_code' => (string) Settings::get('bank'),
            'bank_account' => (string) Settings::get('account'),
            'reference_number' => $referenceNumber,
            'amount' => $amount,
            'content' => $content,
            'multi_times' => true,
        ]);
    }

    /** @return array<string, mixed> {transaction_id} */
    public function testCallback(string $content, int $amount): array
    {
        return $this->authed('test_callback', [
            'bank_code' => (string) Settings::get('bank'),
            'bank_account' => (string) Settings::get('account'),
            'content' => $content,
            'amount' => $amount,
        ]);
    }

    /**
     * An endpoint behind the Bearer token; on E74 (token no longer valid)
     * the token is fetched once more and the call repeated.
     *
     * @param array<string, mixed> $input
     * @param array<string, mixed> $replyInput what the response op takes besides the reply
     * @return mixed
     */
    private function authed(string $endpoint, array $input, array $replyInput = [])
    {
        $this->requireAccount();
        try {
            return $this->send($endpoint, $input + ['token' => $this->token()], $replyInput);
        } catch (CoreError $e) {
            if ($endpoint === 'ecommerce_sync' || ($e->vietqr['code'] ?? '') !== 'E74') {
                throw $e; // for ecommerce sync, E74 is a wrong checksum: a new token would not help
            }
            return $this->send($endpoint, ['token' => $this->token(true)] + $input, $replyInput);
        }
    }

    /**
     * @param array<string, mixed> $input
     * @param array<string, mixed> $replyInput
     * @return mixed
     */
    private function send(string $endpoint, array $input, array $replyInput = [])
    {
        $request = Core::value("api.$endpoint.request", ['base_url' => $this->baseUrl] + $input);
        $url = (string) $request['url'];
        // Not into the shop's own network (SSRF), unless the site allows it.
        [$problem, $ips] = UrlGuard::inspect($url);
        if ($problem !== null) {
            Log::warning('VietQR base URL refused', ['endpoint' => $endpoint, 'problem' => $problem]);
            $e = new CoreError(UrlGuard::message($problem));
            $e->errorCode = 'unsafe_base_url';
            throw $e;
        }
        $response = UrlGuard::request($url, [
            'method' => $request['method'],
            'headers' => $request['headers'],
            'body' => (string) $request['body_text'], // the core's bytes, not encoded again
            'timeout' => 20,
            'redirection' => 0,
        ], $ips);
        if (is_wp_error($response)) {
            Log::warning('VietQR unreachable', ['endpoint' => $endpoint, 'error' => $response->get_error_code()]);
            $e = new CoreError(sprintf(
                /* translators: %s: the HTTP error, e.g. "cURL error 7: Failed to connect" */
                __('VietQR could not be reached: %s. Check the environment and base URL, and that this server can make outgoing HTTPS requests.', 'vietqr-for-woocommerce'),
                $response->get_error_message()
            ));
            $e->errorCode = 'unreachable';
            throw $e;
        }
        try {
            return Core::value("api.$endpoint.response", [
                'status' => (int) wp_remote_retrieve_response_code($response),
                'body' => (string) wp_remote_retrieve_body($response),
            ] + $replyInput);
        } catch (CoreError $e) {
            Log::warning('VietQR refused', ['endpoint' => $endpoint, 'code' => $e->vietqr['code'] ?? $e->errorCode]);
            throw $e;
        }
    }

    private function requireAccount(): void
    {
        if (!Settings::hasApiAccount()) {
            $e = new CoreError(__('Set the VietQR API username and password in VietQR settings first.', 'vietqr-for-woocommerce'));
            $e->errorCode = 'no_api_account';
            throw $e;
        }
    }
}
