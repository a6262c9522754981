<?php
/**
 * Every shared vector file, through the PHP host (the core translated to PHP
 * by wasm2php): the same cases `cargo test` and `node --test` run.
 */

declare(strict_types=1);

namespace VietQR\Tests;

use PHPUnit\Framework\TestCase;
use VietQR\Core\Core;

final class VectorsTest extends TestCase
{
    /** @return iterable<string, array{string, string, string}> */
    public function vectors(): iterable
    {
        foreach (glob(__DIR__ . '/../vectors/*.json') as $file) {
            $data = json_decode((string) file_get_contents($file));
            foreach ($data->vectors as $v) {
                yield basename($file, '.json') . '/' . $v->name => [
                    $v->op,
                    (string) json_encode($v->input, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION),
                    self::canonical($v->expect),
                ];
            }
        }
    }

    /** @dataProvider vectors */
    public function testVector(string $op, string $inputJson, string $expected): void
    {
        $out = Core::instance()->callJson($op, $inputJson);
        $this->assertSame($expected, self::canonical(json_decode($out)));
    }

    public function testArraysInArraysOut(): void
    {
        $out = Core::instance()->call('payload.build', [
            'bank' => 'ACB', 'account' => '257678859', 'amount' => 10000, 'purpose' => 'Chuyen tien',
        ]);
        $this->assertSame(
            ['ok' => true, 'value' => ['payload' => '00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6']],
            $out
        );
        $this->assertSame('invalid_input', Core::instance()->call('checksum.check_order')['error']['code']);
        $this->assertSame('unknown_op', Core::instance()->call('nope', ['a' => 1])['error']['code']);
    }

    public function testBadInputNeverBreaksTheInstance(): void
    {
        $core = Core::instance();
        foreach (['', '{', 'null', '[]', '"x"', "\xff\xfe", str_repeat('[', 5000)] as $junk) {
            $out = json_decode($core->callJson('payload.parse', $junk), true);
            $this->assertFalse($out['ok'], $junk);
        }
        $this->assertTrue($core->call('banks.lookup', ['bank' => 'VCB'])['ok']);
    }

    /** JSON with object keys sorted, so key order never decides equality. */
    private static function canonical($value): string
    {
        return (string) json_encode(self::sortKeys($value), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
    }

    private static function sortKeys($value)
    {
        if (is_object($value)) {
            $props = get_object_vars($value);
            ksort($props, SORT_STRING);
            $out = new \stdClass();
            foreach ($props as $k => $v) {
                $out->{$k} = self::sortKeys($v);
            }
            return $out;
        }
        if (is_array($value)) {
            return array_map([self::class, 'sortKeys'], $value);
        }
        return $value;
    }
}
