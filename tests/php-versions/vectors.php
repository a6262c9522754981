<?php
/**
 * The shared vectors through the PHP host, with no PHPUnit: `make test`
 * runs this on every PHP the plugin supports (php-wasm, tests/php-versions/
 * run.sh) to prove the generated core and the host run there without a
 * notice, warning or deprecation. Prints "N passed, N failed" and exits
 * non-zero on any failure or any such message.
 */

declare(strict_types=1);

require __DIR__ . '/../../php-bridge/autoload.php';

// Every notice, warning and deprecation counts against the run: a shop's
// PHP may log each one (WP_DEBUG_LOG) or print it into a callback's JSON.
error_reporting(-1);
$diagnostics = [];
set_error_handler(static function (int $level, string $message, string $file, int $line) use (&$diagnostics): bool {
    $key = basename($file) . ':' . $line . ': ' . $message;
    $diagnostics[$key] = ($diagnostics[$key] ?? 0) + 1;
    return true;
});

function sort_keys($v)
{
    if (is_object($v)) {
        $props = get_object_vars($v);
        ksort($props, SORT_STRING);
        $o = new stdClass();
        foreach ($props as $k => $x) {
            $o->{$k} = sort_keys($x);
        }
        return $o;
    }
    return is_array($v) ? array_map('sort_keys', $v) : $v;
}

function canonical($v): string
{
    return (string) json_encode(sort_keys($v), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
}

$core = new VietQR\Core\Core();
$passed = 0;
$failed = 0;
foreach (glob(__DIR__ . '/../vectors/*.json') as $file) {
    foreach (json_decode((string) file_get_contents($file))->vectors as $v) {
        $in = (string) json_encode($v->input, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
        $got = canonical(json_decode($core->callJson($v->op, $in)));
        if ($got === canonical($v->expect)) {
            $passed++;
        } else {
            $failed++;
            fwrite(STDERR, basename($file) . '/' . $v->name . "\n  expected " . canonical($v->expect) . "\n  got      $got\n");
        }
    }
}
echo 'shared vectors on PHP ', PHP_VERSION, "\n";
foreach ($diagnostics as $where => $times) {
    echo "PHP " . PHP_VERSION . " said ($times times) $where\n";
}
if ($diagnostics !== []) {
    $failed++; // the run itself
}
echo "$passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
