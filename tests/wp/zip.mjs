// The plugin as an admin gets it: dist/vietqr-for-woocommerce.zip, packed by
// scripts/plugin-zip.sh and installed by unzipping it into
// wp-content/plugins, as WordPress's "Upload Plugin" does. Also a login for
// plain fetch() calls, the way a person signs in at wp-login.php.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./harness.mjs";
import { q } from "./shop.mjs";
import { cookieHeader, signIn } from "./http.mjs";

export const ZIP = join(ROOT, "dist", "vietqr-for-woocommerce.zip");

/** Packs the zip from the current tree (about a second; the same tree gives the same bytes). */
export function buildPluginZip(out = ZIP) {
  execFileSync(join(ROOT, "scripts", "plugin-zip.sh"), [out], { stdio: "pipe" });
  return out;
}

/** The zip's entries, as `unzip -Z1` lists them. */
export function zipEntries(zip = ZIP) {
  return execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).trim().split("\n");
}

/** Unzips into the site's plugins folder and activates, as an admin (user 1). */
export function installPluginZip(wp, zip = ZIP, { activate = true } = {}) {
  execFileSync("unzip", ["-q", "-o", zip, "-d", join(wp.site, "wp-content", "plugins")]);
  if (activate) {
    wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; wp_set_current_user(1);
      $r = activate_plugin(${q("vietqr-for-woocommerce/vietqr-for-woocommerce.php")});
      if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }`);
  }
}

/** Signs in at wp-login.php; resolves to the Cookie header of the session. */
export async function login(url, user = "admin", password = "admin-password") {
  return cookieHeader(await signIn(url, user, password));
}
