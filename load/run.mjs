// make load: the callback path of a real shop under load and faults.
//
// WordPress + MariaDB behind nginx + php-fpm (pm = static, opcache on), the
// plugin configured against vietqr-sim, all on loopback. Then:
//
//   phase 1 (LOAD_SECONDS, default 60): CONCURRENCY requests in flight from
//     this process, a fixed mix of valid callbacks (each payment once, signed
//     as VietQR signs), duplicates of ones already accepted, forged ones (no
//     or bad token, Basic instead of Bearer, tampered sign, invalid amount,
//     another account), malformed and oversized bodies, token requests with
//     right and wrong credentials.
//   phase 2 (FAULT_SECONDS, default 45): the same mix without valid ones, and
//     payments made at the simulated bank (POST /sim/pay, SIM_PAY_RATE a
//     second) that VietQR (the simulator) delivers with its retry schedule
//     (compressed by RETRY_SCALE), while MariaDB is restarted (stop/start and
//     kill -9/start), php-fpm workers are killed with SIGKILL and nginx is
//     down for 10 s.
//   then VietQR's retries settle, the plugin's reconciliation runs
//   (Cron::run() → check-order against the simulator), and SQL checks that
//   every payment made is in the ledger exactly once and paid exactly once,
//   and that nothing else changed.
//
// Prints requests/s, latency per kind, the time PHP spent in the core
// (Server-Timing) against nginx's upstream time, and the fault tally. Exits
// non-zero when a payment is lost, applied twice, or a forged request changed
// anything.

import { execFile } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { startShop, stopShop, q } from "../tests/wp/shop.mjs";
import { SIM_ACCOUNT, CALLBACK } from "../tests/wp/sim.mjs";
import { shimWooCommerceBuild, setupStore } from "../tests/wp/woo.mjs";

const env = (name, fallback) => (process.env[name] === undefined || process.env[name] === "" ? fallback : Number(process.env[name]));
const LOAD_SECONDS = env("LOAD_SECONDS", 60);
const FAULT_SECONDS = env("FAULT_SECONDS", 45);
const CONCURRENCY = env("CONCURRENCY", 12);
const FPM_CHILDREN = env("FPM_CHILDREN", 4);
const SIM_PAY_RATE = env("SIM_PAY_RATE", 4); // payments a second at the bank in phase 2
// VietQR's schedule (0, ~1, 2, 3, 4 s, then 5 × 60 s) × 0.02 ≈ 6 s in all:
// a 10 s outage outlasts every retry of the payments made at its start, so
// both recovery paths (retry, reconciliation) are exercised.
const RETRY_SCALE = env("RETRY_SCALE", 0.02);
const VALID_PER_SECOND_MAX = env("VALID_PER_SECOND_MAX", 40); // sizes the pool of payments for phase 1
// NODES=3: three php-fpm masters (separate web servers) behind nginx's round-robin over one MariaDB
// and one Redis object cache; the cron jobs run on every node in the same minute during phase 2,
// and one node is killed outright and started again.
const NODES = env("NODES", 1);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const say = (...a) => console.log(`[load ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---------------------------------------------------------------- the shop
say(NODES > 1
  ? `starting WordPress + MariaDB + Redis object cache behind nginx round-robin over ${NODES} php-fpm nodes (${FPM_CHILDREN} workers each) and vietqr-sim (retry scale ${RETRY_SCALE})`
  : `starting WordPress + MariaDB behind nginx + php-fpm (${FPM_CHILDREN} workers) and vietqr-sim (retry scale ${RETRY_SCALE})`);
// With WOOCOMMERCE_DIR, phase 2's payments belong to WooCommerce orders
// placed through the VietQR gateway, and each order is checked too.
const WOO = Boolean(process.env.WOOCOMMERCE_DIR);
const shop = await startShop({
  woocommerce: WOO,
  qrMode: "local",
  simOptions: { retryScale: RETRY_SCALE, quiet: true },
  wpOptions: { server: "fpm", fpmChildren: FPM_CHILDREN, debug: false, nodes: NODES, ...(NODES > 1 ? { objectCache: "redis" } : {}) },
});
const { wp, sim } = shop;
process.on("SIGINT", async () => {
  await stopShop(shop);
  process.exit(130);
});
let exitCode = 1;
try {
  /** PHP inside WordPress without blocking this process (the load keeps going). */
  function php(code) {
    const host = new URL(wp.url).host;
    return new Promise((ok, fail) => {
      execFile("php", ["-d", "sendmail_path=/bin/true", "-d", "memory_limit=512M", "-r", `$_SERVER['HTTP_HOST']=${q(host)}; require ${q(`${wp.site}/wp-load.php`)}; ${code}`],
        { encoding: "utf8", maxBuffer: 64 << 20 }, (e, out, err) => (e ? fail(new Error(`${e.message}\n${err}`)) : ok(out)));
    });
  }
  const phpJson = async (code) => {
    const out = await php(code);
    try {
      return JSON.parse(out);
    } catch {
      throw new Error(`not JSON from PHP: ${out.slice(0, 500)}`);
    }
  };
  const sql = (query) => wp.sql(query).trim().split("\n").filter(Boolean).map((l) => l.split("\t"));

  /**
   * `count` new payments in `mode`, each with what VietQR would send for it:
   * the orderId, transfer content and the callback sign (computed by the core
   * in PHP; the secret stays there).
   */
  async function createPayments(count, mode, orders = false) {
    // An order as the gateway takes it: WooCommerce order, then process_payment().
    const create = orders
      ? `$o = wc_create_order(); $o->add_product(wc_get_product(${Number(store?.product)}), 1); $o->set_payment_method('vietqr');
         $o->set_billing_email('buyer@example.test'); $o->calculate_totals(); $o->save();
         $gateway->process_payment($o->get_id()); $p = VietQR\\Payments\\Payments::forOrder($o->get_id());`
      : "$p = VietQR\\Payments\\Payments::create(0, 10000 + 1000 * ($i % 90));";
    return phpJson(`
      VietQR\\Support\\Settings::update(['qr_mode' => ${q(mode)}, 'qr_lifetime' => 240]);
      $secret = VietQR\\Support\\Settings::callbackSecret();
      $account = (string) VietQR\\Support\\Settings::get('account');
      $gateway = ${orders ? "WC()->payment_gateways()->payment_gateways()['vietqr']" : "null"};
      $out = [];
      for ($i = 0; $i < ${count}; $i++) {
        ${create}
        $sign = VietQR\\Core\\Core::value('callback.sign', ['secret' => $secret, 'order_id' => $p['order_ref'], 'bank_account' => $account])['sign'];
        $out[] = ['id' => $p['id'], 'order' => $p['order_id'], 'ref' => $p['order_ref'], 'amount' => $p['amount'], 'content' => $p['content'], 'mode' => $p['mode'], 'sign' => $sign];
      }
      echo json_encode($out);`);
  }

  // The forged token requests come from 127.0.0.1, the simulator's address
  // too: lift the per-address throttle of refused credentials
  // (Callback/TokenThrottle), which would otherwise answer both with 429.
  // In a shop, VietQR and an attacker have different addresses.
  mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
  writeFileSync(join(wp.site, "wp-content/mu-plugins/load-no-token-throttle.php"), "<?php add_filter('vietqr_token_failure_limit', static function () { return PHP_INT_MAX; });\n");

  // What the workers run with, asked of a worker itself.
  writeFileSync(join(wp.site, "load-info.php"), "<?php echo json_encode(['opcache' => function_exists('opcache_get_status') && (opcache_get_status(false)['opcache_enabled'] ?? false), 'sapi' => PHP_SAPI]);");
  const workerInfo = await (await fetch(`${wp.url}/load-info.php`)).json();
  if (!workerInfo.opcache) throw new Error(`opcache is off in the php-fpm workers: ${JSON.stringify(workerInfo)}`);

  const base = `${wp.url}/?rest_route=/vietqr/v1`;
  const TOKEN_URL = `${base}/api/token_generate`;
  const SYNC_URL = `${base}/bank/api/transaction-sync`;
  const basic = (user, pass) => "Basic " + Buffer.from(`${user}:${pass}`).toString("base64");

  // Phase 1's pool: more than the shop can take in LOAD_SECONDS, plus controls
  // that are never paid. Phase 2's: API-mode QR codes the simulator knows.
  const t0 = now();
  let store = null;
  if (WOO) {
    shimWooCommerceBuild(wp);
    store = setupStore(wp);
    wp.php(`$p = wc_get_product(${Number(store.product)}); $p->set_manage_stock(false); $p->save();`);
  }
  const pool1 = await createPayments(Math.ceil(LOAD_SECONDS * VALID_PER_SECOND_MAX), "local");
  const controls1 = await createPayments(50, "local");
  const simPays = Math.ceil(FAULT_SECONDS * SIM_PAY_RATE);
  const pool2 = await createPayments(simPays, "api", WOO);
  const controls2 = await createPayments(20, "api", WOO);
  if (pool2.some((p) => p.mode !== "api")) throw new Error("phase 2 payments must be API-mode (generate-customer at the simulator)");
  const simRefs = new Map((await sim.get("/sim/transactions")).json.map((t) => [t.order_id, t.transaction_ref_id]));
  say(`${pool1.length + controls1.length + pool2.length + controls2.length} pending payments created in ${((now() - t0) / 1000).toFixed(1)} s`);
  const everyPayment = [...pool1, ...controls1, ...pool2, ...controls2];

  // ---------------------------------------------------------------- requests
  const syncBody = (p, over = {}) => ({
    transactionid: `LOAD-TX-${p.id}`, transactiontime: Date.now(), referencenumber: `FTLOAD${p.id}`, amount: p.amount,
    content: p.content, bankaccount: SIM_ACCOUNT.bank_account, transType: "C", orderId: p.ref, sign: p.sign,
    terminalCode: "", urlLink: "", subTerminalCode: "", serviceCode: "", ...over,
  });

  let token = null;
  async function send(kind, url, { authorization, body }) {
    const headers = { "content-type": "application/json", "x-load-kind": kind };
    if (authorization) headers.authorization = authorization;
    const started = now();
    try {
      const r = await fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body), signal: AbortSignal.timeout(20000) });
      const text = await r.text();
      return { status: r.status, text, ms: now() - started, timing: r.headers.get("server-timing") };
    } catch (e) {
      return { status: 0, text: String(e.cause?.code || e.name), ms: now() - started, timing: null };
    }
  }
  const json = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };

  const validQueue = [...pool1];
  const accepted = []; // phase-1 bodies VietQR "sent" and the shop acknowledged
  const validAttempts = new Map(); // payment id → attempts
  const flip = (s) => s.replace(/^./, (c) => (c === "a" ? "b" : "a"));

  // kind → [weight in phase 1, weight in phase 2, expected status, request builder]
  const KINDS = {
    valid: [30, 0, 200, () => {
      const p = validQueue.shift();
      if (!p) return null;
      const body = syncBody(p);
      return { url: SYNC_URL, authorization: `Bearer ${token}`, body, payment: p };
    }],
    duplicate: [14, 20, 200, () => {
      if (accepted.length === 0) return null;
      return { url: SYNC_URL, authorization: `Bearer ${token}`, body: pick(accepted) };
    }],
    token: [4, 6, 200, () => ({ url: TOKEN_URL, authorization: basic(CALLBACK.username, CALLBACK.password), body: "{}" })],
    token_forged: [4, 6, 401, () => ({ url: TOKEN_URL, body: "{}", authorization: pick([basic(CALLBACK.username, "wrong"), basic("someone", CALLBACK.password), null, `Bearer ${token}`]) })],
    no_token: [6, 8, 401, () => ({ url: SYNC_URL, body: syncBody(pick(everyPayment)) })],
    bad_token: [6, 8, 401, () => ({
      url: SYNC_URL, body: syncBody(pick(everyPayment)),
      authorization: pick(["Bearer vqr1.9999999999.AAAA", `Bearer ${token.slice(0, -6)}${token.at(-6) === "A" ? "B" : "A"}${token.slice(-5)}`, `Bearer x${token}`, basic(CALLBACK.username, CALLBACK.password)]),
    })],
    tampered_sign: [8, 10, 400, () => {
      const p = pick(everyPayment);
      return { url: SYNC_URL, authorization: `Bearer ${token}`, body: syncBody(p, { sign: flip(p.sign), transactionid: `FORGED-${p.id}-${Math.random()}` }) };
    }],
    wrong_amount: [6, 8, 400, () => {
      const p = pick(everyPayment);
      return { url: SYNC_URL, authorization: `Bearer ${token}`, body: syncBody(p, { amount: pick([0, -p.amount, "50k", null, 1.5]), transactionid: `FORGED-${p.id}-${Math.random()}` }) };
    }],
    wrong_account: [5, 6, 400, () => {
      const p = pick(everyPayment);
      return { url: SYNC_URL, authorization: `Bearer ${token}`, body: syncBody(p, { bankaccount: "9999999999", transactionid: `FORGED-${p.id}-${Math.random()}` }) };
    }],
    malformed: [10, 12, 400, () => ({
      url: SYNC_URL, authorization: `Bearer ${token}`,
      body: pick(['{"transactionid": ', "[1,2,3]", "", "null", '"text"', "\u0000\u00ff\u0001garbage", "[".repeat(5000),
        JSON.stringify({ ...syncBody(pick(everyPayment)), transactionid: undefined }), JSON.stringify({ ...syncBody(pick(everyPayment)), transactionid: { x: 1 } })]),
    })],
    oversized: [3, 4, 400, () => ({
      url: SYNC_URL, authorization: `Bearer ${token}`,
      body: syncBody(pick(everyPayment), { urlLink: "x".repeat(pick([200_000, 1_000_000])) }),
    })],
  };

  const stats = new Map(); // `${phase}:${kind}` → { ms: [], statuses: {}, unexpected, timings: [] }
  function record(phase, kind, r, expected) {
    const key = `${phase}:${kind}`;
    if (!stats.has(key)) stats.set(key, { ms: [], statuses: {}, unexpected: 0, noAnswer: 0 });
    const s = stats.get(key);
    if (r.status > 0) s.ms.push(r.ms);
    else s.noAnswer++;
    const label = r.status === 0 ? r.text : String(r.status);
    s.statuses[label] = (s.statuses[label] || 0) + 1;
    if (r.status !== expected) s.unexpected++;
  }

  function chooser(phase) {
    const entries = Object.entries(KINDS).map(([k, v]) => [k, v[phase - 1]]).filter(([, w]) => w > 0);
    const total = entries.reduce((a, [, w]) => a + w, 0);
    return () => {
      let x = Math.random() * total;
      for (const [k, w] of entries) {
        if ((x -= w) < 0) return k;
      }
      return entries[0][0];
    };
  }

  async function worker(phase, until) {
    const choose = chooser(phase);
    while (now() < until) {
      let kind = choose();
      let req = KINDS[kind][3]();
      if (!req) {
        kind = "no_token";
        req = KINDS[kind][3]();
      }
      const r = await send(kind, req.url, req);
      record(phase, kind, r, KINDS[kind][2]);
      if (kind === "token" && r.status === 200) token = json(r.text)?.access_token || token;
      if (kind === "valid") {
        const p = req.payment;
        validAttempts.set(p.id, (validAttempts.get(p.id) || 0) + 1);
        if (r.status === 200 && json(r.text)?.errorReason === "000") accepted.push(req.body);
        else validQueue.push(p); // VietQR would deliver it again
      }
      if (r.status === 0 || r.status >= 500) await sleep(50); // a refused connection comes back at once
    }
  }

  token = json((await send("setup", TOKEN_URL, { authorization: basic(CALLBACK.username, CALLBACK.password), body: "{}" })).text)?.access_token;
  if (!token) throw new Error("no callback token from the shop");

  // ---------------------------------------------------------------- phase 1
  say(`phase 1: ${LOAD_SECONDS} s, ${CONCURRENCY} in flight, mixed valid / duplicate / forged / malformed`);
  const loadStart = loadavg();
  const p1Start = now();
  const p1StartEpoch = Date.now() / 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker(1, p1Start + LOAD_SECONDS * 1000)));
  const p1Seconds = (now() - p1Start) / 1000;
  const p1EndEpoch = Date.now() / 1000;
  const validInPhase1 = new Set(accepted.map((b) => Number(b.transactionid.slice("LOAD-TX-".length))));
  say(`phase 1 done: ${validInPhase1.size} payments accepted`);

  // ---------------------------------------------------------------- phase 2
  say(`phase 2: ${FAULT_SECONDS} s with faults; ${SIM_PAY_RATE} payments/s at the bank, delivered by the simulator`);
  const faults = [];
  const p2Start = now();
  const p2StartEpoch = Date.now() / 1000;
  const at = (fraction) => p2Start + fraction * FAULT_SECONDS * 1000;
  const fault = (what) => {
    faults.push({ t: ((now() - p2Start) / 1000).toFixed(1), what });
    say(`  fault @${((now() - p2Start) / 1000).toFixed(1)} s: ${what}`);
  };
  const waitUntil = async (t) => {
    const d = t - now();
    if (d > 0) await sleep(d);
  };
  const FPM = NODES > 1 ? "fpm-1" : "fpm";
  function fpmChildren() {
    const master = wp.services.pid(FPM);
    return readFileSync(`/proc/${master}/task/${master}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  }
  function killWorkers(n) {
    const victims = fpmChildren().slice(0, n);
    for (const pid of victims) process.kill(pid, "SIGKILL");
    fault(`kill -9 ${victims.length} php-fpm workers (${victims.join(", ")}); fpm respawns them`);
  }
  async function faultPlan() {
    await waitUntil(at(0.09));
    killWorkers(2);
    await waitUntil(at(0.2));
    fault("MariaDB stop (SIGTERM)");
    await wp.services.stop("db");
    await waitUntil(at(0.29));
    await wp.services.start("db");
    fault("MariaDB started again");
    await waitUntil(at(0.4));
    fault("nginx stop: the shop is unreachable");
    await wp.services.stop("nginx");
    await sleep(10000);
    await wp.services.start("nginx");
    fault("nginx started again (down ~10 s)");
    if (NODES > 1) {
      await waitUntil(at(0.55));
      fault(`node 2 killed (php-fpm master and workers, SIGKILL): nginx sends its share to the other ${NODES - 1}`);
      await wp.services.stop("fpm-2", "SIGKILL");
      await sleep(6000);
      await wp.services.start("fpm-2");
      fault("node 2 started again (down ~6 s)");
    }
    await waitUntil(at(0.71));
    killWorkers(3);
    await waitUntil(at(0.8));
    fault("MariaDB kill -9 (crash)");
    await wp.services.stop("db", "SIGKILL");
    await sleep(1500);
    await wp.services.start("db");
    fault("MariaDB started again (crash recovery)");
  }
  const paidAtBank = []; // phase-2 payments the simulated bank received
  async function bank() {
    const queue = [...pool2];
    const every = 1000 / SIM_PAY_RATE;
    let next = now();
    while (queue.length && now() < p2Start + FAULT_SECONDS * 1000) {
      const p = queue.shift();
      const r = await sim.post("/sim/pay", { transactionRefId: simRefs.get(p.ref) });
      if (r.status === 200) paidAtBank.push(p);
      else say(`sim pay refused: ${r.text}`);
      next += every;
      await waitUntil(next);
    }
  }
  // The cron jobs (expiry, reconciliation, order repair, alerts) on every node in the same minute:
  // NODES processes at once, four times during phase 2.
  const cronRuns = [];
  async function everyNodesCron() {
    if (NODES <= 1) return;
    for (const fraction of [0.15, 0.35, 0.6, 0.9]) {
      await waitUntil(at(fraction));
      const runs = await Promise.allSettled(Array.from({ length: NODES }, () => php("do_action('vietqr_every_minute'); echo 'ok';")));
      cronRuns.push(runs.filter((r) => r.status === "fulfilled").length);
      const ran = cronRuns.at(-1);
      fault(`cron on all ${NODES} nodes at once: ${ran} of ${NODES} ran${ran < NODES ? " (the others met the database down)" : ""}`);
    }
  }
  await Promise.all([faultPlan(), bank(), everyNodesCron(), ...Array.from({ length: CONCURRENCY }, () => worker(2, p2Start + FAULT_SECONDS * 1000))]);
  const p2Seconds = (now() - p2Start) / 1000;
  say(`phase 2 done: ${paidAtBank.length} payments made at the bank`);

  // ---------------------------------------------------------------- recovery
  say("waiting for VietQR's retries to settle");
  const settled = await sim.get("/sim/deliveries?wait=true&timeout_ms=180000");
  if (settled.status !== 200) throw new Error(`deliveries still under way: ${settled.text}`);
  const deliveries = new Map(settled.json.map((d) => [d.body.orderId, d]));
  say("reconciliation: Cron::run() (check-order against the simulator) until every open API payment was asked");
  // As if a minute had passed since each open payment was last asked about.
  wp.sql("UPDATE wp_vietqr_payments SET last_check_at = 0 WHERE status IN ('pending','partial') AND mode = 'api'");
  const reconciliation = await phpJson(`
    $runs = 0; $reconciled = 0; $t = microtime(true);
    do { $r = VietQR\\Payments\\Cron::run(); $reconciled += $r['reconciled']; $runs++; }
    while ($runs < 200 && count(VietQR\\Payments\\Payments::openForReconciliation(time())) > 0);
    echo json_encode(['runs' => $runs, 'reconciled' => $reconciled, 'seconds' => round(microtime(true) - $t, 2)]);`);

  // ---------------------------------------------------------------- checks
  const ledger = new Map(); // payment id → rows
  for (const [pid, tx, amount, source, reference, at] of sql("SELECT IFNULL(payment_id, 0), transaction_id, amount, source, reference_number, UNIX_TIMESTAMP(CONVERT_TZ(received_at, '+00:00', @@session.time_zone)) FROM wp_vietqr_ledger")) {
    if (!ledger.has(Number(pid))) ledger.set(Number(pid), []);
    ledger.get(Number(pid)).push({ tx, amount: Number(amount), source, reference, at: Number(at) });
  }
  const rows = new Map(sql("SELECT id, status, received, amount, updated_at - created_at FROM wp_vietqr_payments").map(([id, status, received, amount, updated]) => [Number(id), { status, received: Number(received), amount: Number(amount), updated: Number(updated) }]));
  const ledgerRows = [...ledger.values()].reduce((a, l) => a + l.length, 0);
  const unmatched = ledger.get(0)?.length || 0;

  const madeValid = new Map([...pool1.filter((p) => validInPhase1.has(p.id)), ...paidAtBank].map((p) => [p.id, p]));
  const problems = [];
  let lost = 0;
  let duplicatesApplied = 0;
  for (const [id, p] of madeValid) {
    const l = ledger.get(id) || [];
    const row = rows.get(id);
    if (l.length === 0 || row.status !== "paid") {
      lost++;
      problems.push(`payment ${id} (${p.ref}): ${l.length} ledger rows, status ${row.status}, received ${row.received}/${row.amount}`);
    }
    if (l.length > 1 || row.received > row.amount) {
      duplicatesApplied++;
      problems.push(`payment ${id} (${p.ref}) applied more than once: ${JSON.stringify(l)}, received ${row.received}/${row.amount}`);
    }
    if (l.length === 1 && l[0].amount !== p.amount) problems.push(`payment ${id}: ledger amount ${l[0].amount} ≠ ${p.amount}`);
  }
  let touched = 0;
  for (const [id, row] of rows) {
    if (madeValid.has(id)) continue;
    if (ledger.has(id) || row.status !== "pending" || row.received !== 0 || row.updated !== 0) {
      touched++;
      problems.push(`payment ${id} was never paid but is ${row.status} with ${row.received} received and ${(ledger.get(id) || []).length} ledger rows`);
    }
  }
  if (unmatched) problems.push(`${unmatched} ledger rows match no payment`);

  // WooCommerce: each paid order paid once (status, one "transfer received"
  // note, the bank reference as its transaction id); the others still waiting.
  const woo = { paid: 0, paidOk: 0, waiting: 0, waitingOk: 0 };
  if (WOO) {
    const withOrders = [...pool2, ...controls2];
    const orders = await phpJson(`
      $out = [];
      foreach (${JSON.stringify(withOrders.map((p) => p.order))} as $id) {
        $o = wc_get_order($id);
        $notes = array_filter(wc_get_order_notes(['order_id' => $id]), static function ($n) { return strpos($n->content, 'VietQR transfer of') === 0; });
        $out[$id] = ['status' => $o->get_status(), 'transaction_id' => $o->get_transaction_id(), 'received_notes' => count($notes), 'paid' => $o->get_date_paid() !== null];
      }
      echo json_encode($out);`);
    for (const p of withOrders) {
      const o = orders[p.order];
      if (madeValid.has(p.id)) {
        woo.paid++;
        const reference = (ledger.get(p.id) || [])[0]?.reference;
        if (["processing", "completed"].includes(o.status) && o.received_notes === 1 && o.paid && o.transaction_id === reference) woo.paidOk++;
        else problems.push(`order ${p.order} (payment ${p.id}): ${JSON.stringify(o)}, ledger reference ${reference}`);
      } else {
        woo.waiting++;
        if (o.status === "on-hold" && o.received_notes === 0 && !o.paid && o.transaction_id === "") woo.waitingOk++;
        else problems.push(`order ${p.order} was never paid but is ${JSON.stringify(o)}`);
      }
    }
  }
  if (ledgerRows !== madeValid.size) problems.push(`ledger has ${ledgerRows} rows for ${madeValid.size} payments made`);

  // How each phase-2 payment came home.
  const tally = { sent: paidAtBank.length, firstTry: 0, retry: 0, reconciliation: 0, lost: 0, ackedNotRecorded: 0, cronFirst: 0, recordedUnacked: 0 };
  for (const p of paidAtBank) {
    const l = ledger.get(p.id) || [];
    const d = deliveries.get(p.ref);
    if (l.length === 0) tally.lost++;
    else if (l[0].source === "check_order") {
      tally.reconciliation++;
      if (d?.status === "succeeded") {
        // The cron (on a node, during the run) recorded it before VietQR's accepted delivery,
        // which was then a duplicate; otherwise the shop said 200 and kept nothing.
        const last = d.attempts.at(-1) || { at_ms: 0, duration_ms: 0 };
        const acked = (last.at_ms + last.duration_ms) / 1000; // when the shop's 200 reached VietQR
        if (l[0].at <= acked + 1) tally.cronFirst++;
        else tally.ackedNotRecorded++;
      }
    } else if (d && d.attempts.length === 1) tally.firstTry++;
    else {
      tally.retry++;
      if (d?.status !== "succeeded") tally.recordedUnacked++; // recorded, but every answer VietQR saw was an error
    }
  }
  const attemptsHist = {};
  for (const d of deliveries.values()) {
    const k = `${d.status}:${d.attempts.length}`;
    attemptsHist[k] = (attemptsHist[k] || 0) + 1;
  }
  const p1Retried = [...validAttempts.values()].filter((n) => n > 1).length;
  const health = await phpJson("echo json_encode(VietQR\\Support\\Health::get());");

  // ---------------------------------------------------------------- figures
  const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
  const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : "-");

  // Server side, from nginx's access log: upstream (php-fpm) time and PHP's Server-Timing.
  const server = new Map(); // `${phase}:${kind}` → { up: [], core: [], php: [] }
  const perNode = new Map(); // the php-fpm socket that answered → requests
  for (const line of readFileSync(wp.accessLog, "utf8").split("\n")) {
    const [msec, kindHeader, , uri, status, , upstreamTimes, timing, upstreamAddr] = line.split("\t");
    if (!uri) continue;
    // A node that refused the connection leaves "…, …": the last one answered.
    const upstream = (upstreamTimes || "").split(",").pop().trim();
    const node = (upstreamAddr || "").split(",").pop().trim().replace(/^.*\//, "");
    if (node && node !== "-") perNode.set(node, (perNode.get(node) || 0) + 1);
    const t = Number(msec);
    const phase = t >= p1StartEpoch && t <= p1EndEpoch + 1 ? 1 : t >= p2StartEpoch ? 2 : 0;
    if (!phase) continue;
    let kind = kindHeader;
    if (kind === "-") kind = uri.includes("token_generate") ? "vietqr:token" : uri.includes("transaction-sync") ? "vietqr:transaction-sync" : null;
    if (!kind) continue; // the harness's own readiness probes
    const key = `${phase}:${kind}`;
    if (!server.has(key)) server.set(key, { up: [], core: [], php: [], init: [], statuses: {} });
    const s = server.get(key);
    s.statuses[status] = (s.statuses[status] || 0) + 1;
    const up = Number(upstream) * 1000;
    const core = /core;dur=([\d.]+)/.exec(timing || "");
    const phpDur = /php;dur=([\d.]+)/.exec(timing || "");
    const init = /core-init;dur=([\d.]+)/.exec(timing || "");
    if (Number.isFinite(up) && core && phpDur) {
      s.up.push(up);
      s.core.push(Number(core[1]));
      s.php.push(Number(phpDur[1]));
      s.init.push(init ? Number(init[1]) : 0);
    }
  }
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  if (sum([...server.values()].map((s) => s.core.length)) === 0) problems.push("no Server-Timing (core;dur) header on the callback routes' answers");

  function table(phase, seconds) {
    const lines = [];
    lines.push("| kind | answered | answered/s | p50 ms | p95 ms | p99 ms | other outcomes | upstream ms | PHP ms | core ms (module load) | core / PHP | core / upstream |");
    lines.push("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    const kinds = [...new Set([...stats.keys(), ...server.keys()].filter((k) => k.startsWith(`${phase}:`)).map((k) => k.slice(2)))].sort();
    const mean = (a) => (a.length ? sum(a) / a.length : NaN);
    const share = (part, whole) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : "-");
    let answered = 0;
    for (const kind of kinds) {
      const s = stats.get(`${phase}:${kind}`);
      const sv = server.get(`${phase}:${kind}`) || { up: [], core: [], php: [], init: [], statuses: {} };
      const n = s ? s.ms.length : Object.values(sv.statuses).reduce((a, b) => a + b, 0);
      answered += s ? n : 0;
      const ms = s ? [...s.ms].sort((a, b) => a - b) : [];
      const expected = String(KINDS[kind]?.[2]);
      const other = s
        ? Object.entries(s.statuses).filter(([st]) => st !== expected).map(([st, c]) => `${c}× ${st}`).join(", ") || "none"
        : `sent by VietQR: ${Object.entries(sv.statuses).map(([st, c]) => `${c}× ${st}`).join(", ")}`;
      lines.push(`| ${kind}${s ? ` (→ ${expected})` : ""} | ${n} | ${f1(n / seconds)} | ${s ? f1(pct(ms, 50)) : "-"} | ${s ? f1(pct(ms, 95)) : "-"} | ${s ? f1(pct(ms, 99)) : "-"} | ${other} | ${f1(mean(sv.up))} | ${f1(mean(sv.php))} | ${mean(sv.core).toFixed(2)} (${mean(sv.init).toFixed(2)}) | ${share(sum(sv.core), sum(sv.php))} | ${share(sum(sv.core), sum(sv.up))} |`);
    }
    const all = [...stats.entries()].filter(([k]) => k.startsWith(`${phase}:`)).flatMap(([, s]) => s.ms).sort((a, b) => a - b);
    const svAll = [...server.entries()].filter(([k]) => k.startsWith(`${phase}:`)).map(([, s]) => s);
    const [up, ph, co, ini] = ["up", "php", "core", "init"].map((f) => sum(svAll.map((s) => sum(s[f]))));
    const timed = sum(svAll.map((s) => s.up.length));
    lines.push(`| **all from the load generator** | ${answered} | **${f1(answered / seconds)}** | ${f1(pct(all, 50))} | ${f1(pct(all, 95))} | ${f1(pct(all, 99))} | | ${f1(up / timed)} | ${f1(ph / timed)} | ${(co / timed).toFixed(2)} (${(ini / timed).toFixed(2)}) | ${share(co, ph)} | ${share(co, up)} |`);
    return lines.join("\n");
  }

  const out = [];
  out.push(`\n## Load: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, nginx + php-fpm (pm static, ${FPM_CHILDREN} workers, ${workerInfo.sapi}, opcache on), MariaDB, WordPress ${wp.php("echo get_bloginfo('version');").trim()}${WOO ? ` + WooCommerce ${wp.php("echo WC()->version;").trim()} (phase 2's payments are orders)` : ""}, PHP ${wp.php("echo PHP_VERSION;").trim()}, ${CONCURRENCY} requests in flight`);
  out.push(`\nMachine: ${cpus().length} CPUs shared with other work (load average ${loadStart.map((x) => x.toFixed(1)).join(" ")} at the start, ${loadavg().map((x) => x.toFixed(1)).join(" ")} at the end). Command: \`make load\` (LOAD_SECONDS=${LOAD_SECONDS}, FAULT_SECONDS=${FAULT_SECONDS}, CONCURRENCY=${CONCURRENCY}, FPM_CHILDREN=${FPM_CHILDREN}, SIM_PAY_RATE=${SIM_PAY_RATE}, RETRY_SCALE=${RETRY_SCALE}).`);
  out.push("\nColumns: *answered* = requests the shop answered, any status, and latency as the load generator saw it over loopback; *other outcomes* = statuses other than the expected one (after →) or no answer (ECONNREFUSED while nginx was down); *upstream* = nginx's wait on php-fpm (queueing for a free worker + PHP); *PHP* = PHP's request start to the reply built (WordPress, plugin, database); *core* = inside the core's calls (in brackets: loading its module), from the Server-Timing header of the callback routes.");
  out.push(`\n### Phase 1: ${f1(p1Seconds)} s of mixed traffic, no faults\n`);
  out.push(table(1, p1Seconds));
  out.push(`\nValid callbacks accepted: ${validInPhase1.size} (each sent once; ${p1Retried} needed a second send); duplicates answered 200 without a second ledger row.`);
  out.push(`\n### Phase 2: ${f1(p2Seconds)} s with faults (the same mix without valid ones; payments come through VietQR)\n`);
  out.push(table(2, p2Seconds));
  out.push("\nFaults: " + faults.map((f) => `@${f.t} s ${f.what}`).join("; ") + ".");
  out.push(`\nVietQR's deliveries (status:attempts → count): ${Object.entries(attemptsHist).sort().map(([k, v]) => `${k} → ${v}`).join(", ")}. Reconciliation: ${reconciliation.runs} Cron::run() calls, ${reconciliation.reconciled} payments applied from check-order, ${reconciliation.seconds} s.`);
  out.push(`\n### Outcome (SQL over wp_vietqr_ledger and wp_vietqr_payments)\n`);
  out.push("| | count |\n|---|---:|");
  out.push(`| payments made (phase 1 + phase 2) | ${madeValid.size} |`);
  out.push(`| phase 2: payments sent at the bank | ${tally.sent} |`);
  out.push(`| phase 2: delivered first try | ${tally.firstTry} |`);
  out.push(`| phase 2: recovered by VietQR's retries | ${tally.retry} |`);
  out.push(`| phase 2: of those, recorded while VietQR saw only errors (answer lost to a fault) | ${tally.recordedUnacked} |`);
  out.push(`| phase 2: recovered by reconciliation (check-order) | ${tally.reconciliation} |`);
  out.push(`| phase 2: of those, acknowledged with 200 but not recorded | ${tally.ackedNotRecorded} |`);
  if (tally.cronFirst) out.push(`| phase 2: of those, recorded by a node's cron before VietQR's delivery, which was then a duplicate | ${tally.cronFirst} |`);
  if (tally.ackedNotRecorded) problems.push(`${tally.ackedNotRecorded} payments acknowledged with 200 to VietQR before anything was recorded`);
  out.push(`| **lost** (made, but not in the ledger or not paid) | **${lost}** |`);
  out.push(`| **duplicates applied** (a second ledger row or more received than paid) | **${duplicatesApplied}** |`);
  out.push(`| ledger rows / payments made | ${ledgerRows} / ${madeValid.size} |`);
  out.push(`| payments never paid that changed (forged, malformed) | ${touched} of ${rows.size - madeValid.size} |`);
  if (WOO) {
    out.push(`| WooCommerce orders paid exactly once (processing, one "transfer received" note, bank reference as transaction id) | ${woo.paidOk} of ${woo.paid} |`);
    out.push(`| WooCommerce orders never paid, still on-hold and untouched | ${woo.waitingOk} of ${woo.waiting} |`);
  }
  out.push(`| health counters: accepted / duplicates / rejected | ${health.accepted} / ${health.duplicates} / ${health.rejected} |`);
  if (NODES > 1) {
    out.push(`| requests answered per node | ${[...perNode].sort().map(([n, c]) => `${n.replace(/\.sock$/, "")}: ${c}`).join(", ")} |`);
    out.push(`| cron runs on all nodes at once (each: nodes that ran) | ${cronRuns.join(", ")} |`);
  }
  const report = out.join("\n");
  console.log(report);
  if (problems.length) console.log("\nPROBLEMS:\n  " + problems.slice(0, 50).join("\n  "));
  // PHP errors of our own in php-fpm's log (WP_DEBUG off: what production logs).
  let fpmLog = "";
  for (const name of NODES > 1 ? Array.from({ length: NODES }, (_, i) => `php-fpm-${i + 1}.log`) : ["php-fpm.log"]) {
    try {
      fpmLog += readFileSync(join(wp.dir, name), "utf8");
    } catch {
      // none
    }
  }
  const ours = fpmLog.split("\n").filter((l) => /php-bridge|vietqr-for-woocommerce/.test(l));
  const notable = fpmLog.split("\n").filter((l) => /WARNING|ERROR|PHP /.test(l) && !ours.includes(l));
  if (notable.length) console.log(`php-fpm log, other warnings (${notable.length}):\n  ${notable.slice(0, 8).join("\n  ")}`);
  console.log(`\nphp-fpm log: ${fpmLog.split("\n").filter(Boolean).length} lines, ${ours.length} from the plugin${ours.length ? ":\n  " + ours.slice(0, 10).join("\n  ") : ""}`);
  const file = join(tmpdir(), "vietqr-load-last.md");
  writeFileSync(file, report + "\n");
  console.log(`\n(figures also in ${file})`);
  exitCode = lost === 0 && duplicatesApplied === 0 && touched === 0 && problems.length === 0 ? 0 : 1;
  console.log(exitCode === 0 ? "\nload: OK — nothing lost, nothing applied twice, nothing forged got through" : "\nload: FAILED");
} catch (e) {
  console.error(e);
  console.error(wp.log.join("").slice(-3000));
} finally {
  await stopShop(shop);
}
process.exit(exitCode);
