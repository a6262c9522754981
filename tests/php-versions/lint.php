<?php
/**
 * Every PHP file of the plugin must parse on every PHP it supports
 * (run.sh runs this on each): `php -l` on the machine's PHP 8.2 would accept
 * PHP 8-only syntax (match, ?->, named arguments, union types…) that 7.4
 * cannot read. run.sh also compiles them with `-l` on 8.3 and later, where
 * compile-time deprecations show. The generated core is checked by running
 * it (vectors.php).
 */

$root = dirname(__DIR__, 2) . '/php-bridge';
$files = [];
$it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root, FilesystemIterator::SKIP_DOTS));
foreach ($it as $file) {
    $path = $file->getPathname();
    if (substr($path, -4) === '.php' && strpos($path, '/core/') === false && strpos($path, '/node_modules/') === false) {
        $files[] = $path;
    }
}
$files[] = $root . '/bin/core-call';
sort($files);
$failed = 0;
foreach ($files as $path) {
    $code = file_get_contents($path);
    try {
        // Parses without running: token_get_all with TOKEN_PARSE throws ParseError.
        token_get_all($code, TOKEN_PARSE);
    } catch (ParseError $e) {
        $failed++;
        fwrite(STDOUT, 'PHP ' . PHP_VERSION . ' cannot parse ' . substr($path, strlen($root) + 1) . ' line ' . $e->getLine() . ': ' . $e->getMessage() . "\n");
    }
}
printf("PHP %s lint: %d files, %d passed, %d failed\n", PHP_VERSION, count($files), count($files) - $failed, $failed);
exit($failed === 0 ? 0 : 1);
