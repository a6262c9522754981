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
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, PLUGIN_LOG } from "./harness.mjs";
import { stopShop } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, DESKTOP, PHONE } from "./browser.mjs";
import { decodeQr } from "./qrshot.mjs";

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
    if (shop) {
      const { wp } = shop;
      const logged = existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : "";
      await stopShop(shop.shop);
      assert.deepEqual(logged.split("\n").filter((l) => PLUGIN_LOG.test(l)), [], "PHP messages from the plugin in debug.log");
    }
  });

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
}
