// A lock-out of the address VietQR calls from (issue 19), on a real
// WordPress + WooCommerce + MariaDB with the simulator as VietQR, in local
// QR mode (where VietQR's check-order knows nothing to recover): wrong
// callback passwords make the token route answer 429 to the shared address;
// a buyer pays meanwhile and VietQR's retries all fail. The order must never
// be cancelled while its transfer may still come, the owner must be told
// (when it starts, and which orders to check once VietQR gave up), and the
// transfer, when VietQR delivers it after all, pays the order once.
// Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { phpJson } from "./shop.mjs";
import { CALLBACK, SIM_ACCOUNT } from "./sim.mjs";
import { request } from "./http.mjs";
import * as woo from "./woo.mjs";

const TOKEN = "/?rest_route=/vietqr/v1/api/token_generate";
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;

if (woo.requireWooCommerce(test, "lock-out suite")) suite();

function suite() {
  let shop;

  before(async () => {
    shop = await woo.startWooShop({ qrMode: "local" });
    mkdirSync(join(shop.wp.site, "wp-content/mu-plugins"), { recursive: true });
    // Every mail WordPress sends, kept (sendmail is /bin/true).
    writeFileSync(join(shop.wp.site, "wp-content/mu-plugins/lockout-test-mails.php"), `<?php
add_filter('wp_mail', static function ($args) {
    file_put_contents(WP_CONTENT_DIR . '/mails.jsonl', json_encode(['to' => $args['to'], 'subject' => $args['subject'], 'message' => $args['message']]) . "\\n", FILE_APPEND);
    return $args;
});
`);
  });

  after(async () => {
    if (shop) await woo.stopWooShop(shop);
  });

  const mails = () => {
    const file = join(shop.wp.site, "wp-content/mails.jsonl");
    return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  const lockOuts = () => phpJson(shop.wp, "echo json_encode(VietQR\\Callback\\LockOuts::all());");
  const stock = () => Number(shop.wp.php(`echo wc_get_product(${shop.ids.product})->get_stock_quantity();`).trim());
  const everyMinute = () => shop.wp.php("do_action('vietqr_every_minute');");
  const wrongPassword = () => request(shop.wp.url, TOKEN, { json: {}, headers: { authorization: basic(CALLBACK.username, "not-the-password") } });
  const completions = (notes) => notes.filter((n) => /On hold to Processing|On hold to Completed/i.test(n)).length;

  /** The simulator's deliveries of the transfer with this content. */
  const deliveriesOf = async (content) => (await woo.settled(shop.sim)).filter((d) => d.body.content === content);

  test("a lock-out of the address VietQR calls from: a local-QR order paid meanwhile is never cancelled, the owner is told, and VietQR's later delivery pays it once", async () => {
    // VietQR has called this shop before: its address (loopback here, a proxy's in a real shop) is known.
    const earlier = await woo.storeApiOrder(shop);
    await woo.payAmount(shop.sim, woo.orderState(shop.wp, earlier.order_id).payment, woo.PRICE);
    assert.equal(woo.orderState(shop.wp, earlier.order_id).status, "processing");

    const placed = await woo.storeApiOrder(shop);
    const o = woo.orderState(shop.wp, placed.order_id);
    assert.equal(o.payment.mode, "local");
    const held = stock();

    // Someone guesses the callback password from the shared address until it is locked out.
    for (let i = 0; i < 20; i++) assert.equal((await wrongPassword()).status, 401);
    assert.equal((await wrongPassword()).status, 429);
    const [lockOut, ...more] = lockOuts();
    assert.deepEqual(more, []);
    assert.ok(lockOut.until > lockOut.from, JSON.stringify(lockOut));
    const started = mails().filter((m) => m.subject.includes("VietQR callbacks are being refused"));
    assert.equal(started.length, 1, "the owner is told once, with alerts off (a security e-mail to the site's admin)");
    assert.deepEqual(started[0].to, [shop.wp.php("echo get_option('admin_email');").trim()]);

    // The buyer pays; VietQR's callbacks meet the lock-out until its retries run out.
    const content = `NGUYEN VAN C chuyen tien ${o.payment.content}`;
    assert.equal((await shop.sim.post("/sim/pay", { content, amount: woo.PRICE, bankAccount: SIM_ACCOUNT.bank_account })).status, 200);
    const [delivery] = await deliveriesOf(content);
    assert.equal(String(delivery.status).toLowerCase(), "failed", JSON.stringify(delivery.status));
    assert.ok(delivery.attempts.length >= 10, `${delivery.attempts.length} attempts`);
    assert.ok(delivery.attempts.every((a) => a.token_status === 429), "every token request refused");
    assert.equal(woo.orderState(shop.wp, placed.order_id).ledger.length, 0, "the shop heard nothing");

    // The QR runs out while the lock-out lasts: the payment waits, the order is not cancelled.
    shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE id = ${o.payment.id}`);
    for (let i = 0; i < 3; i++) everyMinute();
    let now = woo.orderState(shop.wp, placed.order_id);
    assert.equal(now.payment.status, "pending");
    assert.equal(now.status, "on-hold");
    assert.equal(stock(), held);

    // The lock-out ended an hour ago, and VietQR's retry horizon with it: its QR
    // was valid during it. The payment expires, but the order stays on hold.
    shop.wp.sql(`DELETE FROM wp_options WHERE option_name LIKE 'vietqr\\_tf\\_%';
      UPDATE wp_options SET option_value = CONCAT(UNIX_TIMESTAMP() - 7200, ':', UNIX_TIMESTAMP() - 3600) WHERE option_name LIKE 'vietqr\\_lo\\_%';
      UPDATE wp_vietqr_payments SET created_at = UNIX_TIMESTAMP() - 5000, expires_at = UNIX_TIMESTAMP() - 4000 WHERE id = ${o.payment.id};`);
    for (let i = 0; i < 3; i++) everyMinute();
    now = woo.orderState(shop.wp, placed.order_id);
    assert.equal(now.payment.status, "expired");
    assert.equal(now.status, "on-hold", "never cancelled");
    assert.equal(stock(), held, "stock still held");
    assert.equal(now.notes.filter((n) => /^Not cancelled: VietQR's callbacks to this shop were refused/.test(n)).length, 1, now.notes.join(" | "));
    assert.ok(now.notes.some((n) => n.includes(o.payment.content)), "the note names the transfer content to look for");
    const toCheck = mails().filter((m) => /1 order may have been paid while VietQR was refused/.test(m.subject));
    assert.equal(toCheck.length, 1, JSON.stringify(mails().map((m) => m.subject)));
    assert.match(toCheck[0].message, new RegExp(`#${placed.order_id}: 25,000 ₫, transfer content ${o.payment.content}`));
    assert.doesNotMatch(toCheck[0].message, new RegExp(`#${earlier.order_id}:`), "a paid order is not listed");

    // VietQR delivers the transfer after all (its support resends it): the order is paid, once.
    assert.equal((await shop.sim.post(`/sim/deliveries/${delivery.id}/redeliver`)).status, 200);
    await woo.settled(shop.sim);
    now = woo.orderState(shop.wp, placed.order_id);
    assert.equal(now.status, "processing");
    assert.equal(now.payment.status, "paid");
    assert.equal(now.ledger.length, 1);
    assert.equal(now.transaction_id, now.ledger[0].reference_number);
    assert.equal(completions(now.notes), 1, now.notes.join(" | "));
    // Delivered again, three at once: answered as success, applied nowhere.
    assert.equal((await shop.sim.post(`/sim/deliveries/${delivery.id}/redeliver?times=3`)).status, 200);
    for (const d of (await woo.settled(shop.sim)).filter((d) => d.redelivery_of === delivery.id)) {
      assert.equal(String(d.status).toLowerCase(), "succeeded", JSON.stringify(d.attempts.at(-1)));
    }
    now = woo.orderState(shop.wp, placed.order_id);
    assert.equal(now.ledger.length, 1);
    assert.equal(completions(now.notes), 1);
    everyMinute();
    assert.equal(mails().filter((m) => /may have been paid while VietQR was refused/.test(m.subject)).length, 1, "the list is sent once");
  });

  test("a lock-out of an address VietQR never called from holds nothing back: no lock-out recorded, no alert", () => {
    const before = lockOuts().length;
    const mailsBefore = mails().length;
    const out = phpJson(shop.wp, `
      $_SERVER['REMOTE_ADDR'] = '203.0.113.7';
      for ($i = 0; $i < VietQR\\Callback\\TokenThrottle::LIMIT; $i++) { VietQR\\Callback\\TokenThrottle::failed(); }
      $r = VietQR\\Callback\\Routes::token(new WP_REST_Request('POST', '/vietqr/v1/api/token_generate'));
      echo json_encode(['status' => $r->get_status()]);`);
    assert.equal(out.status, 429, "the address is locked out");
    assert.equal(lockOuts().length, before);
    assert.equal(mails().length, mailsBefore);
  });
}
