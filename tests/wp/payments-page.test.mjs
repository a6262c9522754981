// WooCommerce's React Payments settings page (WooCommerce ≥ 9.6, the main
// stack) as a shop owner sees it, in Chromium: VietQR with its own icon, a
// plain-text description and its real state (no bank account → action
// needed; not linked → "Complete setup" that starts the link-shop flow and
// comes back; linked in the sandbox → a test account; production → active),
// and "Manage" leading to the VietQR settings, which are VietQR's own section
// of WooCommerce → Settings → Payments (no menu of their own).
// Needs WooCommerce (WOOCOMMERCE_DIR); skipped loudly without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT, scanCertificate } from "./sim.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, logIn, DESKTOP } from "./browser.mjs";
import { vietqrAdminPath } from "./http.mjs";

if (woo.requireWooCommerce(test, "Payments settings page suite")) suite();

function suite() {
  let shop;
  let browser;
  let page;
  let errors;
  let react = true;

  before(async () => {
    shop = await woo.startWooShop();
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, DESKTOP));
    await logIn(page, shop.wp.url);
    // The React page came with WooCommerce 9.6; older ones keep the table (not this suite's subject).
    react = phpJson(shop.wp, "echo json_encode(version_compare(WC()->version, '9.6', '>='));");
  });

  after(async () => {
    if (browser) await browser.close();
    if (shop) await woo.stopWooShop(shop);
  });

  const PAYMENTS = () => `${shop.wp.url}/wp-admin/admin.php?page=wc-settings&tab=checkout`;
  /** VietQR's section of the Payments settings (its tabs: vietqr_tab). */
  const SECTION = /page=wc-settings&tab=checkout&section=vietqr/;
  /** The Payments page itself, not a section of it. */
  const paymentsPage = (u) => /page=wc-settings&tab=checkout/.test(u.href) && !u.searchParams.has("section");

  /** The VietQR row of the Payments page, freshly loaded. */
  async function row() {
    await page.goto(PAYMENTS());
    const item = page.locator("#vietqr.woocommerce-item__payment-gateway");
    await item.waitFor({ timeout: 60000 });
    return {
      item,
      icon: await item.locator("img.woocommerce-list__item-image").getAttribute("src"),
      title: (await item.locator(".woocommerce-list__item-title").evaluate((n) => n.firstChild.textContent)).trim(),
      badge: (await item.locator(".woocommerce-status-badge").textContent()).trim(),
      description: (await item.locator(".woocommerce-list__item-content").textContent()).trim(),
      buttons: (await item.locator(".woocommerce-list__item-buttons button, .woocommerce-list__item-buttons a").allTextContents()).map((t) => t.trim()),
    };
  }

  /** The "Manage" entry of the row: the button, or the ellipsis menu's item. */
  async function manageHref(item) {
    const direct = item.locator(".woocommerce-list__item-buttons a", { hasText: "Manage" });
    if (await direct.count()) return direct.getAttribute("href");
    await item.locator(".woocommerce-ellipsis-menu__toggle").click();
    const entry = page.locator(".woocommerce-ellipsis-menu__content a, .woocommerce-ellipsis-menu__content button", { hasText: /Manage|Settings/ }).first();
    await entry.waitFor();
    return entry.getAttribute("href");
  }

  test("the row: VietQR's own icon, plain-text description; no bank account → action needed, Complete setup leads to the settings and back", async (t) => {
    if (!react) return t.skip("WooCommerce < 9.6 has no React Payments page");
    shop.wp.php("VietQR\\Support\\Settings::update(['account' => '']);");
    try {
      const r = await row();
      assert.equal(r.icon, `${shop.wp.url}/wp-content/plugins/vietqr-for-woocommerce/assets/images/vietqr.svg`);
      assert.equal((await fetch(r.icon)).headers.get("content-type"), "image/svg+xml");
      assert.equal(r.title, "VietQR");
      assert.match(r.description, /^Bank transfer by VietQR code, confirmed automatically/);
      assert.doesNotMatch(r.description, /[<>]/);
      assert.equal(r.badge, "Action needed");
      assert.ok(r.buttons.includes("Complete setup"), JSON.stringify(r.buttons));

      await Promise.all([page.waitForURL(SECTION), r.item.getByRole("button", { name: "Complete setup" }).click()]);
      const at = new URL(page.url());
      assert.equal(at.searchParams.get("vietqr_tab"), "settings", "no bank account yet: setup starts on the settings tab");
      const back = await page.getAttribute("#vietqr-return", "href");
      assert.match(back, /page=wc-settings&tab=checkout/);
      assert.ok(back.startsWith(`${shop.wp.url}/wp-admin/`), back);
      // "You came here from WooCommerce" belongs to the step it sent the owner to, not to every tab.
      await page.click("#vietqr-tab-health");
      await page.waitForSelector("#vietqr-tab-health.nav-tab-active");
      assert.equal(await page.locator(".vietqr-return").count(), 0, "the notice follows the owner to other tabs");
      await page.click("#vietqr-tab-settings");
      await page.waitForSelector("#vietqr-return");
    } finally {
      shop.wp.php(`VietQR\\Support\\Settings::update(['account' => ${q(SIM_ACCOUNT.bank_account)}]);`);
    }
  });

  test("not linked yet → Complete setup starts the link-shop flow; once the owner has linked in the sandbox the row shows a test account; Back returns to WooCommerce", async (t) => {
    if (!react) return t.skip("WooCommerce < 9.6 has no React Payments page");
    let r = await row();
    assert.equal(r.badge, "Action needed");
    await Promise.all([page.waitForURL(SECTION), r.item.getByRole("button", { name: "Complete setup" }).click()]);
    assert.equal(new URL(page.url()).searchParams.get("vietqr_tab"), "link");

    // The link-shop flow itself (admin.test.mjs tests it in depth): register, then the owner scans and picks the account.
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-link")]);
    assert.match(await page.textContent(".notice-success"), /registered with VietQR/);
    const reg = (await shop.sim.get("/sim/state")).json.store.registrations.at(-1);
    const active = await scanCertificate(shop.sim, reg.certificate, shop.wp.url);
    assert.equal(active.status, 200, active.text);
    await page.waitForFunction(() => document.getElementById("vietqr-linked").textContent.includes("Linked:"), null, { timeout: 10000 });

    // The way back survives the form post of the link step.
    await Promise.all([page.waitForURL(paymentsPage), page.click("#vietqr-return")]);
    r = await row();
    assert.equal(r.badge, "Test account", "linked in the sandbox");
    assert.ok(!r.buttons.includes("Complete setup"), JSON.stringify(r.buttons));
    assert.equal(await manageHref(r.item), `${shop.wp.url}${vietqrAdminPath("", true)}`);
  });

  test("production: the linked shop is shown active; the gateway's own section is the VietQR settings, under WooCommerce → Settings", async (t) => {
    if (!react) return t.skip("WooCommerce < 9.6 has no React Payments page");
    shop.wp.php("VietQR\\Support\\Settings::update(['environment' => 'production']);");
    try {
      const r = await row();
      assert.equal(r.badge, "Active");
      await page.goto(`${shop.wp.url}/wp-admin/admin.php?page=wc-settings&tab=checkout&section=vietqr`);
      assert.equal(await page.locator("#vietqr-tab-settings.nav-tab-active").count(), 1);
      for (const tab of ["link", "terminals", "health"]) {
        assert.equal(await page.locator(`#vietqr-tab-${tab}`).getAttribute("href"), `${shop.wp.url}${vietqrAdminPath(tab, true)}`);
      }
      await page.locator("#vietqr-settings-form").waitFor();
      assert.ok(await page.isVisible("#woocommerce_vietqr_title"), "WooCommerce's own fields of the gateway");
      // VietQR's form is not inside WooCommerce's (a nested form would post nowhere).
      assert.equal(await page.locator("#mainform #vietqr-settings-form").count(), 0);
      assert.equal(await page.locator("#toplevel_page_vietqr").count(), 0, "a top-level VietQR menu");
      assert.equal(await page.locator("#toplevel_page_woocommerce li.current a[href='admin.php?page=wc-settings']").count(), 1, "WooCommerce → Settings is the current menu entry");
      assert.deepEqual(errors.filter((e) => /vietqr/i.test(e)), []);
    } finally {
      shop.wp.php("VietQR\\Support\\Settings::update(['environment' => 'custom']);");
    }
  });
}
