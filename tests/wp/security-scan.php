<?php
/**
 * Static checks of the plugin's PHP source, read with PHP's own tokenizer,
 * for tests/wp/security.test.mjs (SECURITY.md says what each one guards):
 *
 *   secret_comparisons   a secret (password, token, secret, sign, nonce,
 *                        public key…) compared with ==, ===, !=, !==, <=>,
 *                        strcmp & co., in_array, array_search or switch,
 *                        other than against '' / null (emptiness);
 *                        secrets are compared with hash_equals() only
 *   unescaped_echoes     an echo/print whose parts are not literal HTML or
 *                        esc_*() / selected() / checked() / wp_json_encode
 *                        with JSON_HEX_TAG / a number; a part marked
 *                        "phpcs:ignore WordPress.Security.EscapeOutput"
 *                        (built from escaped parts, reviewed) is listed in
 *                        reviewed_echoes instead
 *   unsafe_output_calls  _e(), _ex(), printf(), vprintf(), print_r(),
 *                        var_dump(), var_export(…) printing, error_log()
 *                        outside Support/Log.php
 *
 * php tests/wp/security-scan.php php-bridge  → JSON on stdout
 */

declare(strict_types=1);

$root = rtrim($argv[1] ?? 'php-bridge', '/');
$files = [];
foreach (new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root . '/src', FilesystemIterator::SKIP_DOTS)) as $f) {
    if (substr((string) $f, -4) === '.php') {
        $files[] = (string) $f;
    }
}
foreach (glob($root . '/*.php') ?: [] as $f) {
    $files[] = $f;
}
foreach (glob($root . '/blocks/*/*.php') ?: [] as $f) {
    $files[] = $f;
}
sort($files);

const SECRET = '/secret|password|passwd|token|(^|_)sign($|_)|hmac|nonce|public_key|credential|authorization/i';
const COMPARE = [T_IS_EQUAL, T_IS_IDENTICAL, T_IS_NOT_EQUAL, T_IS_NOT_IDENTICAL, T_SPACESHIP];
const COMPARE_FUNCS = ['strcmp', 'strcasecmp', 'strncmp', 'strncasecmp', 'substr_compare', 'strnatcmp', 'in_array', 'array_search'];
const SAFE_FUNCS = ['esc_html', 'esc_attr', 'esc_url', 'esc_js', 'esc_textarea', 'esc_html__', 'esc_attr__', 'esc_html_x', 'esc_attr_x',
    'selected', 'checked', 'disabled', 'absint', 'intval', 'wp_kses', 'wp_kses_post', 'esc_url_raw', 'tag_escape', 'sanitize_html_class'];
const OUTPUT_FUNCS = ['_e', '_ex', 'printf', 'vprintf', 'print_r', 'var_dump', 'var_export', 'error_log', 'debug_zval_dump', 'debug_print_backtrace'];

$out = ['files' => count($files), 'comparisons' => 0, 'hash_equals' => 0, 'echoes' => 0,
    'secret_comparisons' => [], 'unescaped_echoes' => [], 'reviewed_echoes' => [], 'unsafe_output_calls' => []];

/** @return list<array{0:int|null,1:string,2:int}> */
function tokens(string $src, array &$ignored): array
{
    $t = [];
    $line = 1;
    foreach (token_get_all($src) as $tok) {
        if (is_array($tok)) {
            [$id, $text, $line] = $tok;
            if ($id === T_COMMENT || $id === T_DOC_COMMENT) {
                if (strpos($text, 'WordPress.Security.EscapeOutput') !== false) {
                    $ignored[$line] = true;
                }
                continue;
            }
            if ($id === T_WHITESPACE) {
                continue;
            }
            $t[] = [$id, $text, $line];
        } else {
            $t[] = [null, $tok, $line];
        }
    }
    return $t;
}

function text(array $toks): string
{
    return implode(' ', array_map(static function ($x) { return $x[1]; }, $toks));
}

function isBoundary(array $tok): bool
{
    static $ids = null;
    if ($ids === null) {
        $ids = [T_BOOLEAN_AND, T_BOOLEAN_OR, T_LOGICAL_AND, T_LOGICAL_OR, T_LOGICAL_XOR, T_RETURN, T_DOUBLE_ARROW, T_ECHO, T_COALESCE,
            T_PLUS_EQUAL, T_CONCAT_EQUAL, T_COALESCE_EQUAL, T_IF, T_ELSEIF, T_WHILE, T_OPEN_TAG, T_CLOSE_TAG, T_OPEN_TAG_WITH_ECHO];
        $ids = array_merge($ids, COMPARE);
    }
    if ($tok[0] !== null) {
        return in_array($tok[0], $ids, true);
    }
    return in_array($tok[1], [';', ',', '?', ':', '=', '{', '}'], true);
}

/** The operand left (-1) or right (+1) of token $i. */
function operand(array $t, int $i, int $dir): array
{
    $depth = 0;
    $ops = [];
    for ($j = $i + $dir; $j >= 0 && $j < count($t); $j += $dir) {
        $s = $t[$j][1];
        $open = $dir > 0 ? ['(', '['] : [')', ']'];
        $close = $dir > 0 ? [')', ']'] : ['(', '['];
        if ($t[$j][0] === null && in_array($s, $open, true)) {
            $depth++;
        } elseif ($t[$j][0] === null && in_array($s, $close, true)) {
            if ($depth === 0) {
                break;
            }
            $depth--;
        } elseif ($depth === 0 && isBoundary($t[$j])) {
            break;
        }
        $ops[] = $t[$j];
    }
    return $dir > 0 ? $ops : array_reverse($ops);
}

function mentionsSecret(array $ops): bool
{
    if (count($ops) === 1 && $ops[0][0] === T_CONSTANT_ENCAPSED_STRING) {
        return false; // a literal such as 'callback_password' is a name, not a secret
    }
    foreach ($ops as $o) {
        if ($o[0] === T_STRING && preg_match('/^[A-Z][A-Z0-9_]*$/', $o[1])) {
            continue; // a constant (a route, an option name): secrets come from the database, never from code
        }
        if (in_array($o[0], [T_VARIABLE, T_STRING, T_CONSTANT_ENCAPSED_STRING], true) && preg_match(SECRET, trim($o[1], "'\"$"))) {
            return true;
        }
    }
    return false;
}

function isEmptyish(array $ops): bool
{
    return in_array(strtolower(str_replace(' ', '', text($ops))), ["''", '""', 'null', 'false', 'true', '0', '[]'], true);
}

/** The tokens between the parentheses that open at $t[$i]. */
function args(array $t, int $i): array
{
    $depth = 0;
    $ops = [];
    for ($j = $i; $j < count($t); $j++) {
        if ($t[$j][0] === null && $t[$j][1] === '(') {
            $depth++;
            if ($depth === 1) {
                continue;
            }
        } elseif ($t[$j][0] === null && $t[$j][1] === ')') {
            $depth--;
            if ($depth === 0) {
                break;
            }
        }
        $ops[] = $t[$j];
    }
    return $ops;
}

/** Splits $toks at depth-0 tokens whose text is in $seps. */
function split(array $toks, array $seps): array
{
    $parts = [[]];
    $depth = 0;
    foreach ($toks as $tok) {
        if ($tok[0] === null && in_array($tok[1], ['(', '['], true)) {
            $depth++;
        } elseif ($tok[0] === null && in_array($tok[1], [')', ']'], true)) {
            $depth--;
        }
        if ($depth === 0 && $tok[0] === null && in_array($tok[1], $seps, true)) {
            $parts[] = [];
            continue;
        }
        $parts[count($parts) - 1][] = $tok;
    }
    return $parts;
}

/** Whether the expression $toks is safe to print into HTML. */
function safe(array $toks): bool
{
    $n = count($toks);
    if ($n === 0) {
        return true;
    }
    if ($n === 1 && in_array($toks[0][0], [T_CONSTANT_ENCAPSED_STRING, T_LNUMBER, T_DNUMBER], true)) {
        return true;
    }
    if ($toks[0][0] === T_INT_CAST || $toks[0][0] === T_DOUBLE_CAST) {
        return true;
    }
    // One whole call: f( … )
    if ($toks[0][0] === T_STRING && $n >= 3 && $toks[1][1] === '(' && $toks[$n - 1][1] === ')' && count(split(array_slice($toks, 1), ['('])) >= 1) {
        $depth = 0;
        for ($k = 1; $k < $n; $k++) {
            if ($toks[$k][1] === '(') {
                $depth++;
            } elseif ($toks[$k][1] === ')') {
                $depth--;
                if ($depth === 0 && $k !== $n - 1) {
                    return false; // f(…) . more, not split here: not one call
                }
            }
        }
        $f = strtolower(ltrim($toks[0][1], '\\'));
        if (in_array($f, SAFE_FUNCS, true)) {
            return true;
        }
        if ($f === 'wp_json_encode' || $f === 'json_encode') {
            return strpos(text($toks), 'JSON_HEX_TAG') !== false;
        }
        return false;
    }
    // ( … ): a ternary's branches, or a concatenation inside.
    if ($toks[0][1] === '(' && $toks[$n - 1][1] === ')') {
        $inner = array_slice($toks, 1, -1);
        $q = split($inner, ['?']);
        if (count($q) === 2) {
            $branches = split($q[1], [':']);
            foreach ($branches as $b) {
                foreach (split($b, ['.']) as $p) {
                    if (!safe($p)) {
                        return false;
                    }
                }
            }
            return true;
        }
        foreach (split($inner, ['.']) as $p) {
            if (!safe($p)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

foreach ($files as $file) {
    $ignored = [];
    $t = tokens((string) file_get_contents($file), $ignored);
    $rel = $file;
    for ($i = 0, $n = count($t); $i < $n; $i++) {
        [$id, $s, $line] = $t[$i];
        if (in_array($id, COMPARE, true)) {
            $out['comparisons']++;
            $l = operand($t, $i, -1);
            $r = operand($t, $i, 1);
            if ((mentionsSecret($l) && !isEmptyish($r)) || (mentionsSecret($r) && !isEmptyish($l))) {
                $out['secret_comparisons'][] = "$rel:$line: " . text($l) . " $s " . text($r);
            }
        }
        if ($id === T_STRING && ($t[$i + 1][1] ?? '') === '(' && ($t[$i - 1][0] ?? null) !== T_OBJECT_OPERATOR
            && ($t[$i - 1][0] ?? null) !== T_FUNCTION && ($t[$i - 1][0] ?? null) !== T_DOUBLE_COLON) {
            $f = strtolower($s);
            if ($f === 'hash_equals') {
                $out['hash_equals']++;
            }
            if (in_array($f, COMPARE_FUNCS, true)) {
                $args = args($t, $i + 1);
                if (mentionsSecret($args)) {
                    $out['secret_comparisons'][] = "$rel:$line: $s(" . text($args) . ')';
                }
            }
            $isLog = substr($file, -strlen('Support/Log.php')) === 'Support/Log.php' && $f === 'error_log';
            if (in_array($f, OUTPUT_FUNCS, true) && !$isLog && !($f === 'var_export' && preg_match('/,\s*true$/', text(args($t, $i + 1))))) {
                $out['unsafe_output_calls'][] = "$rel:$line: $s(…)";
            }
        }
        if ($id === T_SWITCH) {
            $args = args($t, $i + 1);
            if (mentionsSecret($args)) {
                $out['secret_comparisons'][] = "$rel:$line: switch (" . text($args) . ')';
            }
        }
        if ($id === T_ECHO || $id === T_OPEN_TAG_WITH_ECHO || $id === T_PRINT) {
            $out['echoes']++;
            $stmt = [];
            $depth = 0;
            for ($j = $i + 1; $j < $n; $j++) {
                if ($t[$j][0] === null && in_array($t[$j][1], ['(', '['], true)) {
                    $depth++;
                } elseif ($t[$j][0] === null && in_array($t[$j][1], [')', ']'], true)) {
                    $depth--;
                }
                if ($depth === 0 && ($t[$j][1] === ';' || $t[$j][0] === T_CLOSE_TAG)) {
                    break;
                }
                $stmt[] = $t[$j];
            }
            foreach (split($stmt, ['.', ',']) as $part) {
                if (safe($part)) {
                    continue;
                }
                $reviewed = false;
                foreach ($part as $p) {
                    $reviewed = $reviewed || isset($ignored[$p[2]]);
                }
                $where = "$rel:" . ($part[0][2] ?? $line) . ': ' . text($part);
                if ($reviewed) {
                    $out['reviewed_echoes'][] = $where;
                } else {
                    $out['unescaped_echoes'][] = $where;
                }
            }
        }
    }
}

echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
