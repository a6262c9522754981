<?php
/**
 * The payment rules (php-bridge/src/Payments/Rules.php) without WordPress:
 * status from amounts, the order's sync state, which references a transfer
 * may pay and which payment it pays, and when a callback must carry `sign`.
 */

declare(strict_types=1);

namespace VietQR\Tests;

use PHPUnit\Framework\TestCase;
use VietQR\Payments\Rules;

final class PaymentRulesTest extends TestCase
{
    /** @return iterable<string, array{int, int, string, string}> */
    public function statuses(): iterable
    {
        yield 'nothing yet' => [25000, 0, 'pending', 'partial'];
        yield 'part of it' => [25000, 10000, 'pending', 'partial'];
        yield 'exactly' => [25000, 25000, 'partial', 'paid'];
        yield 'more' => [25000, 30000, 'pending', 'overpaid'];
        yield 'late but exact' => [25000, 25000, 'expired', 'paid'];
        yield 'refunded stays refunded' => [25000, 50000, 'refunded', 'refunded'];
    }

    /** @dataProvider statuses */
    public function testStatusFromAmounts(int $amount, int $received, string $previous, string $expected): void
    {
        self::assertSame($expected, Rules::status($amount, $received, $previous));
    }

    public function testALiveQrIsOneTheBuyerCanStillPay(): void
    {
        $now = 1800000000;
        $this->assertTrue(Rules::isLive(['status' => 'pending', 'expires_at' => $now + 1], $now));
        $this->assertFalse(Rules::isLive(['status' => 'pending', 'expires_at' => $now], $now), 'run out');
        // Partly paid: the rest matches it by content, whenever it comes.
        $this->assertTrue(Rules::isLive(['status' => 'partial', 'expires_at' => $now - 3600], $now));
        foreach (['expired', 'paid', 'overpaid', 'refunded'] as $status) {
            $this->assertFalse(Rules::isLive(['status' => $status, 'expires_at' => $now + 60], $now), $status);
        }
    }

    public function testSyncStateIsStatusAndReceived(): void
    {
        self::assertSame('paid:25000', Rules::syncState(['status' => 'paid', 'received' => '25000']));
        self::assertSame('pending:0', Rules::syncState(['status' => 'pending', 'received' => 0]));
    }

    public function testPickPrefersTheOrderIdElseTheNewest(): void
    {
        $rows = [['id' => 9, 'order_ref' => 'DH9'], ['id' => 5, 'order_ref' => 'DH5']];
        self::assertSame(5, Rules::pick(['order_id' => 'dh5', 'content' => 'DH9'], $rows)['id']);
        self::assertSame(9, Rules::pick(['order_id' => '', 'content' => 'DH5 DH9'], $rows)['id']);
        self::assertNull(Rules::pick(['order_id' => 'DH1'], []));
    }

    public function testSignIsRequiredOnlyWhenVietQrTiedTheTransferToAnApiQr(): void
    {
        $api = ['mode' => 'api', 'order_ref' => 'DH42'];
        self::assertTrue(Rules::signRequired($api, ['order_id' => 'DH42']), 'left out');
        self::assertTrue(Rules::signRequired($api, ['order_id' => 'dh42', 'sign_valid' => null]), 'empty');
        self::assertFalse(Rules::signRequired($api, ['order_id' => 'DH42', 'sign_valid' => true]), 'signed');
        self::assertFalse(Rules::signRequired($api, ['order_id' => '', 'content' => 'DH42']), 'another amount: no orderId, no sign');
        self::assertFalse(Rules::signRequired(['mode' => 'local', 'order_ref' => 'DH42'], ['order_id' => 'DH42']), 'local QR: nothing to echo');
    }

    public function testALockOutBlindsALocalQrValidInItOrJustBeforeIt(): void
    {
        $horizon = 600;
        $lockOut = ['from' => 10000, 'until' => 10900];
        $local = static function (int $created, int $expires): array {
            return ['mode' => 'local', 'created_at' => $created, 'expires_at' => $expires];
        };
        self::assertSame($lockOut, Rules::blindPeriod($local(10100, 10400), [$lockOut], $horizon), 'valid inside it');
        self::assertSame($lockOut, Rules::blindPeriod($local(9000, 10001), [$lockOut], $horizon), 'ran out during it');
        self::assertSame($lockOut, Rules::blindPeriod($local(10900, 11800), [$lockOut], $horizon), 'made as it ended');
        self::assertSame($lockOut, Rules::blindPeriod($local(8000, 9400), [$lockOut], $horizon), 'ran out within the retry horizon before it: retried into it');
        self::assertNull(Rules::blindPeriod($local(8000, 9399), [$lockOut], $horizon), 'VietQR had stopped retrying before it began');
        self::assertNull(Rules::blindPeriod($local(10901, 11800), [$lockOut], $horizon), 'made after it ended');
        self::assertNull(Rules::blindPeriod(['mode' => 'api', 'created_at' => 10100, 'expires_at' => 10400], [$lockOut], $horizon), 'API mode: check-order finds it');
        self::assertNull(Rules::blindPeriod($local(10100, 10400), [], $horizon), 'no lock-out');
        $later = ['from' => 20000, 'until' => 20900];
        self::assertSame($later, Rules::blindPeriod($local(20500, 21000), [$lockOut, $later], $horizon), 'the one it overlaps');
    }
}
