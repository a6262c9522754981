// What the buyer sees, in Debian's Chromium: an order placed through the
// Checkout block and through the classic checkout, on a desktop screen and
// on a phone. On the order-received page the QR is read off a screenshot by
// zbarimg (as a banking app's camera would), the payload parsed by the core
// must carry the shop's bank and account, the order's amount and its
// transfer content; then the simulator pays and the page must say "paid"
// within 5 seconds, without reloading. No console error anywhere.
// Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ROOT } from "./harness.mjs";
import { phpJson } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, DESKTOP, PHONE } from "./browser.mjs";
import { decodeQr, zbar } from "./qrshot.mjs";

if (woo.requireWooCommerce(test, "buyer browser suite")) suite();

function suite() {
  let shop;
  let browser;
  let bin; // the BIN of the shop's bank, from the core's bank list

  before(async () => {
    shop = await woo.startWooShop();
    browser = await launchChromium();
    const banks = JSON.parse(execFileSync(join(ROOT, "target/release/vietqr"), ["call", "banks.list", "{}"], { encoding: "utf8" })).value;
    bin = banks.find((b) => b.code === SIM_ACCOUNT.bank_code).bin;
  });

  after(async () => {
    if (browser) await browser.close();
    if (shop) await woo.stopWooShop(shop);
  });

  /** The buyer who placed a Store API order: the same session cookies in a fresh browser context. */
  async function asTheBuyer(context, placed) {
    const url = new URL(shop.wp.url);
    await context.addCookies(placed.cookie.split("; ").filter(Boolean).map((pair) => {
      const i = pair.indexOf("=");
      return { name: pair.slice(0, i), value: pair.slice(i + 1), domain: url.hostname, path: "/" };
    }));
  }

  /** A Store API order, its state, and its order-received page drawn on the buyer's phone (close `context`). */
  async function newOrderOnPhone() {
    const placed = await woo.storeApiOrder(shop);
    const o = woo.orderState(shop.wp, placed.order_id);
    const { context, page, errors } = await openPage(browser, PHONE);
    try {
      await asTheBuyer(context, placed);
      await page.goto(placed.payment_result.redirect_url);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
    } catch (e) {
      await context.close();
      throw e;
    }
    return { placed, o, context, page, errors };
  }

  /** WooCommerce's e-mail check for a guest (older versions ask at once, newer ones after a grace period). */
  async function confirmEmailIfAsked(page, email) {
    const field = page.locator("form.woocommerce-verify-email #verify-email, form.woocommerce-verify-email #email");
    if (!(await field.count())) return false;
    await field.first().fill(email);
    await Promise.all([page.waitForEvent("framenavigated"), page.click(".woocommerce-verify-email [type=submit]")]);
    return true;
  }

  /**
   * The QR and the amount come first: above every part of the order details
   * (the block template's summary, totals, addresses; the classic template's
   * details table), and on screen without scrolling.
   */
  async function firstOnThePage(page, device) {
    await page.evaluate(() => window.scrollTo(0, 0));
    const top = async (selector) => (await page.locator(selector).first().boundingBox())?.y;
    const qr = await top(".vietqr-pay__qr svg");
    const amount = await top('.vietqr-pay [data-field="amount"]');
    const details = [];
    for (const selector of [".wc-block-order-confirmation-summary", ".wc-block-order-confirmation-totals-wrapper",
      ".wc-block-order-confirmation-address-wrapper", ".woocommerce-order-details", ".woocommerce-customer-details"]) {
      if (await page.locator(selector).count()) details.push([selector, await top(selector)]);
    }
    assert.ok(details.length > 0, "no order details on the order-received page");
    for (const [selector, y] of details) {
      assert.ok(qr < y && amount < y, `${selector} (y=${y}) comes before the QR (y=${qr}) or the amount (y=${amount})`);
    }
    const { height } = device.viewport;
    assert.ok(qr < height, `the QR starts at y=${qr}, below the first screen (${height} px)`);
    await page.screenshot({ path: join(tmpdir(), `vietqr-order-received-${device.isMobile ? "phone" : "desktop"}.png`) });
  }

  /** Checkout in the browser, scan the QR off the screen, pay through the simulator, watch the page follow. */
  async function buyScanPay(checkout, device) {
    const { context, page, errors } = await openPage(browser, device);
    try {
      const orderId = checkout === "block"
        ? await woo.blockCheckout(page, shop, () => errors.join(" | "))
        : await woo.classicCheckout(page, shop);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });

      // Every navigation of the page from here on is counted: there must be none.
      let navigations = 0;
      page.on("framenavigated", (f) => f === page.mainFrame() && navigations++);
      await page.evaluate(() => (window.__sameDocument = true));

      const o = woo.orderState(shop.wp, orderId);
      assert.equal(o.status, "on-hold");
      assert.equal(o.method, "vietqr");
      await firstOnThePage(page, device);

      // What the camera reads is the payment's payload, and the core reads in it this order.
      const scanned = await decodeQr(page, ".vietqr-pay__qr svg");
      assert.equal(scanned, o.payment.payload);
      const parsed = woo.parsePayload(scanned);
      assert.equal(parsed.bin, bin);
      assert.equal(parsed.bank_code, SIM_ACCOUNT.bank_code);
      assert.equal(parsed.account, SIM_ACCOUNT.bank_account);
      assert.equal(parsed.amount, Number(o.total));
      assert.equal(parsed.amount, woo.PRICE);
      assert.equal(parsed.purpose, o.payment.content);
      // …and the same content is what the page tells the buyer to type.
      assert.equal((await page.textContent('.vietqr-pay [data-field="content"]')).trim(), o.payment.content);
      assert.match(await page.textContent(".vietqr-pay__status"), /Waiting/);
      if (device.isMobile) {
        // On a phone the QR fits the screen, whole.
        const box = await page.locator(".vietqr-pay__qr svg").boundingBox();
        assert.ok(box.width >= 200 && box.x >= 0 && box.x + box.width <= device.viewport.width, JSON.stringify(box));
      }

      // The transfer arrives at VietQR; the page says "paid" within 5 s, by itself.
      const tx = (await shop.sim.get("/sim/transactions")).json.find((t) => t.order_id === o.payment.order_ref);
      assert.ok(tx, `the simulator knows no QR for ${o.payment.order_ref}`);
      const t0 = Date.now();
      const paid = await shop.sim.post("/sim/pay", { transactionRefId: tx.transaction_ref_id });
      assert.equal(paid.status, 200, paid.text);
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "paid", null, { timeout: 5000 - (Date.now() - t0) });
      const took = Date.now() - t0;
      assert.ok(took < 5000, `paid shown after ${took} ms`);
      assert.match(await page.textContent(".vietqr-pay__status"), /Paid/);
      assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");
      assert.equal(navigations, 0, "the page navigated");
      await woo.settled(shop.sim);
      assert.equal(woo.orderState(shop.wp, orderId).status, "processing");

      assert.deepEqual(errors, [], "errors in the browser console");
      return { orderId, took };
    } finally {
      await context.close();
    }
  }

  test("Checkout block, desktop: the QR scans to this order's payment; paid shown within 5 s, no reload", async (t) => {
    t.diagnostic(`paid shown ${(await buyScanPay("block", DESKTOP)).took} ms after the transfer`);
  });

  test("classic checkout, desktop: the QR scans to this order's payment; paid shown within 5 s, no reload", async (t) => {
    t.diagnostic(`paid shown ${(await buyScanPay("classic", DESKTOP)).took} ms after the transfer`);
  });

  test("Checkout block, phone (390×844, ×3): the QR scans to this order's payment; paid shown within 5 s, no reload", async (t) => {
    t.diagnostic(`paid shown ${(await buyScanPay("block", PHONE)).took} ms after the transfer`);
  });

  test("classic checkout, phone (390×844, ×3): the QR scans to this order's payment; paid shown within 5 s, no reload", async (t) => {
    t.diagnostic(`paid shown ${(await buyScanPay("classic", PHONE)).took} ms after the transfer`);
  });

  test("a guest reopening the order-received link after WooCommerce's grace period confirms the e-mail and gets the QR back", async () => {
    const placed = await woo.storeApiOrder(shop);
    const o = woo.orderState(shop.wp, placed.order_id);
    // Placed 11 minutes ago: past WooCommerce's 10-minute verification grace period (WooCommerce ≥ 8.4).
    const wcVersion = phpJson(shop.wp, `$o = wc_get_order(${placed.order_id}); $o->set_date_created(time() - 660); $o->save(); echo json_encode(WC()->version);`);
    const { context, page, errors } = await openPage(browser, PHONE); // a new browser: no session, no cookie
    try {
      await page.goto(placed.payment_result.redirect_url);
      // WooCommerce asks for the order's e-mail: the block template's form (≥ 8.3), or the classic one.
      const block = await page.locator("form.woocommerce-verify-email #verify-email").count() > 0;
      assert.equal(await page.locator(".vietqr-pay").count(), 0, "the order was shown without the e-mail");
      if (block) assert.match(await page.textContent("body"), /enter the e-mail address of your order/);
      assert.ok(await confirmEmailIfAsked(page, woo.BILLING.email), `no e-mail verification (WooCommerce ${wcVersion})`);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      assert.equal(await decodeQr(page, ".vietqr-pay__qr svg"), o.payment.payload);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("classic theme (PHP templates), classic checkout: the QR comes first and scans to this order's payment", async () => {
    const { wp } = shop;
    symlinkSync(join(ROOT, "tests/wp/fixtures/classic-theme"), join(wp.site, "wp-content/themes/vietqr-classic-fixture"));
    const before = phpJson(wp, `$before = get_stylesheet(); switch_theme('vietqr-classic-fixture');
      echo json_encode(['before' => $before, 'block' => wp_is_block_theme()]);`);
    assert.equal(before.block, false, "the fixture theme is not a classic theme");
    const { context, page, errors } = await openPage(browser, DESKTOP);
    try {
      const orderId = await woo.classicCheckout(page, shop);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 }).catch(async (e) => {
        await page.screenshot({ path: join(tmpdir(), "vietqr-classic-theme.png"), fullPage: true });
        throw new Error(`${e.message} (screenshot ${join(tmpdir(), "vietqr-classic-theme.png")}; console: ${errors.join(" | ")})`);
      });
      await firstOnThePage(page, DESKTOP);
      assert.equal(await decodeQr(page, ".vietqr-pay__qr svg"), woo.orderState(wp, orderId).payment.payload);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      wp.php(`switch_theme(${JSON.stringify(before.before)});`);
    }
  });

  test("phone: Save QR image gives a PNG whose QR is this order's payload, with the hint for the bank app's gallery", async () => {
    const { o, context, page, errors } = await newOrderOnPhone();
    try {
      await page.waitForSelector(".vietqr-pay__save", { state: "visible" });
      assert.match(await page.textContent(".vietqr-pay__save-hint"), /from the gallery/);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(".vietqr-pay__save")]);
      assert.match(download.suggestedFilename(), /^vietqr-[0-9a-f]{8}\.png$/);
      const png = readFileSync(await download.path());
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "not a PNG");
      // The saved picture, read as a bank app reads it from the gallery.
      assert.deepEqual(zbar(png), [o.payment.payload]);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("phone: after a partial transfer the open page shows, and its QR asks for, only what is still due", async () => {
    const { placed, o, context, page, errors } = await newOrderOnPhone();
    try {
      assert.equal(woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg")).amount, woo.PRICE);
      await woo.payAmount(shop.sim, o.payment, 10000);
      // The page follows by itself: the status says what came and what is due, the QR is for the rest.
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "partial", null, { timeout: 10000 });
      await page.waitForFunction((p) => document.querySelector(".vietqr-pay__qr").dataset.payload !== p, o.payment.payload, { timeout: 10000 });
      const rest = woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg"));
      assert.equal(rest.amount, woo.PRICE - 10000);
      assert.equal(rest.purpose, o.payment.content, "the same transfer content, so the rest matches this order");
      assert.equal(rest.account, o.payment.account);
      assert.equal((await page.textContent('.vietqr-pay [data-field="amount"]')).trim(), "15.000 ₫");
      // Reopened later, the page starts from what is due.
      await page.reload();
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      assert.equal(woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg")).amount, woo.PRICE - 10000);
      // Paying the rest with that QR completes the order.
      await woo.payAmount(shop.sim, o.payment, woo.PRICE - 10000);
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "paid", null, { timeout: 10000 });
      assert.equal(woo.orderState(shop.wp, placed.order_id).status, "processing");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  /** On WooCommerce's customer payment page: choose VietQR and place the order; resolves on the order-received page. */
  async function payWithVietQR(page, email) {
    await confirmEmailIfAsked(page, email);
    await page.waitForSelector("#payment_method_vietqr", { state: "attached", timeout: 20000 });
    await page.evaluate(() => {
      const radio = document.querySelector("#payment_method_vietqr");
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    });
    const terms = page.locator("#terms");
    if (await terms.count()) await terms.check();
    await Promise.all([page.waitForURL(/order-received/, { timeout: 30000 }), page.click("#place_order")]);
    await confirmEmailIfAsked(page, email);
  }

  /** The bank-app links on the page, each href read back into its parameters. */
  async function bankAppLinks(page) {
    const links = await page.$$eval(".vietqr-pay__app", (as) => as.map((a) => ({ app: a.dataset.app, href: a.getAttribute("href") })));
    return links.map(({ app, href }) => {
      const u = new URL(href);
      // ba keeps its '@' and url its 'https://' (docs/protocol.md §7): read from the raw text too.
      assert.match(href, /[?&]ba=[^&]*@[a-z0-9]+&/, href);
      assert.match(href, /&url=https?:\/\//, href);
      return { app, origin: u.origin + u.pathname, params: Object.fromEntries(u.searchParams) };
    });
  }

  test("phone: Open in bank app lists the apps with this order's transfer in every link; the last app tapped comes first after a reload", async () => {
    const { placed, o, context, page, errors } = await newOrderOnPhone();
    try {
      // On a phone the list is open, right under the QR.
      assert.equal(await page.$eval(".vietqr-pay__apps", (d) => d.open), true, "the bank-app list is closed on a phone");
      const links = await bankAppLinks(page);
      assert.deepEqual(links.map((l) => l.app), ["mb", "icb", "ocb"], "the apps that fill in the transfer, in the core's order");
      for (const { app, origin, params } of links) {
        assert.equal(origin, "https://dl.vietqr.io/pay");
        assert.deepEqual(params, {
          app,
          am: String(woo.PRICE),
          tn: o.payment.content,
          ba: `${SIM_ACCOUNT.bank_account}@${SIM_ACCOUNT.bank_code.toLowerCase()}`,
          bn: SIM_ACCOUNT.user_bank_name,
          url: placed.payment_result.redirect_url,
        }, app);
      }
      assert.match(await page.textContent('.vietqr-pay__apps li[data-app="mb"]'), /fills in account, amount and content/);

      // Tapping VietinBank opens its link (answered empty here: the machine is offline) and is remembered.
      const opened = new Promise((resolve) => context.route("https://dl.vietqr.io/**", (route) => {
        resolve(route.request().url());
        return route.fulfill({ status: 204, body: "" });
      }));
      const icb = await page.getAttribute('.vietqr-pay__app[data-app="icb"]', "href");
      await page.click('.vietqr-pay__app[data-app="icb"]', { noWaitAfter: true });
      assert.equal(await opened, icb);
      assert.equal(await page.evaluate(() => localStorage.getItem("vietqr:bank-app")), "icb");
      await page.goto(placed.payment_result.redirect_url);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      assert.deepEqual((await bankAppLinks(page)).map((l) => l.app), ["icb", "mb", "ocb"], "the last choice comes first");
      assert.equal(await page.$eval(".vietqr-pay__apps li:first-child", (li) => li.classList.contains("vietqr-pay__app--last")), true);

      // After a partial transfer every link asks for what is still due, without a reload.
      await woo.payAmount(shop.sim, o.payment, 10000);
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "partial", null, { timeout: 10000 });
      for (const { params } of await bankAppLinks(page)) assert.equal(params.am, String(woo.PRICE - 10000));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("desktop: the bank-app list is there but closed (a small line under the QR)", async () => {
    const placed = await woo.storeApiOrder(shop);
    const { context, page, errors } = await openPage(browser, DESKTOP);
    try {
      await asTheBuyer(context, placed);
      await page.goto(placed.payment_result.redirect_url);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      assert.equal(await page.$eval(".vietqr-pay__apps", (d) => d.open), false);
      assert.equal((await bankAppLinks(page)).length, 3);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  /** Payments of an order, oldest first. */
  const paymentsOf = (orderId) => phpJson(shop.wp, `global $wpdb; echo json_encode($wpdb->get_results($wpdb->prepare(
    "SELECT id, status, amount, received, content, payload, order_ref, expires_at FROM {$wpdb->prefix}vietqr_payments WHERE order_id = %d ORDER BY id", ${Number(orderId)}), ARRAY_A));`);
  const runCron = () => phpJson(shop.wp, "echo json_encode(VietQR\\Payments\\Cron::run());");
  const paymentCompletions = (notes) => notes.filter((n) => /On hold to Processing|On hold to Completed/i.test(n)).length;

  test("phone: part paid, QR run out, reopened through the payment link: a fresh QR for what is still due (the same payment), and paying it completes the order once", async () => {
    const { placed, o, context, page, errors } = await newOrderOnPhone();
    try {
      await woo.payAmount(shop.sim, o.payment, 10000);
      // The QR's lifetime passes; the cron runs: a partly paid order is not cancelled.
      shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${placed.order_id}`);
      runCron();
      assert.equal(woo.orderState(shop.wp, placed.order_id).status, "on-hold");

      // The buyer comes back: the page says the QR ran out and links to the order's payment page.
      await page.reload();
      await page.waitForSelector(".vietqr-pay__renew:not([hidden]) a", { timeout: 20000 });
      const renew = await page.getAttribute(".vietqr-pay__renew a", "href");
      assert.match(renew, /order-pay/);
      await page.goto(renew);
      await payWithVietQR(page, woo.BILLING.email);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      const rest = woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg"));
      assert.equal(rest.amount, woo.PRICE - 10000, "the new QR asks for what is still due");
      assert.equal(rest.purpose, o.payment.content, "the same transfer content: the same payment");
      assert.equal(await page.locator(".vietqr-pay__renew:not([hidden])").count(), 0, "the QR is valid again");
      const payments = paymentsOf(placed.order_id);
      assert.equal(payments.length, 1, "no second QR");
      assert.ok(Number(payments[0].expires_at) > Date.now() / 1000, "valid for another lifetime");
      for (const { params } of await bankAppLinks(page)) assert.equal(params.am, String(woo.PRICE - 10000));

      await woo.payAmount(shop.sim, o.payment, woo.PRICE - 10000);
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "paid", null, { timeout: 10000 });
      const after = woo.orderState(shop.wp, placed.order_id);
      assert.equal(after.status, "processing");
      assert.equal(after.payment.received, woo.PRICE);
      assert.equal(paymentCompletions(after.notes), 1, after.notes.join(" | "));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("phone: QR run out before the cron came, reopened through the payment link: one new QR, the old one closed, the order not cancelled, paid once", async () => {
    const { placed, o, context, page, errors } = await newOrderOnPhone();
    try {
      shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${placed.order_id}`);
      await page.reload();
      await page.waitForSelector(".vietqr-pay__renew:not([hidden]) a", { timeout: 20000 });
      await page.goto(await page.getAttribute(".vietqr-pay__renew a", "href"));
      await payWithVietQR(page, woo.BILLING.email);
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      const scanned = await decodeQr(page, ".vietqr-pay__qr svg");
      const [old, fresh, ...more] = paymentsOf(placed.order_id);
      assert.deepEqual(more, [], "two QRs at most: the old and the new");
      assert.equal(old.status, "expired", "the old QR is closed");
      assert.equal(fresh.status, "pending");
      assert.equal(scanned, fresh.payload);
      assert.notEqual(fresh.content, o.payment.content);
      assert.equal(woo.parsePayload(scanned).amount, woo.PRICE);

      // The cron's expiry of the old QR leaves the order waiting for the new one.
      runCron();
      const waiting = woo.orderState(shop.wp, placed.order_id);
      assert.equal(waiting.status, "on-hold");
      assert.equal(Number(waiting.payment.id), Number(fresh.id));
      assert.equal(waiting.notes.filter((n) => /new VietQR code/.test(n)).length, 1);

      await woo.payInFull(shop.sim, fresh);
      await page.waitForFunction(() => document.querySelector(".vietqr-pay").dataset.status === "paid", null, { timeout: 10000 });
      const after = woo.orderState(shop.wp, placed.order_id);
      assert.equal(after.status, "processing");
      assert.equal(paymentCompletions(after.notes), 1, after.notes.join(" | "));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("an order the cron cancelled for its expired QR stays cancelled: the payment link says it cannot be paid, and no new QR is made", async () => {
    const placed = await woo.storeApiOrder(shop);
    shop.wp.sql(`UPDATE wp_vietqr_payments SET expires_at = UNIX_TIMESTAMP() - 5 WHERE order_id = ${placed.order_id}`);
    runCron();
    assert.equal(woo.orderState(shop.wp, placed.order_id).status, "cancelled");
    const payUrl = phpJson(shop.wp, `echo json_encode(wc_get_order(${placed.order_id})->get_checkout_payment_url());`);
    const { context, page, errors } = await openPage(browser, PHONE);
    try {
      await asTheBuyer(context, placed);
      await page.goto(payUrl);
      await confirmEmailIfAsked(page, woo.BILLING.email);
      assert.match(await page.textContent("body"), /cannot be paid for/);
      assert.equal(await page.locator("#payment_method_vietqr").count(), 0);
      assert.equal(paymentsOf(placed.order_id).length, 1, "no new QR");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("an order the owner made in the admin: the customer payment page offers VietQR and leads to the QR for that order", async () => {
    // A phone or social-media sale: the owner makes the order in the admin and sends its payment link.
    const made = phpJson(shop.wp, `
      $o = wc_create_order(['status' => 'pending']);
      $o->add_product(wc_get_product(${shop.ids.product}), 2);
      $o->set_billing_email('zalo-buyer@example.test'); $o->set_billing_first_name('Lan'); $o->set_billing_country('VN');
      $o->calculate_totals(); $o->save();
      echo json_encode(['id' => $o->get_id(), 'url' => $o->get_checkout_payment_url(), 'total' => $o->get_total()]);`);
    assert.equal(Number(made.total), 2 * woo.PRICE);
    const { context, page, errors } = await openPage(browser, PHONE); // the customer, not logged in
    try {
      await page.goto(made.url);
      await payWithVietQR(page, "zalo-buyer@example.test");
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 }).catch(async (e) => {
        await page.screenshot({ path: join(tmpdir(), "vietqr-owner-order.png"), fullPage: true });
        throw new Error(`${e.message} (screenshot ${join(tmpdir(), "vietqr-owner-order.png")})`);
      });
      const o = woo.orderState(shop.wp, made.id);
      assert.equal(o.status, "on-hold");
      assert.equal(o.payment.amount, 2 * woo.PRICE);
      const scanned = woo.parsePayload(await decodeQr(page, ".vietqr-pay__qr svg"));
      assert.equal(scanned.amount, 2 * woo.PRICE);
      assert.equal(scanned.purpose, o.payment.content);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
