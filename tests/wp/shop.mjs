// A WordPress with the plugin active and pointed at a running simulator:
// the starting point of every plugin test.
//
//   const { wp, sim } = await startShop();        // add { woocommerce: true } for WooCommerce
//   ...; await stopShop({ wp, sim });

import { startWordPress } from "./harness.mjs";
import { startSim, SIM_ACCOUNT, CALLBACK } from "./sim.mjs";

export const PLUGIN = "vietqr-for-woocommerce/vietqr-for-woocommerce.php";

/** PHP string literal. */
export const q = (s) => `'${String(s).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

export async function startShop({ woocommerce = false, qrMode = "api", simOptions = {}, wpOptions = {} } = {}) {
  const plugins = { "vietqr-for-woocommerce": "php-bridge" };
  if (woocommerce) {
    if (!process.env.WOOCOMMERCE_DIR) throw new Error("WOOCOMMERCE_DIR is not set");
    plugins.woocommerce = process.env.WOOCOMMERCE_DIR;
  }
  // The simulator lives on loopback: this site allows a private base URL
  // (the plugin refuses one otherwise, see SECURITY.md).
  const extraConfig = `define('VIETQR_ALLOW_PRIVATE_BASE_URL', true);\n${wpOptions.extraConfig || ""}`;
  const wp = await startWordPress({ plugins, ...wpOptions, extraConfig });
  let sim;
  try {
    sim = await startSim({ callbackBase: `${wp.url}/?rest_route=/vietqr/v1`, ...simOptions });
    const activate = woocommerce ? `activate_plugin('woocommerce/woocommerce.php');` : "";
    wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; ${activate}
      $r = activate_plugin(${q(PLUGIN)}); if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }`);
    configure(wp, sim, { qrMode });
    return { wp, sim };
  } catch (e) {
    if (sim) await sim.stop();
    await wp.stop();
    throw e;
  }
}

/** The settings a shop owner would enter, with the simulator as VietQR. */
export function configure(wp, sim, { qrMode = "api" } = {}) {
  wp.php(`
    VietQR\\Support\\Settings::update([
      'environment' => 'custom', 'custom_base_url' => ${q(sim.base)},
      'api_username' => ${q(SIM_ACCOUNT.username)}, 'bank' => ${q(SIM_ACCOUNT.bank_code)},
      'account' => ${q(SIM_ACCOUNT.bank_account)}, 'holder' => 'Nguyễn Văn A',
      'qr_mode' => ${q(qrMode)}, 'callback_username' => ${q(CALLBACK.username)},
    ]);
    VietQR\\Support\\Settings::setSecret('api_password', ${q(SIM_ACCOUNT.password)});
    VietQR\\Support\\Settings::setSecret('callback_password', ${q(CALLBACK.password)});
    VietQR\\Support\\Settings::setSecret('refund_secret_key', ${q(SIM_ACCOUNT.secret_key)});`);
}

export async function stopShop({ wp, sim }) {
  if (sim) await sim.stop();
  if (wp) await wp.stop();
}

/** Runs PHP inside WordPress and returns what it echoes as JSON, decoded. */
export function phpJson(wp, code) {
  const out = wp.php(code);
  try {
    return JSON.parse(out);
  } catch {
    throw new Error(`not JSON from PHP: ${out}`);
  }
}
