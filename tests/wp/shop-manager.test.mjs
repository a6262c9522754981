// A shop manager (WooCommerce's shop_manager role: manage_woocommerce, not
// manage_options) configures VietQR end to end in Chromium, from where
// WooCommerce keeps payment settings: WooCommerce → Settings → Payments →
// VietQR. Settings saved (WooCommerce's own fields of the gateway and
// VietQR's), the shop linked to VietQR (the REST route the link page calls
// included), a point of sale synced, webhook health shown, the Unmatched
// transfers screen reached from WooCommerce's menu; no top-level VietQR menu,
// no secret shown, no console error. Runs on every WordPress + WooCommerce
// pair (the newest and the oldest). Needs WooCommerce (WOOCOMMERCE_DIR).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK, scanCertificate } from "./sim.mjs";
import * as woo from "./woo.mjs";
import { launchChromium, openPage, logIn, DESKTOP } from "./browser.mjs";
import { vietqrAdminPath } from "./http.mjs";

if (woo.requireWooCommerce(test, "shop manager suite")) suite();

function suite() {
  let w;
  let browser;
  let page;
  let errors;

  const settings = () => phpJson(w.wp, "echo json_encode(VietQR\\Support\\Settings::all());");
  const secret = (name) => phpJson(w.wp, `echo json_encode(VietQR\\Support\\Settings::secret(${q(name)}));`);
  const tab = (name) => `${w.wp.url}${vietqrAdminPath(name, true)}`;

  before(async () => {
    w = await woo.startWooShop();
    w.wp.php(`wp_insert_user(['user_login' => 'manager', 'user_pass' => 'manager-password', 'user_email' => 'manager@example.test', 'role' => 'shop_manager']);`);
    const caps = phpJson(w.wp, "$u = get_user_by('login', 'manager'); echo json_encode([user_can($u, 'manage_woocommerce'), user_can($u, 'manage_options')]);");
    assert.deepEqual(caps, [true, false], "the shop_manager role: manage_woocommerce without manage_options");
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, DESKTOP));
    await logIn(page, w.wp.url, "manager", "manager-password");
    assert.match(page.url(), /wp-admin/);
  });

  after(async () => {
    if (browser) await browser.close();
    if (w) await woo.stopWooShop(w);
  });

  test("WooCommerce → Settings → Payments → VietQR opens VietQR's settings; no top-level menu", async () => {
    await page.goto(`${w.wp.url}/wp-admin/index.php`);
    assert.equal(await page.locator("#toplevel_page_vietqr").count(), 0, "a top-level VietQR menu");
    assert.equal(await page.locator("#toplevel_page_woocommerce a[href='admin.php?page=wc-settings']").count(), 1, "WooCommerce → Settings");
    await page.goto(`${w.wp.url}/wp-admin/admin.php?page=wc-settings&tab=checkout`); // Payments
    // WooCommerce 7.9 lists gateways in a table linking to their section; 10's React page links
    // through get_settings_url() (payments-page.test.mjs clicks it): both lead to the same section.
    const classic = page.locator("table.wc_gateways a[href*='section=vietqr']").first();
    if (await classic.count()) await Promise.all([page.waitForNavigation(), classic.click()]);
    else await page.goto(`${w.wp.url}${vietqrAdminPath("", true)}`);
    assert.match(page.url(), /page=wc-settings&tab=checkout&section=vietqr/);
    await page.locator("#vietqr-settings-form").waitFor();
    assert.equal(await page.locator("#vietqr-tab-settings.nav-tab-active").count(), 1);
    const html = await page.content();
    for (const s of [SIM_ACCOUNT.password, CALLBACK.password]) assert.ok(!html.includes(s), "a secret is in the page");
    assert.equal((await page.textContent("#vietqr-api_password-state")).trim(), "set");
    assert.equal(await page.inputValue("#vietqr-api_password"), "");
  });

  test("the shop manager saves WooCommerce's fields of the gateway and VietQR's settings", async () => {
    await page.goto(tab("settings"));
    // WooCommerce's own form: the title buyers see.
    await page.fill("#woocommerce_vietqr_title", "Chuyển khoản VietQR");
    await Promise.all([page.waitForNavigation(), page.click("#mainform button[name=save], #mainform input[name=save]")]);
    const gateway = phpJson(w.wp, "echo json_encode(get_option('woocommerce_vietqr_settings'));");
    assert.equal(gateway.title, "Chuyển khoản VietQR");
    // VietQR's form.
    await page.fill("#vietqr-holder", "Cua Hang Quan Ly");
    await page.fill("#vietqr-content_prefix", "QL");
    await page.fill("#vietqr-qr_lifetime", "25");
    await page.check("#vietqr-alert-unmatched");
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
    assert.match(await page.textContent(".vietqr-notice.notice-success"), /Settings saved/);
    const s = settings();
    assert.equal(s.holder, "Cua Hang Quan Ly");
    assert.equal(s.content_prefix, "QL");
    assert.equal(s.qr_lifetime, 25);
    assert.deepEqual(s.alert_events, ["unmatched"]);
    assert.equal(secret("api_password"), SIM_ACCOUNT.password, "a blank password field keeps the stored one");
    // Where the secrets are sent moves only with the secrets typed again.
    await page.fill("#vietqr-custom_base_url", "https://vqr.example.test/vqr");
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
    assert.match(await page.textContent("#vietqr-error-api_password"), /type the API password again/);
    assert.equal(settings().custom_base_url, w.sim.base);
  });

  test("the shop manager links the shop to VietQR (the link page's REST route included)", async () => {
    await page.goto(tab("link"));
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-link")]);
    assert.match(await page.textContent(".vietqr-notice.notice-success"), /registered with VietQR/);
    await page.locator("#vietqr-link-qr svg").waitFor();
    const reg = (await w.sim.get("/sim/state")).json.store.registrations.at(-1);
    const active = await scanCertificate(w.sim, reg.certificate, w.wp.url);
    assert.equal(active.status, 200, active.text);
    await page.waitForFunction(() => document.getElementById("vietqr-linked").textContent.includes("Linked:"), null, { timeout: 15000 });
    const link = phpJson(w.wp, "echo json_encode(get_option('vietqr_ecommerce'));");
    assert.equal(link.linked_account.bank_account, SIM_ACCOUNT.bank_account);
  });

  test("the shop manager adds a point of sale and syncs it with VietQR", async () => {
    await page.goto(tab("terminals"));
    await page.fill("#vietqr-t-mid", "MER12345678");
    await page.fill("#vietqr-t-terminal_name", "Quay quan ly");
    await page.fill("#vietqr-t-terminal_code", "QL01");
    await page.fill("#vietqr-t-terminal_address", "3 Le Loi, Quan 1");
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-add")]);
    await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-sync")]);
    assert.match(await page.textContent(".vietqr-notice.notice-success"), /synced with VietQR/);
    const t = (await w.sim.get("/sim/state")).json.store.terminals.find((x) => x.terminal_code === "QL01");
    assert.ok(t && /^TER\d{8}$/.test(t.tid), JSON.stringify(t));
    assert.equal((await page.textContent("tr[data-terminal-code=QL01] .vietqr-tid")).trim(), t.tid);
  });

  test("the shop manager sees webhook health and reaches Unmatched transfers from WooCommerce's menu", async () => {
    await page.goto(tab("health"));
    const base = phpJson(w.wp, "echo json_encode(VietQR\\Support\\Settings::callbackBase());");
    assert.equal((await page.textContent("#vietqr-token-url")).trim(), `${base}/api/token_generate`);
    assert.equal((await page.textContent("#vietqr-callback-username")).trim(), CALLBACK.username);
    assert.ok(await page.isVisible("#vietqr-counts"));
    assert.ok(!(await page.content()).includes(CALLBACK.password));
    const entry = page.locator("#toplevel_page_woocommerce a[href$='page=vietqr-unmatched']");
    assert.equal(await entry.count(), 1, "no Unmatched transfers entry in WooCommerce's menu");
    await Promise.all([page.waitForNavigation(), entry.click()]);
    await page.locator("#vietqr-unmatched").waitFor();
    assert.equal((await page.textContent(".wrap > h1")).trim(), "Unmatched transfers");
  });

  test("no errors in the browser console", () => {
    // WooCommerce 7.9's own Payments list asks its payment-suggestions route, which wants
    // manage_options, and its admin app then fails: a shop manager gets both with no plugin
    // at all. Every other console error counts.
    const wooOwn = (e) => /rest_route=%2Fwc-admin%2Fpayment-gateway-suggestions/.test(e)
      || (/woocommerce\/assets\/client\/admin\/app\/index\.js\?ver=7\.9\.0/.test(e) && !/vietqr/i.test(e));
    assert.deepEqual(errors.filter((e) => !wooOwn(e)), []);
  });
}
