// Loads pkg/ (wasm-pack --target web) into Node synchronously.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const core = await import(new URL("pkg/vietqr.js", `file://${root}`).href);
core.initSync({ module: readFileSync(`${root}pkg/vietqr_bg.wasm`) });

export const { call, callJson, qrSvg, buildPayload } = core;
export { root };
