// `make bench-page`: what the buyer's page costs for its QR, in Debian's
// Chromium on this machine. Not a test: nothing here fails.
//
// Page: WooCommerce's order-received page of a VietQR order (needs
// WOOCOMMERCE_DIR); without WooCommerce, a page with the plugin's
// vietqr/payment-qr block (said so in the output).
//
// Two ways to put the same QR on the same page, each loaded N times (default
// 21), each load in a fresh browser context (empty cache: a buyer's first
// visit):
//   core   — the plugin as shipped: pay.js (or payment-qr.js) loads the core
//            (vietqr.js + vietqr_bg.wasm) and draws the SVG; the page marks
//            `performance.mark('vietqr:qr-drawn')` when the QR is in.
//   <img>  — the plugin's script replaced by a few lines that add
//            <img src="…/qr.png?data=PAYLOAD"> from a QR image service; the
//            stand-in service is a Node HTTP server on 127.0.0.1 rendering the
//            PNG with the core's qr.png (no network latency, so a lower bound
//            for a real remote service, which adds DNS, TLS and round trips).
// Measured: DOMContentLoaded → QR drawn (the mark; for <img>, its load event),
// and the bytes loaded for the QR. php -S (the test server) does not
// compress: transfer sizes are raw; gzip sizes are the same files through
// Node's zlib (level 6, what most servers use) — said so in the output.

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync } from "node:zlib";
import { join } from "node:path";
import { ROOT } from "../tests/wp/harness.mjs";
import { startShop, stopShop } from "../tests/wp/shop.mjs";
import { launchChromium, keepLocal, DESKTOP } from "../tests/wp/browser.mjs";
import { call } from "../tests/node/load-core.mjs";

const LOADS = Number(process.env.LOADS || 21);
const GOAL_MS = 100;
const GOAL_GZIP = 80 * 1024;
const woocommerce = Boolean(process.env.WOOCOMMERCE_DIR);

// --- the QR image service stand-in -------------------------------------------

function startImageService() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const data = url.searchParams.get("data");
    const r = data ? call("qr.png", { text: data, ecl: "M", module_px: 6 }) : null;
    if (!r || !r.ok) {
      res.writeHead(400).end();
      return;
    }
    const png = Buffer.from(r.value.png_base64, "base64");
    res.writeHead(200, { "content-type": "image/png", "content-length": png.length, "cache-control": "no-store", "access-control-allow-origin": "*", "timing-allow-origin": "*" });
    res.end(png);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

// What replaces the plugin's script in the <img> runs: the same payload, drawn by the service.
const imgScript = (service, page) => page === "order"
  ? `const box = document.querySelector(".vietqr-pay");
const payload = JSON.parse(box.dataset.vietqr).payment.payload;
const qr = box.querySelector(".vietqr-pay__qr");`
  + imgTail(service)
  : `const qr = document.querySelector(".vietqr-payment-qr__qr[data-vietqr-payload]");
const payload = qr.dataset.vietqrPayload;`
  + imgTail(service);
const imgTail = (service) => `
const img = new Image();
img.alt = "";
img.width = 280;
img.onload = () => performance.mark("vietqr:qr-drawn");
img.src = ${JSON.stringify(`${service}/qr.png?data=`)} + encodeURIComponent(payload);
qr.replaceChildren(img);
`;

// payment-qr.js sets no mark of its own: note when its QR is in (data-ready="1").
const MARK_BLOCK_READY = () => {
  new MutationObserver((_, obs) => {
    if (document.querySelector('.vietqr-payment-qr[data-ready="1"] svg')) {
      performance.mark("vietqr:qr-drawn");
      obs.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
};

// --- the page ----------------------------------------------------------------

async function preparePage(shop) {
  if (woocommerce) {
    const woo = await import("../tests/wp/woo.mjs");
    woo.shimWooCommerceBuild(shop.wp);
    const ids = woo.setupStore(shop.wp);
    const placed = await woo.storeApiOrder({ wp: shop.wp, ids });
    const cookies = placed.cookie.split("; ").filter(Boolean).map((c) => {
      const i = c.indexOf("=");
      return { name: c.slice(0, i), value: c.slice(i + 1), url: shop.wp.url };
    });
    return { kind: "order", label: "WooCommerce order-received page", url: placed.payment_result.redirect_url, cookies,
      script: /\/assets\/js\/pay\.js/, ready: '.vietqr-pay[data-ready="1"] .vietqr-pay__qr svg' };
  }
  const exists = shop.wp.php("echo class_exists('VietQR\\\\PaymentQr\\\\PaymentQr') ? 'yes' : 'no';").trim() === "yes";
  if (!exists) throw new Error("WOOCOMMERCE_DIR is not set and the plugin has no payment block (php-bridge/src/PaymentQr): nothing to measure");
  const id = shop.wp.php(`echo wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Ủng hộ',
    'post_content' => '<!-- wp:vietqr/payment-qr {"amount":"25000","content":"Ung ho DH1"} /-->']);`).trim();
  return { kind: "block", label: "page with the vietqr/payment-qr block (WOOCOMMERCE_DIR not set: no order-received page)",
    url: `${shop.wp.url}/?page_id=${id}`, cookies: [], script: /\/assets\/js\/payment-qr\.js/,
    ready: '.vietqr-payment-qr[data-ready="1"] svg', observe: true };
}

/** One cold load: {ms: DOMContentLoaded → QR drawn, fromStart, resources}. */
async function load(browser, target, variant, service) {
  const context = await browser.newContext(DESKTOP);
  await keepLocal(context);
  if (target.cookies.length) await context.addCookies(target.cookies);
  if (variant === "img") {
    await context.route(target.script, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: imgScript(service, target.kind) }));
  } else if (target.observe) {
    await context.addInitScript(MARK_BLOCK_READY);
  }
  const page = await context.newPage();
  try {
    await page.goto(target.url, { waitUntil: "domcontentloaded" });
    await page.waitForFunction(() => performance.getEntriesByName("vietqr:qr-drawn").length > 0, null, { timeout: 20000 });
    if (variant === "core") await page.waitForSelector(target.ready, { state: "attached" });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const drawn = performance.getEntriesByName("vietqr:qr-drawn")[0].startTime;
      return {
        ms: drawn - nav.domContentLoadedEventStart,
        fromStart: drawn,
        dcl: nav.domContentLoadedEventStart,
        resources: performance.getEntriesByType("resource").map((r) => ({ url: r.name, transfer: r.transferSize, body: r.encodedBodySize, end: r.responseEnd })),
      };
    });
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// --- main ----------------------------------------------------------------------

const shop = await startShop({ woocommerce });
const service = await startImageService();
const browser = await launchChromium();
try {
  const target = await preparePage(shop);
  const runs = { core: [], img: [] };
  for (const variant of ["core", "img"]) await load(browser, target, variant, service.url); // warm the server (opcache, PHP workers)
  for (let i = 0; i < LOADS; i++) {
    for (const variant of ["core", "img"]) runs[variant].push(await load(browser, target, variant, service.url)); // interleaved
  }

  // Bytes for the QR: the plugin's script and the core (core); the service's PNG (img).
  const forQr = {
    core: (r) => /\/assets\/js\/(pay|payment-qr|core)\.js|\/assets\/pkg\/vietqr(\.js|_bg\.wasm)/.test(r.url),
    img: (r) => r.url.startsWith(service.url),
  };
  const files = {};
  for (const r of runs.core[0].resources.filter(forQr.core)) {
    const path = join(ROOT, "php-bridge", new URL(r.url).pathname.replace(/^.*\/vietqr-for-woocommerce\//, ""));
    const raw = readFileSync(path);
    files[path.slice(ROOT.length + 1)] = { transfer: r.transfer, raw: raw.length, gzip: gzipSync(raw, { level: 6 }).length, br: brotliCompressSync(raw).length };
  }
  const png = runs.img[0].resources.filter(forQr.img);
  const pngBytes = png.reduce((n, r) => n + r.body, 0);
  const pngTransfer = png.reduce((n, r) => n + r.transfer, 0);
  const sum = (k) => Object.values(files).reduce((n, f) => n + f[k], 0);

  const ms = { core: runs.core.map((r) => r.ms), img: runs.img.map((r) => r.ms) };
  const start = { core: runs.core.map((r) => r.fromStart), img: runs.img.map((r) => r.fromStart) };
  const f = (x) => `${x.toFixed(1)} ms`;
  const col = (a, b, c) => `| ${a} | ${b} | ${c} |`;
  const lines = [
    `${target.label}; Chromium ${browser.version()} (Debian, headless), desktop 1280×900 ×2; WordPress served by php -S; ${LOADS} cold loads each (fresh context, empty cache), interleaved; median (p90, min).`,
    "",
    col("", `core in the browser (${target.kind === "order" ? "pay.js" : "payment-qr.js"} + core.js + vietqr.js + WASM)`, "`<img>` from a QR image service stand-in (127.0.0.1)"),
    "|---|---:|---:|",
    col("DOMContentLoaded → QR drawn", `**${f(median(ms.core))}** (${f(pct(ms.core, 90))}, ${f(Math.min(...ms.core))})`, `**${f(median(ms.img))}** (${f(pct(ms.img, 90))}, ${f(Math.min(...ms.img))})`),
    col("navigation start → QR drawn", `${f(median(start.core))}`, `${f(median(start.img))}`),
    col("of which: last byte of the WASM / of the PNG, after DOMContentLoaded", f(median(runs.core.map((r) => Math.max(...r.resources.filter((x) => /\.wasm/.test(x.url)).map((x) => x.end)) - r.dcl))),
      f(median(runs.img.map((r) => Math.max(...r.resources.filter(forQr.img).map((x) => x.end)) - r.dcl)))),
    col("bytes for the QR, as sent by php -S (no compression)", `${sum("transfer").toLocaleString("en")} B`, `${pngTransfer.toLocaleString("en")} B (PNG ${pngBytes.toLocaleString("en")} B)`),
    col("same files gzipped (zlib level 6, measured in Node)", `**${kb(sum("gzip"))}** (${sum("gzip").toLocaleString("en")} B)`, `PNG: already compressed`),
    col("same files brotli (zlib, quality 11)", `${kb(sum("br"))}`, ""),
    "",
    "Files loaded for the QR (core): " + Object.entries(files).map(([p, v]) => `\`${p}\` ${v.raw.toLocaleString("en")} B raw / ${v.gzip.toLocaleString("en")} B gzip`).join("; ") + ".",
    "",
    `Goal (issue): < ${GOAL_MS} ms DOMContentLoaded → QR drawn: ${median(ms.core) < GOAL_MS ? "**met**" : "**not met**"} (median ${f(median(ms.core))}); ` +
      `< 80 KB gzipped: ${sum("gzip") < GOAL_GZIP ? "**met**" : "**not met**"} (${kb(sum("gzip"))}).`,
  ];
  console.log(lines.join("\n"));
} finally {
  await browser.close();
  service.server.close();
  await stopShop(shop);
}
