// Reads a QR code off the screen as a phone camera would: a screenshot of
// the element (with a generous white margin), decoded by zbarimg (zbar-tools,
// installed by scripts/setup.sh) — independent of the code that drew it.
//
//   const text = await decodeQr(page, ".vietqr-pay__qr svg");

import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Screenshot of `selector` clipped to the element plus `pad` CSS pixels each side (PNG Buffer). */
export async function shootElement(page, selector, { pad = 24 } = {}) {
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  const box = await el.boundingBox();
  if (!box || box.width < 10 || box.height < 10) throw new Error(`${selector}: not visible (${JSON.stringify(box)})`);
  const viewport = page.viewportSize();
  const x = Math.max(0, box.x - pad);
  const y = Math.max(0, box.y - pad);
  const clip = {
    x, y,
    width: Math.min(viewport.width - x, box.width + 2 * pad + (box.x - pad - x)),
    height: Math.min(viewport.height - y, box.height + 2 * pad + (box.y - pad - y)),
  };
  // The quiet zone is painted white whatever sits next to the code.
  const css = `${selector} { outline: ${pad}px solid #fff !important; background: #fff !important; }`;
  return page.screenshot({ clip, style: css, animations: "disabled", caret: "hide" });
}

/** zbarimg's reading of a PNG: every symbol's raw text, or [] when none was found. */
export function zbar(png) {
  const dir = mkdtempSync(join(tmpdir(), "vietqr-zbar-"));
  try {
    const file = join(dir, "qr.png");
    writeFileSync(file, png);
    let out;
    try {
      out = execFileSync("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", file], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"], // zbar's D-Bus chatter on stderr is not ours to print
      });
    } catch (e) {
      if (e.status === 4) return []; // no symbol found
      throw e;
    }
    return out.replace(/\n$/, "").split("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of the one QR code shown in `selector`; throws when there is none or several. */
export async function decodeQr(page, selector, options = {}) {
  const png = await shootElement(page, selector, options);
  const found = zbar(png);
  if (found.length !== 1) {
    const path = join(tmpdir(), `vietqr-undecodable-${Date.now()}.png`);
    writeFileSync(path, png);
    throw new Error(`${found.length} QR codes read in ${selector} (screenshot: ${path})`);
  }
  return found[0];
}
