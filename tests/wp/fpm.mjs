// nginx in front of php-fpm (pm = static, opcache on), both run as the
// current user in the foreground with their configs, sockets, logs and temp
// files in the site's temporary directory: the multi-process PHP server of a
// production shop, for `make load`. startWordPress({ server: "fpm" }) uses it.
// Needs Debian's nginx and php8.2-fpm (scripts/setup-load.sh installs them).

import { writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

/** The php-fpm binary: PHP_FPM, else php-fpm<version of the CLI php>, else php-fpm. */
export function fpmBinary() {
  if (process.env.PHP_FPM) return process.env.PHP_FPM;
  const version = execFileSync("php", ["-r", "echo PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;"], { encoding: "utf8" }).trim();
  for (const name of [`/usr/sbin/php-fpm${version}`, "/usr/sbin/php-fpm"]) {
    if (existsSync(name)) return name;
  }
  throw new Error(`php-fpm${version} is missing: run ./scripts/setup-load.sh`);
}

/**
 * Writes nginx.conf and a php-fpm config per node (`nodes`, default 1) into
 * `dir` for `site` on 127.0.0.1:`port`. Returns the commands to run (`fpm`,
 * the first node; `nodes`, all of them; `nginx`) and where their logs go. The access log
 * holds one tab-separated line per request: its end time (s), the
 * X-Load-Kind request header,
 * method, URI, status, nginx's total time, the upstream (PHP) time, the
 * Server-Timing header PHP answered with and the node (socket) that served it.
 */
export function fpmNginxConfig({ dir, site, port, children = 4, nodes = 1 }) {
  const root = process.getuid?.() === 0;
  const temp = join(dir, "nginx-temp");
  mkdirSync(temp, { recursive: true });
  const accessLog = join(dir, "access.log");
  // One php-fpm master per node, each with its own config, socket, pid and
  // opcache: with nodes > 1, separate web servers over one database (and one
  // object cache), as a shop behind a load balancer runs.
  const names = nodes === 1 ? ["php-fpm"] : Array.from({ length: nodes }, (_, i) => `php-fpm-${i + 1}`);
  const fpm = names.map((name) => {
    const socket = join(dir, `${name}.sock`);
    writeFileSync(join(dir, `${name}.conf`), `[global]
pid = ${join(dir, `${name}.pid`)}
error_log = ${join(dir, `${name}.log`)}
daemonize = no

[www]
${root ? "user = root\ngroup = root\n" : ""}listen = ${socket}
listen.backlog = 1024
pm = static
pm.max_children = ${children}
catch_workers_output = yes
clear_env = no
php_admin_value[opcache.memory_consumption] = 128
php_admin_value[opcache.jit] = off
php_admin_value[sendmail_path] = /bin/true
php_admin_value[memory_limit] = 256M
`);
    // opcache.enable can only be switched on at startup, not per pool.
    return { cmd: fpmBinary(), args: ["-y", join(dir, `${name}.conf`), "-F", "-d", "opcache.enable=1", ...(root ? ["-R"] : [])], socket };
  });
  const fastcgi = ["QUERY_STRING $query_string", "REQUEST_METHOD $request_method", "CONTENT_TYPE $content_type",
    "CONTENT_LENGTH $content_length", "SCRIPT_NAME $fastcgi_script_name", "REQUEST_URI $request_uri",
    "DOCUMENT_URI $document_uri", "DOCUMENT_ROOT $document_root", "SERVER_PROTOCOL $server_protocol",
    "REQUEST_SCHEME $scheme", "GATEWAY_INTERFACE CGI/1.1", "SERVER_SOFTWARE nginx", "REMOTE_ADDR $remote_addr",
    "REMOTE_PORT $remote_port", "SERVER_ADDR $server_addr", "SERVER_PORT $server_port", "SERVER_NAME $server_name",
    "REDIRECT_STATUS 200", "SCRIPT_FILENAME $document_root$fastcgi_script_name"]
    .map((p) => `      fastcgi_param ${p};`).join("\n");
  writeFileSync(join(dir, "nginx.conf"), `${root ? "user root;\n" : ""}daemon off;
worker_processes 1;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "nginx-error.log")} warn;
events { worker_connections 1024; }
http {
  log_format load '$msec\\t$http_x_load_kind\\t$request_method\\t$request_uri\\t$status\\t$request_time\\t$upstream_response_time\\t$upstream_http_server_timing\\t$upstream_addr';
  # Round-robin over the nodes; a node that refuses the connection is skipped for the request.
  upstream php { ${fpm.map((f) => `server unix:${f.socket};`).join(" ")} }
  access_log ${accessLog} load;
  client_body_temp_path ${temp}/body; fastcgi_temp_path ${temp}/fastcgi; proxy_temp_path ${temp}/proxy;
  uwsgi_temp_path ${temp}/uwsgi; scgi_temp_path ${temp}/scgi;
  client_max_body_size 2m;
  keepalive_requests 100000;
  types { text/css css; application/javascript js; image/png png; image/svg+xml svg; }
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${site};
    index index.php;
    location / { try_files $uri $uri/ /index.php?$args; }
    location ~ \\.php$ {
      try_files $uri =404;
${fastcgi}
      fastcgi_pass php;
    }
  }
}
`);
  return {
    fpm: fpm[0],
    nodes: fpm,
    nginx: { cmd: "nginx", args: ["-c", join(dir, "nginx.conf"), "-e", join(dir, "nginx-error.log")] },
    accessLog,
  };
}
