// A real WordPress on a real MariaDB, served over HTTP on loopback, for the
// plugin's integration and browser tests. Everything lives in one temporary
// directory and every process is stopped by stop().
//
//   const wp = await startWordPress({ plugins: { "vietqr-for-woocommerce": "php-bridge" } });
//   await fetch(`${wp.url}/?rest_route=/`); …; await wp.stop();

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, symlinkSync, rmSync, existsSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:net";

export const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const WORDPRESS = process.env.WORDPRESS_DIR || "/usr/share/wordpress";

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitFor(what, check, ms = 20000) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up in ${ms} ms${last ? `: ${last.message}` : ""}`);
}

function background(cmd, args, opts, log) {
  // Its own process group, so that stop() also ends the server's workers.
  const p = spawn(cmd, args, { ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  p.stdout.on("data", (d) => log.push(String(d)));
  p.stderr.on("data", (d) => log.push(String(d)));
  return p;
}

/** Starts MariaDB in `dir`; resolves to its socket path. */
async function startMariaDb(dir, procs, log) {
  const data = join(dir, "db");
  execFileSync("mariadb-install-db", [`--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"], { stdio: "ignore" });
  const socket = join(dir, "db.sock");
  procs.push(background("mariadbd", [`--datadir=${data}`, `--socket=${socket}`, "--skip-networking", "--user=root",
    `--pid-file=${join(dir, "db.pid")}`, "--innodb-buffer-pool-size=64M", "--skip-log-bin"], {}, log));
  await waitFor("MariaDB", () => existsSync(socket));
  execFileSync("mariadb", [`--socket=${socket}`, "-uroot", "-e",
    "CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';"]);
  return socket;
}

/**
 * Starts MariaDB, copies WordPress, links `plugins` (name → repo-relative
 * dir) into wp-content/plugins, installs the site and serves it with PHP's
 * built-in server (several workers, so concurrent requests are real).
 */
export async function startWordPress({ plugins = {}, workers = 8, debug = true, extraConfig = "" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vietqr-wp-"));
  const procs = [];
  const log = [];
  const stop = async () => {
    for (const p of procs.reverse()) {
      try {
        process.kill(-p.pid, "SIGTERM");
      } catch {
        // already gone
      }
      p.stdout.destroy();
      p.stderr.destroy();
    }
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socket = await startMariaDb(dir, procs, log);
    const site = join(dir, "site");
    cpSync(WORDPRESS, site, { recursive: true, dereference: true });
    for (const [name, rel] of Object.entries(plugins)) {
      symlinkSync(resolve(ROOT, rel), join(site, "wp-content", "plugins", name));
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    writeFileSync(join(site, "wp-config.php"), `<?php
define('DB_NAME', 'wp'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wp');
define('DB_HOST', 'localhost:${socket}'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('WP_HOME', '${url}'); define('WP_SITEURL', '${url}');
define('WP_DEBUG', ${debug ? "true" : "false"}); define('WP_DEBUG_LOG', '${join(dir, "debug.log")}'); define('WP_DEBUG_DISPLAY', false);
define('AUTH_KEY', 'test-auth'); define('SECURE_AUTH_KEY', 'test-secure'); define('LOGGED_IN_KEY', 'test-logged');
define('NONCE_KEY', 'test-nonce'); define('AUTH_SALT', 's1'); define('SECURE_AUTH_SALT', 's2');
define('LOGGED_IN_SALT', 's3'); define('NONCE_SALT', 's4');
define('DISABLE_WP_CRON', true); define('FS_METHOD', 'direct'); define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true); define('WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost');
${extraConfig}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) { define('ABSPATH', __DIR__ . '/'); }
require_once ABSPATH . 'wp-settings.php';
`);
    writeFileSync(join(dir, "install.php"), `<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}';
require '${site}/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('VietQR test shop', 'admin', 'admin@example.test', true, '', 'admin-password');
update_option('permalink_structure', '');
`);
    execFileSync("php", [join(dir, "install.php")], { stdio: "pipe" });
    procs.push(background("php", ["-d", "sendmail_path=/bin/true", "-S", `127.0.0.1:${port}`, "-t", site], { env: { ...process.env, PHP_CLI_SERVER_WORKERS: String(workers) } }, log));
    await waitFor("WordPress", async () => (await fetch(`${url}/?rest_route=/`)).ok);
    const wpPhp = (code) => execFileSync("php", ["-d", "sendmail_path=/bin/true", "-r", `$_SERVER['HTTP_HOST']='127.0.0.1:${port}'; require '${site}/wp-load.php'; ${code}`], { encoding: "utf8" });
    const sql = (q) => execFileSync("mariadb", [`--socket=${socket}`, "-uroot", "wp", "-N", "-B", "-e", q], { encoding: "utf8" });
    return { url, dir, site, socket, log, stop, php: wpPhp, sql, debugLog: join(dir, "debug.log") };
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${log.join("")}`);
  }
}
