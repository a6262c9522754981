// Payment QRs of the [vietqr] shortcode and the vietqr/payment-qr block
// (PaymentQr\Renderer): each QR element carries its payload, built by the
// core on the server, and is drawn here by the core (WASM). When that
// fails, the PHP core's drawing kept in the <noscript> shows instead.
import { ready, value } from "./core.js";

const ECL = "M"; // as PaymentQr\Renderer::ECL

const fallback = (qr) => {
  const kept = qr.querySelector("noscript");
  if (kept && kept.textContent) qr.innerHTML = kept.textContent;
  else qr.textContent = qr.dataset.failed || "";
};

const qrs = [...document.querySelectorAll(".vietqr-payment-qr__qr[data-vietqr-payload]")];
if (qrs.length > 0) {
  ready()
    .then(() => {
      for (const qr of qrs) {
        const box = qr.closest(".vietqr-payment-qr");
        try {
          qr.innerHTML = value("qr.svg", { text: qr.dataset.vietqrPayload, ecl: ECL }).svg;
          box.dataset.ready = "1";
        } catch (e) {
          fallback(qr);
          box.dataset.ready = "error";
          console.error("VietQR:", e);
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
