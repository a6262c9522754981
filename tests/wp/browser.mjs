// Debian's Chromium through playwright-core, for the browser tests, with the
// console watched: every console error and uncaught exception of a page is
// collected, so a test can assert there was none.
//
// This machine is offline and the test sites have no favicon: requests that
// leave 127.0.0.1 (Gravatar avatars in the admin bar…) and /favicon.ico are
// answered empty here, so that the only errors left are the site's own.

import { chromium } from "playwright-core";

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 };

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
}

/** Answers requests off the machine and favicon requests with an empty 204. */
export async function keepLocal(context) {
  await context.route((url) => !/^(127\.0\.0\.1|localhost)$/.test(url.hostname) || url.pathname === "/favicon.ico",
    (route) => route.fulfill({ status: 204, body: "" }));
}

/** Collects `page`'s console errors and uncaught exceptions into the returned array. */
export function watchConsole(page, errors = []) {
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  return errors;
}

/** A fresh context (own cookies) and page, kept local, console watched: {context, page, errors}. */
export async function openPage(browser, options = DESKTOP) {
  const context = await browser.newContext(options);
  await keepLocal(context);
  const page = await context.newPage();
  const errors = watchConsole(page);
  return { context, page, errors };
}

/** Logs `page` in to wp-admin. */
export async function logIn(page, url, user = "admin", password = "admin-password") {
  await page.goto(`${url}/wp-login.php`);
  await page.fill("#user_login", user);
  await page.fill("#user_pass", password);
  await Promise.all([page.waitForNavigation(), page.click("#wp-submit")]);
}
