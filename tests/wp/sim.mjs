// vietqr-sim (target/release/vietqr-sim, built by `make build`) on a free
// loopback port, for the plugin's tests: VietQR.vn as the protocol reference
// describes it, with its inspection endpoints under /sim.
//
//   const sim = await startSim({ callbackBase: `${wp.url}/?rest_route=/vietqr/v1` });
//   await sim.post("/sim/pay", {...}); await sim.stop();

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, existsSync, openSync, closeSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, freePort } from "./harness.mjs";

export const SIM_ACCOUNT = {
  username: "shop-api-user",
  password: "shop-api-password-123",
  secret_key: "shop-refund-secret",
  bank_code: "MB",
  bank_account: "0123456789",
  user_bank_name: "NGUYEN VAN A",
};
export const CALLBACK = { username: "vietqr-callback", password: "callback-password-456" };

// The simulator logs to a file, not a pipe: a pipe this process reads would
// fill up while a long execFileSync blocks the event loop, and stall the
// simulator. quiet: no log line per call.
export async function startSim({ callbackBase = null, tokenTtl = 300, retryScale = 0.001, extraAccounts = [], quiet = false } = {}) {
  const bin = join(ROOT, "target/release/vietqr-sim");
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`make build\``);
  const dir = mkdtempSync(join(tmpdir(), "vietqr-sim-"));
  const config = {
    environment: "sandbox",
    seed: 7,
    accounts: [
      {
        username: SIM_ACCOUNT.username,
        password: SIM_ACCOUNT.password,
        secret_key: SIM_ACCOUNT.secret_key,
        ecommerce: true,
        bank_accounts: [{ bank_code: SIM_ACCOUNT.bank_code, bank_account: SIM_ACCOUNT.bank_account, user_bank_name: SIM_ACCOUNT.user_bank_name }],
        merchants: [{ mid: "MER12345678", name: "Cua hang A" }],
        ...(callbackBase ? { callback: { base_url: callbackBase, username: CALLBACK.username, password: CALLBACK.password } } : {}),
      },
      ...extraAccounts,
    ],
  };
  writeFileSync(join(dir, "sim.json"), JSON.stringify(config, null, 2));
  const port = await freePort();
  const logFile = join(dir, "sim.log");
  const fd = openSync(logFile, "a");
  const p = spawn(bin, ["--listen", `127.0.0.1:${port}`, "--config", join(dir, "sim.json"), "--token-ttl", String(tokenTtl), "--retry-scale", String(retryScale), ...(quiet ? ["--quiet"] : [])], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`${url}/sim/state`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`vietqr-sim did not start: ${readLog()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const call = async (method, path, body) => {
    const r = await fetch(url + path, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: r.status, json, text };
  };
  return {
    url,
    base: `${url}/vqr`,
    get log() {
      return readLog();
    },
    get: (path) => call("GET", path),
    post: (path, body = {}) => call("POST", path, body),
    put: (path, body) => call("PUT", path, body),
    async stop() {
      p.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 100));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The owner scans the shop's certificate QR in the VietQR app and picks the
 * simulator's bank account: the app's token, then ecommerce activation
 * (what VietQR then reports to the link-shop page over its WebSocket).
 * Resolves to the activation's answer {status, text}.
 */
export async function scanCertificate(sim, certificate, website) {
  const token = (await (await fetch(`${sim.base}/api/token_generate`, {
    method: "POST",
    headers: { authorization: "Basic " + Buffer.from(`${SIM_ACCOUNT.username}:${SIM_ACCOUNT.password}`).toString("base64") },
  })).json()).access_token;
  const r = await fetch(`${sim.base}/api/ecommerce/active`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      certificate, bankAccount: SIM_ACCOUNT.bank_account, bankCode: "MB",
      fullName: "Nguyen Van A", name: "Shop A", nationalId: "001099000001", email: "a@example.test",
      phoneNo: "0900000001", address: "1 Le Loi", webhook: "", career: "retail", businessType: 0, website,
    }),
  });
  return { status: r.status, text: await r.text() };
}
