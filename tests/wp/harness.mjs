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

/**
 * The main stack (scripts/stacks.sh: WordPress 7.1 + WooCommerce 10.0.2) is
 * what every suite runs on unless WORDPRESS_DIR / WOOCOMMERCE_DIR say
 * otherwise. Set here, before any test body reads them; a variable set to ""
 * (the demo test's "no WooCommerce") is left as it is.
 */
function mainStack() {
  if (process.env.WORDPRESS_DIR !== undefined && process.env.WOOCOMMERCE_DIR !== undefined) return;
  let out = "";
  try {
    out = execFileSync(join(ROOT, "scripts/stacks.sh"), ["env", "main"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  } catch {
    return; // said why on stderr; the suites then skip (or fail) loudly
  }
  for (const line of out.trim().split("\n")) {
    const [name, value] = [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)];
    if (name && process.env[name] === undefined) process.env[name] = value;
  }
}
mainStack();
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

/**
 * The processes of one site, by name ("db", then "php", or "fpm" and
 * "nginx"), each restartable: `make load` stops and starts them under load.
 */
function services(log) {
  const all = new Map(); // name → { cmd, args, opts, ready, proc }
  const exited = (proc) => new Promise((ok) => (proc.exitCode !== null || proc.signalCode !== null ? ok() : proc.once("exit", ok)));
  const launch = (s) => {
    s.proc = background(s.cmd, s.args, s.opts, log);
    s.proc.on("error", (e) => log.push(`${s.cmd}: ${e.message}\n`));
  };
  return {
    async add(name, cmd, args, opts, ready) {
      const s = { cmd, args, opts, ready, proc: null };
      all.set(name, s);
      launch(s);
      await waitFor(name, ready);
    },
    pid: (name) => all.get(name)?.proc?.pid,
    /** Stops one service (SIGTERM to its process group) and waits until it is gone. */
    async stop(name, signal = "SIGTERM") {
      const s = all.get(name);
      try {
        process.kill(-s.proc.pid, signal);
      } catch {
        // already gone
      }
      await exited(s.proc);
    },
    /** Starts a stopped service again, as it was first started. */
    async start(name) {
      const s = all.get(name);
      launch(s);
      await waitFor(name, s.ready);
    },
    /** Ends everything, newest first. */
    async stopAll() {
      for (const s of [...all.values()].reverse()) {
        if (!s.proc) continue;
        try {
          process.kill(-s.proc.pid, "SIGTERM");
        } catch {
          // already gone
        }
        s.proc.stdout.destroy();
        s.proc.stderr.destroy();
      }
    },
  };
}

/** Starts MariaDB in `dir`; resolves to its socket path. */
async function startMariaDb(dir, procs, log) {
  const data = join(dir, "db");
  execFileSync("mariadb-install-db", [`--datadir=${data}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"], { stdio: "ignore" });
  const socket = join(dir, "db.sock");
  const ping = () => {
    execFileSync("mariadb", [`--socket=${socket}`, "-uroot", "-e", "SELECT 1"], { stdio: "ignore" });
    return true;
  };
  await procs.add("db", "mariadbd", [`--datadir=${data}`, `--socket=${socket}`, "--skip-networking", "--user=root",
    `--pid-file=${join(dir, "db.pid")}`, "--innodb-buffer-pool-size=64M", "--skip-log-bin"], {}, () => existsSync(socket) && ping());
  execFileSync("mariadb", [`--socket=${socket}`, "-uroot", "-e",
    "CREATE DATABASE wp; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO 'wp'@'localhost';"]);
  return socket;
}

/**
 * Starts a Redis server of this site's own on a Unix socket in `dir` (no
 * port, nothing saved to disk) and unpacks the Redis Object Cache plugin
 * from ../shared/vendor (a test input, never part of the repository) once
 * per run; resolves to {socket, plugin}. `kind` must be "redis".
 */
async function startRedis(dir, procs, kind) {
  if (kind !== "redis") throw new Error(`VIETQR_OBJECT_CACHE=${kind}: only "redis" is known`);
  const zip = join(ROOT, "../shared/vendor/redis-cache-2.6.3.zip");
  const unpacked = join(tmpdir(), "vietqr-redis-cache-2.6.3");
  if (!existsSync(join(unpacked, "redis-cache/includes/object-cache.php"))) {
    if (!existsSync(zip)) throw new Error(`${zip} is missing: the object-cache runs need the Redis Object Cache plugin from ../shared/vendor`);
    execFileSync("unzip", ["-q", "-o", zip, "-d", unpacked]);
  }
  const socket = join(dir, "redis.sock");
  const ping = () => execFileSync("redis-cli", ["-s", socket, "ping"], { encoding: "utf8" }).trim() === "PONG";
  await procs.add("redis", "redis-server", ["--port", "0", "--unixsocket", socket, "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
    "--dir", dir, "--daemonize", "no"], {}, () => existsSync(socket) && ping());
  return { socket, plugin: join(unpacked, "redis-cache") };
}

/**
 * Starts MariaDB, copies WordPress, links `plugins` (name → repo-relative
 * dir) into wp-content/plugins, installs the site and serves it with PHP's
 * built-in server (several workers, so concurrent requests are real), or
 * with `server: "fpm"` behind nginx with php-fpm (`fpmChildren` workers,
 * tests/wp/fpm.mjs; `nodes` php-fpm masters behind nginx's round-robin, each a
 * web server of its own). `services` stops and starts "db", "php"/"fpm" (or
 * "fpm-1"…), "nginx", "redis".
 * With `objectCache: "redis"` (default: the VIETQR_OBJECT_CACHE variable)
 * the site runs on a persistent object cache: a Redis server of its own and
 * the Redis Object Cache plugin's drop-in, checked to be in use.
 */
export async function startWordPress({ plugins = {}, workers = 8, debug = true, extraConfig = "", server = "php", fpmChildren = 4, nodes = 1,
  objectCache = process.env.VIETQR_OBJECT_CACHE || "" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "vietqr-wp-"));
  const log = [];
  const procs = services(log);
  let accessLog = null;
  const stop = async () => {
    await procs.stopAll();
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const socket = await startMariaDb(dir, procs, log);
    const redis = objectCache ? await startRedis(dir, procs, objectCache) : null;
    const site = join(dir, "site");
    cpSync(WORDPRESS, site, { recursive: true, dereference: true });
    for (const [name, rel] of Object.entries(plugins)) {
      symlinkSync(resolve(ROOT, rel), join(site, "wp-content", "plugins", name));
    }
    if (redis) symlinkSync(redis.plugin, join(site, "wp-content", "plugins", "redis-cache"));
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
${redis ? `define('WP_REDIS_SCHEME', 'unix'); define('WP_REDIS_PATH', '${redis.socket}'); define('WP_REDIS_CLIENT', 'phpredis');` : ""}
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
    if (redis) {
      // As the plugin's "Enable Object Cache" button does: its drop-in in wp-content, the plugin active.
      cpSync(join(redis.plugin, "includes/object-cache.php"), join(site, "wp-content/object-cache.php"));
      execFileSync("php", ["-r", `$_SERVER['HTTP_HOST'] = '127.0.0.1:${port}'; require '${site}/wp-load.php'; require_once ABSPATH . 'wp-admin/includes/plugin.php';
        $r = activate_plugin('redis-cache/redis-cache.php'); if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }
        // Its activation sends the next admin page to its settings for 30 s: a suite's first admin request is not that.
        delete_transient('_rediscache_activation_redirect');
        if (!wp_using_ext_object_cache() || !wp_cache_set('vietqr-probe', 1) || wp_cache_get('vietqr-probe') !== 1) { fwrite(STDERR, 'the Redis object cache is not in use'); exit(1); }`], { stdio: "pipe" });
    }
    const up = async () => (await fetch(`${url}/?rest_route=/`)).ok;
    if (server === "fpm") {
      const { fpmNginxConfig } = await import("./fpm.mjs");
      const conf = fpmNginxConfig({ dir, site, port, children: fpmChildren, nodes });
      accessLog = conf.accessLog;
      // One node: the service "fpm"; several: "fpm-1", "fpm-2", … (each stopped and started on its own).
      for (const [i, node] of conf.nodes.entries()) {
        await procs.add(nodes === 1 ? "fpm" : `fpm-${i + 1}`, node.cmd, node.args, {}, () => existsSync(node.socket));
      }
      await procs.add("nginx", conf.nginx.cmd, conf.nginx.args, {}, up);
    } else {
      await procs.add("php", "php", ["-d", "sendmail_path=/bin/true", "-S", `127.0.0.1:${port}`, "-t", site], { env: { ...process.env, PHP_CLI_SERVER_WORKERS: String(workers) } }, up);
    }
    const wpPhp = (code) => execFileSync("php", ["-d", "sendmail_path=/bin/true", "-r", `$_SERVER['HTTP_HOST']='127.0.0.1:${port}'; require '${site}/wp-load.php'; ${code}`], { encoding: "utf8" });
    const sql = (q) => execFileSync("mariadb", [`--socket=${socket}`, "-uroot", "wp", "-N", "-B", "-e", q], { encoding: "utf8" });
    // The options (SQL LIKE pattern) that WordPress loads on every request:
    // asked of WordPress, since the stored flag's spelling changed in 6.6 (yes/no → on/off/auto…).
    const autoloaded = (like) => JSON.parse(wpPhp(`global $wpdb;
      $names = $wpdb->get_col($wpdb->prepare("SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", ${JSON.stringify(like)}));
      echo json_encode(array_values(array_intersect($names, array_keys(wp_load_alloptions()))));`));
    return { url, dir, site, socket, log, stop, php: wpPhp, sql, autoloaded, debugLog: join(dir, "debug.log"), services: procs, accessLog, objectCache: redis ? "redis" : "" };
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n${log.join("")}`);
  }
}

/**
 * A debug-log line about the plugin: one naming its files, its classes or its
 * text domain ("Translation loading for the <code>vietqr</code> domain was
 * triggered too early" names no file of ours). WordPress core's own are not.
 */
export const PLUGIN_LOG = /vietqr-for-woocommerce|php-bridge|VietQR\\|<code>vietqr[\w-]*<\/code>/;
