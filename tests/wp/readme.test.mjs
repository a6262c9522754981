// readme.txt and the plugin header tell the truth: the versions they claim are
// the ones `make test` runs (scripts/stacks.sh), and they agree with each other.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";

const PLUGIN = join(ROOT, "php-bridge");
const readme = readFileSync(join(PLUGIN, "readme.txt"), "utf8");
const main = readFileSync(join(PLUGIN, "vietqr-for-woocommerce.php"), "utf8");

/** "Name: value" lines of the readme's head (up to the first blank line after the title). */
const readmeHeaders = Object.fromEntries(readme.split(/\n\n/)[0].split("\n").slice(1).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
/** " * Name: value" lines of the plugin file's header comment. */
const pluginHeaders = Object.fromEntries([...main.matchAll(/^ \* ([A-Za-z][\w ]*?):\s+(.+)$/gm)].map((m) => [m[1], m[2].trim()]));

/** The stack's WordPress and WooCommerce versions, major.minor. */
function stack(name) {
  const env = Object.fromEntries(execFileSync(join(ROOT, "scripts/stacks.sh"), ["env", name], { encoding: "utf8" })
    .trim().split("\n").map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const minor = (v) => v.split(".").slice(0, 2).join(".");
  const wp = /\$wp_version = '([^']+)'/.exec(readFileSync(join(env.WORDPRESS_DIR, "wp-includes/version.php"), "utf8"))[1];
  const wc = env.WOOCOMMERCE_DIR ? /^ \* Version: (\S+)/m.exec(readFileSync(join(env.WOOCOMMERCE_DIR, "woocommerce.php"), "utf8"))[1] : null;
  return { wp: minor(wp), wc: wc && minor(wc) };
}

test("readme.txt has the headers and sections the plugin directory reads", () => {
  assert.match(readme, /^=== VietQR for WooCommerce ===\n/);
  for (const h of ["Contributors", "Tags", "Requires at least", "Tested up to", "Requires PHP", "Stable tag", "License", "License URI"]) {
    assert.ok(readmeHeaders[h], `readme.txt has no "${h}"`);
  }
  for (const s of ["Description", "Installation", "External services", "Source code", "Frequently Asked Questions", "Screenshots", "Changelog"]) {
    assert.match(readme, new RegExp(`^== ${s} ==$`, "m"), `readme.txt has no "${s}" section`);
  }
  // The short description: the first paragraph after the headers, at most 150 characters.
  const short = readme.split(/\n\n/)[1].trim();
  assert.ok(short.length > 0 && short.length <= 150 && !short.startsWith("=="), `short description (${short.length}): ${short}`);
  assert.ok(readmeHeaders.Tags.split(",").length <= 5, "at most 5 tags");
  // Screenshots: a numbered list from 1, one caption each.
  const shots = /^== Screenshots ==\n\n((?:\d+\. .+\n)+)/m.exec(readme);
  assert.ok(shots, "the Screenshots section is not a numbered list");
  assert.deepEqual(shots[1].trim().split("\n").map((l) => Number(l.split(".")[0])), shots[1].trim().split("\n").map((_, i) => i + 1));
});

test("External services names VietQR.vn's hosts and every API path the core calls", () => {
  const section = /^== External services ==\n([\s\S]*?)^== /m.exec(readme)[1];
  for (const host of ["https://api.vietqr.org/vqr", "https://dev.vietqr.org/vqr", "https://vietqr.vn"]) assert.ok(section.includes(host), host);
  // Every path the core's request builders use (src/api/*.rs: endpoint(&i.base_url, "…")) is disclosed.
  const paths = readdirSync(join(ROOT, "src/api")).filter((f) => f.endsWith(".rs"))
    .flatMap((f) => [...readFileSync(join(ROOT, "src/api", f), "utf8").matchAll(/endpoint\(&i\.base_url, "([^"]+)"\)|"(\/api\/ecommerce-transactions\/check-order|\/api\/transactions\/check-order)"/g)].map((m) => m[1] || m[2]));
  assert.ok(paths.length >= 5, JSON.stringify(paths));
  for (const path of new Set(paths)) {
    if (path === "/api/ecommerce-transactions/check-order") continue; // the same check, for ecommerce accounts
    assert.ok(section.includes(path), `External services does not name ${path}`);
  }
});

test("the plugin header: text domain = slug, languages folder, a GPL-compatible licence, no Update URI; nothing loaded from another host", () => {
  assert.equal(pluginHeaders["Text Domain"], "vietqr-for-woocommerce");
  assert.equal(pluginHeaders["Domain Path"], "/languages");
  assert.ok(existsSync(join(PLUGIN, "languages/vietqr-for-woocommerce-vi.po")));
  assert.match(pluginHeaders.License, /GPL|MIT/);
  assert.equal(pluginHeaders["Update URI"], undefined);
  // No script, style, font or image from a CDN: every asset the plugin loads is its own.
  const files = (dir) => readdirSync(dir, { recursive: true }).map((f) => join(dir, f)).filter((f) => /\.(php|js|css)$/.test(f));
  for (const file of [...files(join(PLUGIN, "src")), ...files(join(PLUGIN, "assets/js")), ...files(join(PLUGIN, "assets/css"))]) {
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /wp_(enqueue|register)_(script|style)\([^;]*['"]https?:\/\//, file);
    assert.doesNotMatch(text, /@import\s+url\(|https?:\/\/(fonts\.googleapis|cdn|unpkg|cdnjs|ajax\.googleapis)/, file);
  }
});

test("versions agree: Stable tag = Version = VIETQR_PLUGIN_VERSION = the newest changelog entry", () => {
  const version = pluginHeaders.Version;
  assert.match(version, /^\d+\.\d+\.\d+$/);
  assert.equal(readmeHeaders["Stable tag"], version);
  assert.equal(/define\('VIETQR_PLUGIN_VERSION', '([^']+)'\)/.exec(main)[1], version);
  assert.equal(/^== Changelog ==\n\n= ([^ ]+) =/m.exec(readme)[1], version);
  assert.equal(readmeHeaders["Requires PHP"], pluginHeaders["Requires PHP"]);
  assert.equal(readmeHeaders["Requires at least"], pluginHeaders["Requires at least"]);
});

test("Tested up to / Requires at least are the newest and oldest WordPress and WooCommerce that make test runs", () => {
  const newest = stack("main");
  const oldest = stack("oldest");
  assert.ok(newest.wc && oldest.wc, "a WooCommerce build is missing from the stacks");
  assert.equal(readmeHeaders["Tested up to"], newest.wp);
  assert.equal(pluginHeaders["Requires at least"], oldest.wp);
  assert.equal(pluginHeaders["WC tested up to"], newest.wc);
  assert.equal(pluginHeaders["WC requires at least"], oldest.wc);
});

test("External services names Telegram for alerts: the host, what is sent, only when turned on, its terms and privacy policy", () => {
  const section = /^== External services ==\n([\s\S]*?)^== /m.exec(readme)[1];
  const telegram = section.split("\n\n").find((p) => p.includes("**Telegram**"));
  assert.ok(telegram, "no Telegram paragraph");
  for (const part of ["https://api.telegram.org", "https://telegram.org/tos", "https://telegram.org/privacy", "only if you turn on Telegram alerts", "sendMessage", "bot token"]) {
    assert.ok(telegram.includes(part), `the Telegram paragraph does not say ${part}`);
  }
  // The code sends to that host and nowhere else by default.
  assert.match(readFileSync(join(PLUGIN, "src/Alerts/Telegram.php"), "utf8"), /API_BASE = 'https:\/\/api\.telegram\.org';/);
});
