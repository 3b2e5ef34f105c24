// Realtime over the native host with the official pocketbase SDK (tests/lib/event-source.mjs
// gives Node an EventSource): record events for `*` and id topics, rule filtering per
// subscriber, unsubscribe, and the raw SSE wire format.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import PocketBase from "pocketbase";
import { EventSource } from "../lib/event-source.mjs";
import { startNative } from "../lib/native.mjs";
import { FIXTURES, ROOT } from "../lib/paths.mjs";

globalThis.EventSource ??= EventSource;
const vars = JSON.parse(readFileSync(join(ROOT, "tests/api/vars.json"), "utf8"));

let work, server;
const clients = [];
before(async () => {
  work = mkdtempSync(join(tmpdir(), "larder-rt-"));
  cpSync(join(FIXTURES, "pocketbase-testdata"), join(work, "pb_data"), { recursive: true });
  server = await startNative({ dir: join(work, "pb_data") });
});
after(async () => {
  for (const pb of clients) pb.realtime.unsubscribe().catch(() => {});
  for (const pb of clients) pb.realtime.eventSource?.close();
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function client(token = "") {
  const pb = new PocketBase(server.url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  clients.push(pb);
  return pb;
}

// Collects events; next() resolves with the next one (or rejects after `ms`).
function collector() {
  const seen = [];
  const waiters = [];
  return {
    seen,
    push(e) {
      const w = waiters.shift();
      if (w) w(e);
      else seen.push(e);
    },
    next(ms = 3000) {
      if (seen.length) return Promise.resolve(seen.shift());
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no realtime event")), ms);
        waiters.push((e) => (clearTimeout(t), resolve(e)));
      });
    },
  };
}
const settle = () => new Promise((r) => setTimeout(r, 300));

test("subscribe('*') and subscribe(id) see create, update and delete", async () => {
  const su = client(vars.suToken);
  const all = collector();
  const one = collector();
  await su.collection("demo2").subscribe("*", (e) => all.push(e));
  const rec = await su.collection("demo2").create({ title: "rt one" });
  let e = await all.next();
  assert.equal(e.action, "create");
  assert.equal(e.record.id, rec.id);
  assert.equal(e.record.title, "rt one");
  assert.equal(e.record.collectionName, "demo2");

  await su.collection("demo2").subscribe(rec.id, (ev) => one.push(ev), { expand: "", fields: "id,title" });
  await su.collection("demo2").update(rec.id, { title: "rt two" });
  e = await all.next();
  assert.equal(e.action, "update");
  assert.equal(e.record.title, "rt two");
  e = await one.next();
  assert.deepEqual(e, { action: "update", record: { id: rec.id, title: "rt two" } });

  await su.collection("demo2").delete(rec.id);
  assert.equal((await all.next()).action, "delete");
  assert.equal((await one.next()).action, "delete");
  await su.realtime.unsubscribe();
});

test("a guest does not see records the listRule hides; an allowed auth does", async () => {
  const su = client(vars.suToken);
  const guest = client();
  const allowed = client(vars.clientToken);  // demo3 wants an auth record outside `users`
  const g = collector();
  const a = collector();
  await guest.collection("demo3").subscribe("*", (e) => g.push(e));
  await allowed.collection("demo3").subscribe("*", (e) => a.push(e));
  const rec = await su.collection("demo3").create({ title: "secret" });
  const e = await a.next();
  assert.equal(e.record.id, rec.id);
  await settle();
  assert.equal(g.seen.length, 0);
  await guest.realtime.unsubscribe();
  await allowed.realtime.unsubscribe();
});

test("unsubscribe stops events", async () => {
  const su = client(vars.suToken);
  const watcher = client(vars.suToken);
  const got = collector();
  const unsub = await watcher.collection("demo2").subscribe("*", (e) => got.push(e));
  await su.collection("demo2").create({ title: "before" });
  assert.equal((await got.next()).record.title, "before");
  await unsub();
  await su.collection("demo2").create({ title: "after" });
  await settle();
  assert.equal(got.seen.length, 0);
});

test("wire format, POST checks", async () => {
  const res = await fetch(`${server.url}/api/realtime`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  const reader = res.body.getReader();
  const { value } = await reader.read();
  const text = new TextDecoder().decode(value);
  const m = text.match(/^id:([A-Za-z0-9]{40})\nevent:PB_CONNECT\ndata:\{"clientId":"\1"\}\n\n$/);
  assert.ok(m, text);
  const post = (body, token) =>
    fetch(`${server.url}/api/realtime`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: token } : {}) },
      body: JSON.stringify(body),
    });
  assert.equal((await post({ clientId: "missing", subscriptions: [] })).status, 404);
  const bad = await post({ subscriptions: [] });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).data.clientId.code, "validation_required");
  assert.equal((await post({ clientId: m[1], subscriptions: ["demo2/*"] }, vars.userToken)).status, 204);
  const mismatch = await post({ clientId: m[1], subscriptions: [] }, vars.user2Token);
  assert.equal(mismatch.status, 403);
  assert.equal((await mismatch.json()).message, "The current and the previous request authorization don't match.");
  await reader.cancel();
});
