// The demo: a shop to click through, with no VietQR account and no internet.
// A real WordPress on MariaDB with the plugin active, the simulator standing
// in for VietQR.vn, and (when WOOCOMMERCE_DIR points at a WooCommerce build)
// a store with one product and VietQR at checkout. Ctrl-C stops everything.

import { startShop, stopShop } from "../tests/wp/shop.mjs";
import { SIM_ACCOUNT } from "../tests/wp/sim.mjs";

const woocommerce = Boolean(process.env.WOOCOMMERCE_DIR);
const shop = await startShop({ woocommerce, wpOptions: { workers: 4 } });
const { wp, sim } = shop;
let product = "";
if (woocommerce) {
  product = wp.php(`
    update_option('woocommerce_currency', 'VND'); update_option('woocommerce_price_num_decimals', 0);
    update_option('woocommerce_onboarding_profile', ['skipped' => true]);
    update_option('woocommerce_vietqr_settings', ['enabled' => 'yes', 'title' => 'VietQR']);
    WC_Install::create_pages();
    $p = new WC_Product_Simple(); $p->set_name('Cà phê sữa đá'); $p->set_regular_price('45000'); $p->set_status('publish'); $p->save();
    echo get_permalink($p->get_id());`);
}
console.log(`
VietQR demo shop is up.

  Shop          ${wp.url}/${product ? `\n  Product       ${product}` : ""}
  Admin         ${wp.url}/wp-admin/admin.php?page=vietqr   (admin / admin-password)
  VietQR (sim)  ${sim.base}   (API user ${SIM_ACCOUNT.username})

Play the buyer's bank: after placing an order, pay its QR with
  curl -s ${sim.url}/sim/transactions                      # find transaction_ref_id
  curl -s -X POST ${sim.url}/sim/pay -H 'content-type: application/json' -d '{"transactionRefId":"…"}'
${woocommerce ? "" : "\n(WOOCOMMERCE_DIR is not set: no store pages; the admin screens and callbacks work.)\n"}
Ctrl-C to stop.`);

const stop = async () => {
  await stopShop(shop);
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => {}, 1 << 30);
