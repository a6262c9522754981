// `make screenshots`: the PNGs in docs/ that README.md shows, taken in
// Debian's Chromium from a real WordPress + the plugin + the simulator:
//   docs/admin-link-shop.png          the "Link shop" tab with the certificate QR
//   docs/order-received-desktop.png   the buyer's payment box (needs WOOCOMMERCE_DIR)
//   docs/order-received-phone.png     the same on a phone (needs WOOCOMMERCE_DIR)
//   docs/order-received-phone-apps.png  further down on the phone: "Open in bank app"
//   docs/payment-block.png            a page with the vietqr/payment-qr block
//   docs/admin-unmatched.png          VietQR → Unmatched transfers (needs WOOCOMMERCE_DIR)
// Each is cropped to what it shows and kept under 150 KB.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../tests/wp/harness.mjs";
import { startShop, stopShop } from "../tests/wp/shop.mjs";
import { vietqrAdminPath } from "../tests/wp/http.mjs";
import { launchChromium, openPage, logIn } from "../tests/wp/browser.mjs";
import { SIM_ACCOUNT } from "../tests/wp/sim.mjs";

const DOCS = join(ROOT, "docs");
const LIMIT = 150 * 1024;
const woocommerce = Boolean(process.env.WOOCOMMERCE_DIR);
const DESKTOP = { viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** PNG of the union of `selectors`' boxes plus `pad`, in page coordinates, at most `maxWidth` wide. */
async function shoot(page, name, selectors, { pad = 16, maxWidth = 1100, maxHeight = 1400 } = {}) {
  const box = await page.evaluate((sels) => {
    const rects = sels.map((s) => document.querySelector(s)).filter(Boolean).map((e) => e.getBoundingClientRect());
    if (!rects.length) return null;
    const x = Math.min(...rects.map((r) => r.left)) + scrollX;
    const y = Math.min(...rects.map((r) => r.top)) + scrollY;
    return { x, y, right: Math.max(...rects.map((r) => r.right)) + scrollX, bottom: Math.max(...rects.map((r) => r.bottom)) + scrollY };
  }, selectors);
  if (!box) throw new Error(`${name}: none of ${selectors.join(", ")} on ${page.url()}`);
  const x = Math.max(0, box.x - pad);
  const y = Math.max(0, box.y - pad);
  const clip = { x, y, width: Math.min(maxWidth, box.right + pad - x), height: Math.min(maxHeight, box.bottom + pad - y) };
  const png = await page.screenshot({ clip, fullPage: true, animations: "disabled", caret: "hide" });
  const file = join(DOCS, name);
  writeFileSync(file, png);
  console.log(`${png.length > LIMIT ? "TOO BIG " : ""}docs/${name}: ${Math.round(clip.width)}×${Math.round(clip.height)} CSS px, ${(png.length / 1024).toFixed(1)} KB`);
  return png.length;
}

mkdirSync(DOCS, { recursive: true });
const shop = await startShop({ woocommerce });
const browser = await launchChromium();
let woo;
let ids;
const problems = [];
try {
  const { wp } = shop;
  if (woocommerce) {
    woo = await import("../tests/wp/woo.mjs");
    woo.shimWooCommerceBuild(wp);
    ids = woo.setupStore(wp);
  }

  // The shop owner links the shop: the certificate QR.
  {
    const { context, page, errors } = await openPage(browser, { ...DESKTOP, viewport: { width: 1000, height: 900 } });
    await logIn(page, wp.url);
    await page.goto(`${wp.url}${vietqrAdminPath("link", woocommerce)}`); // WooCommerce → Settings → Payments → VietQR, or Settings → VietQR
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-link")]);
    await page.waitForSelector("#vietqr-link-qr svg", { timeout: 10000 });
    await page.evaluate(() => document.querySelectorAll(".notice, #wpfooter, .update-nag").forEach((n) => n.remove()));
    await shoot(page, "admin-link-shop.png", [woocommerce ? ".vietqr-section-title" : ".wrap > h1", ".vietqr-tabs", "#vietqr-link-box"], { maxWidth: 900 });
    problems.push(...errors);
    await context.close();
  }

  // The buyer, after the Checkout: desktop (classic checkout) and phone (Checkout block).
  if (woocommerce) {
    for (const [name, device, checkout] of [["order-received-desktop.png", DESKTOP, "classic"], ["order-received-phone.png", PHONE, "block"]]) {
      const { context, page, errors } = await openPage(browser, device);
      if (checkout === "block") await woo.blockCheckout(page, { wp, ids });
      else await woo.classicCheckout(page, { wp, ids });
      await page.waitForSelector(woo.QR_DRAWN, { timeout: 20000 });
      if (device.isMobile) {
        // What the phone's screen shows once scrolled to the payment box.
        await page.locator(".vietqr-pay").evaluate((e) => e.scrollIntoView({ block: "start" }));
        await page.waitForTimeout(300);
        const png = await page.screenshot({ animations: "disabled", caret: "hide" });
        writeFileSync(join(DOCS, name), png);
        console.log(`${png.length > LIMIT ? "TOO BIG " : ""}docs/${name}: 390×844 CSS px, ${(png.length / 1024).toFixed(1)} KB`);
        // The bank-app list, open on a phone: scrolled so that it sits at the bottom of the screen.
        await page.locator(".vietqr-pay__apps[open]").evaluate((e) => e.scrollIntoView({ block: "end" }));
        await page.waitForTimeout(300);
        const apps = await page.screenshot({ animations: "disabled", caret: "hide" });
        writeFileSync(join(DOCS, "order-received-phone-apps.png"), apps);
        console.log(`${apps.length > LIMIT ? "TOO BIG " : ""}docs/order-received-phone-apps.png: 390×844 CSS px, ${(apps.length / 1024).toFixed(1)} KB`);
      } else {
        await shoot(page, name, [".woocommerce-order > .woocommerce-notice", ".vietqr-pay"], { maxWidth: 800 });
      }
      problems.push(...errors);
      await context.close();
    }

    // The owner's screen for transfers that matched no order: two open orders, one paid with its
    // code split by the bank app (as in tests/wp/unmatched.test.mjs), one paid with another amount.
    {
      const { sim } = shop;
      for (const [amount, content] of [[woo.PRICE, (r) => `CK ${r.split("").join(" ")} tu NGUYEN VAN A`], [20000, (r) => `${r} tra truoc`]]) {
        const placed = await woo.storeApiOrder({ wp, ids });
        const payment = woo.orderState(wp, placed.order_id).payment;
        const r = await sim.post("/sim/pay", { content: content(payment.order_ref), amount, bankAccount: SIM_ACCOUNT.bank_account });
        if (r.status !== 200) throw new Error(`sim pay: ${r.text}`);
        await woo.settled(sim);
      }
      const { context, page, errors } = await openPage(browser, DESKTOP);
      await logIn(page, wp.url);
      await page.goto(`${wp.url}/wp-admin/admin.php?page=vietqr-unmatched`);
      await page.locator("#vietqr-unmatched").waitFor();
      await page.evaluate(() => document.querySelectorAll(".notice, #wpfooter, .update-nag").forEach((n) => n.remove()));
      await shoot(page, "admin-unmatched.png", [".wrap > h1", "#vietqr-unmatched"], { maxWidth: 1100 });
      problems.push(...errors);
      await context.close();
    }
  } else {
    console.log("WOOCOMMERCE_DIR not set: no order-received or unmatched screenshots (docs/order-received-*.png, docs/admin-unmatched.png left as they are)");
  }

  // A page with the payment block.
  const hasBlock = wp.php("echo class_exists('VietQR\\\\PaymentQr\\\\PaymentQr') ? 'yes' : 'no';").trim() === "yes";
  if (hasBlock) {
    const id = wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Ủng hộ',
      'post_content' => wp_slash('<!-- wp:paragraph --><p>Cảm ơn bạn đã ủng hộ!</p><!-- /wp:paragraph --><!-- wp:vietqr/payment-qr {"amount":"50000","content":"Ung ho"} /-->')]);`).trim();
    const { context, page, errors } = await openPage(browser, DESKTOP);
    await page.goto(`${wp.url}/?page_id=${id}`);
    await page.waitForSelector('.vietqr-payment-qr[data-ready="1"] svg', { timeout: 20000 });
    await shoot(page, "payment-block.png", ["h1", ".vietqr-payment-qr"], { maxWidth: 800 });
    problems.push(...errors);
    await context.close();
  } else {
    console.log("no payment block in the plugin (php-bridge/src/PaymentQr): docs/payment-block.png not taken");
  }
} finally {
  await browser.close();
  await stopShop(shop);
}
if (problems.length) {
  console.error(`browser console errors:\n${problems.join("\n")}`);
  process.exitCode = 1;
}
