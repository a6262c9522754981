// JSON text vs serde-wasm-bindgen across the JS boundary: `call` of two
// builds of the core, timed in one Node process, interleaved. Usage:
//   node bench/boundary.mjs [dirA=pkg] [dirB=target/wasm-swb]
// (BENCHMARKS.md, "Across the JS boundary", says how dirB was built.)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dirs = [process.argv[2] ?? "pkg", process.argv[3] ?? "target/wasm-swb"];
const builds = [];
for (const dir of dirs) {
  const mod = await import(pathToFileURL(resolve(dir, "vietqr.js")));
  const wasm = readFileSync(resolve(dir, "vietqr_bg.wasm"));
  await mod.default({ module_or_path: wasm });
  builds.push({ dir, call: mod.call, bytes: wasm.length });
}

const INPUTS = {
  "payload.build": { bank: "VCB", account: "1023456789", amount: 1250000, purpose: "DH10234 Thanh toan", bill_number: "INV2025112201" },
  "qr.svg": { text: "00020101021238570010A000000727012700069704360113102345678902080208QRIBFTTA530370454071250000" },
};

/** Median microseconds per call over 7 rounds of n calls. */
function time(fn, n) {
  for (let i = 0; i < n; i++) fn();
  const per = [];
  for (let r = 0; r < 7; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    per.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  return per.sort((a, b) => a - b)[3];
}

for (const [op, input] of Object.entries(INPUTS)) {
  const [a, b] = builds.map((x) => JSON.stringify(x.call(op, input)));
  if (a !== b) throw new Error(`${op}: the builds disagree`);
  const n = op === "qr.svg" ? 300 : 20000;
  for (const x of builds) console.log(`${op.padEnd(14)} ${x.dir.padEnd(18)} ${time(() => x.call(op, input), n).toFixed(2).padStart(8)} µs`);
}
for (const x of builds) console.log(`${x.dir.padEnd(33)} ${x.bytes} bytes of .wasm`);
