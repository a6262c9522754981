// A new QR from WooCommerce's payment page (the "pay" link), on a real
// WordPress + WooCommerce + MariaDB with the simulator as VietQR (issue 19):
//   1. however many "pay" requests come at once for an order whose QR ran
//      out, one new payment is made (and, in API mode, one VietQR call);
//   2. the order key alone changes nothing: a stranger holding it, or
//      another logged-in customer, gets no new QR and no longer life for
//      the live one; the buyer (session, account, or the e-mail WooCommerce's
//      check confirmed) still gets one.
// Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { phpJson, configure } from "./shop.mjs";
import { request, signIn } from "./http.mjs";
import { dom } from "./dom.mjs";
import * as woo from "./woo.mjs";

const CONCURRENT = 20;
const STRANGER = { ...woo.BILLING, first_name: "Kẻ", last_name: "Lạ", email: "stranger@example.test" };

if (woo.requireWooCommerce(test, "renewal suite")) suite();

function suite() {
  let shop;

  before(async () => {
    shop = await woo.startWooShop({ wpOptions: { workers: CONCURRENT + 4 } });
  });

  after(async () => {
    if (shop) await woo.stopWooShop(shop);
  });

  /** The order's payments, oldest first. */
  const paymentsOf = (orderId) => phpJson(shop.wp, `global $wpdb; echo json_encode($wpdb->get_results($wpdb->prepare(
    "SELECT id, status, mode, amount, content, order_ref, expires_at FROM {$wpdb->prefix}vietqr_payments WHERE order_id = %d ORDER BY id", ${Number(orderId)}), ARRAY_A));`);
  /** The order's QR ran out (the cron has not come yet: the order still waits on-hold). */
  const runOut = (orderId) => shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${Number(orderId)}`);
  /** The order was placed an hour ago: past WooCommerce's 10-minute grace before it asks for the e-mail. */
  const age = (orderId) => shop.wp.php(`$o = wc_get_order(${Number(orderId)}); $o->set_date_created(time() - 3600); $o->save();`);
  /** QR codes VietQR (the simulator) has made so far: one per generate-customer call. */
  const vietqrQrs = async () => (await shop.sim.get("/sim/transactions")).json.length;
  /** The order's payment page, as a path, with its key. */
  const payPath = (orderId) => {
    const url = shop.wp.php(`echo wc_get_order(${Number(orderId)})->get_checkout_payment_url();`).trim();
    return url.slice(new URL(url).origin.length);
  };
  const jar = (cookieHeader) => new Map(cookieHeader.split("; ").filter(Boolean).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));

  /** The payment form's fields on a page, or null when the page shows no payment form. */
  function payForm(html) {
    const nonce = dom(html).querySelector('#order_review input[name="woocommerce-pay-nonce"]');
    if (!nonce) return null;
    const fields = { payment_method: "vietqr", woocommerce_pay: "1", "woocommerce-pay-nonce": nonce.getAttribute("value") };
    for (const hidden of dom(html).querySelectorAll('#order_review input[type="hidden"][name^="vietqr_"]')) fields[hidden.getAttribute("name")] = hidden.getAttribute("value");
    return fields;
  }

  /** Opens the payment page of `orderId` with `cookies` and posts its form; resolves to the answer to the post. */
  async function pay(orderId, cookies) {
    const path = payPath(orderId);
    const page = await request(shop.wp.url, path, { cookies });
    const form = payForm(page.text);
    assert.ok(form, `no payment form on ${path}: HTTP ${page.status}`);
    return request(shop.wp.url, path, { cookies, form });
  }

  async function racePay(mode) {
    configure(shop.wp, shop.sim, { qrMode: mode });
    const placed = await woo.storeApiOrder(shop);
    const first = paymentsOf(placed.order_id);
    assert.equal(first.length, 1);
    assert.equal(first[0].mode, mode);
    runOut(placed.order_id);
    const cookies = jar(placed.cookie);
    const path = payPath(placed.order_id);
    const form = payForm((await request(shop.wp.url, path, { cookies })).text);
    assert.ok(form, "the buyer gets the payment form");
    const qrsBefore = await vietqrQrs();

    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => request(shop.wp.url, path, { cookies: new Map(cookies), form })));

    for (const a of answers) {
      assert.equal(a.status, 302, `every request is sent to the order's QR: HTTP ${a.status} ${a.text.slice(0, 200)}`);
      assert.match(a.location, /order-received/);
    }
    const [old, fresh, ...more] = paymentsOf(placed.order_id);
    assert.deepEqual(more, [], `${CONCURRENT} concurrent requests made ${1 + more.length} new payments`);
    assert.equal(old.status, "expired");
    assert.equal(fresh.status, "pending");
    assert.equal(fresh.mode, mode);
    assert.equal(await vietqrQrs() - qrsBefore, mode === "api" ? 1 : 0, "VietQR calls for the new QR");
    const o = woo.orderState(shop.wp, placed.order_id);
    assert.equal(o.status, "on-hold");
    assert.equal(o.key, shop.wp.php(`echo VietQR\\Payments\\Payments::find(${Number(fresh.id)})['public_key'];`).trim(), "the order shows the new QR");
    assert.equal(o.notes.filter((n) => /new VietQR code/.test(n)).length, 1, o.notes.join(" | "));

    // And it pays once.
    if (mode === "api") await woo.payInFull(shop.sim, fresh);
    else await woo.payAmount(shop.sim, fresh, Number(fresh.amount));
    assert.equal(woo.orderState(shop.wp, placed.order_id).status, "processing");
  }

  test(`API mode: ${CONCURRENT} concurrent "pay" requests after the QR ran out make one new payment and one VietQR call`, async () => {
    await racePay("api");
  });

  test(`local mode: ${CONCURRENT} concurrent "pay" requests after the QR ran out make one new payment`, async () => {
    await racePay("local");
    configure(shop.wp, shop.sim, { qrMode: "api" });
  });

  test("a stranger holding the order key gets no new QR and no longer life for the live one; the buyer's session, and the e-mail WooCommerce's check confirmed, still get one", async () => {
    const placed = await woo.storeApiOrder(shop);
    age(placed.order_id);
    // The stranger's own order gives them a session and a payment-form nonce, as anyone can have.
    const theirs = await woo.storeApiOrder(shop, STRANGER);
    const stranger = jar(theirs.cookie);
    const nonce = payForm((await request(shop.wp.url, payPath(theirs.order_id), { cookies: stranger })).text);
    assert.ok(nonce, "the stranger's own payment page");
    const victim = payPath(placed.order_id);
    const notes = () => woo.orderState(shop.wp, placed.order_id).notes.length;

    // A live QR: shown as it is, its life not extended.
    const live = paymentsOf(placed.order_id);
    const notesBefore = notes();
    const shown = await request(shop.wp.url, victim, { cookies: stranger, form: nonce });
    assert.equal(shown.status, 302);
    assert.match(shown.location, /order-received/);
    assert.deepEqual(paymentsOf(placed.order_id), live, "nothing changed");

    // A QR that ran out: no new one, the page says whom to ask.
    runOut(placed.order_id);
    const ranOut = paymentsOf(placed.order_id);
    const refused = await request(shop.wp.url, victim, { cookies: stranger, form: nonce });
    assert.equal(refused.status, 200, refused.location || "");
    assert.match(dom(refused.text).querySelector(".woocommerce-error, .wc-block-components-notice-banner.is-error, .woocommerce-NoticeGroup").textContent,
      /A new QR code for this order can be made only for its buyer/);
    assert.deepEqual(paymentsOf(placed.order_id), ranOut, "no payment made or changed");
    assert.equal(notes(), notesBefore, "no order note");
    assert.equal(woo.orderState(shop.wp, placed.order_id).status, "on-hold");

    // No cookies at all: WooCommerce asks for the e-mail; once confirmed, the form carries it and the buyer gets a QR.
    const fresh = new Map();
    const check = await request(shop.wp.url, victim, { cookies: fresh });
    const checkForm = dom(check.text).querySelector("form.woocommerce-verify-email");
    assert.ok(checkForm, "WooCommerce's e-mail check");
    const confirmed = await request(shop.wp.url, victim, { cookies: fresh, form: {
      email: woo.BILLING.email, check_submission: checkForm.querySelector('[name="check_submission"]').getAttribute("value"),
    } });
    const form = payForm(confirmed.text);
    assert.ok(form, "the payment form after the e-mail check");
    assert.equal(form.vietqr_confirmed_email, woo.BILLING.email);
    const renewed = await request(shop.wp.url, victim, { cookies: fresh, form });
    assert.equal(renewed.status, 302, renewed.text.slice(0, 300));
    assert.match(renewed.location, /order-received/);
    assert.equal(paymentsOf(placed.order_id).length, 2, "one new QR");

    // The buyer's own session needs no e-mail.
    runOut(placed.order_id);
    const own = await pay(placed.order_id, jar(placed.cookie));
    assert.equal(own.status, 302);
    assert.equal(paymentsOf(placed.order_id).length, 3);
  });

  test("another logged-in customer holding the key gets no new QR for a customer's order; the customer does", async () => {
    const ids = phpJson(shop.wp, `
      $make = static function (string $login) {
        $id = wp_insert_user(['user_login' => $login, 'user_pass' => $login . '-password', 'user_email' => $login . '@example.test', 'role' => 'customer']);
        $o = wc_create_order(['customer_id' => $id]);
        $o->add_product(wc_get_product(${shop.ids.product}), 1);
        $o->set_billing_email($login . '@example.test');
        $o->set_payment_method('vietqr');
        $o->calculate_totals();
        $o->save();
        return $o->get_id();
      };
      $a = $make('customer-a');
      $b = $make('customer-b');
      // A's order waits for its VietQR transfer; B's is just placed.
      $gateways = WC()->payment_gateways()->payment_gateways();
      $gateways['vietqr']->process_payment($a);
      echo json_encode(['a' => $a, 'b' => $b]);`);
    assert.equal(paymentsOf(ids.a).length, 1);
    runOut(ids.a);
    const before = paymentsOf(ids.a);

    const b = await signIn(shop.wp.url, "customer-b", "customer-b-password");
    const bForm = payForm((await request(shop.wp.url, payPath(ids.b), { cookies: b })).text);
    assert.ok(bForm, "B's own payment page");
    const refused = await request(shop.wp.url, payPath(ids.a), { cookies: b, form: bForm });
    assert.equal(refused.status, 200, refused.location || "");
    assert.match(refused.text, /A new QR code for this order can be made only for its buyer/);
    assert.deepEqual(paymentsOf(ids.a), before, "no payment made or changed");

    const a = await signIn(shop.wp.url, "customer-a", "customer-a-password");
    const own = await pay(ids.a, a);
    assert.equal(own.status, 302, own.text.slice(0, 300));
    assert.equal(paymentsOf(ids.a).length, 2, "the customer gets a new QR");
  });
}
