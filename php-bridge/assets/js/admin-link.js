// VietQR "Link shop" tab: draws the certificate as a QR with the core (in the
// browser), listens on VietQR's WebSocket for N22 (the owner picked a bank
// account in the VietQR app) and tells the shop, which stores it.
// Gets only the clientId and certificate: no secret ever reaches the page.
import { qrSvg, value } from "./core.js";

const dataEl = document.getElementById("vietqr-link-data");
const qrBox = document.getElementById("vietqr-link-qr");
const linkedEl = document.getElementById("vietqr-linked");

function show(el, text, cls) {
  if (!el) return;
  el.textContent = text;
  if (cls) el.className = cls;
}

async function saveLinked(data, n22) {
  const r = await fetch(data.restUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-WP-Nonce": data.nonce },
    body: JSON.stringify({
      bank_account: n22.bank_account || "",
      bank_code: n22.bank_code || "",
      user_bank_name: n22.user_bank_name || "",
    }),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.message || `HTTP ${r.status}`);
  return body;
}

function listen(data) {
  let delay = 1000;
  const open = () => {
    let ws;
    try {
      ws = new WebSocket(data.wsUrl);
    } catch (e) {
      return;
    }
    ws.addEventListener("open", () => {
      delay = 1000;
    });
    ws.addEventListener("message", async (ev) => {
      if (typeof ev.data !== "string") return;
      let message;
      try {
        message = value("ws.parse", { message: ev.data });
      } catch {
        return; // not a message the core reads
      }
      if (message.type !== "N22") return; // other kinds are not for this page
      try {
        const saved = await saveLinked(data, message);
        show(linkedEl, saved.text, "vietqr-linked is-linked");
      } catch (e) {
        show(linkedEl, `${data.i18n.saveFailed} ${e.message}`, "vietqr-linked is-error");
      }
    });
    ws.addEventListener("close", () => {
      // VietQR defines no ping; reconnect, slower each time, up to a minute.
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 60000);
    });
  };
  open();
}

async function main() {
  if (!dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  try {
    qrBox.innerHTML = await qrSvg(data.certificate); // the core's own SVG markup
  } catch (e) {
    show(qrBox, `${data.i18n.qrFailed} ${e.message}`, "vietqr-link-qr is-error");
    return;
  }
  if (data.clientId) listen(data);
}

main();
