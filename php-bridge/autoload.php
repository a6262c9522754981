<?php
/**
 * PSR-4 autoloading for the plugin: VietQR\ → src/, and the generated core
 * (VietQR\Generated\ → core/, written by `make build`).
 */

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    static $roots = [
        'VietQR\\Generated\\' => __DIR__ . '/core/',
        'VietQR\\' => __DIR__ . '/src/',
    ];
    foreach ($roots as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
