// The README's browser story, done the way a user does it, from the packed tarball: `npm pack` the
// sdk, install it (and the official `pocketbase` SDK) into an empty app offline, `npx larder init
// public/`, bundle the documented app module (registerLarder() + new PocketBase(location.origin))
// for the browser, serve public/ statically and open it in Chromium with a persistent profile.
// Then the documented superuser story (import a data.db that has one — made here with
// `larder superuser create`, as README.md says), a collection and records through the SDK,
// a reload, a schema change shipped as a collections export (pb.collections.import) and a
// browser restart: everything is still there, and no /api/ request ever reached the static
// server.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as esbuild from "esbuild";
import { startStaticServer } from "../../scripts/static-server.mjs";
import { launchPersistent } from "../lib/browser.mjs";
import { NATIVE_BIN, ROOT } from "../lib/paths.mjs";

const EMAIL = "admin@example.com";
const PASSWORD = "correct horse battery";

// The app a user writes, as the docs show it. It also hands its objects to the test.
const INDEX_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Notes</title>
<script type="module" src="/app.js"></script>
</html>
`;
const APP_JS = `import { registerLarder, larderClient } from "larder";
import PocketBase from "pocketbase";

await registerLarder();                       // registers /larder-sw.js and waits for control
const pb = new PocketBase(location.origin);   // /api/* is now answered inside the browser

window.app = { pb, larder: larderClient() };
document.body.dataset.ready = "true";
`;

let work;
let app;
let server;
const apiHits = []; // /api/ requests that reached the static server (must stay empty)
let profile;
let context = null;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "larder-browser-app-"));
  profile = join(work, "profile");
  const pack = (dir) => join(work, execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop());
  const larderTgz = pack(join(ROOT, "sdk"));
  const pocketbaseTgz = pack(join(ROOT, "node_modules/pocketbase"));
  app = join(work, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "notes", private: true, type: "module" }));
  execFileSync("npm", ["install", "--silent", "--no-audit", "--no-fund", "--offline", larderTgz, pocketbaseTgz], { cwd: app, stdio: "ignore" });
  writeFileSync(join(app, "src/app.js"), APP_JS);
});

after(async () => {
  await context?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  rmSync(work, { recursive: true, force: true });
});

async function openApp() {
  context ??= await launchPersistent(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  return page;
}

async function restartBrowser() {
  await context.close();
  context = null;
}

/** Every note's text, oldest first, as this page's SDK client sees them. */
const listNotes = (page) => page.evaluate(async () => (await window.app.pb.collection("notes").getFullList({ sort: "created,id" })).map((r) => r.text));

test("`npx larder init public/` copies the worker and the core; the app module bundles for the browser", async () => {
  execFileSync("npx", ["--offline", "larder", "init", "public/"], { cwd: app, encoding: "utf8" });
  assert.ok(existsSync(join(app, "public/larder-sw.js")));
  const core = readdirSync(join(app, "public/larder"));
  assert.ok(core.some((f) => /^larder-core\.[0-9a-f]{10}\.wasm$/.test(f)), core.join(","));
  writeFileSync(join(app, "public/index.html"), INDEX_HTML);
  // A bundler targeting browsers (esbuild here) resolves "larder" and "pocketbase" from the app's
  // node_modules; the package's "browser" export keeps Node-only imports out of its way.
  const result = await esbuild.build({
    absWorkingDir: app,
    entryPoints: ["src/app.js"],
    outfile: "public/app.js",
    bundle: true,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  assert.deepEqual(result.errors, []);
  assert.doesNotMatch(readFileSync(join(app, "public/app.js"), "utf8"), /import\(\s*["']node:/);

  server = await startStaticServer({ root: join(app, "public") });
  server.on("request", (req) => req.url.startsWith("/api/") && apiHits.push(`${req.method} ${req.url}`));
});

test("the page registers larder-sw.js and the SDK's requests are answered by it", async () => {
  const page = await openApp();
  const r = await page.evaluate(async () => {
    const health = await window.app.pb.health.check();
    const res = await fetch("/api/health");
    const missing = (await fetch("/api/collections/notes/records")).status; // how an app tells a new origin
    return { health, missing, host: res.headers.get("x-larder-host"), worker: navigator.serviceWorker.controller?.scriptURL };
  });
  assert.equal(r.health.code, 200);
  assert.equal(r.missing, 404);
  assert.equal(r.host, "service-worker");
  assert.match(r.worker, /\/larder-sw\.js$/);
});

test("a superuser from an imported data.db creates a collection and records through the SDK", async () => {
  // README: `larder superuser create EMAIL PASS --dir=…`; sdk/README: import a data.db that has one.
  execFileSync(NATIVE_BIN, ["superuser", "create", EMAIL, PASSWORD, `--dir=${join(work, "pb_data")}`], { stdio: "ignore" });
  cpSync(join(work, "pb_data/data.db"), join(app, "public/backup.db"));

  const page = await openApp();
  const r = await page.evaluate(
    async ({ email, password }) => {
      const { pb, larder } = window.app;
      let before = null;
      try {
        await pb.collection("_superusers").authWithPassword(email, password);
      } catch (err) {
        before = err.status; // a fresh database has no superuser
      }
      await larder.importDatabase(await (await fetch("/backup.db")).blob());
      await pb.collection("_superusers").authWithPassword(email, password);
      await pb.collections.create({
        name: "notes",
        type: "base",
        listRule: "",
        viewRule: "",
        createRule: "",
        fields: [
          { name: "text", type: "text", required: true },
          { name: "created", type: "autodate", onCreate: true, onUpdate: false },
        ],
      });
      for (const text of ["first", "second", "third"]) await pb.collection("notes").create({ text });
      return { before, superuser: pb.authStore.isSuperuser };
    },
    { email: EMAIL, password: PASSWORD },
  );
  assert.equal(r.before, 400);
  assert.equal(r.superuser, true);
  assert.deepEqual(await listNotes(page), ["first", "second", "third"]);
});

test("after a reload the collection, the records and the SDK's superuser auth are still there", async () => {
  const page = await openApp();
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === "true");
  assert.equal(await page.evaluate(() => window.app.pb.authStore.isSuperuser), true);
  assert.deepEqual(await listNotes(page), ["first", "second", "third"]);
  const collection = await page.evaluate(async () => (await window.app.pb.collections.getOne("notes")).fields.map((f) => f.name));
  assert.ok(collection.includes("text"), collection.join(","));
});

test("a collections export applied with pb.collections.import() adds a field and keeps the records", async () => {
  // What an app can do today to ship a schema change (PocketBase's PUT /api/collections/import,
  // as superuser): the full export, as the dashboard's "Export collections" gives it, with a new field.
  const page = await openApp();
  const fields = await page.evaluate(async () => {
    const { pb } = window.app;
    const exported = await pb.collections.getFullList();
    exported.find((c) => c.name === "notes").fields.push({ name: "done", type: "bool" });
    await pb.collections.import(JSON.parse(JSON.stringify(exported)), false);
    return (await pb.collections.getOne("notes")).fields.map((f) => f.name);
  });
  assert.ok(fields.includes("done") && fields.includes("text"), fields.join(","));
  assert.deepEqual(await listNotes(page), ["first", "second", "third"]);
});

test("after a browser restart (same profile) everything is still there and writable", async () => {
  await restartBrowser();
  const page = await openApp();
  assert.deepEqual(await listNotes(page), ["first", "second", "third"]);
  await page.evaluate(() => window.app.pb.collection("notes").create({ text: "fourth", done: true }));
  assert.deepEqual(await listNotes(page), ["first", "second", "third", "fourth"]);
  const done = await page.evaluate(async () => (await window.app.pb.collection("notes").getFullList({ filter: "done = true" })).map((r) => r.text));
  assert.deepEqual(done, ["fourth"]);
  assert.equal(await page.evaluate(() => window.app.larder.integrityCheck()), "ok");
  assert.deepEqual(apiHits, []);
});
