// The official `pocketbase` JS SDK (0.28.1), unmodified, against Larder: the native server over
// HTTP and the wasm core in Node (createBackend). Each flow runs on a fresh copy of PocketBase's
// own test data.
//
//   node --test tests/compat/                      both targets
//   LARDER_TARGETS=native node --test tests/compat/
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import PocketBase from "pocketbase";
import { targets } from "../api/lib/targets.mjs";

const wanted = (process.env.LARDER_TARGETS ?? "native,node").split(",").filter((t) => ["native", "node", "pocketbase"].includes(t));

// An SDK client whose requests go to `session` (real HTTP for native, backend.fetch for node).
function client(session) {
  const pb = new PocketBase(session.baseUrl);
  pb.autoCancellation(false);
  pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch: session.fetch } });
  return pb;
}

for (const name of wanted) {
  describe(`official SDK on ${name}`, () => {
    let host;
    before(async () => (host = await targets[name].open()));
    after(async () => host?.close());

    async function withFixture(fn) {
      const session = await host.session({ data: "pocketbase-testdata" });
      try {
        await fn(client(session), session);
      } finally {
        await session.close();
      }
    }

    test("superuser authWithPassword, then authRefresh", () =>
      withFixture(async (pb) => {
        const auth = await pb.collection("_superusers").authWithPassword("test@example.com", "1234567890");
        assert.equal(auth.record.email, "test@example.com");
        assert.ok(pb.authStore.isValid);
        assert.ok(pb.authStore.isSuperuser);
        const refreshed = await pb.collection("_superusers").authRefresh();
        assert.equal(refreshed.record.id, auth.record.id);
        await assert.rejects(pb.collection("_superusers").authWithPassword("test@example.com", "wrong"), (e) => e.status === 400);
      }));

    test("getList with filter, sort, fields; getFullList; getFirstListItem; getOne", () =>
      withFixture(async (pb) => {
        const page = await pb.collection("demo2").getList(1, 2, { sort: "-title", fields: "id,title" });
        assert.deepEqual(
          { page: page.page, perPage: page.perPage, totalItems: page.totalItems, totalPages: page.totalPages },
          { page: 1, perPage: 2, totalItems: 3, totalPages: 2 },
        );
        assert.deepEqual(page.items.map((r) => r.title), ["test3", "test2"]);
        const all = await pb.collection("demo2").getFullList({ sort: "title", batch: 2 });
        assert.deepEqual(all.map((r) => r.title), ["test1", "test2", "test3"]);
        const first = await pb.collection("demo2").getFirstListItem(pb.filter("title = {:t}", { t: "test2" }));
        assert.equal(first.id, "achvryl401bhse3");
        await assert.rejects(pb.collection("demo2").getFirstListItem('title = "none"'), (e) => e.status === 404);
        const one = await pb.collection("demo2").getOne("llvuca81nly1qls");
        assert.equal(one.title, "test1");
        assert.equal(one.collectionName, "demo2");
        // pb.filter escapes quotes and backslashes; the server must decode them.
        const tricky = await pb.collection("demo2").getList(1, 1, { filter: pb.filter("title = {:t}", { t: 'a"b\\c' }) });
        assert.equal(tricky.totalItems, 0);
      }));

    test("create, update, delete; validation errors as ClientResponseError data", () =>
      withFixture(async (pb) => {
        const created = await pb.collection("demo2").create({ title: "from the sdk", active: true });
        assert.match(created.id, /^[a-z0-9]{15}$/);
        const updated = await pb.collection("demo2").update(created.id, { title: "changed" });
        assert.equal(updated.title, "changed");
        await assert.rejects(pb.collection("demo2").update(created.id, { title: "" }), (e) => {
          assert.equal(e.status, 400);
          assert.equal(e.response.data.title.code, "validation_required");
          return true;
        });
        assert.equal(await pb.collection("demo2").delete(created.id), true);
        await assert.rejects(pb.collection("demo2").getOne(created.id), (e) => e.status === 404);
      }));

    test("expand through the SDK", () =>
      withFixture(async (pb) => {
        await pb.collection("_superusers").authWithPassword("test@example.com", "1234567890");
        const rec = await pb.collection("demo4").getOne("qzaqccwrmva4o1n", { expand: "rel_one_cascade,self_rel_many" });
        assert.equal(rec.expand.rel_one_cascade.id, "7nwo8tuiatetxdm");
        assert.deepEqual(rec.expand.self_rel_many.map((r) => r.id), ["i9naidtvr6qsgb4", "qzaqccwrmva4o1n"]);
      }));

    test("collections CRUD as superuser", () =>
      withFixture(async (pb) => {
        await pb.collection("_superusers").authWithPassword("test@example.com", "1234567890");
        const col = await pb.collections.create({
          name: "sdk_notes",
          type: "base",
          listRule: "",
          viewRule: "",
          createRule: "",
          fields: [
            { name: "title", type: "text", required: true },
            { name: "views", type: "number" },
          ],
        });
        assert.equal(col.name, "sdk_notes");
        assert.ok(col.fields.some((f) => f.name === "id"));
        const rec = await pb.collection("sdk_notes").create({ title: "hello", views: 3 });
        const updatedCol = await pb.collections.update(col.id, { name: "sdk_notes2" });
        assert.equal(updatedCol.name, "sdk_notes2");
        const again = await pb.collection("sdk_notes2").getOne(rec.id);
        assert.equal(again.title, "hello");
        const list = await pb.collections.getFullList({ filter: 'name ~ "sdk_"' });
        assert.deepEqual(list.map((c) => c.name), ["sdk_notes2"]);
        await pb.collections.truncate("sdk_notes2");
        assert.equal((await pb.collection("sdk_notes2").getList(1, 1)).totalItems, 0);
        assert.equal(await pb.collections.delete("sdk_notes2"), true);
        await assert.rejects(pb.collections.getOne("sdk_notes2"), (e) => e.status === 404);
        const scaffolds = await pb.collections.getScaffolds();
        assert.deepEqual(Object.keys(scaffolds).sort(), ["auth", "base", "view"]);
      }));

    test("tokens: the fixture's long-lived tokens and a Bearer prefix", () =>
      withFixture(async (pb, session) => {
        const res = await session.fetch("/api/collections/users/records/4q1xlclmfloku33", {
          headers: {
            Authorization:
              "Bearer eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjRxMXhsY2xtZmxva3UzMyIsInR5cGUiOiJhdXRoIiwiY29sbGVjdGlvbklkIjoiX3BiX3VzZXJzX2F1dGhfIiwiZXhwIjoyNTI0NjA0NDYxLCJyZWZyZXNoYWJsZSI6dHJ1ZX0.ZT3F0Z3iM-xbGgSG3LEKiEzHrPHr8t8IuHLZGGNuxLo",
          },
        });
        assert.equal(res.status, 200);
        assert.equal((await res.json()).email, "test@example.com");
        pb.authStore.save("garbage", null);
        const list = await pb.collection("demo2").getList(1, 1);
        assert.equal(list.totalItems, 3);
      }));
  });
}
