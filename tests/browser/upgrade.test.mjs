// 6. A new worker version (a new core hash) is deployed while a tab is open and writing. The new
// worker installs without touching the database, activates, tells the old one to hand over; the
// old one drains and releases the Web Lock; the new one recovers from OPFS. No acknowledged write
// is lost, the database stays intact, and at no point do two workers hold the database.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { importFixture, integrityCheck, listTitles, openApp, stopWorkers, workerStatus } from "./lib/app.mjs";
import { launchChromium } from "./lib/chromium.mjs";
import { startSite } from "./lib/site.mjs";
import { sleep, writeStream } from "./lib/stream.mjs";

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

test("deploying a new core while a tab writes: one writer at a time, nothing lost", async (t) => {
  const page = await openApp(browser.context, site.origin);
  await importFixture(page);
  const oldVersion = (await workerStatus(page)).version;
  assert.equal(oldVersion, site.coreName());

  // Watch the lock from the page the whole time: the database's lock never has two holders.
  await page.evaluate(() => {
    window.lockSamples = { maxHeld: 0, sawPending: false, samples: 0 };
    window.lockTimer = setInterval(async () => {
      const { held = [], pending = [] } = await navigator.locks.query();
      const s = window.lockSamples;
      s.samples++;
      s.maxHeld = Math.max(s.maxHeld, held.filter((l) => l.name === "larder-db").length);
      if (pending.some((l) => l.name === "larder-db")) s.sawPending = true;
    }, 5);
  });

  // One lane with pauses between writes: Chromium activates a new worker only once the old one
  // has no fetch in flight (or after 5 minutes). Two lanes on a loaded 2-core CI machine overlap
  // so often that the update waited the full 5 minutes; one lane leaves a real gap every time.
  const stream = writeStream(page, { prefix: "upgrade", lanes: 1, pauseMs: 100 });
  await sleep(400);
  const fresh = site.deployNewCore();
  const switched = page.evaluate(
    () => new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true), { once: true })),
  );
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  assert.equal(await switched, true);
  await sleep(600); // keep writing through the new worker
  await stream.stop();
  const samples = await page.evaluate(() => {
    clearInterval(window.lockTimer);
    return window.lockSamples;
  });
  t.diagnostic(`${stream.acked.size} writes acknowledged; lock samples ${JSON.stringify(samples)}`);

  assert.deepEqual(stream.failures, []);
  assert.ok(stream.acked.size >= 5, `only ${stream.acked.size} writes acknowledged`);
  assert.equal(samples.maxHeld, 1);
  const status = await workerStatus(page);
  assert.equal(status.version, fresh);
  assert.ok(status.lastRecovery, "the new worker recovered the database from OPFS");
  // The page's controller changes as soon as the new worker starts activating; its activate
  // handler (which drops the old core's cache) may still be running.
  const onlyNew = [`larder-core-${fresh.split(".").pop()}`];
  let cacheNames = [];
  for (let i = 0; i < 50; i++) {
    cacheNames = await page.evaluate(() => caches.keys());
    if (cacheNames.length === 1) break;
    await sleep(100);
  }
  assert.deepEqual(cacheNames, onlyNew, "the old core's cache is gone");

  const present = new Set(await listTitles(page, "upgrade"));
  assert.deepEqual([...stream.acked].filter((x) => !present.has(x)), []);
  assert.equal(await integrityCheck(page), "ok");
  // The log has one history: a cold start replays it to the same state.
  await stopWorkers(browser.context, page);
  assert.deepEqual(new Set(await listTitles(page, "upgrade")), present);
});
