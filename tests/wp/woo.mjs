// A WooCommerce shop selling one product in VND, with VietQR as its payment
// method, pointed at the simulator: what the WooCommerce and buyer-browser
// tests (and the screenshots and page benchmark) start from. Needs
// WOOCOMMERCE_DIR (a WooCommerce build; never part of this repository).
//
//   const woo = await startWooShop();   // {shop, wp, sim, ids: {product, classic, block}}
//   const orderId = await classicCheckout(page, woo);
//   await stopShop(woo.shop);

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, PLUGIN_LOG } from "./harness.mjs";
import { startShop, stopShop, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";

export const PRICE = 25000;
export const BILLING = {
  first_name: "Trần",
  last_name: "Thị B",
  company: "",
  address_1: "1 Lê Lợi",
  address_2: "",
  city: "Hà Nội",
  state: "",
  postcode: "",
  country: "VN",
  email: "buyer@example.test",
  phone: "0900000000",
};

/** The page's payment box once pay.js has drawn the QR. */
export const QR_DRAWN = '.vietqr-pay[data-ready="1"] .vietqr-pay__qr svg';

/**
 * Loud skip when there is no WooCommerce build to test against; a failure
 * instead where ../shared/vendor holds the builds (CI must not pass by
 * skipping). `t` is a test function (adds a test) or a test context.
 */
export function requireWooCommerce(t, what = "WooCommerce suite") {
  if (process.env.WOOCOMMERCE_DIR) return true;
  const said = `WOOCOMMERCE_DIR not set: ${what} SKIPPED`;
  console.log(said);
  const shared = join(ROOT, "../shared/vendor");
  const fail = () => {
    throw new Error(`${what} cannot run although ${shared} holds WooCommerce builds: run scripts/stacks.sh prepare (make setup)`);
  };
  if (typeof t === "function") {
    if (existsSync(shared)) t(what, fail);
    else t.skip(`${what} (${said})`, () => {});
  } else if (existsSync(shared)) fail();
  else t.skip(said);
  return false;
}

/**
 * The WP-a2z/woocommerce 7.9.0 build has src/Caching/WpCacheEngine.php while
 * its class map says WPCacheEngine.php (case), which breaks HPOS's order
 * cache on Linux. Load the class from the file that exists, before WooCommerce.
 */
export function shimWooCommerceBuild(wp) {
  const dir = process.env.WOOCOMMERCE_DIR;
  const file = join(dir, "src/Caching/WpCacheEngine.php");
  if (existsSync(join(dir, "src/Caching/WPCacheEngine.php")) || !existsSync(file)) return;
  mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
  writeFileSync(join(wp.site, "wp-content/mu-plugins/wc-build-case-shim.php"), `<?php
foreach (['CacheEngine.php', 'CacheNameSpaceTrait.php', 'WpCacheEngine.php'] as $f) {
    require_once ${q(join(dir, "src/Caching"))} . '/' . $f;
}
`);
}

/** VND store, guest checkout, VietQR enabled, one virtual product, a classic and a Block checkout page. */
export function setupStore(wp) {
  return phpJson(wp, `
    update_option('woocommerce_currency', 'VND');
    update_option('woocommerce_price_num_decimals', '0');
    update_option('woocommerce_price_thousand_sep', '.');
    update_option('woocommerce_price_decimal_sep', ',');
    update_option('woocommerce_currency_pos', 'right_space');
    update_option('woocommerce_default_country', 'VN');
    update_option('woocommerce_allowed_countries', 'specific');
    update_option('woocommerce_specific_allowed_countries', ['VN']);
    update_option('woocommerce_manage_stock', 'yes');
    update_option('woocommerce_enable_guest_checkout', 'yes');
    update_option('woocommerce_onboarding_profile', ['skipped' => true]);
    update_option('woocommerce_task_list_hidden', 'yes');
    delete_transient('_wc_activation_redirect');
    // New stores since WooCommerce 9.1 start in "Coming soon" mode (every
    // page but the admin's is a placeholder): launch the store.
    update_option('woocommerce_coming_soon', 'no');
    update_option('woocommerce_store_pages_only', 'no');
    update_option('woocommerce_vietqr_settings', ['enabled' => 'yes', 'title' => 'VietQR bank transfer', 'description' => 'Scan the QR with your bank app.']);
    $p = new WC_Product_Simple();
    $p->set_name('Áo dài'); $p->set_regular_price('${PRICE}'); $p->set_virtual(true);
    $p->set_manage_stock(true); $p->set_stock_quantity(100); $p->set_status('publish'); $p->save();
    $classic = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Checkout',
      'post_content' => '<!-- wp:shortcode -->[woocommerce_checkout]<!-- /wp:shortcode -->']);
    $block = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Block checkout',
      'post_content' => '<!-- wp:woocommerce/checkout --><div class="wp-block-woocommerce-checkout wc-block-checkout is-loading"></div><!-- /wp:woocommerce/checkout -->']);
    update_option('woocommerce_checkout_page_id', $classic);
    echo json_encode(['product' => $p->get_id(), 'classic' => $classic, 'block' => $block]);`);
}

/** startShop with WooCommerce, the build shim and the store set up. */
export async function startWooShop(options = {}) {
  const shop = await startShop({ ...options, woocommerce: true });
  shimWooCommerceBuild(shop.wp);
  const ids = setupStore(shop.wp);
  return { shop, wp: shop.wp, sim: shop.sim, ids };
}

/** Stops what startWooShop started; fails when the plugin wrote to the debug log meanwhile. */
export async function stopWooShop(woo) {
  const logged = existsSync(woo.wp.debugLog) ? readFileSync(woo.wp.debugLog, "utf8") : "";
  await stopShop(woo.shop);
  assert.deepEqual(logged.split("\n").filter((l) => PLUGIN_LOG.test(l)), [], "PHP messages from the plugin in debug.log");
}

/** The order, its notes, its VietQR payment and that payment's ledger. */
export const orderState = (wp, id) => phpJson(wp, `
  $o = wc_get_order(${Number(id)});
  $notes = array_map(static function ($n) { return $n->content; }, wc_get_order_notes(['order_id' => ${Number(id)}]));
  $p = VietQR\\Payments\\Payments::forOrder(${Number(id)});
  echo json_encode(['status' => $o->get_status(), 'total' => $o->get_total(), 'key' => $o->get_meta('_vietqr_payment_key'),
    'transaction_id' => $o->get_transaction_id(), 'method' => $o->get_payment_method(), 'notes' => $notes, 'payment' => $p,
    'ledger' => $p ? VietQR\\Ledger\\Ledger::forPayment((int) $p['id']) : []]);`);

/** The core's reading of an EMV payload (`payload.parse`, native CLI). */
export function parsePayload(payload) {
  const out = JSON.parse(execFileSync(join(ROOT, "target/release/vietqr"), ["call", "payload.parse", JSON.stringify({ payload })], { encoding: "utf8" }));
  assert.ok(out.ok, JSON.stringify(out));
  return out.value;
}

/** Waits until the simulator has no callback delivery under way. */
export async function settled(sim) {
  const r = await sim.get("/sim/deliveries?wait=true&timeout_ms=30000");
  assert.equal(r.status, 200, `deliveries still under way: ${r.text}`);
  return r.json;
}

/** The buyer pays the QR of `payment` exactly (matched by its trace id). */
export async function payInFull(sim, payment) {
  const tx = (await sim.get("/sim/transactions")).json.find((t) => t.order_id === payment.order_ref);
  assert.ok(tx, `the simulator knows no QR for ${payment.order_ref}`);
  const r = await sim.post("/sim/pay", { transactionRefId: tx.transaction_ref_id });
  assert.equal(r.status, 200, r.text);
  await settled(sim);
}

/** A transfer of `amount` with the payment's transfer content. */
export async function payAmount(sim, payment, amount) {
  const r = await sim.post("/sim/pay", { content: payment.content, amount, bankAccount: SIM_ACCOUNT.bank_account });
  assert.equal(r.status, 200, r.text);
  await settled(sim);
}

/**
 * Turns HPOS on or off the way a careful owner does (WooCommerce refuses the
 * switch while orders are out of sync): the orders placed so far are synced
 * into the other tables first (compatibility mode), then the switch is made.
 */
export function setHpos(wp, on) {
  wp.php(`
    update_option('woocommerce_feature_custom_order_tables_enabled', '${on ? "yes" : "no"}');
    $sync = wc_get_container()->get(Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\DataSynchronizer::class);
    $sync->create_database_tables();
    update_option('woocommerce_custom_orders_table_data_sync_enabled', 'yes');
    for ($i = 0; $i < 100 && ($batch = $sync->get_next_batch_to_process(50)); $i++) { $sync->process_batch($batch); }
    update_option('woocommerce_custom_orders_table_enabled', '${on ? "yes" : "no"}');`);
}

/**
 * An order as the Checkout block places it, without a browser: cart and
 * checkout through the Store API, with the session cookie and the Nonce
 * header like the block.
 * `billing` is the buyer's address and e-mail; `paymentMethod` the gateway
 * (VietQR by default); `checkoutHeaders` go with the checkout request alone.
 */
export async function storeApiOrder({ wp, ids }, billing = BILLING, { paymentMethod = "vietqr", checkoutHeaders = {} } = {}) {
  const jar = new Map();
  let nonce = "";
  const store = async (path, body, extra = {}) => {
    const r = await fetch(`${wp.url}/?rest_route=/wc/store/v1/${path}`, {
      method: body ? "POST" : "GET",
      headers: { "content-type": "application/json", nonce, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...extra },
      body: body ? JSON.stringify(body) : undefined,
    });
    for (const c of r.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
    nonce = r.headers.get("nonce") || nonce;
    return { status: r.status, json: await r.json() };
  };
  await store("cart");
  const add = await store("cart/add-item", { id: ids.product, quantity: 1 });
  assert.equal(add.status, 201, JSON.stringify(add.json));
  const placed = await store("checkout", { billing_address: billing, shipping_address: { ...billing, email: undefined }, payment_method: paymentMethod }, checkoutHeaders);
  assert.equal(placed.status, 200, JSON.stringify(placed.json));
  return { ...placed.json, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
}

/** Buyer in the browser: product → classic checkout → VietQR; resolves to the order id on the order-received page. */
export async function classicCheckout(page, { wp, ids }) {
  await page.goto(`${wp.url}/?add-to-cart=${ids.product}`);
  await page.goto(`${wp.url}/?page_id=${ids.classic}`);
  await page.fill("#billing_first_name", BILLING.first_name);
  await page.fill("#billing_last_name", BILLING.last_name);
  await page.fill("#billing_address_1", BILLING.address_1);
  await page.fill("#billing_city", BILLING.city);
  await page.fill("#billing_phone", BILLING.phone);
  await page.fill("#billing_email", BILLING.email);
  await page.waitForSelector("#payment_method_vietqr", { state: "attached" });
  await page.evaluate(() => {
    const radio = document.querySelector("#payment_method_vietqr");
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // WooCommerce refreshes the order review by AJAX; wait for it to settle.
  await page.waitForFunction(() => !document.querySelector(".blockUI"));
  await Promise.all([page.waitForURL(/order-received=\d+/, { timeout: 30000 }), page.click("#place_order")]);
  return Number(new URL(page.url()).searchParams.get("order-received"));
}

/**
 * Buyer in the browser: product → Checkout block → VietQR; resolves to the
 * order id on the order-received page. `onFail` (optional) adds context to
 * the error when no order-received page comes.
 */
export async function blockCheckout(page, { wp, ids }, onFail = () => "") {
  await page.goto(`${wp.url}/?add-to-cart=${ids.product}`);
  await page.goto(`${wp.url}/?page_id=${ids.block}`);
  await page.waitForSelector("text=VietQR bank transfer", { timeout: 20000 });
  const registered = await page.evaluate(() => Object.keys(window.wc.wcBlocksRegistry.getPaymentMethods()));
  assert.ok(registered.includes("vietqr"), JSON.stringify(registered));
  await page.fill("#email", BILLING.email);
  await page.fill("#billing-first_name", BILLING.first_name);
  await page.fill("#billing-last_name", BILLING.last_name);
  await page.fill("#billing-address_1", BILLING.address_1);
  await page.fill("#billing-city", BILLING.city);
  if (await page.locator("#billing-phone").count()) await page.fill("#billing-phone", BILLING.phone);
  // Each field change is posted to the Store API (update-customer); let that settle first.
  await page.keyboard.press("Tab");
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
  // With several methods offered, pick VietQR (with one, there is no radio).
  const radio = page.locator('input[name="radio-control-wc-payment-method-options"][value="vietqr"]');
  if (await radio.count()) await radio.check();
  await page.click(".wc-block-components-checkout-place-order-button");
  try {
    await page.waitForURL(/order-received=\d+/, { timeout: 30000 });
  } catch (e) {
    const problems = await page.evaluate(() =>
      [...document.querySelectorAll(".wc-block-components-validation-error, .wc-block-components-notice-banner, .woocommerce-error")].map((n) => n.textContent.trim()));
    await page.screenshot({ path: "/tmp/vietqr-block-checkout.png", fullPage: true });
    throw new Error(`no order-received page: ${JSON.stringify(problems)} ${onFail()}`);
  }
  return Number(new URL(page.url()).searchParams.get("order-received"));
}
