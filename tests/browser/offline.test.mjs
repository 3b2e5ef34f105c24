// The browser demo works offline: load it once, let the service worker take over, stop the HTTP
// server, reload (also after a forced worker cold start) — the page and /api/ still answer,
// from the worker's caches and the wasm core. Writes made offline persist (OPFS) across reloads
// and cold starts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "../lib/browser.mjs";
import { WEB_DIST } from "../lib/paths.mjs";
import { startStaticServer } from "../../scripts/static-server.mjs";
import { createRequest, fixtureBytes, listRequest, ours, titlesOf } from "../lib/records.mjs";

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

// Loads PocketBase's fixture through the worker's import message (sdk/src/protocol.ts; the demo
// site does not serve the page client, so the message is sent by hand).
function importFixture(page) {
  return page.evaluate(async (b64) => {
    const db = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const channel = new MessageChannel();
    const reply = new Promise((resolve) => (channel.port1.onmessage = (e) => resolve(e.data)));
    navigator.serviceWorker.controller.postMessage({ protocol: "larder/1", op: "import", db }, [channel.port2]);
    return reply;
  }, Buffer.from(fixtureBytes()).toString("base64"));
}

async function send(page, req) {
  return page.evaluate(async (r) => {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    return { status: res.status, text: await res.text() };
  }, req);
}

async function offlineTitles(page) {
  const res = await send(page, listRequest());
  assert.equal(res.status, 200, res.text);
  return ours(titlesOf(JSON.parse(res.text)), "offline-");
}

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

  // Writes while offline, kept across a reload.
  assert.deepEqual(await importFixture(page), { ok: true, value: null });
  for (const title of ["offline-1", "offline-2"]) assert.equal((await send(page, createRequest(title))).status, 200);
  await page.reload();
  await healthShown(page);
  assert.deepEqual(await offlineTitles(page), ["offline-1", "offline-2"]);

  // A cold start: stop the worker, then reload; the core must come back from the caches.
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await page.reload();
  const cold = await healthShown(page);
  assert.equal(cold.host, "service-worker");
  // The cold-started worker rebuilt the database from OPFS; it still takes writes.
  assert.deepEqual(await offlineTitles(page), ["offline-1", "offline-2"]);
  assert.equal((await send(page, createRequest("offline-3"))).status, 200);
  await page.reload();
  await healthShown(page);
  assert.deepEqual(await offlineTitles(page), ["offline-1", "offline-2", "offline-3"]);

  assert.deepEqual(errors, []);
  await context.close();
});
