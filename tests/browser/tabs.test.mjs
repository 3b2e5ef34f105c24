// 4. Two tabs writing and reading at the same time, served by the one service worker that owns
// the database: no write lost or duplicated, and each tab sees the other's writes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createRequest, listRequest } from "../lib/records.mjs";
import { importFixture, integrityCheck, listTitles, openApp } from "./lib/app.mjs";
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

// In a tab: `count` creates, 4 at a time; after every 10th a list must contain all of this tab's
// acknowledged writes (read-your-writes while the other tab writes too).
function writeAndRead(page, prefix, count) {
  return page.evaluate(
    async ({ creates, list, prefix }) => {
      const mine = [];
      const problems = [];
      let next = 0;
      // (The page cannot import tests/lib/records.mjs: both list shapes are handled here.)
      const titlesNow = async () => {
        const res = await fetch(list.url, { headers: list.headers });
        const json = await res.json();
        return (Array.isArray(json) ? json : json.items.map((r) => r.title)).filter((t) => t.startsWith("tab"));
      };
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < creates.length) {
            const { title, req: r } = creates[next++];
            const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
            if (res.status !== 200) problems.push(`${res.status} ${await res.text()}`);
            else mine.push(title);
            if (mine.length % 10 === 0) {
              // Everything acknowledged before the read was sent must be in it.
              const expected = [...mine];
              const seen = new Set(await titlesNow());
              const missing = expected.filter((t) => !seen.has(t));
              if (missing.length) problems.push(`not visible to its own tab: ${missing.join(",")}`);
            }
          }
        }),
      );
      return { mine, problems, prefix };
    },
    {
      creates: Array.from({ length: count }, (_, i) => ({ title: `${prefix}-${i}`, req: createRequest(`${prefix}-${i}`) })),
      list: listRequest(),
      prefix,
    },
  );
}

test("two tabs write and read concurrently; both see everything exactly once", async () => {
  const a = await openApp(browser.context, site.origin);
  await importFixture(a);
  const b = await openApp(browser.context, site.origin);
  const [ra, rb] = await Promise.all([writeAndRead(a, "tabA", 150), writeAndRead(b, "tabB", 150)]);
  assert.deepEqual(ra.problems, []);
  assert.deepEqual(rb.problems, []);
  assert.equal(ra.mine.length, 150);
  assert.equal(rb.mine.length, 150);

  const expected = [...ra.mine, ...rb.mine].sort();
  for (const page of [a, b]) {
    const titles = await listTitles(page, "tab");
    assert.equal(titles.length, 300, "no duplicates");
    assert.deepEqual([...titles].sort(), expected);
  }
  assert.equal(await integrityCheck(a), "ok");
});
