// The plugin's page build (php-bridge/assets/pkg, feature `page`): it answers
// the ops shop pages call exactly as the full core does, on every shared
// vector, and refuses every other op by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { root } from "./load-core.mjs";

const page = await import(new URL("php-bridge/assets/pkg/vietqr.js", `file://${root}`).href);
page.initSync({ module: readFileSync(`${root}php-bridge/assets/pkg/vietqr_bg.wasm`) });
const PAGE_OPS = ["qr.svg", "ws.parse", "ops.list"];

test("ops.list names only the page ops", () => {
  assert.deepStrictEqual(page.call("ops.list", {}), { ok: true, value: PAGE_OPS });
});

const dir = `${root}tests/vectors/`;
const vectors = readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
  .flatMap((f) => JSON.parse(readFileSync(dir + f, "utf8")).vectors.map((v) => ({ ...v, file: f })));

test("page ops answer every vector as the full core does", () => {
  const ours = vectors.filter((v) => PAGE_OPS.includes(v.op));
  assert.ok(ours.filter((v) => v.op === "qr.svg").length > 0 && ours.filter((v) => v.op === "ws.parse").length > 0);
  for (const v of ours) assert.deepStrictEqual(page.call(v.op, v.input), v.expect, `${v.file}: ${v.name}`);
});

test("every other op is unknown_op, naming what the page build has", () => {
  const others = [...new Set(vectors.map((v) => v.op).filter((op) => !PAGE_OPS.includes(op)))];
  assert.ok(others.includes("payload.build") && others.includes("callback.transaction_sync"));
  for (const op of others) {
    const out = page.call(op, {});
    assert.equal(out.ok, false, op);
    assert.equal(out.error.code, "unknown_op", op);
    assert.equal(out.error.message, `no op named ${JSON.stringify(op)} in the page build of the core (it has ["qr.svg", "ws.parse", "ops.list"])`);
  }
});
