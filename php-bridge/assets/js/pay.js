// The buyer's VietQR payment box (Checkout\BuyerPage): draws the QR with
// the core (WASM), offers copy buttons, counts down to the QR's expiry and
// polls the payment's status until it is paid or expired — no reload.
import { qrSvg } from "./core.js";
import { mountBankApps } from "./bank-apps.js";

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

/**
 * The drawn QR as a PNG file: the core's SVG painted on a canvas, with a
 * white quiet zone, large enough for a bank app to read from the gallery.
 */
async function qrPng(svgEl, name) {
  const SIZE = 720;
  const MARGIN = 48;
  const img = new Image();
  img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svgEl));
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIZE + 2 * MARGIN;
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(img, MARGIN, MARGIN, SIZE, SIZE);
  const blob = await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG"))), "image/png"));
  return new File([blob], name, { type: "image/png" });
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
  let drawn = null; // the payload the QR on the page shows
  const amountEl = el('[data-field="amount"]');
  const amountCopy = amountEl?.parentElement.querySelector("[data-copy]");
  const apps = mountBankApps(el(".vietqr-pay__apps"));

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
      // What to transfer now is what is still due; the QR asks for it too (redraw()).
      if (amountEl) amountEl.textContent = vnd.format(state.due).replace(/\s/g, " ");
      if (amountCopy) amountCopy.dataset.copy = String(state.due);
      apps.amount(state.due);
    } else {
      dueEl.hidden = true;
    }
    if (done) {
      qrEl.hidden = true;
      countdownEl.parentElement.hidden = true;
      apps.hide();
      box.classList.add("vietqr-pay--done");
    }
  }

  const renewEl = el(".vietqr-pay__renew");
  function countdown() {
    const left = Math.max(0, Math.floor((state.expires_at * 1000 - (Date.now() + skew)) / 1000));
    // Run out while the order still waits: the payment link gives a fresh QR (for what is due).
    if (renewEl) renewEl.hidden = left > 0 || FINAL.includes(state.status);
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
        redraw();
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

  // Save (or share, where the browser can share files) the QR as a picture:
  // a bank app on the same phone reads it from the gallery.
  const saveEl = el(".vietqr-pay__save");
  const shareEl = el(".vietqr-pay__share");
  const fileName = `vietqr-${data.key.slice(0, 8)}.png`;
  saveEl?.addEventListener("click", async () => {
    const file = await qrPng(qrEl.querySelector("svg"), fileName);
    const url = URL.createObjectURL(file);
    const a = document.createElement("a");
    a.href = url;
    a.download = file.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  shareEl?.addEventListener("click", async () => {
    try {
      await navigator.share({ files: [await qrPng(qrEl.querySelector("svg"), fileName)], title: t.shareTitle });
    } catch {
      // Dismissed by the buyer, or refused: saving still works.
    }
  });

  // A payload that changed (after a partial payment, the QR for what is still due) is drawn again.
  function redraw() {
    if (drawn === null || FINAL.includes(state.status) || state.payload === drawn) return;
    const payload = state.payload;
    qrSvg(payload)
      .then((svg) => {
        qrEl.innerHTML = svg;
        qrEl.dataset.payload = payload;
        drawn = payload;
      })
      .catch(() => {
        // The QR shown stays; the details below still say what to transfer.
      });
  }

  render();
  if (!FINAL.includes(state.status)) {
    countdown();
    tick = setInterval(countdown, 1000);
    timer = setTimeout(poll, POLL_MS);
  }

  const first = state.payload;
  (FINAL.includes(state.status) ? Promise.resolve(null) : qrSvg(first))
    .then((svg) => {
      if (svg !== null) {
        qrEl.innerHTML = svg;
        qrEl.dataset.payload = first;
        drawn = first;
        redraw(); // a poll may have brought another payload meanwhile
        const tools = el(".vietqr-pay__tools");
        if (tools) {
          tools.hidden = false;
          const probe = new File([""], fileName, { type: "image/png" });
          if (shareEl && navigator.canShare && navigator.canShare({ files: [probe] })) shareEl.hidden = false;
        }
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
