<?php

declare(strict_types=1);

namespace VietQR\Core;

/**
 * An `ok: false` answer of the core: `errorCode` is its stable code
 * (`invalid_input`, `vietqr_error`, …); for VietQR's own errors `vietqr`
 * holds {code, en, vi, action} for the admin.
 */
final class CoreError extends \RuntimeException
{
    /** @var string */
    public $errorCode;

    /** @var array<string, string>|null */
    public $vietqr;

    /** @param array<string, mixed> $error */
    public static function fromOutput(array $error): self
    {
        $e = new self((string) ($error['message'] ?? 'the core gave no message'));
        $e->errorCode = (string) ($error['code'] ?? 'internal');
        $e->vietqr = isset($error['vietqr']) && is_array($error['vietqr']) ? $error['vietqr'] : null;
        return $e;
    }

    /** What the admin reads: VietQR's meaning in the site's language, then what to do. */
    public function forAdmin(): string
    {
        if ($this->vietqr === null) {
            return $this->getMessage();
        }
        $vi = strpos((string) get_locale(), 'vi') === 0;
        $meaning = $vi ? ($this->vietqr['vi'] ?? '') : ($this->vietqr['en'] ?? '');
        /* translators: 1: VietQR error code such as E74, 2: its meaning, 3: what to do */
        return sprintf(__('VietQR answered %1$s: %2$s. %3$s', 'vietqr-for-woocommerce'), $this->vietqr['code'] ?? '', $meaning, $this->vietqr['action'] ?? '');
    }
}
