// The buyer's VietQR payment box (Checkout\BuyerPage): draws the QR with
// the core (WASM), offers copy buttons, counts down to the QR's expiry and
// polls the payment's status until it is paid or expired — no reload.
import { qrSvg } from "./core.js";

const POLL_MS = 3000;
const FINAL = ["paid", "overpaid", "expired", "refunded"];
const vnd = new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND", maximumFractionDigits: 0 });
const fmt = (template, ...args) => args.reduce((s, a, i) => s.replace(`%${i + 1}$s`, a).replace("%s", a), template);

async function copy(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

function mount(box) {
  const data = JSON.parse(box.dataset.vietqr);
  const t = data.i18n;
  const el = (sel) => box.querySelector(sel);
  const statusEl = el(".vietqr-pay__status");
  const dueEl = el(".vietqr-pay__due");
  const qrEl = el(".vietqr-pay__qr");
  const countdownEl = el('[data-field="countdown"]');
  let state = data.payment;
  let skew = state.now * 1000 - Date.now(); // server clock minus ours
  let timer = null;
  let tick = null;

  for (const button of box.querySelectorAll("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await copy(button.dataset.copy);
        button.textContent = t.copied;
        setTimeout(() => (button.textContent = t.copy), 1500);
      } catch {
        // Copying is a convenience; the text stays selectable.
      }
    });
  }

  function render() {
    box.dataset.status = state.status;
    const done = FINAL.includes(state.status);
    if (state.paid) statusEl.textContent = t.paid;
    else if (state.status === "expired") statusEl.textContent = t.expired;
    else if (state.status === "refunded") statusEl.textContent = t.refunded;
    else statusEl.textContent = t.waiting;
    if (state.status === "partial") {
      dueEl.textContent = fmt(t.partial, vnd.format(state.received), vnd.format(state.due));
      dueEl.hidden = false;
    } else {
      dueEl.hidden = true;
    }
    if (done) {
      qrEl.hidden = true;
      countdownEl.parentElement.hidden = true;
      box.classList.add("vietqr-pay--done");
    }
  }

  function countdown() {
    const left = Math.max(0, Math.floor((state.expires_at * 1000 - (Date.now() + skew)) / 1000));
    const mm = String(Math.floor(left / 60)).padStart(2, "0");
    const ss = String(left % 60).padStart(2, "0");
    countdownEl.textContent = fmt(t.expiresIn, `${mm}:${ss}`);
  }

  async function poll() {
    try {
      const r = await fetch(data.statusUrl, { cache: "no-store", credentials: "same-origin", headers: { accept: "application/json" } });
      if (r.ok) {
        state = await r.json();
        skew = state.now * 1000 - Date.now();
        render();
      }
    } catch {
      // Offline for a moment: try again at the next tick.
    }
    if (FINAL.includes(state.status)) {
      clearInterval(tick);
      return;
    }
    timer = setTimeout(poll, POLL_MS);
  }

  render();
  if (!FINAL.includes(state.status)) {
    countdown();
    tick = setInterval(countdown, 1000);
    timer = setTimeout(poll, POLL_MS);
  }

  (FINAL.includes(state.status) ? Promise.resolve(null) : qrSvg(state.payload))
    .then((svg) => {
      if (svg !== null) {
        qrEl.innerHTML = svg;
        // For bench/page.mjs (and any RUM tool): when the QR is on the page.
        if (window.performance && performance.mark) performance.mark("vietqr:qr-drawn");
      }
      box.dataset.ready = "1";
    })
    .catch((e) => {
      qrEl.textContent = t.qrFailed;
      box.dataset.ready = "error";
      console.error("VietQR:", e);
    });
  return () => {
    clearTimeout(timer);
    clearInterval(tick);
  };
}

for (const box of document.querySelectorAll(".vietqr-pay[data-vietqr]")) {
  if (!box.dataset.mounted) {
    box.dataset.mounted = "1";
    mount(box);
  }
}
