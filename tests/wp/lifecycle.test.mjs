// Install, uninstall and translations of the plugin on a real WordPress.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";
import { startShop, stopShop, phpJson, q, PLUGIN } from "./shop.mjs";

let shop;
let wp;

before(async () => {
  shop = await startShop({ qrMode: "local" });
  ({ wp } = shop);
});

after(async () => {
  await stopShop(shop);
});

const options = () => wp.sql("SELECT option_name FROM wp_options WHERE option_name LIKE 'vietqr%' ORDER BY option_name").trim().split("\n").filter(Boolean);
const tables = () => wp.sql("SHOW TABLES LIKE 'wp_vietqr_%'").trim().split("\n").filter(Boolean).sort();

test("a local QR payment needs no API account and carries the order's transfer content", () => {
  const p = phpJson(wp, "echo json_encode(VietQR\\Payments\\Payments::create(0, 15000));");
  assert.equal(p.mode, "local");
  assert.match(p.content, /^DHP\d+$/);
  // Read back by another host of the core: the native CLI.
  const parsed = JSON.parse(execFileSync(join(ROOT, "target/release/vietqr"), ["call", "payload.parse", JSON.stringify({ payload: p.payload })], { encoding: "utf8" }));
  assert.equal(parsed.ok, true, JSON.stringify(parsed));
  assert.equal(parsed.value.amount, 15000);
  assert.equal(parsed.value.purpose, p.content);
  assert.equal(parsed.value.account, "0123456789");
  assert.equal(parsed.value.bank_code, "MB");
});

test("strings are translated to Vietnamese when the site speaks Vietnamese", () => {
  const out = wp.php(`switch_to_locale('vi'); VietQR\\Plugin::loadTextDomain(); echo __('No such payment.', 'vietqr-for-woocommerce');`);
  assert.notEqual(out, "No such payment.");
  assert.match(out, /thanh toán/i);
});

test("schema 1 → 4: payments made before order_synced existed count as shown on their orders", () => {
  const p = phpJson(wp, "echo json_encode(VietQR\\Payments\\Payments::create(0, 12000));");
  assert.equal(wp.sql(`SELECT order_synced FROM wp_vietqr_payments WHERE id = ${p.id}`).trim(), "pending:0");
  wp.sql(`UPDATE wp_vietqr_payments SET order_synced = '', status = 'paid', received = 12000 WHERE id = ${p.id}`);
  wp.php("update_option('vietqr_schema_version', '1'); VietQR\\Support\\Install::maybeUpgrade();");
  assert.equal(wp.sql(`SELECT order_synced FROM wp_vietqr_payments WHERE id = ${p.id}`).trim(), "paid:12000");
  assert.equal(wp.php("echo get_option('vietqr_schema_version');"), "4");
});

test("schema 2 → 4: the alerts and refused-callback tables and the ledger's resolution columns are added", () => {
  wp.sql("ALTER TABLE wp_vietqr_ledger DROP COLUMN resolution, DROP COLUMN resolved_by, DROP COLUMN resolved_at, DROP COLUMN refund_code, DROP COLUMN actions;");
  wp.sql("DROP TABLE wp_vietqr_alerts; DROP TABLE wp_vietqr_rejections;");
  wp.php("update_option('vietqr_schema_version', '2'); VietQR\\Support\\Install::maybeUpgrade();");
  assert.deepEqual(tables(), ["wp_vietqr_alerts", "wp_vietqr_ledger", "wp_vietqr_payments", "wp_vietqr_rejections"]);
  assert.match(wp.sql("SHOW COLUMNS FROM wp_vietqr_ledger"), /resolution[\s\S]*resolved_by[\s\S]*resolved_at[\s\S]*refund_code[\s\S]*actions/);
  assert.equal(wp.php("echo get_option('vietqr_schema_version');"), "4");
});

test("schema 3 → 4: the ledger's payment_qr column is added (transfers recorded for a payment QR), rows kept", () => {
  const before = wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger").trim();
  wp.sql("ALTER TABLE wp_vietqr_ledger DROP COLUMN payment_qr;");
  wp.php("update_option('vietqr_schema_version', '3'); VietQR\\Support\\Install::maybeUpgrade();");
  assert.match(wp.sql("SHOW COLUMNS FROM wp_vietqr_ledger"), /^payment_qr\t/m);
  assert.equal(wp.sql("SELECT COUNT(*) FROM wp_vietqr_ledger").trim(), before);
  assert.equal(wp.php("echo get_option('vietqr_schema_version');"), "4");
});

test("the callback key is made once; a failed read never replaces it", () => {
  const stored = () => wp.sql("SELECT option_value FROM wp_options WHERE option_name = 'vietqr_secret_callback_secret'").trim();
  const before = stored();
  assert.match(before, /[0-9a-f]{64}/, "activation made the key");
  // The option read fails (as in a database hiccup): the stored key is still the one used, and kept.
  const got = wp.php(`add_filter('pre_option_vietqr_secret_callback_secret', '__return_false'); echo VietQR\\Support\\Settings::callbackSecret();`);
  assert.equal(stored(), before);
  assert.ok(before.includes(got), "the key used is the stored one");
  // A site that never had one (activation skipped) gets one on first use, stored once.
  wp.sql("DELETE FROM wp_options WHERE option_name = 'vietqr_secret_callback_secret'");
  const first = wp.php("echo VietQR\\Support\\Settings::callbackSecret();");
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(wp.php("echo VietQR\\Support\\Settings::callbackSecret();"), first);
  assert.equal(wp.sql("SELECT COUNT(*) FROM wp_options WHERE option_name = 'vietqr_secret_callback_secret'").trim(), "1");
  assert.deepEqual(wp.autoloaded("vietqr_secret_callback_secret"), [], "the callback key is autoloaded");
});

test("uninstall removes secrets but keeps payments and settings unless asked", () => {
  assert.ok(options().includes("vietqr_secret_api_password"));
  wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins(${q(PLUGIN)}); uninstall_plugin(${q(PLUGIN)});`);
  const left = options();
  assert.deepEqual(left.filter((o) => o.startsWith("vietqr_secret_")), []);
  assert.ok(left.includes("vietqr_settings"));
  assert.deepEqual(tables(), ["wp_vietqr_alerts", "wp_vietqr_ledger", "wp_vietqr_payments", "wp_vietqr_rejections"]);
  assert.ok(Number(wp.sql("SELECT COUNT(*) FROM wp_vietqr_payments").trim()) >= 1);
});

test("uninstall on a site that set WooCommerce's WC_REMOVE_ALL_DATA leaves nothing behind, the box unticked", () => {
  wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin(${q(PLUGIN)}); VietQR\\Support\\Settings::update(['remove_all_data' => false]);
    VietQR\\Payments\\Payments::create(0, 10000);`);
  assert.ok(tables().length > 0);
  wp.php(`define('WC_REMOVE_ALL_DATA', true); require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins(${q(PLUGIN)}); uninstall_plugin(${q(PLUGIN)});`);
  assert.deepEqual(options(), []);
  assert.deepEqual(tables(), []);
});

test("uninstall with 'remove all data' ticked leaves nothing behind", () => {
  wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin(${q(PLUGIN)}); VietQR\\Support\\Settings::update(['remove_all_data' => true]);
    deactivate_plugins(${q(PLUGIN)}); uninstall_plugin(${q(PLUGIN)});`);
  assert.deepEqual(options(), []);
  assert.deepEqual(tables(), []);
  assert.equal(wp.php("echo wp_next_scheduled('vietqr_every_minute') ? 'scheduled' : 'none';"), "none");
});
