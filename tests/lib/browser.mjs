// Launching Debian's Chromium through playwright-core, with the flags these machines need
// (../shared/design/BROWSER-NOTES.md): no sandbox as root, no background networking (the
// network is closed and Chromium would otherwise hammer it), no GPU.
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchBrowser(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...options });
}

export function launchPersistent(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
}

/** Registers `swUrl` on the page and resolves once it controls the page. */
export async function waitForWorker(page, swUrl) {
  await page.evaluate(async (url) => {
    await navigator.serviceWorker.register(url, { scope: "/" });
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  }, swUrl);
}
