// The demo: a shop to click through, with no VietQR account and no internet.
// A real WordPress on MariaDB with the plugin installed from the zip an admin
// would upload (dist/vietqr-for-woocommerce.zip, `make plugin`), the
// simulator standing in for VietQR.vn, a page with the VietQR payment block,
// and a store with one product and VietQR at checkout when WooCommerce can be
// had: WOOCOMMERCE_DIR, else the main test stack's (scripts/stacks.sh:
// WordPress 7.1 + WooCommerce 10.0.2, prepared by `make setup`), else
// WooCommerce 10.0.2 downloaded once from wordpress.org into
// ~/.cache/vietqr-demo where the machine is online.
// Ctrl-C stops everything.
//
//   DEMO_EXIT_AFTER_READY=1 node demo/run.mjs   prints the addresses, then stops (a smoke run)
//   DEMO_DOWNLOAD=0                             never downloads WooCommerce

import { existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { startWordPress } from "../tests/wp/harness.mjs";
import { vietqrAdminPath } from "../tests/wp/http.mjs";
import { startSim, SIM_ACCOUNT } from "../tests/wp/sim.mjs";
import { configure, q } from "../tests/wp/shop.mjs";
import { ZIP, buildPluginZip, installPluginZip } from "../tests/wp/zip.mjs";

const WOOCOMMERCE_VERSION = "10.0.2";
const WOOCOMMERCE_DIR = process.env.WOOCOMMERCE_DIR || (await downloadedWooCommerce());

// WooCommerce from wordpress.org, cached; "" when offline or refused.
async function downloadedWooCommerce() {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "vietqr-demo", `woocommerce-${WOOCOMMERCE_VERSION}`);
  const dir = join(cache, "woocommerce");
  if (existsSync(join(dir, "woocommerce.php"))) return dir;
  if (process.env.DEMO_DOWNLOAD === "0") return "";
  const url = process.env.DEMO_WOOCOMMERCE_URL || `https://downloads.wordpress.org/plugin/woocommerce.${WOOCOMMERCE_VERSION}.zip`;
  console.log(`WOOCOMMERCE_DIR is not set: downloading WooCommerce ${WOOCOMMERCE_VERSION} from ${url} …`);
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(120000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    mkdirSync(cache, { recursive: true });
    const zip = join(cache, "woocommerce.zip");
    writeFileSync(zip, Buffer.from(await r.arrayBuffer()));
    execFileSync("unzip", ["-q", "-o", zip, "-d", cache]);
    rmSync(zip);
    return existsSync(join(dir, "woocommerce.php")) ? dir : "";
  } catch (e) {
    console.log(`  not downloaded (${e.cause?.code || e.message}): the demo runs without WooCommerce.`);
    return "";
  }
}
if (!existsSync(ZIP)) buildPluginZip();

const wp = await startWordPress({
  plugins: WOOCOMMERCE_DIR ? { woocommerce: WOOCOMMERCE_DIR } : {},
  workers: 4,
  // The simulator lives on loopback: this demo site lets the plugin call it.
  extraConfig: "define('VIETQR_ALLOW_PRIVATE_BASE_URL', true);",
});
let sim;
const stop = async (code = 0) => {
  if (sim) await sim.stop();
  await wp.stop();
  process.exit(code);
};
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

const urls = {};
try {
  sim = await startSim({ callbackBase: `${wp.url}/?rest_route=/vietqr/v1` });
  if (WOOCOMMERCE_DIR) {
    wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php';
      $r = activate_plugin('woocommerce/woocommerce.php'); if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }`);
  }
  installPluginZip(wp, ZIP);
  configure(wp, sim, { qrMode: "api" });
  urls.payment = wp.php(`echo get_permalink(wp_insert_post(['post_type' => 'page', 'post_status' => 'publish',
    'post_title' => 'Ủng hộ quán cà phê', 'post_content' => ${q('<!-- wp:paragraph --><p>Quét mã để ủng hộ 50.000 ₫ — hoặc chuyển khoản theo thông tin bên dưới.</p><!-- /wp:paragraph -->\n\n<!-- wp:vietqr/payment-qr {"amount":"50000","content":"Ung ho"} /-->')}]));`);
  if (WOOCOMMERCE_DIR) {
    const shop = JSON.parse(wp.php(`
      update_option('woocommerce_currency', 'VND'); update_option('woocommerce_price_num_decimals', 0);
      update_option('woocommerce_onboarding_profile', ['skipped' => true]);
      update_option('woocommerce_vietqr_settings', ['enabled' => 'yes', 'title' => 'VietQR']);
      WC_Install::create_pages(); delete_transient('_wc_activation_redirect'); // no setup wizard in the owner's way
      update_option('woocommerce_coming_soon', 'no'); // a launched store, not the "Coming soon" page
      $p = new WC_Product_Simple(); $p->set_name('Cà phê sữa đá'); $p->set_regular_price('45000'); $p->set_status('publish'); $p->save();
      echo json_encode(['shop' => get_post_type_archive_link('product'), 'product' => get_permalink($p->get_id())]);`));
    Object.assign(urls, shop);
  }
} catch (e) {
  console.error(`demo: ${e.message}`);
  await stop(1);
}

const store = WOOCOMMERCE_DIR
  ? `  Shop            ${urls.shop}
  Product         ${urls.product}   (add to cart, check out with VietQR)`
  : `  Site            ${wp.url}/`;
console.log(`
VietQR demo is up (plugin installed from ${ZIP.replace(`${process.cwd()}/`, "")}).

${store}
  Payment block   ${urls.payment}
  Admin login     ${wp.url}/wp-login.php   (admin / admin-password)
  VietQR admin    ${wp.url}${vietqrAdminPath("", Boolean(WOOCOMMERCE_DIR))}
  Link shop       ${wp.url}${vietqrAdminPath("link", Boolean(WOOCOMMERCE_DIR))}
  VietQR (sim)    ${sim.base}   (API user ${SIM_ACCOUNT.username})
  Sim state       ${sim.url}/sim/state

Play the payer's bank at the simulator:
  the payment block's QR:
    curl -s -X POST ${sim.url}/sim/pay -H 'content-type: application/json' -d '{"content":"Ung ho","amount":50000,"bankAccount":"${SIM_ACCOUNT.bank_account}"}'
  VietQR calls the shop back: see it on VietQR's Webhook health tab (${wp.url}${vietqrAdminPath("health", Boolean(WOOCOMMERCE_DIR))}).
${WOOCOMMERCE_DIR ? `  an order's QR, after checking out:
    curl -s ${sim.url}/sim/transactions                      # find its transaction_ref_id
    curl -s -X POST ${sim.url}/sim/pay -H 'content-type: application/json' -d '{"transactionRefId":"…"}'
  the order turns paid by itself on its order-received page.`
    : `  WooCommerce checkout is not part of this run: WOOCOMMERCE_DIR is not set and WooCommerce
  could not be downloaded. Get WooCommerce ${WOOCOMMERCE_VERSION} (the zip from
  https://wordpress.org/plugins/woocommerce/advanced/), unzip it and run
    WOOCOMMERCE_DIR=/path/to/woocommerce make demo`}

Ctrl-C to stop.`);

if (process.env.DEMO_EXIT_AFTER_READY) await stop(0);
setInterval(() => {}, 1 << 30);
