// A newcomer online without ../shared gets WooCommerce from wordpress.org,
// whose zips are other bytes than the repacked builds in ../shared/vendor:
// scripts/stacks.sh checks what a download unpacks to (one hash per
// top-level entry, scripts/woocommerce-trees.txt). A genuine release packed
// differently passes; a changed, added or missing file fails and is named.
// Needs the build in ../shared/vendor to make the zips from; skipped loudly
// without it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, appendFileSync, writeFileSync, readFileSync, utimesSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
const VERSION = "7.9.0";
const VENDOR_ZIP = join(ROOT, `../shared/vendor/woocommerce-${VERSION}.zip`);
const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** WooCommerce unpacked, changed by `change(dir)`, packed again as another zip tool would (stored, new times). */
function repack(change = () => {}) {
  const work = mkdtempSync(join(tmpdir(), "vietqr-wc-zip-"));
  execFileSync("unzip", ["-q", VENDOR_ZIP, "-d", work]);
  utimesSync(join(work, "woocommerce/woocommerce.php"), new Date(), new Date());
  change(join(work, "woocommerce"));
  execFileSync("zip", ["-q", "-0", "-r", "-X", "woocommerce.zip", "woocommerce"], { cwd: work });
  return { zip: join(work, "woocommerce.zip"), done: () => rmSync(work, { recursive: true, force: true }) };
}

function verify(zip) {
  const r = spawnSync(join(ROOT, "scripts/stacks.sh"), ["verify", zip, VERSION], { encoding: "utf8" });
  return { ok: r.status === 0, said: r.stderr };
}

if (!existsSync(VENDOR_ZIP)) {
  if (existsSync(join(ROOT, "../shared"))) test("WooCommerce download check", () => assert.fail(`${VENDOR_ZIP} is missing`));
  else test.skip(`WooCommerce download check (SKIPPED: ${VENDOR_ZIP} is missing)`, () => {});
} else {
  test("a genuine WooCommerce packed as other bytes unpacks to the release: accepted", () => {
    const { zip, done } = repack();
    try {
      assert.notEqual(sha256(zip), sha256(VENDOR_ZIP), "the zip's own bytes differ");
      const r = verify(zip);
      assert.ok(r.ok, r.said);
      assert.match(r.said, /unpacks to WooCommerce 7\.9\.0 as released/);
    } finally {
      done();
    }
  });

  test("a changed file, an added file, a missing file: refused, naming where", () => {
    const cases = [
      ["one line added to a PHP file", (dir) => appendFileSync(join(dir, "includes/class-wc-form-handler.php"), "\n// tampered\n"), /differing: includes$/],
      ["a file added at the top", (dir) => writeFileSync(join(dir, "evil.php"), "<?php system($_GET['c']);"), /differing: evil\.php$/],
      ["a file left out", (dir) => rmSync(join(dir, "uninstall.php")), /differing: uninstall\.php$/],
    ];
    for (const [what, change, named] of cases) {
      const { zip, done } = repack(change);
      try {
        const r = verify(zip);
        assert.equal(r.ok, false, `${what}: accepted`);
        assert.match(r.said.trim().split("\n").at(-1), new RegExp(`does not unpack to WooCommerce 7\\.9\\.0 as released; ${named.source}`), what);
      } finally {
        done();
      }
    }
  });
}
