// The official `pocketbase` SDK's realtime and file flows, unmodified, against the native server
// and the wasm core in Node (createBackend), each on a fresh copy of PocketBase's test data:
// subscribe('*') / subscribe(id) / unsubscribe with rules hiding records from some subscribers,
// a subscriber whose auth record changes or is deleted, update events for records that lose a
// reference in a delete's cascade, FormData uploads (small, and big enough that the wasm hosts
// stage them outside the wasm heap), files.getURL with thumbs, and protected files with tokens.
//
//   node --test tests/compat/sdk-realtime-files.test.mjs
//   LARDER_TARGETS=native node --test tests/compat/sdk-realtime-files.test.mjs
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import PocketBase from "pocketbase";
import { targets } from "../api/lib/targets.mjs";
import { EventSource } from "../lib/event-source.mjs";
import { ROOT } from "../lib/paths.mjs";

const wanted = (process.env.LARDER_TARGETS ?? "native,node").split(",").filter((t) => ["native", "node"].includes(t));
const vars = JSON.parse(readFileSync(join(ROOT, "tests/api/vars.json"), "utf8"));
globalThis.EventSource = EventSource;

const PNG_4x2 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGP4z8AARwzIHABvqgf5gNwAKAAAAABJRU5ErkJggg==",
  "base64",
);
const sha = (bytes) => createHash("sha256").update(bytes).digest("hex");

// Events one subscription receives; next() waits for one, none() checks that none came.
function inbox() {
  const seen = [];
  const waiters = [];
  return {
    push(e) {
      const w = waiters.shift();
      if (w) w(e);
      else seen.push(e);
    },
    next(ms = 5000) {
      if (seen.length) return Promise.resolve(seen.shift());
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no realtime event arrived")), ms);
        waiters.push((e) => (clearTimeout(t), resolve(e)));
      });
    },
    async none(ms = 400) {
      await new Promise((r) => setTimeout(r, ms));
      assert.deepEqual(seen.map((e) => `${e.action} ${e.record?.id}`), [], "no event expected");
    },
  };
}

for (const name of wanted) {
  describe(`official SDK realtime and files on ${name}`, () => {
    let host;
    before(async () => (host = await targets[name].open()));
    after(async () => host?.close());

    async function withFixture(fn) {
      const session = await host.session({ data: "pocketbase-testdata" });
      EventSource.fetch = session.fetch; // the SDK's EventSource reaches this session too
      const clients = [];
      const client = (token = "") => {
        const pb = new PocketBase(session.baseUrl);
        pb.autoCancellation(false);
        pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
        if (token) pb.authStore.save(token, null);
        clients.push(pb);
        return pb;
      };
      try {
        const su = client(vars.suToken);
        // The fixture's users collection asks for MFA; these flows sign in with a password only.
        await su.collections.update("users", { mfa: { enabled: false } });
        await fn({ client, su, session });
      } finally {
        for (const pb of clients) await pb.realtime.unsubscribe().catch(() => {});
        await session.close();
      }
    }

    const userToken = async (pb, email) => (await pb.collection("users").authWithPassword(email, "1234567890")).token;

    test("subscribe('*') and subscribe(id): create, update, delete; unsubscribe stops them", () =>
      withFixture(async ({ client, su }) => {
        await su.collections.create({ name: "notes", type: "base", listRule: "", viewRule: "", createRule: "", fields: [{ name: "title", type: "text" }] });
        const pb = client();
        const all = inbox();
        const one = inbox();
        await pb.collection("notes").subscribe("*", (e) => all.push(e));
        const a = await su.collection("notes").create({ title: "a" });
        const created = await all.next();
        assert.equal(created.action, "create");
        assert.equal(created.record.id, a.id);
        await pb.collection("notes").subscribe(a.id, (e) => one.push(e));
        await su.collection("notes").update(a.id, { title: "a2" });
        const [ua, uo] = [await all.next(), await one.next()];
        assert.equal(ua.action, "update");
        assert.equal(ua.record.title, "a2");
        assert.equal(uo.record.id, a.id);
        await su.collection("notes").delete(a.id);
        assert.equal((await all.next()).action, "delete");
        assert.equal((await one.next()).action, "delete");
        await pb.collection("notes").unsubscribe();
        await su.collection("notes").create({ title: "b" });
        await all.none();
      }));

    test("rules decide per subscriber, and follow the subscriber's auth record as it changes", () =>
      withFixture(async ({ client, su }) => {
        await su.collections.create({
          name: "secrets",
          type: "base",
          listRule: "@request.auth.verified = true",
          viewRule: "@request.auth.verified = true",
          fields: [{ name: "title", type: "text" }],
        });
        const guest = client();
        const pbUser = client();
        await userToken(pbUser, "test@example.com"); // not verified in the fixture
        const guestBox = inbox();
        const userBox = inbox();
        await guest.collection("secrets").subscribe("*", (e) => guestBox.push(e));
        await pbUser.collection("secrets").subscribe("*", (e) => userBox.push(e));
        await su.collection("secrets").create({ title: "hidden from both" });
        await guestBox.none();
        await userBox.none(0);

        // The same signed-in client: once its record is verified, it sees events.
        await su.collection("users").update(pbUser.authStore.record.id, { verified: true });
        const seen = await su.collection("secrets").create({ title: "now visible" });
        assert.equal((await userBox.next()).record.id, seen.id);
        await guestBox.none(0);

        // Its record deleted: a guest from then on.
        await su.collection("users").delete(pbUser.authStore.record.id);
        await su.collection("secrets").create({ title: "hidden again" });
        await userBox.none();
      }));

    test("a delete's cascade publishes updates of the records that lost the reference", () =>
      withFixture(async ({ client, su }) => {
        const tags = await su.collections.create({ name: "tags", type: "base", listRule: "", viewRule: "", fields: [{ name: "label", type: "text" }] });
        await su.collections.create({
          name: "posts",
          type: "base",
          listRule: "",
          viewRule: "",
          fields: [{ name: "tags", type: "relation", collectionId: tags.id, maxSelect: 5 }],
        });
        const t1 = await su.collection("tags").create({ label: "one" });
        const t2 = await su.collection("tags").create({ label: "two" });
        const post = await su.collection("posts").create({ tags: [t1.id, t2.id] });
        const box = inbox();
        await client().collection("posts").subscribe("*", (e) => box.push(e));
        await su.collection("tags").delete(t1.id);
        const e = await box.next();
        assert.equal(e.action, "update");
        assert.equal(e.record.id, post.id);
        assert.deepEqual(e.record.tags, [t2.id]);
      }));

    test("FormData uploads, byte-identical downloads, thumbs, protected files with a token", () =>
      withFixture(async ({ client, su, session }) => {
        await su.collections.create({
          name: "docs",
          type: "base",
          listRule: "",
          viewRule: "@request.auth.id != ''",
          createRule: "",
          fields: [
            { name: "pic", type: "file", maxSelect: 1, mimeTypes: ["image/png"] },
            { name: "doc", type: "file", maxSelect: 1, maxSize: 5 << 20, protected: true },
          ],
        });
        const big = Buffer.alloc(1 << 20);
        for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff; // 1 MiB: staged by the wasm hosts
        const form = new FormData();
        form.append("pic", new Blob([PNG_4x2], { type: "image/png" }), "photo.png");
        form.append("doc", new Blob([big], { type: "application/octet-stream" }), "data.bin");
        const pb = client();
        const rec = await pb.collection("docs").create(form);
        assert.match(rec.pic, /^photo_[a-z0-9]{10}\.png$/);
        assert.match(rec.doc, /^data_[a-z0-9]{10}\.bin$/);

        const get = async (url) => {
          const res = await session.fetch(url);
          return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
        };
        const pic = await get(pb.files.getURL(rec, rec.pic));
        assert.equal(pic.status, 200);
        assert.equal(sha(pic.bytes), sha(PNG_4x2));
        const thumb = await get(pb.files.getURL(rec, rec.pic, { thumb: "100x100" }));
        assert.equal(thumb.status, 200);
        assert.equal(thumb.type, "image/png");
        assert.notEqual(sha(thumb.bytes), sha(PNG_4x2)); // resized, not the original

        // Protected: a guest gets 404; a file token from a signed-in user opens it.
        assert.equal((await get(pb.files.getURL(rec, rec.doc))).status, 404);
        await userToken(pb, "test2@example.com");
        const token = await pb.files.getToken();
        const doc = await get(pb.files.getURL(rec, rec.doc, { token }));
        assert.equal(doc.status, 200);
        assert.equal(doc.bytes.length, big.length);
        assert.equal(sha(doc.bytes), sha(big));
      }));
  });
}
