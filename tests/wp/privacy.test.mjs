// Personal data (Tools → Export / Erase Personal Data): the ledger keeps the
// transfer content a payer's bank sent, often with the payer's name. Found by
// the e-mail of the orders it paid, exported through WordPress's exporter
// list, erased (the content blanked; amount, reference and time kept as the
// payment record) through its eraser list; and a suggested privacy-policy
// text. Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { phpJson } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, logIn, DESKTOP } from "./browser.mjs";

if (woo.requireWooCommerce(test, "privacy suite")) suite();

function suite() {
  let shop;
  let paid; // {orderId, reference, content}

  before(async () => {
    shop = await woo.startWooShop();
    const placed = await woo.storeApiOrder(shop);
    const o = woo.orderState(shop.wp, placed.order_id);
    // What a bank app sends: the payer's name around the transfer content.
    const content = `NGUYEN VAN BINH chuyen tien ${o.payment.content}`;
    const r = await shop.sim.post("/sim/pay", { content, amount: woo.PRICE, bankAccount: SIM_ACCOUNT.bank_account });
    assert.equal(r.status, 200, r.text);
    await woo.settled(shop.sim);
    const after = woo.orderState(shop.wp, placed.order_id);
    assert.equal(after.ledger.length, 1);
    paid = { orderId: placed.order_id, reference: after.ledger[0].reference_number, content: after.ledger[0].content };
    assert.match(paid.content, /NGUYEN VAN BINH/);
  });

  after(async () => {
    if (shop) await woo.stopWooShop(shop);
  });

  /** Runs the plugin's exporter or eraser as WordPress's privacy tools call it. */
  const run = (kind, email, page = 1) => phpJson(shop.wp, `
    $list = apply_filters('wp_privacy_personal_data_${kind}s', []);
    $entry = $list['vietqr-for-woocommerce'];
    echo json_encode(['name' => $entry['${kind}_friendly_name'], 'result' => call_user_func($entry['callback'], ${JSON.stringify(email)}, ${page})]);`);

  const values = (item) => Object.fromEntries(item.data.map((d) => [d.name, d.value]));

  test("the exporter returns the payer's transfers of the orders with that e-mail, and nothing for another e-mail", () => {
    const out = run("exporter", woo.BILLING.email);
    assert.equal(out.name, "VietQR bank transfers");
    assert.equal(out.result.done, true);
    assert.equal(out.result.data.length, 1);
    const v = values(out.result.data[0]);
    assert.equal(v["Transfer content"], paid.content);
    assert.equal(v["Bank reference"], paid.reference);
    assert.equal(v.Amount, "25.000 ₫");
    assert.equal(v.Order, String(paid.orderId));

    assert.deepEqual(run("exporter", "someone-else@example.test").result, { data: [], done: true });
  });

  test("the eraser blanks the transfer content and keeps the payment record; a second run has nothing left to remove", () => {
    const other = run("eraser", "someone-else@example.test").result;
    assert.equal(other.items_removed, false);
    assert.match(woo.orderState(shop.wp, paid.orderId).ledger[0].content, /NGUYEN VAN BINH/, "another e-mail's erasure touched this order");

    const out = run("eraser", woo.BILLING.email);
    assert.equal(out.name, "VietQR bank transfers");
    assert.equal(out.result.items_removed, true);
    assert.equal(out.result.items_retained, true);
    assert.match(out.result.messages.join(" "), /amounts, bank references and times are kept/);
    const row = woo.orderState(shop.wp, paid.orderId).ledger[0];
    assert.equal(row.content, "");
    assert.equal(row.reference_number, paid.reference);
    assert.equal(Number(row.amount), woo.PRICE);
    assert.equal(values(run("exporter", woo.BILLING.email).result.data[0])["Transfer content"], "");

    assert.equal(run("eraser", woo.BILLING.email).result.items_removed, false);
  });

  test("an order whose first QR was replaced: the late transfer to that first QR is exported and erased with the transfer that paid the new one", async () => {
    const email = "carol@example.test";
    const placed = await woo.storeApiOrder(shop, { ...woo.BILLING, first_name: "Carol", last_name: "Le", email });
    const first = woo.orderState(shop.wp, placed.order_id).payment;
    // The first QR runs out; the buyer asks for a new one (what the payment page calls) and pays it.
    shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE id = ${first.id}`);
    shop.wp.php(`WC()->payment_gateways()->payment_gateways()['vietqr']->process_payment(${placed.order_id});`);
    const second = woo.orderState(shop.wp, placed.order_id).payment;
    assert.notEqual(Number(second.id), Number(first.id), "a new QR replaced the first");
    const transfer = async (content, amount) => {
      const r = await shop.sim.post("/sim/pay", { content, amount, bankAccount: SIM_ACCOUNT.bank_account });
      assert.equal(r.status, 200, r.text);
      await woo.settled(shop.sim);
    };
    await transfer(`CAROL LE chuyen tien ${second.content}`, woo.PRICE);
    // A late transfer to the first QR, from a screenshot the buyer kept.
    await transfer(`${first.content} CAROL LE chuyen tien`, 10000);
    const rows = shop.wp.sql(`SELECT payment_id, content FROM wp_vietqr_ledger WHERE content LIKE '%CAROL LE%' ORDER BY id`).trim().split("\n");
    assert.equal(rows.length, 2, rows.join(" | "));
    assert.equal(Number(rows[1].split("\t")[0]), Number(first.id), "the late transfer paid into the first QR");

    const exported = run("exporter", email).result;
    assert.equal(exported.data.length, 2, JSON.stringify(exported.data.map(values)));
    assert.deepEqual(exported.data.map((item) => values(item)["Transfer content"]).sort(),
      [`${first.content} CAROL LE chuyen tien`, `CAROL LE chuyen tien ${second.content}`].sort());
    for (const item of exported.data) assert.equal(values(item).Order, String(placed.order_id));

    const erased = run("eraser", email).result;
    assert.equal(erased.items_removed, true);
    assert.equal(shop.wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger WHERE content LIKE '%CAROL%'").trim(), "0", "the buyer's name is gone from every transfer of the order");
    assert.deepEqual(run("exporter", email).result.data.map((item) => values(item)["Transfer content"]), ["", ""]);
  });

  test("Settings → Privacy → Policy Guide shows the plugin's suggested text, naming VietQR.vn and what is kept", async () => {
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser, DESKTOP);
      await logIn(page, shop.wp.url);
      await page.goto(`${shop.wp.url}/wp-admin/options-privacy.php?tab=policyguide`);
      const section = page.locator(".privacy-settings-accordion-panel, .policy-text").filter({ hasText: "VietQR.vn (the payment service this shop uses)" });
      assert.ok(await section.count() > 0, "the plugin's policy text is not on the Policy Guide");
      assert.match(await page.textContent("body"), /VietQR for WooCommerce/);
      assert.match(await section.first().textContent(), /transfer content/);
      assert.deepEqual(errors.filter((e) => /vietqr/i.test(e)), []);
    } finally {
      await browser.close();
    }
  });
}
