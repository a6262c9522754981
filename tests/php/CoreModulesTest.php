<?php
/**
 * The PHP core is two generated classes: CoreServer answers every op but
 * the QR ones and CoreQr only those, each loaded on its first call. Each
 * case runs in its own PHP process, where nothing was loaded before.
 */

declare(strict_types=1);

namespace VietQR\Tests;

use PHPUnit\Framework\TestCase;

/**
 * php-wasm runs no second PHP: tests/php-versions leaves these out.
 *
 * @group subprocess
 */
final class CoreModulesTest extends TestCase
{
    /** @return array<string, mixed> what the script echoed as JSON */
    private static function runPhp(string $code): array
    {
        $script = "<?php require " . var_export(__DIR__ . '/../../php-bridge/autoload.php', true) . ";\n$code";
        $file = tempnam(sys_get_temp_dir(), 'vqr');
        file_put_contents($file, $script);
        $out = (string) shell_exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($file));
        unlink($file);
        $decoded = json_decode($out, true);
        self::assertIsArray($decoded, $out);
        return $decoded;
    }

    public function testCallbacksAndPayloadsNeverLoadTheQrModule(): void
    {
        $out = self::runPhp('$core = new VietQR\Core\Core();
            $loadedAtStart = class_exists("VietQR\\\\Generated\\\\CoreServer", false);
            $token = $core->call("callback.token", ["authorization" => "Basic dTpw", "username" => "u", "password" => "p", "secret" => "s", "now" => 1700000000, "ttl" => 300]);
            $payload = $core->call("payload.build", ["bank" => "VCB", "account" => "1023456789"]);
            echo json_encode(["at_start" => $loadedAtStart, "payload_ok" => $payload["ok"], "token_answered" => isset($token["ok"]),
                "server" => class_exists("VietQR\\\\Generated\\\\CoreServer", false), "qr" => class_exists("VietQR\\\\Generated\\\\CoreQr", false)]);');
        $this->assertSame(['at_start' => false, 'payload_ok' => true, 'token_answered' => true, 'server' => true, 'qr' => false], $out);
    }

    public function testAQrLoadsOnlyTheQrModule(): void
    {
        $out = self::runPhp('$core = new VietQR\Core\Core();
            $svg = $core->call("qr.svg", ["text" => "A"]);
            echo json_encode(["svg" => strpos($svg["value"]["svg"] ?? "", "<svg") === 0,
                "server" => class_exists("VietQR\\\\Generated\\\\CoreServer", false), "qr" => class_exists("VietQR\\\\Generated\\\\CoreQr", false)]);');
        $this->assertSame(['svg' => true, 'server' => false, 'qr' => true], $out);
    }

    public function testEveryOpListedIsAnsweredThroughCall(): void
    {
        $out = self::runPhp('$core = new VietQR\Core\Core();
            $unknown = [];
            foreach ($core->call("ops.list")["value"] as $op) {
                $r = $core->call($op, []);
                if (($r["error"]["code"] ?? "") === "unknown_op") { $unknown[] = $op; }
            }
            echo json_encode(["unknown" => $unknown, "png" => isset($core->call("qr.png", ["text" => "A"])["value"]["png_base64"])]);');
        $this->assertSame(['unknown' => [], 'png' => true], $out);
    }
}
