// Alerts to the shop owner (issue 13): paid, partly paid, overpaid,
// unmatched transfers and "no callback for N minutes while orders wait", by
// e-mail and by a Telegram bot, each once; and the webhook-health panel that
// shows callbacks, refusals by reason and the alerts' state.
//
// Real WordPress + WooCommerce + vietqr-sim, and a stand-in Telegram Bot API
// in this process (an HTTP server recording every request; the plugin is
// pointed at it with the `vietqr_telegram_api_base` filter). Mails are
// captured by a small mu-plugin on WordPress's `wp_mail` filter.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFile } from "node:child_process";
import { readFileSync, existsSync, mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { phpJson } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK } from "./sim.mjs";
import { launchChromium, openPage, logIn } from "./browser.mjs";
import { dom } from "./dom.mjs";
import * as woo from "./woo.mjs";
import { vietqrAdminPath } from "./http.mjs";

const TOKEN = "7312345678:AAHs3cr3tK3yF0rT3sts_only-9ZqWxYvUtSrQp";
const TOKEN_KEY = TOKEN.split(":")[1];
const CHAT = "-1001234567890";
const OWNERS = ["owner@example.test", "ops@example.test"];

if (woo.requireWooCommerce(test, "alerts suite")) suite();

function suite() {
  let w; // startWooShop's {shop, wp, sim, ids}
  let wp;
  let sim;
  let browser;
  let page;
  let consoleErrors;
  let telegram; // the stand-in server
  const telegramCalls = []; // {path, body}
  let telegramAnswer = null; // null: ok; else (path) => [status, body]
  const pages = []; // [where, html] of every page fetched, for the token check

  /** PHP inside WordPress without blocking this process (the stand-in Telegram must answer meanwhile). */
  const phpAsync = (code) => new Promise((ok, fail) => {
    execFile("php", ["-d", "sendmail_path=/bin/true", "-r", `$_SERVER['HTTP_HOST'] = '${new URL(wp.url).host}'; require '${wp.site}/wp-load.php'; ${code}`],
      { encoding: "utf8" }, (e, out, err) => (e ? fail(new Error(`${e.message}\n${err}`)) : ok(out)));
  });
  const cron = () => phpAsync("do_action('vietqr_every_minute');");
  const mailsFile = () => join(wp.site, "wp-content/vietqr-alert-mails.jsonl");
  /** The alert mails (to the owners' addresses; WooCommerce's own mails go elsewhere). */
  const alertMails = () => (existsSync(mailsFile()) ? readFileSync(mailsFile(), "utf8") : "").split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .filter((m) => [].concat(m.to).some((to) => OWNERS.some((o) => String(to).includes(o))));
  const alertRows = () => phpJson(wp, "global $wpdb; echo json_encode($wpdb->get_results(\"SELECT event_key, event, email, telegram, error FROM {$wpdb->prefix}vietqr_alerts ORDER BY id\", ARRAY_A));");
  const editUrl = (orderId) => wp.php(`echo wc_get_order(${Number(orderId)})->get_edit_order_url();`);
  const money = (n) => `${n.toLocaleString("en-US")} ₫`;

  /** What arrived since `mark` (counts taken before an action). */
  const since = (mark) => ({ mails: alertMails().slice(mark.mails), telegram: telegramCalls.slice(mark.telegram) });
  const mark = () => ({ mails: alertMails().length, telegram: telegramCalls.length });

  before(async () => {
    telegram = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        telegramCalls.push({ method: req.method, path: req.url, body: body ? JSON.parse(body) : null });
        const [status, answer] = telegramAnswer ? telegramAnswer(req.url) : [200, { ok: true, result: { message_id: telegramCalls.length } }];
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise((ok) => telegram.listen(0, "127.0.0.1", ok));
    w = await woo.startWooShop();
    ({ wp, sim } = w);
    mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
    writeFileSync(join(wp.site, "wp-content/mu-plugins/alerts-test.php"), `<?php
// The stand-in Telegram Bot API, and every mail kept and taken as sent. (Not
// handed to PHP's mail(): the test's sendmail is /bin/true, which exits without
// reading, so mail() now and then fails with "Could not instantiate mail
// function" — 4 of 45 sends in a trial — and the alert's retry then sends it again.)
add_filter('vietqr_telegram_api_base', static function () { return 'http://127.0.0.1:${telegram.address().port}'; });
add_filter('pre_wp_mail', static function ($short, $atts) {
    if (get_option('alerts_test_mail_down')) {
        return false; // the mail server refuses (a test sets this)
    }
    file_put_contents(WP_CONTENT_DIR . '/vietqr-alert-mails.jsonl', json_encode(['to' => $atts['to'], 'subject' => $atts['subject'], 'message' => $atts['message']]) . "\\n", FILE_APPEND);
    return true;
}, 10, 2);
`);
    browser = await launchChromium();
    ({ page, errors: consoleErrors } = await openPage(browser));
    await logIn(page, wp.url);
  });

  after(async () => {
    if (browser) await browser.close();
    if (telegram) telegram.close();
    if (w) await woo.stopWooShop(w);
  });

  const SETTINGS = () => `${wp.url}${vietqrAdminPath("settings", true)}`;
  const HEALTH = () => `${wp.url}${vietqrAdminPath("health", true)}`;

  test("settings: the owner picks events and channels; the bot token is kept like a password; Send test alert reaches e-mail and Telegram once each", async () => {
    await page.goto(SETTINGS());
    assert.equal((await page.textContent("#vietqr-telegram_bot_token-state")).trim(), "not set");
    for (const e of ["paid", "partial", "overpaid", "unmatched", "silence"]) await page.check(`#vietqr-alert-${e}`);
    await page.check("#vietqr-alert_email");
    await page.fill("#vietqr-alert_email_to", OWNERS.join(", "));
    await page.check("#vietqr-alert_telegram");
    await page.fill("#vietqr-alert_telegram_chat_id", CHAT);
    // An order waits only while its QR is valid (15 minutes here): a longer silence is refused.
    await page.fill("#vietqr-alert_silence_minutes", "20");

    // A malformed token is refused whole, and the message does not repeat it.
    const typo = "7312345678-AAHnot_a_token_but_close_enough";
    await page.fill("#vietqr-telegram_bot_token", typo);
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
    assert.match(await page.textContent("#vietqr-error-telegram_bot_token"), /@BotFather/);
    assert.match(await page.textContent("#vietqr-error-alert_silence_minutes"), /fewer minutes than the QR lifetime \(15\)/);
    await page.fill("#vietqr-alert_silence_minutes", "5");
    assert.ok(!(await page.content()).includes(typo), "the typed token is shown back");
    assert.deepEqual(phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::get('alert_events'));"), []);

    // Telegram on without a token is refused too.
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
    assert.match(await page.textContent("#vietqr-error-telegram_bot_token"), /need the bot token/);

    await page.fill("#vietqr-telegram_bot_token", TOKEN);
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
    assert.match(await page.textContent(".notice-success"), /Settings saved/);
    const html = await page.content();
    pages.push(["settings after save", html]);
    assert.equal((await page.textContent("#vietqr-telegram_bot_token-state")).trim(), "set");
    assert.equal(await page.inputValue("#vietqr-telegram_bot_token"), "");
    const saved = phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::all());");
    assert.deepEqual(saved.alert_events, ["paid", "partial", "overpaid", "unmatched", "silence"]);
    assert.equal(saved.alert_email_to, OWNERS.join(", "));
    assert.equal(saved.alert_telegram_chat_id, CHAT);
    assert.equal(saved.alert_silence_minutes, 5);
    assert.equal(wp.php("echo VietQR\\Support\\Settings::secret('telegram_bot_token');"), TOKEN);
    // Stored like the other secrets: its own option, never autoloaded, serialized.
    assert.deepEqual(wp.autoloaded("vietqr_secret_telegram_bot_token"), []);
    assert.match(wp.sql("SELECT LEFT(option_value, 2) FROM wp_options WHERE option_name = 'vietqr_secret_telegram_bot_token'").trim(), /^a:/);
    assert.ok(!wp.sql("SELECT option_value FROM wp_options WHERE option_name = 'vietqr_settings'").includes(TOKEN_KEY));

    const before = mark();
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-test_alert")]);
    assert.match(await page.textContent(".notice-success"), /Test alert sent/);
    pages.push(["settings after test alert", await page.content()]);
    const got = since(before);
    assert.equal(got.mails.length, 1, JSON.stringify(got.mails));
    assert.deepEqual([].concat(got.mails[0].to).sort(), [...OWNERS].sort());
    assert.match(got.mails[0].subject, /Test alert/);
    assert.equal(got.telegram.length, 1);
    assert.equal(got.telegram[0].method, "POST");
    assert.equal(got.telegram[0].path, `/bot${TOKEN}/sendMessage`);
    assert.equal(got.telegram[0].body.chat_id, CHAT);
    assert.match(got.telegram[0].body.text, /Test alert/);
    assert.equal(got.telegram[0].body.parse_mode, undefined, "plain text: transfer content must not be read as markup");
  });

  test("a paid callback sends exactly one e-mail and one Telegram message with the order link and amounts; repeated deliveries send nothing more", async () => {
    const placed = await woo.storeApiOrder(w);
    const o = woo.orderState(wp, placed.order_id);
    const start = mark();
    await woo.payInFull(sim, o.payment);
    assert.equal(woo.orderState(wp, placed.order_id).payment.status, "paid");
    const got = since(start);
    assert.equal(got.mails.length, 1, JSON.stringify(got.mails.map((m) => m.subject)));
    assert.equal(got.telegram.length, 1);
    const link = editUrl(placed.order_id);
    assert.match(link, /wp-admin\/(post\.php\?post=|admin\.php\?page=wc-orders&action=edit&id=)\d+/);
    for (const text of [got.mails[0].subject + "\n" + got.mails[0].message, got.telegram[0].body.text]) {
      assert.ok(text.includes(`Order #${placed.order_id} is paid`), text);
      assert.ok(text.includes(`Received ${money(woo.PRICE)} of ${money(woo.PRICE)}.`), text);
      assert.ok(text.includes(link), `no order link in: ${text}`);
    }
    const ledger = woo.orderState(wp, placed.order_id).ledger;
    assert.ok(got.telegram[0].body.text.includes(ledger[0].reference_number), "the bank reference is in the alert");

    // VietQR delivers the same transaction again, five times at once: nothing more is sent.
    const delivery = (await woo.settled(sim)).find((d) => d.body.orderId === o.payment.order_ref && d.status === "succeeded");
    const again = await sim.post(`/sim/deliveries/${delivery.id}/redeliver?times=5`);
    assert.equal(again.status, 200, again.text);
    const all = await woo.settled(sim);
    for (const id of again.json.deliveries) assert.equal(all.find((d) => d.id === id).status, "succeeded");
    assert.equal(woo.orderState(wp, placed.order_id).ledger.length, 1);
    const after = since(start);
    assert.equal(after.mails.length, 1);
    assert.equal(after.telegram.length, 1);
    assert.equal(alertRows().filter((r) => r.event === "paid").length, 1);
  });

  test("partial, overpaid and unmatched transfers each send their own alert, once", async () => {
    // Partly paid, then the rest: a "partly paid" alert, then a "paid" one.
    const partly = await woo.storeApiOrder(w);
    let o = woo.orderState(wp, partly.order_id);
    let start = mark();
    await woo.payAmount(sim, o.payment, 10000);
    let got = since(start);
    assert.equal(got.mails.length, 1);
    assert.equal(got.telegram.length, 1);
    for (const text of [got.mails[0].subject + "\n" + got.mails[0].message, got.telegram[0].body.text]) {
      assert.ok(text.includes(`Order #${partly.order_id} is partly paid`), text);
      assert.ok(text.includes(`Received ${money(10000)} of ${money(woo.PRICE)}; ${money(woo.PRICE - 10000)} still due.`), text);
      assert.ok(text.includes(editUrl(partly.order_id)), text);
    }

    // Overpaid.
    const over = await woo.storeApiOrder(w);
    o = woo.orderState(wp, over.order_id);
    start = mark();
    await woo.payAmount(sim, o.payment, woo.PRICE + 5000);
    got = since(start);
    assert.equal(got.mails.length, 1);
    assert.equal(got.telegram.length, 1);
    assert.ok(got.telegram[0].body.text.includes(`Order #${over.order_id} is overpaid`), got.telegram[0].body.text);
    assert.ok(got.telegram[0].body.text.includes(`${money(5000)} more than due`), got.telegram[0].body.text);
    assert.ok(got.mails[0].message.includes(editUrl(over.order_id)));

    // A transfer that names no order: recorded unmatched, one alert with its content and amount.
    const ledgerBefore = Number(wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger WHERE payment_id IS NULL").trim());
    start = mark();
    const paid = await sim.post("/sim/pay", { content: "TIEN HANG THANG NAM", amount: 7000, bankAccount: SIM_ACCOUNT.bank_account });
    assert.equal(paid.status, 200, paid.text);
    const deliveries = await woo.settled(sim);
    assert.equal(Number(wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger WHERE payment_id IS NULL").trim()), ledgerBefore + 1);
    got = since(start);
    assert.equal(got.mails.length, 1, JSON.stringify(got.mails.map((m) => m.subject)));
    assert.equal(got.telegram.length, 1);
    for (const text of [got.mails[0].subject + "\n" + got.mails[0].message, got.telegram[0].body.text]) {
      assert.match(text, /A transfer matched no order/);
      assert.ok(text.includes(`${money(7000)} arrived with the transfer content "TIEN HANG THANG NAM"`), text);
    }
    // Its repeat sends nothing.
    const d = deliveries.filter((x) => x.body.content === "TIEN HANG THANG NAM").at(-1);
    assert.equal((await sim.post(`/sim/deliveries/${d.id}/redeliver?times=3`)).status, 200);
    await woo.settled(sim);
    assert.equal(since(start).telegram.length, 1);
    assert.equal(since(start).mails.length, 1);

    // A transfer to a payment QR block's content paid that QR, not an order: no "matched no order" alert.
    const qrPage = Number(wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Ung ho', 'post_content' => '<!-- wp:vietqr/payment-qr {"amount":"50000","content":"Ung ho"} /-->']);`));
    assert.equal((await fetch(wp.php(`echo get_permalink(${qrPage});`))).status, 200); // a visitor's view: the site now knows the QR
    start = mark();
    const donated = await sim.post("/sim/pay", { content: "Ung ho quy", amount: 50000, bankAccount: SIM_ACCOUNT.bank_account });
    assert.equal(donated.status, 200, donated.text);
    await woo.settled(sim);
    assert.equal(wp.sql("SELECT resolution FROM wp_vietqr_ledger ORDER BY id DESC LIMIT 1").trim(), "payment_qr");
    assert.deepEqual(since(start), { mails: [], telegram: [] });

    const events = alertRows().map((r) => r.event);
    for (const e of ["partial", "overpaid", "unmatched"]) assert.equal(events.filter((x) => x === e).length, 1, `${e}: ${events}`);
    assert.ok(alertRows().every((r) => r.email === "sent" && r.telegram === "sent"), JSON.stringify(alertRows()));
  });

  test("no callback for N minutes while an order waits: one alert from the cron, even from two runs at once; none while nothing waits", async () => {
    // Nothing waits (the partly paid order above is made older than a day): the cron sends nothing.
    wp.sql("UPDATE wp_vietqr_payments SET created_at = created_at - 2 * 86400 WHERE status IN ('pending', 'partial')");
    wp.php("$h = get_option('vietqr_health'); $h['last_accepted_at'] = time() - 3600; $h['last_callback_at'] = time() - 3600; update_option('vietqr_health', $h);");
    let start = mark();
    await cron();
    assert.deepEqual(since(start), { mails: [], telegram: [] });

    // An order placed 10 minutes ago still waits, VietQR silent for an hour (5 minutes are enough).
    const waiting = await woo.storeApiOrder(w);
    const p = woo.orderState(wp, waiting.order_id).payment;
    wp.sql(`UPDATE wp_vietqr_payments SET created_at = UNIX_TIMESTAMP() - 600, expires_at = UNIX_TIMESTAMP() + 600 WHERE id = ${p.id}`);
    start = mark();
    await Promise.all([cron(), cron()]);
    await cron();
    const got = since(start);
    assert.equal(got.telegram.length, 1, JSON.stringify(got.telegram.map((t) => t.body.text)));
    assert.equal(got.mails.length, 1, JSON.stringify([got.mails, alertRows()]));
    assert.match(got.telegram[0].body.text, /No callback from VietQR for 5 minutes/);
    assert.match(got.telegram[0].body.text, /Orders are waiting for payment/);
    assert.equal(alertRows().filter((r) => r.event === "silence").length, 1);

    // Only a few minutes since the order and the last callback: no alert (the next silence is a new one).
    wp.php("$h = get_option('vietqr_health'); $h['last_accepted_at'] = time() - 120; update_option('vietqr_health', $h);");
    await cron();
    assert.equal(since(start).telegram.length, 1);
  });

  test("a Telegram error is recorded with the token removed and shown on the health panel; refusals are counted by reason over a day and a week", async () => {
    // Telegram answers with an error that quotes the request path (and so the token).
    telegramAnswer = (path) => [400, { ok: false, error_code: 400, description: `Bad Request: chat not found (${path}, token ${TOKEN})` }];
    try {
      await page.goto(SETTINGS());
      await Promise.all([page.waitForNavigation(), page.click("#vietqr-test_alert")]);
      const notice = await page.textContent(".notice-error");
      pages.push(["settings after a failed test alert", await page.content()]);
      assert.match(notice, /Telegram refused the message \(HTTP 400\): Bad Request: chat not found/);
      assert.match(notice, /\[bot token removed\]/);
      assert.ok(!notice.includes(TOKEN_KEY), notice);
    } finally {
      telegramAnswer = null;
    }
    const row = alertRows().at(-1);
    assert.equal(row.event, "test");
    assert.equal(row.email, "sent");
    assert.equal(row.telegram, "failed");
    assert.ok(!row.error.includes(TOKEN_KEY), row.error);

    // Two refused token requests now, five refusals three days ago, some nine days ago (outside the week).
    const forged = () => fetch(`${wp.url}/?rest_route=/vietqr/v1/api/token_generate`, {
      method: "POST", body: "{}",
      headers: { "content-type": "application/json", authorization: "Basic " + Buffer.from(`${CALLBACK.username}:wrong-password`).toString("base64") },
    });
    assert.equal((await forged()).status, 401);
    assert.equal((await forged()).status, 401);
    const reason = phpJson(wp, "echo json_encode(VietQR\\Support\\Health::get()['last_rejection']['reason']);");
    wp.sql(`INSERT INTO wp_vietqr_rejections (hour, endpoint, reason, count) VALUES
      (UNIX_TIMESTAMP() - 3 * 86400 - MOD(UNIX_TIMESTAMP(), 3600), 'token', '${reason}', 5),
      (UNIX_TIMESTAMP() - 9 * 86400 - MOD(UNIX_TIMESTAMP(), 3600), 'token', '${reason}', 40),
      (UNIX_TIMESTAMP() - 9 * 86400 - MOD(UNIX_TIMESTAMP(), 3600), 'transaction-sync', 'old_reason', 3)`);
    await cron(); // trims counts older than eight days
    assert.equal(wp.sql("SELECT COUNT(*) FROM wp_vietqr_rejections WHERE hour < UNIX_TIMESTAMP() - 8 * 86400").trim(), "0");

    // The panel, in the browser.
    await page.goto(HEALTH());
    const html = await page.content();
    pages.push(["health tab", html]);
    assert.match(await page.textContent("#vietqr-last-verdict"), new RegExp(`refused: ${reason}`));
    assert.doesNotMatch(await page.textContent("#vietqr-last-callback"), /never/);
    const failures = page.locator(`#vietqr-failures tr[data-reason="${reason}"]`);
    assert.equal(await failures.count(), 1);
    assert.equal((await failures.locator(".vietqr-day").textContent()).trim(), "2");
    assert.equal((await failures.locator(".vietqr-week").textContent()).trim(), "7");
    assert.equal(await page.locator('#vietqr-failures tr[data-reason="old_reason"]').count(), 0);
    assert.equal((await page.textContent("#vietqr-alert-email")).trim(), `on, to ${OWNERS.join(", ")}`);
    assert.equal((await page.textContent("#vietqr-alert-telegram")).trim(), `on, to chat ${CHAT} (bot token set)`);
    assert.match(await page.textContent("#vietqr-alert-events"), /Order paid, Order partly paid, Order overpaid, Transfer that matched no order, No callback/);
    assert.match(await page.textContent("#vietqr-alert-last-sent"), /Test alert/);
    const failure = await page.textContent("#vietqr-alert-last-failure");
    assert.match(failure, /Test alert: Telegram: Telegram refused the message \(HTTP 400\): Bad Request: chat not found \(\/bot\[bot token removed\]\/sendMessage, token \[bot token removed\]\)/);
    // The same read as markup, without a browser (the cells hold text only).
    const doc = dom(html);
    assert.equal(doc.querySelector("#vietqr-alert-last-failure").children.length, 0);
    assert.equal(doc.querySelectorAll("#vietqr-failures tbody tr").length, 1);
    assert.deepEqual(consoleErrors, []);
  });

  test("a failed Telegram or e-mail send is tried again by the cron, at most three attempts in all; what went out is not sent again; the message is kept only while a retry is due", async () => {
    const unmatched = async (content, amount) => {
      const r = await sim.post("/sim/pay", { content, amount, bankAccount: SIM_ACCOUNT.bank_account });
      assert.equal(r.status, 200, r.text);
      await woo.settled(sim);
      return alertRows().at(-1);
    };
    const messageOf = (key) => wp.sql(`SELECT message FROM wp_vietqr_alerts WHERE event_key = '${key}'`).trim();
    // Telegram down for good: three attempts, then it stops.
    telegramAnswer = () => [502, { ok: false, error_code: 502, description: "Bad Gateway" }];
    let start = mark();
    try {
      const row = await unmatched("TIEN THUA LAN MOT", 3000);
      assert.equal(row.event, "unmatched");
      assert.deepEqual([row.email, row.telegram], ["sent", "failed"]);
      assert.match(messageOf(row.event_key), /TIEN THUA LAN MOT/);
      for (let i = 0; i < 4; i++) await cron();
      const got = since(start);
      assert.equal(got.telegram.filter((c) => c.body.text.includes("TIEN THUA LAN MOT")).length, 3);
      assert.equal(got.mails.length, 1, "the e-mail that went out was sent again");
      const after = alertRows().find((r) => r.event_key === row.event_key);
      assert.deepEqual([after.email, after.telegram], ["sent", "failed"]);
      assert.match(after.error, /HTTP 502/);
      assert.equal(messageOf(row.event_key), "", "the message was kept after the last attempt");
    } finally {
      telegramAnswer = null;
    }
    // Telegram and the mail server down for one attempt: the next cron run delivers both, once.
    let down = true;
    telegramAnswer = () => (down ? [500, { ok: false, error_code: 500, description: "Internal Server Error" }] : [200, { ok: true, result: {} }]);
    wp.php("update_option('alerts_test_mail_down', 1);");
    start = mark();
    try {
      const row = await unmatched("TIEN THUA LAN HAI", 4000);
      assert.deepEqual([row.email, row.telegram], ["failed", "failed"]);
      assert.match(row.error, /E-mail: WordPress could not send the e-mail\. Telegram: Telegram refused the message \(HTTP 500\)/);
      down = false;
      wp.php("delete_option('alerts_test_mail_down');");
      await cron();
      await cron();
      assert.equal(since(start).telegram.filter((c) => c.body.text.includes("TIEN THUA LAN HAI")).length, 2);
      assert.equal(since(start).mails.filter((m) => m.message.includes("TIEN THUA LAN HAI")).length, 1);
      const after = alertRows().find((r) => r.event_key === row.event_key);
      assert.deepEqual([after.email, after.telegram], ["sent", "sent"]);
      assert.equal(messageOf(row.event_key), "");
    } finally {
      telegramAnswer = null;
      wp.php("delete_option('alerts_test_mail_down');");
    }
  });

  test("the bot token is in no page, log, error message, stored alert or mail", async () => {
    for (const tab of ["settings", "link", "terminals", "health"]) {
      await page.goto(`${wp.url}${vietqrAdminPath(tab, true)}`);
      pages.push([`${tab} tab`, await page.content()]);
    }
    await page.goto(`${wp.url}/wp-admin/options.php`);
    pages.push(["options.php", await page.content()]);
    const needles = [TOKEN, TOKEN_KEY, encodeURIComponent(TOKEN), Buffer.from(TOKEN).toString("base64").slice(0, 16)];
    const wcLogs = join(wp.site, "wp-content/uploads/wc-logs");
    const logs = existsSync(wcLogs) ? readdirSync(wcLogs).map((f) => readFileSync(join(wcLogs, f), "utf8")).join("\n") : "";
    assert.match(logs, /alert not delivered/, "the failed alert was not logged: the log check would be empty");
    const places = [
      ...pages,
      ["debug.log", existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : ""],
      ["WooCommerce logs", logs],
      ["server log", wp.log.join("")],
      ["mails", readFileSync(mailsFile(), "utf8")],
      ["alerts table", wp.sql("SELECT * FROM wp_vietqr_alerts")],
      ["options but the token's own", wp.sql("SELECT option_name, option_value FROM wp_options WHERE option_name <> 'vietqr_secret_telegram_bot_token'")],
      ["telegram message texts", JSON.stringify(telegramCalls.map((c) => c.body))],
    ];
    for (const [where, text] of places) {
      for (const n of needles) assert.ok(!text.includes(n), `the bot token is in ${where}`);
    }
  });

  test("the suggested privacy-policy text says what goes to Telegram while Telegram alerts are on, and not otherwise", () => {
    const policy = () => wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; require_once ABSPATH . 'wp-admin/includes/class-wp-privacy-policy-content.php';
      require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php'; require_once ABSPATH . 'wp-admin/includes/screen.php';
      $GLOBALS['current_screen'] = WP_Screen::get('options-privacy'); // wp-admin, as WordPress asks
      remove_all_actions('admin_init'); add_action('admin_init', ['VietQR\\Checkout\\Privacy', 'policy']); do_action('admin_init');
      $p = new ReflectionProperty('WP_Privacy_Policy_Content', 'policy_content'); $p->setAccessible(true);
      foreach ($p->getValue() as $c) { echo $c['policy_text']; }`);
    const on = policy();
    assert.match(on, /VietQR\.vn \(the payment service this shop uses\)/);
    assert.match(on, /through Telegram \(telegram\.org\)/);
    wp.php("VietQR\\Support\\Settings::update(['alert_telegram' => false]);");
    assert.doesNotMatch(policy(), /Telegram/);
    wp.php("VietQR\\Support\\Settings::update(['alert_telegram' => true]);");
  });

  test("uninstall removes the bot token", () => {
    wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('vietqr-for-woocommerce/vietqr-for-woocommerce.php'); uninstall_plugin('vietqr-for-woocommerce/vietqr-for-woocommerce.php');`);
    assert.equal(wp.sql("SELECT COUNT(*) FROM wp_options WHERE option_name = 'vietqr_secret_telegram_bot_token'").trim(), "0");
    assert.equal(wp.sql(`SELECT COUNT(*) FROM wp_options WHERE option_value LIKE '%${TOKEN_KEY}%'`).trim(), "0");
  });
}
