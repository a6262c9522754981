// The one place the plugin's pages load the core (assets/pkg/, the page
// build) and draw QR codes with it; pay.js, payment-qr.js and admin-link.js
// import it. Loaded once per page, on first use.
import init, { call } from "../pkg/vietqr.js";

let loading = null;

/** Loads the core's WASM once; later calls wait for the same load. */
export const ready = () => (loading ||= init().then(() => undefined));

/** The value of a core op, or an Error carrying the core's code and message. */
export function value(op, input) {
  const r = call(op, input);
  if (!r || !r.ok) throw new Error(r && r.error ? `${r.error.code}: ${r.error.message}` : `${op} failed`);
  return r.value;
}

/** The core's SVG markup for `text` (error correction M, as the PHP core draws). */
export async function qrSvg(text, ecl = "M") {
  await ready();
  return value("qr.svg", { text, ecl }).svg;
}
