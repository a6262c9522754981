// The security review's checks (SECURITY.md), on a real WordPress + MariaDB
// with the simulator as VietQR, over real HTTP and in Chromium:
//   - every admin action (admin-post, admin-ajax, REST admin routes),
//     enumerated from the code and from the hooks WordPress holds, refuses
//     without a valid nonce and refuses a logged-in subscriber even with
//     the subscriber's own nonce; the admin with a nonce gets through, and
//     with WooCommerce the shop manager too (VietQR's settings need
//     manage_woocommerce there, manage_options without WooCommerce);
//   - a change of where secrets are sent (environment, base URL) needs the
//     API password and refund key typed again: a shop manager cannot send the
//     stored ones to a server of their own;
//   - every REST route in vietqr/v1 has a permission callback, and exactly
//     the self-authenticating ones are public;
//   - script payloads in every plain setting, terminal, link, health, alert
//     and ledger field come out escaped on every admin tab (and the buyer page
//     when WOOCOMMERCE_DIR is set) and never run;
//   - secrets (unique markers) never appear in a page, a REST answer, the
//     debug log, the plugin's options or tables, or an error message;
//   - the base URL cannot point into the shop's network (SSRF), redirects
//     are not followed, and saving such a URL says why;
//   - static scans: secrets compared only with hash_equals (PHP) or
//     secure_eq (Rust core), every echo escaped.
// No WooCommerce needed; its parts run with WOOCOMMERCE_DIR and skip loudly
// without it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { join, relative, basename } from "node:path";
import { tmpdir } from "node:os";
import { execFileSync, execFile } from "node:child_process";
import { createServer } from "node:http";
import { ROOT } from "./harness.mjs";
import { startShop, stopShop, configure, phpJson, q } from "./shop.mjs";
import { SIM_ACCOUNT, CALLBACK } from "./sim.mjs";
import { requireWooCommerce } from "./woo.mjs";
import { launchChromium, openPage, logIn } from "./browser.mjs";
import { request, signIn, vietqrAdminPath } from "./http.mjs";

const WC = Boolean(process.env.WOOCOMMERCE_DIR);
const PLUGIN_DIR = join(ROOT, "php-bridge");

let shop;
let wp;
let sim;
let admin; // cookie jars
let subscriber;
let manager; // a shop manager's cookie jar (WooCommerce only)
let orderId = 0; // a WooCommerce order with a VietQR payment (WC only)

// ---------------------------------------------------------------- helpers

function phpFiles(dir = PLUGIN_DIR) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "core" || name === "node_modules" || name === "languages" || name === "assets") continue;
    if (statSync(p).isDirectory()) out.push(...phpFiles(p));
    else if (name.endsWith(".php")) out.push(p);
  }
  return out;
}

/** One HTTP request to the site; `cookies` (a Map) is sent and updated from Set-Cookie. */
const http = (path, options) => request(wp.url, path, options);
const login = (user, password) => signIn(wp.url, user, password);

/** Nonces as WordPress makes them for the user (and session) of `cookies`. */
function nonces(cookies, actions) {
  const loggedIn = [...cookies].find(([k]) => k.startsWith("wordpress_logged_in_"));
  return phpJson(wp, `
    $_COOKIE[LOGGED_IN_COOKIE] = ${q(decodeURIComponent(loggedIn[1]))};
    $c = wp_parse_auth_cookie('', 'logged_in');
    wp_set_current_user(get_user_by('login', $c['username'])->ID);
    $out = [];
    foreach (json_decode(${q(JSON.stringify(actions))}, true) as $a) { $out[$a] = wp_create_nonce($a); }
    echo json_encode($out);`);
}

/** Everything a refused admin action must leave as it was. */
function state() {
  return wp.sql(`SELECT option_name, MD5(option_value) FROM wp_options WHERE option_name LIKE 'vietqr%' ORDER BY option_name;
    SELECT COUNT(*), COALESCE(SUM(received), 0), COALESCE(MAX(updated_at), 0) FROM wp_vietqr_payments;
    SELECT COUNT(*) FROM wp_vietqr_ledger;`);
}

async function settle() {
  await sim.get("/sim/deliveries?wait=true&timeout_ms=5000");
}

/** PHP run as wp-admin would (is_admin() true), for hooks registered only there. */
function adminPhp(code) {
  const host = new URL(wp.url).host;
  return execFileSync("php", ["-d", "sendmail_path=/bin/true", "-r",
    `define('WP_ADMIN', true); $_SERVER['HTTP_HOST'] = '${host}'; $_SERVER['REQUEST_URI'] = '/wp-admin/admin-post.php'; require '${wp.site}/wp-load.php'; ${code}`], { encoding: "utf8" });
}

/** wp.php without blocking this process (its HTTP servers must answer meanwhile); resolves to the echoed JSON. */
function phpJsonAsync(code) {
  const host = new URL(wp.url).host;
  return new Promise((ok, fail) => execFile("php", ["-d", "sendmail_path=/bin/true", "-r", `$_SERVER['HTTP_HOST'] = '${host}'; require '${wp.site}/wp-load.php'; ${code}`],
    { encoding: "utf8" }, (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout)))));
}

const skipLoudly = (t, what) => requireWooCommerce(t, what);

// ------------------------------------------------ admin actions from code

/** admin-post / admin-ajax actions as the source registers them: [{hook, action, kind, file}]. */
function adminActionsInSource() {
  const found = [];
  // Class name → its string constants, to resolve 'admin_post_' . SettingsPage::SAVE in Plugin.php.
  const fileOf = Object.fromEntries(phpFiles().map((file) => [basename(file, ".php"), relative(ROOT, file)]));
  const constsOf = Object.fromEntries(phpFiles().map((file) => [basename(file, ".php"),
    Object.fromEntries([...readFileSync(file, "utf8").matchAll(/const\s+(\w+)\s*=\s*'([^']*)'/g)].map((m) => [m[1], m[2]]))]));
  for (const file of phpFiles()) {
    const src = readFileSync(file, "utf8");
    const mentions = [...src.matchAll(/['"](admin_post_|wp_ajax_)/g)].length;
    let parsed = 0;
    for (const m of src.matchAll(/'((?:admin_post|wp_ajax)(?:_nopriv)?_)'\s*\.\s*(self|\w+)::(\w+)\s*,|'((?:admin_post|wp_ajax)(?:_nopriv)?_[\w-]+)'\s*,/g)) {
      parsed++;
      const owner = m[2] === "self" ? basename(file, ".php") : m[2];
      const hook = m[4] || (constsOf[owner]?.[m[3]] !== undefined ? m[1] + constsOf[owner][m[3]] : null);
      assert.ok(hook, `${relative(ROOT, file)}: cannot resolve ${m[2]}::${m[3]}`);
      const kind = hook.startsWith("wp_ajax") ? "ajax" : "post";
      // file: where the handler's class lives (the hook itself is wired in Plugin.php).
      found.push({ hook, kind, nopriv: hook.includes("_nopriv_"), action: hook.replace(/^(admin_post|wp_ajax)(_nopriv)?_/, ""), file: fileOf[owner] ?? relative(ROOT, file) });
    }
    assert.equal(parsed, mentions, `${relative(ROOT, file)} hooks an admin action in a form this test cannot read: wire it in Plugin.php as ['admin_post_' . Class::NAME, …]`);
  }
  assert.ok(found.length >= 8, `only ${found.length} admin actions found in the code`);
  return found;
}

/** The same, from the hooks a wp-admin request holds: every admin_post_/wp_ajax_ hook with a callback of this plugin. */
function adminActionsAtRuntime() {
  return JSON.parse(adminPhp(`
    global $wp_filter; $dir = realpath(WP_PLUGIN_DIR . '/vietqr-for-woocommerce'); $out = [];
    foreach ($wp_filter as $hook => $h) {
      if (!preg_match('/^(admin_post_|wp_ajax_)/', (string) $hook)) continue;
      foreach ($h->callbacks as $cbs) foreach ($cbs as $cb) {
        $f = $cb['function']; $ours = false;
        if (is_array($f)) { $c = is_object($f[0]) ? get_class($f[0]) : (string) $f[0]; $ours = strpos($c, 'VietQR\\\\') === 0; }
        elseif ($f instanceof Closure) { $ours = strpos((string) realpath((new ReflectionFunction($f))->getFileName()), $dir) === 0; }
        elseif (is_string($f)) { $ours = stripos($f, 'vietqr') !== false; }
        if ($ours) $out[] = $hook;
      }
    }
    sort($out); echo json_encode(array_values(array_unique($out)));`));
}

// ------------------------------------------------------------------ setup

before(async () => {
  shop = await startShop({ woocommerce: WC, wpOptions: { workers: 4 } });
  ({ wp, sim } = shop);
  // Tests switch the loopback allowance off with an option (the site's
  // wp-config allows it for the simulator): a must-use plugin reads it.
  mkdirSync(join(wp.site, "wp-content/mu-plugins"), { recursive: true });
  writeFileSync(join(wp.site, "wp-content/mu-plugins/vietqr-security-test.php"),
    "<?php\nif (get_option('sectest_deny_private')) { add_filter('vietqr_allow_private_base_url', '__return_false'); }\n");
  if (WC) {
    const { shimWooCommerceBuild, setupStore } = await import("./woo.mjs");
    shimWooCommerceBuild(wp);
    setupStore(wp);
    orderId = Number(wp.php(`
      $o = wc_create_order(); $o->set_payment_method('vietqr'); $o->set_billing_email('buyer@example.test');
      $o->set_total('25000'); $o->save();
      $r = (new VietQR\\Checkout\\Gateway())->process_payment($o->get_id()); echo $o->get_id();`).trim());
    assert.ok(orderId > 0);
  }
  wp.php(`wp_insert_user(['user_login' => 'sub', 'user_pass' => 'sub-password', 'user_email' => 'sub@example.test', 'role' => 'subscriber']);`);
  admin = await login("admin", "admin-password");
  subscriber = await login("sub", "sub-password");
  if (WC) {
    wp.php(`wp_insert_user(['user_login' => 'manager', 'user_pass' => 'manager-password', 'user_email' => 'manager@example.test', 'role' => 'shop_manager']);`);
    manager = await login("manager", "manager-password");
  }
});

after(async () => {
  if (shop) await stopShop(shop);
});

// ------------------------------------------------------------------ tests

test("admin actions: the ones in the code are exactly the ones WordPress runs, none for logged-out users", (t) => {
  const source = adminActionsInSource();
  assert.ok(source.length >= 6, JSON.stringify(source));
  assert.deepEqual(source.filter((a) => a.nopriv), [], "an admin action reachable without logging in");
  const runtime = adminActionsAtRuntime();
  const expected = source.filter((a) => WC || !a.file.includes("/Checkout/")).map((a) => a.hook).sort();
  assert.deepEqual(runtime, expected);
  if (!WC) requireWooCommerce(t, `order-screen actions (${source.filter((a) => a.file.includes("/Checkout/")).map((a) => a.action).join(", ")})`);
});

test("every admin action refuses a missing or wrong nonce, a subscriber with a nonce and a logged-out visitor; the admin with a nonce gets through", async (t) => {
  // Seeded so that each action would change something if it ran.
  wp.php(`update_option('vietqr_terminals', [['mid' => 'MER12345678', 'merchant_name' => '', 'terminal_name' => 'Quay 1', 'terminal_code' => 'SEC01',
    'terminal_address' => '1 Hang Bac', 'bank_account' => ${q(SIM_ACCOUNT.bank_account)}, 'bank_code' => 'MB', 'tid' => '', 'synced_at' => 0]], false);`);
  const fields = {
    vietqr_save_settings: { environment: "custom", custom_base_url: sim.base, api_username: SIM_ACCOUNT.username, bank: "MB", account: SIM_ACCOUNT.bank_account,
      holder: "PWNED", content_prefix: "PW", qr_lifetime: "20", qr_mode: "api", callback_username: CALLBACK.username },
    vietqr_terminal_add: { mid: "MER12345678", terminal_name: "Quay 9", terminal_code: "PWN9", terminal_address: "9 Pho Hue", bank_account: SIM_ACCOUNT.bank_account, bank_code: "MB" },
    vietqr_terminal_delete: { terminal_code: "SEC01" },
  };
  const actions = adminActionsInSource().filter((a) => WC || !a.file.includes("/Checkout/"));
  // The order-screen actions carry the order id, in the URL and in the nonce.
  const query = (a) => (a.file.endsWith("OrderMetaBox.php") ? { order_id: String(orderId) } : {});
  const nonceAction = (a) => (a.file.endsWith("OrderMetaBox.php") ? `${a.action}_${orderId}` : a.action);
  const adminNonces = nonces(admin, [...actions.map(nonceAction), "vietqr_some_other_action"]);
  const subNonces = nonces(subscriber, actions.map(nonceAction));
  const hit = (a, cookies, nonce) => {
    const endpoint = a.kind === "ajax" ? "admin-ajax.php" : "admin-post.php";
    const params = { action: a.action, ...query(a), ...(nonce ? { _wpnonce: nonce } : {}) };
    return http(`/wp-admin/${endpoint}?${new URLSearchParams(params)}`, { cookies, form: { ...params, ...(fields[a.action] || {}) } });
  };
  const refused = (r) => r.status === 403 || (r.status === 400 && /^-?[01]$/.test(r.text.trim()));
  for (const a of actions) {
    await t.test(a.action, async () => {
      const before = state();
      const cases = [
        ["admin, no nonce", await hit(a, admin, "")],
        ["admin, nonce of another action", await hit(a, admin, adminNonces.vietqr_some_other_action)],
        ["admin, forged nonce", await hit(a, admin, "0123456789")],
        ["subscriber with the subscriber's own nonce", await hit(a, subscriber, subNonces[nonceAction(a)])],
        ["subscriber, admin's nonce", await hit(a, subscriber, adminNonces[nonceAction(a)])],
      ];
      for (const [what, r] of cases) assert.ok(refused(r), `${a.action}: ${what} was not refused (HTTP ${r.status}): ${r.text.slice(0, 200)}`);
      const out = await hit(a, null, adminNonces[nonceAction(a)]);
      assert.notEqual(out.status, 302, `${a.action}: a logged-out visitor was redirected as if it ran`);
      await settle();
      assert.equal(state(), before, `${a.action}: a refused request changed something`);
      // The admin with a valid nonce gets through (so the refusals above are the checks, not a broken request).
      const ok = await hit(a, admin, adminNonces[nonceAction(a)]);
      assert.equal(ok.status, 302, `${a.action}: the admin with a nonce was refused: ${ok.text.slice(0, 300)}`);
      await settle();
      if (WC) {
        // With WooCommerce every VietQR action is the shop manager's too (manage_woocommerce).
        // The simulator's settings first: after "Generate" its callbacks would be refused, and twice
        // as many refusals as the admin's run alone would lock its address out of the token route.
        configure(wp, sim);
        const own = await hit(a, manager, nonces(manager, [nonceAction(a)])[nonceAction(a)]);
        assert.equal(own.status, 302, `${a.action}: the shop manager with a nonce was refused: ${own.text.slice(0, 300)}`);
        await settle();
      }
    });
  }
  configure(wp, sim); // the positive runs saved settings and made a new callback password
});

test("REST: every vietqr/v1 route has a permission callback; exactly the self-authenticating ones are public", () => {
  const routes = phpJson(wp, `
    $out = [];
    foreach (rest_get_server()->get_routes('vietqr/v1') as $route => $handlers) {
      if ($route === '/vietqr/v1') continue; // WordPress's own namespace index
      foreach ($handlers as $h) {
        $pc = $h['permission_callback'] ?? null;
        $out[] = ['route' => $route, 'methods' => implode(',', array_keys(array_filter((array) $h['methods']))),
          'permission' => $pc === null ? null : (is_string($pc) ? $pc : 'checked')];
      }
    }
    echo json_encode($out);`);
  for (const r of routes) assert.ok(r.permission, `${r.methods} ${r.route} has no permission_callback`);
  const pub = routes.filter((r) => r.permission === "__return_true").map((r) => `${r.methods} ${r.route}`).sort();
  assert.deepEqual(pub, [
    "GET /vietqr/v1/payments/(?P<key>[a-f0-9]{32})", // keyed by 128 random bits
    "POST /vietqr/v1/api/token_generate", // VietQR's Basic credentials, checked by the core
    "POST /vietqr/v1/bank/api/transaction-sync", // our Bearer token (+ sign), checked by the core
  ]);
  assert.deepEqual(routes.filter((r) => r.permission !== "__return_true").map((r) => `${r.methods} ${r.route}`).sort(), ["POST /vietqr/v1/admin/linked"]);
  // The status key: 16 random bytes, 32 hex digits in the route.
  const payments = readFileSync(join(PLUGIN_DIR, "src/Payments/Payments.php"), "utf8");
  assert.match(payments, /\$key = bin2hex\(random_bytes\(16\)\);/);
});

test("REST: the public routes authenticate themselves; the admin route wants an admin and the REST nonce", async () => {
  // VietQR's routes: nothing without credentials.
  const tok = await http("/?rest_route=/vietqr/v1/api/token_generate", { json: {} });
  assert.equal(tok.status, 401, tok.text);
  const tokBad = await http("/?rest_route=/vietqr/v1/api/token_generate", { json: {}, headers: { authorization: `Basic ${Buffer.from(`${CALLBACK.username}:wrong-password`).toString("base64")}` } });
  assert.equal(tokBad.status, 401, tokBad.text);
  const sync = await http("/?rest_route=/vietqr/v1/bank/api/transaction-sync", { json: { transactionid: "x" } });
  assert.equal(sync.status, 401, sync.text);
  const forged = await http("/?rest_route=/vietqr/v1/bank/api/transaction-sync", { json: { transactionid: "x" }, headers: { authorization: "Bearer vqr1.9999999999.AAAA" } });
  assert.equal(forged.status, 401, forged.text);
  // Status: unknown or malformed keys tell nothing.
  assert.equal((await http(`/?rest_route=/vietqr/v1/payments/${"0".repeat(32)}`)).status, 404);
  assert.equal((await http("/?rest_route=/vietqr/v1/payments/1")).status, 404);

  const route = "/?rest_route=/vietqr/v1/admin/linked";
  const body = { bank_account: SIM_ACCOUNT.bank_account, bank_code: "MB", user_bank_name: "PWNED" };
  const adminRest = nonces(admin, ["wp_rest"]).wp_rest;
  const subRest = nonces(subscriber, ["wp_rest"]).wp_rest;
  const before = state();
  const cases = [
    ["logged out", await http(route, { json: body })],
    ["logged out with the admin's nonce", await http(route, { json: body, headers: { "x-wp-nonce": adminRest } })],
    ["admin cookie, no nonce", await http(route, { json: body, cookies: admin })],
    ["admin cookie, forged nonce", await http(route, { json: body, cookies: admin, headers: { "x-wp-nonce": "0123456789" } })],
    ["subscriber with the subscriber's nonce", await http(route, { json: body, cookies: subscriber, headers: { "x-wp-nonce": subRest } })],
    ["subscriber with the admin's nonce", await http(route, { json: body, cookies: subscriber, headers: { "x-wp-nonce": adminRest } })],
  ];
  for (const [what, r] of cases) assert.ok([401, 403].includes(r.status), `${what}: HTTP ${r.status} ${r.text}`);
  assert.equal(state(), before);
  const ok = await http(route, { json: body, cookies: admin, headers: { "x-wp-nonce": adminRest } });
  assert.ok([200, 409].includes(ok.status), `admin with nonce: HTTP ${ok.status} ${ok.text}`);
  if (WC) {
    const mine = await http(route, { json: body, cookies: manager, headers: { "x-wp-nonce": nonces(manager, ["wp_rest"]).wp_rest } });
    assert.ok([200, 409].includes(mine.status), `shop manager with nonce: HTTP ${mine.status} ${mine.text}`);
  }
});

test("a new environment or base URL takes the stored API password and refund key along only typed again: a shop manager (or, without WooCommerce, an admin) cannot send them to a server of their own", async () => {
  configure(wp, sim);
  const who = WC ? manager : admin;
  // "Their own server": records every request it gets.
  const got = [];
  const theirs = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ access_token: "their-token", token_type: "Bearer", expires_in: 300 }));
    });
  });
  await new Promise((ok) => theirs.listen(0, "127.0.0.1", ok));
  const theirBase = `http://127.0.0.1:${theirs.address().port}/vqr`;
  const stored = [SIM_ACCOUNT.password, SIM_ACCOUNT.secret_key];
  const leaked = () => got.filter((r) => stored.some((x) => r.includes(x) || r.includes(Buffer.from(x).toString("base64")) || r.includes(Buffer.from(`${SIM_ACCOUNT.username}:${x}`).toString("base64"))));
  /** Every call that sends the API password or the refund key, to wherever the settings say. */
  const useSecrets = () => phpJsonAsync(`delete_transient('vietqr_api_token'); $out = [];
    foreach (['token' => function ($c) { return $c->token(true); }, 'refund' => function ($c) { return $c->refund('FT0000000000', 1000, 'x'); }] as $k => $f) {
      try { $f(new VietQR\\Api\\Client()); $out[$k] = 'ok'; } catch (\\Throwable $e) { $out[$k] = get_class($e); }
    }
    echo json_encode($out);`);
  try {
    const settingsPage = vietqrAdminPath("settings", WC);
    const save = async (extra) => {
      const nonce = nonces(who, ["vietqr_save_settings"]).vietqr_save_settings;
      const r = await http("/wp-admin/admin-post.php", { cookies: who, form: {
        action: "vietqr_save_settings", _wpnonce: nonce, environment: "custom", custom_base_url: sim.base, api_username: SIM_ACCOUNT.username,
        bank: "MB", account: SIM_ACCOUNT.bank_account, holder: "Nguyen Van A", content_prefix: "DH", qr_lifetime: "15", qr_mode: "api",
        callback_username: CALLBACK.username, ...extra } });
      assert.equal(r.status, 302, r.text.slice(0, 300));
      assert.ok(r.location.endsWith(settingsPage), r.location);
      return (await http(settingsPage, { cookies: who })).text;
    };
    const before = state();
    // The base URL moved to their server, secrets left blank ("keep"): refused, with the reason on both fields.
    for (const extra of [{ custom_base_url: theirBase }, { environment: "production" }, { environment: "sandbox" }]) {
      const html = await save(extra);
      assert.match(html, /id="vietqr-error-api_password"[^>]*>You changed where VietQR requests go/, JSON.stringify(extra));
      assert.match(html, /id="vietqr-error-refund_secret_key"[^>]*>You changed where VietQR requests go/, JSON.stringify(extra));
      assert.match(html, /Nothing was saved/);
      assert.equal(state(), before, `${JSON.stringify(extra)}: a refused save changed something`);
    }
    // Only one of the two typed again: still refused, the other named.
    const half = await save({ custom_base_url: theirBase, api_password: "their-own-password" });
    assert.doesNotMatch(half, /id="vietqr-error-api_password"/);
    assert.match(half, /id="vietqr-error-refund_secret_key"/);
    assert.equal(state(), before);
    await useSecrets();
    assert.deepEqual(got, [], "a request went to their server");
    // Both typed again (the refund key cleared instead): saved, and their server gets only what was typed.
    await save({ custom_base_url: theirBase, api_password: "their-own-password", clear_refund_secret_key: "1" });
    assert.equal(phpJson(wp, "echo json_encode(VietQR\\Support\\Settings::baseUrl());"), theirBase);
    await useSecrets();
    assert.ok(got.length >= 1, "the typed password was not used");
    assert.deepEqual(leaked(), [], "a stored secret reached their server");
    assert.ok(got.some((r) => r.includes(Buffer.from(`${SIM_ACCOUNT.username}:their-own-password`).toString("base64"))), got.join("\n"));
  } finally {
    theirs.close();
    configure(wp, sim);
    wp.php("delete_transient('vietqr_api_token');");
  }
});

// ------------------------------------------------------------- escaping

const XSS = `"'><script>window.__xss=(window.__xss||0)+1</script><img src=x onerror="window.__xss=2" onmouseover="window.__xss=3">`;
const XSS_SHORT = `"><script>window.__xss=1</script><img src=x onerror="window.__xss=2">`;
const RAW_MARKS = ["<script>window.__xss", 'onerror="window.__xss', 'onmouseover="window.__xss', "<img src=x"];

function plantPayloads() {
  wp.php(`
    $x = ${q(XSS)};
    VietQR\\Support\\Settings::update(['environment' => 'custom', 'custom_base_url' => 'https://vqr.example/' . $x, 'api_username' => $x,
      'bank' => $x, 'account' => $x, 'holder' => $x, 'content_prefix' => $x, 'callback_username' => $x, 'qr_lifetime' => $x,
      'alert_events' => [$x, 'paid'], 'alert_email' => true, 'alert_email_to' => $x, 'alert_telegram' => true, 'alert_telegram_chat_id' => $x, 'alert_silence_minutes' => $x]);
    update_option('vietqr_terminals', [['mid' => '', 'merchant_name' => $x, 'terminal_name' => $x, 'terminal_code' => $x,
      'terminal_address' => $x, 'bank_account' => $x, 'bank_code' => $x, 'tid' => $x, 'synced_at' => 0]], false);
    update_option('vietqr_ecommerce', ['client_id' => $x, 'certificate' => $x, 'linked_account' => ['bank_account' => $x, 'bank_code' => $x, 'user_bank_name' => $x], 'linked_at' => time()], false);
    VietQR\\Support\\Health::rejected($x, 401, $x, $x);
    global $wpdb;
    $inserted = $wpdb->insert($wpdb->prefix . 'vietqr_ledger', ['transaction_id' => uniqid('xss-'), 'reference_number' => substr($x, 0, 50) . mt_rand(), 'order_ref' => substr($x, 0, 64),
      'amount' => 1, 'content' => $x, 'bank_account' => '1', 'source' => substr($x, 0, 16), 'received_at' => gmdate('Y-m-d H:i:s')]);
    if (!$inserted) { fwrite(STDERR, 'ledger row not planted: ' . $wpdb->last_error); exit(1); }
    $wpdb->insert($wpdb->prefix . 'vietqr_alerts', ['event_key' => uniqid('xss-'), 'event' => substr($x, 0, 16), 'created_at' => time(), 'email' => 'failed', 'telegram' => 'failed', 'error' => $x]);
    set_transient('vietqr_admin_flash_1', ['notices' => [['type' => $x, 'message' => $x]], 'errors' => ['holder' => $x, 'custom_base_url' => $x],
      'old' => ['holder' => $x, 'custom_base_url' => $x]], 300);`);
}

function assertNoRawPayload(html, where) {
  for (const m of RAW_MARKS) assert.ok(!html.includes(m), `${where}: unescaped ${JSON.stringify(m)} in the page`);
}

async function assertInert(page, where) {
  const found = await page.evaluate(() => ({
    ran: window.__xss ?? null,
    handlers: document.querySelectorAll("[onerror], [onmouseover]").length,
    imgs: [...document.images].filter((i) => i.getAttribute("src") === "x").length,
    text: document.body.textContent.includes("<script>window.__xss"),
  }));
  assert.equal(found.ran, null, `${where}: injected script ran`);
  assert.equal(found.handlers, 0, `${where}: injected event handler attribute`);
  assert.equal(found.imgs, 0, `${where}: injected <img>`);
  return found.text;
}

test("output escaping: script payloads in every setting, terminal, link, health and ledger field stay text on every admin tab", async () => {
  const saved = wp.php("echo serialize([get_option('vietqr_settings'), get_option('vietqr_terminals'), get_option('vietqr_ecommerce')]);");
  plantPayloads();
  const browser = await launchChromium();
  try {
    const { page } = await openPage(browser);
    await logIn(page, wp.url);
    let shown = 0;
    for (const tab of ["settings", "link", "terminals", "health"]) {
      if (tab === "settings") {
        // The flash (notice, field errors, typed values) is read once: plant it again for the browser.
        const raw = await http(vietqrAdminPath(tab, WC), { cookies: admin });
        assert.equal(raw.status, 200);
        assertNoRawPayload(raw.text, `${tab} (HTTP)`);
        assert.ok(raw.text.includes("&lt;script&gt;window.__xss"), "the flash notice was not shown escaped");
        plantPayloads();
      } else {
        assertNoRawPayload((await http(vietqrAdminPath(tab, WC), { cookies: admin })).text, `${tab} (HTTP)`);
      }
      await page.goto(`${wp.url}${vietqrAdminPath(tab, WC)}`);
      await page.waitForLoadState("networkidle");
      // Hover over everything a payload could have become.
      for (const el of await page.$$(".vietqr-admin td, .vietqr-admin code, .vietqr-admin p")) await el.hover({ timeout: 200 }).catch(() => {});
      if (await assertInert(page, tab)) shown++;
    }
    assert.ok(shown >= 3, `the payload was shown as text on ${shown} tabs only`);
  } finally {
    await browser.close();
    wp.php(`$s = unserialize(${q(saved)}); update_option('vietqr_settings', $s[0]); update_option('vietqr_terminals', $s[1] ?: [], false);
      update_option('vietqr_ecommerce', $s[2] ?: [], false); VietQR\\Support\\Health::deleteAll();
      global $wpdb; $wpdb->query("DELETE FROM {$wpdb->prefix}vietqr_ledger WHERE transaction_id LIKE 'xss-%'");`);
  }
});

test("output escaping: the buyer's payment box keeps script payloads in the holder and transfer content as text (WooCommerce)", async (t) => {
  if (!WC) return skipLoudly(t, "buyer page escaping");
  const { storeApiOrder } = await import("./woo.mjs");
  const browser = await launchChromium();
  try {
    const ids = phpJson(wp, "echo json_encode(['product' => (int) wc_get_products(['limit' => 1, 'return' => 'ids'])[0]]);");
    const placed = await storeApiOrder({ wp, ids });
    // The payment row is what the page shows: plant the payloads there (a real QR keeps the EMV limits).
    // (The columns hold 100 characters: a shorter payload of the same kinds.)
    const changed = wp.php(`global $wpdb; echo (int) $wpdb->update($wpdb->prefix . 'vietqr_payments', ['holder' => ${q(XSS_SHORT)}, 'content' => ${q(XSS_SHORT)}], ['order_id' => ${Number(placed.order_id)}]);`);
    assert.equal(changed.trim(), "1");
    const url = placed.payment_result.redirect_url;
    const raw = await fetch(url, { headers: { cookie: placed.cookie } }).then((r) => r.text());
    assertNoRawPayload(raw, "order-received (HTTP)");
    const { context, page } = await openPage(browser);
    await context.addCookies(placed.cookie.split("; ").map((c) => ({ name: c.slice(0, c.indexOf("=")), value: c.slice(c.indexOf("=") + 1), url: wp.url })));
    await page.goto(url);
    await page.waitForSelector(".vietqr-pay");
    for (const el of await page.$$(".vietqr-pay dd, .vietqr-pay button")) await el.hover({ timeout: 200 }).catch(() => {});
    assert.ok(await assertInert(page, "order-received"), "the payload was not shown as text");
    // The status route (polled by pay.js) carries the same strings as JSON data, not markup.
    const status = await http(`/?rest_route=/vietqr/v1/payments/${JSON.parse(raw.match(/data-vietqr="([^"]*)"/)[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#039;/g, "'")).key}`);
    assert.equal(JSON.parse(status.text).holder, XSS_SHORT);
    assert.match(status.headers.get("content-type"), /application\/json/);
  } finally {
    await browser.close();
  }
});

// --------------------------------------------------------------- secrets

const MARK = {
  api_password: "MARKapiPW7f3a9c1e",
  callback_password: "MARKcbPW5d2e81aa77",
  callback_secret: "MARKcbHMAC" + "9c".repeat(20),
  refund_secret_key: "MARKrefund91bbee",
  ecommerce_token: "MARKecomTOKEN44c1",
  telegram_bot_token: "5550001111:MARKtgBOTtoken3e9d7c2a1b0f",
};
/** Every marker and the ways a careless echo would spell it. */
const needles = () => Object.values(MARK).flatMap((m) => [m, Buffer.from(m).toString("base64").slice(0, 16), encodeURIComponent(m)]);
const leaks = (text) => needles().filter((n) => text.includes(n));

test("no secret in a page, a REST answer, an error message, the debug log or the plugin's stored data", async () => {
  const secretOptions = phpJson(wp, "echo json_encode(array_values(VietQR\\Support\\Settings::SECRETS));");
  wp.php(`foreach (json_decode(${q(JSON.stringify(MARK))}, true) as $k => $v) { VietQR\\Support\\Settings::setSecret($k, $v); }
    delete_transient('vietqr_api_token');
    VietQR\\Support\\Settings::update(['environment' => 'custom', 'custom_base_url' => ${q(sim.base)}, 'api_username' => ${q(SIM_ACCOUNT.username)},
      'bank' => 'MB', 'account' => ${q(SIM_ACCOUNT.bank_account)}, 'holder' => 'Nguyen Van A', 'content_prefix' => 'DH', 'qr_lifetime' => 15, 'qr_mode' => 'api',
      'callback_username' => ${q(CALLBACK.username)}]);
    update_option('vietqr_terminals', [['mid' => 'MER12345678', 'merchant_name' => '', 'terminal_name' => 'Quay 1', 'terminal_code' => 'SEC02',
      'terminal_address' => '1 Hang Bac', 'bank_account' => ${q(SIM_ACCOUNT.bank_account)}, 'bank_code' => 'MB', 'tid' => '', 'synced_at' => 0]], false);`);
  const seen = []; // [where, text]
  // Failing API calls: the simulator refuses the marker password.
  const errors = phpJson(wp, `
    $c = new VietQR\\Api\\Client(); $out = [];
    $calls = [
      'token' => function () use ($c) { return $c->token(true); },
      'ecommerce_sync' => function () use ($c) { return $c->ecommerceSync(home_url(), VietQR\\Support\\Settings::callbackBase()); },
      'check_order' => function () use ($c) { return $c->checkOrder('order_id', 'DH1'); },
      'refund' => function () use ($c) { return $c->refund('FT123', 1000, 'hoan tien'); },
      'tid_sync' => function () use ($c) { return $c->tidSync([]); },
    ];
    foreach ($calls as $name => $call) {
      try { $call(); $out[$name] = 'no error'; }
      catch (VietQR\\Core\\CoreError $e) { $out[$name] = $e->errorCode . ' | ' . $e->getMessage() . ' | ' . $e->forAdmin() . ' | ' . json_encode($e->vietqr); }
    }
    $p = VietQR\\Payments\\Payments::create(0, 10000); $out['payment_mode'] = $p['mode'];
    echo json_encode($out);`);
  assert.notEqual(errors.token, "no error", "the simulator accepted the marker password?");
  assert.equal(errors.payment_mode, "local", "generate-customer should have failed over to a local QR");
  seen.push(["API errors", JSON.stringify(errors)]);
  // The same through the admin: link shop and terminal sync fail, the notices show.
  const n = nonces(admin, ["vietqr_link_shop", "vietqr_terminal_sync", "wp_rest"]);
  for (const action of ["vietqr_link_shop", "vietqr_terminal_sync"]) {
    const r = await http("/wp-admin/admin-post.php", { cookies: admin, form: { action, _wpnonce: n[action] } });
    assert.equal(r.status, 302, r.text.slice(0, 200));
    const tab = action === "vietqr_link_shop" ? "link" : "terminals";
    const page = await http(vietqrAdminPath(tab, WC), { cookies: admin });
    assert.match(page.text, /notice-error/, `${action}: no error notice shown`);
    seen.push([`${tab} tab after a failing ${action}`, page.text]);
  }
  // Callbacks: a wrong password, then the right one (a token comes back, no secret in it), then a forged token.
  const basic = (u, p) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
  const bad = await http("/?rest_route=/vietqr/v1/api/token_generate", { json: {}, headers: basic(CALLBACK.username, "nope") });
  assert.equal(bad.status, 401);
  const good = await http("/?rest_route=/vietqr/v1/api/token_generate", { json: {}, headers: basic(CALLBACK.username, MARK.callback_password) });
  assert.equal(good.status, 200, good.text);
  const sync = await http("/?rest_route=/vietqr/v1/bank/api/transaction-sync", { json: { transactionid: "t1" }, headers: { authorization: `Bearer ${JSON.parse(good.text).access_token}x` } });
  seen.push(["token routes", bad.text + good.text + sync.text]);
  // Every admin page, WordPress's own options screen, the REST answers.
  for (const tab of ["settings", "link", "terminals", "health"]) seen.push([`${tab} tab`, (await http(vietqrAdminPath(tab, WC), { cookies: admin })).text]);
  seen.push(["wp-admin/options.php", (await http("/wp-admin/options.php", { cookies: admin })).text]);
  seen.push(["wp-admin dashboard", (await http("/wp-admin/", { cookies: admin })).text]);
  seen.push(["REST index", (await http("/?rest_route=/vietqr/v1", { cookies: admin, headers: { "x-wp-nonce": n.wp_rest } })).text]);
  seen.push(["REST admin/linked", (await http("/?rest_route=/vietqr/v1/admin/linked", { cookies: admin, headers: { "x-wp-nonce": n.wp_rest }, json: { bank_account: "1", bank_code: "MB" } })).text]);
  seen.push(["REST wp/v2/settings", (await http("/?rest_route=/wp/v2/settings", { cookies: admin, headers: { "x-wp-nonce": n.wp_rest } })).text]);
  const key = wp.sql("SELECT public_key FROM wp_vietqr_payments ORDER BY id DESC LIMIT 1").trim();
  seen.push(["REST payment status", (await http(`/?rest_route=/vietqr/v1/payments/${key}`)).text]);
  if (WC) {
    seen.push(["order screen", (await http(`/wp-admin/post.php?post=${orderId}&action=edit`, { cookies: admin })).text]);
    seen.push(["order screen (HPOS)", (await http(`/wp-admin/admin.php?page=wc-orders&action=edit&id=${orderId}`, { cookies: admin })).text]);
    seen.push(["WooCommerce logs", wp.php("foreach (glob(WC_LOG_DIR . '*.log') ?: [] as $f) { echo file_get_contents($f); }")]);
  }
  // Stored data: every option but the secrets' own, the plugin's tables, the debug log.
  const secretList = secretOptions.map((o) => `'${o}'`).join(",");
  seen.push(["wp_options (all but the secret options)", wp.sql(`SELECT option_name, option_value FROM wp_options WHERE option_name NOT IN (${secretList})`)]);
  seen.push(["plugin tables", wp.sql("SELECT * FROM wp_vietqr_payments; SELECT * FROM wp_vietqr_ledger;")]);
  seen.push(["usermeta", wp.sql("SELECT meta_key, meta_value FROM wp_usermeta")]);
  seen.push(["debug.log", existsSync(wp.debugLog) ? readFileSync(wp.debugLog, "utf8") : ""]);
  seen.push(["server log", wp.log.join("")]);
  const ourLog = WC ? seen.find(([w]) => w === "WooCommerce logs")[1] : seen.find(([w]) => w === "debug.log")[1];
  assert.ok(/vietqr/i.test(ourLog), "the plugin logged nothing: the log check would be empty");
  for (const [where, text] of seen) assert.deepEqual(leaks(text), [], `a secret in ${where}`);
  // The secrets are stored where they should be: not autoloaded, not as plain strings.
  const stored = wp.sql(`SELECT option_name, LEFT(option_value, 2) FROM wp_options WHERE option_name IN (${secretList}) ORDER BY option_name`).trim().split("\n");
  assert.equal(stored.length, secretOptions.length, stored.join("\n"));
  for (const row of stored) assert.match(row, /\ta:$/, row);
  assert.deepEqual(wp.autoloaded("vietqr\\_secret\\_%"), [], "a secret is autoloaded");
  // Put the shop back as the other tests expect it.
  wp.php(`VietQR\\Support\\Settings::setSecret('api_password', ${q(SIM_ACCOUNT.password)}); VietQR\\Support\\Settings::setSecret('callback_password', ${q(CALLBACK.password)});
    VietQR\\Support\\Settings::setSecret('refund_secret_key', ${q(SIM_ACCOUNT.secret_key)}); delete_transient('vietqr_api_token');`);
});

// ------------------------------------------------------------------ SSRF

const UNSAFE = [
  ["http://10.0.0.8/vqr", "private"], ["http://172.16.5.4/vqr", "private"], ["http://172.31.255.1/vqr", "private"],
  ["http://192.168.1.1/vqr", "private"], ["http://127.0.0.1/vqr", "private"], ["http://127.8.9.10:8080/vqr", "private"],
  ["http://169.254.169.254/latest/meta-data", "private"], ["http://0.0.0.0/vqr", "private"], ["http://100.64.0.1/vqr", "private"],
  ["http://[::1]/vqr", "private"], ["http://[fc00::1]/vqr", "private"], ["http://[fd12:3456::1]/vqr", "private"],
  ["http://[fe80::1]/vqr", "private"], ["http://[::ffff:127.0.0.1]/vqr", "private"], ["http://[::ffff:169.254.169.254]/", "private"],
  ["http://localhost/vqr", "private"], ["http://2130706433/vqr", "private"], ["http://127.1/vqr", "private"],
  ["ftp://example.com/vqr", "scheme"], ["file:///etc/passwd", "scheme"], ["gopher://127.0.0.1:6379/_x", "scheme"], ["javascript:alert(1)", "scheme"],
  ["http://user:pass@93.184.216.34/vqr", "credentials"], ["http://93.184.216.34:6379/vqr", "port"],
  ["http://no-such-host.invalid/vqr", "unresolved"],
];

const inspect = (urls, deny = true) => phpJson(wp, `
  ${deny ? "add_filter('vietqr_allow_private_base_url', '__return_false');" : ""}
  $out = [];
  foreach (json_decode(${q(JSON.stringify(urls))}, true) as $u) { $out[] = VietQR\\Api\\UrlGuard::inspect($u)[0]; }
  echo json_encode($out);`);

test("SSRF: private, loopback, link-local, metadata and reserved addresses, names resolving there, other schemes, credentials and unsafe ports are refused", () => {
  const got = inspect(UNSAFE.map(([u]) => u));
  assert.deepEqual(UNSAFE.map(([u], i) => [u, got[i]]), UNSAFE);
  // Public addresses pass (IP literals: this machine is offline).
  assert.deepEqual(inspect(["https://93.184.216.34/vqr", "http://8.8.8.8:8080/vqr", "https://[2606:4700::1111]/"]), [null, null, "host"]);
  // With the site's allowance (wp-config constant), a simulator on loopback is fine, other schemes still not.
  assert.deepEqual(inspect(["http://127.0.0.1:9/vqr", "http://[::1]:9/vqr", "ftp://127.0.0.1/", "http://u:p@127.0.0.1/"], false), [null, null, "scheme", "credentials"]);
  assert.equal(wp.php("echo defined('VIETQR_ALLOW_PRIVATE_BASE_URL') && VIETQR_ALLOW_PRIVATE_BASE_URL ? 'yes' : 'no';"), "yes");
});

test("SSRF: the client refuses to call a private base URL, and sends nothing there", async () => {
  const hits = [];
  const server = createServer((req, res) => { hits.push(req.url); res.end("{}"); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const base = `http://127.0.0.1:${server.address().port}/vqr`;
    const out = await phpJsonAsync(`add_filter('vietqr_allow_private_base_url', '__return_false'); delete_transient('vietqr_api_token');
      try { (new VietQR\\Api\\Client(${q(base)}))->token(true); echo json_encode('no error'); }
      catch (VietQR\\Core\\CoreError $e) { echo json_encode([$e->errorCode, $e->getMessage()]); }`);
    assert.equal(out[0], "unsafe_base_url", JSON.stringify(out));
    assert.match(out[1], /VIETQR_ALLOW_PRIVATE_BASE_URL/);
    assert.deepEqual(hits, []);
    // WordPress's own safe-HTTP check is the second wall: the plugin asks for it.
    assert.match(readFileSync(join(PLUGIN_DIR, "src/Api/UrlGuard.php"), "utf8"), /wp_safe_remote_request\(/);
    assert.doesNotMatch(readFileSync(join(PLUGIN_DIR, "src/Api/Client.php"), "utf8"), /wp_remote_(request|get|post)\(/);
  } finally {
    server.close();
  }
});

test("SSRF: redirects are not followed", async () => {
  const hits = { from: 0, to: 0 };
  const target = createServer((req, res) => { hits.to++; res.end(JSON.stringify({ access_token: "x", token_type: "Bearer", expires_in: 300 })); });
  await new Promise((r) => target.listen(0, "127.0.0.1", r));
  const redirector = createServer((req, res) => { hits.from++; res.writeHead(307, { location: `http://127.0.0.1:${target.address().port}${req.url}` }); res.end(); });
  await new Promise((r) => redirector.listen(0, "127.0.0.1", r));
  try {
    const base = `http://127.0.0.1:${redirector.address().port}/vqr`;
    const out = await phpJsonAsync(`delete_transient('vietqr_api_token');
      try { (new VietQR\\Api\\Client(${q(base)}))->token(true); echo json_encode('no error'); }
      catch (VietQR\\Core\\CoreError $e) { echo json_encode($e->errorCode); } finally { delete_transient('vietqr_api_token'); }`);
    assert.notEqual(out, "no error");
    assert.equal(hits.from, 1);
    assert.equal(hits.to, 0, "the redirect was followed");
  } finally {
    redirector.close();
    target.close();
  }
});

test("SSRF: saving a private base URL in settings is refused with a clear error", async () => {
  wp.php("update_option('sectest_deny_private', 1);");
  try {
    const before = wp.php("echo serialize(get_option('vietqr_settings'));");
    const n = nonces(admin, ["vietqr_save_settings"]);
    const r = await http("/wp-admin/admin-post.php", { cookies: admin, form: {
      action: "vietqr_save_settings", _wpnonce: n.vietqr_save_settings, environment: "custom", custom_base_url: "http://169.254.169.254/latest",
      api_username: SIM_ACCOUNT.username, bank: "MB", account: SIM_ACCOUNT.bank_account, holder: "A", content_prefix: "DH", qr_lifetime: "15", qr_mode: "api",
      callback_username: CALLBACK.username } });
    assert.equal(r.status, 302);
    const page = await http(vietqrAdminPath("settings", WC), { cookies: admin });
    const error = page.text.match(/id="vietqr-error-custom_base_url"[^>]*>([^<]*)</);
    assert.ok(error, "no error under the custom base URL field");
    assert.match(error[1], /private, loopback or link-local/);
    assert.match(error[1], /VIETQR_ALLOW_PRIVATE_BASE_URL/);
    assert.equal(wp.php("echo serialize(get_option('vietqr_settings'));"), before, "settings were saved");
    // The validator says the same for every unsafe case.
    const msgs = phpJson(wp, `add_filter('vietqr_allow_private_base_url', '__return_false'); $out = [];
      foreach (json_decode(${q(JSON.stringify(UNSAFE.map(([u]) => u)))}, true) as $u) {
        $v = (new VietQR\\Admin\\SettingsValidator(['environment' => 'custom', 'custom_base_url' => $u, 'qr_lifetime' => '15', 'qr_mode' => 'local', 'content_prefix' => 'DH']))->validate();
        $out[] = $v[2]['custom_base_url'] ?? null;
      }
      echo json_encode($out);`);
    UNSAFE.forEach(([u], i) => assert.ok(msgs[i], `${u} was accepted by the settings form`));
  } finally {
    wp.php("delete_option('sectest_deny_private');");
  }
});

// ------------------------------------------------------- static checks

const scan = (dir) => JSON.parse(execFileSync("php", [join(ROOT, "tests/wp/security-scan.php"), dir], { encoding: "utf8" }));

test("static: the scanner catches what it looks for (self-test on a bad fixture)", () => {
  const dir = mkdtempSync(join(tmpdir(), "vietqr-scan-"));
  try {
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/Bad.php"), `<?php
function f($password, $x, $request) {
  if ($password === $x) {}
  if (strcmp($x, Settings::secret('api_password')) === 0) {}
  if ($request['sign'] != $x) {}
  if (in_array($token, $x, true)) {}
  if ($password !== '') {}
  if (hash_equals($password, $x)) {}
  echo $x;
  echo '<b>' . esc_html($x) . $x . '</b>';
  echo ($x ? '<i>' . $x : esc_html($x));
  echo wp_json_encode($x);
  _e('x');
  printf('%s', $x);
}
`);
    const out = scan(dir);
    assert.equal(out.secret_comparisons.length, 4, JSON.stringify(out.secret_comparisons));
    assert.equal(out.unescaped_echoes.length, 4, JSON.stringify(out.unescaped_echoes));
    assert.equal(out.unsafe_output_calls.length, 2, JSON.stringify(out.unsafe_output_calls));
    assert.equal(out.hash_equals, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("static: PHP never compares a secret with ==/===/strcmp (hash_equals only); every echo is escaped; no raw printing", () => {
  const out = scan(PLUGIN_DIR);
  assert.ok(out.files > 20 && out.comparisons > 50 && out.echoes > 50, JSON.stringify(out));
  assert.deepEqual(out.secret_comparisons, []);
  assert.deepEqual(out.unescaped_echoes, []);
  assert.deepEqual(out.unsafe_output_calls, []);
  // The two echoes of HTML built from escaped parts (SettingsPage::row, Terminals::row), reviewed.
  assert.deepEqual(out.reviewed_echoes.map((e) => e.replace(/:\d+:/, ":")), ["php-bridge/src/Admin/SettingsPage.php: $control", "php-bridge/src/Admin/Terminals.php: $control"]
    .map((e) => e.replace("php-bridge", PLUGIN_DIR)));
  // The callback decisions (credentials, token, sign) are the core's; PHP hands it the stored secrets.
  const routes = readFileSync(join(PLUGIN_DIR, "src/Callback/Routes.php"), "utf8");
  assert.match(routes, /\('callback\.token', \[/);
  assert.match(routes, /\('callback\.transaction_sync', \[/);
});

test("static: the Rust core compares tokens, credentials and sign in constant time", () => {
  const src = readFileSync(join(ROOT, "src/callback.rs"), "utf8");
  const code = src.slice(0, src.indexOf("#[cfg(test)]"));
  assert.match(code, /use subtle::ConstantTimeEq;/);
  assert.match(code, /pub fn secure_eq\(a: &str, b: &str\) -> bool \{\s*let ha = Sha256::digest\(a\.as_bytes\(\)\);\s*let hb = Sha256::digest\(b\.as_bytes\(\)\);\s*bool::from\(ha\.ct_eq\(&hb\)\)/);
  assert.match(code, /secure_eq\(&expected, tag\)/, "token tag");
  assert.match(code, /secure_eq\(&user, &i\.username\) & secure_eq\(&pass, &i\.password\)/, "Basic credentials (both, non-short-circuit)");
  assert.match(code, /secure_eq\(&sign\(&i\.secret, &t\.order_id, &t\.bank_account\), &t\.sign\)/, "sign");
  // No other equality on a secret-looking value outside tests.
  const bad = code.split("\n").map((l, i) => [i + 1, l]).filter(([, l]) => /(==|!=)/.test(l) && /\b(tag|password|pass|secret|sign|token|username|user)\b/.test(l)
    && !/prefix != TOKEN_PREFIX/.test(l) && !/^\s*\/\//.test(l));
  assert.deepEqual(bad, []);
});

test("token endpoint: after 20 refused credentials an address gets 429 without its credentials being checked; other addresses are not affected", async () => {
  const clear = () => wp.sql("DELETE FROM wp_options WHERE option_name LIKE 'vietqr\\_tf\\_%'");
  const basic = (u, p) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
  const user = wp.php("echo VietQR\\Support\\Settings::get('callback_username');");
  wp.php("VietQR\\Support\\Settings::setSecret('callback_password', 'throttle-test-password-1');");
  const token = (password) => http("/?rest_route=/vietqr/v1/api/token_generate", { json: {}, headers: basic(user, password) });
  clear();
  assert.equal((await token("throttle-test-password-1")).status, 200, "the right password works before");
  for (let i = 0; i < 20; i++) assert.equal((await token(`guess-${i}`)).status, 401);
  const blocked = await token("throttle-test-password-1");
  assert.equal(blocked.status, 429, blocked.text);
  assert.deepEqual(JSON.parse(blocked.text), { error: true, message: "too many refused token requests from this address; try again later" });
  assert.equal(phpJson(wp, "echo json_encode(VietQR\\Support\\Health::get()['last_rejection']['reason']);"), "rate_limited");
  // Another address (VietQR's) still gets its token.
  assert.equal(wp.php("$_SERVER['REMOTE_ADDR'] = '203.0.113.7'; echo VietQR\\Callback\\TokenThrottle::blocked() ? 'blocked' : 'open';"), "open");
  assert.equal(wp.php("$_SERVER['REMOTE_ADDR'] = '127.0.0.1'; echo VietQR\\Callback\\TokenThrottle::blocked() ? 'blocked' : 'open';"), "blocked");
  // The window over (its row gone), the right password works again.
  clear();
  assert.equal((await token("throttle-test-password-1")).status, 200);
});
