// VietQR → shop, end to end over real HTTP: the simulator calls the plugin's
// token and transaction-sync routes on a real WordPress + MariaDB. What is
// checked is what the shop ends up with: ledger rows, payment state, health.
//
// Runs without WooCommerce: payments are the plugin's own (order_id 0).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startShop, stopShop, phpJson, q, PLUGIN } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK } from "./sim.mjs";

let shop;
let wp;
let sim;
let base; // the shop's callback base URL, as VietQR is told it

before(async () => {
  // 'local' makes WordPress offer application passwords over plain HTTP, so
  // the test also shows they do not swallow VietQR's Basic credentials.
  shop = await startShop({ wpOptions: { extraConfig: "define('WP_ENVIRONMENT_TYPE', 'local');" } });
  ({ wp, sim } = shop);
  base = `${wp.url}/?rest_route=/vietqr/v1`;
});

after(async () => {
  await stopShop(shop);
});

const newPayment = (amount) => phpJson(wp, `echo json_encode(VietQR\\Payments\\Payments::create(0, ${amount}));`);
const payment = (id) => phpJson(wp, `echo json_encode(VietQR\\Payments\\Payments::find(${id}));`);
const ledgerCount = () => Number(wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger").trim());
const ledgerFor = (id) => wp.sql(`SELECT transaction_id, reference_number, amount, source FROM wp_vietqr_ledger WHERE payment_id = ${id}`).trim().split("\n").filter(Boolean);
const health = () => phpJson(wp, "echo json_encode(VietQR\\Support\\Health::get());");
const simTransaction = async (orderRef) => (await sim.get("/sim/transactions")).json.find((t) => t.order_id === orderRef);

async function deliveriesSettled() {
  const r = await sim.get("/sim/deliveries?wait=true&timeout_ms=30000");
  assert.equal(r.status, 200, `deliveries still under way: ${r.text}`);
  return r.json;
}

/** A bearer token from the shop's own token route, as VietQR gets it. */
async function shopToken() {
  const r = await fetch(`${base}/api/token_generate`, {
    method: "POST",
    headers: { authorization: "Basic " + Buffer.from(`${CALLBACK.username}:${CALLBACK.password}`).toString("base64"), "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}

async function sync(body, authorization) {
  const r = await fetch(`${base}/bank/api/transaction-sync`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, json, text, timing: r.headers.get("server-timing") };
}

test("the plugin activates with WP_DEBUG on and logs no warning or notice of its own", () => {
  // startShop activated it; deactivate and activate once more, then look.
  wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins(${q(PLUGIN)}); activate_plugin(${q(PLUGIN)});`);
  const tables = wp.sql("SHOW TABLES LIKE 'wp_vietqr_%'").trim().split("\n").sort();
  assert.deepEqual(tables, ["wp_vietqr_alerts", "wp_vietqr_ledger", "wp_vietqr_payments", "wp_vietqr_rejections"]);
  // Secrets are never autoloaded.
  assert.deepEqual(wp.autoloaded("vietqr\\_secret\\_%"), []);
  let log = "";
  try {
    log = readFileSync(wp.debugLog, "utf8");
  } catch {
    // no log at all: nothing was reported
  }
  const ours = log.split("\n").filter((l) => /php-bridge|vietqr-for-woocommerce|VietQR\\/.test(l) && /PHP (Warning|Notice|Deprecated|Fatal)/.test(l));
  assert.deepEqual(ours, []);
});

test("a payment made at the bank reaches the ledger through token and transaction-sync", async () => {
  const p = newPayment(25000);
  assert.equal(p.status, "pending");
  assert.equal(p.mode, "api");
  assert.match(p.content, /^VQR[0-9a-f]{10} DHP\d+$/);
  const t = await simTransaction(p.order_ref);
  const paid = await sim.post("/sim/pay", { transactionRefId: t.transaction_ref_id });
  assert.equal(paid.status, 200, paid.text);
  const deliveries = await deliveriesSettled();
  const d = deliveries.find((x) => x.body.orderId === p.order_ref);
  assert.equal(d.status, "succeeded");
  const last = d.attempts.at(-1);
  assert.equal(last.token_status, 200);
  assert.equal(last.status, 200);
  assert.deepEqual(JSON.parse(last.body), { error: false, errorReason: "000", toastMessage: "", object: { reftransactionid: d.body.transactionid } });

  const after = payment(p.id);
  assert.equal(after.status, "paid");
  assert.equal(after.received, 25000);
  assert.deepEqual(ledgerFor(p.id), [`${d.body.transactionid}\t${d.body.referencenumber}\t25000\tcallback`]);

  // The buyer's status route says so too.
  const s = await (await fetch(`${wp.url}/?rest_route=/vietqr/v1/payments/${p.public_key}`)).json();
  assert.equal(s.status, "paid");
  assert.equal(s.paid, true);
  assert.equal(s.due, 0);
  const missing = await fetch(`${wp.url}/?rest_route=/vietqr/v1/payments/${"0".repeat(32)}`);
  assert.equal(missing.status, 404);
});

test("an API-mode payment costs 3 core calls once the token is held, a transaction callback 1", async () => {
  newPayment(10000); // fetches VietQR's token and keeps it
  const made = phpJson(wp, `$p = VietQR\\Payments\\Payments::create(0, 26000);
    echo json_encode(['calls' => VietQR\\Core\\Core::instance()->calls(), 'payment' => $p]);`);
  assert.equal(made.payment.mode, "api");
  assert.equal(made.calls, 3, "order reference, generate-customer request and response");
  const p = made.payment;
  // Typed by hand (no orderId, no sign): matched by its content, as VietQR sends such transfers.
  const r = await sync({
    transactionid: "count-tx-1", transactiontime: Date.now(), referencenumber: "FT-COUNT-1", amount: 26000,
    content: p.content, bankaccount: SIM_ACCOUNT.bank_account, transType: "C", orderId: "", sign: "",
    terminalCode: "", urlLink: "", subTerminalCode: "", serviceCode: "",
  }, `Bearer ${await shopToken()}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(payment(p.id).status, "paid");
  assert.match(r.timing || "", /(^|, )core-calls;desc=1(,|$)/, r.timing);
});

test("20 concurrent deliveries of one transaction give one ledger row and one payment", async () => {
  const p = newPayment(40000);
  const t = await simTransaction(p.order_ref);
  // First delivery goes nowhere, so that all 20 copies race on a fresh payment.
  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, { base_url: "http://127.0.0.1:9/nowhere", username: CALLBACK.username, password: CALLBACK.password });
  await sim.post("/sim/pay", { transactionRefId: t.transaction_ref_id });
  const first = (await deliveriesSettled()).find((x) => x.body.orderId === p.order_ref);
  assert.equal(first.status, "failed");
  assert.equal(payment(p.id).received, 0);

  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, { base_url: base, username: CALLBACK.username, password: CALLBACK.password });
  const r = await sim.post(`/sim/deliveries/${first.id}/redeliver?times=20`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.deliveries.length, 20);
  const all = await deliveriesSettled();
  const copies = all.filter((x) => r.json.deliveries.includes(x.id));
  assert.equal(copies.length, 20);
  for (const c of copies) {
    // Every copy is answered as success, the repeats included.
    assert.equal(c.status, "succeeded", JSON.stringify(c.attempts));
    assert.equal(JSON.parse(c.attempts.at(-1).body).errorReason, "000");
  }
  assert.equal(ledgerFor(p.id).length, 1);
  const after = payment(p.id);
  assert.equal(after.received, 40000);
  assert.equal(after.status, "paid");
  assert.ok(health().duplicates >= 19);
});

test("forged, expired, tampered and malformed callbacks change nothing", async () => {
  const p = newPayment(50000);
  const token = await shopToken();
  const secretSign = phpJson(wp, `echo json_encode(VietQR\\Core\\Core::value('callback.sign', ['secret' => VietQR\\Support\\Settings::callbackSecret(), 'order_id' => ${q(p.order_ref)}, 'bank_account' => ${q(SIM_ACCOUNT.bank_account)}]));`).sign;
  const good = {
    transactionid: "forged-tx-1", transactiontime: Date.now(), referencenumber: "FT-FORGED-1", amount: 50000,
    content: p.content, bankaccount: SIM_ACCOUNT.bank_account, transType: "C", orderId: p.order_ref, sign: secretSign,
    terminalCode: "", urlLink: "", subTerminalCode: "", serviceCode: "",
  };
  const expired = phpJson(wp, `echo json_encode(VietQR\\Core\\Core::value('callback.token', ['authorization' => 'Basic ' . base64_encode(${q(CALLBACK.username + ":" + CALLBACK.password)}), 'username' => ${q(CALLBACK.username)}, 'password' => ${q(CALLBACK.password)}, 'secret' => VietQR\\Support\\Settings::callbackSecret(), 'now' => time() - 3600]));`).body.access_token;
  const otherSecretToken = phpJson(wp, `echo json_encode(VietQR\\Core\\Core::value('callback.token', ['authorization' => 'Basic ' . base64_encode(${q(CALLBACK.username + ":" + CALLBACK.password)}), 'username' => ${q(CALLBACK.username)}, 'password' => ${q(CALLBACK.password)}, 'secret' => str_repeat('x', 64), 'now' => time()]));`).body.access_token;

  const ledgerBefore = ledgerCount();
  const cases = [
    ["no token", good, null, 401, "012", "no_token"],
    ["Basic instead of Bearer", good, "Basic " + Buffer.from(`${CALLBACK.username}:${CALLBACK.password}`).toString("base64"), 401, "012", "not_bearer"],
    ["made-up token", good, "Bearer vqr1.9999999999.AAAA", 401, "012", null],
    ["token signed with another secret", good, `Bearer ${otherSecretToken}`, 401, "012", null],
    ["expired token", good, `Bearer ${expired}`, 401, "012", null],
    ["tampered sign", { ...good, sign: secretSign.replace(/^./, (c) => (c === "a" ? "b" : "a")) }, `Bearer ${token}`, 400, "011", "sign_mismatch"],
    ["sign for another order", { ...good, orderId: "DHP999999" }, `Bearer ${token}`, 400, "011", "sign_mismatch"],
    // VietQR echoes the sign of the QR it made for this orderId (docs/protocol.md §1l): left out, it is forged.
    ["sign left out for a QR issued with one", { ...good, sign: undefined }, `Bearer ${token}`, 400, "011", "sign_missing"],
    ["empty sign for a QR issued with one", { ...good, sign: "" }, `Bearer ${token}`, 400, "011", "sign_missing"],
    ["amount zero", { ...good, amount: 0 }, `Bearer ${token}`, 400, "002", "invalid_amount"],
    ["negative amount", { ...good, amount: -50000 }, `Bearer ${token}`, 400, "002", "invalid_amount"],
    ["amount not a number", { ...good, amount: "50k" }, `Bearer ${token}`, 400, "002", "invalid_amount"],
    ["another shop's account", { ...good, bankaccount: "9999999999", sign: "" }, `Bearer ${token}`, 400, "010", "wrong_account"],
    ["debit, not credit", { ...good, transType: "D" }, `Bearer ${token}`, 400, "003", "not_credit"],
    ["not JSON", "{\"transactionid\": ", `Bearer ${token}`, 400, "001", "body_not_json"],
    ["JSON but not an object", "[1,2,3]", `Bearer ${token}`, 400, "001", "body_not_object"],
    ["missing transaction id", { ...good, transactionid: undefined }, `Bearer ${token}`, 400, "007", null],
    ["oversized body", { ...good, urlLink: "x".repeat(200000) }, `Bearer ${token}`, 400, "001", "body_too_large"],
  ];
  for (const [name, body, auth, status, code, reason] of cases) {
    const r = await sync(body, auth);
    assert.equal(r.status, status, `${name}: ${r.text.slice(0, 300)}`);
    assert.equal(r.json?.error, true, name);
    assert.equal(r.json?.errorReason, code, name);
    const h = health();
    assert.equal(h.last_rejection.endpoint, "transaction-sync", name);
    if (reason) assert.equal(h.last_rejection.reason, reason, name);
    assert.equal(ledgerCount(), ledgerBefore, `${name} wrote a ledger row`);
    const now = payment(p.id);
    assert.equal(now.status, "pending", name);
    assert.equal(now.received, 0, name);
  }

  // The token route itself: wrong or missing Basic credentials get no token.
  for (const [name, auth] of [
    ["wrong password", "Basic " + Buffer.from(`${CALLBACK.username}:wrong`).toString("base64")],
    ["wrong username", "Basic " + Buffer.from(`someone:${CALLBACK.password}`).toString("base64")],
    ["no credentials", null],
  ]) {
    const r = await fetch(`${base}/api/token_generate`, { method: "POST", headers: auth ? { authorization: auth } : {}, body: "{}" });
    assert.equal(r.status, 401, name);
    const text = await r.text();
    assert.doesNotMatch(text, /access_token/, name);
    assert.equal(health().last_rejection.endpoint, "token", name);
  }

  // Secrets never reach a reply or the log.
  const log = (() => {
    try {
      return readFileSync(wp.debugLog, "utf8");
    } catch {
      return "";
    }
  })();
  for (const secret of [CALLBACK.password, SIM_ACCOUNT.password]) {
    assert.ok(!log.includes(secret), "a secret reached the debug log");
  }

  // The genuine callback still works afterwards, once.
  const ok = await sync(good, `Bearer ${token}`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.errorReason, "000");
  const again = await sync(good, `Bearer ${token}`);
  assert.equal(again.status, 200);
  assert.equal(ledgerCount(), ledgerBefore + 1);
  assert.equal(payment(p.id).status, "paid");
});

test("partial and over-payments are recorded as such", async () => {
  const p = newPayment(30000);
  await sim.post("/sim/pay", { content: p.content, amount: 10000, bankAccount: SIM_ACCOUNT.bank_account });
  await deliveriesSettled();
  let now = payment(p.id);
  assert.equal(now.status, "partial");
  assert.equal(now.received, 10000);
  await sim.post("/sim/pay", { content: p.content, amount: 25000, bankAccount: SIM_ACCOUNT.bank_account });
  await deliveriesSettled();
  now = payment(p.id);
  assert.equal(now.status, "overpaid");
  assert.equal(now.received, 35000);
  assert.equal(ledgerFor(p.id).length, 2);
});

test("reconciliation recovers a payment whose callbacks all failed", async () => {
  const p = newPayment(60000);
  const t = await simTransaction(p.order_ref);
  // The shop is unreachable for every attempt VietQR makes.
  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, { base_url: "http://127.0.0.1:9/down", username: CALLBACK.username, password: CALLBACK.password });
  await sim.post("/sim/pay", { transactionRefId: t.transaction_ref_id });
  const d = (await deliveriesSettled()).find((x) => x.body.orderId === p.order_ref);
  assert.equal(d.status, "failed");
  assert.equal(d.attempts.length, 10, "VietQR tries 10 times");
  assert.equal(payment(p.id).status, "pending");

  // The every-minute cron asks VietQR (check-order) and applies what it says.
  const run = phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
  assert.ok(run.reconciled >= 1, JSON.stringify(run));
  const after = payment(p.id);
  assert.equal(after.status, "paid");
  assert.equal(after.received, 60000);
  assert.deepEqual(ledgerFor(p.id), [`ref:${d.body.referencenumber}\t${d.body.referencenumber}\t60000\tcheck_order`]);

  // When the callback finally comes, it is a duplicate: success, nothing more.
  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, { base_url: base, username: CALLBACK.username, password: CALLBACK.password });
  const r = await sim.post(`/sim/deliveries/${d.id}/redeliver`);
  const late = (await deliveriesSettled()).find((x) => x.id === r.json.deliveries[0]);
  assert.equal(late.status, "succeeded");
  assert.equal(ledgerFor(p.id).length, 1);
  assert.equal(payment(p.id).received, 60000);
});

test("the buyer's status page asks VietQR itself when no callback came in time, at most once per interval", async () => {
  const p = newPayment(70000);
  const t = await simTransaction(p.order_ref);
  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, null);
  await sim.post("/sim/pay", { transactionRefId: t.transaction_ref_id });
  await deliveriesSettled();
  const status = async () => (await (await fetch(`${wp.url}/?rest_route=/vietqr/v1/payments/${p.public_key}`)).json()).status;
  // Too early: no check-order yet.
  assert.equal(await status(), "pending");
  // The QR was shown a minute ago and no callback came.
  wp.sql(`UPDATE wp_vietqr_payments SET created_at = created_at - 60 WHERE id = ${p.id}`);
  assert.equal(await status(), "paid");
  assert.equal(ledgerFor(p.id).length, 1);
  await sim.put(`/sim/accounts/${SIM_ACCOUNT.username}/callback`, { base_url: base, username: CALLBACK.username, password: CALLBACK.password });
});

test("unpaid payments expire when their QR runs out; paid ones do not", async () => {
  const unpaid = newPayment(11000);
  const paid = newPayment(12000);
  await sim.post("/sim/pay", { content: paid.content, amount: 12000, bankAccount: SIM_ACCOUNT.bank_account });
  await deliveriesSettled();
  wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 1 WHERE id IN (${unpaid.id}, ${paid.id})`);
  const run = phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
  assert.ok(run.expired >= 1);
  assert.equal(payment(unpaid.id).status, "expired");
  assert.equal(payment(paid.id).status, "paid");
});
