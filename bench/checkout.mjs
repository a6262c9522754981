// `make bench-checkout`: what choosing VietQR costs a shop's server, beside
// WooCommerce's own "Direct bank transfer" (BACS) measured in the same run.
// Not a test: nothing here fails; the goals are printed beside the figures.
//
// One WooCommerce shop (main stack: WordPress 7.1 + WooCommerce 10.0.2) behind
// nginx + php-fpm with opcache (tests/wp/fpm.mjs), the simulator as VietQR.
// ROUNDS rounds (default 25, after 3 unmeasured), each in the same order:
//   - a Store API checkout and then its order-received page, paid by BACS,
//     by VietQR with a QR made here (local mode) and by VietQR with a QR from
//     VietQR (API mode: one generate-customer call to the simulator, whose
//     time is shown apart);
//   - a VietQR transaction callback (transaction-sync with a valid token,
//     paying a waiting payment), and a bare REST route of the same site that
//     answers {"ok":true} to the same JSON body.
// Measured by a must-use plugin inside PHP, per request: the time from the
// request's start to shutdown (what PHP spent; nginx adds the same little
// to each) and the peak memory PHP allocated (memory_get_peak_usage()).
// Printed: p50 and p95 of the time, p50 of the memory, and the ratios the
// goals are about.

import assert from "node:assert/strict";
import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { phpJson, configure, q } from "../tests/wp/shop.mjs";
import { CALLBACK, SIM_ACCOUNT } from "../tests/wp/sim.mjs";
import * as woo from "../tests/wp/woo.mjs";

const ROUNDS = Number(process.env.ROUNDS || 25);
const WARMUP = 3;
const GOALS = { checkout: 1.15, page: 1.1, callback: 1.5 };

if (!process.env.WOOCOMMERCE_DIR) {
  console.log("WOOCOMMERCE_DIR not set (run make setup): bench-checkout needs WooCommerce. SKIPPED");
  process.exit(0);
}

const shop = await woo.startWooShop({ qrMode: "local", wpOptions: { server: "fpm", fpmChildren: 2, debug: false } });
const { wp, sim } = shop;
try {
  mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
  writeFileSync(join(wp.site, "wp-content/mu-plugins/bench-timing.php"), `<?php
// Per measured request (header X-Bench: its kind): PHP time, peak memory, time in outgoing HTTP.
$GLOBALS['bench_http'] = 0.0;
add_filter('pre_http_request', static function ($pre) { $GLOBALS['bench_http_at'] = microtime(true); return $pre; }, PHP_INT_MAX);
add_action('http_api_debug', static function () { $GLOBALS['bench_http'] += microtime(true) - ($GLOBALS['bench_http_at'] ?? microtime(true)); }, 10, 0);
add_action('rest_api_init', static function () {
    register_rest_route('bench/v1', '/ping', ['methods' => 'POST', 'permission_callback' => '__return_true',
        'callback' => static function () { return ['ok' => true]; }]);
});
register_shutdown_function(static function () {
    if (empty($_SERVER['HTTP_X_BENCH'])) { return; }
    file_put_contents(WP_CONTENT_DIR . '/bench.jsonl', json_encode([
        'kind' => (string) $_SERVER['HTTP_X_BENCH'],
        'ms' => (microtime(true) - $_SERVER['REQUEST_TIME_FLOAT']) * 1000,
        'http_ms' => $GLOBALS['bench_http'] * 1000,
        'peak' => memory_get_peak_usage(),
        // What the plugin's core cost this request (the core is loaded only when called).
        'core_calls' => class_exists('VietQR\\Core\\Core', false) ? VietQR\\Core\\Core::instance()->calls() : 0,
        'core_load_ms' => class_exists('VietQR\\Core\\Core', false) ? VietQR\\Core\\Core::instance()->loadNs() / 1e6 : 0,
    ]) . "\\n", FILE_APPEND | LOCK_EX);
});
`);
  // BACS as a shop sets it up: enabled, with the account the buyer transfers to.
  wp.php(`update_option('woocommerce_bacs_settings', ['enabled' => 'yes', 'title' => 'Direct bank transfer', 'description' => 'Transfer to our account.', 'instructions' => 'Use the order number as the reference.']);
    update_option('woocommerce_bacs_accounts', [['account_name' => 'NGUYEN VAN A', 'account_number' => ${q(SIM_ACCOUNT.bank_account)}, 'bank_name' => 'MB', 'sort_code' => '', 'iban' => '', 'bic' => '']]);`);

  const order = (method, mode) => async (bench) => {
    if (mode) configure(wp, sim, { qrMode: mode });
    const placed = await woo.storeApiOrder(shop, woo.BILLING, { paymentMethod: method, checkoutHeaders: bench ? { "x-bench": `checkout-${bench}` } : {} });
    const r = await fetch(placed.payment_result.redirect_url, { headers: { cookie: placed.cookie, ...(bench ? { "x-bench": `page-${bench}` } : {}) } });
    assert.equal(r.status, 200, `${method} order-received: HTTP ${r.status}`);
    await r.text();
  };
  const kinds = { bacs: order("bacs"), local: order("vietqr", "local"), api: order("vietqr", "api") };

  // Callbacks: waiting payments to pay, and a token as VietQR asks for it.
  configure(wp, sim, { qrMode: "local" });
  const payments = phpJson(wp, `$out = []; for ($i = 0; $i < ${ROUNDS + WARMUP}; $i++) { $out[] = VietQR\\Payments\\Payments::create(0, 10000 + $i); } echo json_encode($out);`);
  const token = async () => {
    const r = await fetch(`${wp.url}/?rest_route=/vietqr/v1/api/token_generate`, { method: "POST", headers: { "content-type": "application/json",
      authorization: `Basic ${Buffer.from(`${CALLBACK.username}:${CALLBACK.password}`).toString("base64")}` }, body: "{}" });
    assert.equal(r.status, 200);
    return (await r.json()).access_token;
  };
  let callbacks = 0;
  const callbackBody = (p) => {
    const id = `B${Date.now()}${callbacks}`;
    return JSON.stringify({ transactionid: id, transactiontime: Date.now(), referencenumber: `FT${id}`, amount: p.amount, content: `${p.content} chuyen tien`,
      bankaccount: SIM_ACCOUNT.bank_account, transType: "C", orderId: "", sign: "", terminalCode: "", urlLink: "", serviceCode: "", subTerminalCode: "" });
  };
  const callback = async (bench) => {
    const body = callbackBody(payments[callbacks++]);
    const r = await fetch(`${wp.url}/?rest_route=/vietqr/v1/bank/api/transaction-sync`, { method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token()}`, ...(bench ? { "x-bench": "callback" } : {}) }, body });
    const answer = await r.text();
    assert.equal(r.status, 200, answer);
    const bare = await fetch(`${wp.url}/?rest_route=/bench/v1/ping`, { method: "POST", headers: { "content-type": "application/json", ...(bench ? { "x-bench": "bare" } : {}) }, body });
    assert.equal(bare.status, 200);
    await bare.text();
  };

  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const bench = round >= WARMUP;
    for (const [name, run] of Object.entries(kinds)) await run(bench ? name : "");
    await callback(bench);
  }

  const rows = readFileSync(join(wp.site, "wp-content/bench.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const of = (kind) => rows.filter((r) => r.kind === kind);
  const pct = (xs, p) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const stat = (kind, field = "ms") => ({ p50: pct(of(kind).map((r) => r[field]), 50), p95: pct(of(kind).map((r) => r[field]), 95), n: of(kind).length });
  const mb = (kind) => pct(of(kind).map((r) => r.peak), 50) / 1048576;

  console.log(`\nbench-checkout: ${ROUNDS} rounds after ${WARMUP} unmeasured; WordPress + WooCommerce ${wp.php("echo WC()->version;")} behind nginx + php-fpm (2 workers, opcache); PHP time per request\n`);
  console.log("| request | p50 ms | p95 ms | peak memory (p50) | vs BACS / bare (p50) |");
  console.log("|---|---:|---:|---:|---:|");
  const line = (label, kind, base, extra = "") => {
    const s = stat(kind);
    const ratio = base ? `${(s.p50 / stat(base).p50).toFixed(2)}×` : "";
    console.log(`| ${label} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${mb(kind).toFixed(1)} MB | ${ratio}${extra} |`);
  };
  for (const [part, label] of [["checkout", "Store API checkout"], ["page", "order-received page"]]) {
    line(`${label}, BACS`, `${part}-bacs`);
    line(`${label}, VietQR local QR`, `${part}-local`, `${part}-bacs`, ` (goal ≤ ${GOALS[part]}×)`);
    const sim = part === "checkout" ? `; of it in the simulator (HTTP) p50 ${stat(`${part}-api`, "http_ms").p50.toFixed(1)} ms` : "";
    line(`${label}, VietQR API mode`, `${part}-api`, `${part}-bacs`, sim);
  }
  line("bare REST route (same body)", "bare");
  line("VietQR transaction callback", "callback", "bare", ` (goal ≤ ${GOALS.callback}×)`);
  const verdict = (name, a, b, goal) => {
    const r = stat(a).p50 / stat(b).p50;
    console.log(`${name}: ${r.toFixed(2)}× (goal ≤ ${goal}×): ${r <= goal ? "met" : "NOT met"}`);
  };
  console.log("\nWhere VietQR's part goes (p50 per request): core calls, and ms spent loading the PHP core's module");
  for (const kind of ["checkout-local", "checkout-api", "page-local", "page-api", "callback"]) {
    console.log(`  ${kind}: ${pct(of(kind).map((r) => r.core_calls), 50)} core calls, module load ${pct(of(kind).map((r) => r.core_load_ms), 50).toFixed(1)} ms`);
  }
  console.log("");
  verdict("checkout, local QR vs BACS", "checkout-local", "checkout-bacs", GOALS.checkout);
  verdict("order-received page, local QR vs BACS", "page-local", "page-bacs", GOALS.page);
  verdict("callback vs bare route", "callback", "bare", GOALS.callback);
} finally {
  await woo.stopWooShop(shop).catch(() => {});
}
