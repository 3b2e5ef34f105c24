// 5. Storage quota exhausted (CDP Storage.overrideQuotaForOrigin shrinks the origin's quota to
// what it already uses, so the next OPFS commit record fails with QuotaExceededError): the write
// fails with a clear 507, nothing of it remains (not even after a cold start), earlier data is
// intact, and writes work again once there is space.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createRecord, importFixture, integrityCheck, listTitles, openApp, stopWorkers } from "./lib/app.mjs";
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

test("a write over quota fails cleanly with 507; later writes work once space frees", async () => {
  const page = await openApp(browser.context, site.origin);
  await importFixture(page);
  for (let i = 0; i < 5; i++) assert.equal((await createRecord(page, `quota-ok-${i}`)).status, 200);

  const cdp = await browser.context.newCDPSession(page);
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: site.origin, quotaSize: usage });

  // Several writes at once: they share the failing record and all fail, with the same answer.
  const failed = await Promise.all([0, 1, 2].map((i) => createRecord(page, `quota-full-${i}`)));
  for (const res of failed) {
    assert.equal(res.status, 507, res.text);
    assert.equal(res.storage, "quota");
    assert.deepEqual(JSON.parse(res.text), {
      data: {},
      message: "Not enough storage space to save the change; nothing was changed.",
      status: 507,
    });
  }
  // Reads still work while the quota is exhausted, and show nothing of the failed writes.
  assert.deepEqual((await listTitles(page, "quota-")).sort(), [0, 1, 2, 3, 4].map((i) => `quota-ok-${i}`));

  // Space frees up (quota back to normal): the same writes now succeed.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: site.origin });
  for (let i = 0; i < 3; i++) assert.equal((await createRecord(page, `quota-full-${i}`)).status, 200);

  // From OPFS alone (cold start): exactly the acknowledged writes.
  await stopWorkers(browser.context, page);
  const titles = (await listTitles(page, "quota-")).sort();
  assert.deepEqual(titles, [...[0, 1, 2].map((i) => `quota-full-${i}`), ...[0, 1, 2, 3, 4].map((i) => `quota-ok-${i}`)]);
  assert.equal(await integrityCheck(page), "ok");
  await cdp.detach();
});
