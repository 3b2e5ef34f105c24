// The app's shipped schema (sdk/src/setup.ts) through createBackend({ dir, schema }): applied on
// the first open with its seed records, changes applied on a later open without losing records,
// seeds never duplicated, and a schema that does not apply reported without taking the backend
// down. The service worker takes the same schema through `?schema=` / larderOptions.schema.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SDK_DIST } from "../lib/paths.mjs";

let createBackend, work;
before(async () => {
  ({ createBackend } = await import(join(SDK_DIST, "index.js")));
  work = mkdtempSync(join(tmpdir(), "larder-setup-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

// As PocketBase's "Export collections" writes it (ids, field ids, rules).
const tasks = (extraFields = []) => ({
  id: "pbc_tasks00000001",
  name: "tasks",
  type: "base",
  listRule: "",
  viewRule: "",
  createRule: "",
  updateRule: null,
  deleteRule: null,
  fields: [
    { id: "text_title0001", name: "title", type: "text", required: true, system: false, hidden: false, presentable: false },
    ...extraFields,
  ],
  indexes: [],
});

async function get(backend, path) {
  const res = await backend.fetch(new Request(`http://local${path}`));
  return { status: res.status, json: await res.json() };
}

test("first open creates the collections and seeds them; a later schema migrates and keeps records", async () => {
  const dir = join(work, "app");
  const events = [];
  const seed = { tasks: [{ title: "buy milk" }, { title: "write tests" }] };
  let backend = createBackend({ dir, schema: { collections: [tasks()], seed }, onEvent: (e) => events.push(e) });
  const first = await get(backend, "/api/collections/tasks/records?sort=title");
  assert.equal(first.status, 200);
  assert.deepEqual(first.json.items.map((r) => r.title), ["buy milk", "write tests"]);
  assert.deepEqual(events.filter((e) => e.type.startsWith("schema")), [{ type: "schema-applied", seeded: 2 }]);
  // A guest may create (createRule ""), as the export says.
  const made = await backend.fetch(
    new Request("http://local/api/collections/tasks/records", { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"title":"mine"}' }),
  );
  assert.equal(made.status, 200);
  await backend.close();

  // Version 2 of the app: a new field. Records stay; the seed is not added again.
  const done = { id: "bool_done00001", name: "done", type: "bool", system: false, hidden: false, presentable: false };
  events.length = 0;
  backend = createBackend({ dir, schema: { collections: { collections: [tasks([done])] }, seed }, onEvent: (e) => events.push(e) });
  const second = await get(backend, "/api/collections/tasks/records?sort=title");
  assert.deepEqual(second.json.items.map((r) => [r.title, r.done]), [["buy milk", false], ["mine", false], ["write tests", false]]);
  assert.deepEqual(events.filter((e) => e.type.startsWith("schema")), [{ type: "schema-applied", seeded: 0 }]);
  await backend.close();
});

test("a seeded superuser (the playground story) signs in", async () => {
  const su = { email: "admin@example.com", password: "playground-pass", passwordConfirm: "playground-pass" };
  const backend = createBackend({ schema: { collections: [tasks()], seed: { _superusers: [su] } } });
  const res = await backend.fetch(
    new Request("http://local/api/collections/_superusers/auth-with-password", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identity: su.email, password: su.password }),
    }),
  );
  assert.equal(res.status, 200);
  assert.equal((await res.json()).record.email, su.email);
  await backend.close();
});

test("a schema that does not apply is reported; the backend still serves the database", async () => {
  const events = [];
  const broken = { collections: [{ name: "bad", type: "nonsense", fields: [] }] };
  const backend = createBackend({ schema: broken, onEvent: (e) => events.push(e) });
  const original = console.error;
  console.error = () => {};
  try {
    const health = await get(backend, "/api/health");
    assert.equal(health.status, 200);
  } finally {
    console.error = original;
  }
  const failed = events.find((e) => e.type === "schema-failed");
  assert.ok(failed, "schema-failed reported");
  assert.match(String(failed.error), /importing the app's collections failed: 400/);
  assert.equal((await get(backend, "/api/collections/bad/records")).status, 404);
  await backend.close();
});
