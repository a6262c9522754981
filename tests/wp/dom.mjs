// Markup read as a browser reads it (linkedom), not with regexes: WordPress
// versions print the same tags with their attributes in other orders and
// quotes (7.1 differs from 6.1).
//
//   const doc = dom(html); doc.querySelector('script[type="module"][src*="pay.js"]')

import { parseHTML } from "linkedom";

/** The document of an HTML page or fragment. */
export function dom(html) {
  return parseHTML(/<html[\s>]/i.test(html) ? html : `<!doctype html><html><body>${html}</body></html>`).document;
}

/** The src of the first module script whose src contains `part`, or null. */
export function moduleScriptSrc(html, part) {
  const found = [...dom(html).querySelectorAll('script[type="module"][src]')].find((s) => s.getAttribute("src").includes(part));
  return found ? found.getAttribute("src") : null;
}

/** The href of the first stylesheet link whose href contains `part`, or null. */
export function stylesheetHref(html, part) {
  const found = [...dom(html).querySelectorAll('link[rel="stylesheet"][href]')].find((l) => l.getAttribute("href").includes(part));
  return found ? found.getAttribute("href") : null;
}
