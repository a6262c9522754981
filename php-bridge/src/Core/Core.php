<?php
/**
 * The core on PHP: the Rust core compiled to WebAssembly and translated to
 * plain PHP by wasm2php, behind the same call(op, input) every host offers.
 * No extension, no FFI. It comes as two generated classes, each loaded on
 * its op's first call: CoreServer (php-bridge/core/CoreServer.php: every op
 * but the QR ones, what callbacks, checkout and the API use) and CoreQr
 * (core/CoreQr.php: qr.svg and qr.png, only when PHP draws a QR), so that a
 * request that draws no QR never compiles the QR encoder.
 */

declare(strict_types=1);

namespace VietQR\Core;

use VietQR\Generated\CoreQr;
use VietQR\Generated\CoreServer;

final class Core
{
    /** @var Core|null */
    private static $instance;

    /** The ops only CoreQr answers (the PhpQr rows of ops::TABLE in src/ops.rs). */
    private const QR_OPS = ['qr.svg' => true, 'qr.png' => true];

    /** @var array<string, CoreServer|CoreQr> the modules made so far, by class */
    private $modules = [];

    /** @var int nanoseconds spent loading and instantiating modules */
    private $loadNs = 0;

    /** @var int core calls made through this instance (Server-Timing; the calls a job costs) */
    private $calls = 0;

    /** One instance per request: loading and instantiating a module is the costly part. */
    public static function instance(): self
    {
        if (self::$instance === null) {
            self::$instance = new self();
        }
        return self::$instance;
    }

    /** @return CoreServer|CoreQr */
    private function module(string $class)
    {
        if (!isset($this->modules[$class])) {
            $started = hrtime(true);
            if (!class_exists($class)) {
                $file = substr($class, strrpos($class, '\\') + 1) . '.php';
                throw new \LogicException("php-bridge/core/$file is missing: run `make build`");
            }
            $this->modules[$class] = new $class();
            $this->loadNs += hrtime(true) - $started;
        }
        return $this->modules[$class];
    }

    /** Nanoseconds this instance spent loading modules (each on its op's first call). */
    public function loadNs(): int
    {
        return $this->loadNs;
    }

    /** How many core calls this instance has made. */
    public function calls(): int
    {
        return $this->calls;
    }

    /**
     * call(op, input) on PHP arrays: {"ok": true, "value": …} or
     * {"ok": false, "error": {"code", "message"}}.
     *
     * @param array<string, mixed> $input
     * @return array<string, mixed>
     */
    public function call(string $op, array $input = []): array
    {
        // An empty PHP array is an empty object here, never a list.
        $json = $input === [] ? '{}' : json_encode(
            $input,
            JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION
        );
        if ($json === false) {
            return self::failure('invalid_input', 'input cannot be encoded as JSON: ' . json_last_error_msg());
        }
        $out = json_decode($this->callJson($op, $json), true);
        return is_array($out) ? $out : self::failure('internal', 'the core answered with something that is not JSON');
    }

    /**
     * The value of a successful call, or a CoreError carrying the core's
     * code, message and (for VietQR replies) its `vietqr` explanation.
     *
     * @param array<string, mixed> $input
     * @return mixed
     */
    public static function value(string $op, array $input = [])
    {
        $out = self::instance()->call($op, $input);
        if (($out['ok'] ?? false) === true) {
            return $out['value'];
        }
        throw CoreError::fromOutput($out['error'] ?? []);
    }

    /** call(op, input) on JSON text, returning the core's JSON text as is. */
    public function callJson(string $op, string $inputJson): string
    {
        $this->calls++;
        $class = isset(self::QR_OPS[$op]) ? CoreQr::class : CoreServer::class;
        $m = $this->module($class);
        $opLen = strlen($op);
        $inLen = strlen($inputJson);
        try {
            $opPtr = $m->export_vqr_alloc($opLen) & 0xFFFFFFFF;
            $m->writeMemory($opPtr, $op);
            $inPtr = $m->export_vqr_alloc($inLen) & 0xFFFFFFFF;
            $m->writeMemory($inPtr, $inputJson);
            $packed = $m->export_vqr_call($opPtr, $opLen, $inPtr, $inLen);
            $outPtr = ($packed >> 32) & 0xFFFFFFFF;
            $outLen = $packed & 0xFFFFFFFF;
            $out = $m->readMemory($outPtr, $outLen);
            $m->export_vqr_free($outPtr, $outLen);
            $m->export_vqr_free($inPtr, $inLen);
            $m->export_vqr_free($opPtr, $opLen);
            return $out;
        } catch (\RuntimeException $trap) {
            // A trapped instance may hold half-updated state: start afresh.
            unset($this->modules[$class]);
            return (string) json_encode(self::failure('internal', 'the core stopped: ' . $trap->getMessage()));
        }
    }

    /** @return array<string, mixed> */
    private static function failure(string $code, string $message): array
    {
        return ['ok' => false, 'error' => ['code' => $code, 'message' => $message]];
    }
}
