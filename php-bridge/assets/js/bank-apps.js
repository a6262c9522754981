// "Open in bank app" in the buyer's payment box (Checkout\BankApps renders
// the links, which the core made): the list is open on a phone, the app the
// buyer chose last time comes first (remembered in this browser only), and
// after a partial payment every link asks for what is still due.

const KEY = "vietqr:bank-app";
const phone = () => window.matchMedia("(max-width: 600px), (pointer: coarse)").matches;

function remembered() {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null; // storage off (private mode): the shop's order stays
  }
}

function remember(appId) {
  try {
    window.localStorage.setItem(KEY, appId);
  } catch {
    // Nothing to remember in: next time the list is in the shop's order.
  }
}

/** Mounts the list in `details` (absent: a no-op object). */
export function mountBankApps(details) {
  if (!details) return { amount() {}, hide() {} };
  const list = details.querySelector(".vietqr-pay__apps-list");
  const last = remembered();
  const mine = last && list.querySelector(`li[data-app="${CSS.escape(last)}"]`);
  if (mine) {
    list.prepend(mine);
    mine.classList.add("vietqr-pay__app--last");
  }
  if (phone()) details.open = true;
  list.addEventListener("click", (e) => {
    const a = e.target.closest("a[data-app]");
    if (a) remember(a.dataset.app);
  });
  return {
    /** Every link asks for `due` đồng (the `am` parameter; the rest of the link stays as the core made it). */
    amount(due) {
      for (const a of list.querySelectorAll("a[data-app]")) {
        a.setAttribute("href", a.getAttribute("href").replace(/([?&]am=)\d+/, `$1${Number(due)}`));
      }
    },
    hide() {
      details.hidden = true;
    },
  };
}
