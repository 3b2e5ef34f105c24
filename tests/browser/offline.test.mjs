// The browser demo works offline: load it once, let the service worker take over, stop the HTTP
// server, reload (also after a forced worker cold start) — the page and /api/ still answer,
// from the worker's caches and the wasm core.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "../lib/browser.mjs";
import { WEB_DIST } from "../lib/paths.mjs";
import { startStaticServer } from "../../scripts/static-server.mjs";

let browser;
let server;
let origin;

before(async () => {
  server = await startStaticServer({ root: WEB_DIST });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
});

async function healthShown(page) {
  await page.waitForFunction(() => document.getElementById("health")?.textContent?.includes("API is healthy."), null, {
    timeout: 15000,
  });
  return {
    host: await page.textContent("#host"),
    health: await page.textContent("#health"),
  };
}

test("demo answers /api/health from the service worker, online and offline", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  await page.goto(origin + "/");
  const first = await healthShown(page);
  assert.equal(first.host, "service-worker");
  assert.match(first.health, /^200 /);

  // Straight from page code too, byte for byte what PocketBase sends.
  const direct = await page.evaluate(async () => {
    const r = await fetch("/api/health");
    return { status: r.status, host: r.headers.get("x-larder-host"), text: await r.text() };
  });
  assert.deepEqual(direct, {
    status: 200,
    host: "service-worker",
    text: '{"message":"API is healthy.","code":200,"data":{}}\n',
  });

  // Offline: the server is gone for good.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  const gone = await page.evaluate(async () => {
    try {
      await fetch("/index.html?bypass=" + Date.now(), { cache: "no-store" });
      return "reachable";
    } catch {
      return "unreachable";
    }
  });
  // The demo worker falls back to its cache only for shell files; an unknown URL fails.
  assert.equal(gone, "unreachable");

  await page.reload();
  const offline = await healthShown(page);
  assert.equal(offline.host, "service-worker");

  // A cold start: stop the worker, then reload; the core must come back from the caches.
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await page.reload();
  const cold = await healthShown(page);
  assert.equal(cold.host, "service-worker");

  assert.deepEqual(errors, []);
  await context.close();
});
