// Every shared vector file, through the WASM build in pkg/ (the same files
// `cargo test` runs natively in tests/vectors.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { call, root } from "./load-core.mjs";

const dir = `${root}tests/vectors/`;
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

test("the vector files are all here", () => {
  for (const f of ["payloads.json", "checksums.json", "callbacks.json", "qr.json", "api_requests.json", "api_replies.json", "deeplinks.json", "candidates.json"]) {
    assert.ok(files.includes(f), `${f} missing`);
  }
});

for (const file of files) {
  const { vectors } = JSON.parse(readFileSync(dir + file, "utf8"));
  test(file, async (t) => {
    assert.ok(vectors.length > 0);
    for (const v of vectors) {
      await t.test(v.name, () => {
        assert.ok(v.provenance, "provenance");
        assert.deepStrictEqual(call(v.op, v.input), v.expect);
      });
    }
  });
}
