<?php
/**
 * `make bench` (PHP part): the core translated to PHP against the pure-PHP QR
 * libraries Debian ships, in one PHP process, same text and ECL M
 * (bench/php-load.sh measures what loading each generated class costs).
 * Run with opcache on: php -d opcache.enable_cli=1 bench/php.php
 */

declare(strict_types=1);

require __DIR__ . '/../php-bridge/autoload.php';
require '/usr/share/php/Bacon/BaconQrCode/autoload.php';
require '/usr/share/phpqrcode/phpqrcode.php';

use VietQR\Core\Core;

/** Median microseconds per call over 5 rounds of $n calls. */
function per_call(callable $fn, int $n): float
{
    $fn();
    $rounds = [];
    for ($r = 0; $r < 5; $r++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $fn();
        }
        $rounds[] = (hrtime(true) - $t0) / 1000 / $n;
    }
    sort($rounds);
    return $rounds[2];
}

function row(string $what, string $ours, float $oursUs, string $peer, float $peerUs): float
{
    $ratio = $peerUs / $oursUs;
    printf("%-14s %-30s %10.1f µs   %-34s %10.1f µs   %.2f× %s\n", $what, $ours, $oursUs, $peer, $peerUs, $ratio, $ratio >= 1 ? 'faster' : 'slower');
    return $ratio;
}

$core = Core::instance();
$payload = $core->call('payload.build', [
    'bank' => 'VCB', 'account' => '1023456789', 'amount' => 1250000, 'purpose' => 'DH10234 Thanh toan',
])['value']['payload'];
$qrIn = json_encode(['text' => $payload, 'ecl' => 'M']);

$bacon = new BaconQrCode\Writer(new BaconQrCode\Renderer\ImageRenderer(
    new BaconQrCode\Renderer\RendererStyle\RendererStyle(300, 4),
    new BaconQrCode\Renderer\Image\SvgImageBackEnd()
));
$ecM = BaconQrCode\Common\ErrorCorrectionLevel::M();

printf("PHP %s, opcache %s; payload of %d characters, ECL M; the core's QR ops run in core/CoreQr.php (%d bytes), the others in core/CoreServer.php (%d bytes)\n\n", PHP_VERSION,
    function_exists('opcache_get_status') && @opcache_get_status(false) ? 'on' : 'off', strlen($payload),
    filesize(__DIR__ . '/../php-bridge/core/CoreQr.php'), filesize(__DIR__ . '/../php-bridge/core/CoreServer.php'));
$vsBacon = row('qr.svg', "core callJson('qr.svg')", per_call(function () use ($core, $qrIn) { $core->callJson('qr.svg', $qrIn); }, 20),
    'BaconQrCode Writer SVG', per_call(function () use ($bacon, $payload, $ecM) { $bacon->writeString($payload, 'UTF-8', $ecM); }, 20));
$vsPhpqrcode = row('qr matrix', "core callJson('qr.svg')", per_call(function () use ($core, $qrIn) { $core->callJson('qr.svg', $qrIn); }, 20),
    'phpqrcode QRcode::text (matrix)', per_call(function () use ($payload) { QRcode::text($payload, false, QR_ECLEVEL_M); }, 20));

$checksumIn = json_encode(['password' => '37256497631', 'ecommerce_site' => 'https://www.google.com']);
$buildIn = json_encode(['bank' => '970436', 'account' => '1023456789', 'amount' => 1250000, 'purpose' => 'DH10234 Thanh toan']);
$checksumUs = per_call(function () use ($core, $checksumIn) { $core->callJson('checksum.ecommerce_sync', $checksumIn); }, 200);
$buildUs = per_call(function () use ($core, $buildIn) { $core->callJson('payload.build', $buildIn); }, 200);
printf("\n%-14s %-30s %10.1f µs   (goal < 500 µs)\n", 'checksum', "core checksum.ecommerce_sync", $checksumUs);
printf("%-14s %-30s %10.1f µs   (goal < 500 µs)\n", 'payload.build', "core payload.build", $buildUs);
printf("\ngoals: ≥ 3× faster than BaconQrCode: %s (%.2f×); no slower than phpqrcode's matrix: %s (%.2f×)\n",
    $vsBacon >= 3 ? 'met' : 'NOT met', $vsBacon, $vsPhpqrcode >= 1 ? 'met' : 'NOT met', $vsPhpqrcode);
