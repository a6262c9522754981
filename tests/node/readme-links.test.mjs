// The front door stays true: every file the README links or shows is in the
// repository, and its screenshots stay light enough to read on a phone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { root } from "./load-core.mjs";

const readme = readFileSync(`${root}README.md`, "utf8");
// Markdown links and images, and <img src="…">; not web addresses or anchors.
const targets = [
  ...[...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]),
  ...[...readme.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]),
].filter((t) => !/^(https?:|mailto:|#)/.test(t)).map((t) => t.split("#")[0]);

test("the README links only to files that exist", () => {
  assert.ok(targets.length > 0, "no local links found");
  const missing = [...new Set(targets)].filter((t) => !existsSync(root + t));
  assert.deepStrictEqual(missing, []);
});

test("the README's screenshots are PNGs under 150 KB", () => {
  const images = [...new Set(targets.filter((t) => /\.(png|jpe?g|gif|webp)$/i.test(t)))];
  assert.ok(images.length >= 6, `only ${images.length} images`);
  for (const image of images) {
    assert.match(image, /\.png$/);
    assert.ok(statSync(root + image).size < 150 * 1024, `${image} is ${statSync(root + image).size} bytes`);
  }
});
