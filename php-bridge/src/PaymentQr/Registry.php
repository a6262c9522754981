<?php
/**
 * The payment QRs the site shows (block or shortcode), by their transfer
 * content: what a transfer to one of them carries, so that it is told apart
 * from an order's payment gone astray (Received). Each is remembered when it
 * is drawn for a visitor, with the pages that show it: a transfer to a QR
 * follows a visit that showed it, and the render already knows the content,
 * the amount and the page, with no parsing of posts, templates or widgets.
 * One option, not autoloaded, written only when something new is seen.
 */

declare(strict_types=1);

namespace VietQR\PaymentQr;

use VietQR\Core\Core;
use VietQR\Support\Options;

final class Registry
{
    public const OPTION = 'vietqr_payment_qrs';

    /**
     * A content shorter than this (normalised) is not told apart: two or
     * three letters ("CK", "TT") are in too many transfers to say which
     * paid a payment QR.
     */
    public const KEY_MIN = 4;

    /** At most this many payment QRs are kept (those noted longest ago go first). */
    public const MAX = 100;

    /** At most this many pages per payment QR. */
    public const PAGES_MAX = 10;

    /**
     * Text compared the way the core compares transfer contents
     * (reconcile::normalise): upper case, letters and digits only. For text
     * already folded to ASCII (a payment QR's content is folded by the core
     * when its payload is built); Received folds the payer's content first.
     */
    public static function key(string $asciiContent): string
    {
        return strtoupper((string) preg_replace('/[^A-Za-z0-9]+/', '', $asciiContent));
    }

    /**
     * Notes a payment QR drawn on a page.
     *
     * @param string   $content the folded transfer content the QR carries
     * @param int|null $amount  its amount, null when the payer types it
     * @param int      $page    the post it is shown on (0: none known)
     */
    public static function remember(string $content, ?int $amount, int $page): void
    {
        $key = self::key($content);
        if (strlen($key) < self::KEY_MIN) {
            return;
        }
        $all = self::all();
        $entry = $all[$key] ?? ['content' => $content, 'amount' => $amount, 'pages' => [], 'since' => time()];
        $pages = $entry['pages'];
        if ($page > 0 && !in_array($page, $pages, true)) {
            $pages = array_slice(array_merge([$page], $pages), 0, self::PAGES_MAX);
        }
        if (isset($all[$key]) && $pages === $entry['pages']) {
            return; // the usual case: every view of a page draws its QR again; no write
        }
        $entry = ['content' => $content, 'amount' => $amount, 'pages' => $pages, 'since' => (int) $entry['since']];
        unset($all[$key]);
        $all[$key] = $entry;
        if (count($all) > self::MAX) {
            $all = array_slice($all, -self::MAX, null, true);
        }
        Options::save(self::OPTION, $all);
    }

    /** @return array<string, array{content: string, amount: int|null, pages: list<int>, since: int}> by key */
    public static function all(): array
    {
        $all = get_option(self::OPTION, []);
        $out = [];
        foreach (is_array($all) ? $all : [] as $key => $entry) {
            if (!is_array($entry)) {
                continue;
            }
            $out[(string) $key] = [
                'content' => (string) ($entry['content'] ?? ''),
                'amount' => isset($entry['amount']) ? (int) $entry['amount'] : null,
                'pages' => array_values(array_map('intval', (array) ($entry['pages'] ?? []))),
                'since' => (int) ($entry['since'] ?? 0),
            ];
        }
        return $out;
    }

    /** Any text (a payer's transfer content) as the core compares it: folded to ASCII by the core, then key(). */
    public static function normalise(string $text): string
    {
        return self::key((string) Core::value('text.fold', ['text' => $text])['text']);
    }

    /**
     * The payment QR whose content a normalised transfer content holds, the
     * longest when several do.
     *
     * @param array<string, array{content: string, amount: int|null, pages: list<int>, since: int}> $all from all()
     * @return array{key: string, content: string, amount: int|null, pages: list<int>, since: int}|null
     */
    public static function find(array $all, string $haystack): ?array
    {
        $best = null;
        foreach ($all as $key => $entry) {
            if (strlen($key) >= self::KEY_MIN && strpos($haystack, $key) !== false && ($best === null || strlen($key) > strlen($best['key']))) {
                $best = ['key' => $key] + $entry;
            }
        }
        return $best;
    }
}
