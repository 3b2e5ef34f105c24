// What the durability tests do in a page: open the app (worker registered and in control), load
// PocketBase's fixture through the storage engine's import, create and list records through the
// API, and ask the worker for diagnostics. Requests are described in tests/lib/records.mjs, so the
// API they use is switchable in one place.
import { createRequest, fixtureBytes, listAllTitles, ours } from "../../lib/records.mjs";
import { waitForWorker } from "../../lib/browser.mjs";

export async function openApp(context, origin) {
  const page = await context.newPage();
  await page.goto(origin + "/");
  await waitForWorker(page, "/larder-sw.js");
  return page;
}

/** Sends a request description from the page; resolves {status, text} or rejects (network error). */
export function send(page, req) {
  return page.evaluate(async (r) => {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    return { status: res.status, text: await res.text(), storage: res.headers.get("x-larder-storage") };
  }, req);
}

export async function createRecord(page, title) {
  return send(page, createRequest(title));
}

/** Our titles (those starting with `prefix`), from every page of the listing. */
export async function listTitles(page, prefix) {
  return ours(await listAllTitles((req) => send(page, req)), prefix);
}

/** Runs a larderClient() method in the page (sdk/src/client.ts, served as /index.js). */
export function client(page, method, arg) {
  return page.evaluate(
    async ({ method, arg }) => {
      const { larderClient } = await import("/index.js");
      const c = larderClient();
      if (method === "importDatabase") return c.importDatabase(Uint8Array.from(atob(arg), (ch) => ch.charCodeAt(0)));
      if (method === "exportDatabase") return (await c.exportDatabase()).length;
      return c[method]();
    },
    { method, arg },
  );
}

export async function importFixture(page) {
  await client(page, "importDatabase", Buffer.from(fixtureBytes()).toString("base64"));
}

export const integrityCheck = (page) => client(page, "integrityCheck");
export const workerStatus = (page) => client(page, "status");

/** Forces the worker(s) to stop, as the browser does ~30 s after the last event. */
export async function stopWorkers(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await cdp.detach();
}
