// Plain HTTP to a test site as a browser without JavaScript would send it:
// one cookie jar per user, forms posted as forms, redirects not followed (a
// test asserts where they lead).

/**
 * One request to `url + path`; `cookies` (a Map) is sent and updated from
 * Set-Cookie (a cookie WordPress expires is removed).
 */
export async function request(url, path, { cookies, method, form, json, headers = {} } = {}) {
  const h = { ...headers };
  if (cookies) h.cookie = cookieHeader(cookies);
  let body;
  if (form) {
    body = new URLSearchParams(form).toString();
    h["content-type"] = "application/x-www-form-urlencoded";
  } else if (json !== undefined) {
    body = JSON.stringify(json);
    h["content-type"] = "application/json";
  }
  const r = await fetch(url + path, { method: method || (body ? "POST" : "GET"), headers: h, body, redirect: "manual" });
  if (cookies) {
    for (const c of r.headers.getSetCookie()) {
      const pair = c.split(";")[0];
      const k = pair.slice(0, pair.indexOf("="));
      const v = pair.slice(pair.indexOf("=") + 1);
      if (/expires=[^;]*1970/i.test(c) || v === "" || v === "deleted") cookies.delete(k);
      else cookies.set(k, v);
    }
  }
  return { status: r.status, text: await r.text(), headers: r.headers, location: r.headers.get("location") };
}

/** A cookie jar as a Cookie header. */
export function cookieHeader(cookies) {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Signs `user` in at wp-login.php; resolves to the session's cookie jar. */
export async function signIn(url, user, password) {
  const cookies = new Map([["wordpress_test_cookie", "WP%20Cookie%20check"]]);
  const r = await request(url, "/wp-login.php", { cookies, form: { log: user, pwd: password, testcookie: "1", "wp-submit": "Log In", redirect_to: `${url}/wp-admin/` } });
  if (r.status !== 302 || ![...cookies.keys()].some((k) => k.startsWith("wordpress_logged_in_"))) {
    throw new Error(`login of ${user} failed: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  return cookies;
}

/**
 * The path of VietQR's admin page (Admin::url): with WooCommerce, VietQR's
 * section of WooCommerce → Settings → Payments; without it, the page under
 * Settings. `tab` is one of its tabs (settings, link, terminals, health, and
 * without WooCommerce unmatched).
 */
export function vietqrAdminPath(tab = "", woocommerce = false) {
  const base = woocommerce ? "/wp-admin/admin.php?page=wc-settings&tab=checkout&section=vietqr" : "/wp-admin/options-general.php?page=vietqr";
  return tab ? `${base}&vietqr_tab=${tab}` : base;
}
