<?php
/**
 * Where the plugin may send its VietQR requests (and with them the shop's
 * API password). A custom base URL is typed by an admin, but it must not turn
 * the shop into a proxy against its own network (SSRF): loopback, private,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast and reserved addresses are refused, and so are host names that
 * resolve there, other schemes than http(s), credentials in the URL and
 * ports WordPress does not consider safe. The request itself then goes
 * through wp_safe_remote_request() (WordPress's own reject_unsafe_urls /
 * http_request_host_is_external check) without following redirects, pinned
 * by cURL to the address checked here so a second DNS answer cannot differ.
 *
 * A simulator on this machine is allowed only when the site says so in
 * wp-config.php: define('VIETQR_ALLOW_PRIVATE_BASE_URL', true);
 */

declare(strict_types=1);

namespace VietQR\Api;

final class UrlGuard
{
    public const ALLOW_CONSTANT = 'VIETQR_ALLOW_PRIVATE_BASE_URL';

    /** Ranges PHP's FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE let through. */
    private const EXTRA_BLOCKED = ['100.64.0.0/10', '192.0.0.0/24', '198.18.0.0/15', '224.0.0.0/4', 'ff00::/8', 'fec0::/10'];

    /** IPv6 ranges that carry an IPv4 address, checked as that address: prefix => offset of the 4 bytes. */
    private const EMBEDS_IPV4 = ['::ffff:0:0/96' => 12, '::/96' => 12, '64:ff9b::/96' => 12, '2002::/16' => 2];

    /** Whether this site lets the base URL point into its own network (a simulator on loopback). */
    public static function allowsPrivate(): bool
    {
        $allowed = defined(self::ALLOW_CONSTANT) && (bool) constant(self::ALLOW_CONSTANT);
        /** Code-level override of the wp-config constant (tests use it). */
        return (bool) apply_filters('vietqr_allow_private_base_url', $allowed);
    }

    /**
     * Why $url must not be called, and the addresses its host resolved to.
     *
     * @return array{0: string|null, 1: list<string>} [problem (scheme, credentials, host, port, private, unresolved) or null, IPv4 addresses]
     */
    public static function inspect(string $url): array
    {
        $parts = wp_parse_url($url);
        if (!is_array($parts) || !in_array(strtolower((string) ($parts['scheme'] ?? '')), ['http', 'https'], true)) {
            return ['scheme', []];
        }
        if (isset($parts['user']) || isset($parts['pass'])) {
            return ['credentials', []];
        }
        $host = strtolower((string) ($parts['host'] ?? ''));
        if ($host === '') {
            return ['host', []];
        }
        if (self::allowsPrivate()) {
            return [null, []];
        }
        $bare = trim($host, '[]');
        if (filter_var($bare, FILTER_VALIDATE_IP) !== false) {
            if (!self::isPublic($bare)) {
                return ['private', [$bare]];
            }
            if ($bare !== $host) {
                return ['host', [$bare]]; // WordPress's safe HTTP refuses bracketed IPv6 hosts in any case
            }
            $ips = [$bare];
        } else {
            if (strpbrk($host, '[]:') !== false) {
                return ['host', []];
            }
            // The system resolver, as the request would use it (/etc/hosts,
            // numeric forms such as 2130706433 or 127.1 included).
            $ips = gethostbynamel(rtrim($host, '.'));
            if ($ips === false || $ips === []) {
                return ['unresolved', []];
            }
            foreach ($ips as $ip) {
                if (!self::isPublic($ip)) {
                    return ['private', $ips];
                }
            }
        }
        if (isset($parts['port'])) {
            $safe = apply_filters('http_allowed_safe_ports', [80, 443, 8080], $host, $url);
            if (is_array($safe) && !in_array((int) $parts['port'], $safe, true)) {
                return ['port', $ips];
            }
        }
        return [null, array_values($ips)];
    }

    /** A public unicast address: not private, loopback, link-local, reserved, CGNAT or multicast. */
    public static function isPublic(string $ip): bool
    {
        if (filter_var($ip, FILTER_VALIDATE_IP, FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE) === false) {
            return false;
        }
        $bin = (string) inet_pton($ip);
        foreach (self::EXTRA_BLOCKED as $cidr) {
            if (self::inRange($bin, $cidr)) {
                return false;
            }
        }
        if (strlen($bin) === 16) {
            foreach (self::EMBEDS_IPV4 as $cidr => $offset) {
                if (self::inRange($bin, $cidr)) {
                    return self::isPublic((string) inet_ntop(substr($bin, $offset, 4)));
                }
            }
        }
        return true;
    }

    private static function inRange(string $bin, string $cidr): bool
    {
        [$net, $bits] = explode('/', $cidr);
        $netBin = (string) inet_pton($net);
        if (strlen($netBin) !== strlen($bin)) {
            return false;
        }
        $bits = (int) $bits;
        $bytes = intdiv($bits, 8);
        if (substr($bin, 0, $bytes) !== substr($netBin, 0, $bytes)) {
            return false;
        }
        $rest = $bits % 8;
        if ($rest === 0) {
            return true;
        }
        $mask = (0xff << (8 - $rest)) & 0xff;
        return (ord($bin[$bytes]) & $mask) === (ord($netBin[$bytes]) & $mask);
    }

    /** What the admin reads when a base URL is refused. */
    public static function message(string $problem): string
    {
        switch ($problem) {
            case 'scheme':
                return __('The base URL must start with http:// or https://.', 'vietqr-for-woocommerce');
            case 'credentials':
                return __('The base URL must not contain a user name or password.', 'vietqr-for-woocommerce');
            case 'port':
                return __('The base URL uses a port WordPress does not allow for outgoing requests (only 80, 443 and 8080).', 'vietqr-for-woocommerce');
            case 'private':
                return __('The base URL points into a private, loopback or link-local network; VietQR requests are not sent there. For a VietQR simulator on this server, add define(\'VIETQR_ALLOW_PRIVATE_BASE_URL\', true); to wp-config.php.', 'vietqr-for-woocommerce');
            case 'unresolved':
                return __('The host name of the base URL could not be found (DNS). Check the spelling.', 'vietqr-for-woocommerce');
            default:
                return __('The host of the base URL is not valid; use a host name such as dev.vietqr.org.', 'vietqr-for-woocommerce');
        }
    }

    /**
     * Sends a request to a URL inspect() passed: WordPress's safe HTTP,
     * no redirects, cURL pinned to the checked address.
     *
     * @param array<string, mixed> $args
     * @param list<string> $ips
     * @return array<string, mixed>|\WP_Error
     */
    public static function request(string $url, array $args, array $ips)
    {
        $args['redirection'] = 0;
        if (self::allowsPrivate()) {
            return wp_remote_request($url, $args);
        }
        $parts = (array) wp_parse_url($url);
        $host = (string) ($parts['host'] ?? '');
        $pin = null;
        if ($ips !== [] && filter_var($host, FILTER_VALIDATE_IP) === false && defined('CURLOPT_RESOLVE')) {
            $port = (int) ($parts['port'] ?? (strtolower((string) $parts['scheme']) === 'https' ? 443 : 80));
            $entry = $host . ':' . $port . ':' . $ips[0];
            $pin = static function ($handle) use ($entry): void {
                // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- the request is WordPress's (wp_safe_remote_request); this only pins its cURL handle to the address checked above, against DNS rebinding
                curl_setopt($handle, CURLOPT_RESOLVE, [$entry]);
            };
            add_action('http_api_curl', $pin);
        }
        try {
            return wp_safe_remote_request($url, $args);
        } finally {
            if ($pin !== null) {
                remove_action('http_api_curl', $pin);
            }
        }
    }
}
