<?php
/**
 * The plugin's browser scripts are ES modules (they import the core's WASM
 * build), and WordPress 6.1 has no script modules API: their tags are
 * printed with type="module", here for all of them. A classic theme without
 * html5 script support makes WordPress < 6.3 print type='text/javascript',
 * which must go, or the browser refuses the module's `import`.
 */

declare(strict_types=1);

namespace VietQR\Support;

final class ModuleScript
{
    /** Script handles printed as modules. */
    public const HANDLES = ['vietqr-pay', 'vietqr-admin-link', 'vietqr-payment-qr'];

    public static function tag(string $tag, string $handle): string
    {
        if (!in_array($handle, self::HANDLES, true)) {
            return $tag;
        }
        $tag = (string) preg_replace('/\stype=([\'"])text\/javascript\1/', '', $tag);
        return (string) preg_replace('/<script(?![^>]*\btype=)/', '<script type="module"', $tag, 1);
    }
}
