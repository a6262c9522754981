// The zip an admin uploads (make plugin → dist/vietqr-for-woocommerce.zip):
// its contents, and the plugin installed from it into a clean WordPress
// with WP_DEBUG on, activated from the Plugins screen, working from there.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, existsSync, mkdtempSync, rmSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startWordPress, PLUGIN_LOG } from "./harness.mjs";
import { moduleScriptSrc } from "./dom.mjs";
import { phpJson } from "./shop.mjs";
import { ZIP, buildPluginZip, zipEntries, installPluginZip, login } from "./zip.mjs";
import { vietqrAdminPath } from "./http.mjs";

const NAME = "vietqr-for-woocommerce";
let wp;
let entries;
let cookie;

before(async () => {
  buildPluginZip();
  entries = zipEntries();
  wp = await startWordPress({ plugins: {}, workers: 2, debug: true });
  installPluginZip(wp, ZIP, { activate: false });
  cookie = await login(wp.url);
});

after(async () => {
  if (wp) await wp.stop();
});

const ours = () => (existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : "")
  .split("\n").filter((l) => PLUGIN_LOG.test(l));

test("the zip holds one plugin folder with the PHP, the generated core, both builds of the core and the translations", () => {
  for (const e of entries) assert.ok(e.startsWith(`${NAME}/`), `outside the plugin folder: ${e}`);
  for (const need of ["vietqr-for-woocommerce.php", "uninstall.php", "autoload.php", "readme.txt", "core/CoreServer.php", "core/CoreQr.php",
    "assets/pkg/vietqr.js", "assets/pkg/vietqr_bg.wasm", "languages/vietqr-for-woocommerce-vi.mo", "blocks/payment-qr/block.json",
    "src/Plugin.php", "src/PaymentQr/Renderer.php", "assets/js/payment-qr.js", "assets/js/pay.js", "license-mit.txt", "license-apache.txt"]) {
    assert.ok(entries.includes(`${NAME}/${need}`), `missing ${need}`);
  }
  assert.deepEqual([...entries].sort(), entries, "entries are sorted");
});

test("the zip holds nothing a shop does not run: no tests, sources of translations, dotfiles, node_modules, Rust or tools", () => {
  const forbidden = [
    [/(^|\/)\./, "dotfile"], [/(^|\/)tests?\//i, "tests"], [/node_modules/, "node_modules"], [/\.(po|pot)$/, "translation source"],
    [/\.rs$|Cargo\.(toml|lock)$|(^|\/)target\//, "Rust"], [/\/bin\//, "developer CLI"], [/\.(sh|mjs|ts|map|md)$/, "tooling"],
    [/package(-lock)?\.json$|composer\.(json|lock)$|phpunit/, "package manifests"], [/\.d\.ts$/, "type declarations"],
  ];
  for (const e of entries) {
    for (const [pattern, what] of forbidden) assert.doesNotMatch(e, pattern, `${what} in the zip: ${e}`);
  }
});

test("packing is deterministic: the same tree gives the same bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "vietqr-zip-"));
  try {
    const again = buildPluginZip(join(dir, "again.zip"));
    const sha = (f) => createHash("sha256").update(readFileSync(f)).digest("hex");
    assert.equal(sha(again), sha(ZIP));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readme.txt has the WordPress headers and its stable tag is the plugin's version", () => {
  const readme = readFileSync(join(ROOT, "php-bridge", "readme.txt"), "utf8");
  const header = (name) => (readme.match(new RegExp(`^${name}:\\s*(.+)$`, "m")) || [])[1];
  const main = readFileSync(join(ROOT, "php-bridge", "vietqr-for-woocommerce.php"), "utf8");
  const version = main.match(/^ \* Version:\s*(\S+)/m)[1];
  assert.match(readme, /^=== VietQR for WooCommerce ===/);
  assert.equal(header("Requires at least"), "6.1");
  assert.equal(header("Requires PHP"), "7.4");
  assert.equal(header("Stable tag"), version);
  for (const h of ["Contributors", "Tags", "Tested up to", "License"]) assert.ok(header(h), `${h} header`);
  for (const s of ["Description", "Installation", "Frequently Asked Questions", "Changelog"]) assert.match(readme, new RegExp(`^== ${s} ==$`, "m"));
  assert.match(readme, new RegExp(`^= ${version.replace(/\./g, "\\.")} =$`, "m"), "a changelog entry for this version");
});

test("an admin activates the uploaded plugin from the Plugins screen, and WP_DEBUG logs nothing of it", async () => {
  const screen = await (await fetch(`${wp.url}/wp-admin/plugins.php`, { headers: { cookie } })).text();
  const href = screen.match(/href="(plugins\.php\?action=activate&amp;plugin=vietqr-for-woocommerce[^"]+)"/);
  assert.ok(href, "the Plugins screen offers to activate VietQR for WooCommerce");
  const res = await fetch(`${wp.url}/wp-admin/${href[1].replace(/&amp;/g, "&")}`, { headers: { cookie }, redirect: "manual" });
  assert.equal(res.status, 302);
  assert.match(res.headers.get("location"), /activate=true/, `activation failed: ${res.headers.get("location")}`);
  const state = phpJson(wp, `require_once ABSPATH . 'wp-admin/includes/plugin.php';
    echo json_encode(['active' => is_plugin_active('${NAME}/${NAME}.php'), 'tables' => $GLOBALS['wpdb']->get_col("SHOW TABLES LIKE 'wp_vietqr_%'")]);`);
  assert.equal(state.active, true);
  assert.deepEqual(state.tables.sort(), ["wp_vietqr_alerts", "wp_vietqr_ledger", "wp_vietqr_payments", "wp_vietqr_rejections"]);
  // A few pages a person opens, then the log.
  for (const path of ["/", "/wp-admin/", "/wp-admin/plugins.php"]) {
    assert.equal((await fetch(`${wp.url}${path}`, { headers: { cookie } })).status, 200, path);
  }
  assert.deepEqual(ours(), []);
});

test("the VietQR admin page and its assets work from the installed copy", async () => {
  const html = await (await fetch(`${wp.url}${vietqrAdminPath()}`, { headers: { cookie } })).text();
  assert.match(html, /<h1[^>]*>[^<]*VietQR/);
  assert.match(html, new RegExp(`/wp-content/plugins/${NAME}/assets/css/admin\\.css`));
  const link = await (await fetch(`${wp.url}${vietqrAdminPath("link")}`, { headers: { cookie } })).text();
  const script = moduleScriptSrc(link, `/plugins/${NAME}/assets/js/admin-link.js`);
  assert.ok(script, "the link-shop tab loads its script from the installed plugin");
  for (const asset of ["assets/pkg/vietqr.js", "assets/pkg/vietqr_bg.wasm", "assets/js/payment-qr.js"]) {
    const r = await fetch(`${wp.url}/wp-content/plugins/${NAME}/${asset}`);
    assert.equal(r.status, 200, asset);
    await r.arrayBuffer();
  }
  assert.deepEqual(ours(), []);
});

test("the core answers from the installed copy's generated PHP", () => {
  const out = phpJson(wp, `
    $v = VietQR\\Core\\Core::value('payload.build', ['bank' => 'ACB', 'account' => '257678859', 'amount' => 10000, 'purpose' => 'Chuyen tien']);
    $file = (new ReflectionClass('VietQR\\\\Generated\\\\CoreServer'))->getFileName();
    echo json_encode(['file' => $file, 'qr_loaded' => class_exists('VietQR\\\\Generated\\\\CoreQr', false), 'payload' => $v['payload'], 'fold' => VietQR\\Core\\Core::value('text.fold', ['text' => 'Ủng hộ'])['text']]);`);
  assert.equal(realpathSync(out.file), realpathSync(join(wp.site, "wp-content", "plugins", NAME, "core", "CoreServer.php")));
  assert.equal(out.payload, "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6");
  assert.equal(out.fold, "Ung ho");
  assert.equal(out.qr_loaded, false, "ops that draw no QR leave the QR module unloaded");
  assert.deepEqual(ours(), []);
});
