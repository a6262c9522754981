// The vietqr/payment-qr block as a visitor sees it, in Debian's Chromium, on
// a desktop screen and on a phone: the QR drawn in the browser is read off a
// screenshot by zbarimg, must be exactly the payload the block's markup
// carries, and that payload, parsed by the core, must carry the shop's bank
// and account and the block's amount and (folded) transfer content. No
// console error. No WooCommerce needed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, PLUGIN_LOG } from "./harness.mjs";
import { startShop, stopShop } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import { parsePayload } from "./woo.mjs";
import { launchChromium, openPage, DESKTOP, PHONE } from "./browser.mjs";
import { decodeQr } from "./qrshot.mjs";

const core = (op, input) => {
  const out = JSON.parse(execFileSync(join(ROOT, "target/release/vietqr"), ["call", op, JSON.stringify(input)], { encoding: "utf8" }));
  assert.ok(out.ok, JSON.stringify(out));
  return out.value;
};

const AMOUNT = 50000;
const CONTENT = "Ủng hộ quỹ";

let shop;
let browser;
let pageUrl;

before(async () => {
  shop = await startShop();
  browser = await launchChromium();
  const attrs = JSON.stringify({ amount: String(AMOUNT), content: CONTENT });
  const id = shop.wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Ủng hộ',
    'post_content' => wp_slash('<!-- wp:vietqr/payment-qr ${attrs.replace(/\\/g, "\\\\").replace(/'/g, "\\'")} /-->')]);`).trim();
  assert.match(id, /^\d+$/, id);
  pageUrl = `${shop.wp.url}/?page_id=${id}`;
});

after(async () => {
  if (browser) await browser.close();
  if (shop) {
    const logged = existsSync(shop.wp.debugLog) ? readFileSync(shop.wp.debugLog, "utf8") : "";
    await stopShop(shop);
    assert.deepEqual(logged.split("\n").filter((l) => PLUGIN_LOG.test(l)), [], "PHP messages from the plugin in debug.log");
  }
});

for (const [name, device] of [["desktop", DESKTOP], ["phone (390×844, ×3)", PHONE]]) {
  test(`payment block, ${name}: the QR read off the screen is the block's payload, for the shop's account, amount and content`, async () => {
    const { context, page, errors } = await openPage(browser, device);
    try {
      await page.goto(pageUrl);
      await page.waitForSelector('.vietqr-payment-qr[data-ready="1"] .vietqr-payment-qr__qr svg', { timeout: 20000 });
      const markup = await page.getAttribute(".vietqr-payment-qr__qr", "data-vietqr-payload");
      assert.ok(markup, "no payload in the block's markup");

      const scanned = await decodeQr(page, ".vietqr-payment-qr__qr svg");
      assert.equal(scanned, markup);

      const parsed = parsePayload(scanned);
      const bank = core("banks.list", {}).find((b) => b.code === SIM_ACCOUNT.bank_code);
      assert.equal(parsed.bin, bank.bin);
      assert.equal(parsed.account, SIM_ACCOUNT.bank_account);
      assert.equal(parsed.amount, AMOUNT);
      const folded = core("text.fold", { text: CONTENT }).text;
      assert.equal(parsed.purpose, folded);
      // The details beside the QR say the same.
      assert.equal((await page.textContent('.vietqr-payment-qr [data-field="account"]')).trim(), SIM_ACCOUNT.bank_account);
      assert.equal((await page.textContent('.vietqr-payment-qr [data-field="content"]')).trim(), folded);
      if (device.isMobile) {
        const box = await page.locator(".vietqr-payment-qr__qr svg").boundingBox();
        assert.ok(box.width >= 150 && box.x >= 0 && box.x + box.width <= device.viewport.width, JSON.stringify(box));
      }
      assert.deepEqual(errors, [], "errors in the browser console");
    } finally {
      await context.close();
    }
  });
}
