<?php
// The PHP helpers behind the rare or complex operations of translated
// code, emitted as private static methods of the generated class, only
// when used. runtime.rs embeds this file (include_str!) and cuts it up:
//
//   // @helper name      starts a helper: the method `name`, from the next
//                       line to its closing `    }`, copied verbatim;
//   // @needs a b        (right after) the helpers its body calls.
//
// Anything else outside the methods (like this header, the class around
// them and notes above a marker) is for readers and `php -l` only.
//
// Bulk memory operations write byte by byte below
// \max(256, \strlen($m) >> 9) bytes; above, rebuilding the whole string
// is cheaper. Both were measured on PHP 8.2: about 12 ns a byte against
// 22 ns a KiB of memory. HOST_MEMORY_METHODS in mod.rs uses the same bound.

final class Wasm2phpRuntime
{
    // @helper trap
    /** A trap, named after the innermost WASM function running. */
    private static function trap(string $kind): \RuntimeException
    {
        foreach (\debug_backtrace(\DEBUG_BACKTRACE_IGNORE_ARGS) as $frame) {
            // WASM functions are the instance methods fN; helpers are static.
            if (($frame['type'] ?? '') !== '->') {
                continue;
            }
            $where = $frame['function'];
            if (\preg_match('/^f(\d+)$/', $where, $match) === 1) {
                $where = self::NAMES[(int) $match[1]] ?? 'func[' . $match[1] . ']';
            }
            return new \RuntimeException('wasm trap: ' . $kind . ' in ' . $where);
        }
        return new \RuntimeException('wasm trap: ' . $kind);
    }

    // @helper oob
    // @needs trap
    private static function oob(): \RuntimeException
    {
        return self::trap('out of bounds memory access');
    }

    // @helper badCall
    // @needs trap
    /** Why a call_indirect found nothing of its type: always throws. */
    private static function badCall(int $table, int $index): string
    {
        if ($index >= self::TABLE_SIZES[$table]) {
            throw self::trap('undefined element');
        }
        if (!isset(self::TABLES[$table][$index])) {
            throw self::trap('uninitialized element');
        }
        throw self::trap('indirect call type mismatch');
    }

    // @helper clz32
    private static function clz32(int $x): int
    {
        if ($x === 0) {
            return 32;
        }
        $n = 0;
        if (($x & 0xFFFF0000) === 0) { $n += 16; $x <<= 16; }
        if (($x & 0xFF000000) === 0) { $n += 8; $x <<= 8; }
        if (($x & 0xF0000000) === 0) { $n += 4; $x <<= 4; }
        if (($x & 0xC0000000) === 0) { $n += 2; $x <<= 2; }
        if (($x & 0x80000000) === 0) { $n += 1; }
        return $n;
    }

    // @helper ctz32
    private static function ctz32(int $x): int
    {
        if ($x === 0) {
            return 32;
        }
        $n = 0;
        if (($x & 0xFFFF) === 0) { $n += 16; $x >>= 16; }
        if (($x & 0xFF) === 0) { $n += 8; $x >>= 8; }
        if (($x & 0xF) === 0) { $n += 4; $x >>= 4; }
        if (($x & 0x3) === 0) { $n += 2; $x >>= 2; }
        if (($x & 0x1) === 0) { $n += 1; }
        return $n;
    }

    // @helper popcnt32
    private static function popcnt32(int $x): int
    {
        return \substr_count(\decbin($x), '1');
    }

    // @helper clz64
    // @needs clz32
    private static function clz64(int $x): int
    {
        if ($x < 0) {
            return 0;
        }
        $high = $x >> 32;
        return $high !== 0 ? self::clz32($high) : 32 + self::clz32($x);
    }

    // @helper ctz64
    // @needs ctz32
    private static function ctz64(int $x): int
    {
        $low = $x & 0xFFFFFFFF;
        return $low !== 0 ? self::ctz32($low) : 32 + self::ctz32(($x >> 32) & 0xFFFFFFFF);
    }

    // decbin() shows negative ints as their 64-bit two's complement.
    // @helper popcnt64
    private static function popcnt64(int $x): int
    {
        return \substr_count(\decbin($x), '1');
    }

    // @helper add64
    /** Wrapping i64 addition, in 32-bit halves that cannot overflow. */
    private static function add64(int $a, int $b): int
    {
        $low = ($a & 0xFFFFFFFF) + ($b & 0xFFFFFFFF);
        $high = (($a >> 32) + ($b >> 32) + ($low >> 32)) & 0xFFFFFFFF;
        return ($high << 32) | ($low & 0xFFFFFFFF);
    }

    // @helper sub64
    /** Wrapping i64 subtraction, in 32-bit halves that cannot overflow. */
    private static function sub64(int $a, int $b): int
    {
        $low = ($a & 0xFFFFFFFF) - ($b & 0xFFFFFFFF);
        $high = (($a >> 32) - ($b >> 32) + ($low >> 32)) & 0xFFFFFFFF;
        return ($high << 32) | ($low & 0xFFFFFFFF);
    }

    // @helper mul64
    /** Wrapping i64 multiplication on 16-bit limbs: no sum exceeds 2^35. */
    private static function mul64(int $a, int $b): int
    {
        $a0 = $a & 0xFFFF; $a1 = ($a >> 16) & 0xFFFF; $a2 = ($a >> 32) & 0xFFFF; $a3 = ($a >> 48) & 0xFFFF;
        $b0 = $b & 0xFFFF; $b1 = ($b >> 16) & 0xFFFF; $b2 = ($b >> 32) & 0xFFFF; $b3 = ($b >> 48) & 0xFFFF;
        $c0 = $a0 * $b0;
        $c1 = ($c0 >> 16) + $a0 * $b1 + $a1 * $b0;
        $c2 = ($c1 >> 16) + $a0 * $b2 + $a1 * $b1 + $a2 * $b0;
        $c3 = ($c2 >> 16) + $a0 * $b3 + $a1 * $b2 + $a2 * $b1 + $a3 * $b0;
        return (($c3 & 0xFFFF) << 48) | (($c2 & 0xFFFF) << 32) | (($c1 & 0xFFFF) << 16) | ($c0 & 0xFFFF);
    }

    // @helper divU64
    // @needs sub64 mul64
    /** Unsigned i64 division ($b is not 0). */
    private static function divU64(int $a, int $b): int
    {
        if ($b < 0) {
            // $b >= 2^63: the quotient is 0 or 1.
            return ($a ^ \PHP_INT_MIN) >= ($b ^ \PHP_INT_MIN) ? 1 : 0;
        }
        if ($a >= 0) {
            return \intdiv($a, $b);
        }
        // Halve $a, divide, double; the remainder then needs one correction.
        $q = \intdiv(($a >> 1) & \PHP_INT_MAX, $b) << 1;
        $r = self::sub64($a, self::mul64($q, $b));
        return ($r ^ \PHP_INT_MIN) >= ($b ^ \PHP_INT_MIN) ? $q + 1 : $q;
    }

    // @helper remU64
    // @needs sub64 mul64
    /** Unsigned i64 remainder ($b is not 0). */
    private static function remU64(int $a, int $b): int
    {
        if ($b < 0) {
            return ($a ^ \PHP_INT_MIN) >= ($b ^ \PHP_INT_MIN) ? self::sub64($a, $b) : $a;
        }
        if ($a >= 0) {
            return $a % $b;
        }
        $q = \intdiv(($a >> 1) & \PHP_INT_MAX, $b) << 1;
        $r = self::sub64($a, self::mul64($q, $b));
        return ($r ^ \PHP_INT_MIN) >= ($b ^ \PHP_INT_MIN) ? self::sub64($r, $b) : $r;
    }

    // @helper shrU64
    private static function shrU64(int $a, int $b): int
    {
        $k = $b & 63;
        return $k === 0 ? $a : ($a >> $k) & (\PHP_INT_MAX >> ($k - 1));
    }

    // @helper rotl64
    private static function rotl64(int $a, int $b): int
    {
        $k = $b & 63;
        return $k === 0 ? $a : ($a << $k) | (($a >> (64 - $k)) & ~(-1 << $k));
    }

    // @helper rotr64
    // @needs rotl64
    private static function rotr64(int $a, int $b): int
    {
        return self::rotl64($a, 64 - ($b & 63));
    }

    // @helper fdiv
    /** IEEE division: PHP throws on a zero divisor instead of giving ±INF or NaN. */
    private static function fdiv(float $a, float $b): float
    {
        if ($b != 0.0) {
            return $a / $b;
        }
        // NaN operands propagate, 0/0 is the default NaN: let the FPU make
        // them, as it would for the division.
        if ($a != $a) {
            return $a + $b;
        }
        if ($a == 0.0) {
            return \INF - \INF;
        }
        // The divisor is ±0: its sign is in the first byte of pack('E').
        return ($a < 0) !== (\ord(\pack('E', $b)[0]) >= 128) ? -\INF : \INF;
    }

    // @helper fmin
    private static function fmin(float $a, float $b): float
    {
        if ($a != $a || $b != $b) {
            // NaN propagation, as the FPU does it.
            return $a + $b;
        }
        if ($a == $b) {
            // min(-0, +0) is -0.
            return \ord(\pack('E', $a)[0]) >= 128 ? $a : $b;
        }
        return $a < $b ? $a : $b;
    }

    // @helper fmax
    private static function fmax(float $a, float $b): float
    {
        if ($a != $a || $b != $b) {
            // NaN propagation, as the FPU does it.
            return $a + $b;
        }
        if ($a == $b) {
            // max(-0, +0) is +0.
            return \ord(\pack('E', $a)[0]) >= 128 ? $b : $a;
        }
        return $a > $b ? $a : $b;
    }

    // @helper copysign
    private static function copysign(float $a, float $b): float
    {
        $bytes = \pack('E', $a);
        $bytes[0] = \chr((\ord($bytes[0]) & 0x7F) | (\ord(\pack('E', $b)[0]) & 0x80));
        return \unpack('E', $bytes)[1];
    }

    // @helper nearest
    /** Round to nearest, ties to even, keeping the sign of zero. */
    private static function nearest(float $x): float
    {
        if ($x != $x) {
            return $x + $x;
        }
        if ($x == 0.0 || \abs($x) >= 4503599627370496.0) {
            return $x;
        }
        $r = \floor($x);
        $d = $x - $r;
        if ($d > 0.5 || ($d == 0.5 && \fmod($r, 2.0) != 0.0)) {
            $r += 1.0;
        }
        return $r == 0.0 && $x < 0 ? -0.0 : $r;
    }

    // @helper u64ToF64
    /** An i64 with the top bit set, read unsigned: halve keeping the low bit sticky. */
    private static function u64ToF64(int $x): float
    {
        return (float) ((($x >> 1) & \PHP_INT_MAX) | ($x & 1)) * 2.0;
    }

    // @helper i64ToF32
    /** Rounds once: an int over 2^53 is first shortened with a sticky bit. */
    private static function i64ToF32(int $x): float
    {
        if ($x === \PHP_INT_MIN) {
            return -9223372036854775808.0;
        }
        $m = $x < 0 ? -$x : $x;
        if ($m >= 9007199254740992) {
            $f = \unpack('g', \pack('g', (float) (($m >> 11) | (($m & 0x7FF) !== 0 ? 1 : 0))))[1] * 2048.0;
        } else {
            $f = \unpack('g', \pack('g', (float) $m))[1];
        }
        return $x < 0 ? -$f : $f;
    }

    // @helper u64ToF32
    // @needs i64ToF32
    private static function u64ToF32(int $x): float
    {
        if ($x >= 0) {
            return self::i64ToF32($x);
        }
        $v = (($x >> 12) & 0xFFFFFFFFFFFFF) | (($x & 0xFFF) !== 0 ? 1 : 0);
        return \unpack('g', \pack('g', (float) $v))[1] * 4096.0;
    }

    // @helper truncI32S
    // @needs trap
    private static function truncI32S(float $x): int
    {
        if ($x != $x) {
            throw self::trap('invalid conversion to integer');
        }
        if ($x <= -2147483649.0 || $x >= 2147483648.0) {
            throw self::trap('integer overflow');
        }
        return ((int) $x) & 0xFFFFFFFF;
    }

    // @helper truncI32U
    // @needs trap
    private static function truncI32U(float $x): int
    {
        if ($x != $x) {
            throw self::trap('invalid conversion to integer');
        }
        if ($x <= -1.0 || $x >= 4294967296.0) {
            throw self::trap('integer overflow');
        }
        return (int) $x;
    }

    // @helper truncI64S
    // @needs trap
    private static function truncI64S(float $x): int
    {
        if ($x != $x) {
            throw self::trap('invalid conversion to integer');
        }
        if ($x < -9223372036854775808.0 || $x >= 9223372036854775808.0) {
            throw self::trap('integer overflow');
        }
        return (int) $x;
    }

    // @helper truncI64U
    // @needs trap
    private static function truncI64U(float $x): int
    {
        if ($x != $x) {
            throw self::trap('invalid conversion to integer');
        }
        if ($x <= -1.0 || $x >= 18446744073709551616.0) {
            throw self::trap('integer overflow');
        }
        return $x >= 9223372036854775808.0 ? ((int) ($x - 9223372036854775808.0)) | \PHP_INT_MIN : (int) $x;
    }

    // @helper satI32S
    private static function satI32S(float $x): int
    {
        if ($x != $x) {
            return 0;
        }
        if ($x <= -2147483648.0) {
            return 0x80000000;
        }
        return $x >= 2147483647.0 ? 0x7FFFFFFF : ((int) $x) & 0xFFFFFFFF;
    }

    // @helper satI32U
    private static function satI32U(float $x): int
    {
        if ($x != $x || $x <= 0.0) {
            return 0;
        }
        return $x >= 4294967295.0 ? 0xFFFFFFFF : (int) $x;
    }

    // @helper satI64S
    private static function satI64S(float $x): int
    {
        if ($x != $x) {
            return 0;
        }
        if ($x <= -9223372036854775808.0) {
            return \PHP_INT_MIN;
        }
        return $x >= 9223372036854775808.0 ? \PHP_INT_MAX : (int) $x;
    }

    // @helper satI64U
    private static function satI64U(float $x): int
    {
        if ($x != $x || $x <= 0.0) {
            return 0;
        }
        if ($x >= 18446744073709551616.0) {
            return -1;
        }
        return $x >= 9223372036854775808.0 ? ((int) ($x - 9223372036854775808.0)) | \PHP_INT_MIN : (int) $x;
    }

    // @helper f32Bits
    /** An f32's bits; a NaN's come from the f64 bits, pack('g') would quiet it. */
    private static function f32Bits(float $x): int
    {
        if ($x == $x) {
            return \unpack('V', \pack('g', $x))[1];
        }
        $d = \unpack('J', \pack('E', $x))[1];
        return (($d >> 32) & 0x80000000) | 0x7F800000 | (($d >> 29) & 0x7FFFFF);
    }

    // @helper f32FromBits
    /** The f32 with these bits; a NaN becomes the f64 NaN with its sign and payload. */
    private static function f32FromBits(int $b): float
    {
        if (($b & 0x7F800000) !== 0x7F800000 || ($b & 0x7FFFFF) === 0) {
            return \unpack('g', \pack('V', $b))[1];
        }
        return \unpack('E', \pack('J', (($b & 0x80000000) << 32) | 0x7FF0000000000000 | (($b & 0x7FFFFF) << 29)))[1];
    }

    // @helper store64
    /** i64.store, bounds already checked. */
    private static function store64(string &$m, int $a, int $v): void
    {
        $b = \pack('P', $v);
        $m[$a] = $b[0]; $m[$a + 1] = $b[1]; $m[$a + 2] = $b[2]; $m[$a + 3] = $b[3];
        $m[$a + 4] = $b[4]; $m[$a + 5] = $b[5]; $m[$a + 6] = $b[6]; $m[$a + 7] = $b[7];
    }

    // @helper move8
    /** An i64.load into an i64.store: the bytes, copied (bounds already checked). */
    private static function move8(string &$m, int $d, int $s): void
    {
        if ($d >= $s + 8 || $s >= $d + 8) {
            $m[$d] = $m[$s]; $m[$d + 1] = $m[$s + 1]; $m[$d + 2] = $m[$s + 2]; $m[$d + 3] = $m[$s + 3];
            $m[$d + 4] = $m[$s + 4]; $m[$d + 5] = $m[$s + 5]; $m[$d + 6] = $m[$s + 6]; $m[$d + 7] = $m[$s + 7];
            return;
        }
        // Overlapping: read all eight first.
        $b = \substr($m, $s, 8);
        $m[$d] = $b[0]; $m[$d + 1] = $b[1]; $m[$d + 2] = $b[2]; $m[$d + 3] = $b[3];
        $m[$d + 4] = $b[4]; $m[$d + 5] = $b[5]; $m[$d + 6] = $b[6]; $m[$d + 7] = $b[7];
    }

    // @helper grow
    /** memory.grow: the old size in pages, or -1 (as u32) past the maximum. */
    private static function grow(string &$m, int $delta, int $max): int
    {
        $pages = \strlen($m) >> 16;
        if ($delta > $max - $pages) {
            return 0xFFFFFFFF;
        }
        if ($delta > 0) {
            $m .= \str_repeat("\0", $delta << 16);
        }
        return $pages;
    }

    // @helper copy
    // @needs oob
    /** memory.copy: overlapping ranges are fine, the source is read first. */
    private static function copy(string &$m, int $d, int $s, int $n): void
    {
        if ($s + $n > \strlen($m) || $d + $n > \strlen($m)) {
            throw self::oob();
        }
        if ($n === 0 || $d === $s) {
            return;
        }
        $bytes = \substr($m, $s, $n);
        if ($n > \max(256, \strlen($m) >> 9)) {
            $m = \substr_replace($m, $bytes, $d, $n);
            return;
        }
        for ($i = 0; $i < $n; ++$i) {
            $m[$d + $i] = $bytes[$i];
        }
    }

    // @helper fill
    // @needs oob
    private static function fill(string &$m, int $d, int $value, int $n): void
    {
        if ($d + $n > \strlen($m)) {
            throw self::oob();
        }
        $byte = \chr($value & 0xFF);
        if ($n > \max(256, \strlen($m) >> 9)) {
            $m = \substr_replace($m, \str_repeat($byte, $n), $d, $n);
            return;
        }
        for ($i = $d, $end = $d + $n; $i < $end; ++$i) {
            $m[$i] = $byte;
        }
    }

    // @helper init
    // @needs oob
    /** memory.init from a data segment (dropped and active ones are ''). */
    private static function init(string &$m, string $segment, int $d, int $s, int $n): void
    {
        if ($s + $n > \strlen($segment) || $d + $n > \strlen($m)) {
            throw self::oob();
        }
        if ($n === 0) {
            return;
        }
        $bytes = \substr($segment, $s, $n);
        if ($n > \max(256, \strlen($m) >> 9)) {
            $m = \substr_replace($m, $bytes, $d, $n);
            return;
        }
        for ($i = 0; $i < $n; ++$i) {
            $m[$d + $i] = $bytes[$i];
        }
    }
}
