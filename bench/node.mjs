// `make bench`: the core (WASM in pkg/) against the npm peers, in one Node
// process, on the same inputs. Prints per-call times, their ratio, and the
// size of the .wasm the browser downloads. Not a test: nothing here fails.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { call, qrSvg, buildPayload, root } from "../tests/node/load-core.mjs";

const require = createRequire(`${root}tests/node/package.json`);
const QRCode = require("qrcode");
const svgTag = require("qrcode/lib/renderer/svg-tag");
const { QRPay } = require("vietnam-qr-pay");

// A 123-character dynamic VietQR payload: what a checkout page draws.
const PAYLOAD = call("payload.build", {
  bank: "VCB", account: "1023456789", amount: 1250000, purpose: "DH10234 Thanh toan", bill_number: "INV2025112201",
}).value.payload;

/** Median microseconds per call of `fn` over `rounds` rounds of `n` calls. */
function time(fn, n, rounds = 7) {
  for (let i = 0; i < n; i++) fn(i); // warm up the JIT and the WASM tiers
  const per = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  per.sort((a, b) => a - b);
  return per[rounds >> 1];
}

function row(name, oursName, ours, peerName, peer) {
  const ratio = peer / ours;
  console.log(
    `${name.padEnd(16)} ${oursName.padEnd(34)} ${ours.toFixed(2).padStart(8)} µs   ${peerName.padEnd(34)} ${peer.toFixed(2).padStart(8)} µs   ${ratio.toFixed(2)}× ${ratio >= 1 ? "faster" : "slower"}`,
  );
  return ratio;
}

// Same output on both sides before timing anything.
const ours = call("qr.svg", { text: PAYLOAD, ecl: "M", module_px: 4 });
if (!ours.ok) throw new Error(JSON.stringify(ours));
const peerQr = QRCode.create(PAYLOAD, { errorCorrectionLevel: "M" });
const oursW = (ours.value.svg.match(/viewBox="0 0 (\d+)/) || [])[1];
if (Number(oursW) !== peerQr.modules.size + 8) throw new Error(`QR sizes differ: ${oursW} vs ${peerQr.modules.size + 8}`);
const peerPayload = QRPay.initVietQR({ bankBin: "970436", bankNumber: "1023456789", amount: "1250000", purpose: "DH10234 Thanh toan" }).build();
const oursPayload = call("payload.build", { bank: "970436", account: "1023456789", amount: 1250000, purpose: "DH10234 Thanh toan" }).value.payload;
if (peerPayload !== oursPayload) throw new Error(`payloads differ:\n${peerPayload}\n${oursPayload}`);

console.log(`node ${process.version}; payload of ${PAYLOAD.length} characters, QR version ${peerQr.version}, ECL M`);
console.log("");
const r1 = row("qr.svg", "core call('qr.svg')", time(() => call("qr.svg", { text: PAYLOAD, ecl: "M" }), 300),
  "qrcode create + svg-tag render", time(() => svgTag.render(QRCode.create(PAYLOAD, { errorCorrectionLevel: "M" }), {}), 300));
row("qr.svg (typed)", "core qrSvg()", time(() => qrSvg(PAYLOAD), 300),
  "qrcode toString({type:'svg'})", time(() => { QRCode.toString(PAYLOAD, { type: "svg", errorCorrectionLevel: "M" }, () => {}); }, 300));
const r2 = row("payload.build", "core call('payload.build')",
  time((i) => call("payload.build", { bank: "970436", account: "1023456789", amount: 1250000 + i, purpose: "DH10234 Thanh toan" }), 20000),
  "vietnam-qr-pay initVietQR().build()",
  time((i) => QRPay.initVietQR({ bankBin: "970436", bankNumber: "1023456789", amount: String(1250000 + i), purpose: "DH10234 Thanh toan" }).build(), 20000));
const r3 = row("payload (typed)", "core buildPayload()",
  time((i) => buildPayload("970436", "1023456789", 1250000 + i, "DH10234 Thanh toan"), 20000),
  "vietnam-qr-pay initVietQR().build()",
  time((i) => QRPay.initVietQR({ bankBin: "970436", bankNumber: "1023456789", amount: String(1250000 + i), purpose: "DH10234 Thanh toan" }).build(), 20000));
row("payload.parse", "core call('payload.parse')", time(() => call("payload.parse", { payload: PAYLOAD }), 20000),
  "vietnam-qr-pay new QRPay(payload)", time(() => new QRPay(PAYLOAD), 20000));

const wasm = readFileSync(`${root}pkg/vietqr_bg.wasm`);
const js = readFileSync(`${root}pkg/vietqr.js`);
console.log("");
console.log(`pkg/vietqr_bg.wasm  ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzipped (goal ≤ 150000 raw, ≤ 60000 gzipped)`);
console.log(`pkg/vietqr.js       ${js.length} bytes raw, ${gzipSync(js, { level: 9 }).length} bytes gzipped`);
console.log(`goals: qr.svg ≥ 3× faster than qrcode: ${r1 >= 3 ? "met" : "NOT met"} (${r1.toFixed(2)}×); payload.build no slower than vietnam-qr-pay: through call() ${r2 >= 1 ? "met" : "NOT met"} (${r2.toFixed(2)}×), typed ${r3 >= 1 ? "met" : "NOT met"} (${r3.toFixed(2)}×)`);
