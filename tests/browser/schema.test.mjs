// The app's shipped schema in the service worker (sdk/src/setup.ts, worker/src/sw.ts): a worker
// registered as /larder-sw.js?schema=/pb_schema.json creates the collections and seed records on
// its first start, and — with the site gone (offline) and the worker stopped — applies the
// schema it cached at install again on a cold start, records intact.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchBrowser } from "../lib/browser.mjs";
import { stopWorkers } from "./lib/app.mjs";
import { startSite } from "./lib/site.mjs";

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close().catch(() => {});
});

const schema = {
  collections: [
    {
      id: "pbc_notes00000001",
      name: "notes",
      type: "base",
      listRule: "",
      viewRule: "",
      createRule: "",
      fields: [{ id: "text_body00001", name: "body", type: "text", system: false, hidden: false, presentable: false }],
      indexes: [],
    },
  ],
  seed: { notes: [{ body: "welcome" }] },
};

async function bodies(page) {
  return page.evaluate(async () => {
    const res = await fetch("/api/collections/notes/records?sort=body");
    return { status: res.status, bodies: res.ok ? (await res.json()).items.map((r) => r.body) : [] };
  });
}

test("?schema= applies the shipped collections and seeds on first start, and again offline after a cold start", async () => {
  writeFileSync(join(site.dir, "pb_schema.json"), JSON.stringify(schema));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.origin + "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.register("/larder-sw.js?schema=/pb_schema.json", { scope: "/" });
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
  assert.deepEqual(await bodies(page), { status: 200, bodies: ["welcome"] });
  const made = await page.evaluate(async () => {
    const res = await fetch("/api/collections/notes/records", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ body: "mine" }),
    });
    return res.status;
  });
  assert.equal(made, 200);

  // Offline and cold: the schema comes from the worker's cache; the seed is not added twice.
  await site.close();
  site = null;
  await stopWorkers(context, page);
  assert.deepEqual(await bodies(page), { status: 200, bodies: ["mine", "welcome"] });
  await context.close();
});
