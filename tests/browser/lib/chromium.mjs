// Chromium as a process we own, for the durability tests: spawned with a persistent profile in its
// own process group and driven over CDP (playwright-core's connectOverCDP). Owning the process is
// what lets a test SIGKILL the whole browser — a crash, not a shutdown — by its process group id.
// (launchPersistentContext hides the process.) Same flags as tests/lib/browser.mjs.
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../lib/browser.mjs";

export async function launchChromium(userDataDir) {
  const child = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, "--headless", "--remote-debugging-port=0", `--user-data-dir=${userDataDir}`, "about:blank"],
    { detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const endpoint = await new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${buf}`)), 30_000);
    child.stderr.on("data", (d) => {
      buf += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`chromium exited (${code}): ${buf}`)));
  });
  child.stderr.resume(); // keep draining so Chromium never blocks on a full pipe
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  let gone = false;
  return {
    browser,
    context,
    pid: child.pid,
    /** SIGKILL to the browser's whole process group: every Chromium process dies at once. */
    async kill() {
      if (gone) return;
      gone = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      await exited;
      await browser.close().catch(() => {});
    },
    /** A normal shutdown (Browser.close), then wait for the process to exit. */
    async close() {
      if (gone) return;
      gone = true;
      try {
        const cdp = await browser.newBrowserCDPSession();
        await cdp.send("Browser.close");
      } catch {}
      const timeout = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 15_000);
      await exited;
      clearTimeout(timeout);
      await browser.close().catch(() => {});
    },
  };
}
