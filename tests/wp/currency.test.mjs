// A store that does not sell in đồng. VietQR moves VND only: a USD 25.00
// order must never get a QR for 25 ₫. Without a rate set by the owner the
// method is not offered (classic, Checkout block, Store API); with one, the
// buyer sees the rate at checkout and both amounts next to the QR, the
// payment is for the converted amount and the order's notes keep both.
// An order that comes to 0 ₫ is refused, never completed unpaid.
// Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { phpJson } from "./shop.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, DESKTOP } from "./browser.mjs";
import { decodeQr } from "./qrshot.mjs";

if (woo.requireWooCommerce(test, "store currency suite")) suite();

function suite() {
  let shop;
  let browser;

  before(async () => {
    shop = await woo.startWooShop();
    // The same shop, selling in US dollars: Áo dài at 25.00 USD.
    phpJson(shop.wp, `
      update_option('woocommerce_currency', 'USD');
      update_option('woocommerce_price_num_decimals', '2');
      update_option('woocommerce_price_thousand_sep', ',');
      update_option('woocommerce_price_decimal_sep', '.');
      $p = wc_get_product(${shop.ids.product}); $p->set_regular_price('25.00'); $p->save();
      echo json_encode(true);`);
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (shop) await woo.stopWooShop(shop);
  });

  const setRate = (rate) => shop.wp.php(`VietQR\\Support\\Settings::update(['vnd_rate' => ${JSON.stringify(rate)}]);`);
  const payments = () => phpJson(shop.wp, `global $wpdb; echo json_encode((int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}vietqr_payments"));`);

  /** What checkout offers: the gateway's availability, the Checkout block's registration, the Store API's methods. */
  async function offered() {
    const php = phpJson(shop.wp, `
      $g = WC()->payment_gateways()->payment_gateways()['vietqr'];
      $b = new VietQR\\Checkout\\BlocksSupport(); $b->initialize();
      echo json_encode(['gateway' => $g->is_available(), 'block' => $b->is_active(), 'description' => $g->get_description()]);`);
    const cart = await (await fetch(`${shop.wp.url}/?rest_route=/wc/store/v1/cart`)).json();
    return { ...php, storeApi: cart.payment_methods.includes("vietqr") };
  }

  test("no rate: VietQR is not offered (gateway, Checkout block, Store API) and a USD order gets no payment", async () => {
    setRate("");
    const o = await offered();
    assert.deepEqual([o.gateway, o.block, o.storeApi], [false, false, false]);

    // An order that reaches the gateway anyway (another door, a stale page) is refused with the reason.
    const before = payments();
    const refused = phpJson(shop.wp, `
      $o = wc_create_order(); $o->add_product(wc_get_product(${shop.ids.product}), 1); $o->set_payment_method('vietqr'); $o->calculate_totals(); $o->save();
      $r = (new VietQR\\Checkout\\Gateway())->process_payment($o->get_id());
      echo json_encode(['result' => $r['result'], 'notices' => wp_list_pluck(wc_get_notices('error'), 'notice'), 'status' => wc_get_order($o->get_id())->get_status()]);`);
    assert.equal(refused.result, "failure");
    assert.match(refused.notices.join(" "), /Vietnamese đồng only, and this order is in USD/);
    assert.equal(refused.status, "pending");
    assert.equal(payments(), before, "a payment was created for a USD order");
  });

  test("a bad rate is refused by the settings form with the reason; a good one is kept", () => {
    const check = (rate) => phpJson(shop.wp, `
      [$values, , $errors] = (new VietQR\\Admin\\SettingsValidator(['environment' => 'custom', 'custom_base_url' => 'https://example.test/vqr', 'qr_lifetime' => '15', 'qr_mode' => 'api', 'content_prefix' => 'DH', 'vnd_rate' => ${JSON.stringify(rate)}]))->validate();
      echo json_encode(['rate' => $values['vnd_rate'] ?? null, 'error' => $errors['vnd_rate'] ?? null]);`);
    for (const bad of ["0", "-1", "abc", "25000.1234567", "1e5"]) {
      assert.match(check(bad).error ?? "", /number of đồng one unit of your currency is worth/, bad);
    }
    assert.deepEqual(check("25432,5"), { rate: "25432.5", error: null });
    assert.deepEqual(check(""), { rate: "", error: null });
  });

  test("with a rate: the buyer sees it at checkout and both amounts by the QR; the QR is for the đồng; the notes keep both", async () => {
    setRate("25000");
    const o = await offered();
    assert.deepEqual([o.gateway, o.block, o.storeApi], [true, true, true]);
    assert.match(o.description, /You pay in Vietnamese đồng at 1 USD = 25\.000 ₫\./);

    const { context, page, errors } = await openPage(browser, DESKTOP);
    try {
      const orderId = await woo.blockCheckout(page, shop, () => errors.join(" | "));
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      const state = woo.orderState(shop.wp, orderId);
      assert.equal(state.total, "25.00");
      assert.equal(state.payment.amount, 625000);
      assert.equal(woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg")).amount, 625000);
      assert.equal((await page.textContent('.vietqr-pay [data-field="amount"]')).trim(), "625.000 ₫");
      assert.equal((await page.textContent('.vietqr-pay [data-field="conversion"]')).trim(), "25.00 USD = 625.000 ₫ (1 USD = 25.000 ₫)");
      assert.ok(state.notes.some((n) => n.includes("25.00 USD = 625.000 ₫ (1 USD = 25.000 ₫)")), state.notes.join(" | "));

      // Paid in đồng, the order completes.
      await woo.payInFull(shop.sim, state.payment);
      assert.equal(woo.orderState(shop.wp, orderId).status, "processing");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("an order that comes to 0 ₫ is refused at checkout with the reason, never completed unpaid", async () => {
    setRate("1"); // 0.49 USD × 1 = 0.49 ₫ → 0 ₫
    const before = payments();
    const r = phpJson(shop.wp, `
      $p = new WC_Product_Simple(); $p->set_name('Kẹo'); $p->set_regular_price('0.49'); $p->set_virtual(true); $p->set_status('publish'); $p->save();
      $o = wc_create_order(); $o->add_product($p, 1); $o->set_payment_method('vietqr'); $o->calculate_totals(); $o->save();
      $r = (new VietQR\\Checkout\\Gateway())->process_payment($o->get_id());
      $o = wc_get_order($o->get_id());
      echo json_encode(['result' => $r['result'], 'notices' => wp_list_pluck(wc_get_notices('error'), 'notice'), 'status' => $o->get_status(), 'paid' => $o->is_paid()]);`);
    assert.equal(r.result, "failure");
    assert.match(r.notices.join(" "), /comes to 0 ₫/);
    assert.equal(r.status, "pending");
    assert.equal(r.paid, false);
    assert.equal(payments(), before);
    // The payment layer refuses it too, whoever asks.
    assert.match(shop.wp.php("try { VietQR\\Payments\\Payments::create(1, 0); echo 'created'; } catch (InvalidArgumentException $e) { echo $e->getMessage(); }"), /positive/);
  });
}
