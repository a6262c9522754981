// The holes an outside attack run found (issue 15), each tested as a class
// of fault, on a real WordPress + MariaDB with the simulator as VietQR:
//   1. WordPress's batch endpoint (/batch/v1) reaches no vietqr/v1 route:
//      many credential guesses in one HTTP request, a token issued inside a
//      batch, a transaction delivered through one — every sub-request refused;
//   2. the token throttle counts every refusal under concurrency (16 in flight);
//   3. bytes that are not UTF-8 in a callback's body or Authorization header
//      are bad input: a 4xx with the reason, nothing stored, nothing logged
//      at error level;
//   4. what a bank transfer carries (content, reference, order id…) is text
//      wherever it is shown: order notes, the order's VietQR box, the health
//      tab, emails — the admin's browser loads nothing from a host named there
//      (WooCommerce);
//   5. a [vietqr] shortcode or block with a huge transfer content is refused
//      before the core folds it, with the message of any too-long content.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { connect } from "node:net";
import { execFile } from "node:child_process";
import { ROOT, PLUGIN_LOG } from "./harness.mjs";
import { startShop, stopShop, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK } from "./sim.mjs";
import { requireWooCommerce, orderState, settled } from "./woo.mjs";
import { launchChromium, openPage, logIn } from "./browser.mjs";
import { vietqrAdminPath } from "./http.mjs";

const WC = Boolean(process.env.WOOCOMMERCE_DIR);
const IN_FLIGHT = 16;

let shop;
let wp;
let sim;

const TOKEN = "/?rest_route=/vietqr/v1/api/token_generate";
const SYNC = "/?rest_route=/vietqr/v1/bank/api/transaction-sync";
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

/** One HTTP request over fetch: {status, text, json}. */
async function http(path, { method, json, headers = {} } = {}) {
  const h = { ...headers };
  let body;
  if (json !== undefined) {
    body = JSON.stringify(json);
    h["content-type"] = "application/json";
  }
  const r = await fetch(wp.url + path, { method: method || (body ? "POST" : "GET"), headers: h, body, redirect: "manual" });
  const text = await r.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: r.status, text, json: parsed };
}

/**
 * One HTTP request written byte for byte on a socket (fetch refuses header
 * bytes that are not Latin-1 text): `headers` are Buffers, one line each.
 */
function rawPost(path, { headers = [], body = Buffer.alloc(0) } = {}) {
  const u = new URL(wp.url);
  return new Promise((ok, fail) => {
    const socket = connect(Number(u.port), u.hostname);
    const chunks = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", fail);
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, split).toString("latin1");
      let rest = all.subarray(split + 4);
      if (/^transfer-encoding:\s*chunked/im.test(head)) {
        const parts = [];
        for (let at = 0; ;) {
          const eol = rest.indexOf("\r\n", at);
          const size = parseInt(rest.subarray(at, eol).toString("latin1"), 16);
          if (!size) break;
          parts.push(rest.subarray(eol + 2, eol + 2 + size));
          at = eol + 2 + size + 2;
        }
        rest = Buffer.concat(parts);
      }
      const text = rest.toString("utf8");
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      ok({ status: Number(head.split(" ")[1]), head, text, json });
    });
    const start = [`POST ${path} HTTP/1.1`, `Host: ${u.host}`, "Connection: close", "Content-Type: application/json", `Content-Length: ${body.length}`]
      .map((l) => Buffer.from(`${l}\r\n`, "latin1"));
    socket.end(Buffer.concat([...start, ...headers.flatMap((h) => [h, Buffer.from("\r\n")]), Buffer.from("\r\n"), body]));
  });
}

/** `count` calls of `fn(i)`, at most `limit` at a time; resolves to their results in order. */
async function pool(count, limit, fn) {
  const out = new Array(count);
  let next = 0;
  let inFlight = 0;
  let most = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        out[i] = await fn(i);
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  out.most = most;
  return out;
}

/** PHP inside WordPress without blocking this process; resolves to what it echoes. */
function phpAsync(code) {
  const host = new URL(wp.url).host;
  return new Promise((ok, fail) => execFile("php", ["-d", "sendmail_path=/bin/true", "-r", `$_SERVER['HTTP_HOST'] = '${host}'; require '${wp.site}/wp-load.php'; ${code}`],
    { encoding: "utf8" }, (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : ok(stdout))));
}

/** The refusals the token throttle holds for `address` in its current window. */
const throttleCount = (address = "127.0.0.1") => Number(wp.php(`$_SERVER['REMOTE_ADDR'] = ${q(address)}; echo VietQR\\Callback\\TokenThrottle::count();`).trim());
const clearThrottle = () => wp.sql("DELETE FROM wp_options WHERE option_name LIKE 'vietqr\\_tf\\_%' OR option_name LIKE '%transient%vietqr\\_tf\\_%'");

/** What a callback could have changed: payments, ledger, health counters. */
function money() {
  return wp.sql(`SELECT COUNT(*), COALESCE(SUM(received), 0), COALESCE(MAX(updated_at), 0), COALESCE(GROUP_CONCAT(status ORDER BY id), '') FROM wp_vietqr_payments;
    SELECT COUNT(*) FROM wp_vietqr_ledger;`);
}
const health = () => phpJson(wp, "$h = VietQR\\Support\\Health::get(); echo json_encode(['accepted' => $h['accepted'], 'rejected' => $h['rejected'], 'duplicates' => $h['duplicates'], 'last' => $h['last_rejection']]);");

/** A fresh Bearer token, asked for as VietQR asks. */
async function bearer() {
  const r = await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } });
  assert.equal(r.status, 200, r.text);
  return r.json.access_token;
}

/** A payment waiting for money (order 0: no WooCommerce needed). */
const newPayment = (amount = 10000) => phpJson(wp, `echo json_encode(VietQR\\Payments\\Payments::create(0, ${Number(amount)}));`);

/** The `sign` VietQR echoes for the QR of `payment` (made with the shop's callback secret). */
const signOf = (payment) => phpJson(wp, `echo json_encode(VietQR\\Core\\Core::value('callback.sign', ['secret' => VietQR\\Support\\Settings::callbackSecret(),
  'order_id' => ${q(payment.order_ref)}, 'bank_account' => ${q(SIM_ACCOUNT.bank_account)}])['sign']);`);

/** A callback body that pays `payment` (`amount`, default all of it), with `extra` keys, signed as VietQR echoes it. */
function syncBody(payment, extra = {}, amount = payment.amount) {
  const id = `T${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return {
    transactionid: id, transactiontime: Date.now(), referencenumber: `FT${id}`, amount, content: payment.content,
    bankaccount: SIM_ACCOUNT.bank_account, transType: "C", orderId: payment.order_ref, sign: signOf(payment), terminalCode: "", urlLink: "", serviceCode: "", subTerminalCode: "",
    ...extra,
  };
}

/** What the logs say from `mark` on: the debug log and (with WooCommerce) its log files. */
function logs() {
  const debug = existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : "";
  const wc = WC ? wp.php("foreach (glob(WC_LOG_DIR . '*.log') ?: [] as $f) { echo file_get_contents($f); }") : "";
  return { debug, wc };
}
function newLogLines(before) {
  const now = logs();
  return { debug: now.debug.slice(before.debug.length), wc: now.wc.slice(before.wc.length) };
}

// ------------------------------------------------------------------ setup

before(async () => {
  shop = await startShop({ woocommerce: WC, wpOptions: { workers: IN_FLIGHT } });
  ({ wp, sim } = shop);
  mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
  // Every mail WordPress sends, kept for test 4 (sendmail is /bin/true).
  writeFileSync(join(wp.site, "wp-content/mu-plugins/attack-test-mails.php"), `<?php
add_filter('wp_mail', static function ($args) {
    file_put_contents(WP_CONTENT_DIR . '/mails.jsonl', json_encode(['to' => $args['to'], 'subject' => $args['subject'], 'message' => $args['message']]) . "\\n", FILE_APPEND);
    return $args;
});
`);
  if (WC) {
    const { shimWooCommerceBuild, setupStore } = await import("./woo.mjs");
    shimWooCommerceBuild(wp);
    setupStore(wp);
  }
});

after(async () => {
  if (shop) await stopShop(shop);
});

// ------------------------------------------------------------ 1. batching

/** POST /batch/v1 as anyone can send it. */
const batch = (requests, validation) => http("/?rest_route=/batch/v1", { json: { ...(validation ? { validation } : {}), requests } });

/** Every answer of a batch, whichever way WordPress put it. */
function subResponses(r) {
  assert.equal(r.status, 207, `batch: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.responses;
}

/** A sub-answer that is WordPress refusing the route, not anything of ours. */
function assertRefused(sub, what) {
  if (sub === null) return; // require-all-validate: not run
  assert.ok(sub.status >= 400, `${what}: HTTP ${sub.status} ${JSON.stringify(sub.body).slice(0, 300)}`);
  assert.ok(["rest_batch_not_allowed", "rest_no_route"].includes(sub.body?.code), `${what}: ${JSON.stringify(sub.body).slice(0, 300)}`);
}

test("batch: the public vietqr/v1 routes say allow_batch false, and /batch/v1 reaches no vietqr/v1 route, with any method, path spelling or validation mode", async () => {
  const routes = phpJson(wp, `$out = [];
    foreach (rest_get_server()->get_routes('vietqr/v1') as $route => $handlers) {
      if ($route === '/vietqr/v1') continue;
      foreach ($handlers as $h) { $out[] = ['route' => $route, 'methods' => array_keys(array_filter((array) $h['methods'])), 'allow_batch' => $h['allow_batch'] ?? null,
        'public' => ($h['permission_callback'] ?? null) === '__return_true']; }
    }
    echo json_encode($out);`);
  assert.ok(routes.length >= 4, JSON.stringify(routes));
  // The self-authenticating ones say so (the others are refused by WordPress's default, checked below).
  const pub = routes.filter((r) => r.public);
  assert.equal(pub.length, 3, JSON.stringify(routes));
  for (const r of pub) assert.equal(r.allow_batch, false, `${r.methods} ${r.route} does not say allow_batch => false`);

  const payment = newPayment();
  const token = await bearer();
  clearThrottle();
  const before = { money: money(), health: health() };
  // Each route, with a concrete path (the status route with a real key), every method a batch may carry.
  const paths = routes.map((r) => r.route.replace("(?P<key>[a-f0-9]{32})", payment.public_key));
  const requests = [];
  for (const path of [...new Set(paths)]) {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      requests.push({ method, path, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: syncBody(payment) });
    }
  }
  for (const validation of [undefined, "require-all-validate"]) {
    for (let i = 0; i < requests.length; i += 25) {
      const slice = requests.slice(i, i + 25);
      const subs = subResponses(await batch(slice, validation));
      assert.equal(subs.length, slice.length);
      subs.forEach((s, j) => assertRefused(s, `${validation || "normal"}: ${slice[j].method} ${slice[j].path}`));
    }
  }
  // Path spellings WordPress matches to the same routes.
  const spellings = ["/vietqr/v1/api/token_generate/", "/VIETQR/v1/api/token_generate", "/vietqr/V1/API/Token_Generate", "/vietqr/v1/api/token_generate?x=1",
    "/vietqr/v1/bank/api/transaction-sync/", "/VietQR/v1/bank/api/transaction-sync"];
  const subs = subResponses(await batch(spellings.map((path) => ({ method: "POST", path, headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } }))));
  subs.forEach((s, i) => assertRefused(s, spellings[i]));

  assert.equal(money(), before.money, "a batched request changed a payment or the ledger");
  assert.deepEqual(health(), before.health, "a batched request was counted by the webhook health");
  assert.equal(throttleCount(), 0, "a batched request reached the token check");
  // The routes themselves still answer over plain HTTP.
  assert.equal((await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } })).status, 200);
  assert.equal((await http(`/?rest_route=/vietqr/v1/payments/${payment.public_key}`)).status, 200);
});

test("batch: 25 credential guesses in one request are all refused unchecked, and the right password in a batch gets no token", async () => {
  clearThrottle();
  const before = { money: money(), health: health() };
  const guesses = Array.from({ length: 24 }, (_, i) => ({ method: "POST", path: "/vietqr/v1/api/token_generate", headers: { authorization: basic(CALLBACK.username, `guess-${i}`) } }));
  guesses.splice(11, 0, { method: "POST", path: "/vietqr/v1/api/token_generate", headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } });
  for (const validation of [undefined, "require-all-validate"]) {
    const r = await batch(guesses, validation);
    assert.doesNotMatch(r.text, /access_token|vqr1\./, `${validation || "normal"}: a token was issued inside a batch`);
    const subs = subResponses(r);
    assert.equal(subs.length, 25);
    subs.forEach((s, i) => assertRefused(s, `${validation || "normal"} guess ${i}`));
  }
  assert.equal(throttleCount(), 0, "the guesses were checked (the throttle counted them)");
  assert.deepEqual(health(), before.health);
  // A transaction delivered in a batch with a valid token records nothing.
  const payment = newPayment(12000);
  const token = await bearer();
  const r = await batch([{ method: "POST", path: "/vietqr/v1/bank/api/transaction-sync", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: syncBody(payment) }]);
  assertRefused(subResponses(r)[0], "transaction-sync");
  assert.equal(money().split("\n")[1], before.money.split("\n")[1], "the ledger changed");
  assert.equal(phpJson(wp, `echo json_encode(VietQR\\Payments\\Payments::find(${payment.id})['status']);`), "pending");
  assert.deepEqual({ ...health(), last: null }, { ...before.health, last: null });
});

// ----------------------------------------------------- 2. token throttle

test("token throttle: 48 wrong passwords, 16 in flight, are every one counted; the address then gets 429, the right password too", async () => {
  wp.php(`VietQR\\Support\\Settings::setSecret('callback_password', ${q(CALLBACK.password)});`);
  clearThrottle();
  const statuses = await pool(48, IN_FLIGHT, async (i) => (await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, `wrong-${i}`) } })).status);
  assert.equal(statuses.most, IN_FLIGHT, "the requests were not in flight together");
  const refused = statuses.filter((s) => s === 401).length;
  const limited = statuses.filter((s) => s === 429).length;
  assert.equal(refused + limited, 48, JSON.stringify(statuses));
  // Every refusal whose credentials were checked is counted: none lost to a concurrent one.
  assert.equal(throttleCount(), refused, `${refused} refusals answered, ${throttleCount()} counted`);
  assert.ok(refused >= 20, `only ${refused} checked before the limit`);
  assert.ok(refused < 20 + IN_FLIGHT, `${refused} checked: the limit did not hold`);
  assert.ok(limited > 0);
  const right = await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } });
  assert.equal(right.status, 429, right.text);
  assert.equal(throttleCount(), refused, "a 429 was counted as a refusal");
  // Other addresses are not affected; the window over, the address gets through again.
  assert.equal(throttleCount("203.0.113.7"), 0);
  wp.sql("UPDATE wp_options SET option_value = CONCAT(UNIX_TIMESTAMP() - 1, ':', SUBSTRING_INDEX(option_value, ':', -1)) WHERE option_name LIKE 'vietqr\\_tf\\_%'");
  assert.equal(throttleCount(), 0);
  assert.equal((await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, CALLBACK.password) } })).status, 200);
  // A refusal after the window starts a new one at 1, and deletes the rows whose window is over.
  wp.sql("INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('vietqr_tf_000000000000000000000000', CONCAT(UNIX_TIMESTAMP() - 5, ':7'), 'no')");
  assert.equal((await http(TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, "wrong-again") } })).status, 401);
  assert.equal(throttleCount(), 1);
  assert.equal(wp.sql("SELECT COUNT(*) FROM wp_options WHERE option_name = 'vietqr_tf_000000000000000000000000'").trim(), "0", "an expired row was left");
  assert.deepEqual(wp.autoloaded("vietqr\\_tf\\_%"), [], "a throttle row is autoloaded");
  clearThrottle();
});

test("token throttle: the counter itself loses nothing when 8 processes add 25 refusals each at once", async () => {
  clearThrottle();
  const address = "198.51.100.9";
  await Promise.all(Array.from({ length: 8 }, () => phpAsync(`$_SERVER['REMOTE_ADDR'] = ${q(address)}; for ($i = 0; $i < 25; $i++) { VietQR\\Callback\\TokenThrottle::failed(); }`)));
  assert.equal(throttleCount(address), 200);
  assert.equal(wp.php(`$_SERVER['REMOTE_ADDR'] = ${q(address)}; echo VietQR\\Callback\\TokenThrottle::blocked() ? 'blocked' : 'open';`), "blocked");
  assert.equal(wp.php("$_SERVER['REMOTE_ADDR'] = '198.51.100.10'; echo VietQR\\Callback\\TokenThrottle::blocked() ? 'blocked' : 'open';"), "open");
  clearThrottle();
});

// ------------------------------------------------------- 3. not UTF-8

const NOT_UTF8 = [
  ["a lone 0xFF byte", Buffer.from([0xff])],
  ["a cut multibyte sequence", Buffer.from([0xe1, 0xbb])],
  ["an overlong '/'", Buffer.from([0xc0, 0xaf])],
  ["a UTF-16 surrogate", Buffer.from([0xed, 0xa0, 0x80])],
  ["Latin-1 text", Buffer.from("Nguy\xe9n V\xe3n A", "latin1")],
];

test("not UTF-8: bytes that are not UTF-8 in the Authorization header or the body are refused with a 4xx and the reason; nothing stored, nothing logged as an error", async () => {
  clearThrottle();
  const token = await bearer();
  const payment = newPayment(15000);
  const before = money();
  const beforeLogs = logs();
  const header = (...parts) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)));
  for (const [what, bad] of NOT_UTF8) {
    // Token route: the header.
    for (const auth of [header("Authorization: Basic ", bad, "dmlldHFyLWNhbGxiYWNrOng="), header("Authorization: ", bad)]) {
      const r = await rawPost(TOKEN, { headers: [auth], body: Buffer.from("{}") });
      assert.equal(r.status, 400, `token, ${what}: HTTP ${r.status} ${r.text}`);
      assert.deepEqual(r.json, { error: "bad_request", reason: "authorization_not_utf8" }, `token, ${what}`);
    }
    // Sync route: the header (a token cannot be such bytes: refused as one).
    const body = Buffer.from(JSON.stringify(syncBody(payment)));
    const a = await rawPost(SYNC, { headers: [header("Authorization: Bearer ", token.slice(0, 10), bad, token.slice(10))], body });
    assert.equal(a.status, 401, `sync header, ${what}: HTTP ${a.status} ${a.text}`);
    assert.deepEqual(a.json, { error: true, errorReason: "012", toastMessage: "the Authorization header is not UTF-8 text", object: null }, `sync header, ${what}`);
    // Sync route: the body, with a valid token, the bytes inside the transfer content.
    const json = JSON.stringify(syncBody(payment, { content: "@@" }));
    const badBody = Buffer.concat([Buffer.from(json.slice(0, json.indexOf("@@"))), Buffer.from(`${payment.content} `), bad, Buffer.from(json.slice(json.indexOf("@@") + 2))]);
    const b = await rawPost(SYNC, { headers: [header(`Authorization: Bearer ${token}`)], body: badBody });
    assert.equal(b.status, 400, `sync body, ${what}: HTTP ${b.status} ${b.text}`);
    assert.deepEqual(b.json, { error: true, errorReason: "001", toastMessage: "body is not UTF-8 text", object: null }, `sync body, ${what}`);
    assert.equal(health().last.reason, "body_not_utf8");
    // The token is checked first: without one, the same body is a 401.
    const c = await rawPost(SYNC, { body: badBody });
    assert.equal(c.status, 401, `sync body without token, ${what}: HTTP ${c.status} ${c.text}`);
    assert.equal(c.json.errorReason, "012");
  }
  // An oversized body is refused for its size, whatever its bytes.
  const huge = await rawPost(SYNC, { headers: [header(`Authorization: Bearer ${token}`)], body: Buffer.alloc(70000, 0xff) });
  assert.equal(huge.status, 400, huge.text);
  assert.equal(huge.json.errorReason, "001");
  assert.match(huge.json.toastMessage, /^body is \d+ bytes; at most 16384$/);
  // The same content as valid UTF-8 pays: the refusals were about the bytes.
  assert.equal(money(), before, "a refused callback changed a payment or the ledger");
  const ok = await http(SYNC, { json: syncBody(payment, { content: `${payment.content} Nguyễn Văn A` }), headers: { authorization: `Bearer ${token}` } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(phpJson(wp, `echo json_encode(VietQR\\Payments\\Payments::find(${payment.id})['status']);`), "paid");
  assert.equal(throttleCount(), 0, "a header that is not UTF-8 was counted as a credential guess");
  const added = newLogLines(beforeLogs);
  assert.doesNotMatch(added.debug, PLUGIN_LOG, `PHP complained about the plugin:\n${added.debug}`);
  assert.doesNotMatch(added.debug, /\[vietqr\] (error|critical|alert|emergency)/i, added.debug);
  assert.doesNotMatch(added.wc, /\b(ERROR|CRITICAL|ALERT|EMERGENCY)\b/, added.wc);
  assert.match(added.debug + added.wc, /callback rejected/i, "the refusals were not logged at all (the log check would be empty)");
});

// ------------------------------------------------ 4. markup from strangers

const EVIL = "evil.example";
/** Markup in every text field of a callback, each naming its own path on EVIL. */
const markup = (field) => `<img src=http://${EVIL}/${field}.png>`;

test("markup in a transfer is text everywhere: order notes, the order's VietQR box, the health tab, emails; the admin's browser asks nothing of a host named in it (WooCommerce)", async (t) => {
  if (!requireWooCommerce(t, "markup from bank transfers on the order screen")) return;
  const mails = join(wp.site, "wp-content/mails.jsonl");
  writeFileSync(mails, "");
  const orderId = Number(wp.php(`
    $o = wc_create_order(); $o->set_payment_method('vietqr'); $o->set_billing_email('buyer@example.test');
    $o->set_total('25000'); $o->save();
    (new VietQR\\Checkout\\Gateway())->process_payment($o->get_id()); echo $o->get_id();`).trim());
  const payment = orderState(wp, orderId).payment;
  assert.ok(payment, "no VietQR payment for the order");
  // The buyer pays part at the bank, with markup in the transfer content (the simulator delivers it).
  const paid = await sim.post("/sim/pay", { content: `${payment.content} ${markup("sim-content")} <a href="http://${EVIL}/sim-link">click</a>`, amount: 10000, bankAccount: SIM_ACCOUNT.bank_account });
  assert.equal(paid.status, 200, paid.text);
  await settled(sim);
  assert.equal(orderState(wp, orderId).payment.status, "partial");
  // The rest, in a callback whose every text field carries markup.
  const token = await bearer();
  const body = syncBody(payment, {
    transactionid: markup("tid"), referencenumber: markup("ref"), content: `${payment.content} ${markup("content")} <a href=http://${EVIL}/a>a</a>`,
    // An orderId that names no QR, so no sign: matched by its content, as transfers VietQR could not tie to a QR are.
    orderId: `<a href=http://${EVIL}/oid>o</a>`, sign: "", terminalCode: markup("tc"), urlLink: `http://${EVIL}/url`, serviceCode: markup("sc"), subTerminalCode: markup("stc"),
  }, 15000);
  const r = await http(SYNC, { json: body, headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, r.text);
  const state = orderState(wp, orderId);
  assert.equal(state.payment.status, "paid");
  assert.ok(["processing", "completed"].includes(state.status), state.status);

  // Stored notes: the stranger's parts escaped in every one.
  for (const note of state.notes) assert.doesNotMatch(note, /<\s*(img|a|script)\b/i, `a note carries markup: ${note}`);
  assert.ok(state.notes.some((n) => n.includes(`&lt;img src=http://${EVIL}/ref.png&gt;`)), `the arrival note lost the reference: ${JSON.stringify(state.notes)}`);

  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser);
    await logIn(page, wp.url);
    const asked = [];
    page.on("request", (req) => asked.push(req.url()));
    const visit = async (url, where) => {
      asked.length = 0;
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      const strangers = asked.filter((u) => new URL(u).hostname.endsWith(EVIL));
      assert.deepEqual(strangers, [], `${where}: the browser asked a host named in a transfer`);
      const planted = await page.evaluate((host) => [...document.querySelectorAll("[src], [href], [srcset], [action], [style]")]
        .filter((el) => ["src", "href", "srcset", "action", "style"].some((a) => (el.getAttribute(a) || "").includes(host))).map((el) => el.outerHTML), EVIL);
      assert.deepEqual(planted, [], `${where}: an element from a transfer's markup`);
      return page.evaluate(() => document.body.innerText);
    };
    const edit = wp.php(`echo wc_get_order(${orderId})->get_edit_order_url();`);
    const orderText = await visit(edit, "order screen");
    const notes = await page.evaluate(() => [...document.querySelectorAll(".note_content")].map((n) => n.innerText).join("\n"));
    assert.ok(notes.includes(`<img src=http://${EVIL}/ref.png>`), `the note does not show the reference as text: ${notes}`);
    const box = await page.evaluate(() => document.querySelector("#vietqr-payment")?.innerText || "");
    assert.ok(box.includes(`<img src=http://${EVIL}/ref.png>`), `the VietQR box does not show the reference as text: ${box}`);
    assert.ok(orderText.includes(`<img src=http://${EVIL}/ref.png>`));

    const healthText = await visit(`${wp.url}${vietqrAdminPath("health", WC)}`, "health tab");
    for (const shown of [markup("content"), markup("sim-content"), `<a href=http://${EVIL}/oid>o</a>`, markup("ref")]) {
      assert.ok(healthText.includes(shown), `the health tab does not show ${shown} as text`);
    }
  } finally {
    await browser.close();
  }

  // Mails sent meanwhile (on-hold, processing, new order): no markup of the transfer.
  const sent = readFileSync(mails, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  assert.ok(sent.length >= 1, "no mail was sent: the mail check would be empty");
  for (const m of sent) assert.doesNotMatch(m.message, new RegExp(`<[^>]*${EVIL.replace(".", "\\.")}`, "i"), `mail "${m.subject}" carries markup from a transfer`);
});

// ------------------------------------------------- 5. huge shortcode content

test("payment QR: a huge transfer content is refused before folding, with the message of any too-long content; what folding drops does not count", () => {
  const out = phpJson(wp, `
    $huge = str_repeat('A', 100000);
    $block = static function (string $content): string {
      return render_block(['blockName' => 'vietqr/payment-qr', 'attrs' => ['amount' => '50000', 'content' => $content], 'innerBlocks' => [], 'innerHTML' => '', 'innerContent' => []]);
    };
    wp_set_current_user(1);
    $out = [
      'huge' => do_shortcode('[vietqr amount="50000" content="' . $huge . '"]'),
      'vietnamese' => do_shortcode('[vietqr amount="50000" content="' . str_repeat('Ủng hộ ', 15000) . '"]'),
      'block' => $block($huge),
      'punctuation' => do_shortcode('[vietqr amount="50000" content="' . str_repeat('!.,-#', 20000) . ' Ung ho"]'),
      'spaces' => $block('Ung' . str_repeat(" \\t", 50000) . 'ho'),
      'just25' => $block(str_repeat('B', 25)),
      'just26' => $block(str_repeat('B', 26)),
    ];
    wp_set_current_user(0);
    $out['visitor'] = do_shortcode('[vietqr amount="50000" content="' . $huge . '"]');
    echo json_encode($out);`);
  const tooLong = (n) => `The transfer content is too long for a VietQR code (purpose is ${n} characters; at most 25 fit in tag 62). Shorten it.`;
  const content = (html) => html.match(/data-field="content">([^<]*)</)?.[1];
  for (const [what, n] of [["huge", 100000], ["vietnamese", 104999], ["block", 100000], ["just26", 26]]) {
    assert.ok(out[what].includes(tooLong(n)), `${what}: ${out[what].slice(0, 400)}`);
    assert.doesNotMatch(out[what], /data-vietqr-payload/, what);
  }
  assert.equal(content(out.punctuation), "Ung ho");
  assert.equal(content(out.spaces), "Ung ho");
  assert.equal(content(out.just25), "B".repeat(25));
  assert.equal(out.visitor, "", "a visitor saw the editor's message");
});

test("payment QR: the content limit is the core's, and cutting down before folding never changes what the core folds", () => {
  const rust = Number(readFileSync(join(ROOT, "src/rules.rs"), "utf8").match(/pub const ADDITIONAL_MAX: usize = (\d+);/)[1]);
  assert.equal(Number(wp.php("echo VietQR\\PaymentQr\\Request::CONTENT_MAX;")), rust);
  const samples = ["Ủng hộ quỹ", "U\u0309ng ho\u0302\u0323 (NFD)", "a ! b", "a!b", "a !b", "a! b", "  Đặng   Thị Ưng ", "tab\tnew\nline\r\nend", "a\u00a0b\u3000c\u2028d\u0085e",
    "ç a b", "日本 a", "①② x", "١٢٣ abc", "a\u200bb", "👍 Ung ho 👍", "x\u202fy\u205fz", "Thanh toán đơn hàng #1234", "---", "", "   ", "ĐƠN 12/3 – cảm ơn!", "a\u180eb", "«Ủng hộ»"];
  const out = phpJson(wp, `$out = [];
    foreach (json_decode(${q(JSON.stringify(samples))}, true) as $s) {
      $out[] = ['whole' => VietQR\\Core\\Core::value('text.fold', ['text' => $s])['text'],
        'cut' => VietQR\\Core\\Core::value('text.fold', ['text' => VietQR\\PaymentQr\\Request::foldable($s)])['text'],
        'bound' => mb_strlen(VietQR\\PaymentQr\\Request::foldable($s))];
    }
    echo json_encode($out);`);
  samples.forEach((s, i) => {
    assert.equal(out[i].cut, out[i].whole, `fold of ${JSON.stringify(s)} changed by the cut`);
    assert.ok(out[i].bound >= out[i].whole.length, `${JSON.stringify(s)}: the bound ${out[i].bound} is below the folded length ${out[i].whole.length}`);
  });
});
