// A payment QR on any page, without WooCommerce: the [vietqr] shortcode and
// the vietqr/payment-qr block print the shop's bank details and a QR whose
// payload the core built on the server; the browser draws it with the core
// (WASM). Checked as visitors and editors see it, in the editor too.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, PLUGIN_LOG } from "./harness.mjs";
import { moduleScriptSrc, stylesheetHref } from "./dom.mjs";
import { startShop, stopShop, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT } from "./sim.mjs";
import { login } from "./zip.mjs";
import { launchChromium, openPage, logIn } from "./browser.mjs";
import { decodeQr } from "./qrshot.mjs";

let shop;
let wp;
let cookie;
let browser;
const pages = {};

const core = (op, input) => {
  const out = JSON.parse(execFileSync(join(ROOT, "target/release/vietqr"), ["call", op, JSON.stringify(input)], { encoding: "utf8" }));
  assert.equal(out.ok, true, JSON.stringify(out));
  return out.value;
};
const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#039;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const page = (title, content) => Number(wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => ${q(title)}, 'post_content' => ${q(content)}]);`));
const get = async (id, headers = {}) => {
  const res = await fetch(`${wp.url}/?page_id=${id}`, { headers });
  assert.equal(res.status, 200);
  return res.text();
};
/** Every payment QR of a page: payload, shown details, fallback image. */
const boxes = (html) => [...html.matchAll(/<div class="vietqr-payment-qr">(.*?)<\/dl><\/div>/gs)].map(([, inner]) => ({
  payload: decode(inner.match(/class="vietqr-payment-qr__qr"[^>]*data-vietqr-payload="([^"]*)"/)[1]),
  fields: Object.fromEntries([...inner.matchAll(/<dd data-field="(\w+)">([^<]*)<\/dd>/g)].map(([, k, v]) => [k, decode(v)])),
  fallback: (inner.match(/<noscript><img[^>]*src="data:image\/svg\+xml;base64,([^"]+)"/) || [])[1],
}));
const ourLogLines = () => (existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : "").split("\n").filter((l) => PLUGIN_LOG.test(l));

before(async () => {
  shop = await startShop({ qrMode: "local", wpOptions: { workers: 3 } });
  ({ wp } = shop);
  pages.shortcode = page("Ủng hộ (shortcode)", '<!-- wp:shortcode -->\n[vietqr amount="50000" content="Ung ho"]\n<!-- /wp:shortcode -->');
  pages.block = page("Ủng hộ (block)", '<!-- wp:paragraph --><p>Cảm ơn!</p><!-- /wp:paragraph -->\n\n<!-- wp:vietqr/payment-qr {"amount":"50000","content":"Ung ho"} /-->');
  pages.vietnamese = page("Quỹ", '<!-- wp:vietqr/payment-qr {"amount":50000,"content":"Ủng hộ quỹ"} /-->\n\n[vietqr content="Tu do"]');
  pages.bad = page("Bad", '[vietqr amount="-5" content="x"]\n\n[vietqr amount="abc"]\n\n<!-- wp:vietqr/payment-qr {"amount":"50000","content":"Noi dung chuyen khoan qua dai cho ma QR"} /-->\n\n<p>after</p>');
  cookie = await login(wp.url);
});

after(async () => {
  if (browser) await browser.close();
  if (shop) await stopShop(shop);
});

test("the shortcode and the block print the shop's bank details and a QR whose payload the core reads back", async () => {
  for (const which of ["shortcode", "block"]) {
    const html = await get(pages[which]);
    const found = boxes(html);
    assert.equal(found.length, 1, which);
    const [box] = found;
    const parsed = core("payload.parse", { payload: box.payload });
    assert.equal(parsed.bank_code, SIM_ACCOUNT.bank_code, which);
    assert.equal(parsed.account, SIM_ACCOUNT.bank_account, which);
    assert.equal(parsed.amount, 50000, which);
    assert.equal(parsed.purpose, "Ung ho", which);
    assert.deepEqual(box.fields, { bank: "MBBank", account: SIM_ACCOUNT.bank_account, holder: "Nguyễn Văn A", amount: "50.000 ₫", content: "Ung ho" }, which);
    // Without JavaScript: the same QR, drawn by the PHP core.
    assert.equal(Buffer.from(box.fallback, "base64").toString(), core("qr.svg", { text: box.payload, ecl: "M" }).svg, which);
    assert.ok(moduleScriptSrc(html, "/assets/js/payment-qr.js"), `${which}: no module script payment-qr.js`);
    assert.ok(stylesheetHref(html, "/assets/css/payment-qr.css"), `${which}: no payment-qr.css`);
  }
  assert.match(await get(pages.block), /<div class="wp-block-vietqr-payment-qr"><div class="vietqr-payment-qr">/);
});

test("Vietnamese content is folded by the core, amounts may be grouped, and an amount may be left to the payer", async () => {
  const [block, noAmount] = boxes(await get(pages.vietnamese));
  assert.equal(core("payload.parse", { payload: block.payload }).purpose, "Ung ho quy");
  assert.equal(block.fields.content, "Ung ho quy");
  assert.equal(core("payload.parse", { payload: block.payload }).amount, 50000);
  const open = core("payload.parse", { payload: noAmount.payload });
  assert.equal(open.amount, null);
  assert.equal(open.initiation, "static");
  assert.equal(noAmount.fields.amount, undefined);
  const grouped = phpJson(wp, `echo json_encode(do_shortcode('[vietqr amount="1.250.000" content="x"]'));`);
  assert.equal(core("payload.parse", { payload: boxes(grouped)[0].payload }).amount, 1250000);
});

test("bad attributes: editors read what is wrong, visitors get the page without it", async () => {
  const visitor = await get(pages.bad);
  assert.doesNotMatch(visitor, /vietqr-payment-qr/);
  assert.match(visitor, /<p>after<\/p>/);
  const editor = await get(pages.bad, { cookie });
  const messages = [...editor.matchAll(/<div class="vietqr-payment-qr vietqr-payment-qr--error" role="alert">(.*?)<\/div>/gs)].map(([, m]) => decode(m.replace(/<[^>]+>/g, "")));
  assert.equal(messages.length, 3, editor);
  assert.match(messages[0], /The amount "-5" is not a whole number of đồng greater than zero/);
  assert.match(messages[1], /The amount "abc" is not a whole number/);
  assert.match(messages[2], /The transfer content is too long for a VietQR code \(purpose is \d+ characters; at most 25/);
  assert.match(editor, /<p>after<\/p>/);
  const huge = phpJson(wp, `wp_set_current_user(1); echo json_encode(do_shortcode('[vietqr amount="99999999999999999"]'));`);
  assert.match(huge, /The amount cannot go into a VietQR code/);
  // No bank settings yet: the editor is told where to set them.
  const unset = phpJson(wp, `wp_set_current_user(1); add_filter('option_vietqr_settings', function ($v) { $v['account'] = ''; return $v; });
    echo json_encode(do_shortcode('[vietqr amount="5000"]'));`);
  assert.match(unset, /Set the bank and account number in VietQR → Settings first\./);
  assert.deepEqual(ourLogLines(), []);
});

test("the block is registered with its editor script, and the editor's preview (REST) shows the QR drawn by the PHP core", () => {
  const out = phpJson(wp, `define('REST_REQUEST', true); wp_set_current_user(1);
    $type = WP_Block_Type_Registry::get_instance()->get_registered('vietqr/payment-qr');
    $req = new WP_REST_Request('GET', '/wp/v2/block-renderer/vietqr/payment-qr');
    $req->set_query_params(['context' => 'edit', 'attributes' => ['amount' => '20000', 'content' => 'Hi']]);
    $ok = rest_do_request($req);
    wp_set_current_user(0);
    $anon = rest_do_request($req);
    echo json_encode(['editor_script' => $type->editor_script, 'attributes' => array_keys($type->attributes), 'title' => $type->title,
      'rendered' => $ok->get_data()['rendered'] ?? null, 'anon' => $anon->get_status()]);`);
  assert.equal(out.editor_script, "vietqr-payment-qr-editor");
  assert.ok(out.attributes.includes("amount") && out.attributes.includes("content"));
  assert.equal(out.title, "VietQR payment QR");
  assert.match(out.rendered, /data-vietqr-payload="[^"]*62060802Hi/);
  assert.match(out.rendered, /<div class="vietqr-payment-qr__qr"[^>]*><img class="vietqr-payment-qr__fallback"/, "inline, not in <noscript>");
  assert.equal(out.anon, 401);
});

test("strings are Vietnamese on a Vietnamese site", () => {
  const html = phpJson(wp, `switch_to_locale('vi'); VietQR\\Plugin::loadTextDomain(); wp_set_current_user(1);
    echo json_encode(do_shortcode('[vietqr amount="50000" content="Ung ho"]') . do_shortcode('[vietqr amount="-1"]'));`);
  assert.match(html, /Nội dung chuyển khoản/);
  assert.match(decode(html), /Số tiền "-1" không phải là số đồng nguyên/);
});

test("in the browser the core (WASM) draws the block's QR, which a QR reader reads as the payload; no console error", async () => {
  browser = await launchChromium();
  const { page: tab, errors } = await openPage(browser);
  await tab.goto(`${wp.url}/?page_id=${pages.block}`);
  await tab.waitForSelector('.vietqr-payment-qr[data-ready="1"] .vietqr-payment-qr__qr > svg');
  const payload = await tab.getAttribute(".vietqr-payment-qr__qr", "data-vietqr-payload");
  assert.equal(await decodeQr(tab, ".vietqr-payment-qr__qr > svg"), payload);
  // The same drawing as every other host of the core makes (the DOM writes <path></path> for <path/>).
  assert.equal((await tab.innerHTML(".vietqr-payment-qr__qr")).replace(/><\/path>/g, "/>"), core("qr.svg", { text: payload, ecl: "M" }).svg);
  assert.deepEqual(errors, []);
});

test("in the editor the block inserts, previews an error for a bad amount and the QR for a good one", async () => {
  const { page: tab, errors } = await openPage(browser);
  await logIn(tab, wp.url);
  await tab.goto(`${wp.url}/wp-admin/post-new.php?post_type=page`);
  await tab.waitForFunction(() => window.wp && wp.blocks && wp.blocks.getBlockType("vietqr/payment-qr"), null, { timeout: 30000 });
  // Insert only once the editor has set up its post: a block inserted earlier is dropped when the
  // editor resets its blocks to the (empty) new page.
  await tab.waitForFunction(() => {
    const editor = wp.data.select("core/editor");
    return editor && (typeof editor.__unstableIsEditorReady !== "function" || editor.__unstableIsEditorReady());
  }, null, { timeout: 60000 });
  const clientId = await tab.evaluate(() => {
    const block = wp.blocks.createBlock("vietqr/payment-qr", { amount: "-5", content: "Ung ho" });
    wp.data.dispatch("core/block-editor").insertBlocks(block);
    return block.clientId;
  });
  await tab.waitForFunction((id) => wp.data.select("core/block-editor").getBlock(id) !== null, clientId, { timeout: 10000 });
  // WordPress ≥ 6.3 draws blocks of API version 3 in an iframe (the editor canvas); older ones in the page.
  await tab.waitForSelector('iframe[name="editor-canvas"], .editor-styles-wrapper', { timeout: 30000 });
  const canvas = (await tab.$('iframe[name="editor-canvas"]')) ? tab.frameLocator('iframe[name="editor-canvas"]') : tab.locator(":root");
  const error = canvas.locator(".wp-block-vietqr-payment-qr .vietqr-payment-qr--error");
  // Generous: the editor boots and asks the server to render the block (ServerSideRender), slow on a busy 2-core machine.
  await error.waitFor({ timeout: 60000 }).catch(async (e) => {
    const frame = tab.frame({ name: "editor-canvas" });
    const html = frame ? await frame.content() : await tab.content();
    throw new Error(`${e.message}\n${html.match(/<div[^>]*wp-block-vietqr[\s\S]{0,800}/)?.[0] ?? html.slice(-1500)}`);
  });
  assert.match(await error.textContent(), /The amount "-5" is not a whole number/);
  await tab.evaluate((id) => wp.data.dispatch("core/block-editor").updateBlockAttributes(id, { amount: "75000" }), clientId);
  await canvas.locator(".wp-block-vietqr-payment-qr .vietqr-payment-qr__qr img").waitFor({ timeout: 60000 });
  const payload = await canvas.locator(".wp-block-vietqr-payment-qr .vietqr-payment-qr__qr").getAttribute("data-vietqr-payload");
  assert.equal(core("payload.parse", { payload }).amount, 75000);
  const saved = await tab.evaluate(() => wp.blocks.serialize(wp.data.select("core/block-editor").getBlocks()));
  assert.match(saved, /<!-- wp:vietqr\/payment-qr \{"amount":"75000","content":"Ung ho"\} \/-->/);
  assert.deepEqual(errors.filter((e) => /vietqr|payment-qr/i.test(e)), []);
});
