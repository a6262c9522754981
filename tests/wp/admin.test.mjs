// The plugin's admin page without WooCommerce (Settings → VietQR,
// options-general.php?page=vietqr), in a real browser against
// a real WordPress and the simulator as VietQR: settings validation and
// secrets, linking the shop (certificate QR drawn by the core in the browser
// and read back off a screenshot by zbarimg, N22 over VietQR's WebSocket),
// VietQR errors explained, points of sale synced, webhook health; no error in
// the browser console on any of it. No WooCommerce needed.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { startShop, stopShop, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK, scanCertificate } from "./sim.mjs";
import { PLUGIN_LOG } from "./harness.mjs";
import { decodeQr } from "./qrshot.mjs";
import { launchChromium, openPage, logIn } from "./browser.mjs";
import { vietqrAdminPath } from "./http.mjs";

let shop;
let wp;
let sim;
let browser;
let page;
let consoleErrors; // the browser's console errors and uncaught exceptions, every page

const PAGE = () => `${wp.url}${vietqrAdminPath()}`;
const option = (name) => phpJson(wp, `echo json_encode(get_option(${q(name)}, null));`);
const settings = () => phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::all());");
const secret = (name) => phpJson(wp, `echo json_encode(VietQR\\Support\\Settings::secret(${q(name)}));`);
/** "yes" when WordPress loads the option on every request, else "no". */
const autoload = (name) => (wp.autoloaded(name).includes(name) ? "yes" : "no");

/** The plugin's own PHP warnings/notices in the debug log (WordPress core's are not ours). */
function ourPhpErrors() {
  if (!existsSync(wp.debugLog)) return [];
  return readFileSync(wp.debugLog, "utf8").split("\n").filter((l) => PLUGIN_LOG.test(l));
}

async function poll(what, fn, ms = 10000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  shop = await startShop();
  ({ wp, sim } = shop);
  browser = await launchChromium();
  // Device scale 2 (openPage's default): the certificate QR is read off the screen by zbarimg.
  ({ page, errors: consoleErrors } = await openPage(browser));
  await logIn(page, wp.url);
  assert.match(page.url(), /wp-admin/);
});

after(async () => {
  if (browser) await browser.close();
  if (shop) await stopShop(shop);
});

test("settings: loads cleanly, never shows a secret, rejects invalid input whole, saves valid input", async () => {
  const r = await page.goto(PAGE());
  assert.equal(r.status(), 200);
  let html = await page.content();
  assert.match(html, /id="vietqr-settings-form"/);
  assert.doesNotMatch(html, /(Warning|Notice|Deprecated|Fatal error)<\/b>:/);
  for (const s of [SIM_ACCOUNT.password, CALLBACK.password, SIM_ACCOUNT.secret_key]) assert.ok(!html.includes(s), "a secret is in the page");
  assert.equal((await page.textContent("#vietqr-api_password-state")).trim(), "set");
  assert.equal(await page.inputValue("#vietqr-api_password"), "");
  // The bank select is the core's banks.list, "CODE — short name".
  assert.equal((await page.textContent("#vietqr-bank option[value=MB]")).trim(), "MB — MBBank");
  assert.equal(await page.inputValue("#vietqr-bank"), "MB");
  // Custom base URL row shown (custom env), hidden for sandbox.
  assert.equal(await page.isVisible("#vietqr-custom_base_url"), true);
  await page.selectOption("#vietqr-environment", "sandbox");
  assert.equal(await page.isVisible("#vietqr-custom_base_url"), false);
  await page.selectOption("#vietqr-environment", "custom");

  // Invalid: an account with a sign the core refuses in a VietQR code (letters and digits pass, as in
  // the core), a non-http URL; the valid holder change must not be saved either.
  const before = settings();
  await page.fill("#vietqr-account", "0123-ABC");
  await page.fill("#vietqr-custom_base_url", "ftp://example.com/vqr");
  await page.fill("#vietqr-holder", "Someone Else");
  await page.fill("#vietqr-qr_lifetime", "2");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.match(await page.textContent("#vietqr-error-account"), /letters and digits only/);
  assert.match(await page.textContent("#vietqr-error-custom_base_url"), /http:\/\/ or https:\/\//);
  assert.match(await page.textContent("#vietqr-error-qr_lifetime"), /5 to 1440/);
  assert.match(await page.textContent(".notice-error"), /Nothing was saved/);
  assert.deepEqual(settings(), before);
  // What was typed is shown back for correction.
  assert.equal(await page.inputValue("#vietqr-account"), "0123-ABC");

  // Valid: every field; blank password keeps the stored one; prefix folded by the core.
  await page.fill("#vietqr-custom_base_url", sim.base);
  await page.fill("#vietqr-account", "9704221234");
  await page.fill("#vietqr-holder", "Tran Thi B");
  await page.fill("#vietqr-content_prefix", "Đơn");
  await page.fill("#vietqr-qr_lifetime", "30");
  await page.check("input[name=qr_mode][value=local]");
  await page.check("#vietqr-remove_all_data");
  await page.fill("#vietqr-refund_secret_key", "new-refund-key-789");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.match(await page.textContent(".notice-success"), /Settings saved/);
  const after = settings();
  assert.equal(after.account, "9704221234");
  assert.equal(after.holder, "Tran Thi B");
  assert.equal(after.content_prefix, "DON");
  assert.equal(after.qr_lifetime, 30);
  assert.equal(after.qr_mode, "local");
  assert.equal(after.remove_all_data, true);
  assert.equal(after.custom_base_url, sim.base);
  assert.equal(secret("api_password"), SIM_ACCOUNT.password);
  assert.equal(secret("refund_secret_key"), "new-refund-key-789");
  assert.equal(autoload("vietqr_secret_refund_key"), "no");
  html = await page.content();
  assert.ok(!html.includes("new-refund-key-789"));

  // Clearing a secret.
  await page.check("input[name=clear_refund_secret_key]");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.equal(secret("refund_secret_key"), "");
  assert.equal((await page.textContent("#vietqr-refund_secret_key-state")).trim(), "not set");

  // Generate: a strong callback password, stored, shown exactly once.
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-generate")]);
  const shown = (await page.textContent("#vietqr-generated-password")).trim();
  assert.match(shown, /^[A-Za-z0-9]{32}$/);
  assert.equal(secret("callback_password"), shown);
  await page.reload();
  assert.ok(!(await page.content()).includes(shown), "the generated password is shown only once");

  // Back to the simulator's configuration for the next tests.
  wp.php(`VietQR\\Support\\Settings::update(['account' => ${q(SIM_ACCOUNT.bank_account)}, 'qr_mode' => 'api']);
    VietQR\\Support\\Settings::setSecret('callback_password', ${q(CALLBACK.password)});`);
  assert.deepEqual(ourPhpErrors(), []);
});

test("link shop: ecommerce sync, certificate QR drawn in the browser, N22 over the WebSocket", async () => {
  await page.goto(`${PAGE()}&vietqr_tab=link`);
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-link")]);
  assert.match(await page.textContent(".notice-success"), /registered with VietQR/);

  const state = (await sim.get("/sim/state")).json;
  assert.equal(state.store.registrations.length, 1);
  const reg = state.store.registrations[0];
  assert.equal(reg.ecommerce_site, wp.url);
  assert.equal(reg.webhook, phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::callbackBase());"));
  const stored = option("vietqr_ecommerce");
  assert.equal(stored.certificate, reg.certificate);
  assert.equal(stored.client_id, reg.client_id);
  assert.equal(stored.linked_account, null);
  assert.equal(autoload("vietqr_ecommerce"), "no");
  const token = secret("ecommerce_token");
  assert.ok(token.length > 10);

  // The certificate, as text and as a QR the core drew in the browser.
  assert.equal((await page.textContent("#vietqr-certificate")).trim(), reg.certificate);
  await page.waitForSelector("#vietqr-link-qr svg", { timeout: 10000 });
  // What a phone camera reads off the screen is exactly the certificate VietQR issued.
  const scanned = await decodeQr(page, "#vietqr-link-qr svg");
  assert.equal(scanned, reg.certificate);
  assert.equal(scanned, stored.certificate);
  const html = await page.content();
  assert.ok(!html.includes(token), "the ecommerce token reached the page");
  assert.ok(!html.includes(SIM_ACCOUNT.password));
  assert.match(await page.textContent("#vietqr-linked"), /Not linked yet/);

  // The page's WebSocket is open at VietQR.
  await poll("the page's WebSocket", async () => ((await sim.get("/sim/state")).json.ws_connections[reg.client_id] || 0) >= 1);

  // The owner scans it in the VietQR app and picks the bank account.
  const active = await scanCertificate(sim, reg.certificate, wp.url);
  assert.equal(active.status, 200, active.text);

  const expected = `Linked: MB ${SIM_ACCOUNT.bank_account} ${SIM_ACCOUNT.user_bank_name}`;
  await page.waitForFunction((t) => document.getElementById("vietqr-linked").textContent.includes(t), expected, { timeout: 10000 });
  assert.deepEqual(option("vietqr_ecommerce").linked_account, { bank_account: SIM_ACCOUNT.bank_account, bank_code: "MB", user_bank_name: SIM_ACCOUNT.user_bank_name });
  await page.reload();
  assert.match(await page.textContent("#vietqr-linked"), new RegExp(expected));
  assert.deepEqual(consoleErrors, [], "errors in the browser console");

  // The REST route that stores it is for administrators only.
  const anon = await fetch(`${wp.url}/?rest_route=/vietqr/v1/admin/linked`, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ bank_account: "999", bank_code: "VCB", user_bank_name: "X" }) });
  assert.equal(anon.status, 401);
  assert.equal(option("vietqr_ecommerce").linked_account.bank_account, SIM_ACCOUNT.bank_account);
  assert.deepEqual(ourPhpErrors(), []);
});

test("a VietQR error is shown with its meaning and what to do", async () => {
  await page.goto(PAGE());
  await page.fill("#vietqr-api_password", "wrong-password");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.equal(secret("api_password"), "wrong-password");
  await page.goto(`${PAGE()}&vietqr_tab=link`);
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-link")]);
  const notice = await page.textContent(".notice-error");
  assert.match(notice, /VietQR answered HTTP 401: Wrong API username or password\. Check the API username and password/);
  wp.php(`VietQR\\Support\\Settings::setSecret('api_password', ${q(SIM_ACCOUNT.password)});`);
});

test("points of sale: add (validated), sync with VietQR, tid shown; delete", async () => {
  await page.goto(`${PAGE()}&vietqr_tab=terminals`);
  // Invalid first: nothing is added.
  await page.fill("#vietqr-t-terminal_code", "bad code!");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-add")]);
  assert.match(await page.textContent("#vietqr-t-error-terminal_code"), /terminal code/);
  assert.match(await page.textContent("#vietqr-t-error-terminal_name"), /name/);
  assert.equal(option("vietqr_terminals"), null);

  await page.fill("#vietqr-t-mid", "MER12345678");
  await page.fill("#vietqr-t-terminal_name", "Cua hang Le Loi");
  await page.fill("#vietqr-t-terminal_code", "CH01");
  await page.fill("#vietqr-t-terminal_address", "1 Le Loi, Quan 1");
  assert.equal(await page.inputValue("#vietqr-t-bank_account"), SIM_ACCOUNT.bank_account);
  assert.equal(await page.inputValue("#vietqr-t-bank_code"), "MB");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-add")]);
  assert.match(await page.textContent("tr[data-terminal-code=CH01]"), /not synced/);
  assert.equal(autoload("vietqr_terminals"), "no");

  await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-sync")]);
  assert.match(await page.textContent(".notice-success"), /synced with VietQR/);
  const terminals = (await sim.get("/sim/state")).json.store.terminals;
  const t = terminals.find((x) => x.terminal_code === "CH01");
  assert.ok(t, JSON.stringify(terminals));
  assert.equal(t.mid, "MER12345678");
  assert.equal(t.bank_account, SIM_ACCOUNT.bank_account);
  assert.match(t.tid, /^TER\d{8}$/);
  assert.equal((await page.textContent("tr[data-terminal-code=CH01] .vietqr-tid")).trim(), t.tid);
  const stored = option("vietqr_terminals");
  assert.equal(stored[0].tid, t.tid);
  assert.ok(stored[0].synced_at > 0);

  // A VietQR error on sync, explained: an unknown merchant id.
  await page.fill("#vietqr-t-mid", "MER00000000");
  await page.fill("#vietqr-t-terminal_name", "Cua hang Hue");
  await page.fill("#vietqr-t-terminal_code", "CH02");
  await page.fill("#vietqr-t-terminal_address", "2 Le Loi, Hue");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-add")]);
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-terminal-sync")]);
  assert.match(await page.textContent(".notice-error"), /VietQR answered E\d+: /);

  await Promise.all([page.waitForNavigation(), page.click("tr[data-terminal-code=CH02] button")]);
  assert.equal(option("vietqr_terminals").length, 1);
  assert.equal(await page.$("tr[data-terminal-code=CH02]"), null);
});

test("webhook health: the URLs to give VietQR and the last rejection with its reason", async () => {
  await page.goto(`${PAGE()}&vietqr_tab=health`);
  const base = phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::callbackBase());");
  assert.equal((await page.textContent("#vietqr-token-url")).trim(), `${base}/api/token_generate`);
  assert.equal((await page.textContent("#vietqr-sync-url")).trim(), `${base}/bank/api/transaction-sync`);
  assert.equal((await page.textContent("#vietqr-callback-username")).trim(), CALLBACK.username);
  assert.match(await page.textContent("#vietqr-last-rejection"), /none/);
  assert.ok(!(await page.content()).includes(CALLBACK.password));

  const forged = await fetch(`${base}/api/token_generate`, {
    method: "POST",
    headers: { authorization: "Basic " + Buffer.from(`${CALLBACK.username}:not-the-password`).toString("base64"), "content-type": "application/json" },
    body: "{}",
  });
  assert.equal(forged.status, 401);
  const h = phpJson(wp, "echo json_encode(VietQR\\Support\\Health::get());");
  assert.ok(h.last_rejection && h.last_rejection.reason);

  await page.reload();
  const rejection = await page.textContent("#vietqr-last-rejection");
  assert.match(rejection, /token, HTTP 401/);
  assert.ok(rejection.includes(`reason: ${h.last_rejection.reason}`), rejection);
  assert.match(await page.textContent("#vietqr-counts"), /1 rejected/);
  assert.doesNotMatch(await page.textContent("#vietqr-last-callback"), /never/);
  assert.deepEqual(ourPhpErrors(), []);
});

test("the plugins list links to VietQR's settings from the plugin's row", async () => {
  await page.goto(`${wp.url}/wp-admin/plugins.php`);
  const link = page.locator('tr[data-plugin="vietqr-for-woocommerce/vietqr-for-woocommerce.php"] .row-actions .settings a');
  assert.equal((await link.textContent()).trim(), "Settings");
  assert.equal(await link.getAttribute("href"), PAGE());
});

test("without WooCommerce: one page under Settings, no top-level menu; the Unmatched transfers screen is its tab", async () => {
  await page.goto(`${wp.url}/wp-admin/index.php`);
  assert.equal(await page.locator("#toplevel_page_vietqr").count(), 0, "a top-level VietQR menu");
  assert.equal(await page.locator("#adminmenu a[href*='page=vietqr']").count(), 1);
  assert.equal(await page.locator("#menu-settings a[href='options-general.php?page=vietqr']").count(), 1, "no VietQR entry under Settings");
  await page.goto(`${PAGE()}&vietqr_tab=unmatched`);
  assert.equal(await page.locator("#vietqr-tab-unmatched.nav-tab-active").count(), 1);
  await page.locator("#vietqr-unmatched").waitFor();
  // The old address of the screen is gone (asked outside the page: a 403 is a console error there).
  const old = await page.request.get(`${wp.url}/wp-admin/admin.php?page=vietqr-unmatched`, { maxRedirects: 0 });
  assert.equal(old.status(), 403);
});

test("a new environment or base URL takes the stored API password and refund key only typed again", async () => {
  wp.php("VietQR\\Support\\Settings::setSecret('refund_secret_key', 'refund-key-for-retarget');");
  const before = settings();
  await page.goto(PAGE());
  await page.fill("#vietqr-custom_base_url", "https://vqr.example.test/vqr");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.match(await page.textContent("#vietqr-error-api_password"), /type the API password again/);
  assert.match(await page.textContent("#vietqr-error-refund_secret_key"), /type the refund secret key again/);
  assert.match(await page.textContent(".notice-error"), /Nothing was saved/);
  assert.deepEqual(settings(), before);
  // The environment too (the sandbox is another host than the simulator).
  await page.selectOption("#vietqr-environment", "sandbox");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.ok(await page.isVisible("#vietqr-error-api_password"));
  assert.deepEqual(settings(), before);
  // Typed again (the refund key cleared instead): saved, and the old ecommerce token goes.
  wp.php("VietQR\\Support\\Settings::setSecret('ecommerce_token', 'token-of-the-old-host');");
  await page.selectOption("#vietqr-environment", "custom");
  await page.fill("#vietqr-custom_base_url", "https://vqr.example.test/vqr");
  await page.fill("#vietqr-api_password", "password-for-the-new-host");
  await page.check("input[name=clear_refund_secret_key]");
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.match(await page.textContent(".notice-success"), /Settings saved/);
  assert.equal(settings().custom_base_url, "https://vqr.example.test/vqr");
  assert.equal(secret("api_password"), "password-for-the-new-host");
  assert.equal(secret("refund_secret_key"), "");
  assert.equal(secret("ecommerce_token"), "");
  // The same target needs nothing typed.
  await Promise.all([page.waitForNavigation(), page.click("#vietqr-save")]);
  assert.match(await page.textContent(".notice-success"), /Settings saved/);
  // Back to the simulator for the next tests.
  wp.php(`VietQR\\Support\\Settings::update(['custom_base_url' => ${q(sim.base)}]);
    VietQR\\Support\\Settings::setSecret('api_password', ${q(SIM_ACCOUNT.password)});`);
  assert.deepEqual(ourPhpErrors(), []);
});

test("no errors in the browser console on any admin page", () => {
  assert.deepEqual(consoleErrors, []);
});
