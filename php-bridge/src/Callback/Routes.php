<?php
/**
 * The two endpoints VietQR calls (docs/protocol.md §1d), under one base URL the
 * settings page shows:
 *   POST {base}/api/token_generate          Basic → a signed, expiring Bearer token
 *   POST {base}/bank/api/transaction-sync   Bearer + the 13-key body → verdict
 * The core makes every decision (credentials, token, body, sign, account);
 * this class passes the request in, answers with what the core returns,
 * and hands accepted transactions to Payments.
 */

declare(strict_types=1);

namespace VietQR\Callback;

use VietQR\Core\Core;
use VietQR\Payments\Payments;
use VietQR\Plugin;
use VietQR\Support\Health;
use VietQR\Support\Log;
use VietQR\Support\Settings;

final class Routes
{
    public const TOKEN_PATH = '/api/token_generate';
    public const SYNC_PATH = '/bank/api/transaction-sync';
    public const TOKEN_ROUTE = '/' . Plugin::REST_NAMESPACE . self::TOKEN_PATH;
    public const SYNC_ROUTE = '/' . Plugin::REST_NAMESPACE . self::SYNC_PATH;

    /** Bodies past this are cut before reaching the core, which refuses them (its limit is 16 KiB). */
    private const BODY_READ_MAX = 65536;

    /** @var int nanoseconds spent in the core in this request, loading it included (Server-Timing) */
    private static $coreNs = 0;

    /** @var int nanoseconds of that spent loading the core's module */
    private static $coreInitNs = 0;

    /**
     * @param mixed $result
     * @return mixed
     */
    public static function preDispatch($result, \WP_REST_Server $server, \WP_REST_Request $request)
    {
        if ($result !== null || $request->get_method() !== 'POST') {
            return $result;
        }
        $route = untrailingslashit($request->get_route());
        if (($route === self::TOKEN_ROUTE || $route === self::SYNC_ROUTE) && !self::isHttpRequest($route)) {
            // A sub-request (of /batch/v1, which runs this filter for each one
            // whether or not the route allows batching): WordPress's dispatch
            // decides, and refuses it (allow_batch is false).
            return $result;
        }
        if ($route === self::TOKEN_ROUTE) {
            return self::token($request);
        }
        if ($route === self::SYNC_ROUTE) {
            return self::transactionSync($request);
        }
        return $result;
    }

    /**
     * Whether $route is the one the HTTP request asked for (WordPress serves
     * that route from the rest_route query variable, pretty permalinks or not);
     * a batch's sub-requests and internal rest_do_request() calls are not.
     */
    private static function isHttpRequest(string $route): bool
    {
        global $wp;
        $asked = $wp instanceof \WP && isset($wp->query_vars['rest_route']) && is_string($wp->query_vars['rest_route'])
            ? untrailingslashit($wp->query_vars['rest_route'])
            : null;
        return $asked === $route;
    }

    public static function notForApplicationPasswords(bool $isApiRequest): bool
    {
        $uri = rawurldecode(esc_url_raw(wp_unslash((string) ($_SERVER['REQUEST_URI'] ?? ''))));
        foreach ([self::TOKEN_ROUTE, self::SYNC_ROUTE] as $path) {
            if (strpos($uri, $path) !== false) {
                return false;
            }
        }
        return $isApiRequest;
    }

    public static function token(\WP_REST_Request $request): \WP_REST_Response
    {
        if (TokenThrottle::blocked()) {
            // VietQR may be the one waiting here (a proxy's shared address): remembered, and the owner told.
            LockOuts::refused(time(), TokenThrottle::windowEnd());
            Health::rejected('token', 429, 'rate_limited', 'too many refused credentials from one address');
            return self::reply(429, ['error' => true, 'message' => 'too many refused token requests from this address; try again later']);
        }
        $authorization = self::authorization($request);
        if (!self::isUtf8($authorization)) {
            // Bad input, not a credential: no guess was made, none is counted.
            Health::rejected('token', 400, 'authorization_not_utf8', 'the Authorization header is not UTF-8 text');
            return self::reply(400, ['error' => 'bad_request', 'reason' => 'authorization_not_utf8']);
        }
        $out = self::core('callback.token', [
            'authorization' => $authorization,
            'username' => (string) Settings::get('callback_username'),
            'password' => Settings::secret('callback_password'),
            'secret' => Settings::callbackSecret(),
            'now' => time(),
        ]);
        if (($out['ok'] ?? false) !== true) {
            // Not set up (no callback credentials): refuse, and tell the admin.
            $error = $out['error'] ?? [];
            Health::rejected('token', 401, (string) ($error['code'] ?? 'internal'), (string) ($error['message'] ?? ''));
            return self::reply(401, ['error' => true, 'message' => 'callback credentials are not configured']);
        }
        $value = $out['value'];
        if ((int) $value['status'] === 200) {
            LockOuts::sourceSeen(time());
        } else {
            Health::rejected('token', (int) $value['status'], (string) ($value['reason'] ?? 'unauthorized'), 'token request refused');
            if ((int) $value['status'] === 401) {
                TokenThrottle::failed();
            }
        }
        return self::reply((int) $value['status'], $value['body']);
    }

    public static function transactionSync(\WP_REST_Request $request): \WP_REST_Response
    {
        $authorization = self::authorization($request);
        if (!self::isUtf8($authorization)) {
            // Such bytes are no token we issued: refused as one (401, 012).
            Health::rejected('transaction-sync', 401, 'authorization_not_utf8', 'the Authorization header is not UTF-8 text');
            return self::reply(401, self::failure('012', 'the Authorization header is not UTF-8 text'));
        }
        $body = (string) $request->get_body();
        $notUtf8 = false;
        if (strlen($body) > self::BODY_READ_MAX) {
            // Refused by the core for its size alone: its bytes do not matter.
            $body = str_repeat(' ', self::BODY_READ_MAX + 1);
        } elseif (!self::isUtf8($body)) {
            // The core still checks the token first (401 before 400): it gets
            // an empty body, and a refusal of that body is this one.
            $notUtf8 = true;
            $body = '';
        }
        $out = self::core('callback.transaction_sync', [
            'authorization' => $authorization,
            'body' => $body,
            'secret' => Settings::callbackSecret(),
            'now' => time(),
            'bank_account' => (string) Settings::get('account'),
        ]);
        if (($out['ok'] ?? false) !== true) {
            $error = $out['error'] ?? [];
            Health::rejected('transaction-sync', 500, (string) ($error['code'] ?? 'internal'), (string) ($error['message'] ?? ''));
            return self::reply(500, self::failure('005', 'the shop could not check this callback'));
        }
        $verdict = $out['value'];
        if ($notUtf8 && (int) $verdict['status'] === 400) {
            Health::rejected('transaction-sync', 400, 'body_not_utf8', 'body is not UTF-8 text');
            return self::reply(400, self::failure('001', 'body is not UTF-8 text'));
        }
        if ($verdict['transaction'] === null) {
            Health::rejected('transaction-sync', (int) $verdict['status'], (string) $verdict['reason'], (string) ($verdict['body']['toastMessage'] ?? ''));
            return self::reply((int) $verdict['status'], $verdict['body']);
        }
        try {
            $result = Payments::apply($verdict['transaction'], 'callback');
        } catch (\Throwable $e) {
            // Not recorded: a 500 makes VietQR deliver it again.
            Log::warning('transaction not recorded', ['error' => get_class($e)]);
            Health::rejected('transaction-sync', 500, 'not_recorded', 'the transaction could not be recorded; VietQR will retry');
            return self::reply(500, self::failure('005', 'the shop could not record this transaction; retry'));
        }
        if ($result['result'] === 'unsigned') {
            Health::rejected('transaction-sync', 400, 'sign_missing', 'sign is missing for a QR issued with one');
            return self::reply(400, self::failure('011', 'sign is missing: this QR was issued with one, and VietQR echoes it'));
        }
        Health::accepted($result['result'] === 'duplicate');
        Log::info('transaction accepted', [
            'result' => $result['result'],
            'payment' => $result['payment']['id'] ?? null,
            'reference' => (string) $verdict['transaction']['reference_number'],
        ]);
        return self::reply(200, $verdict['body']);
    }

    /**
     * A core call, timed for the Server-Timing header: `core` is all of it,
     * `core-init` the part spent loading the module (on its op's first call of a request).
     *
     * @param array<string, mixed> $input
     * @return array<string, mixed>
     */
    private static function core(string $op, array $input): array
    {
        $started = hrtime(true);
        $core = Core::instance();
        $loadedNs = $core->loadNs();
        try {
            return $core->call($op, $input);
        } finally {
            self::$coreInitNs += $core->loadNs() - $loadedNs;
            self::$coreNs += hrtime(true) - $started;
        }
    }

    /** The Authorization header, wherever the web server put it. */
    private static function authorization(\WP_REST_Request $request): string
    {
        $header = (string) $request->get_header('authorization');
        if ($header === '' && isset($_SERVER['PHP_AUTH_USER'])) {
            // Some servers hand over Basic credentials only as PHP_AUTH_*.
            // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- credentials: the core compares them byte for byte, and sanitizing would change a password
            $header = 'Basic ' . base64_encode(wp_unslash($_SERVER['PHP_AUTH_USER']) . ':' . wp_unslash($_SERVER['PHP_AUTH_PW'] ?? ''));
        }
        return $header;
    }

    /** Whether $text is UTF-8 (what the core takes; anything else cannot even be handed to it as JSON). */
    private static function isUtf8(string $text): bool
    {
        return preg_match('//u', $text) === 1;
    }

    /** @return array<string, mixed> */
    private static function failure(string $code, string $message): array
    {
        return ['error' => true, 'errorReason' => $code, 'toastMessage' => $message, 'object' => null];
    }

    /** @param mixed $body */
    private static function reply(int $status, $body): \WP_REST_Response
    {
        $response = new \WP_REST_Response($body, $status);
        $response->header('Cache-Control', 'no-store');
        // Time in the core vs. in PHP so far (WordPress included), and how many core calls: figures only.
        $php = isset($_SERVER['REQUEST_TIME_FLOAT']) ? (microtime(true) - (float) $_SERVER['REQUEST_TIME_FLOAT']) * 1000 : 0.0;
        $response->header('Server-Timing', sprintf('core;dur=%.3f, core-init;dur=%.3f, core-calls;desc=%d, php;dur=%.3f', self::$coreNs / 1e6, self::$coreInitNs / 1e6, Core::instance()->calls(), $php));
        return $response;
    }
}
