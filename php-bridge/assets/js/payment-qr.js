// Payment QRs of the [vietqr] shortcode and the vietqr/payment-qr block
// (PaymentQr\Renderer): each QR element carries its payload, built by the
// core on the server, and is drawn here by the core (WASM). When that
// fails, the PHP core's drawing kept in the <noscript> shows instead.
import init, { call } from "../pkg/vietqr.js";

const ECL = "M"; // as PaymentQr\Renderer::ECL

const fallback = (qr) => {
  const kept = qr.querySelector("noscript");
  if (kept && kept.textContent) qr.innerHTML = kept.textContent;
  else qr.textContent = qr.dataset.failed || "";
};

const qrs = [...document.querySelectorAll(".vietqr-payment-qr__qr[data-vietqr-payload]")];
if (qrs.length > 0) {
  init()
    .then(() => {
      for (const qr of qrs) {
        const box = qr.closest(".vietqr-payment-qr");
        const r = call("qr.svg", { text: qr.dataset.vietqrPayload, ecl: ECL });
        if (r && r.ok) {
          qr.innerHTML = r.value.svg;
          box.dataset.ready = "1";
        } else {
          fallback(qr);
          box.dataset.ready = "error";
          console.error("VietQR:", r && r.error);
        }
      }
    })
    .catch((e) => {
      for (const qr of qrs) {
        fallback(qr);
        qr.closest(".vietqr-payment-qr").dataset.ready = "error";
      }
      console.error("VietQR:", e);
    });
}
