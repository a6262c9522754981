// `make demo` as a person uses it: node demo/run.mjs starts a shop from
// nothing (plugin installed from the zip), prints its addresses, and stays
// up until Ctrl-C. Every printed address answers 200 (admin pages after
// signing in with the printed login), the printed way to pay works, and
// Ctrl-C stops it cleanly. With WOOCOMMERCE_DIR set, the store pages too.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { ROOT, freePort } from "./harness.mjs";
import { buildPluginZip, login } from "./zip.mjs";

let demo;
let out = "";
let exited = null;

before(async () => {
  buildPluginZip(); // the demo installs whatever zip is there: make it this tree's
  demo = spawn(process.execPath, [join(ROOT, "demo", "run.mjs")], { cwd: ROOT, env: { ...process.env, DEMO_DOWNLOAD: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  demo.stdout.on("data", (d) => (out += d));
  demo.stderr.on("data", (d) => (out += d));
  exited = new Promise((ok) => demo.on("exit", (code, signal) => ok({ code, signal })));
  const until = Date.now() + 180000;
  while (!out.includes("Ctrl-C to stop.")) {
    if (demo.exitCode !== null) throw new Error(`the demo stopped before it was ready:\n${out}`);
    if (Date.now() > until) throw new Error(`the demo was not ready in 180 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  if (demo && demo.exitCode === null) {
    demo.kill("SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20000))]);
  }
});

const printed = (label) => {
  const m = out.match(new RegExp(`^\\s+${label}\\s+(http\\S+)`, "m"));
  assert.ok(m, `the demo prints "${label}":\n${out}`);
  return m[1];
};

test("the demo prints the site, the payment-block page, the admin login and the simulator, all answering 200", async () => {
  assert.match(out, /plugin installed from dist\/vietqr-for-woocommerce\.zip/);
  assert.match(out, /\(admin \/ admin-password\)/);
  const woo = Boolean(process.env.WOOCOMMERCE_DIR);
  const site = printed(woo ? "Shop" : "Site");
  const payment = printed("Payment block");
  const loginUrl = printed("Admin login");
  const state = printed("Sim state");
  for (const url of [site, payment, loginUrl, state, ...(woo ? [printed("Product")] : [])]) {
    assert.equal((await fetch(url)).status, 200, url);
  }
  const html = await (await fetch(payment)).text();
  assert.match(html, /class="vietqr-payment-qr__qr"[^>]*data-vietqr-payload="000201/);
  assert.match(html, /\/wp-content\/plugins\/vietqr-for-woocommerce\/assets\/js\/payment-qr\.js/);
  if (!woo) assert.match(out, /wordpress\.org\/plugins\/woocommerce/);

  const cookie = await login(new URL(loginUrl).origin, "admin", "admin-password");
  for (const label of ["VietQR admin", "Link shop"]) {
    const res = await fetch(printed(label), { headers: { cookie }, redirect: "manual" });
    assert.equal(res.status, 200, label);
    assert.match(await res.text(), /VietQR/);
  }
});

test("the printed way to pay the payment block's QR makes VietQR call the shop, which accepts it", async () => {
  const m = out.match(/curl -s -X POST (\S+\/sim\/pay) -H 'content-type: application\/json' -d '(\{"content"[^']+)'/);
  assert.ok(m, out);
  const paid = await (await fetch(m[1], { method: "POST", headers: { "content-type": "application/json" }, body: m[2] })).json();
  assert.equal(paid.transaction.amount, 50000);
  const deliveries = await (await fetch(m[1].replace(/\/pay$/, "/deliveries?wait=true&timeout_ms=10000"))).json();
  const mine = deliveries.find((d) => paid.deliveries.includes(d.id));
  assert.equal(mine.status, "succeeded", JSON.stringify(mine));
});

test("Ctrl-C stops the demo and everything it started", async () => {
  demo.kill("SIGINT");
  const { code } = await Promise.race([exited, new Promise((_, no) => setTimeout(() => no(new Error("still running 20 s after Ctrl-C")), 20000))]);
  assert.equal(code, 0);
  const site = printed(process.env.WOOCOMMERCE_DIR ? "Shop" : "Site");
  await assert.rejects(fetch(site), "the site is down");
});

test("DEMO_EXIT_AFTER_READY=1 prints the addresses and stops by itself; WooCommerce that cannot be downloaded is said and skipped", async () => {
  // Nothing listens on a just-freed port: the download fails at once, as offline.
  const port = await freePort();
  const cache = mkdtempSync(join(tmpdir(), "vietqr-demo-cache-"));
  const env = { ...process.env, WOOCOMMERCE_DIR: "", DEMO_EXIT_AFTER_READY: "1", XDG_CACHE_HOME: cache, DEMO_WOOCOMMERCE_URL: `http://127.0.0.1:${port}/woocommerce.zip` };
  const run = spawn(process.execPath, [join(ROOT, "demo", "run.mjs")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  run.stdout.on("data", (d) => (text += d));
  run.stderr.on("data", (d) => (text += d));
  const code = await new Promise((ok) => run.on("exit", ok));
  rmSync(cache, { recursive: true, force: true });
  assert.equal(code, 0, text);
  assert.match(text, /downloading WooCommerce 10\.0\.2 from http:\/\/127\.0\.0\.1:\d+\/woocommerce\.zip/);
  assert.match(text, /not downloaded \(ECONNREFUSED\): the demo runs without WooCommerce/);
  assert.match(text, /Payment block\s+http/);
});
