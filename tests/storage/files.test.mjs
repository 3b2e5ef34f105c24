// Uploaded files in the storage engine (sdk/src/storage/files.ts, uploads.ts; src/wasm/
// file_store.h), in Node through createBackend(): PocketBase's layout on disk (file + .attrs),
// big uploads staged outside the wasm heap and moved into place, files surviving a restart,
// thumbnails stored once, removals after the delete, and nothing left behind when the write's
// log record cannot be persisted. The same scenarios run against OPFS in the service worker
// (tests/api, files-*.json on the sw target).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { FIXTURES, ROOT, SDK_DIST } from "../lib/paths.mjs";

const vars = JSON.parse(readFileSync(join(ROOT, "tests/api/vars.json"), "utf8"));
const PNG_4x2 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEElEQVR4nGP4z8AARwzIHABvqgf5gNwAKAAAAABJRU5ErkJggg==",
  "base64",
);
const sha = (b) => createHash("sha256").update(b).digest("hex");

let createBackend, MemoryAdapter, work;
before(async () => {
  ({ createBackend, MemoryAdapter } = await import(join(SDK_DIST, "index.js")));
  work = mkdtempSync(join(tmpdir(), "larder-files-"));
});
after(() => rmSync(work, { recursive: true, force: true }));

const fixtureDb = () => new Uint8Array(readFileSync(join(FIXTURES, "pocketbase-testdata/data.db")));

async function call(backend, method, path, body) {
  const init = { method, headers: { Authorization: vars.suToken } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const res = await backend.fetch(new Request(`http://local${path}`, init));
  const bytes = Buffer.from(await res.arrayBuffer());
  let json = null;
  try {
    json = JSON.parse(bytes.toString());
  } catch {}
  return { status: res.status, headers: res.headers, bytes, json };
}

/** A backend on `storage` (a dir or an adapter) holding the fixture and a "docs" collection. */
async function docsBackend(options) {
  const backend = createBackend(options);
  await backend.importDatabase(fixtureDb());
  const made = await call(backend, "POST", "/api/collections", {
    name: "docs",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "",
    updateRule: "",
    deleteRule: "",
    fields: [
      { name: "doc", type: "file", maxSelect: 1, maxSize: 10 << 20 },
      { name: "pic", type: "file", maxSelect: 1, thumbs: ["2x2"] },
    ],
  });
  assert.equal(made.status, 200, made.bytes.toString());
  return { backend, cid: made.json.id };
}

/** Waits (up to 10 s: a bound for a hung removal, not a speed check) until `cond` holds. */
async function eventually(cond, what) {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(cond(), what);
}

function bigFile(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + 7) & 0xff;
  return b;
}

function upload(fields) {
  const form = new FormData();
  for (const [name, [bytes, filename, type]] of Object.entries(fields)) form.append(name, new Blob([bytes], { type }), filename);
  return form;
}

test("uploads land in PocketBase's layout, survive a restart, and go with their record", async () => {
  const dir = join(work, "a");
  let { backend, cid } = await docsBackend({ dir });
  const big = bigFile(3 << 20); // staged: never copied into the wasm heap
  const created = await call(backend, "POST", "/api/collections/docs/records", upload({ doc: [big, "big.bin", ""], pic: [PNG_4x2, "p.png", "image/png"] }));
  assert.equal(created.status, 200, created.bytes.toString());
  const { id, doc, pic } = created.json;
  const folder = join(dir, "storage", cid, id);
  assert.deepEqual(readdirSync(folder).sort(), [doc, `${doc}.attrs`, pic, `${pic}.attrs`].sort());
  assert.equal(sha(readFileSync(join(folder, doc))), sha(big));
  const attrs = JSON.parse(readFileSync(join(folder, `${pic}.attrs`), "utf8"));
  assert.equal(attrs["user.content_type"], "image/png");
  assert.deepEqual(attrs["user.metadata"], { "original-filename": "p.png" });
  assert.deepEqual(readdirSync(join(dir, "storage", ".staging")), [], "the staged upload was moved, not copied");

  // A thumb is made once and stored next to the original.
  const thumb = await call(backend, "GET", `/api/files/docs/${id}/${pic}?thumb=2x2`);
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get("content-type"), "image/png");
  assert.ok(existsSync(join(folder, `thumbs_${pic}`, `2x2_${pic}`)));

  await backend.close();
  backend = createBackend({ dir });
  const got = await call(backend, "GET", `/api/files/docs/${id}/${doc}`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get("content-length"), String(big.length));
  assert.equal(sha(got.bytes), sha(big));

  // Replacing removes the old file (after the commit); deleting removes the folder.
  const replaced = await call(backend, "PATCH", `/api/collections/docs/records/${id}`, upload({ doc: [Buffer.from("small"), "s.txt", "text/plain"] }));
  assert.equal(replaced.status, 200, replaced.bytes.toString());
  await backend.flush();
  // Removals start once the answer's record is durable and run behind it.
  await eventually(() => !existsSync(join(folder, doc)), "the replaced file is gone");
  assert.ok(existsSync(join(folder, replaced.json.doc)));
  assert.equal((await call(backend, "DELETE", `/api/collections/docs/records/${id}`)).status, 204);
  await eventually(() => !existsSync(folder), "the record's folder is gone");
  await backend.close();
});

test("a write whose log record fails leaves no file behind; later writes store theirs", async () => {
  const adapter = new MemoryAdapter();
  const { backend } = await docsBackend({ storage: adapter });
  const stored = () => [...adapter.files.keys()].filter((k) => k.startsWith("storage/")).sort();
  const before = stored();
  adapter.failWrites = Object.assign(new Error("quota exceeded (simulated)"), { name: "QuotaExceededError" });
  const failed = await call(backend, "POST", "/api/collections/docs/records", upload({ doc: [bigFile(100_000), "x.bin", ""] }));
  assert.equal(failed.status, 507, failed.bytes.toString());
  await eventually(() => JSON.stringify(stored()) === JSON.stringify(before), "nothing of the failed upload remains, staged or stored");
  adapter.failWrites = null;
  const ok = await call(backend, "POST", "/api/collections/docs/records", upload({ doc: [bigFile(100_000), "y.bin", ""] }));
  assert.equal(ok.status, 200, ok.bytes.toString());
  const list = await call(backend, "GET", "/api/collections/docs/records");
  assert.equal(list.json.totalItems, 1);
  const got = await call(backend, "GET", `/api/files/docs/${ok.json.id}/${ok.json.doc}`);
  assert.equal(sha(got.bytes), sha(bigFile(100_000)));
  await backend.close();
});

test("bodies over PocketBase's 32 MiB limit are refused with 413, JSON and multipart alike", async () => {
  const { backend } = await docsBackend({});
  const json = await backend.fetch(
    new Request("http://local/api/collections/docs/records", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new Uint8Array((32 << 20) + 1),
    }),
  );
  assert.equal(json.status, 413);
  assert.equal((await json.json()).status, 413);
  const form = await call(backend, "POST", "/api/collections/docs/records", upload({ doc: [bigFile((32 << 20) + 1), "x.bin", ""] }));
  assert.equal(form.status, 413);
  assert.equal((await call(backend, "GET", "/api/collections/docs/records")).json.totalItems, 0);
  await backend.close();
});
