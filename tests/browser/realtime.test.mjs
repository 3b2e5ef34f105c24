// Realtime through the service worker: two tabs open EventSource on /api/realtime (the official
// pocketbase SDK does the same), subscribe to demo2 (public rules in PocketBase's fixture), one
// tab creates a record, and both receive the create event. The worker answers GET /api/realtime
// with a streaming Response fed from the core's broker (sdk/src/realtime.ts).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createRequest } from "../lib/records.mjs";
import { importFixture, openApp, send } from "./lib/app.mjs";
import { launchChromium } from "./lib/chromium.mjs";
import { startSite } from "./lib/site.mjs";

let site;
let profile;
let browser;

before(async () => {
  site = await startSite();
  profile = mkdtempSync(join(tmpdir(), "larder-profile-"));
  browser = await launchChromium(profile);
});
after(async () => {
  await browser?.close();
  await site?.close();
  rmSync(profile, { recursive: true, force: true });
});

/** In the page: connects an EventSource, subscribes to `topic`, and collects its events in window.rt. */
function subscribe(page, topic) {
  return page.evaluate(
    (topic) =>
      new Promise((resolve, reject) => {
        const es = new EventSource("/api/realtime");
        window.rt = { es, events: [] };
        es.addEventListener(topic, (e) => window.rt.events.push(JSON.parse(e.data)));
        es.addEventListener("PB_CONNECT", async (e) => {
          const { clientId } = JSON.parse(e.data);
          const res = await fetch("/api/realtime", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ clientId, subscriptions: [topic] }),
          });
          if (res.status === 204) resolve(clientId);
          else reject(new Error(`subscribe: ${res.status} ${await res.text()}`));
        });
        es.onerror = () => reject(new Error("EventSource failed before connecting"));
      }),
    topic,
  );
}

/** Waits in the page until an event for a record titled `title` arrived. */
function waitForEvent(page, title) {
  return page.evaluate(
    (title) =>
      new Promise((resolve, reject) => {
        const t0 = Date.now();
        const poll = () => {
          const e = window.rt.events.find((ev) => ev.record?.title === title);
          if (e) return resolve(e);
          if (Date.now() - t0 > 10000) return reject(new Error(`no event for ${title}; got ${JSON.stringify(window.rt.events)}`));
          setTimeout(poll, 50);
        };
        poll();
      }),
    title,
  );
}

test("two tabs subscribed with EventSource both receive a create", async () => {
  const a = await openApp(browser.context, site.origin);
  await importFixture(a);
  const b = await openApp(browser.context, site.origin);
  const [idA, idB] = await Promise.all([subscribe(a, "demo2/*"), subscribe(b, "demo2/*")]);
  assert.notEqual(idA, idB);

  const res = await send(a, createRequest("realtime-tab"));
  assert.equal(res.status, 200, res.text);
  const id = JSON.parse(res.text).id;
  for (const page of [a, b]) {
    const event = await waitForEvent(page, "realtime-tab");
    assert.equal(event.action, "create");
    assert.equal(event.record.id, id);
  }
  await a.evaluate(() => window.rt.es.close());
  await b.evaluate(() => window.rt.es.close());
});
