// The WooCommerce part, end to end: a real WooCommerce (WOOCOMMERCE_DIR),
// a real browser (playwright-core + Debian Chromium) and the VietQR
// simulator. Orders go through the classic checkout in the browser and
// through the Store API (what the Checkout block posts); the simulator pays,
// refunds and calls the shop back. Every flow runs twice: orders in posts,
// then in WooCommerce's own tables (HPOS).

import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stopShop, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import { PLUGIN_LOG } from "./harness.mjs";
import { moduleScriptSrc } from "./dom.mjs";
import { launchChromium, logIn } from "./browser.mjs";
import * as woo from "./woo.mjs";

const { PRICE } = woo;

if (woo.requireWooCommerce(test)) suite();

function suite() {
  let shop;
  let wp;
  let sim;
  let browser;
  let ids; // {product, classic, block}

  before(async () => {
    ({ shop, wp, sim, ids } = await woo.startWooShop());
    browser = await launchChromium();
  });

  after(async () => {
    if (browser) await browser.close();
    if (wp) {
      // The plugin must not add warnings, notices or deprecations of its own.
      const logged = existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : "";
      const ours = logged.split("\n").filter((l) => PLUGIN_LOG.test(l));
      if (process.env.VIETQR_SHOW_LOG) console.log(logged.split("\n").filter((l) => l && !/Requests|^#|Stack trace|thrown in/.test(l)).join("\n"));
      await stopShop(shop);
      assert.deepEqual(ours, [], "PHP messages from the plugin in debug.log");
    }
  });

  // --- helpers (tests/wp/woo.mjs, bound to this shop) -----------------------

  const order = (id) => woo.orderState(wp, id);
  const stock = () => Number(wp.php(`echo wc_get_product(${ids.product})->get_stock_quantity();`));
  const hposOn = () => wp.php("echo Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled() ? 'yes' : 'no';").trim() === "yes";

  /**
   * Order storage, switched as WooCommerce requires (≥ 8.3 refuses a switch
   * while orders are out of sync): the orders placed so far are synced into
   * the other tables first (compatibility mode), then the switch is made.
   */
  function setHpos(on) {
    woo.setHpos(wp, on);
    assert.equal(hposOn(), on);
  }

  /** Where the order's meta really is: WooCommerce's orders meta table (HPOS) or postmeta. */
  function storedKey(orderId, hpos) {
    const table = hpos ? "wp_wc_orders_meta" : "wp_postmeta";
    const col = hpos ? "order_id" : "post_id";
    return wp.sql(`SELECT meta_value FROM ${table} WHERE ${col} = ${Number(orderId)} AND meta_key = '_vietqr_payment_key'`).trim();
  }

  const storeApiOrder = () => woo.storeApiOrder({ wp, ids });
  const settled = () => woo.settled(sim);
  const payInFull = (payment) => woo.payInFull(sim, payment);
  const payAmount = (payment, amount) => woo.payAmount(sim, payment, amount);
  const parsePayload = woo.parsePayload;
  const classicCheckout = (page) => woo.classicCheckout(page, { wp, ids });

  // --- the flows, once per order storage -----------------------------------

  for (const hpos of [false, true]) {
    const mode = hpos ? "HPOS" : "posts";
    describe(`orders in ${mode}`, () => {
      let paidOrder; // paid in the browser, refunded later

      before(() => setHpos(hpos));

      test(`classic checkout in the browser: QR shown, paid without reload (${mode})`, async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("response", (r) => r.status() >= 400 && !r.url().includes("favicon") && errors.push(`${r.status()} ${r.url()}`));
        try {
          const stockBefore = stock();
          const orderId = await classicCheckout(page);
          paidOrder = orderId;
          await page.waitForSelector('.vietqr-pay[data-ready="1"] .vietqr-pay__qr svg', { timeout: 20000 });

          let o = order(orderId);
          assert.equal(o.status, "on-hold");
          assert.equal(o.method, "vietqr");
          assert.match(o.key, /^[a-f0-9]{32}$/);
          assert.equal(o.key, o.payment.public_key);
          assert.equal(storedKey(orderId, hpos), o.key, `payment key not in the ${mode} meta table`);
          assert.equal(o.payment.amount, PRICE);
          assert.ok(o.notes.some((n) => n.includes("Awaiting VietQR transfer")), o.notes.join(" | "));
          assert.equal(stock(), stockBefore - 1, "stock reduced on checkout");

          // What the page shows: the QR (SVG) of the payload, the details, a countdown.
          const shown = await page.evaluate(() => {
            const box = document.querySelector(".vietqr-pay");
            const data = JSON.parse(box.dataset.vietqr);
            const f = (n) => box.querySelector(`[data-field="${n}"]`).textContent.trim();
            return {
              payload: data.payment.payload,
              svg: box.querySelector(".vietqr-pay__qr svg").outerHTML.length,
              bank: f("bank"), account: f("account"), holder: f("holder"), amount: f("amount"), content: f("content"),
              countdown: f("countdown"),
              copies: [...box.querySelectorAll("[data-copy]")].filter((b) => !b.hidden).length,
              status: box.querySelector(".vietqr-pay__status").textContent.trim(),
            };
          });
          assert.ok(shown.svg > 500, "the QR SVG is empty");
          const parsed = parsePayload(shown.payload);
          assert.equal(parsed.amount, PRICE);
          assert.equal(parsed.account, SIM_ACCOUNT.bank_account);
          assert.equal(Number(o.total), parsed.amount);
          assert.equal(shown.bank, "MBBank");
          assert.equal(shown.account, SIM_ACCOUNT.bank_account);
          assert.equal(shown.holder, "Nguyễn Văn A");
          assert.equal(shown.amount, "25.000 ₫");
          assert.equal(shown.content, o.payment.content);
          assert.equal(shown.copies, 5);
          assert.match(shown.countdown, /\d\d:\d\d/);
          assert.match(shown.status, /Waiting/);

          // The bank transfer arrives; the page follows without reloading.
          await page.evaluate(() => (window.__sameDocument = true));
          await payInFull(o.payment);
          await page.waitForFunction(() => document.querySelector(".vietqr-pay__status").textContent.includes("Paid"), null, { timeout: 20000 });
          assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");
          assert.equal(await page.evaluate(() => document.querySelector(".vietqr-pay").dataset.status), "paid");

          o = order(orderId);
          assert.equal(o.status, "processing");
          assert.equal(o.payment.status, "paid");
          assert.equal(o.ledger.length, 1);
          assert.equal(o.transaction_id, o.ledger[0].reference_number);
          assert.ok(o.notes.some((n) => n.includes("25.000 ₫") && n.includes(o.ledger[0].reference_number)), o.notes.join(" | "));
          assert.equal(stock(), stockBefore - 1, "paying does not reduce stock twice");

          // A repeated delivery of the same transfer changes nothing.
          const deliveries = (await sim.get("/sim/deliveries")).json;
          const last = deliveries[deliveries.length - 1];
          await sim.post(`/sim/deliveries/${last.id}/redeliver?times=2`);
          await settled();
          const again = order(orderId);
          assert.equal(again.ledger.length, 1);
          assert.equal(again.notes.length, o.notes.length);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });

      test(`Checkout block (Store API) order: on-hold with its payment (${mode})`, async () => {
        const placed = await storeApiOrder();
        assert.equal(placed.payment_result.payment_status, "success", JSON.stringify(placed));
        assert.match(placed.payment_result.redirect_url, /order-received/);
        const o = order(placed.order_id);
        assert.equal(o.status, "on-hold");
        assert.equal(o.method, "vietqr");
        assert.ok(o.payment, "no payment for the Store API order");
        assert.equal(o.payment.amount, PRICE);
        assert.equal(o.payment.mode, "api");
        assert.equal(storedKey(placed.order_id, hpos), o.payment.public_key);

        // The buyer's page of that order shows the box too.
        const html = await (await fetch(placed.payment_result.redirect_url, { headers: { cookie: placed.cookie } })).text();
        assert.match(html, /class="vietqr-pay"/);
        assert.ok(moduleScriptSrc(html, "/assets/js/pay.js"), "no module script pay.js");
        assert.ok(!html.includes("api_password") && !html.includes(SIM_ACCOUNT.password), "a secret in the page");
      });

      test(`partial payment keeps the order on-hold with the amount due (${mode})`, async () => {
        const placed = await storeApiOrder();
        let o = order(placed.order_id);
        await payAmount(o.payment, 10000);
        o = order(placed.order_id);
        assert.equal(o.payment.status, "partial");
        assert.equal(o.status, "on-hold");
        assert.ok(o.notes.some((n) => n.includes("still due 15.000 ₫")), o.notes.join(" | "));
        const view = await (await fetch(`${wp.url}/?rest_route=/vietqr/v1/payments/${o.key}`)).json();
        assert.equal(view.due, 15000);

        // The rest arrives: now it is paid, once.
        await payAmount(o.payment, 15000);
        o = order(placed.order_id);
        assert.equal(o.payment.status, "paid");
        assert.equal(o.status, "processing");
        assert.equal(o.ledger.length, 2);
      });

      test(`overpayment completes the order once and notes the extra (${mode})`, async () => {
        const placed = await storeApiOrder();
        let o = order(placed.order_id);
        await payAmount(o.payment, PRICE + 5000);
        o = order(placed.order_id);
        assert.equal(o.payment.status, "overpaid");
        assert.equal(o.status, "processing");
        assert.equal(o.transaction_id, o.ledger[0].reference_number);
        assert.ok(o.notes.some((n) => n.includes("5.000 ₫ more than due")), o.notes.join(" | "));
      });

      test(`an order update cut short after the payment's commit is finished by the cron, once (${mode})`, async () => {
        // The worker dies between the payment's commit and the order's update:
        // a test mu-plugin throws first in vietqr_payment_applied.
        mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
        writeFileSync(join(wp.site, "wp-content/mu-plugins/test-crash-after-commit.php"), `<?php
add_action('vietqr_payment_applied', static function () {
    if (get_option('vietqr_test_crash_after_commit')) { throw new RuntimeException('simulated crash after the payment commit'); }
}, 1);
`);
        const placed = await storeApiOrder();
        let o = order(placed.order_id);
        wp.php("update_option('vietqr_test_crash_after_commit', 1);");
        try {
          await payInFull(o.payment); // VietQR gets a 500, delivers again, hears "duplicate"
        } finally {
          wp.php("delete_option('vietqr_test_crash_after_commit');");
        }
        o = order(placed.order_id);
        assert.equal(o.payment.status, "paid");
        assert.equal(o.ledger.length, 1);
        assert.equal(o.status, "on-hold", "the order update was cut short");
        assert.equal(o.transaction_id, "");

        const run = phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
        assert.ok(run.order_synced >= 1, JSON.stringify(run));
        o = order(placed.order_id);
        const reference = o.ledger[0].reference_number;
        assert.equal(o.status, "processing");
        assert.equal(o.transaction_id, reference);
        assert.equal(o.notes.filter((n) => n.includes(`${reference})`)).length, 1, o.notes.join(" | "));
        assert.ok(o.notes.some((n) => n.includes("brought in line with its payment")), o.notes.join(" | "));

        // Cut short inside WooCommerce's save: the status is there, the transaction id and date paid are not.
        wp.php(`$o = wc_get_order(${placed.order_id}); $o->set_transaction_id(''); $o->set_date_paid(null); $o->save();`);
        wp.sql(`UPDATE wp_vietqr_payments SET order_synced = 'pending:0' WHERE order_id = ${placed.order_id}`);
        phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
        o = order(placed.order_id);
        assert.equal(o.status, "processing");
        assert.equal(o.transaction_id, reference);
        assert.ok(phpJson(wp, `echo json_encode(wc_get_order(${placed.order_id})->get_date_paid() !== null);`));
        assert.equal(o.notes.filter((n) => n.includes(`${reference})`)).length, 1, "no second arrival note");

        // Nothing left to do: the next run touches nothing.
        const notes = o.notes.length;
        assert.equal(phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());").order_synced, 0);
        assert.equal(order(placed.order_id).notes.length, notes);
      });

      test(`refund through VietQR from WooCommerce (${mode})`, async () => {
        assert.ok(paidOrder, "needs the paid browser order");
        const before = (await sim.get("/sim/refunds")).json.length;
        const result = wp.php(`
          $r = wc_create_refund(['order_id' => ${paidOrder}, 'amount' => ${PRICE}, 'reason' => 'Hết hàng', 'refund_payment' => true]);
          echo is_wp_error($r) ? 'ERROR ' . $r->get_error_message() : 'OK';`);
        assert.equal(result.trim(), "OK");
        const refunds = (await sim.get("/sim/refunds")).json;
        assert.equal(refunds.length, before + 1, JSON.stringify(refunds));
        const refund = refunds[refunds.length - 1];
        const o = order(paidOrder);
        assert.equal(String(refund.reference_number ?? refund.referenceNumber), o.ledger[0].reference_number, JSON.stringify(refund));
        const code = String(refund.refund_code ?? refund.refundCode ?? refund.code ?? "");
        assert.ok(code !== "" && o.notes.some((n) => n.includes(code)), `${JSON.stringify(refund)} / ${o.notes.join(" | ")}`);
        assert.equal(o.status, "refunded");
        assert.equal(o.payment.status, "refunded");
      });

      test(`a refund without a VietQR payment is refused (${mode})`, async () => {
        const result = wp.php(`
          $o = wc_create_order(); $o->set_payment_method('vietqr'); $o->set_total('1000'); $o->save();
          $r = wc_create_refund(['order_id' => $o->get_id(), 'amount' => 1000, 'refund_payment' => true]);
          echo is_wp_error($r) ? $r->get_error_message() : 'OK';`);
        assert.match(result, /no VietQR payment/);
      });

      test(`an expired QR cancels the order and gives the stock back (${mode})`, async () => {
        const stockBefore = stock();
        const placed = await storeApiOrder();
        assert.equal(stock(), stockBefore - 1);
        wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${placed.order_id}`);
        const run = phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
        assert.ok(run.expired >= 1, JSON.stringify(run));
        let o = order(placed.order_id);
        assert.equal(o.payment.status, "expired");
        assert.equal(o.status, "cancelled");
        assert.equal(stock(), stockBefore, "stock back to its former level");
        assert.ok(o.notes.some((n) => n.includes("expired")), o.notes.join(" | "));

        // Money arriving after all: the owner reviews it; the order is not completed.
        await payAmount(o.payment, PRICE);
        o = order(placed.order_id);
        assert.equal(o.status, "on-hold");
        assert.equal(o.transaction_id, "");
        assert.ok(o.notes.some((n) => n.includes("already expired or been cancelled")), o.notes.join(" | "));
      });

      test(`a transfer landing between the expiry and its re-read never leaves a paid order cancelled; the cron asks the order, not the recorded state (${mode})`, async () => {
        const stockBefore = stock();
        const placed = await storeApiOrder();
        let o = order(placed.order_id);
        wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${placed.order_id}`);
        // The window forced open: right after the expiry's UPDATE, before the
        // payment is read again, the buyer's transfer arrives and its callback
        // (another PHP worker) commits.
        const run = phpJson(wp, `
          add_filter('query', static function ($sql) {
              static $state = 'waiting';
              if ($state === 'waiting' && strpos($sql, "SET status = 'expired'") !== false) {
                  $state = 'expired';
              } elseif ($state === 'expired' && strpos($sql, 'SELECT') === 0) {
                  $state = 'done';
                  $pay = wp_remote_post(${JSON.stringify(`${sim.url}/sim/pay`)}, ['timeout' => 30, 'headers' => ['content-type' => 'application/json'],
                      'body' => wp_json_encode(['content' => ${JSON.stringify(o.payment.content)}, 'amount' => ${PRICE}, 'bankAccount' => ${JSON.stringify(SIM_ACCOUNT.bank_account)}])]);
                  if (wp_remote_retrieve_response_code($pay) !== 200) { throw new RuntimeException('the simulator did not pay'); }
                  wp_remote_get(${JSON.stringify(`${sim.url}/sim/deliveries?wait=true&timeout_ms=30000`)}, ['timeout' => 35]);
              }
              return $sql;
          });
          echo json_encode(VietQR\\Payments\\Cron::run());`);
        assert.equal(run.expired, 1, JSON.stringify(run));
        o = order(placed.order_id);
        assert.equal(o.payment.status, "paid");
        assert.equal(o.ledger.length, 1);
        assert.notEqual(o.status, "cancelled", o.notes.join(" | "));
        // Never cancelled on the way (the cron's own check would mend that later in the same run).
        assert.ok(!o.notes.some((n) => /expired before any transfer|to Cancelled/.test(n)), o.notes.join(" | "));
        assert.equal(stock(), stockBefore - 1, "the stock of a paid order was given back");

        // An order that shows less than its payment (cancelled although paid),
        // whatever the recorded state claims: the cron's check mends it.
        wp.php(`$o = wc_get_order(${placed.order_id}); $o->set_status('cancelled'); $o->save();`);
        wp.sql(`UPDATE wp_vietqr_payments SET order_synced = CONCAT(status, ':', received) WHERE order_id = ${placed.order_id}`);
        const mended = phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
        assert.ok(mended.order_checked >= 1, JSON.stringify(mended));
        o = order(placed.order_id);
        assert.equal(o.status, "on-hold", "a paid payment's cancelled order goes back to the owner");
        assert.ok(o.notes.some((n) => n.includes("already expired or been cancelled")), o.notes.join(" | "));
        // Mended once: the next run leaves it.
        const notes = o.notes.length;
        phpJson(wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
        assert.equal(order(placed.order_id).notes.length, notes);
      });

      test(`order screen: meta box, "Simulate payment" and "Check payment now" (${mode})`, async () => {
        const placed = await storeApiOrder();
        const context = await browser.newContext();
        const page = await context.newPage();
        try {
          await logIn(page, wp.url);
          const edit = wp.php(`echo wc_get_order(${placed.order_id})->get_edit_order_url();`).trim();
          if (hpos) assert.match(edit, /page=wc-orders/);
          await page.goto(edit);
          const box = page.locator("#vietqr-payment");
          await box.waitFor();
          assert.match(await box.innerText(), /Waiting for the transfer/);
          assert.match(await box.innerText(), /No transfer received yet/);
          await Promise.all([page.waitForNavigation(), box.getByText("Check payment now").click()]);
          assert.match(await page.locator(".notice-success").first().innerText(), /no new transfer/);

          await Promise.all([page.waitForNavigation(), page.locator("#vietqr-payment").getByText("Simulate payment").click()]);
          assert.match(await page.locator(".notice-success").first().innerText(), /test transfer of 25\.000 ₫/);
          await settled();
          let o = order(placed.order_id);
          assert.equal(o.status, "processing");
          assert.equal(o.ledger.length, 1);

          await page.goto(edit);
          const text = await page.locator("#vietqr-payment").innerText();
          assert.match(text, /Paid/);
          assert.ok(text.includes(o.ledger[0].reference_number), text);
          assert.equal(await page.locator("#vietqr-payment").getByText("Check payment now").count(), 0, "nothing to ask VietQR once paid");

          // Without the nonce the action is refused.
          const bare = await page.goto(`${wp.url}/wp-admin/admin-post.php?action=vietqr_check_payment&order_id=${placed.order_id}`);
          assert.notEqual(bare.status(), 302);
          assert.equal(order(placed.order_id).ledger.length, 1);
        } finally {
          await context.close();
        }
      });
    });
  }

  test("the gateway is offered only when the bank and account are set", () => {
    const available = () => phpJson(wp, `
      $g = WC()->payment_gateways()->payment_gateways()['vietqr'];
      echo json_encode(['available' => $g->is_available(), 'supports' => $g->supports, 'settings' => $g->get_settings_url(), 'plain' => wp_strip_all_tags($g->get_method_description()) === $g->get_method_description()]);`);
    const on = available();
    assert.deepEqual(on, { available: true, supports: ["products", "refunds"], settings: `${wp.url}/wp-admin/admin.php?page=wc-settings&tab=checkout&section=vietqr`, plain: true });
    wp.php("VietQR\\Support\\Settings::update(['account' => '']);");
    try {
      assert.equal(available().available, false);
    } finally {
      wp.php(`VietQR\\Support\\Settings::update(['account' => ${q(SIM_ACCOUNT.bank_account)}]);`);
    }
    assert.equal(available().available, true);
  });

  test("a logged-in customer sees the QR on the view-order page", async () => {
    const { orderId, url } = phpJson(wp, `
      $user = wp_insert_user(['user_login' => 'khach', 'user_pass' => 'khach-password', 'user_email' => 'khach@example.test', 'role' => 'customer']);
      $o = wc_create_order(['customer_id' => $user]);
      $o->add_product(wc_get_product(${ids.product}), 1);
      $o->set_billing_email('khach@example.test');
      $o->set_payment_method('vietqr');
      $o->calculate_totals();
      $o->save();
      $result = (new VietQR\\Checkout\\Gateway())->process_payment($o->get_id());
      echo json_encode(['orderId' => $o->get_id(), 'url' => $o->get_view_order_url(), 'result' => $result['result']]);`);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await logIn(page, wp.url, "khach", "khach-password");
      await page.goto(url);
      await page.waitForSelector('.vietqr-pay[data-ready="1"] .vietqr-pay__qr svg', { timeout: 20000 });
      const payload = await page.evaluate(() => JSON.parse(document.querySelector(".vietqr-pay").dataset.vietqr).payment.payload);
      assert.equal(parsePayload(payload).amount, PRICE);
      assert.equal(order(orderId).status, "on-hold");
    } finally {
      await context.close();
    }
  });

  test("an order the owner made: the order screen's VietQR box gives its payment link, which WooCommerce's order-details e-mail carries too", async () => {
    // A phone or social-media sale: no VietQR payment yet, the customer pays from WooCommerce's payment page.
    const made = phpJson(wp, `
      $o = wc_create_order(['status' => 'pending']);
      $o->add_product(wc_get_product(${ids.product}), 1);
      $o->set_billing_email('zalo@example.test');
      $o->calculate_totals(); $o->save();
      echo json_encode(['id' => $o->get_id(), 'pay' => $o->get_checkout_payment_url(), 'edit' => $o->get_edit_order_url(), 'key' => $o->get_order_key()]);`);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await logIn(page, wp.url);
      await page.goto(made.edit);
      const box = page.locator("#vietqr-payment");
      await box.waitFor();
      assert.match(await box.innerText(), /no VietQR payment/);
      assert.equal(await box.locator("#vietqr-payment-link").inputValue(), made.pay);
      assert.match(await box.innerText(), /Order actions/);
    } finally {
      await context.close();
    }
    const mail = phpJson(wp, `
      $body = '';
      add_action('phpmailer_init', static function ($m) use (&$body) {
        $body = $m->Body;
        $m->isSMTP(); $m->Host = '127.0.0.1'; $m->Port = 9; $m->Timeout = 1; // nowhere: only what was built counts
      }, 99);
      WC()->mailer()->customer_invoice(wc_get_order(${made.id}));
      echo json_encode(['body' => $body]);`);
    const link = mail.body.replace(/&#0?38;|&amp;/g, "&").match(/href="([^"]*pay_for_order[^"]*)"/);
    assert.ok(link, "no payment link in the order-details e-mail");
    assert.equal(link[1], made.pay);
    // A paid order has nothing to pay: no link in the box.
    wp.php(`$o = wc_get_order(${made.id}); $o->set_status('processing'); $o->save();`);
    assert.equal(wp.php(`ob_start(); VietQR\\Checkout\\OrderMetaBox::render(wc_get_order(${made.id})); echo (int) str_contains(ob_get_clean(), 'vietqr-payment-link');`).trim(), "0");
  });

  test("the on-hold email carries the details and the QR as an inline image", async () => {
    setHpos(false);
    const placed = await storeApiOrder();
    const mail = (type) => phpJson(wp, `
      $got = [];
      add_action('phpmailer_init', static function ($m) use (&$got) {
        $got = ['body' => $m->Body, 'attachments' => array_map(static function ($a) {
          return ['cid' => $a[7], 'disposition' => $a[6], 'type' => $a[4], 'png' => substr($a[0], 1, 3) === 'PNG'];
        }, $m->getAttachments())];
        $m->isSMTP(); $m->Host = '127.0.0.1'; $m->Port = 9; $m->Timeout = 1; // nowhere: only what was built counts
      }, 99);
      $email = WC()->mailer()->emails['WC_Email_Customer_On_Hold_Order'];
      $email->email_type = ${q(type)};
      $email->trigger(${placed.order_id});
      echo json_encode($got);`);
    const o = order(placed.order_id);
    const html = mail("html");
    const cid = `vietqr-${o.payment.id}`;
    assert.ok(html.body.includes(`src="cid:${cid}"`), "no cid image in the HTML email");
    assert.ok(!html.body.includes("data:image"), "a data: URI in the email");
    assert.ok(html.body.includes(o.payment.content) && html.body.includes(SIM_ACCOUNT.bank_account));
    assert.deepEqual(html.attachments, [{ cid, disposition: "inline", type: "image/png", png: true }]);

    const plain = mail("plain");
    assert.ok(plain.body.includes(`Transfer content: ${o.payment.content}`), plain.body);
    assert.ok(plain.body.includes("25.000 ₫"));
    assert.deepEqual(plain.attachments, []);
  });

  test("the Checkout block offers VietQR and places the order in the browser", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const store = [];
    page.on("response", async (r) => /wc(\/|%2F)store/.test(r.url()) && store.push(`${r.request().method()} ${r.url()} ${r.status()} ${(await r.text().catch(() => "")).slice(0, 300)}`));
    try {
      const orderId = await woo.blockCheckout(page, { wp, ids }, () => `${errors.join(" | ")} ${store.join("\n")}`);
      await page.waitForSelector('.vietqr-pay[data-ready="1"] .vietqr-pay__qr svg', { timeout: 20000 });
      const o = order(orderId);
      assert.equal(o.status, "on-hold");
      assert.equal(o.method, "vietqr");
      assert.equal(o.payment.amount, PRICE);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
