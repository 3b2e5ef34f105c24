// Realtime through createBackend() (Node): GET /api/realtime is a streaming SSE Response fed from
// the core's broker (sdk/src/realtime.ts); a subscriber sees a create only after it is persisted.
// The browser side (EventSource through the service worker) is tests/browser/realtime.test.mjs.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SDK_DIST } from "../lib/paths.mjs";
import { createRequest, fixtureBytes, sendTo } from "../lib/records.mjs";

let createBackend;
let work;

before(async () => {
  ({ createBackend } = await import(join(SDK_DIST, "index.js")));
  work = mkdtempSync(join(tmpdir(), "larder-realtime-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Reads SSE frames ("id:..\nevent:..\ndata:..\n\n") from a Response body, one at a time. */
function frames(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  return {
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buf.indexOf("\n\n");
        if (end >= 0) {
          const frame = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const fields = Object.fromEntries(frame.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1)]));
          return { ...fields, data: JSON.parse(fields.data) };
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no SSE frame in time");
        let timer;
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("no SSE frame in time")), left))),
        ]).finally(() => clearTimeout(timer));
        if (done) throw new Error("stream ended");
        buf += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

for (const durable of [false, true]) {
  test(`subscribe, create, receive the create event (${durable ? "directory" : "memory"})`, async () => {
    const backend = createBackend(durable ? { dir: join(work, "db") } : {});
    try {
      await backend.importDatabase(fixtureBytes());
      const res = await backend.fetch("http://local/api/realtime");
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type"), /^text\/event-stream/);
      const sse = frames(res);
      const connect = await sse.next();
      assert.equal(connect.event, "PB_CONNECT");
      const clientId = connect.data.clientId;
      assert.equal(connect.id, clientId);

      const sub = await backend.fetch("http://local/api/realtime", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ clientId, subscriptions: ["demo2/*"] }),
      });
      assert.equal(sub.status, 204, await sub.text());

      const created = await sendTo(backend, createRequest("realtime-1"));
      assert.equal(created.status, 200, created.text);
      const event = await sse.next();
      assert.equal(event.event, "demo2/*");
      assert.equal(event.data.action, "create");
      assert.equal(event.data.record.title, "realtime-1");
      if (durable) {
        // Delivered only after the write was persisted.
        const status = backend.status();
        assert.ok(status.durableCount >= status.commitCount);
      }

      // Cancelling the stream disconnects the client: subscribing it again fails.
      await sse.cancel();
      const again = await backend.fetch("http://local/api/realtime", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ clientId, subscriptions: ["demo2/*"] }),
      });
      assert.equal(again.status, 404);
    } finally {
      await backend.close();
    }
  });
}

test("an import ends open streams (their clients belonged to the replaced App)", async () => {
  const backend = createBackend();
  try {
    const res = await backend.fetch("http://local/api/realtime");
    const sse = frames(res);
    assert.equal((await sse.next()).event, "PB_CONNECT");
    await backend.importDatabase(fixtureBytes());
    await assert.rejects(sse.next(), /stream ended/);
  } finally {
    await backend.close();
  }
});
